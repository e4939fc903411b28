// Byte sizes as users and Spark write them: "134217728", "64k", "64kb", "128m", "1g", "1t"
// (binary multiples, case-insensitive).
#pragma once

#include <cstdint>
#include <string_view>

#include "silt/base/result.h"

namespace silt {

// The number of bytes `text` names. kInvalidArgument "'<text>' is not a positive byte size
// (e.g. 134217728, 128m, 1g)" for anything else: no digits, an unknown unit, zero, or a value
// that does not fit in int64_t.
Result<int64_t> ParseByteSize(std::string_view text);

}  // namespace silt
