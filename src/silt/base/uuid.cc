#include "silt/base/uuid.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <random>

#include <unistd.h>

namespace silt {

namespace {

std::mt19937_64 SeededGenerator() {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
  return std::mt19937_64(seq);
}

}  // namespace

std::string NewUuid() {
  // One generator per thread, seeded from the OS: no lock on the hot path. A forked child
  // inherits the parent's generator state, so the generator is reseeded when the process id
  // changes; otherwise parent and children would hand out the same ids (commit txnIds, data
  // file names).
  thread_local std::mt19937_64 gen = SeededGenerator();
  thread_local pid_t seeded_in = ::getpid();
  if (pid_t pid = ::getpid(); pid != seeded_in) {
    gen = SeededGenerator();
    seeded_in = pid;
  }
  std::array<uint8_t, 16> b;
  uint64_t hi = gen(), lo = gen();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (8 * i));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace silt
