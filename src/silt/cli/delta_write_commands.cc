// `silt create`, `silt append` and `silt delete`: a new Delta table from a schema (Delta's JSON
// schema or a Spark DDL column list); rows from JSON lines, CSV or Parquet files appended (the
// table is created from the file's schema when there is none); rows deleted by a predicate.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/time.h"
#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/from_json.h"
#include "silt/columnar/schema.h"
#include "silt/delta/commit/table_creation.h"
#include "silt/delta/commit/transaction.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/write/write_table.h"
#include "silt/expr/expr.h"
#include "silt/fs/file_system_registry.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"
#include "silt/parquet/reader/file_reader.h"

namespace silt::cli {
namespace {

namespace col = silt::columnar;

// A Spark DDL column list: "id BIGINT NOT NULL, name STRING, tags ARRAY<STRING>,
// address STRUCT<city: STRING, zip: INT>, attrs MAP<STRING, DOUBLE>, price DECIMAL(10,2)".
// Names may be `back-quoted`; keywords are case-insensitive.
class DdlParser {
 public:
  explicit DdlParser(std::string_view text) : text_(text) {}

  Result<col::SchemaPtr> ParseSchema() {
    std::vector<col::Field> fields;
    do {
      SILT_ASSIGN_OR_RETURN(col::Field field, ParseField(/*nested=*/false));
      fields.push_back(std::move(field));
    } while (Consume(','));
    SkipSpace();
    if (pos_ != text_.size()) return Error("expected ',' or the end");
    return col::Schema::Make(std::move(fields));
  }

 private:
  Result<col::Field> ParseField(bool nested) {
    SILT_ASSIGN_OR_RETURN(std::string name, ParseName());
    if (nested) Consume(':');
    SILT_ASSIGN_OR_RETURN(col::TypePtr type, ParseType());
    bool nullable = true;
    size_t save = pos_;
    if (ConsumeWord("NOT")) {
      if (!ConsumeWord("NULL")) return Error("expected NULL after NOT");
      nullable = false;
    } else {
      pos_ = save;
    }
    return col::Field(std::move(name), std::move(type), nullable);
  }

  Result<std::string> ParseName() {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '`') {
      std::string name;
      ++pos_;
      while (pos_ < text_.size()) {
        char c = text_[pos_++];
        if (c == '`') {
          if (pos_ < text_.size() && text_[pos_] == '`') {  // `` is a quoted backquote
            name.push_back('`');
            ++pos_;
            continue;
          }
          return name;
        }
        name.push_back(c);
      }
      return Error("unterminated `name`");
    }
    std::string word = Word();
    if (word.empty()) return Error("expected a column name");
    return word;
  }

  Result<col::TypePtr> ParseType() {
    std::string word = Word();
    std::string upper;
    for (char c : word)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (upper == "BOOLEAN" || upper == "BOOL") return col::Boolean();
    if (upper == "TINYINT" || upper == "BYTE") return col::Int8();
    if (upper == "SMALLINT" || upper == "SHORT") return col::Int16();
    if (upper == "INT" || upper == "INTEGER") return col::Int32();
    if (upper == "BIGINT" || upper == "LONG") return col::Int64();
    if (upper == "FLOAT" || upper == "REAL") return col::Float32();
    if (upper == "DOUBLE") return col::Float64();
    if (upper == "STRING" || upper == "VARCHAR" || upper == "CHAR") {
      if (upper != "STRING") {  // VARCHAR(n) / CHAR(n) are strings in Delta
        if (!Consume('(')) return Error(upper + " needs a length");
        SILT_ASSIGN_OR_RETURN(int64_t length, Integer());
        (void)length;
        if (!Consume(')')) return Error("expected ')'");
      }
      return col::String();
    }
    if (upper == "BINARY") return col::Binary();
    if (upper == "DATE") return col::Date();
    if (upper == "TIMESTAMP" || upper == "TIMESTAMP_LTZ") return col::Timestamp();
    if (upper == "TIMESTAMP_NTZ") return col::TimestampNtz();
    if (upper == "DECIMAL" || upper == "DEC" || upper == "NUMERIC") {
      int64_t precision = 10;
      int64_t scale = 0;
      if (Consume('(')) {
        SILT_ASSIGN_OR_RETURN(precision, Integer());
        if (Consume(',')) {
          SILT_ASSIGN_OR_RETURN(scale, Integer());
        }
        if (!Consume(')')) return Error("expected ')'");
      }
      Result<col::TypePtr> decimal =
          col::MakeDecimal(static_cast<int32_t>(precision), static_cast<int32_t>(scale));
      if (!decimal.ok()) return Error(decimal.error().message());
      return decimal;
    }
    if (upper == "ARRAY") {
      if (!Consume('<')) return Error("expected '<' after ARRAY");
      SILT_ASSIGN_OR_RETURN(col::TypePtr element, ParseType());
      if (!Consume('>')) return Error("expected '>'");
      return col::List(std::move(element));
    }
    if (upper == "MAP") {
      if (!Consume('<')) return Error("expected '<' after MAP");
      SILT_ASSIGN_OR_RETURN(col::TypePtr key, ParseType());
      if (!Consume(',')) return Error("expected ',' between the key and value types");
      SILT_ASSIGN_OR_RETURN(col::TypePtr value, ParseType());
      if (!Consume('>')) return Error("expected '>'");
      return col::Map(std::move(key), std::move(value));
    }
    if (upper == "STRUCT") {
      if (!Consume('<')) return Error("expected '<' after STRUCT");
      std::vector<col::Field> fields;
      if (!Consume('>')) {
        do {
          SILT_ASSIGN_OR_RETURN(col::Field field, ParseField(/*nested=*/true));
          fields.push_back(std::move(field));
        } while (Consume(','));
        if (!Consume('>')) return Error("expected ',' or '>'");
      }
      return col::Struct(std::move(fields));
    }
    if (word.empty()) return Error("expected a type");
    return Status::InvalidArgument("schema: unknown type '{}' at offset {}", word,
                                   pos_ - word.size());
  }

  Result<int64_t> Integer() {
    std::string word = Word();
    if (word.empty() || word.find_first_not_of("0123456789") != std::string::npos ||
        word.size() > 9) {
      return Error("expected a number");
    }
    return std::stoll(word);
  }

  std::string Word() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  bool ConsumeWord(std::string_view keyword) {
    size_t save = pos_;
    std::string word = Word();
    bool match = word.size() == keyword.size();
    for (size_t i = 0; match && i < word.size(); ++i) {
      match = std::toupper(static_cast<unsigned char>(word[i])) == keyword[i];
    }
    if (!match) pos_ = save;
    return match;
  }

  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  Status Error(std::string_view what) const {
    return Status::InvalidArgument("schema: {} at offset {} of '{}'", what, pos_, text_);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Result<col::SchemaPtr> ParseSchemaArgument(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\n");
  if (first != std::string::npos && text[first] == '{') {
    Result<col::SchemaPtr> schema = delta::ParseSchemaString(text);
    if (!schema.ok()) {
      return Status::InvalidArgument("--schema is not a Delta JSON schema: {}",
                                     schema.error().message());
    }
    return schema;
  }
  return DdlParser(text).ParseSchema();
}

std::string ProtocolText(const delta::Protocol& p) {
  std::string out = fmt::format("reader {}, writer {}", p.min_reader_version, p.min_writer_version);
  if (p.reader_features.has_value()) {
    out += fmt::format("; reader features: {}", fmt::join(*p.reader_features, ", "));
  }
  if (p.writer_features.has_value()) {
    out += fmt::format("; writer features: {}", fmt::join(*p.writer_features, ", "));
  }
  return out;
}

struct CreateArgs {
  std::string table;
  std::string schema;
  std::vector<std::string> partition_by;
  std::vector<std::string> properties;
  std::string name;
  std::string description;
};

Status CreateTable(const CreateArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  delta::NewTableOptions options;
  SILT_ASSIGN_OR_RETURN(options.schema, ParseSchemaArgument(args.schema));
  options.partition_columns = args.partition_by;
  for (const std::string& p : args.properties) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--property '{}' is not KEY=VALUE", p);
    }
    options.properties[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (!args.name.empty()) options.name = args.name;
  if (!args.description.empty()) options.description = args.description;

  SILT_ASSIGN_OR_RETURN(auto txn, delta::Transaction::Begin(*fs, args.table));
  if (txn->read_snapshot() != nullptr) {
    return Status::AlreadyExists("table '{}' already exists (version {})", args.table,
                                 txn->read_version());
  }
  SILT_ASSIGN_OR_RETURN(auto actions, delta::NewTableActions(options, txn->NowMillis()));
  std::string protocol = ProtocolText(actions.first);
  std::string id = actions.second.id;
  txn->SetProtocol(std::move(actions.first));
  txn->SetMetadata(std::move(actions.second));
  std::string partition_json = "[";
  for (size_t i = 0; i < options.partition_columns.size(); ++i) {
    partition_json += fmt::format("{}\"{}\"", i == 0 ? "" : ",", options.partition_columns[i]);
  }
  partition_json += "]";
  json::Writer quoted;  // Spark writes partitionBy as a string holding a JSON array
  quoted.String(partition_json);
  txn->SetOperation("CREATE TABLE",
                    {{"isManaged", "\"false\""}, {"partitionBy", quoted.Release()}});
  SILT_ASSIGN_OR_RETURN(delta::CommitResult r, txn->Commit());
  std::printf("created table %s (id %s) at version %lld\nprotocol: %s\n", args.table.c_str(),
              id.c_str(), static_cast<long long>(r.version), protocol.c_str());
  return Status::OK();
}

// --- Input files for `silt append`.

// Rows per batch handed to the writer.
constexpr size_t kRowsPerBatch = 8192;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A type inferred from JSON values: null (unknown yet), primitives, lists and structs.
struct Sketch {
  enum Kind { kNull, kBool, kLong, kDouble, kString, kList, kStruct } kind = kNull;
  std::shared_ptr<Sketch> element;
  std::vector<std::pair<std::string, Sketch>> fields;
};

Status MergeValue(Sketch& into, const json::Value& v, const std::string& path) {
  Sketch::Kind kind = Sketch::kNull;
  switch (v.type()) {
    case json::Type::kNull:
      return Status::OK();
    case json::Type::kBool:
      kind = Sketch::kBool;
      break;
    case json::Type::kInt:
      kind = Sketch::kLong;
      break;
    case json::Type::kDouble:
      kind = Sketch::kDouble;
      break;
    case json::Type::kString:
      kind = Sketch::kString;
      break;
    case json::Type::kArray:
      kind = Sketch::kList;
      break;
    case json::Type::kObject:
      kind = Sketch::kStruct;
      break;
  }
  if (into.kind == Sketch::kNull) {
    into.kind = kind;
  } else if (into.kind != kind) {
    bool numbers = (into.kind == Sketch::kLong || into.kind == Sketch::kDouble) &&
                   (kind == Sketch::kLong || kind == Sketch::kDouble);
    bool nested = into.kind == Sketch::kList || into.kind == Sketch::kStruct ||
                  kind == Sketch::kList || kind == Sketch::kStruct;
    if (nested) {
      return Status::InvalidArgument(
          "input: '{}' holds values of different kinds; create the "
          "table first (silt create) to give its type",
          path);
    }
    into.kind = numbers ? Sketch::kDouble : Sketch::kString;
    return Status::OK();
  }
  if (kind == Sketch::kList) {
    if (into.element == nullptr) into.element = std::make_shared<Sketch>();
    return v.ForEachElement(
        [&](size_t, const json::Value& e) { return MergeValue(*into.element, e, path + "[]"); });
  }
  if (kind == Sketch::kStruct) {
    SILT_ASSIGN_OR_RETURN(json::Object object, v.AsObject());
    return object.ForEachField([&](std::string_view key, const json::Value& e) {
      for (auto& [name, sketch] : into.fields) {
        if (name == key) return MergeValue(sketch, e, path + "." + name);
      }
      into.fields.emplace_back(std::string(key), Sketch());
      return MergeValue(into.fields.back().second, e, path + "." + std::string(key));
    });
  }
  return Status::OK();
}

col::TypePtr SketchType(const Sketch& s) {
  switch (s.kind) {
    case Sketch::kBool:
      return col::Boolean();
    case Sketch::kLong:
      return col::Int64();
    case Sketch::kDouble:
      return col::Float64();
    case Sketch::kList:
      return col::List(s.element != nullptr ? SketchType(*s.element) : col::String());
    case Sketch::kStruct: {
      std::vector<col::Field> fields;
      for (const auto& [name, sketch] : s.fields) fields.emplace_back(name, SketchType(sketch));
      return col::Struct(std::move(fields));
    }
    default:
      return col::String();  // strings, and columns that were always null
  }
}

// The table's schema when it exists (for reading input in its types).
Result<col::SchemaPtr> ExistingSchema(fs::FileSystem& fs, const std::string& table) {
  delta::SnapshotOptions options;
  options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  Result<std::shared_ptr<const delta::Snapshot>> snapshot =
      delta::Snapshot::Load(fs, table, options);
  if (snapshot.ok()) return (*snapshot)->schema();
  if (snapshot.error().IsNotFound()) return col::SchemaPtr();
  return snapshot.error();
}

// Batches of rows given as JSON object texts.
Result<std::vector<col::RecordBatchPtr>> BatchesFromJsonRows(const col::SchemaPtr& schema,
                                                             const std::vector<std::string>& rows) {
  std::vector<col::RecordBatchPtr> batches;
  for (size_t start = 0; start < rows.size(); start += kRowsPerBatch) {
    std::string json = "[";
    for (size_t i = start; i < rows.size() && i < start + kRowsPerBatch; ++i) {
      if (i > start) json += ",";
      json += rows[i];
    }
    json += "]";
    Result<col::RecordBatchPtr> batch = col::RecordBatchFromJson(schema, json);
    if (!batch.ok()) {
      return Status::InvalidArgument("input rows {}..: {}", start + 1, batch.error().message());
    }
    batches.push_back(std::move(*batch));
  }
  return batches;
}

Result<delta::WriteInput> JsonLinesInput(const std::string& content, col::SchemaPtr schema) {
  std::vector<std::string> rows;
  json::Parser parser;
  Sketch sketch;
  sketch.kind = Sketch::kStruct;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Result<json::Value> value = parser.Parse(line);
    if (!value.ok() || value->type() != json::Type::kObject) {
      return Status::InvalidArgument("input line {}: not a JSON object", line_number);
    }
    if (schema == nullptr) {
      SILT_RETURN_NOT_OK(
          MergeValue(sketch, *value, "").WithContext(fmt::format("input line {}", line_number)));
    }
    rows.emplace_back(line);
  }
  if (schema == nullptr) {
    if (sketch.fields.empty()) return Status::InvalidArgument("input: no rows to infer a schema");
    schema = col::Schema::FromStruct(*SketchType(sketch));
  }
  SILT_ASSIGN_OR_RETURN(auto batches, BatchesFromJsonRows(schema, rows));
  return delta::WriteInput::FromBatches(schema, std::move(batches));
}

// RFC 4180 records: quoted fields may hold commas, newlines and doubled quotes.
Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& content) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (size_t i = 0; i < content.size(); ++i) {
    char c = content[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < content.size() && content[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
      if (field_started || !field.empty() || !record.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
      }
      record.clear();
      field.clear();
      field_started = false;
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (quoted) return Status::InvalidArgument("input: unterminated quoted CSV field");
  if (field_started || !field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

bool IsJsonNumber(const std::string& s, bool integer_only) {
  json::Parser parser;
  Result<json::Value> v = parser.Parse(s);
  if (!v.ok()) return false;
  return v->type() == json::Type::kInt || (!integer_only && v->type() == json::Type::kDouble);
}

Result<delta::WriteInput> CsvInput(const std::string& content, const col::SchemaPtr& table) {
  SILT_ASSIGN_OR_RETURN(auto records, ParseCsv(content));
  if (records.empty()) return Status::InvalidArgument("input: the CSV file has no header");
  const std::vector<std::string>& header = records[0];
  std::vector<col::Field> fields;
  for (size_t c = 0; c < header.size(); ++c) {
    const col::Field* existing = nullptr;
    if (table != nullptr) {
      for (const col::Field& f : table->fields()) {
        if (Lower(f.name()) == Lower(header[c])) existing = &f;
      }
      if (existing == nullptr) {
        return Status::InvalidArgument("input: CSV column '{}' is not in the table", header[c]);
      }
      fields.push_back(existing->WithNullable(true));
      continue;
    }
    // Inference: long, else double, else boolean, else string; empty cells are nulls.
    bool all_long = true, all_number = true, all_bool = true, any = false;
    for (size_t r = 1; r < records.size(); ++r) {
      if (c >= records[r].size() || records[r][c].empty()) continue;
      const std::string& cell = records[r][c];
      any = true;
      all_long = all_long && IsJsonNumber(cell, true);
      all_number = all_number && IsJsonNumber(cell, false);
      std::string lower = Lower(cell);
      all_bool = all_bool && (lower == "true" || lower == "false");
    }
    col::TypePtr type = !any         ? col::String()
                        : all_long   ? col::Int64()
                        : all_number ? col::Float64()
                        : all_bool   ? col::Boolean()
                                     : col::String();
    fields.emplace_back(header[c], type);
  }
  col::SchemaPtr schema = col::Schema::Make(fields);
  std::vector<std::string> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != header.size()) {
      return Status::InvalidArgument("input: CSV record {} has {} fields, the header {}", r + 1,
                                     records[r].size(), header.size());
    }
    json::Writer w;
    w.BeginObject();
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = records[r][c];
      w.Key(fields[c].name());
      col::TypeId id = fields[c].type()->id();
      bool raw = id == col::TypeId::kInt8 || id == col::TypeId::kInt16 ||
                 id == col::TypeId::kInt32 || id == col::TypeId::kInt64 ||
                 id == col::TypeId::kFloat32 || id == col::TypeId::kFloat64;
      if (cell.empty()) {  // as Spark's CSV reader: an empty field is null
        w.Null();
      } else if (id == col::TypeId::kBoolean) {
        std::string lower = Lower(cell);
        if (lower != "true" && lower != "false") {
          return Status::InvalidArgument(
              "input: CSV record {} column '{}': '{}' is not a "
              "boolean",
              r + 1, header[c], cell);
        }
        w.Bool(lower == "true");
      } else if (raw) {
        if (!IsJsonNumber(cell, false)) {
          return Status::InvalidArgument("input: CSV record {} column '{}': '{}' is not a number",
                                         r + 1, header[c], cell);
        }
        w.RawJson(cell);
      } else {
        w.String(cell);
      }
    }
    w.EndObject();
    rows.push_back(w.Release());
  }
  SILT_ASSIGN_OR_RETURN(auto batches, BatchesFromJsonRows(schema, rows));
  return delta::WriteInput::FromBatches(schema, std::move(batches));
}

struct AppendArgs {
  std::string table;
  std::string file;
  std::string format;
  std::vector<std::string> partition_by;
  std::vector<std::string> properties;
};

Status AppendToTable(const AppendArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  SILT_ASSIGN_OR_RETURN(auto input_fs, fs::FileSystemFromUri(args.file));
  std::string format = Lower(args.format);
  if (format.empty()) {
    std::string lower = Lower(args.file);
    if (lower.ends_with(".parquet")) {
      format = "parquet";
    } else if (lower.ends_with(".csv")) {
      format = "csv";
    } else if (lower.ends_with(".json") || lower.ends_with(".jsonl") ||
               lower.ends_with(".ndjson")) {
      format = "jsonl";
    } else {
      return Status::InvalidArgument(
          "cannot tell the format of '{}' from its name; give --format jsonl, csv or parquet",
          args.file);
    }
  }
  delta::WriteInput input;
  std::unique_ptr<parquet::FileReader> reader;
  if (format == "parquet") {
    SILT_ASSIGN_OR_RETURN(reader, parquet::FileReader::Open(*input_fs, args.file));
    input.schema = reader->output_schema();
    parquet::FileReader* r = reader.get();
    input.next = [r] { return r->Next(); };
  } else if (format == "jsonl" || format == "csv") {
    SILT_ASSIGN_OR_RETURN(std::string content, input_fs->ReadFile(args.file));
    SILT_ASSIGN_OR_RETURN(col::SchemaPtr table_schema, ExistingSchema(*fs, args.table));
    if (format == "csv") {
      SILT_ASSIGN_OR_RETURN(input, CsvInput(content, table_schema));
    } else {
      SILT_ASSIGN_OR_RETURN(input, JsonLinesInput(content, table_schema));
    }
  } else {
    return Status::InvalidArgument("--format '{}' is not one of jsonl, csv, parquet", args.format);
  }
  delta::WriteOptions options;
  options.partition_by = args.partition_by;
  for (const std::string& p : args.properties) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--property '{}' is not KEY=VALUE", p);
    }
    options.table_properties[p.substr(0, eq)] = p.substr(eq + 1);
  }
  SILT_ASSIGN_OR_RETURN(delta::WriteResult r,
                        delta::WriteToTable(*fs, args.table, std::move(input), options));
  std::printf("%sappended %lld rows in %lld files at version %lld\n",
              r.created_table ? "created the table and " : "",
              static_cast<long long>(r.num_output_rows), static_cast<long long>(r.num_files),
              static_cast<long long>(r.commit.version));
  return Status::OK();
}

struct DeleteArgs {
  std::string table;
  std::string where;
};

Status DeleteRows(const DeleteArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  SILT_ASSIGN_OR_RETURN(expr::ExprPtr predicate, expr::Parse(args.where));
  SILT_ASSIGN_OR_RETURN(delta::DeleteResult r, delta::DeleteFromTable(*fs, args.table, predicate));
  std::printf(
      "deleted %lld rows at version %lld (files removed %lld, added %lld, deletion vectors "
      "%lld, rows copied %lld)\n",
      static_cast<long long>(r.num_deleted_rows), static_cast<long long>(r.commit.version),
      static_cast<long long>(r.num_removed_files), static_cast<long long>(r.num_added_files),
      static_cast<long long>(r.num_deletion_vectors_added),
      static_cast<long long>(r.num_copied_rows));
  return Status::OK();
}

}  // namespace

void RegisterDeltaWriteCommands(CLI::App& app) {
  static CreateArgs create;
  CLI::App* c = AddCommand(app, "create",
                           "Create a Delta table (the lowest protocol its properties and schema "
                           "need)",
                           [] { return CreateTable(create); });
  c->add_option("TABLE", create.table, "Table path or URI")->required();
  c->add_option("--schema", create.schema,
                "Delta JSON schema, or Spark DDL: \"id BIGINT NOT NULL, name STRING\"")
      ->required();
  c->add_option("--partition-by", create.partition_by, "Partition columns, comma-separated")
      ->delimiter(',');
  c->add_option("--property", create.properties,
                "Table property KEY=VALUE (repeatable), e.g. delta.enableDeletionVectors=true");
  c->add_option("--name", create.name, "Table name (metaData.name)");
  c->add_option("--description", create.description, "Table description");

  static AppendArgs append;
  CLI::App* a = AddCommand(app, "append",
                           "Append the rows of a JSON-lines, CSV or Parquet file to a Delta "
                           "table (created from the file's schema when there is none)",
                           [] { return AppendToTable(append); });
  a->add_option("TABLE", append.table, "Table path or URI")->required();
  a->add_option("FILE", append.file, "Input file: .jsonl/.json, .csv (with a header) or .parquet")
      ->required();
  a->add_option("--format", append.format, "jsonl, csv or parquet (default: from FILE's name)");
  a->add_option("--partition-by", append.partition_by,
                "Partition columns of a new table (must match an existing table's)")
      ->delimiter(',');
  a->add_option("--property", append.properties, "Table property KEY=VALUE for a new table");

  static DeleteArgs remove;
  CLI::App* d = AddCommand(app, "delete", "Delete the rows of a Delta table matching a predicate",
                           [] { return DeleteRows(remove); });
  d->add_option("TABLE", remove.table, "Table path or URI")->required();
  d->add_option(
       "--where", remove.where,
       "Rows to delete, in Spark SQL syntax (e.g. \"day < '2024-01-01'\"; \"true\" for all)")
      ->required();
}

}  // namespace silt::cli
