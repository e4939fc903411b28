#include "silt/delta/scan/values.h"

#include <cerrno>
#include <cstring>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "silt/base/strings.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/concatenate.h"
#include "silt/columnar/decimal.h"

namespace silt::delta {

namespace col = ::silt::columnar;

namespace {

Status BadValue(std::string_view column, const col::DataType& type, std::string_view text,
                std::string_view why = {}) {
  return Status::Corruption("partition column '{}': cannot read '{}' as {}{}{}", column, text,
                            type.ToString(), why.empty() ? "" : ": ", why);
}

Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max,
                             std::string_view column, const col::DataType& type) {
  std::string_view t = text;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) {
    return BadValue(column, type, text);
  }
  if (v < min || v > max) return BadValue(column, type, text, "out of range");
  return v;
}

Result<double> ParseFloating(std::string_view text, std::string_view column,
                             const col::DataType& type) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity" || text == "+Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) return BadValue(column, type, text);
  return v;
}

__int128 ToInt128(const col::Decimal128& d) {
  uint8_t bytes[16];
  std::memcpy(bytes, &d, 16);  // little-endian layout (see decimal.h)
  unsigned __int128 u = 0;
  for (int i = 15; i >= 0; --i) u = (u << 8) | bytes[i];
  return static_cast<__int128>(u);
}

col::Decimal128 FromInt128(__int128 v) {
  auto u = static_cast<unsigned __int128>(v);
  return col::Decimal128(static_cast<int64_t>(static_cast<uint64_t>(u >> 64)),
                         static_cast<uint64_t>(u));
}

}  // namespace

Result<expr::Value> ParsePartitionValue(const std::optional<std::string>& text,
                                        const col::DataType& type, std::string_view column) {
  if (!text.has_value()) return expr::Value::Null();
  const std::string& s = *text;
  switch (type.id()) {
    case col::TypeId::kString:
      return expr::Value::String(s);
    case col::TypeId::kBinary:
      return expr::Value::Binary(s);
    default:
      break;
  }
  if (s.empty()) return expr::Value::Null();
  switch (type.id()) {
    case col::TypeId::kBoolean:
      if (EqualsIgnoreAsciiCase(s, "true")) return expr::Value::Boolean(true);
      if (EqualsIgnoreAsciiCase(s, "false")) return expr::Value::Boolean(false);
      return BadValue(column, type, s);
    case col::TypeId::kInt8: {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseInteger(s, INT8_MIN, INT8_MAX, column, type));
      return expr::Value::Int(v);
    }
    case col::TypeId::kInt16: {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseInteger(s, INT16_MIN, INT16_MAX, column, type));
      return expr::Value::Int(v);
    }
    case col::TypeId::kInt32: {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseInteger(s, INT32_MIN, INT32_MAX, column, type));
      return expr::Value::Int(v);
    }
    case col::TypeId::kInt64: {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseInteger(s, INT64_MIN, INT64_MAX, column, type));
      return expr::Value::Int(v);
    }
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64: {
      SILT_ASSIGN_OR_RETURN(double v, ParseFloating(s, column, type));
      return expr::Value::Double(v);
    }
    case col::TypeId::kDecimal: {
      const auto& dt = col::AsDecimal(type);
      Result<col::Decimal128> d = col::Decimal128::FromString(s, dt.precision(), dt.scale());
      if (!d.ok()) return BadValue(column, type, s, d.error().message());
      return expr::Value::MakeDecimal(ToInt128(*d), dt.scale());
    }
    case col::TypeId::kDate: {
      Result<int32_t> days = expr::ParseDate(s);
      if (!days.ok()) return BadValue(column, type, s, days.error().message());
      return expr::Value::Date(*days);
    }
    case col::TypeId::kTimestamp:
    case col::TypeId::kTimestampNtz: {
      Result<int64_t> micros = expr::ParseTimestamp(s);
      if (!micros.ok()) return BadValue(column, type, s, micros.error().message());
      return type.id() == col::TypeId::kTimestamp ? expr::Value::Timestamp(*micros)
                                                  : expr::Value::TimestampNtz(*micros);
    }
    default:
      return Status::Unsupported("partition column '{}' has type {}, which cannot be a partition "
                                 "column", column, type.ToString());
  }
}

Result<expr::Value> ValueFromArray(const col::Array& array, int64_t row) {
  if (array.IsNull(row)) return expr::Value::Null();
  switch (array.type_id()) {
    case col::TypeId::kBoolean:
      return expr::Value::Boolean(static_cast<const col::BooleanArray&>(array).Value(row));
    case col::TypeId::kInt8:
      return expr::Value::Int(static_cast<const col::Int8Array&>(array).Value(row));
    case col::TypeId::kInt16:
      return expr::Value::Int(static_cast<const col::Int16Array&>(array).Value(row));
    case col::TypeId::kInt32:
      return expr::Value::Int(static_cast<const col::Int32Array&>(array).Value(row));
    case col::TypeId::kInt64:
      return expr::Value::Int(static_cast<const col::Int64Array&>(array).Value(row));
    case col::TypeId::kFloat32:
      return expr::Value::Double(static_cast<const col::Float32Array&>(array).Value(row));
    case col::TypeId::kFloat64:
      return expr::Value::Double(static_cast<const col::Float64Array&>(array).Value(row));
    case col::TypeId::kDecimal: {
      const auto& d = static_cast<const col::DecimalArray&>(array);
      return expr::Value::MakeDecimal(ToInt128(d.Value(row)), d.scale());
    }
    case col::TypeId::kString:
      return expr::Value::String(
          std::string(static_cast<const col::BinaryArray&>(array).GetView(row)));
    case col::TypeId::kBinary:
      return expr::Value::Binary(
          std::string(static_cast<const col::BinaryArray&>(array).GetView(row)));
    case col::TypeId::kDate:
      return expr::Value::Date(static_cast<const col::DateArray&>(array).Value(row));
    case col::TypeId::kTimestamp:
      return expr::Value::Timestamp(static_cast<const col::TimestampArray&>(array).Value(row));
    case col::TypeId::kTimestampNtz:
      return expr::Value::TimestampNtz(static_cast<const col::TimestampArray&>(array).Value(row));
    default:
      return Status::Unsupported("a predicate cannot compare a value of type {}",
                                 array.type()->ToString());
  }
}

namespace {

Status Mismatch(const col::DataType& type, const expr::Value& value) {
  return Status::InvalidArgument("value {} does not fit type {}", value.ToString(),
                                 type.ToString());
}

Status AppendValue(col::ArrayBuilder& builder, const col::DataType& type,
                   const expr::Value& value) {
  using K = expr::ValueKind;
  if (value.is_null()) return builder.AppendNull();
  auto int_in = [&](int64_t lo, int64_t hi) {
    return value.kind() == K::kInt && value.int_value() >= lo && value.int_value() <= hi;
  };
  switch (type.id()) {
    case col::TypeId::kBoolean:
      if (value.kind() != K::kBoolean) return Mismatch(type, value);
      return static_cast<col::BooleanBuilder&>(builder).Append(value.bool_value());
    case col::TypeId::kInt8:
      if (!int_in(INT8_MIN, INT8_MAX)) return Mismatch(type, value);
      return static_cast<col::Int8Builder&>(builder).Append(
          static_cast<int8_t>(value.int_value()));
    case col::TypeId::kInt16:
      if (!int_in(INT16_MIN, INT16_MAX)) return Mismatch(type, value);
      return static_cast<col::Int16Builder&>(builder).Append(
          static_cast<int16_t>(value.int_value()));
    case col::TypeId::kInt32:
      if (!int_in(INT32_MIN, INT32_MAX)) return Mismatch(type, value);
      return static_cast<col::Int32Builder&>(builder).Append(
          static_cast<int32_t>(value.int_value()));
    case col::TypeId::kInt64:
      if (value.kind() != K::kInt) return Mismatch(type, value);
      return static_cast<col::Int64Builder&>(builder).Append(value.int_value());
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64: {
      double v = 0;
      if (value.kind() == K::kDouble) {
        v = value.double_value();
      } else if (value.kind() == K::kInt) {
        v = static_cast<double>(value.int_value());
      } else {
        return Mismatch(type, value);
      }
      if (type.id() == col::TypeId::kFloat32) {
        return static_cast<col::Float32Builder&>(builder).Append(static_cast<float>(v));
      }
      return static_cast<col::Float64Builder&>(builder).Append(v);
    }
    case col::TypeId::kDecimal: {
      const auto& dt = col::AsDecimal(type);
      __int128 unscaled = 0;
      int32_t scale = 0;
      if (value.kind() == K::kDecimal) {
        unscaled = value.decimal_value().unscaled;
        scale = value.decimal_value().scale;
      } else if (value.kind() == K::kInt) {
        unscaled = value.int_value();
      } else {
        return Mismatch(type, value);
      }
      while (scale < dt.scale()) {
        unscaled *= 10;
        ++scale;
      }
      while (scale > dt.scale()) {
        if (unscaled % 10 != 0) return Mismatch(type, value);
        unscaled /= 10;
        --scale;
      }
      return static_cast<col::DecimalBuilder&>(builder).Append(FromInt128(unscaled));
    }
    case col::TypeId::kString:
    case col::TypeId::kBinary:
      if (value.kind() != K::kString && value.kind() != K::kBinary) return Mismatch(type, value);
      return static_cast<col::BinaryBuilder&>(builder).Append(value.string_value());
    case col::TypeId::kDate:
      if (value.kind() != K::kDate) return Mismatch(type, value);
      return static_cast<col::DateBuilder&>(builder).Append(
          static_cast<int32_t>(value.int_value()));
    case col::TypeId::kTimestamp:
    case col::TypeId::kTimestampNtz:
      if (value.kind() != K::kTimestamp && value.kind() != K::kTimestampNtz) {
        return Mismatch(type, value);
      }
      return static_cast<col::TimestampBuilder&>(builder).Append(value.int_value());
    default:
      return Status::Unsupported("no constant columns of type {}", type.ToString());
  }
}

// Value conversions CastArray allows before AppendValue.
Result<expr::Value> Widen(const expr::Value& v, const col::DataType& to) {
  using K = expr::ValueKind;
  if (v.is_null()) return v;
  switch (to.id()) {
    case col::TypeId::kTimestamp:
      if (v.kind() == K::kDate) return expr::Value::Timestamp(v.int_value() * 86400000000LL);
      if (v.kind() == K::kTimestampNtz) return expr::Value::Timestamp(v.int_value());
      break;
    case col::TypeId::kTimestampNtz:
      if (v.kind() == K::kDate) return expr::Value::TimestampNtz(v.int_value() * 86400000000LL);
      if (v.kind() == K::kTimestamp) return expr::Value::TimestampNtz(v.int_value());
      break;
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64:
      if (v.kind() == K::kInt) return expr::Value::Double(static_cast<double>(v.int_value()));
      if (v.kind() == K::kDecimal) {
        const expr::Decimal& d = v.decimal_value();
        double x = static_cast<double>(d.unscaled);
        for (int32_t i = 0; i < d.scale; ++i) x /= 10;
        return expr::Value::Double(x);
      }
      break;
    default:
      break;
  }
  return v;
}

}  // namespace

Result<col::ArrayPtr> CastArray(const col::Array& array, const col::TypePtr& type) {
  if (array.type()->is_nested() || type->is_nested()) {
    return Status::Unsupported("cannot convert {} to {}", array.type()->ToString(),
                               type->ToString());
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<col::ArrayBuilder> builder, col::MakeBuilder(type));
  SILT_RETURN_NOT_OK(builder->Reserve(array.length()));
  for (int64_t i = 0; i < array.length(); ++i) {
    SILT_ASSIGN_OR_RETURN(expr::Value v, ValueFromArray(array, i));
    SILT_ASSIGN_OR_RETURN(v, Widen(v, *type));
    Status s = AppendValue(*builder, *type, v);
    if (!s.ok()) {
      return Status::Unsupported("cannot convert {} to {}: {}", array.type()->ToString(),
                                 type->ToString(), s.message());
    }
  }
  return builder->Finish();
}

Result<col::ArrayPtr> ConstantArray(const col::TypePtr& type, const expr::Value& value,
                                    int64_t length) {
  if (value.is_null()) return col::MakeArrayOfNulls(type, length);
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<col::ArrayBuilder> builder, col::MakeBuilder(type));
  SILT_RETURN_NOT_OK(AppendValue(*builder, *type, value));
  SILT_ASSIGN_OR_RETURN(col::ArrayPtr one, builder->Finish());
  return col::RepeatValue(*one, 0, length);
}

}  // namespace silt::delta
