#include "silt/parquet/crc32.h"

#include <zlib.h>

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace silt::parquet {
namespace {

uint32_t Reference(std::string_view data, uint32_t crc) {
  return static_cast<uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

TEST(Crc32Test, KnownValues) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xcbf43926u);  // the CRC-32/ISO-HDLC check value
  const std::string zeros(4096, '\0');
  EXPECT_EQ(Crc32(zeros), Reference(zeros, 0));
}

// Every length around the folding thresholds (16, 64, 256 bytes) and long inputs, at every
// alignment, continuing from zero and non-zero values: the same as zlib.
TEST(Crc32Test, MatchesZlibForAllLengthsAndAlignments) {
  std::mt19937_64 rng(7);
  std::string data(70000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t length = 0; length < 700; ++length) {
      const std::string_view v(data.data() + offset, length);
      ASSERT_EQ(Crc32(v), Reference(v, 0)) << "offset " << offset << " length " << length;
      const auto seed = static_cast<uint32_t>(rng());
      ASSERT_EQ(Crc32(v, seed), Reference(v, seed)) << "offset " << offset << " length " << length;
    }
  }
  for (size_t length : {1023u, 4096u, 4097u, 65535u, 69984u}) {
    const std::string_view v(data.data() + 3, length);
    EXPECT_EQ(Crc32(v), Reference(v, 0)) << length;
  }
}

TEST(Crc32Test, Continues) {
  std::string data(5000, 'x');
  for (size_t k = 0; k < data.size(); ++k) data[k] = static_cast<char>(k * 31 + 7);
  const std::string_view all = data;
  for (size_t cut : {0u, 1u, 100u, 300u, 2500u, 4999u, 5000u}) {
    EXPECT_EQ(Crc32(all.substr(cut), Crc32(all.substr(0, cut))), Crc32(all)) << cut;
  }
}

}  // namespace
}  // namespace silt::parquet
