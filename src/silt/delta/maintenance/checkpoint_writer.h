// Writing checkpoints (PROTOCOL.md "Checkpoints", "V2 Spec", "Last Checkpoint File"; digest
// §15-16): the reconciled state of one version as a Parquet file in _delta_log, then the
// _last_checkpoint hint.
//
//   classic (V1 spec)  <version>.checkpoint.parquet: protocol, metaData, txn, live adds,
//                      unexpired remove tombstones, live domainMetadata; the Parquet schema is
//                      Spark's (Delta 3.x): columns txn, add, remove, metaData, protocol,
//                      domainMetadata, every field optional, maps as MAP/key_value, lists as
//                      3-level LIST. add.stats is written unless delta.checkpoint.writeStatsAsJson
//                      is false; add.partitionValues_parsed for partitioned tables unless
//                      delta.checkpoint.writeStatsAsStruct is false (Spark's default is true);
//                      add.stats_parsed only when delta.checkpoint.writeStatsAsStruct is set to
//                      true explicitly (open-source Spark never writes it, Databricks and
//                      delta-rs do when asked).
//   V2 (v2Checkpoint)  <version>.checkpoint.<uuid>.parquet|json holding checkpointMetadata and
//                      the non-file actions, plus `sidecar` rows naming
//                      _delta_log/_sidecars/<version>.checkpoint.<part>.<parts>.<uuid>.parquet
//                      files that hold the add and remove rows.
//
// Every file is written with fs::FileSystem::OpenWritable, which publishes it only on a
// successful Close(), so a crash never leaves a partial checkpoint under a checkpoint name; a
// classic checkpoint that already exists is replaced by an equivalent one. _last_checkpoint is
// replaced (fs::FileSystem::Put) only after every checkpoint file is complete, and never moved
// back to an older version than the one it names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::delta {

enum class CheckpointPolicy : uint8_t {
  // From the table: V2 when delta.checkpointPolicy is "v2" and the protocol has v2Checkpoint
  // (a "v2" policy without the feature gets a classic checkpoint, which every reader can use).
  kTable,
  // A classic-named checkpoint. With the v2Checkpoint feature it follows the V2 spec
  // (checkpointMetadata row, file actions inline), as the protocol requires.
  kClassic,
  // UUID-named V2 checkpoint with sidecars; kInvalidArgument without the v2Checkpoint feature.
  kV2,
};

enum class V2CheckpointFormat : uint8_t { kParquet, kJson };

struct CheckpointWriteOptions {
  // Milliseconds since the epoch, the wall clock when unset. Tombstones whose deletionTimestamp
  // is older than now - delta.deletedFileRetentionDuration (default 1 week; a missing
  // deletionTimestamp counts as 0) and txns whose lastUpdated is older than now -
  // delta.setTransactionRetentionDuration (when set) are left out, as Spark does.
  std::optional<int64_t> now_ms;
  CheckpointPolicy policy = CheckpointPolicy::kTable;
  // The format of a UUID-named V2 checkpoint's top-level file (sidecars are always Parquet).
  V2CheckpointFormat v2_format = V2CheckpointFormat::kParquet;
  // File actions per sidecar file (at least 1); Spark's default.
  int64_t max_actions_per_sidecar = 50000;
  // Codec of the Parquet files (Spark writes snappy).
  parquet::CompressionCodec codec = parquet::CompressionCodec::kSnappy;
  // Rows per Parquet row group (at most; 128 MiB also ends one). Several row groups let a
  // reader decode a large checkpoint on several threads.
  int64_t row_group_rows = 128 * 1024;
  // Replace _last_checkpoint once the checkpoint is complete.
  bool update_last_checkpoint = true;
};

struct CheckpointWriteResult {
  // The checkpointed version (the snapshot's).
  int64_t version = 0;
  // Rows over all files (top-level and sidecars): _last_checkpoint's "size".
  int64_t num_actions = 0;
  // add rows.
  int64_t num_add_files = 0;
  // remove rows (unexpired tombstones).
  int64_t num_tombstones = 0;
  // Bytes of every file written.
  int64_t size_in_bytes = 0;
  // True for a V2-spec checkpoint (UUID-named, or classic-named on a v2Checkpoint table).
  bool v2 = false;
  // The top-level checkpoint file.
  std::string checkpoint_path;
  // Every file written, sidecars first, the top-level checkpoint last.
  std::vector<std::string> files;
  // The sidecar files, a subset of `files`.
  std::vector<std::string> sidecar_files;
  // Whether _last_checkpoint was replaced (false when disabled or when it already named a newer
  // checkpoint).
  bool last_checkpoint_updated = false;
};

// Writes a checkpoint of `snapshot` (any version of the table, usually the latest) under its
// table's _delta_log through `fs`. Errors: kInvalidArgument for CheckpointPolicy::kV2 without
// the v2Checkpoint feature or a non-positive max_actions_per_sidecar; kCorruption for malformed
// retention or statistics properties; the FileSystem's or the Parquet writer's error, after
// which no checkpoint name holds a partial file and _last_checkpoint is unchanged (a V2
// checkpoint may leave complete but unreferenced sidecars, which log cleanup removes).
// Safe to call concurrently for the same version: the results are equivalent.
Result<CheckpointWriteResult> WriteCheckpoint(fs::FileSystem& fs, const Snapshot& snapshot,
                                              const CheckpointWriteOptions& options = {});

}  // namespace silt::delta
