// `silt describe` and `silt history`: a Delta table's state and its commits.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "silt/base/calendar.h"
#include "silt/base/time.h"
#include "silt/columnar/pretty.h"
#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/cli/delta_common.h"
#include "silt/delta/actions/stats_fields.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/scan/table_changes.h"
#include "silt/delta/table/snapshot.h"
#include "silt/expr/expr.h"
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
  for (const delta::FileRef add : snapshot.files()) {
    ++t.files;
    t.bytes += add.size();
    std::optional<int64_t> rows;
    if (std::optional<std::string_view> text = add.stats(); text && !text->empty()) {
      Result<json::Object> stats = parser.ParseObject(*text);
      if (stats.ok()) {
        Result<std::optional<int64_t>> n = stats->GetOptionalInt64(delta::stats_field::kNumRecords);
        if (n.ok()) rows = *n;
      }
    }
    if (!rows) {
      ++t.files_without_row_count;
      continue;
    }
    t.rows += *rows - (add.deletion_vector() ? add.deletion_vector()->cardinality : 0);
  }
  return t;
}

// The commit timestamps of the log, in-commit timestamps where the latest metadata enables them.
Result<std::vector<delta::CommitTimestamp>> CommitTimestamps(fs::FileSystem& fs,
                                                             const std::string& table,
                                                             const delta::Snapshot& latest) {
  SILT_ASSIGN_OR_RETURN(auto ict_start, delta::InCommitTimestampStartVersion(latest.metadata()));
  return delta::ListCommitTimestamps(fs, table, ict_start);
}

struct DescribeArgs {
  std::string table;
  std::optional<int64_t> version;
  bool json = false;
};

Status Describe(const DescribeArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  SILT_ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*fs, args.table, args.version));
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
  SILT_ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*fs, args.table));
  SILT_ASSIGN_OR_RETURN(auto commits, CommitTimestamps(*fs, args.table, *snapshot));
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

enum class OutputFormat { kJsonLines, kCsv, kTable };

// Prints batches as JSON lines, CSV (with a header) or an aligned text table; stops after
// `limit` rows. The table format holds the printed rows in memory to size its columns.
class RowPrinter {
 public:
  RowPrinter(OutputFormat format, std::optional<int64_t> limit)
      : format_(format), remaining_(limit.value_or(INT64_MAX)) {}

  bool done() const { return remaining_ <= 0; }

  void Print(const columnar::RecordBatch& batch) {
    int64_t rows = std::min<int64_t>(batch.num_rows(), remaining_);
    remaining_ -= rows;
    const auto& fields = batch.schema()->fields();
    if (format_ == OutputFormat::kJsonLines) {
      std::string out = columnar::RecordBatchToJsonLines(*batch.Slice(0, rows));
      std::fwrite(out.data(), 1, out.size(), stdout);
      return;
    }
    if (header_.empty()) {
      for (const auto& f : fields) header_.push_back(f.name());
      if (format_ == OutputFormat::kCsv) PrintCsvLine(header_);
    }
    for (int64_t r = 0; r < rows; ++r) {
      std::vector<std::string> cells;
      for (int c = 0; c < batch.num_columns(); ++c) {
        const columnar::Array& column = *batch.column(c);
        std::string text = columnar::ValueToJson(column, r);
        // Plain text for strings in CSV and tables; every other value as JSON.
        if (column.type_id() == columnar::TypeId::kString && !column.IsNull(r)) {
          text = std::string(static_cast<const columnar::StringArray&>(column).GetView(r));
        } else if (column.IsNull(r)) {
          text = format_ == OutputFormat::kCsv ? "" : "NULL";
        } else if (!column.type()->is_nested() && text.size() >= 2 && text.front() == '"') {
          text = text.substr(1, text.size() - 2);  // dates, timestamps, binary (base64)
        }
        cells.push_back(std::move(text));
      }
      if (format_ == OutputFormat::kCsv) {
        PrintCsvLine(cells);
      } else {
        table_.push_back(std::move(cells));
      }
    }
  }

  // Prints what the table format held back.
  void Finish() {
    if (format_ != OutputFormat::kTable || header_.empty()) return;
    std::vector<size_t> width(header_.size());
    for (size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
    for (const auto& row : table_) {
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string out;
      for (size_t c = 0; c < cells.size(); ++c) {
        out += (c ? " | " : "") + cells[c] + std::string(width[c] - cells[c].size(), ' ');
      }
      while (!out.empty() && out.back() == ' ') out.pop_back();
      return out + "\n";
    };
    std::string out = line(header_);
    for (size_t c = 0; c < width.size(); ++c) out += (c ? "-+-" : "") + std::string(width[c], '-');
    out += "\n";
    for (const auto& row : table_) out += line(row);
    out += fmt::format("({} rows)\n", table_.size());
    std::fputs(out.c_str(), stdout);
  }

 private:
  static void PrintCsvLine(const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out.push_back(',');
      const std::string& v = cells[c];
      if (v.find_first_of(",\"\r\n") == std::string::npos) {
        out += v;
      } else {
        out.push_back('"');
        for (char ch : v) {
          if (ch == '"') out.push_back('"');
          out.push_back(ch);
        }
        out.push_back('"');
      }
    }
    out.push_back('\n');
    std::fputs(out.c_str(), stdout);
  }

  OutputFormat format_;
  int64_t remaining_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> table_;
};

Status PrintAll(delta::ScanIterator& rows, OutputFormat format, std::optional<int64_t> limit) {
  RowPrinter printer(format, limit);
  while (!printer.done()) {
    SILT_ASSIGN_OR_RETURN(auto batch, rows.Next());
    if (!batch) break;
    printer.Print(**batch);
  }
  printer.Finish();
  return Status::OK();
}

struct ScanArgs {
  std::string table;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  std::vector<std::string> columns;
  std::optional<std::string> where;
  OutputFormat format = OutputFormat::kJsonLines;
  std::optional<int64_t> limit;
};

Status ScanTable(const ScanArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  std::optional<int64_t> version = args.version;
  if (args.timestamp) {
    SILT_ASSIGN_OR_RETURN(int64_t micros, ParseTimestamp(*args.timestamp));
    SILT_ASSIGN_OR_RETURN(auto latest, LoadSnapshot(*fs, args.table));
    SILT_ASSIGN_OR_RETURN(auto commits, CommitTimestamps(*fs, args.table, *latest));
    SILT_ASSIGN_OR_RETURN(version, delta::VersionAtTimestamp(commits, micros / 1000));
  }
  SILT_ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*fs, args.table, version));
  delta::ScanBuilder builder(snapshot);
  if (!args.columns.empty()) builder.WithColumns(args.columns);
  if (args.where) {
    SILT_ASSIGN_OR_RETURN(expr::ExprPtr predicate, expr::Parse(*args.where));
    builder.WithPredicate(std::move(predicate));
  }
  SILT_ASSIGN_OR_RETURN(auto scan, builder.Build());
  SILT_ASSIGN_OR_RETURN(auto rows, scan->Execute(*fs));
  return PrintAll(*rows, args.format, args.limit);
}

struct ChangesArgs {
  std::string table;
  int64_t from = 0;
  std::optional<int64_t> to;
  OutputFormat format = OutputFormat::kJsonLines;
  std::optional<int64_t> limit;
};

Status Changes(const ChangesArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  SILT_ASSIGN_OR_RETURN(auto rows, delta::TableChanges(*fs, args.table, args.from, args.to));
  return PrintAll(*rows, args.format, args.limit);
}

const std::map<std::string, OutputFormat> kFormats = {
    {"jsonl", OutputFormat::kJsonLines}, {"csv", OutputFormat::kCsv},
    {"table", OutputFormat::kTable}};

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

  static ScanArgs scan;
  CLI::App* s = AddCommand(app, "scan", "Print a Delta table's rows", [] { return ScanTable(scan); });
  s->add_option("TABLE", scan.table, "Table path or URI")->required();
  auto* version = s->add_option("--version", scan.version, "Read the table as of this version");
  s->add_option("--timestamp", scan.timestamp,
                "Read the table as of this time (e.g. '2024-01-31 12:00:00Z')")
      ->excludes(version);
  s->add_option("--columns", scan.columns, "Columns to print (default: all)")->delimiter(',');
  s->add_option("--where", scan.where, "Filter, in Spark SQL syntax (e.g. \"a > 3 AND b IS NULL\")");
  s->add_option("--format", scan.format, "jsonl (default), csv or table")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  s->add_option("--limit", scan.limit, "Print at most N rows")->check(CLI::NonNegativeNumber);

  static ChangesArgs changes;
  CLI::App* c = AddCommand(app, "changes",
                           "Print the changes (change data feed) between two versions",
                           [] { return Changes(changes); });
  c->add_option("TABLE", changes.table, "Table path or URI")->required();
  c->add_option("--from", changes.from, "First version")->required();
  c->add_option("--to", changes.to, "Last version (default: latest)");
  c->add_option("--format", changes.format, "jsonl (default), csv or table")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  c->add_option("--limit", changes.limit, "Print at most N rows")->check(CLI::NonNegativeNumber);
}

}  // namespace silt::cli
