// The Delta streaming sink (Spark's DeltaSink): each micro-batch is one Delta commit written
// with delta::WriteToTable, operation "STREAMING UPDATE" with outputMode / queryId / epochId
// parameters. Exactly-once: the commit carries txn(appId = query id, version = batch id), and a
// batch id the table already holds for the query is skipped without writing (SinkResult.skipped),
// so a batch re-run after a crash between the sink's commit and the engine's commit log is
// harmless. The table is created on the first batch when missing. A batch is written on the
// snapshot the previous batch's commit returned (no log listing or replay per batch) unless the
// next commit file exists (another writer committed: the table is loaded again); after an error
// the next batch loads the table.
//
// Output modes: append adds the batch's rows; complete replaces the whole table with them.
//
// Options (names matched case-insensitively):
//   partitionBy       comma-separated partition columns for a new table (for an existing table
//                     they must equal its partitioning).
//   mergeSchema       "true": new columns in the batches evolve the table schema; otherwise a
//                     batch whose schema differs from the table's is kInvalidArgument.
//   targetFileSize    bytes per data file ("128m", "1g", plain bytes); default: the table's
//                     delta.targetFileSize, else 128 MiB.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/stream/sink/sink.h"

namespace silt::stream {

namespace delta_sink_option {
inline constexpr std::string_view kPartitionBy = "partitionBy";
inline constexpr std::string_view kMergeSchema = "mergeSchema";
inline constexpr std::string_view kTargetFileSize = "targetFileSize";
}  // namespace delta_sink_option

// A Delta sink writing to the table at `table_path` (created on the first batch if missing).
// `fs` may be null: the engine's SinkContext::fs is used then. Errors: kInvalidArgument for an
// unknown option (listing the known ones) or a bad value (naming the option). AddBatch returns
// the errors of delta::WriteToTable (schema mismatch, conflicts, I/O); nothing of a failed batch
// is visible.
Result<std::unique_ptr<Sink>> MakeDeltaSink(std::shared_ptr<fs::FileSystem> fs,
                                            std::string table_path,
                                            std::map<std::string, std::string> options);

}  // namespace silt::stream
