#include "silt/delta/maintenance/checkpoint_stats.h"

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "silt/columnar/decimal.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"
#include "silt/delta/write/stats.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

inline constexpr std::string_view kNumRecords = "numRecords";
inline constexpr std::string_view kMinValues = "minValues";
inline constexpr std::string_view kMaxValues = "maxValues";
inline constexpr std::string_view kNullCount = "nullCount";
inline constexpr std::string_view kTightBounds = "tightBounds";

// A data column (or nested field) chosen for statistics, by physical name, with the chosen part
// of its children when it is a struct.
struct StatsColumn {
  std::string name;
  col::TypePtr type;  // the leaf type (unused for structs)
  bool is_struct = false;
  std::vector<StatsColumn> children;  // structs only
};

// Splits "a.b, `c.d`.e" into paths {{"a","b"},{"c.d","e"}}.
std::vector<std::vector<std::string>> ParseStatsColumns(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> path;
  std::string part;
  bool quoted = false;
  bool any = false;
  auto end_part = [&] {
    // Trim spaces around unquoted names.
    size_t b = part.find_first_not_of(' ');
    size_t e = part.find_last_not_of(' ');
    path.push_back(b == std::string::npos ? std::string() : part.substr(b, e - b + 1));
    part.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '`') {
        if (i + 1 < text.size() && text[i + 1] == '`') {
          part.push_back('`');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        part.push_back(c);
      }
      continue;
    }
    if (c == '`') {
      quoted = true;
      any = true;
    } else if (c == '.') {
      end_part();
    } else if (c == ',') {
      end_part();
      out.push_back(std::move(path));
      path.clear();
      any = false;
    } else {
      part.push_back(c);
      if (c != ' ') any = true;
    }
  }
  if (any || !path.empty()) {
    end_part();
    out.push_back(std::move(path));
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The first `*budget` leaves of `fields` (all when *budget < 0).
std::vector<StatsColumn> FirstLeaves(const std::vector<col::Field>& fields, ColumnMappingMode mode,
                                     int64_t* budget) {
  std::vector<StatsColumn> out;
  for (const col::Field& f : fields) {
    if (*budget == 0) break;
    StatsColumn c;
    c.name = PhysicalName(f, mode);
    c.type = f.type();
    if (f.type()->id() == col::TypeId::kStruct) {
      c.is_struct = true;
      c.children = FirstLeaves(col::AsStruct(*f.type()).fields(), mode, budget);
      if (c.children.empty()) continue;
    } else if (*budget > 0) {
      --*budget;
    }
    out.push_back(std::move(c));
  }
  return out;
}

// Adds the column at `path` (logical names, case-insensitive) below `fields` to `out`.
void AddNamedColumn(const std::vector<col::Field>& fields, const std::vector<std::string>& path,
                    size_t depth, ColumnMappingMode mode, std::vector<StatsColumn>* out) {
  for (const col::Field& f : fields) {
    if (!EqualsIgnoreCase(f.name(), path[depth])) continue;
    std::string name = PhysicalName(f, mode);
    StatsColumn* existing = nullptr;
    for (StatsColumn& c : *out) {
      if (c.name == name) existing = &c;
    }
    bool is_struct = f.type()->id() == col::TypeId::kStruct;
    if (depth + 1 == path.size()) {
      if (existing != nullptr) {
        if (!is_struct) return;
        existing->children.clear();
      } else {
        out->push_back(StatsColumn{name, f.type(), is_struct, {}});
        existing = &out->back();
      }
      if (is_struct) {
        int64_t all = -1;
        existing->children = FirstLeaves(col::AsStruct(*f.type()).fields(), mode, &all);
      }
      return;
    }
    if (!is_struct) return;
    if (existing == nullptr) {
      out->push_back(StatsColumn{name, f.type(), true, {}});
      existing = &out->back();
    }
    AddNamedColumn(col::AsStruct(*f.type()).fields(), path, depth + 1, mode, &existing->children);
    return;
  }
}

Result<std::vector<StatsColumn>> IndexedColumns(const Snapshot& snapshot) {
  const col::Schema& schema = *snapshot.schema();
  std::set<std::string> partition;
  for (const std::string& p : snapshot.partition_columns()) partition.insert(p);
  std::vector<col::Field> data_fields;
  for (const col::Field& f : schema.fields()) {
    bool is_partition = false;
    for (const std::string& p : partition) {
      if (EqualsIgnoreCase(p, f.name())) is_partition = true;
    }
    if (!is_partition) data_fields.push_back(f);
  }
  ColumnMappingMode mode = snapshot.column_mapping_mode();
  if (auto named = snapshot.Property(property::kDataSkippingStatsColumns)) {
    std::vector<StatsColumn> out;
    for (const auto& path : ParseStatsColumns(*named)) {
      if (path.empty() || path[0].empty()) continue;
      AddNamedColumn(data_fields, path, 0, mode, &out);
    }
    return out;
  }
  SILT_ASSIGN_OR_RETURN(int64_t budget, GetIntProperty(snapshot.metadata(),
                                                       property::kDataSkippingNumIndexedCols, 32));
  if (budget < -1) {
    return Status::Corruption("table property {} must be -1 or more, got {}",
                              property::kDataSkippingNumIndexedCols, budget);
  }
  return FirstLeaves(data_fields, mode, &budget);
}

// struct of the min/max-capable columns; nullptr when none.
col::TypePtr MinMaxType(const std::vector<StatsColumn>& columns) {
  std::vector<col::Field> fields;
  for (const StatsColumn& c : columns) {
    if (c.is_struct) {
      if (col::TypePtr t = MinMaxType(c.children)) fields.emplace_back(c.name, t);
    } else if (HasStatsMinMax(*c.type)) {
      fields.emplace_back(c.name, c.type);
    }
  }
  if (fields.empty()) return nullptr;
  return col::Struct(std::move(fields));
}

col::TypePtr NullCountType(const std::vector<StatsColumn>& columns) {
  std::vector<col::Field> fields;
  for (const StatsColumn& c : columns) {
    if (c.is_struct) {
      if (col::TypePtr t = NullCountType(c.children)) fields.emplace_back(c.name, t);
    } else {
      fields.emplace_back(c.name, col::Int64());
    }
  }
  if (fields.empty()) return nullptr;
  return col::Struct(std::move(fields));
}

// The text ParsePartitionValue takes for a JSON leaf: strings as they are, numbers and booleans
// as their JSON text.
std::optional<std::string> LeafText(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kString: {
      Result<std::string_view> s = v.AsString();
      if (!s.ok()) return std::nullopt;
      return std::string(*s);
    }
    case json::Type::kInt:
    case json::Type::kDouble:
    case json::Type::kBool:
      return v.ToJson();
    default:
      return std::nullopt;
  }
}

Status AppendFromJson(col::ArrayBuilder& builder, const std::optional<json::Value>& value);

Status AppendStructFromJson(col::StructBuilder& builder, const std::optional<json::Value>& value) {
  if (!value.has_value() || value->type() != json::Type::kObject) return builder.AppendNull();
  Result<json::Object> obj = value->AsObject();
  if (!obj.ok()) return builder.AppendNull();
  const auto& st = col::AsStruct(*builder.type());
  for (int i = 0; i < st.num_fields(); ++i) {
    SILT_RETURN_NOT_OK(AppendFromJson(*builder.field_builder(i), obj->Find(st.field(i).name())));
  }
  return builder.Append(true);
}

Status AppendFromJson(col::ArrayBuilder& builder, const std::optional<json::Value>& value) {
  if (builder.type()->id() == col::TypeId::kStruct) {
    return AppendStructFromJson(static_cast<col::StructBuilder&>(builder), value);
  }
  if (!value.has_value() || value->is_null()) return builder.AppendNull();
  std::optional<std::string> text = LeafText(*value);
  if (!text.has_value()) return builder.AppendNull();
  Result<expr::Value> parsed = ParsePartitionValue(text, *builder.type(), "stats");
  if (!parsed.ok()) return builder.AppendNull();
  return AppendScalar(builder, *parsed);
}

template <typename T>
Status AppendInt(col::ArrayBuilder& builder, int64_t v) {
  if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
    return builder.AppendNull();
  }
  return static_cast<col::NumericBuilder<T>&>(builder).Append(static_cast<T>(v));
}

}  // namespace

Result<col::TypePtr> StatsParsedType(const Snapshot& snapshot) {
  SILT_ASSIGN_OR_RETURN(std::vector<StatsColumn> columns, IndexedColumns(snapshot));
  std::vector<col::Field> fields;
  fields.emplace_back(std::string(kNumRecords), col::Int64());
  if (col::TypePtr t = MinMaxType(columns)) {
    fields.emplace_back(std::string(kMinValues), t);
    fields.emplace_back(std::string(kMaxValues), t);
  }
  if (col::TypePtr t = NullCountType(columns)) fields.emplace_back(std::string(kNullCount), t);
  if (IsFeatureEnabled(snapshot.protocol(), feature::kDeletionVectors)) {
    fields.emplace_back(std::string(kTightBounds), col::Boolean());
  }
  return col::Struct(std::move(fields));
}

Result<col::TypePtr> PartitionValuesParsedType(const Snapshot& snapshot) {
  if (snapshot.partition_columns().empty()) return col::TypePtr();
  const col::Schema& schema = *snapshot.schema();
  std::vector<col::Field> fields;
  for (const std::string& p : snapshot.partition_columns()) {
    SILT_ASSIGN_OR_RETURN(int index, schema.FindFieldIndex(p, /*case_sensitive=*/false));
    const col::Field& f = schema.field(index);
    fields.emplace_back(PhysicalName(f, snapshot.column_mapping_mode()), f.type());
  }
  return col::Struct(std::move(fields));
}

Status AppendStatsParsed(col::ArrayBuilder& builder, const std::optional<std::string>& stats) {
  auto& sb = static_cast<col::StructBuilder&>(builder);
  if (!stats.has_value()) return sb.AppendNull();
  json::Parser parser;
  Result<json::Value> doc = parser.Parse(*stats);
  if (!doc.ok()) return sb.AppendNull();
  return AppendStructFromJson(sb, *doc);
}

Status AppendPartitionValuesParsed(col::ArrayBuilder& builder,
                                   const PartitionValues& partition_values) {
  auto& sb = static_cast<col::StructBuilder&>(builder);
  const auto& st = col::AsStruct(*sb.type());
  for (int i = 0; i < st.num_fields(); ++i) {
    const col::Field& f = st.field(i);
    auto it = partition_values.find(f.name());
    col::ArrayBuilder& child = *sb.field_builder(i);
    if (it == partition_values.end()) {
      SILT_RETURN_NOT_OK(child.AppendNull());
      continue;
    }
    Result<expr::Value> v = ParsePartitionValue(it->second, *f.type(), f.name());
    SILT_RETURN_NOT_OK(AppendScalar(child, v.ok() ? *v : expr::Value::Null()));
  }
  return sb.Append(true);
}

Status AppendScalar(col::ArrayBuilder& builder, const expr::Value& value) {
  using expr::ValueKind;
  if (value.is_null()) return builder.AppendNull();
  const ValueKind kind = value.kind();
  switch (builder.type()->id()) {
    case col::TypeId::kBoolean:
      if (kind != ValueKind::kBoolean) break;
      return static_cast<col::BooleanBuilder&>(builder).Append(value.bool_value());
    case col::TypeId::kInt8:
      if (kind != ValueKind::kInt) break;
      return AppendInt<int8_t>(builder, value.int_value());
    case col::TypeId::kInt16:
      if (kind != ValueKind::kInt) break;
      return AppendInt<int16_t>(builder, value.int_value());
    case col::TypeId::kInt32:
      if (kind != ValueKind::kInt) break;
      return AppendInt<int32_t>(builder, value.int_value());
    case col::TypeId::kInt64:
      if (kind != ValueKind::kInt) break;
      return static_cast<col::Int64Builder&>(builder).Append(value.int_value());
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64: {
      double d;
      if (kind == ValueKind::kDouble) {
        d = value.double_value();
      } else if (kind == ValueKind::kInt) {
        d = static_cast<double>(value.int_value());
      } else {
        break;
      }
      if (builder.type()->id() == col::TypeId::kFloat32) {
        return static_cast<col::Float32Builder&>(builder).Append(static_cast<float>(d));
      }
      return static_cast<col::Float64Builder&>(builder).Append(d);
    }
    case col::TypeId::kDecimal: {
      if (kind != ValueKind::kDecimal) break;
      const auto& dt = col::AsDecimal(*builder.type());
      if (value.decimal_value().scale != dt.scale()) break;
      const __int128 u = value.decimal_value().unscaled;
      col::Decimal128 d(static_cast<int64_t>(u >> 64), static_cast<uint64_t>(u));
      Status s = static_cast<col::DecimalBuilder&>(builder).Append(d);
      if (s.code() == StatusCode::kInvalidArgument) return builder.AppendNull();
      return s;
    }
    case col::TypeId::kString:
    case col::TypeId::kBinary:
      if (kind != ValueKind::kString && kind != ValueKind::kBinary) break;
      return static_cast<col::BinaryBuilder&>(builder).Append(value.string_value());
    case col::TypeId::kDate:
      if (kind != ValueKind::kDate) break;
      return AppendInt<int32_t>(builder, value.int_value());
    case col::TypeId::kTimestamp:
    case col::TypeId::kTimestampNtz:
      if (kind != ValueKind::kTimestamp && kind != ValueKind::kTimestampNtz) break;
      return static_cast<col::TimestampBuilder&>(builder).Append(value.int_value());
    default:
      break;
  }
  return builder.AppendNull();
}

}  // namespace silt::delta
