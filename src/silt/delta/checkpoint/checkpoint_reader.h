// Reading a checkpoint into log replay (PROTOCOL.md "Checkpoints", "V2 Spec"; digest §16):
// every part of a classic or multi-part checkpoint, or a UUID-named V2 checkpoint (JSON or
// Parquet) and the sidecars it references under _delta_log/_sidecars/.
//
// Parquet decoding is behind CheckpointFileDecoder, so this layer does not depend on the
// Parquet reader: the reader implements the decoder (Parquet -> columnar batches) and the rows
// become actions through checkpoint_actions.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/status.h"
#include "silt/columnar/record_batch.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_replay.h"
#include "silt/delta/log/log_segment.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

// What a decoder can tell about a file from its footer.
struct CheckpointFileLayout {
  // The rows of each part (Parquet row group) DecodePart can decode independently; empty when
  // the file cannot be split.
  std::vector<int64_t> part_rows;
};

// Decodes a Parquet checkpoint or sidecar file into rows.
class CheckpointFileDecoder {
 public:
  virtual ~CheckpointFileDecoder() = default;
  // Calls `on_batch` with consecutive batches of the rows of the Parquet file at `path`, holding
  // the columns of CheckpointReadSchema() that the file has (more are fine), until the file ends
  // or on_batch fails (its error is returned). kCorruption for an undecodable file; the
  // FileSystem's error when it cannot be read. May be called from several threads at once.
  virtual Status Decode(fs::FileSystem& fs, const std::string& path,
                        const std::function<Status(const columnar::RecordBatch&)>& on_batch) = 0;
  // The layout of the file at `path` when the decoder can tell without decoding it (a Parquet
  // footer), so that replay can size its buffers once and split the work; std::nullopt (the
  // default) when it cannot, or on any error (Decode reports those).
  virtual std::optional<CheckpointFileLayout> Inspect(fs::FileSystem& /*fs*/,
                                                      const std::string& /*path*/) {
    return std::nullopt;
  }
  // As Decode, for the rows of part `part` (an index into Inspect(...)->part_rows) only, on the
  // calling thread. Decoding every part in order gives the rows Decode gives. The default is
  // kUnsupported.
  virtual Status DecodePart(fs::FileSystem& fs, const std::string& path, int part,
                            const std::function<Status(const columnar::RecordBatch&)>& on_batch);
};

// Where a sidecar action's file is: its (percent-decoded) path under
// "<log_dir>/_sidecars/", or the decoded absolute URI. kCorruption for a bad encoding.
Result<std::string> SidecarFilePath(std::string_view log_dir, const Sidecar& sidecar);

// Feeds the checkpoint files of `segment` (none: nothing to do) and, for a V2 checkpoint, its
// sidecars into `replayer`, after the commits. JSON checkpoints are parsed here; Parquet files
// go through `decoder`, and without one they are kUnsupported naming the file. Errors name the
// file at fault.
Status FeedCheckpoint(fs::FileSystem& fs, const LogSegment& segment,
                      CheckpointFileDecoder* decoder, LogReplayer& replayer);

}  // namespace silt::delta
