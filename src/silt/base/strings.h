// Small string helpers shared across modules.
#pragma once

#include <algorithm>
#include <string_view>

namespace silt {

// Whether `a` and `b` are equal ignoring ASCII case (the case rule of Delta and Spark column
// names; other bytes compare exactly).
inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace silt
