// Scalar values in a scan: partition values parsed from their serialized strings (PROTOCOL.md
// "Partition Value Serialization"; digest §6), and conversions between expr::Value and
// columnar arrays (a partition value becomes a constant column; a row's cell becomes a Value
// for predicate evaluation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/data_type.h"
#include "silt/expr/value.h"

namespace silt::delta {

// Parses the serialized partition value `text` of a column of type `type`. std::nullopt (JSON
// null) is NULL; an empty string is NULL for every type but string and binary (there it is the
// empty value, as delta-kernel-rs reads it). Integers are range-checked; floats accept NaN and
// +-Infinity; decimals are rescaled to the type's scale (exponents accepted, no rounding);
// booleans are case-insensitive; dates are yyyy-mm-dd; timestamps accept both the legacy
// "yyyy-mm-dd hh:mm:ss[.f]" (read as UTC) and ISO-8601 with a zone; binary is the raw bytes.
// kCorruption names the column and the text when it does not parse; kUnsupported for nested
// types.
Result<expr::Value> ParsePartitionValue(const std::optional<std::string>& text,
                                        const columnar::DataType& type,
                                        std::string_view column);

// The value of element `row` of a primitive (or decimal) array; NULL when null. kUnsupported
// for nested arrays.
Result<expr::Value> ValueFromArray(const columnar::Array& array, int64_t row);

// An array of `length` copies of `value` (NULL: all null) with type `type`. kInvalidArgument when
// the value does not fit the type.
Result<columnar::ArrayPtr> ConstantArray(const columnar::TypePtr& type, const expr::Value& value,
                                         int64_t length);

}  // namespace silt::delta

namespace silt::delta {

// `array` converted value by value to `type` (type widening: integers to wider integers or
// floating point, float to double, decimals to a wider precision/scale, dates to timestamps,
// timestamp <-> timestamp_ntz as the same instant). kUnsupported when the conversion is not
// one of these or a value does not fit.
Result<columnar::ArrayPtr> CastArray(const columnar::Array& array, const columnar::TypePtr& type);

}  // namespace silt::delta
