#include "silt/delta/actions/path_encoding.h"

namespace silt::delta {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool NeedsEncoding(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  switch (c) {
    case ' ': case '"': case '#': case '%': case '<': case '>': case '?': case '[':
    case '\\': case ']': case '^': case '`': case '{': case '|': case '}':
      return true;
    default:
      return false;
  }
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

Result<std::string> DecodePath(std::string_view encoded) {
  size_t percent = encoded.find('%');
  if (percent == std::string_view::npos) return std::string(encoded);
  std::string out;
  out.reserve(encoded.size());
  out.append(encoded.substr(0, percent));
  for (size_t i = percent; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    int hi = i + 1 < encoded.size() ? HexValue(encoded[i + 1]) : -1;
    int lo = i + 2 < encoded.size() ? HexValue(encoded[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return Status::Corruption("path '{}' has an invalid percent escape at byte {}", encoded, i);
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string EncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (NeedsEncoding(c)) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

bool IsAbsolutePath(std::string_view path) {
  if (!path.empty() && path.front() == '/') return true;
  // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":/".
  if (path.empty() || !IsAsciiAlpha(path.front())) return false;
  for (size_t i = 1; i < path.size(); ++i) {
    char c = path[i];
    if (c == ':') return i + 1 < path.size() && path[i + 1] == '/';
    bool scheme_char = IsAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                       c == '.';
    if (!scheme_char) return false;
  }
  return false;
}

}  // namespace silt::delta
