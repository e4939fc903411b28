// `silt describe` and `silt history`: a Delta table's state and its commits.
#include <cstdio>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "silt/base/time.h"
#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/file_system_registry.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::cli {
namespace {

struct TableTotals {
  int64_t files = 0;
  int64_t bytes = 0;
  int64_t rows = 0;
  int64_t files_without_row_count = 0;
};

// Rows come from add.stats numRecords less the rows a deletion vector removes.
Result<TableTotals> ComputeTotals(const delta::Snapshot& snapshot) {
  TableTotals t;
  json::Parser parser;
  for (const delta::Add& add : snapshot.files()) {
    ++t.files;
    t.bytes += add.size;
    std::optional<int64_t> rows;
    if (add.stats && !add.stats->empty()) {
      Result<json::Object> stats = parser.ParseObject(*add.stats);
      if (stats.ok()) {
        Result<std::optional<int64_t>> n = stats->GetOptionalInt64("numRecords");
        if (n.ok()) rows = *n;
      }
    }
    if (!rows) {
      ++t.files_without_row_count;
      continue;
    }
    t.rows += *rows - (add.deletion_vector ? add.deletion_vector->cardinality : 0);
  }
  return t;
}

struct DescribeArgs {
  std::string table;
  std::optional<int64_t> version;
  bool json = false;
};

Status Describe(const DescribeArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  delta::SnapshotOptions options;
  options.version = args.version;
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(*fs, args.table, options));
  SILT_ASSIGN_OR_RETURN(TableTotals totals, ComputeTotals(*snapshot));
  const delta::Protocol& protocol = snapshot->protocol();
  const delta::Metadata& metadata = snapshot->metadata();
  std::string out;
  if (args.json) {
    json::Writer w;
    w.BeginObject()
        .Field("table", args.table)
        .Field("version", snapshot->version())
        .Field("timestamp", FormatTimestampMillis(snapshot->timestamp_ms()))
        .Field("id", metadata.id);
    if (metadata.name) w.Field("name", *metadata.name);
    if (metadata.description) w.Field("description", *metadata.description);
    w.Key("protocol").BeginObject()
        .Field("minReaderVersion", protocol.min_reader_version)
        .Field("minWriterVersion", protocol.min_writer_version);
    if (protocol.reader_features) w.Field("readerFeatures", *protocol.reader_features);
    if (protocol.writer_features) w.Field("writerFeatures", *protocol.writer_features);
    w.EndObject();
    w.Field("partitionColumns", metadata.partition_columns);
    w.Key("properties").BeginObject();
    for (const auto& [k, v] : metadata.configuration) w.Field(k, v);
    w.EndObject();
    w.Field("numFiles", totals.files).Field("sizeInBytes", totals.bytes);
    if (totals.files_without_row_count == 0) {
      w.Field("numRows", totals.rows);
    } else {
      w.Key("numRows").Null();
    }
    w.Field("schema", snapshot->schema()->ToString());
    w.EndObject();
    out = w.Release() + "\n";
  } else {
    out += fmt::format("table:             {}\n", args.table);
    out += fmt::format("version:           {}\n", snapshot->version());
    out += fmt::format("timestamp:         {}\n", FormatTimestampMillis(snapshot->timestamp_ms()));
    out += fmt::format("id:                {}\n", metadata.id);
    if (metadata.name) out += fmt::format("name:              {}\n", *metadata.name);
    if (metadata.description) out += fmt::format("description:       {}\n", *metadata.description);
    out += fmt::format("protocol:          reader {}, writer {}\n", protocol.min_reader_version,
                       protocol.min_writer_version);
    if (protocol.reader_features) {
      out += fmt::format("reader features:   {}\n", fmt::join(*protocol.reader_features, ", "));
    }
    if (protocol.writer_features) {
      out += fmt::format("writer features:   {}\n", fmt::join(*protocol.writer_features, ", "));
    }
    out += fmt::format("partition columns: {}\n", fmt::join(metadata.partition_columns, ", "));
    for (const auto& [k, v] : metadata.configuration) {
      out += fmt::format("property:          {} = {}\n", k, v);
    }
    out += fmt::format("files:             {}\n", totals.files);
    out += fmt::format("bytes:             {}\n", totals.bytes);
    if (totals.files_without_row_count == 0) {
      out += fmt::format("rows:              {}\n", totals.rows);
    } else {
      out += fmt::format("rows:              at least {} ({} files have no row count)\n",
                         totals.rows, totals.files_without_row_count);
    }
    out += "schema:\n" + snapshot->schema()->ToTreeString();
    if (out.back() != '\n') out += "\n";
  }
  std::fputs(out.c_str(), stdout);
  return Status::OK();
}

struct HistoryArgs {
  std::string table;
  std::optional<int64_t> limit;
  bool json = false;
};

// Newest first, one line (or JSON object) per commit still in the log.
Status History(const HistoryArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  SILT_ASSIGN_OR_RETURN(auto snapshot, delta::Snapshot::Load(*fs, args.table));
  SILT_ASSIGN_OR_RETURN(auto ict_start,
                        delta::InCommitTimestampStartVersion(snapshot->metadata()));
  SILT_ASSIGN_OR_RETURN(auto commits, delta::ListCommitTimestamps(*fs, args.table, ict_start));
  std::string out;
  if (!args.json) out += fmt::format("{:<8} {:<24} {}\n", "version", "timestamp", "operation");
  int64_t printed = 0;
  for (auto it = commits.rbegin(); it != commits.rend(); ++it) {
    if (args.limit && printed >= *args.limit) break;
    ++printed;
    SILT_ASSIGN_OR_RETURN(auto actions, delta::ReadCommit(*fs, args.table, it->version));
    const delta::CommitInfo* info = nullptr;
    for (const auto& action : actions) {
      if (const auto* ci = std::get_if<delta::CommitInfo>(&action)) info = ci;
    }
    std::string operation = info && info->operation ? *info->operation : "";
    if (args.json) {
      json::Writer w;
      w.BeginObject()
          .Field("version", it->version)
          .Field("timestamp", FormatTimestampMillis(it->timestamp_ms))
          .Field("operation", operation);
      if (info) w.Key("commitInfo").RawJson(info->raw_json);
      w.EndObject();
      out += w.Release() + "\n";
    } else {
      out += fmt::format("{:<8} {:<24} {}\n", it->version, FormatTimestampMillis(it->timestamp_ms),
                         operation);
    }
  }
  std::fputs(out.c_str(), stdout);
  return Status::OK();
}

}  // namespace

void RegisterDeltaReadCommands(CLI::App& app) {
  static DescribeArgs describe;
  CLI::App* d = AddCommand(app, "describe", "Show a Delta table's version, protocol, schema, "
                                            "partitioning, properties and size",
                           [] { return Describe(describe); });
  d->add_option("TABLE", describe.table, "Table path or URI")->required();
  d->add_option("--version", describe.version, "Version to describe (default: latest)");
  d->add_flag("--json", describe.json, "Print one JSON object");

  static HistoryArgs history;
  CLI::App* h = AddCommand(app, "history", "List a Delta table's commits, newest first",
                           [] { return History(history); });
  h->add_option("TABLE", history.table, "Table path or URI")->required();
  h->add_option("--limit", history.limit, "Show at most N commits");
  h->add_flag("--json", history.json, "Print JSON lines with the full commitInfo");
}

}  // namespace silt::cli
