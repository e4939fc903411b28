// `silt parquet schema|meta FILE`: what people reach for parquet-tools to do.
#include <cstdio>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/fs/file_system_registry.h"
#include "silt/columnar/pretty.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/schema.h"

namespace silt::cli {
namespace {

struct OpenedFile {
  std::shared_ptr<fs::FileSystem> fs;
  parquet::FileMetaData metadata;
  int64_t size = 0;
};

Result<OpenedFile> OpenParquet(const std::string& uri) {
  OpenedFile f;
  SILT_ASSIGN_OR_RETURN(f.fs, fs::FileSystemFromUri(uri));
  SILT_ASSIGN_OR_RETURN(auto file, f.fs->OpenRandomAccess(uri));
  f.size = file->size();
  SILT_ASSIGN_OR_RETURN(f.metadata, parquet::ReadFileMetaData(*file));
  return f;
}

std::string LogicalTypeText(const parquet::LogicalType& t) {
  using Kind = parquet::LogicalType::Kind;
  auto unit = [&] {
    switch (t.unit) {
      case parquet::TimeUnit::kMillis: return "MILLIS";
      case parquet::TimeUnit::kMicros: return "MICROS";
      case parquet::TimeUnit::kNanos: return "NANOS";
    }
    return "?";
  };
  switch (t.kind) {
    case Kind::kString: return "STRING";
    case Kind::kMap: return "MAP";
    case Kind::kList: return "LIST";
    case Kind::kEnum: return "ENUM";
    case Kind::kDecimal: return fmt::format("DECIMAL({},{})", t.precision, t.scale);
    case Kind::kDate: return "DATE";
    case Kind::kTime: return fmt::format("TIME({},{})", unit(), t.is_adjusted_to_utc);
    case Kind::kTimestamp: return fmt::format("TIMESTAMP({},{})", unit(), t.is_adjusted_to_utc);
    case Kind::kInteger: return fmt::format("INTEGER({},{})", t.bit_width, t.is_signed);
    case Kind::kUnknown: return "UNKNOWN";
    case Kind::kJson: return "JSON";
    case Kind::kBson: return "BSON";
    case Kind::kUuid: return "UUID";
    case Kind::kFloat16: return "FLOAT16";
    case Kind::kVariant: return "VARIANT";
    case Kind::kGeometry: return "GEOMETRY";
    case Kind::kGeography: return "GEOGRAPHY";
    default: return "UNRECOGNIZED";
  }
}

std::string Repetition(const parquet::SchemaElement& e) {
  if (!e.repetition_type) return "";
  switch (*e.repetition_type) {
    case parquet::FieldRepetitionType::kRequired: return "required ";
    case parquet::FieldRepetitionType::kOptional: return "optional ";
    case parquet::FieldRepetitionType::kRepeated: return "repeated ";
  }
  return "";
}

// Prints the schema tree in the message syntax of the Parquet spec.
Status PrintSchema(const std::string& uri) {
  SILT_ASSIGN_OR_RETURN(OpenedFile f, OpenParquet(uri));
  SILT_ASSIGN_OR_RETURN(auto leaves, parquet::ComputeLeafColumns(f.metadata.schema));
  (void)leaves;  // validates the tree before it is walked below
  const auto& schema = f.metadata.schema;
  std::string out;
  // Stack of remaining children per open group.
  std::vector<int32_t> remaining;
  for (size_t i = 0; i < schema.size(); ++i) {
    const auto& e = schema[i];
    std::string indent(2 * remaining.size(), ' ');
    bool group = e.num_children.has_value() && !e.type.has_value();
    if (i == 0) {
      out += fmt::format("message {} {{\n", e.name);
    } else {
      std::string annotations;
      if (e.logical_type) annotations += " (" + LogicalTypeText(*e.logical_type) + ")";
      else if (e.converted_type)
        annotations += " (" + parquet::ConvertedTypeName(*e.converted_type) + ")";
      if (e.field_id) annotations += fmt::format(" = {}", *e.field_id);
      if (group) {
        out += fmt::format("{}{}group {}{} {{\n", indent, Repetition(e), e.name, annotations);
      } else {
        std::string type = parquet::PhysicalTypeName(*e.type);
        if (e.type_length && *e.type == parquet::PhysicalType::kFixedLenByteArray) {
          type += fmt::format("({})", *e.type_length);
        }
        out += fmt::format("{}{}{} {}{};\n", indent, Repetition(e), type, e.name, annotations);
      }
    }
    if (group || i == 0) {
      remaining.push_back(e.num_children.value_or(0));
    } else if (!remaining.empty()) {
      --remaining.back();
    }
    while (!remaining.empty() && remaining.back() == 0) {
      remaining.pop_back();
      out += std::string(2 * remaining.size(), ' ') + "}\n";
      if (!remaining.empty()) --remaining.back();
    }
  }
  std::fputs(out.c_str(), stdout);
  return Status::OK();
}

std::string Hex(const std::string& bytes, size_t limit = 32) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
    out += fmt::format("{:02x}", static_cast<unsigned char>(bytes[i]));
  }
  if (bytes.size() > limit) out += "...";
  return out;
}

// Statistics bytes decoded by physical type (PLAIN encoding, no length prefix for byte arrays).
std::string FormatStat(parquet::PhysicalType type, const std::string& bytes) {
  auto load = [&](auto zero) {
    decltype(zero) v{};
    std::memcpy(&v, bytes.data(), sizeof(v));
    return v;
  };
  switch (type) {
    case parquet::PhysicalType::kBoolean:
      if (bytes.size() == 1) return bytes[0] ? "true" : "false";
      break;
    case parquet::PhysicalType::kInt32:
      if (bytes.size() == 4) return std::to_string(load(int32_t{}));
      break;
    case parquet::PhysicalType::kInt64:
      if (bytes.size() == 8) return std::to_string(load(int64_t{}));
      break;
    case parquet::PhysicalType::kFloat:
      if (bytes.size() == 4) return fmt::format("{}", load(float{}));
      break;
    case parquet::PhysicalType::kDouble:
      if (bytes.size() == 8) return fmt::format("{}", load(double{}));
      break;
    case parquet::PhysicalType::kByteArray: {
      bool printable = true;
      for (unsigned char c : bytes) printable = printable && c >= 0x20 && c != 0x7f;
      if (printable) return "\"" + bytes + "\"";
      break;
    }
    default: break;
  }
  return "0x" + Hex(bytes);
}

Status PrintMeta(const std::string& uri) {
  SILT_ASSIGN_OR_RETURN(OpenedFile f, OpenParquet(uri));
  const auto& md = f.metadata;
  std::string out = fmt::format(
      "file: {}\nsize: {} bytes\ncreated_by: {}\nversion: {}\nnum_rows: {}\nrow_groups: {}\n",
      uri, f.size, md.created_by.value_or(""), md.version, md.num_rows, md.row_groups.size());
  for (const auto& kv : md.key_value_metadata) {
    std::string value = kv.value.value_or("");
    if (value.size() > 200) value = value.substr(0, 200) + "...";
    out += fmt::format("metadata: {} = {}\n", kv.key, value);
  }
  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    const auto& rg = md.row_groups[g];
    out += fmt::format("row group {}: {} rows, {} bytes\n", g, rg.num_rows, rg.total_byte_size);
    for (const auto& chunk : rg.columns) {
      if (!chunk.meta_data) {
        out += "  (column chunk without metadata)\n";
        continue;
      }
      const auto& cm = *chunk.meta_data;
      std::string path;
      for (const auto& p : cm.path_in_schema) path += (path.empty() ? "" : ".") + p;
      std::string encodings;
      for (auto e : cm.encodings) {
        encodings += (encodings.empty() ? "" : ",") + parquet::EncodingName(e);
      }
      out += fmt::format(
          "  {}: {} {} values={} compressed={} uncompressed={} encodings={}", path,
          parquet::PhysicalTypeName(cm.type), parquet::CompressionCodecName(cm.codec),
          cm.num_values, cm.total_compressed_size, cm.total_uncompressed_size, encodings);
      if (cm.statistics) {
        const auto& s = *cm.statistics;
        if (s.null_count) out += fmt::format(" nulls={}", *s.null_count);
        const auto& min = s.min_value ? s.min_value : s.min;
        const auto& max = s.max_value ? s.max_value : s.max;
        if (min) out += " min=" + FormatStat(cm.type, *min);
        if (max) out += " max=" + FormatStat(cm.type, *max);
      }
      out += "\n";
    }
  }
  std::fputs(out.c_str(), stdout);
  return Status::OK();
}

struct CatArgs {
  std::string file;
  std::vector<std::string> columns;
  std::optional<int64_t> limit;
};

// Rows as JSON lines, read batch by batch (memory bounded by the batch size).
Status Cat(const CatArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.file));
  parquet::ReadOptions options;
  if (!args.columns.empty()) options.columns = parquet::ReadOptions::Names(args.columns);
  if (args.limit) options.batch_size = std::max<int64_t>(1, std::min<int64_t>(*args.limit, 65536));
  SILT_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(*fs, args.file, options));
  int64_t remaining = args.limit.value_or(INT64_MAX);
  while (remaining > 0) {
    SILT_ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    columnar::RecordBatchPtr rows = *batch;
    if (rows->num_rows() > remaining) rows = rows->Slice(0, remaining);
    remaining -= rows->num_rows();
    std::string out = columnar::RecordBatchToJsonLines(*rows);
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return Status::OK();
}

}  // namespace

void RegisterParquetCommands(CLI::App& app) {
  CLI::App* parquet = app.add_subcommand("parquet", "Inspect Parquet files");
  parquet->require_subcommand(1);
  static std::string file;
  AddCommand(*parquet, "schema", "Print the Parquet schema", [] { return PrintSchema(file); })
      ->add_option("FILE", file, "Parquet file (path or URI)")
      ->required();
  AddCommand(*parquet, "meta", "Print row groups, column chunks, encodings, codecs, statistics",
             [] { return PrintMeta(file); })
      ->add_option("FILE", file, "Parquet file (path or URI)")
      ->required();
  static CatArgs cat;
  CLI::App* c = AddCommand(*parquet, "cat", "Print rows as JSON lines", [] { return Cat(cat); });
  c->add_option("FILE", cat.file, "Parquet file (path or URI)")->required();
  c->add_option("--columns", cat.columns, "Top-level columns to print (default: all)")
      ->delimiter(',');
  c->add_option("--limit", cat.limit, "Print at most N rows")->check(CLI::NonNegativeNumber);
}

}  // namespace silt::cli
