#include "silt/delta/scan/file_stats.h"

#include <cstring>

#include "silt/columnar/decimal.h"
#include "silt/delta/actions/stats_fields.h"
#include "silt/delta/table/column_mapping_keys.h"
#include "silt/delta/table/schema.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace col = ::silt::columnar;

namespace {

constexpr int64_t kMillisTruncation = 999;

__int128 ToInt128(const col::Decimal128& d) {
  uint8_t bytes[16];
  std::memcpy(bytes, &d, 16);
  unsigned __int128 u = 0;
  for (int i = 15; i >= 0; --i) u = (u << 8) | bytes[i];
  return static_cast<__int128>(u);
}

// A statistic value as the column's type; nullopt when it does not parse.
std::optional<expr::Value> StatValue(const json::Value& v, const col::DataType& type) {
  if (v.is_null()) return std::nullopt;
  switch (type.id()) {
    case col::TypeId::kInt8:
    case col::TypeId::kInt16:
    case col::TypeId::kInt32:
    case col::TypeId::kInt64: {
      Result<int64_t> i = v.AsInt64();
      if (!i.ok()) return std::nullopt;
      return expr::Value::Int(*i);
    }
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64: {
      Result<double> d = v.AsDouble();
      if (d.ok()) return expr::Value::Double(*d);
      return std::nullopt;  // "NaN" and friends: no usable bound
    }
    case col::TypeId::kDecimal: {
      const auto& dt = col::AsDecimal(type);
      if (v.type() != json::Type::kInt && v.type() != json::Type::kDouble &&
          v.type() != json::Type::kString) {
        return std::nullopt;
      }
      std::string text = v.type() == json::Type::kString ? std::string(*v.AsString()) : v.ToJson();
      Result<col::Decimal128> d = col::Decimal128::FromString(text, dt.precision(), dt.scale());
      if (!d.ok()) return std::nullopt;
      return expr::Value::MakeDecimal(ToInt128(*d), dt.scale());
    }
    case col::TypeId::kString: {
      Result<std::string_view> s = v.AsString();
      if (!s.ok()) return std::nullopt;
      return expr::Value::String(std::string(*s));
    }
    case col::TypeId::kDate: {
      Result<std::string_view> s = v.AsString();
      if (!s.ok()) return std::nullopt;
      Result<int32_t> days = expr::ParseDate(*s);
      if (!days.ok()) return std::nullopt;
      return expr::Value::Date(*days);
    }
    case col::TypeId::kTimestamp:
    case col::TypeId::kTimestampNtz: {
      Result<std::string_view> s = v.AsString();
      if (!s.ok()) return std::nullopt;
      Result<int64_t> micros = expr::ParseTimestamp(*s);
      if (!micros.ok()) return std::nullopt;
      return type.id() == col::TypeId::kTimestamp ? expr::Value::Timestamp(*micros)
                                                  : expr::Value::TimestampNtz(*micros);
    }
    default:
      return std::nullopt;  // boolean, binary: Spark collects no min/max
  }
}

std::optional<json::Object> ChildObject(const std::optional<json::Object>& parent,
                                        std::string_view name) {
  if (!parent.has_value()) return std::nullopt;
  Result<std::optional<json::Object>> child = parent->GetOptionalObject(name);
  if (!child.ok()) return std::nullopt;
  return *child;
}

std::optional<json::Value> ChildValue(const std::optional<json::Object>& parent,
                                      std::string_view name) {
  if (!parent.has_value()) return std::nullopt;
  return parent->Find(name);
}

void CollectFields(const std::vector<col::Field>& fields, ColumnMappingMode mode,
                   std::vector<std::string>& path, const std::optional<json::Object>& mins,
                   const std::optional<json::Object>& maxes,
                   const std::optional<json::Object>& nulls, FileStats& out) {
  for (const col::Field& field : fields) {
    std::string physical = PhysicalName(field, mode);
    path.push_back(field.name());
    if (field.type()->id() == col::TypeId::kStruct) {
      CollectFields(col::AsStruct(*field.type()).fields(), mode, path,
                    ChildObject(mins, physical), ChildObject(maxes, physical),
                    ChildObject(nulls, physical), out);
    } else if (!field.type()->is_nested()) {
      expr::ColumnStats stats;
      if (auto v = ChildValue(mins, physical); v.has_value()) {
        stats.min = StatValue(*v, *field.type());
      }
      if (auto v = ChildValue(maxes, physical); v.has_value()) {
        stats.max = StatValue(*v, *field.type());
        if (stats.max.has_value() && (field.type()->id() == col::TypeId::kTimestamp ||
                                      field.type()->id() == col::TypeId::kTimestampNtz)) {
          int64_t widened = stats.max->int_value() + kMillisTruncation;
          stats.max = field.type()->id() == col::TypeId::kTimestamp
                          ? expr::Value::Timestamp(widened)
                          : expr::Value::TimestampNtz(widened);
        }
      }
      if (auto v = ChildValue(nulls, physical); v.has_value() && !v->is_null()) {
        Result<int64_t> n = v->AsInt64();
        if (n.ok()) stats.null_count = *n;
      }
      if (stats.min || stats.max || stats.null_count) out.columns.emplace(path, std::move(stats));
    }
    path.pop_back();
  }
}

}  // namespace

std::string PhysicalName(const col::Field& field, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return field.name();
  Result<std::optional<std::string>> physical =
      FieldMetadataString(field, column_mapping_key::kPhysicalName);
  if (physical.ok() && physical->has_value()) return **physical;
  return field.name();
}

Result<FileStats> ParseFileStats(std::string_view text, const col::Schema& schema,
                                 ColumnMappingMode mode) {
  json::Parser parser;
  SILT_ASSIGN_OR_RETURN(json::Object root, parser.ParseObject(text));
  FileStats out;
  if (auto n = root.GetOptionalInt64(stats_field::kNumRecords); n.ok()) out.num_records = *n;
  if (auto t = root.GetOptionalBool(stats_field::kTightBounds); t.ok() && t->has_value()) {
    out.tight_bounds = **t;
  }
  std::optional<json::Object> doc(root);
  std::vector<std::string> path;
  CollectFields(schema.fields(), mode, path, ChildObject(doc, stats_field::kMinValues),
                ChildObject(doc, stats_field::kMaxValues),
                ChildObject(doc, stats_field::kNullCount), out);
  return out;
}

expr::StatsView ToStatsView(const FileStats& stats) {
  expr::StatsView view;
  view.num_records = stats.num_records;
  const FileStats* s = &stats;
  view.column = [s](const std::vector<std::string>& path) -> std::optional<expr::ColumnStats> {
    auto it = s->columns.find(path);
    if (it == s->columns.end()) return std::nullopt;
    return it->second;
  };
  return view;
}

}  // namespace silt::delta
