// Files written by DuckDB (an independent implementation) with every codec and both page
// versions, decoded with our footer, page, codec and encoding code; value content is checked
// against what the generating query produced. Skipped when DuckDB cannot be run.
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet/chunk_walker.h"
#include "silt/fs/local_file_system.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

constexpr int kRows = 20000;

// Leaf order: i32, i64, s, d, f, b, dec18, dec38, dt, ts, list.element, st.a, st.b, m.key, m.value
constexpr const char* kQuery = R"(
SELECT i::INTEGER AS i32,
       CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000000007 END::BIGINT AS i64,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'str-' || (i % 97)::VARCHAR END AS s,
       i / 4.0::DOUBLE AS d,
       (i % 100)::FLOAT AS f,
       i % 3 = 0 AS b,
       (i * 1.5)::DECIMAL(18, 3) AS dec18,
       (i * 1.5)::DECIMAL(38, 5) AS dec38,
       DATE '2020-01-01' + (i % 1000)::INTEGER AS dt,
       TIMESTAMP '2020-01-01' + to_seconds(i) AS ts,
       CASE WHEN i % 11 = 0 THEN NULL ELSE [i, i + 1, i + 2][1:(i % 4)] END AS list,
       {'a': i, 'b': 'x' || i::VARCHAR} AS st,
       MAP([i % 3], ['v' || i::VARCHAR]) AS m
FROM range()" "20000" R"() t(i))";

struct Variant {
  const char* codec;
  const char* version;
};

TEST(DuckDbInteropTest, DecodesDuckDbFilesWithEveryCodecAndPageVersion) {
  silt::testing::TempDir dir;
  const std::vector<Variant> variants = {
      {"uncompressed", "V1"}, {"snappy", "V1"}, {"gzip", "V1"},   {"zstd", "V1"},
      {"brotli", "V1"},       {"lz4", "V1"},    {"lz4_raw", "V1"}, {"uncompressed", "V2"},
      {"snappy", "V2"},       {"gzip", "V2"},   {"zstd", "V2"},   {"brotli", "V2"},
      {"lz4_raw", "V2"}};
  std::string sql;
  std::vector<std::string> paths;
  for (const Variant& v : variants) {
    std::string path = dir.Join(std::string(v.codec) + "_" + v.version + ".parquet");
    sql += "COPY (" + std::string(kQuery) + ") TO " + silt::testing::SqlQuote(path) +
           " (FORMAT parquet, COMPRESSION " + v.codec + ", PARQUET_VERSION " + v.version +
           ", ROW_GROUP_SIZE 8192);\n";
    paths.push_back(path);
  }
  sql += "SELECT 1 AS done";
  auto rows = silt::testing::DuckDbQuery(sql);
  if (!rows.ok()) GTEST_SKIP() << "DuckDB is not available: " << rows.status();

  fs::LocalFileSystem fs;
  testing::Tally tally;
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    ASSERT_OK(testing::WalkFile(fs, path, &tally));

    testing::ColumnValues i32;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 0, &i32));
    ASSERT_EQ(i32.ints.size(), static_cast<size_t>(kRows));
    for (int i = 0; i < kRows; ++i) ASSERT_EQ(i32.ints[i], i);

    testing::ColumnValues i64;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 1, &i64));
    ASSERT_EQ(i64.def_levels.size(), static_cast<size_t>(kRows));
    size_t k = 0;
    for (int i = 0; i < kRows; ++i) {
      ASSERT_EQ(i64.def_levels[i], i % 7 == 0 ? 0 : 1) << i;
      if (i % 7 != 0) {
        ASSERT_EQ(i64.ints[k++], int64_t{i} * 1000000007) << i;
      }
    }
    EXPECT_EQ(k, i64.ints.size());

    testing::ColumnValues s;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 2, &s));
    k = 0;
    for (int i = 0; i < kRows; ++i) {
      ASSERT_EQ(s.def_levels[i], i % 5 == 0 ? 0 : 1) << i;
      if (i % 5 != 0) {
        ASSERT_EQ(s.bytes.value(static_cast<int64_t>(k++)), "str-" + std::to_string(i % 97));
      }
    }

    testing::ColumnValues d;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 3, &d));
    ASSERT_EQ(d.doubles.size(), static_cast<size_t>(kRows));
    for (int i = 0; i < kRows; ++i) ASSERT_EQ(d.doubles[i], i / 4.0) << i;

    testing::ColumnValues b;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 5, &b));
    for (int i = 0; i < kRows; ++i) ASSERT_EQ(b.ints[i], i % 3 == 0 ? 1 : 0) << i;

    // The list leaf: one level entry per element, per empty list and per null list.
    testing::ColumnValues list;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 10, &list));
    int64_t rows_seen = 0, elements = 0;
    for (size_t e = 0; e < list.rep_levels.size(); ++e) {
      if (list.rep_levels[e] == 0) ++rows_seen;
    }
    for (int i = 0; i < kRows; ++i) elements += i % 11 == 0 ? 0 : i % 4;
    EXPECT_EQ(rows_seen, kRows);
    EXPECT_EQ(static_cast<int64_t>(list.ints.size()), elements);
  }
  std::cout << "DuckDB-written files: " << testing::FormatTally(tally);
  EXPECT_GE(tally.codecs.size(), 6u);
}

}  // namespace
}  // namespace silt::parquet
