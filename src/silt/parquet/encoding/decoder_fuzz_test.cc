// Random bytes into every decoder: any outcome is fine except a crash, an out-of-bounds access
// (this runs under AddressSanitizer and UBSan) or an error code other than kCorruption.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/parquet/encoding/decoder.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/encoding/plain.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

Status DecodeAll(ValueDecoder& d, PhysicalType type, int32_t type_length, int64_t n) {
  switch (type) {
    case PhysicalType::kBoolean: {
      std::vector<uint8_t> out(static_cast<size_t>(n));
      return d.DecodeBooleans(out.data(), n);
    }
    case PhysicalType::kInt32: {
      std::vector<int32_t> out(static_cast<size_t>(n));
      return d.DecodeInt32(out.data(), n);
    }
    case PhysicalType::kInt64: {
      std::vector<int64_t> out(static_cast<size_t>(n));
      return d.DecodeInt64(out.data(), n);
    }
    case PhysicalType::kInt96: {
      std::vector<Int96> out(static_cast<size_t>(n));
      return d.DecodeInt96(out.data(), n);
    }
    case PhysicalType::kFloat: {
      std::vector<float> out(static_cast<size_t>(n));
      return d.DecodeFloat(out.data(), n);
    }
    case PhysicalType::kDouble: {
      std::vector<double> out(static_cast<size_t>(n));
      return d.DecodeDouble(out.data(), n);
    }
    case PhysicalType::kByteArray: {
      ByteArrayBuffer out;
      SILT_RETURN_NOT_OK(d.DecodeByteArrays(n / 2, &out));
      return d.DecodeByteArrays(n - n / 2, &out);
    }
    case PhysicalType::kFixedLenByteArray: {
      std::vector<uint8_t> out(static_cast<size_t>(n * type_length));
      return d.DecodeFixedLenByteArrays(out.data(), n);
    }
  }
  return Status::OK();
}

std::vector<uint8_t> RandomBytes(std::mt19937_64& rng) {
  // Mostly short buffers; bias towards small values so that headers look plausible.
  std::vector<uint8_t> bytes(rng() % 80);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng() % 4 == 0 ? rng() : rng() % 5);
  return bytes;
}

TEST(DecoderFuzzTest, RandomBytesIntoEveryDecoder) {
  std::mt19937_64 rng(77);
  const PhysicalType types[] = {PhysicalType::kBoolean, PhysicalType::kInt32,
                                PhysicalType::kInt64,   PhysicalType::kInt96,
                                PhysicalType::kFloat,   PhysicalType::kDouble,
                                PhysicalType::kByteArray, PhysicalType::kFixedLenByteArray};
  const Encoding encodings[] = {Encoding::kPlain, Encoding::kRle, Encoding::kDeltaBinaryPacked,
                                Encoding::kDeltaLengthByteArray, Encoding::kDeltaByteArray,
                                Encoding::kByteStreamSplit};
  int decoded = 0, rejected = 0;
  for (PhysicalType type : types) {
    const int32_t type_length = type == PhysicalType::kFixedLenByteArray ? 3 : 0;
    for (Encoding encoding : encodings) {
      auto made = MakeValueDecoder(encoding, type, type_length);
      if (!made.ok()) continue;
      for (int round = 0; round < 2000; ++round) {
        std::vector<uint8_t> bytes = RandomBytes(rng);
        // An exact-size heap copy, so that ASan sees any read past the end.
        std::unique_ptr<uint8_t[]> exact(new uint8_t[bytes.size() + 1]);
        std::copy(bytes.begin(), bytes.end(), exact.get());
        const int64_t n = static_cast<int64_t>(rng() % 100);
        Status st = (*made)->SetData(exact.get(), static_cast<int64_t>(bytes.size()), n);
        if (st.ok()) st = DecodeAll(**made, type, type_length, n);
        if (st.ok()) {
          ++decoded;
        } else {
          ++rejected;
          ASSERT_EQ(st.code(), StatusCode::kCorruption)
              << EncodingName(encoding) << "/" << PhysicalTypeName(type) << ": " << st;
        }
      }
    }
    // Dictionary pages and indices.
    for (int round = 0; round < 2000; ++round) {
      std::vector<uint8_t> dict = RandomBytes(rng);
      auto d = MakeDictionaryDecoder(type, type_length, dict.data(),
                                     static_cast<int64_t>(dict.size()),
                                     static_cast<int64_t>(rng() % 20));
      if (!d.ok()) {
        ASSERT_EQ(d.status().code(), StatusCode::kCorruption) << d.status();
        continue;
      }
      std::vector<uint8_t> data = RandomBytes(rng);
      const int64_t n = static_cast<int64_t>(rng() % 100);
      Status st = (*d)->SetData(data.data(), static_cast<int64_t>(data.size()), n);
      if (st.ok()) st = DecodeAll(**d, type, type_length, n);
      if (!st.ok()) {
        ASSERT_EQ(st.code(), StatusCode::kCorruption) << st;
      }
    }
  }
  // Levels.
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> bytes = RandomBytes(rng);
    const int64_t n = static_cast<int64_t>(rng() % 200);
    const auto max_level = static_cast<int16_t>(rng() % 6);
    std::vector<int16_t> out(static_cast<size_t>(n));
    auto v1 = DecodeLevelsV1(rng() % 2 ? Encoding::kRle : Encoding::kBitPacked, max_level,
                             bytes.data(), static_cast<int64_t>(bytes.size()), n, out.data());
    if (!v1.ok()) {
      ASSERT_EQ(v1.status().code(), StatusCode::kCorruption) << v1.status();
    }
    Status v2 = DecodeLevelsV2(max_level, bytes.data(), static_cast<int64_t>(bytes.size()), n,
                               out.data());
    if (!v2.ok()) {
      ASSERT_EQ(v2.code(), StatusCode::kCorruption) << v2;
    }
  }
  EXPECT_GT(decoded, 100);
  EXPECT_GT(rejected, 100);
}

}  // namespace
}  // namespace silt::parquet
