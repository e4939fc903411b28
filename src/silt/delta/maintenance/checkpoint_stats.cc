#include "silt/delta/maintenance/checkpoint_stats.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "silt/base/strings.h"
#include "silt/columnar/decimal.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/write/stats.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

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
  // The data schema the writer collects stats on: partition columns left out.
  std::vector<col::Field> data_fields;
  for (const col::Field& f : snapshot.schema()->fields()) {
    const auto& partition = snapshot.partition_columns();
    if (std::none_of(partition.begin(), partition.end(),
                     [&](const std::string& p) { return EqualsIgnoreAsciiCase(p, f.name()); })) {
      data_fields.push_back(f);
    }
  }
  SILT_ASSIGN_OR_RETURN(std::vector<StatsLeaf> leaves,
                        SelectStatsLeaves(*col::Schema::Make(std::move(data_fields)),
                                          snapshot.column_mapping_mode(), snapshot.metadata()));
  return StatsStructType(leaves, IsFeatureEnabled(snapshot.protocol(), feature::kDeletionVectors));
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
