#include "silt/delta/actions/path_encoding.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

TEST(PathEncodingTest, DecodesOnce) {
  ASSERT_OK_AND_ASSIGN(std::string plain, DecodePath("part-0.snappy.parquet"));
  EXPECT_EQ(plain, "part-0.snappy.parquet");
  // A Hive partition directory escaped once by Spark and then URI-encoded: decoding once gives
  // the directory name as it is on storage.
  ASSERT_OK_AND_ASSIGN(std::string hive, DecodePath("region=US%252FEast/part-0.parquet"));
  EXPECT_EQ(hive, "region=US%2FEast/part-0.parquet");
  ASSERT_OK_AND_ASSIGN(std::string ts,
                       DecodePath("ts=2013-07-05%2017%253A01%253A00.123456/f.parquet"));
  EXPECT_EQ(ts, "ts=2013-07-05 17%3A01%3A00.123456/f.parquet");
  ASSERT_OK_AND_ASSIGN(std::string lower, DecodePath("a%2fb%7e"));
  EXPECT_EQ(lower, "a/b~");
}

TEST(PathEncodingTest, RawAndEncodedUtf8DecodeTheSame) {
  ASSERT_OK_AND_ASSIGN(std::string raw, DecodePath("c=\xc3\xa9/f.parquet"));
  ASSERT_OK_AND_ASSIGN(std::string encoded, DecodePath("c=%C3%A9/f.parquet"));
  EXPECT_EQ(raw, encoded);
}

TEST(PathEncodingTest, BadEscapesAreCorruption) {
  for (std::string_view bad : {"a%", "a%2", "a%zz", "%g0b", "x%2-"}) {
    Result<std::string> r = DecodePath(bad);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_NE(r.error().message().find("invalid percent escape"), std::string::npos) << bad;
  }
}

TEST(PathEncodingTest, EncodesWhatSparkEncodes) {
  EXPECT_EQ(EncodePath("a b/c%d"), "a%20b/c%25d");
  EXPECT_EQ(EncodePath("x\"#<>?[\\]^`{|}y"), "x%22%23%3C%3E%3F%5B%5C%5D%5E%60%7B%7C%7Dy");
  EXPECT_EQ(EncodePath(std::string_view("\x01\x7f", 2)), "%01%7F");
  // Left alone: separators, scheme colons, Hive '=' and non-ASCII UTF-8.
  EXPECT_EQ(EncodePath("s3://b/t/d=1/\xc3\xa9.parquet"), "s3://b/t/d=1/\xc3\xa9.parquet");
  EXPECT_EQ(EncodePath("region=US%2FEast/f"), "region=US%252FEast/f");
}

TEST(PathEncodingTest, EncodeDecodeRoundTrip) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  ASSERT_OK_AND_ASSIGN(std::string back, DecodePath(EncodePath(all)));
  EXPECT_EQ(back, all);
}

TEST(PathEncodingTest, AbsolutePaths) {
  EXPECT_TRUE(IsAbsolutePath("s3://bucket/t/f.parquet"));
  EXPECT_TRUE(IsAbsolutePath("file:/tmp/t/f.parquet"));
  EXPECT_TRUE(IsAbsolutePath("abfss://c@a.dfs.core.windows.net/f"));
  EXPECT_TRUE(IsAbsolutePath("/tmp/t/f.parquet"));
  EXPECT_FALSE(IsAbsolutePath("part-0.parquet"));
  EXPECT_FALSE(IsAbsolutePath("d=2024-01-01/part-0.parquet"));
  EXPECT_FALSE(IsAbsolutePath("ts=10:00/f.parquet"));
  EXPECT_FALSE(IsAbsolutePath("a:b"));
  EXPECT_FALSE(IsAbsolutePath(""));
  EXPECT_FALSE(IsAbsolutePath("1s3://x"));
}

}  // namespace
}  // namespace silt::delta
