#include "silt/delta/actions/z85.h"

#include <array>
#include <cstdint>

namespace silt::delta {

namespace {

constexpr std::string_view kAlphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

// The last group as a '#'-padded tail (see DecodeZ85); appends its bytes to `out`.
Result<std::string> DecodePaddedTail(std::string_view group, std::string out, size_t position) {
  size_t pad = group.find_first_not_of('#');
  if (pad == std::string_view::npos || pad == 0) {
    return Status::Corruption("Z85 group at position {} exceeds 32 bits", position);
  }
  uint64_t value = 0;
  for (char c : group.substr(pad)) {
    value = value * 85 + static_cast<uint64_t>(kDecode[static_cast<unsigned char>(c)]);
  }
  const size_t bytes = 4 - pad;
  if (bytes == 0 || (value >> (8 * bytes)) != 0) {
    return Status::Corruption("Z85 group at position {} exceeds 32 bits", position);
  }
  for (size_t k = 0; k < bytes; ++k) {
    out.push_back(static_cast<char>((value >> (8 * (bytes - 1 - k))) & 0xFF));
  }
  return out;
}

}  // namespace

std::string EncodeZ85(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 3) / 4 * 5);
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t value = 0;
    for (size_t j = 0; j < 4; ++j) {
      uint32_t byte = i + j < bytes.size() ? static_cast<unsigned char>(bytes[i + j]) : 0;
      value = (value << 8) | byte;
    }
    char group[5];
    for (int k = 4; k >= 0; --k) {
      group[k] = kAlphabet[value % 85];
      value /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::string> DecodeZ85(std::string_view text) {
  if (text.size() % 5 != 0) {
    return Status::Corruption("Z85 text has {} characters, not a multiple of 5", text.size());
  }
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    uint64_t value = 0;
    for (size_t j = 0; j < 5; ++j) {
      int8_t digit = kDecode[static_cast<unsigned char>(text[i + j])];
      if (digit < 0) {
        return Status::Corruption("Z85 text has an invalid character at position {}", i + j);
      }
      value = value * 85 + static_cast<uint64_t>(digit);
    }
    if (value > UINT32_MAX) {
      // Some writers encode a k-byte tail (k < 4) as k + 1 digits left-padded with '#'
      // ("##093" for the bytes 03 00); standard Z85 reads that as more than 32 bits.
      if (i + 5 == text.size() && text[i] == '#') {
        return DecodePaddedTail(text.substr(i), std::move(out), i);
      }
      return Status::Corruption("Z85 group at position {} exceeds 32 bits", i);
    }
    out.push_back(static_cast<char>((value >> 24) & 0xFF));
    out.push_back(static_cast<char>((value >> 16) & 0xFF));
    out.push_back(static_cast<char>((value >> 8) & 0xFF));
    out.push_back(static_cast<char>(value & 0xFF));
  }
  return out;
}

}  // namespace silt::delta
