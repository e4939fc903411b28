// Column name lookup shared by the read (scan) and write sides. Delta column names are
// case-insensitive (Spark's default resolution); a name keeps the spelling the schema gives it.
#pragma once

#include <string_view>
#include <vector>

#include "silt/base/strings.h"
#include "silt/columnar/data_type.h"

namespace silt::delta {

// Index in `fields` of the field `name` resolves to as Spark resolves column names by default:
// the exact name first, else the first name equal ignoring ASCII case; -1 when none.
inline int ResolveFieldIndex(const std::vector<columnar::Field>& fields, std::string_view name) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name() == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (EqualsIgnoreAsciiCase(fields[i].name(), name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace silt::delta
