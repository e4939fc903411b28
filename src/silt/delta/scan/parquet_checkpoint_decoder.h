// CheckpointFileDecoder backed by the Parquet FileReader (PROTOCOL.md "Checkpoints"; digest
// §15-16): lets Snapshot::Load read classic, multi-part and V2 (sidecar) Parquet checkpoints.
//
//   auto decoder = MakeParquetCheckpointDecoder();
//   SnapshotOptions options;
//   options.checkpoint_decoder = decoder.get();
//   SILT_ASSIGN_OR_RETURN(auto snapshot, Snapshot::Load(fs, root, options));
#pragma once

#include <memory>

#include "silt/delta/checkpoint/checkpoint_reader.h"

namespace silt::delta {

// A decoder that projects the action columns of CheckpointReadSchema() the file has, and within
// each action only the fields listed there (add.stats_parsed and the like are never decoded),
// and hands them over in bounded batches. Stateless: one instance may serve many threads and
// snapshots.
std::unique_ptr<CheckpointFileDecoder> MakeParquetCheckpointDecoder();

// A process-wide instance of the above, for callers that do not want to own one.
CheckpointFileDecoder* DefaultParquetCheckpointDecoder();

}  // namespace silt::delta
