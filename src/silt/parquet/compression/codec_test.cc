#include "silt/parquet/compression/codec.h"

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <lz4.h>
#include <zlib.h>

#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

constexpr CompressionCodec kAllCodecs[] = {
    CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
    CompressionCodec::kZstd,         CompressionCodec::kLz4Raw, CompressionCodec::kLz4,
    CompressionCodec::kBrotli};

std::string SampleData(size_t size) {
  std::mt19937 rng(42);
  std::string s;
  s.reserve(size);
  while (s.size() < size) {
    // Compressible: repeated words with some noise.
    s += "value-" + std::to_string(rng() % 100) + ";";
  }
  s.resize(size);
  return s;
}

std::string CompressAll(Codec& codec, std::string_view input) {
  std::vector<uint8_t> out(static_cast<size_t>(codec.MaxCompressedLength(input.size())));
  auto n = codec.Compress(input, out);
  EXPECT_TRUE(n.ok()) << n.status();
  if (!n.ok()) return {};
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<size_t>(*n));
}

class CodecTest : public ::testing::TestWithParam<CompressionCodec> {};

TEST_P(CodecTest, RoundTripsManySizes) {
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(GetParam()));
  EXPECT_EQ(codec->type(), GetParam());
  for (size_t size : {size_t{0}, size_t{1}, size_t{7}, size_t{100}, size_t{4096},
                      size_t{1} << 20}) {
    std::string input = SampleData(size);
    std::string compressed = CompressAll(*codec, input);
    if (size >= 4096 && GetParam() != CompressionCodec::kUncompressed) {
      EXPECT_LT(compressed.size(), input.size());
    }
    std::vector<uint8_t> output(size);
    ASSERT_OK(codec->Decompress(compressed, output));
    EXPECT_EQ(std::string(output.begin(), output.end()), input) << size;
  }
}

TEST_P(CodecTest, WrongExpectedSizeIsCorruption) {
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(GetParam()));
  std::string input = SampleData(1000);
  std::string compressed = CompressAll(*codec, input);
  std::vector<uint8_t> small(999);
  ASSERT_STATUS_CODE(kCorruption, codec->Decompress(compressed, small));
  std::vector<uint8_t> large(1001);
  ASSERT_STATUS_CODE(kCorruption, codec->Decompress(compressed, large));
}

TEST_P(CodecTest, CorruptInputIsCorruptionNeverACrash) {
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(GetParam()));
  std::string input = SampleData(5000);
  std::string compressed = CompressAll(*codec, input);
  std::vector<uint8_t> output(input.size());
  // Truncations.
  for (size_t cut : {size_t{0}, size_t{1}, compressed.size() / 2, compressed.size() - 1}) {
    Status st = codec->Decompress(std::string_view(compressed).substr(0, cut), output);
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << "cut " << cut << ": " << st;
  }
  // Garbage of every flavour must never crash (some flips may still decode; we only require
  // errors to be kCorruption).
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string bad = compressed;
    bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    Status st = codec->Decompress(bad, output);
    if (!st.ok()) {
      EXPECT_EQ(st.code(), StatusCode::kCorruption) << st;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecTest, ::testing::ValuesIn(kAllCodecs),
                         [](const auto& info) { return CompressionCodecName(info.param); });

TEST(CodecFactoryTest, LevelsAndUnsupportedCodecs) {
  ASSERT_STATUS_CODE(kUnsupported, MakeCodec(CompressionCodec::kLzo));
  ASSERT_STATUS_CODE(kUnsupported, MakeCodec(static_cast<CompressionCodec>(99)));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeCodec(CompressionCodec::kGzip, 10));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeCodec(CompressionCodec::kZstd, 23));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeCodec(CompressionCodec::kBrotli, 12));
  ASSERT_STATUS_CODE(kInvalidArgument, MakeCodec(CompressionCodec::kSnappy, 1));
  ASSERT_OK(MakeCodec(CompressionCodec::kZstd, 19));
  ASSERT_OK(MakeCodec(CompressionCodec::kZstd, -1));
  ASSERT_OK(MakeCodec(CompressionCodec::kGzip, 1));
}

TEST(CodecFactoryTest, ZstdLevelsChangeOutput) {
  std::string input = SampleData(1 << 16);
  ASSERT_OK_AND_ASSIGN(auto fast, MakeCodec(CompressionCodec::kZstd, 1));
  ASSERT_OK_AND_ASSIGN(auto strong, MakeCodec(CompressionCodec::kZstd, 19));
  std::string a = CompressAll(*fast, input);
  std::string b = CompressAll(*strong, input);
  EXPECT_LE(b.size(), a.size());
  std::vector<uint8_t> out(input.size());
  ASSERT_OK(fast->Decompress(b, out));
}

TEST(CodecFactoryTest, CompressIntoTooSmallBufferIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(CompressionCodec::kSnappy));
  std::string input = SampleData(100);
  std::vector<uint8_t> out(10);
  ASSERT_STATUS_CODE(kInvalidArgument, codec->Compress(input, out));
}

TEST(GzipCodecTest, WritesGzipFramingAndReadsConcatenatedMembers) {
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(CompressionCodec::kGzip));
  std::string a = "first member;", b = "second member";
  std::string ca = CompressAll(*codec, a);
  std::string cb = CompressAll(*codec, b);
  ASSERT_GE(ca.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(ca[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<uint8_t>(ca[1]), 0x8b);
  std::string both = ca + cb;
  std::vector<uint8_t> out(a.size() + b.size());
  ASSERT_OK(codec->Decompress(both, out));
  EXPECT_EQ(std::string(out.begin(), out.end()), a + b);
}

TEST(GzipCodecTest, ReadsZlibWrappedData) {
  std::string input = SampleData(3000);
  std::vector<uint8_t> z(compressBound(input.size()));
  uLongf zlen = z.size();
  ASSERT_EQ(compress(z.data(), &zlen, reinterpret_cast<const Bytef*>(input.data()), input.size()),
            Z_OK);
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(CompressionCodec::kGzip));
  std::vector<uint8_t> out(input.size());
  ASSERT_OK(codec->Decompress(std::string_view(reinterpret_cast<char*>(z.data()), zlen), out));
  EXPECT_EQ(std::memcmp(out.data(), input.data(), input.size()), 0);
}

TEST(Lz4CodecTest, HadoopFramingAndRawFallback) {
  ASSERT_OK_AND_ASSIGN(auto codec, MakeCodec(CompressionCodec::kLz4));
  std::string input = SampleData(2000);
  std::string framed = CompressAll(*codec, input);
  // 4-byte BE uncompressed size, 4-byte BE compressed size.
  ASSERT_GT(framed.size(), 8u);
  EXPECT_EQ(static_cast<uint8_t>(framed[0]), 0);
  EXPECT_EQ(static_cast<uint8_t>(framed[2]), 2000 >> 8);
  EXPECT_EQ(static_cast<uint8_t>(framed[3]), 2000 & 0xff);

  // Two Hadoop frames back to back.
  std::string half1 = input.substr(0, 1000), half2 = input.substr(1000);
  std::string two = CompressAll(*codec, half1) + CompressAll(*codec, half2);
  std::vector<uint8_t> out(input.size());
  ASSERT_OK(codec->Decompress(two, out));
  EXPECT_EQ(std::memcmp(out.data(), input.data(), input.size()), 0);

  // A bare LZ4 block under the LZ4 codec id (old parquet-cpp).
  std::vector<char> raw(LZ4_compressBound(static_cast<int>(input.size())));
  int n = LZ4_compress_default(input.data(), raw.data(), static_cast<int>(input.size()),
                               static_cast<int>(raw.size()));
  ASSERT_GT(n, 0);
  std::fill(out.begin(), out.end(), 0);
  ASSERT_OK(codec->Decompress(std::string_view(raw.data(), static_cast<size_t>(n)), out));
  EXPECT_EQ(std::memcmp(out.data(), input.data(), input.size()), 0);
}

}  // namespace
}  // namespace silt::parquet
