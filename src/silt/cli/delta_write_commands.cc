// `silt create`: a new Delta table from a schema (Delta's JSON schema or a Spark DDL column
// list), partition columns and table properties.
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/base/time.h"
#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/schema.h"
#include "silt/delta/commit/table_creation.h"
#include "silt/delta/commit/transaction.h"
#include "silt/delta/table/schema.h"
#include "silt/fs/file_system_registry.h"
#include "silt/json/json_writer.h"

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
    for (char c : word) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
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
  txn->SetOperation("CREATE TABLE", {{"isManaged", "\"false\""}, {"partitionBy", quoted.Release()}});
  SILT_ASSIGN_OR_RETURN(delta::CommitResult r, txn->Commit());
  std::printf("created table %s (id %s) at version %lld\nprotocol: %s\n", args.table.c_str(),
              id.c_str(), static_cast<long long>(r.version), protocol.c_str());
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
}

}  // namespace silt::cli
