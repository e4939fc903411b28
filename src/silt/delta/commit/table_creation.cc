#include "silt/delta/commit/table_creation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "silt/base/strings.h"
#include "silt/base/uuid.h"
#include "silt/delta/commit/protocol_support.h"
#include "silt/delta/table/column_mapping_keys.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"
#include "silt/delta/write/stats.h"
#include "silt/expr/expr.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

constexpr std::string_view kFeaturePrefix = "delta.feature.";
constexpr std::string_view kConstraintPrefix = "delta.constraints.";
constexpr std::string_view kMinReaderVersionProperty = "delta.minReaderVersion";
constexpr std::string_view kMinWriterVersionProperty = "delta.minWriterVersion";
constexpr std::string_view kInvalidNameChars = " ,;{}()\n\t=";

enum class Kind { kBool, kInterval, kPositiveInt, kNumIndexedCols, kEnum, kAny };

struct KnownProperty {
  std::string_view key;
  Kind kind;
  std::string_view choices = {};  // kEnum: '|'-separated, matched case-insensitively
};

constexpr std::array<KnownProperty, 27> kKnownProperties{{
    {"delta.appendOnly", Kind::kBool},
    {"delta.enableChangeDataFeed", Kind::kBool},
    {"delta.enableDeletionVectors", Kind::kBool},
    {"delta.enableInCommitTimestamps", Kind::kBool},
    {"delta.enableRowTracking", Kind::kBool},
    {"delta.rowTrackingSuspended", Kind::kBool},
    {"delta.enableTypeWidening", Kind::kBool},
    {"delta.enableExpiredLogCleanup", Kind::kBool},
    {"delta.checkpoint.writeStatsAsJson", Kind::kBool},
    {"delta.checkpoint.writeStatsAsStruct", Kind::kBool},
    {"delta.enableIcebergCompatV1", Kind::kBool},
    {"delta.enableIcebergCompatV2", Kind::kBool},
    {"delta.randomizeFilePrefixes", Kind::kBool},
    {"delta.logRetentionDuration", Kind::kInterval},
    {"delta.deletedFileRetentionDuration", Kind::kInterval},
    {"delta.setTransactionRetentionDuration", Kind::kInterval},
    {"delta.checkpointRetentionDuration", Kind::kInterval},
    {"delta.checkpointInterval", Kind::kPositiveInt},
    {"delta.randomPrefixLength", Kind::kPositiveInt},
    {"delta.dataSkippingNumIndexedCols", Kind::kNumIndexedCols},
    {"delta.columnMapping.mode", Kind::kEnum, "none|name|id"},
    {"delta.checkpointPolicy", Kind::kEnum, "classic|v2"},
    {"delta.isolationLevel", Kind::kEnum, "Serializable|WriteSerializable"},
    {"delta.parquet.compression.codec", Kind::kEnum,
     "uncompressed|none|snappy|gzip|lz4|lz4_raw|zstd"},
    {"delta.dataSkippingStatsColumns", Kind::kAny},
    {"delta.universalFormat.enabledFormats", Kind::kAny},
    {"delta.parquet.format.version", Kind::kAny},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t out = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return out;
}

Status ValidateValue(const KnownProperty& p, std::string_view value) {
  auto bad = [&](std::string_view expected) {
    return Status::InvalidArgument("table property {}='{}' is not {}", p.key, value, expected);
  };
  switch (p.kind) {
    case Kind::kBool: {
      std::string v = Lower(value);
      if (v != "true" && v != "false") return bad("true or false");
      return Status::OK();
    }
    case Kind::kInterval: {
      Result<int64_t> ms = ParseIntervalMillis(value);
      if (!ms.ok()) return bad("an interval such as 'interval 7 days'");
      return Status::OK();
    }
    case Kind::kPositiveInt: {
      std::optional<int64_t> v = ParseInt(value);
      if (!v.has_value() || *v <= 0) return bad("a positive integer");
      return Status::OK();
    }
    case Kind::kNumIndexedCols: {
      std::optional<int64_t> v = ParseInt(value);
      if (!v.has_value() || *v < -1) return bad("an integer >= -1");
      return Status::OK();
    }
    case Kind::kEnum: {
      std::string_view choices = p.choices;
      while (!choices.empty()) {
        size_t bar = choices.find('|');
        std::string_view choice = choices.substr(0, bar);
        if (EqualsIgnoreAsciiCase(choice, value)) return Status::OK();
        choices = bar == std::string_view::npos ? std::string_view() : choices.substr(bar + 1);
      }
      std::string expected(p.choices);
      std::replace(expected.begin(), expected.end(), '|', ',');
      return bad("one of " + expected);
    }
    case Kind::kAny:
      return Status::OK();
  }
  return Status::OK();
}

// Every table-feature name silt knows (delta.feature.<name> must be one of them).
bool IsKnownFeature(std::string_view name) {
  static const std::set<std::string, std::less<>> kKnown{
      std::string(feature::kAppendOnly),
      std::string(feature::kInvariants),
      std::string(feature::kCheckConstraints),
      std::string(feature::kChangeDataFeed),
      std::string(feature::kGeneratedColumns),
      std::string(feature::kColumnMapping),
      std::string(feature::kIdentityColumns),
      std::string(feature::kDeletionVectors),
      std::string(feature::kRowTracking),
      std::string(feature::kTimestampNtz),
      std::string(feature::kDomainMetadata),
      std::string(feature::kV2Checkpoint),
      std::string(feature::kIcebergCompatV1),
      std::string(feature::kIcebergCompatV2),
      std::string(feature::kClustering),
      std::string(feature::kVacuumProtocolCheck),
      std::string(feature::kInCommitTimestamp),
      std::string(feature::kTypeWidening),
      std::string(feature::kTypeWideningPreview),
      std::string(feature::kVariantType),
      std::string(feature::kVariantTypePreview),
      std::string(feature::kCatalogManaged),
      std::string(feature::kCatalogOwnedPreview),
      std::string("allowColumnDefaults"),
      std::string("variantShredding"),
      std::string("variantShredding-preview"),
      std::string("timestampWithoutTimezone"),
  };
  return kKnown.contains(name);
}

// Column names: no duplicates per struct (case-insensitive); without column mapping none of
// the characters Parquet column names may not hold in Spark.
Status ValidateFields(const std::vector<col::Field>& fields, bool column_mapping,
                      const std::string& parent);

Status ValidateType(const col::DataType& type, bool column_mapping, const std::string& path) {
  switch (type.id()) {
    case col::TypeId::kStruct:
      return ValidateFields(col::AsStruct(type).fields(), column_mapping, path);
    case col::TypeId::kList:
      return ValidateType(*col::AsList(type).element_type(), column_mapping, path + ".element");
    case col::TypeId::kMap:
      SILT_RETURN_NOT_OK(ValidateType(*col::AsMap(type).key_type(), column_mapping, path + ".key"));
      return ValidateType(*col::AsMap(type).value_type(), column_mapping, path + ".value");
    default:
      return Status::OK();
  }
}

Status ValidateFields(const std::vector<col::Field>& fields, bool column_mapping,
                      const std::string& parent) {
  std::set<std::string> seen;
  for (const col::Field& f : fields) {
    std::string path = parent.empty() ? f.name() : parent + "." + f.name();
    if (f.name().empty()) return Status::InvalidArgument("schema has a column with no name");
    if (!seen.insert(Lower(f.name())).second) {
      return Status::InvalidArgument(
          "schema has the column '{}' twice (names are case-insensitive)", path);
    }
    if (!column_mapping && f.name().find_first_of(kInvalidNameChars) != std::string::npos) {
      return Status::InvalidArgument(
          "column name '{}' holds one of the characters ' ,;{{}}()\\n\\t=', which need column "
          "mapping (delta.columnMapping.mode=name)",
          path);
    }
    SILT_RETURN_NOT_OK(ValidateType(*f.type(), column_mapping, path));
  }
  return Status::OK();
}

// Column mapping assignment, depth-first.
col::TypePtr MapType(const col::TypePtr& type, int64_t& next_id);

std::vector<col::Field> MapFields(const std::vector<col::Field>& fields, int64_t& next_id) {
  std::vector<col::Field> out;
  out.reserve(fields.size());
  for (const col::Field& f : fields) {
    col::KeyValueMetadata metadata = f.metadata();
    metadata.Set(std::string(column_mapping_key::kId), std::to_string(next_id++));
    metadata.Set(std::string(column_mapping_key::kPhysicalName), "\"col-" + NewUuid() + "\"");
    col::TypePtr type = MapType(f.type(), next_id);
    out.push_back(col::Field(f.name(), std::move(type), f.nullable(), std::move(metadata)));
  }
  return out;
}

col::TypePtr MapType(const col::TypePtr& type, int64_t& next_id) {
  switch (type->id()) {
    case col::TypeId::kStruct:
      return col::Struct(MapFields(col::AsStruct(*type).fields(), next_id));
    case col::TypeId::kList: {
      const col::ListType& list = col::AsList(*type);
      return col::List(MapType(list.element_type(), next_id), list.contains_null());
    }
    case col::TypeId::kMap: {
      const col::MapType& map = col::AsMap(*type);
      col::TypePtr key = MapType(map.key_type(), next_id);
      col::TypePtr value = MapType(map.value_type(), next_id);
      return col::Map(std::move(key), std::move(value), map.value_contains_null());
    }
    default:
      return type;
  }
}

}  // namespace

std::pair<col::SchemaPtr, int64_t> AssignColumnMapping(const col::Schema& schema,
                                                       int64_t first_id) {
  int64_t next_id = first_id;
  std::vector<col::Field> fields = MapFields(schema.fields(), next_id);
  return {col::Schema::Make(std::move(fields), schema.metadata()), next_id - 1};
}

Protocol MinimalProtocol(const std::vector<std::string>& features, bool explicit_features,
                         int32_t min_reader_version, int32_t min_writer_version) {
  bool legacy = !explicit_features && min_writer_version < 7 && min_reader_version < 3;
  int32_t implied_writer = 0;
  for (const std::string& f : features) {
    int32_t v = LegacyWriterVersionOf(f);
    if (v == 0) legacy = false;
    implied_writer = std::max(implied_writer, v);
  }
  bool column_mapping =
      std::find(features.begin(), features.end(), feature::kColumnMapping) != features.end();
  Protocol p;
  if (legacy) {
    p.min_writer_version =
        std::max(min_writer_version > 0 ? min_writer_version : 2, implied_writer);
    p.min_reader_version =
        std::max(min_reader_version > 0 ? min_reader_version : 1, column_mapping ? 2 : 1);
    if (p.min_reader_version == 2) p.min_writer_version = std::max(p.min_writer_version, 5);
    return p;
  }
  // Table features: every active feature, then what the legacy baseline implied.
  std::vector<std::string> writer = features;
  int32_t baseline = min_writer_version >= 1 && min_writer_version <= 6 ? min_writer_version : 2;
  for (std::string& f : LegacyWriterFeaturesOf(baseline)) {
    if (std::find(writer.begin(), writer.end(), f) == writer.end()) writer.push_back(std::move(f));
  }
  bool reader3 = min_reader_version >= 3;
  bool reader2 = min_reader_version == 2;
  std::vector<std::string> reader;
  for (const std::string& f : writer) {
    if (!IsReaderWriterFeature(f)) continue;
    reader.push_back(f);
    if (f == feature::kColumnMapping) {
      reader2 = true;
    } else {
      reader3 = true;
    }
  }
  p.min_writer_version = 7;
  p.writer_features = std::move(writer);
  if (reader3) {
    p.min_reader_version = 3;
    p.reader_features = std::move(reader);
  } else {
    p.min_reader_version = reader2 ? 2 : 1;
  }
  return p;
}

Result<std::pair<Protocol, Metadata>> NewTableActions(const NewTableOptions& options,
                                                      int64_t now_ms) {
  if (options.schema == nullptr) {
    return Status::InvalidArgument("a new table needs a schema");
  }
  if (options.schema->num_fields() == 0) {
    return Status::InvalidArgument("a new table needs at least one column");
  }

  // Properties: canonical spelling, validation, pseudo-properties consumed.
  StringMap configuration;
  std::vector<std::string> explicit_features;
  int32_t min_reader = 0;
  int32_t min_writer = 0;
  for (const auto& [raw_key, value] : options.properties) {
    std::string key = raw_key;
    std::string lower = Lower(key);
    if (lower.starts_with(kFeaturePrefix)) {
      std::string name = key.substr(kFeaturePrefix.size());
      std::string v = Lower(value);
      if (v != "supported" && v != "enabled") {
        return Status::InvalidArgument("table property {}='{}' is not 'supported'", key, value);
      }
      // Feature names are case-sensitive, but Spark's DDL accepts any case.
      std::string resolved = name;
      if (!IsKnownFeature(resolved)) {
        for (const std::string& known : SupportedWriterFeatures()) {
          if (EqualsIgnoreAsciiCase(known, name)) resolved = known;
        }
      }
      if (!IsKnownFeature(resolved)) {
        return Status::Unsupported("table feature '{}' ({}) is not known to silt", name, key);
      }
      if (std::find(explicit_features.begin(), explicit_features.end(), resolved) ==
          explicit_features.end()) {
        explicit_features.push_back(resolved);
      }
      continue;
    }
    if (lower == Lower(kMinReaderVersionProperty) || lower == Lower(kMinWriterVersionProperty)) {
      bool reader = lower == Lower(kMinReaderVersionProperty);
      std::optional<int64_t> v = ParseInt(value);
      int64_t max = reader ? 3 : 7;
      if (!v.has_value() || *v < 1 || *v > max) {
        return Status::InvalidArgument("table property {}='{}' is not a version from 1 to {}", key,
                                       value, max);
      }
      (reader ? min_reader : min_writer) = static_cast<int32_t>(*v);
      continue;
    }
    if (lower.starts_with(kConstraintPrefix)) {
      key = std::string(kConstraintPrefix) + key.substr(kConstraintPrefix.size());
      Result<expr::ExprPtr> parsed = expr::Parse(value);
      if (!parsed.ok()) {
        return Status::InvalidArgument("CHECK constraint {}='{}' does not parse: {}", key, value,
                                       parsed.error().message());
      }
    } else if (lower == Lower(column_mapping_key::kMaxColumnIdProperty)) {
      continue;  // assigned below
    } else if (lower.starts_with("delta.")) {
      for (const KnownProperty& p : kKnownProperties) {
        if (lower == Lower(p.key)) {
          key = std::string(p.key);
          SILT_RETURN_NOT_OK(ValidateValue(p, value));
          break;
        }
      }
    }
    if (!configuration.emplace(key, value).second) {
      return Status::InvalidArgument("table property '{}' is given twice", key);
    }
  }
  auto mode_it = configuration.find(std::string(property::kColumnMappingMode));
  bool column_mapping = mode_it != configuration.end() && Lower(mode_it->second) != "none";
  if (mode_it != configuration.end()) mode_it->second = Lower(mode_it->second);

  SILT_RETURN_NOT_OK(ValidateFields(options.schema->fields(), column_mapping, ""));

  // Partition columns.
  std::vector<std::string> partition_columns;
  for (const std::string& name : options.partition_columns) {
    int index = options.schema->GetFieldIndex(name);
    if (index < 0) {
      Result<int> ci = options.schema->FindFieldIndex(name, /*case_sensitive=*/false);
      if (ci.ok()) index = *ci;
    }
    if (index < 0) {
      return Status::InvalidArgument(
          "partition column '{}' is not a top-level column of the schema", name);
    }
    const col::Field& field = options.schema->field(index);
    if (field.type()->is_nested()) {
      return Status::InvalidArgument(
          "partition column '{}' has type {}, which cannot be a "
          "partition column (only primitive types can)",
          name, field.type()->ToString());
    }
    if (std::find(partition_columns.begin(), partition_columns.end(), field.name()) !=
        partition_columns.end()) {
      return Status::InvalidArgument("partition column '{}' is given twice", name);
    }
    partition_columns.push_back(field.name());
  }
  if (!partition_columns.empty() &&
      partition_columns.size() == static_cast<size_t>(options.schema->num_fields())) {
    return Status::InvalidArgument(
        "every column is a partition column; a table needs at least one data column");
  }

  // As Spark, refuse a delta.dataSkippingStatsColumns that names no column or a partition
  // column when the property is set: a typo fails here instead of silently dropping stats.
  SILT_RETURN_NOT_OK(ValidateStatsColumns(*options.schema, partition_columns, configuration));

  col::SchemaPtr schema = options.schema;
  if (column_mapping) {
    auto [mapped, max_id] = AssignColumnMapping(*schema);
    schema = std::move(mapped);
    configuration[std::string(column_mapping_key::kMaxColumnIdProperty)] = std::to_string(max_id);
  }

  Metadata metadata;
  metadata.id = NewUuid();
  metadata.name = options.name;
  metadata.description = options.description;
  metadata.schema_string = SchemaToJson(*schema);
  metadata.partition_columns = std::move(partition_columns);
  metadata.configuration = std::move(configuration);
  metadata.created_time = now_ms;

  SILT_ASSIGN_OR_RETURN(std::vector<std::string> features, ActiveTableFeatures(metadata, *schema));
  for (const std::string& f : explicit_features) {
    if (std::find(features.begin(), features.end(), f) == features.end()) features.push_back(f);
  }
  Protocol protocol = MinimalProtocol(features, !explicit_features.empty(), min_reader, min_writer);
  SILT_RETURN_NOT_OK(ValidateProtocol(protocol));
  Status writable = CheckWriteSupported(protocol);
  if (!writable.ok()) return writable.WithContext("cannot create the table");
  SILT_RETURN_NOT_OK(CheckProtocolCovers(protocol, metadata, *schema));
  return std::make_pair(std::move(protocol), std::move(metadata));
}

}  // namespace silt::delta
