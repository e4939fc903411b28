#include "silt/base/byte_size.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <string>

namespace silt {

Result<int64_t> ParseByteSize(std::string_view text) {
  std::string v;
  for (char c : text) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t digits = 0;
  while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) ++digits;
  const std::string_view unit = std::string_view(v).substr(digits);
  int shift = -1;
  if (unit.empty() || unit == "b") shift = 0;
  if (unit == "k" || unit == "kb") shift = 10;
  if (unit == "m" || unit == "mb") shift = 20;
  if (unit == "g" || unit == "gb") shift = 30;
  if (unit == "t" || unit == "tb") shift = 40;
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + digits, n);
  (void)end;
  if (digits == 0 || shift < 0 || ec != std::errc() || n <= 0 ||
      n > (std::numeric_limits<int64_t>::max() >> shift)) {
    return Status::InvalidArgument("'{}' is not a positive byte size (e.g. 134217728, 128m, 1g)",
                                   text);
  }
  return n << shift;
}

}  // namespace silt
