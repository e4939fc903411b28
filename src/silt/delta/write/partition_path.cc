#include "silt/delta/write/partition_path.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "silt/base/calendar.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

std::string IsoTimestamp(int64_t micros) {
  // FormatTimestamp drops a zero fraction; the ISO form always has 6 digits.
  int64_t days = micros / 86400000000LL;
  int64_t rem = micros % 86400000000LL;
  if (rem < 0) {
    rem += 86400000000LL;
    --days;
  }
  int64_t secs = rem / 1000000, frac = rem % 1000000;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:06d}Z", FormatDate(days), secs / 3600,
                     secs / 60 % 60, secs % 60, frac);
}

Status KindMismatch(const expr::Value& value, const col::DataType& type) {
  return Status::InvalidArgument("partition value {} does not fit type {}", value.ToString(),
                                 type.ToString());
}

}  // namespace

std::string JavaFloatingString(double v, bool is_float) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  std::to_chars_result r =
      is_float ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(v),
                               std::chars_format::scientific)
               : std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  std::string out = negative ? "-" : "";
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      std::string int_part = digits.substr(0, std::min(digits.size(), size_t(exponent) + 1));
      while (int_part.size() < size_t(exponent) + 1) int_part.push_back('0');
      std::string frac = digits.size() > size_t(exponent) + 1 ? digits.substr(exponent + 1) : "0";
      out += int_part + "." + frac;
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
  } else {
    if (digits.size() == 1) {
      // Java always prints a fraction digit and picks the closest two-digit form
      // (Double.MIN_VALUE is "4.9E-324", not "5.0E-324").
      char two[64];
      std::to_chars_result t =
          is_float ? std::to_chars(two, two + sizeof(two), static_cast<float>(std::fabs(v)),
                                   std::chars_format::scientific, 1)
                   : std::to_chars(two, two + sizeof(two), std::fabs(v),
                                   std::chars_format::scientific, 1);
      std::string_view s2(two, static_cast<size_t>(t.ptr - two));
      digits = std::string(1, s2[0]) + s2[2];
      exponent = std::atoi(std::string(s2.substr(s2.find('e') + 1)).c_str());
    }
    out += digits.substr(0, 1) + "." + digits.substr(1) + "E" + std::to_string(exponent);
  }
  return out;
}

Result<std::optional<std::string>> SerializePartitionValue(const expr::Value& value,
                                                           const col::DataType& type) {
  using expr::ValueKind;
  if (value.is_null()) return std::optional<std::string>();
  switch (type.id()) {
    case col::TypeId::kBoolean:
      if (value.kind() != ValueKind::kBoolean) return KindMismatch(value, type);
      return std::optional<std::string>(value.bool_value() ? "true" : "false");
    case col::TypeId::kInt8:
    case col::TypeId::kInt16:
    case col::TypeId::kInt32:
    case col::TypeId::kInt64:
      if (value.kind() != ValueKind::kInt) return KindMismatch(value, type);
      return std::optional<std::string>(std::to_string(value.int_value()));
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64:
      if (value.kind() == ValueKind::kInt) {
        return std::optional<std::string>(JavaFloatingString(static_cast<double>(value.int_value()),
                                                             type.id() == col::TypeId::kFloat32));
      }
      if (value.kind() != ValueKind::kDouble) return KindMismatch(value, type);
      return std::optional<std::string>(
          JavaFloatingString(value.double_value(), type.id() == col::TypeId::kFloat32));
    case col::TypeId::kDecimal: {
      if (value.kind() != ValueKind::kDecimal) return KindMismatch(value, type);
      expr::Decimal d = value.decimal_value();
      int32_t scale = col::AsDecimal(type).scale();
      while (d.scale < scale) {
        d.unscaled *= 10;
        ++d.scale;
      }
      if (d.scale != scale) return KindMismatch(value, type);
      return std::optional<std::string>(expr::FormatDecimal(d));
    }
    case col::TypeId::kString:
    case col::TypeId::kBinary:
      if (value.kind() != ValueKind::kString && value.kind() != ValueKind::kBinary) {
        return KindMismatch(value, type);
      }
      if (value.string_value().empty()) return std::optional<std::string>();
      return std::optional<std::string>(value.string_value());
    case col::TypeId::kDate:
      if (value.kind() != ValueKind::kDate) return KindMismatch(value, type);
      return std::optional<std::string>(FormatDate(value.int_value()));
    case col::TypeId::kTimestamp:
      if (value.kind() != ValueKind::kTimestamp && value.kind() != ValueKind::kTimestampNtz) {
        return KindMismatch(value, type);
      }
      return std::optional<std::string>(IsoTimestamp(value.int_value()));
    case col::TypeId::kTimestampNtz:
      if (value.kind() != ValueKind::kTimestamp && value.kind() != ValueKind::kTimestampNtz) {
        return KindMismatch(value, type);
      }
      return std::optional<std::string>(FormatTimestamp(value.int_value()));
    case col::TypeId::kStruct:
    case col::TypeId::kList:
    case col::TypeId::kMap:
      break;
  }
  return Status::Unsupported("partition column of type {} is not supported", type.ToString());
}

std::string EscapePartitionPathPart(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool escape = c < 0x20 || c == 0x7F;
    switch (c) {
      case '"':
      case '#':
      case '%':
      case '\'':
      case '*':
      case '/':
      case ':':
      case '=':
      case '?':
      case '\\':
      case '{':
      case '[':
      case ']':
      case '^':
        escape = true;
        break;
      default:
        break;
    }
    if (escape) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string PartitionPathSegment(std::string_view column, const std::optional<std::string>& value,
                                 const col::DataType& type) {
  std::string dir_value;
  if (!value.has_value()) {
    dir_value = std::string(kHiveDefaultPartition);
  } else if (type.id() == col::TypeId::kTimestamp) {
    // The serialized form is ISO UTC; the directory shows the same instant in the session
    // form Spark uses for directory names.
    Result<int64_t> micros = ParseTimestamp(*value);
    dir_value = micros.has_value() ? FormatTimestamp(*micros) : *value;
  } else {
    dir_value = *value;
  }
  return EscapePartitionPathPart(column) + "=" + EscapePartitionPathPart(dir_value);
}

}  // namespace silt::delta
