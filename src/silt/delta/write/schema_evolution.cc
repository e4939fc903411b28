#include "silt/delta/write/schema_evolution.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "silt/base/strings.h"
#include "silt/base/uuid.h"
#include "silt/columnar/buffer.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/column_mapping_keys.h"
#include "silt/delta/table/field_lookup.h"
#include "silt/delta/table/schema.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

bool IsInteger(col::TypeId id) {
  return id == col::TypeId::kInt8 || id == col::TypeId::kInt16 || id == col::TypeId::kInt32 ||
         id == col::TypeId::kInt64;
}

int IntegerRank(col::TypeId id) {
  switch (id) {
    case col::TypeId::kInt8:
      return 1;
    case col::TypeId::kInt16:
      return 2;
    case col::TypeId::kInt32:
      return 3;
    case col::TypeId::kInt64:
      return 4;
    default:
      return 0;
  }
}

// Same physical layout (what ArrayWithType accepts) with struct names matching
// case-insensitively.
bool SameLayout(const col::DataType& a, const col::DataType& b) {
  if (a.id() != b.id()) return false;
  switch (a.id()) {
    case col::TypeId::kDecimal:
      return a.Equals(b);
    case col::TypeId::kStruct: {
      const auto& fa = col::AsStruct(a).fields();
      const auto& fb = col::AsStruct(b).fields();
      if (fa.size() != fb.size()) return false;
      for (size_t i = 0; i < fa.size(); ++i) {
        if (!EqualsIgnoreAsciiCase(fa[i].name(), fb[i].name()) ||
            !SameLayout(*fa[i].type(), *fb[i].type())) {
          return false;
        }
      }
      return true;
    }
    case col::TypeId::kList:
      return SameLayout(*col::AsList(a).element_type(), *col::AsList(b).element_type());
    case col::TypeId::kMap:
      return SameLayout(*col::AsMap(a).key_type(), *col::AsMap(b).key_type()) &&
             SameLayout(*col::AsMap(a).value_type(), *col::AsMap(b).value_type());
    default:
      return true;
  }
}

// Differences that make data of type `data` unwritable into `table` (no evolution).
void Compare(const std::string& path, const col::DataType& table, const col::DataType& data,
             std::vector<std::string>& diffs) {
  if (table.id() == col::TypeId::kStruct && data.id() == col::TypeId::kStruct) {
    const auto& tf = col::AsStruct(table).fields();
    for (const col::Field& df : col::AsStruct(data).fields()) {
      int i = ResolveFieldIndex(tf, df.name());
      std::string child = path + "." + df.name();
      if (i < 0) {
        diffs.push_back(
            fmt::format("column '{}' ({}) is not in the table", child, df.type()->ToString()));
      } else {
        Compare(path + "." + tf[i].name(), *tf[i].type(), *df.type(), diffs);
      }
    }
    return;
  }
  if (SameLayout(table, data) || IsTypeWidening(data, table)) return;
  diffs.push_back(fmt::format("column '{}' has type {} in the table but {} in the data", path,
                              table.ToString(), data.ToString()));
}

col::TypePtr MakeNullable(const col::TypePtr& type) {
  if (type->id() != col::TypeId::kStruct) return type;
  std::vector<col::Field> fields;
  for (const col::Field& f : col::AsStruct(*type).fields()) {
    fields.push_back(f.WithNullable(true).WithType(MakeNullable(f.type())));
  }
  return col::Struct(std::move(fields));
}

col::Field NewField(const col::Field& data_field) {
  // Data-side metadata (e.g. column mapping of another table) is not carried over.
  return col::Field(data_field.name(), MakeNullable(data_field.type()), true);
}

std::string RecordTypeChange(const col::Field& field, const col::DataType& from,
                             const col::DataType& to) {
  std::string existing = "[]";
  if (auto v = field.metadata().Get(kTypeChangesKey)) existing = std::string(*v);
  // Delta's entries: {"fromType":"short","toType":"integer"} (type names as in schemaString).
  std::string entry = "{\"fromType\":" + TypeToJson(from) + ",\"toType\":" + TypeToJson(to) + "}";
  if (existing == "[]" || existing.size() < 2) return "[" + entry + "]";
  return existing.substr(0, existing.size() - 1) + "," + entry + "]";
}

Result<col::Field> MergeField(const std::string& path, const col::Field& table,
                              const col::Field& data, bool allow_widening, MergedSchema& state) {
  const col::DataType& tt = *table.type();
  const col::DataType& dt = *data.type();
  if (tt.id() == col::TypeId::kStruct && dt.id() == col::TypeId::kStruct) {
    std::vector<col::Field> fields = col::AsStruct(tt).fields();
    for (const col::Field& df : col::AsStruct(dt).fields()) {
      int i = ResolveFieldIndex(fields, df.name());
      if (i < 0) {
        fields.push_back(NewField(df));
        state.changed = true;
      } else {
        SILT_ASSIGN_OR_RETURN(fields[i], MergeField(path + "." + fields[i].name(), fields[i], df,
                                                    allow_widening, state));
      }
    }
    return table.WithType(col::Struct(std::move(fields)));
  }
  if (SameLayout(tt, dt) || IsTypeWidening(dt, tt)) return table;
  if (IsTypeWidening(tt, dt)) {
    if (!allow_widening) {
      return Status::InvalidArgument(
          "Failed to merge fields '{}': the table type {} cannot change to the data type {} "
          "without type widening ({}=true)",
          path, tt.ToString(), dt.ToString(), kEnableTypeWideningProperty);
    }
    col::KeyValueMetadata metadata = table.metadata();
    metadata.Set(std::string(kTypeChangesKey), RecordTypeChange(table, tt, dt));
    state.changed = true;
    state.widened = true;
    return table.WithType(data.type()).WithMetadata(std::move(metadata));
  }
  return Status::InvalidArgument(
      "Failed to merge fields '{}': incompatible types, table type {} and data type {}", path,
      tt.ToString(), dt.ToString());
}

col::Field AssignField(const col::Field& field, int64_t& max_id) {
  col::KeyValueMetadata metadata = field.metadata();
  if (!metadata.Contains(column_mapping_key::kId)) {
    metadata.Set(std::string(column_mapping_key::kId), std::to_string(++max_id));
    metadata.Set(std::string(column_mapping_key::kPhysicalName), json::Quote("col-" + NewUuid()));
  }
  col::TypePtr type = field.type();
  if (type->id() == col::TypeId::kStruct) {
    std::vector<col::Field> children;
    for (const col::Field& c : col::AsStruct(*type).fields()) {
      children.push_back(AssignField(c, max_id));
    }
    type = col::Struct(std::move(children));
  }
  return field.WithType(type).WithMetadata(std::move(metadata));
}

Result<col::ArrayPtr> AlignArray(const col::ArrayPtr& array, const col::TypePtr& type,
                                 const std::string& path) {
  const col::DataType& from = *array->type();
  if (SameLayout(from, *type)) return col::ArrayWithType(array, type);
  if (from.id() == col::TypeId::kStruct && type->id() == col::TypeId::kStruct) {
    const auto& s = static_cast<const col::StructArray&>(*array);
    const auto& data_fields = col::AsStruct(from).fields();
    std::vector<col::ArrayPtr> children;
    for (const col::Field& f : col::AsStruct(*type).fields()) {
      int i = ResolveFieldIndex(data_fields, f.name());
      if (i < 0) {
        SILT_ASSIGN_OR_RETURN(col::ArrayPtr nulls,
                              col::MakeArrayOfNulls(f.type(), array->length()));
        children.push_back(std::move(nulls));
      } else {
        SILT_ASSIGN_OR_RETURN(col::ArrayPtr child,
                              AlignArray(s.field(i), f.type(), path + "." + f.name()));
        children.push_back(std::move(child));
      }
    }
    col::BufferPtr validity;
    if (array->null_count() > 0) {
      SILT_ASSIGN_OR_RETURN(auto bits, col::MutableBuffer::Allocate(
                                           col::bit_util::BytesForBits(array->length()), true));
      col::bit_util::CopyBitmap(array->null_bitmap_data(), array->offset(), array->length(),
                                bits->mutable_data(), 0);
      validity = std::move(bits);
    }
    return col::MakeStructArray(type, array->length(), std::move(children), std::move(validity),
                                array->null_count());
  }
  if (!from.is_nested() && !type->is_nested()) {
    Result<col::ArrayPtr> cast = CastArray(*array, type);
    if (cast.ok()) return cast;
    return Status::InvalidArgument("column '{}': cannot write {} data into a {} column: {}", path,
                                   from.ToString(), type->ToString(), cast.status().message());
  }
  return Status::InvalidArgument("column '{}': cannot write {} data into a {} column", path,
                                 from.ToString(), type->ToString());
}

}  // namespace

bool IsTypeWidening(const col::DataType& from, const col::DataType& to) {
  col::TypeId f = from.id(), t = to.id();
  if (IsInteger(f) && IsInteger(t)) return IntegerRank(f) < IntegerRank(t);
  if (f == col::TypeId::kFloat32 && t == col::TypeId::kFloat64) return true;
  if (IsInteger(f) && f != col::TypeId::kInt64 && t == col::TypeId::kFloat64) return true;
  if (f == col::TypeId::kDate && t == col::TypeId::kTimestampNtz) return true;
  if (f == col::TypeId::kDecimal && t == col::TypeId::kDecimal) {
    const auto& a = col::AsDecimal(from);
    const auto& b = col::AsDecimal(to);
    int k1 = b.precision() - a.precision(), k2 = b.scale() - a.scale();
    return k2 >= 0 && k1 >= k2 && (k1 > 0 || k2 > 0);
  }
  return false;
}

Status CheckWriteSchema(const col::Schema& table_schema, const col::Schema& data_schema) {
  std::vector<std::string> diffs;
  for (const col::Field& df : data_schema.fields()) {
    int i = ResolveFieldIndex(table_schema.fields(), df.name());
    if (i < 0) {
      diffs.push_back(
          fmt::format("column '{}' ({}) is not in the table", df.name(), df.type()->ToString()));
    } else {
      Compare(table_schema.field(i).name(), *table_schema.field(i).type(), *df.type(), diffs);
    }
  }
  if (diffs.empty()) return Status::OK();
  return Status::InvalidArgument(
      "A schema mismatch detected when writing to the Delta table (use merge_schema to evolve "
      "it): {}. Table schema: {}; data schema: {}",
      fmt::join(diffs, "; "), table_schema.ToString(), data_schema.ToString());
}

Result<MergedSchema> MergeSchemas(const col::Schema& table_schema, const col::Schema& data_schema,
                                  bool allow_type_widening) {
  MergedSchema state;
  std::vector<col::Field> fields = table_schema.fields();
  for (const col::Field& df : data_schema.fields()) {
    int i = ResolveFieldIndex(fields, df.name());
    if (i < 0) {
      fields.push_back(NewField(df));
      state.changed = true;
    } else {
      SILT_ASSIGN_OR_RETURN(
          fields[i], MergeField(fields[i].name(), fields[i], df, allow_type_widening, state));
    }
  }
  state.schema = col::Schema::Make(std::move(fields), table_schema.metadata());
  return state;
}

col::SchemaPtr AssignMissingColumnMapping(const col::Schema& schema, Metadata& metadata) {
  int64_t max_id = 0;
  auto it = metadata.configuration.find(std::string(column_mapping_key::kMaxColumnIdProperty));
  if (it != metadata.configuration.end()) {
    max_id = std::strtoll(it->second.c_str(), nullptr, 10);
  }
  std::vector<col::Field> fields;
  for (const col::Field& f : schema.fields()) fields.push_back(AssignField(f, max_id));
  metadata.configuration[std::string(column_mapping_key::kMaxColumnIdProperty)] =
      std::to_string(max_id);
  return col::Schema::Make(std::move(fields), schema.metadata());
}

Result<col::RecordBatchPtr> AlignBatch(const col::RecordBatch& batch,
                                       const col::SchemaPtr& table_schema) {
  std::vector<col::ArrayPtr> columns;
  const auto& data_fields = batch.schema()->fields();
  for (const col::Field& f : table_schema->fields()) {
    int i = ResolveFieldIndex(data_fields, f.name());
    if (i < 0) {
      SILT_ASSIGN_OR_RETURN(col::ArrayPtr nulls, col::MakeArrayOfNulls(f.type(), batch.num_rows()));
      columns.push_back(std::move(nulls));
    } else {
      SILT_ASSIGN_OR_RETURN(col::ArrayPtr a, AlignArray(batch.column(i), f.type(), f.name()));
      columns.push_back(std::move(a));
    }
  }
  // The table's nullability is enforced by the constraint check with a clear message; the
  // batch itself is built under a fully nullable view of the schema.
  std::vector<col::Field> relaxed;
  for (const col::Field& f : table_schema->fields()) relaxed.push_back(f.WithNullable(true));
  SILT_ASSIGN_OR_RETURN(
      col::RecordBatchPtr out,
      col::RecordBatch::Make(col::Schema::Make(relaxed), batch.num_rows(), std::move(columns)));
  return out;
}

Protocol ProtocolWithFeature(const Protocol& protocol, std::string_view feature,
                             bool reader_writer) {
  Protocol out = protocol;
  std::vector<std::string> writer, reader;
  if (protocol.writer_features.has_value()) {
    writer = *protocol.writer_features;
  } else {
    writer = LegacyWriterFeaturesOf(protocol.min_writer_version);
  }
  if (protocol.reader_features.has_value()) {
    reader = *protocol.reader_features;
  } else if (protocol.min_reader_version >= 2) {
    reader.emplace_back(feature::kColumnMapping);
  }
  auto add = [](std::vector<std::string>& list, std::string_view f) {
    if (std::find(list.begin(), list.end(), f) == list.end()) list.emplace_back(f);
  };
  add(writer, feature);
  out.min_writer_version = 7;
  out.writer_features = writer;
  if (reader_writer) {
    add(reader, feature);
    out.min_reader_version = 3;
    out.reader_features = reader;
  } else if (out.min_reader_version == 3) {
    out.reader_features = reader;
  }
  return out;
}

}  // namespace silt::delta
