#include "silt/stream/delta/delta_sink.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "silt/base/byte_size.h"
#include "silt/base/time.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/write/write_table.h"
#include "silt/json/json_writer.h"

namespace silt::stream {

namespace opt = delta_sink_option;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

Result<int64_t> ParseBytes(std::string_view name, std::string_view value) {
  Result<int64_t> bytes = ParseByteSize(value);
  if (!bytes.ok()) return bytes.error().WithContext(fmt::format("option {}", name));
  return bytes;
}

struct SinkOptions {
  std::vector<std::string> partition_by;
  bool merge_schema = false;
  std::optional<int64_t> target_file_size;
};

Result<SinkOptions> ParseOptions(const std::map<std::string, std::string>& options) {
  SinkOptions o;
  for (const auto& [key, value] : options) {
    std::string k = Lower(key);
    if (k == Lower(opt::kPartitionBy)) {
      std::string_view rest = value;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string column = Trim(rest.substr(0, comma));
        if (column.empty()) {
          return Status::InvalidArgument("option {}: empty column name in '{}'", opt::kPartitionBy,
                                         value);
        }
        o.partition_by.push_back(std::move(column));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
        if (rest.empty()) {
          return Status::InvalidArgument("option {}: empty column name in '{}'", opt::kPartitionBy,
                                         value);
        }
      }
    } else if (k == Lower(opt::kMergeSchema)) {
      std::string v = Lower(value);
      if (v != "true" && v != "false") {
        return Status::InvalidArgument("option {}: '{}' is not true or false", opt::kMergeSchema,
                                       value);
      }
      o.merge_schema = v == "true";
    } else if (k == Lower(opt::kTargetFileSize)) {
      SILT_ASSIGN_OR_RETURN(int64_t bytes, ParseBytes(opt::kTargetFileSize, value));
      o.target_file_size = bytes;
    } else {
      return Status::InvalidArgument("unknown Delta sink option '{}'; known options: {}, {}, {}",
                                     key, opt::kPartitionBy, opt::kMergeSchema,
                                     opt::kTargetFileSize);
    }
  }
  return o;
}

class DeltaSink final : public Sink {
 public:
  DeltaSink(std::shared_ptr<fs::FileSystem> fs, std::string table_path, SinkOptions options)
      : fs_owner_(std::move(fs)),
        table_path_(std::move(table_path)),
        options_(std::move(options)) {}

  std::string description() const override { return fmt::format("DeltaSink[{}]", table_path_); }

  Status Open(const SinkContext& context) override {
    fs_ = fs_owner_ != nullptr ? fs_owner_.get() : context.fs;
    if (fs_ == nullptr) return Status::InvalidArgument("{}: no file system", description());
    if (context.query_id.empty()) {
      return Status::InvalidArgument("{}: the query has no id (needed for exactly-once commits)",
                                     description());
    }
    context_ = context;
    return Status::OK();
  }

  Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) override {
    if (fs_ == nullptr) return Status::InvalidArgument("{}: not open", description());
    SinkResult result;
    // The table as this sink last committed it, or freshly loaded. Taken out of snapshot_ so that
    // any error below leaves the next batch to load the table again.
    std::shared_ptr<const delta::Snapshot> snapshot = std::move(snapshot_);
    snapshot_ = nullptr;
    SILT_ASSIGN_OR_RETURN(snapshot, CurrentSnapshot(std::move(snapshot)));
    // A batch the table already holds for this query is skipped before anything is read. The
    // rule is WriteToTable's (same clock: the sink pins none): a txn older than
    // delta.setTransactionRetentionDuration has expired and counts as absent, as it would once a
    // checkpoint dropped it.
    if (snapshot != nullptr) {
      SILT_ASSIGN_OR_RETURN(std::optional<int64_t> committed,
                            snapshot->AppTransactionVersion(context_.query_id, NowMillis()));
      if (committed.has_value() && *committed >= batch_id) {
        result.skipped = true;
        result.metrics["skippedBatchId"] = std::to_string(batch_id);
        snapshot_ = std::move(snapshot);
        return result;
      }
    }

    bool complete = context_.output_mode == OutputMode::kComplete;
    delta::WriteOptions options;
    options.mode = complete ? delta::WriteMode::kOverwrite : delta::WriteMode::kAppend;
    options.partition_by = options_.partition_by;
    options.merge_schema = options_.merge_schema;
    options.target_file_size = options_.target_file_size;
    options.app_transaction = delta::AppTransactionId{context_.query_id, batch_id};
    options.operation = "STREAMING UPDATE";
    options.operation_parameters = {
        {"outputMode", json::Quote(complete ? "Complete" : "Append")},
        {"queryId", json::Quote(context_.query_id)},
        {"epochId", json::Quote(std::to_string(batch_id))},
    };
    // Written on the snapshot read above: no second load. Should another writer commit
    // meanwhile, the transaction's conflict checks and rebase cover it (a blind append never
    // conflicts; this query's txn committed by another run is skipped).
    options.read_snapshot = snapshot;
    delta::WriteInput input;
    input.schema = data.schema();
    input.next = [&data]() { return data.Next(); };
    SILT_ASSIGN_OR_RETURN(delta::WriteResult written,
                          delta::WriteToTable(*fs_, table_path_, std::move(input), options));
    // The table as of this commit, for the next batch (nullptr: load it then).
    snapshot_ = written.commit.snapshot;
    if (written.commit.skipped_idempotent) {
      // Another run of this query committed the batch meanwhile.
      result.skipped = true;
      return result;
    }
    result.num_output_rows = written.num_output_rows;
    result.metrics["numFiles"] = std::to_string(written.num_files);
    result.metrics["numOutputBytes"] = std::to_string(written.num_output_bytes);
    result.metrics["tableVersion"] = std::to_string(written.commit.version);
    if (complete) result.metrics["numRemovedFiles"] = std::to_string(written.num_removed_files);
    return result;
  }

 private:
  // `cached` when no commit followed it (one existence check of the next commit file), else the
  // latest snapshot; nullptr when there is no table yet. Loading per batch would list and read
  // the log each time; a snapshot another writer made stale would still be correct (the commit
  // rebases it) but would turn that writer's metaData change or, in complete mode, its append
  // into a conflict that a fresh snapshot avoids, as a fresh snapshot per batch does in Spark.
  Result<std::shared_ptr<const delta::Snapshot>> CurrentSnapshot(
      std::shared_ptr<const delta::Snapshot> cached) {
    if (cached != nullptr) {
      std::string next =
          fs::JoinPath(delta::LogDirFor(table_path_), delta::CommitFileName(cached->version() + 1));
      Result<bool> exists = fs_->Exists(next);
      if (exists.ok() && !*exists) return cached;
    }
    delta::SnapshotOptions snapshot_options;
    snapshot_options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
    Result<std::shared_ptr<const delta::Snapshot>> loaded =
        delta::Snapshot::Load(*fs_, table_path_, snapshot_options);
    if (loaded.ok()) return loaded;
    if (loaded.error().IsNotFound()) return std::shared_ptr<const delta::Snapshot>();
    return loaded.error();
  }

  std::shared_ptr<fs::FileSystem> fs_owner_;
  fs::FileSystem* fs_ = nullptr;
  std::string table_path_;
  SinkOptions options_;
  SinkContext context_;
  // The table as of this sink's last commit (see CurrentSnapshot).
  std::shared_ptr<const delta::Snapshot> snapshot_;
};

}  // namespace

Result<std::unique_ptr<Sink>> MakeDeltaSink(std::shared_ptr<fs::FileSystem> fs,
                                            std::string table_path,
                                            std::map<std::string, std::string> options) {
  if (table_path.empty()) return Status::InvalidArgument("Delta sink: empty table path");
  SILT_ASSIGN_OR_RETURN(SinkOptions parsed, ParseOptions(options));
  table_path.resize(fs::StripTrailingSlashes(table_path).size());
  return std::unique_ptr<Sink>(
      std::make_unique<DeltaSink>(std::move(fs), std::move(table_path), std::move(parsed)));
}

}  // namespace silt::stream
