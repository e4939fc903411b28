// Partition values and Hive-style partition directories of the files silt writes (PROTOCOL.md
// "Partition Value Serialization"; digest §5.2, §6): the inverse of ParsePartitionValue
// (scan/values.h), the escaping Spark applies to directory names, and the relative directory
// "a=1/b=__HIVE_DEFAULT_PARTITION__" of a row's partition values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/data_type.h"
#include "silt/expr/value.h"

namespace silt::delta {

// The directory value of a null (or empty string/binary) partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// `value` of a column of type `type` in its partitionValues form, as Spark writes it: NULL and
// the empty string/binary are std::nullopt (JSON null); integers in decimal; float/double as
// Java's toString ("1.5", "1.0E10", "NaN", "-Infinity"); decimals with exactly the type's scale;
// booleans "true"/"false"; dates yyyy-mm-dd; timestamps ISO-8601 UTC with 6 fraction digits
// ("2024-06-15T19:30:45.000000Z"); timestamp_ntz "yyyy-mm-dd hh:mm:ss[.ffffff]"; binary as its
// raw bytes. kInvalidArgument when the value's kind does not fit the type; kUnsupported for
// nested types.
Result<std::optional<std::string>> SerializePartitionValue(const expr::Value& value,
                                                           const columnar::DataType& type);

// Java's Double.toString / Float.toString of `v` (shortest digits that read back): plain
// decimal with at least one fraction digit for 1e-3 <= |v| < 1e7, else "d.dddE[-]n".
std::string JavaFloatingString(double v, bool is_float);

// Hive's escaping of a partition directory name part: bytes 0x00-0x1F, 0x7F and
// " # % ' * / : = ? \ { [ ] ^ become %XX (uppercase hex); everything else stays.
std::string EscapePartitionPathPart(std::string_view s);

// The directory segment of one column's value: escape(name) + "=" + escape(dir value), where
// the dir value is the serialized value, except that a timestamp is written as its UTC
// "yyyy-mm-dd hh:mm:ss[.ffffff]" (Spark's session-time rendering with a UTC session) and null
// is __HIVE_DEFAULT_PARTITION__.
std::string PartitionPathSegment(std::string_view column, const std::optional<std::string>& value,
                                 const columnar::DataType& type);

}  // namespace silt::delta
