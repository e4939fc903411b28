// Value: one scalar of any Delta primitive type, for literals, partition values and statistics.
// Comparison follows SQL: NULL compares as unknown; numbers of different kinds compare by value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "silt/base/calendar.h"
#include "silt/base/result.h"

namespace silt::expr {

enum class ValueKind : uint8_t {
  kNull,
  kBoolean,
  kInt,         // byte, short, int, long
  kDouble,      // float, double
  kDecimal,     // unscaled 128-bit integer and a scale
  kString,
  kBinary,
  kDate,        // days since 1970-01-01
  kTimestamp,   // microseconds since the epoch, UTC
  kTimestampNtz // microseconds since the epoch, no time zone
};

struct Decimal {
  __int128 unscaled = 0;
  int32_t scale = 0;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

class Value {
 public:
  Value() = default;  // NULL
  static Value Null() { return Value(); }
  static Value Boolean(bool v) { return Value(ValueKind::kBoolean, v); }
  static Value Int(int64_t v) { return Value(ValueKind::kInt, v); }
  static Value Double(double v) { return Value(ValueKind::kDouble, v); }
  static Value MakeDecimal(__int128 unscaled, int32_t scale) {
    return Value(ValueKind::kDecimal, Decimal{unscaled, scale});
  }
  static Value String(std::string v) { return Value(ValueKind::kString, std::move(v)); }
  static Value Binary(std::string v) { return Value(ValueKind::kBinary, std::move(v)); }
  static Value Date(int32_t days) { return Value(ValueKind::kDate, int64_t{days}); }
  static Value Timestamp(int64_t micros) { return Value(ValueKind::kTimestamp, micros); }
  static Value TimestampNtz(int64_t micros) { return Value(ValueKind::kTimestampNtz, micros); }

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }
  bool is_numeric() const {
    return kind_ == ValueKind::kInt || kind_ == ValueKind::kDouble || kind_ == ValueKind::kDecimal;
  }

  // Preconditions: the matching kind (kDate/kTimestamp* read through int_value()).
  bool bool_value() const { return std::get<bool>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  double double_value() const { return std::get<double>(data_); }
  const Decimal& decimal_value() const { return std::get<Decimal>(data_); }
  const std::string& string_value() const { return std::get<std::string>(data_); }

  // SQL literal text: 42, 1.5, 'it''s', DATE '2020-01-01', TIMESTAMP '...Z', NULL, true.
  std::string ToString() const;

  friend bool operator==(const Value& a, const Value& b) {
    return a.kind_ == b.kind_ && a.data_ == b.data_;
  }

 private:
  using Data = std::variant<std::monostate, bool, int64_t, double, Decimal, std::string>;
  Value(ValueKind kind, Data data) : kind_(kind), data_(std::move(data)) {}
  ValueKind kind_ = ValueKind::kNull;
  Data data_;
};

// Three-way comparison of two non-null values: <0, 0, >0. nullopt when either is NULL or the kinds
// cannot be compared (a string against a number, ...). Numbers compare across kinds by value;
// dates and timestamps compare with their own kind only, except that a date compares with a
// timestamp as midnight UTC of that day.
std::optional<int> Compare(const Value& a, const Value& b);

// Date and timestamp text forms (base/calendar.h), also reachable as expr::ParseDate etc.
using ::silt::FormatDate;
using ::silt::FormatTimestamp;
using ::silt::ParseDate;
using ::silt::ParseTimestamp;

// Parses "-12.340" into a decimal with the scale of the text (3 here).
Result<Decimal> ParseDecimal(std::string_view text);
std::string FormatDecimal(const Decimal& d);

}  // namespace silt::expr
