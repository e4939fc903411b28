// DuckDB as an independent implementation, both ways:
//  - files DuckDB writes with every codec and both writer versions are decoded with our footer,
//    page, codec and encoding code, and values checked against the generating query;
//  - files built from our encoders, codecs and Thrift writer (every encoding, v1 and v2 pages)
//    are read by DuckDB, whose aggregates must equal those of the same rows generated in SQL.
// Skipped when DuckDB cannot be run.
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "parquet/chunk_walker.h"
#include "parquet/test_file_builder.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/bloom_filter.h"
#include "silt/parquet/file_metadata.h"
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

// DuckDB runs through node; skip (rather than fail) where it is not installed.
bool DuckDbAvailable() {
  static const bool available = silt::testing::DuckDbQuery("SELECT 1 AS one").ok();
  return available;
}

struct Variant {
  const char* codec;
  const char* version;
};

TEST(DuckDbInteropTest, DecodesDuckDbFilesWithEveryCodecAndPageVersion) {
  if (!DuckDbAvailable()) GTEST_SKIP() << "DuckDB (node @duckdb/node-api) is not available";
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
  ASSERT_OK_AND_ASSIGN(auto rows, silt::testing::DuckDbQuery(sql));
  ASSERT_EQ(rows.size(), 1u);

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

LogicalType StringType() {
  LogicalType t;
  t.kind = LogicalType::Kind::kString;
  return t;
}

// The columns of our test file and, in SQL, how DuckDB can generate the same rows.
std::vector<testing::TestColumn> OurColumns(int rows) {
  using testing::TestColumn;
  auto column = [](std::string name, PhysicalType type, bool optional, Encoding encoding,
                   bool string = false) {
    TestColumn c;
    c.name = std::move(name);
    c.type = type;
    c.optional = optional;
    c.encoding = encoding;
    if (string) {
      c.logical_type = StringType();
      c.converted_type = ConvertedType::kUtf8;
    }
    return c;
  };
  TestColumn i64 = column("i64", PhysicalType::kInt64, true, Encoding::kDeltaBinaryPacked);
  TestColumn i32 = column("i32", PhysicalType::kInt32, false, Encoding::kPlain);
  TestColumn i32d = column("i32d", PhysicalType::kInt32, false, Encoding::kDeltaBinaryPacked);
  TestColumn s =
      column("s", PhysicalType::kByteArray, true, Encoding::kDeltaLengthByteArray, true);
  TestColumn sd = column("sd", PhysicalType::kByteArray, false, Encoding::kDeltaByteArray, true);
  TestColumn sdict =
      column("sdict", PhysicalType::kByteArray, false, Encoding::kRleDictionary, true);
  TestColumn idict = column("idict", PhysicalType::kInt64, true, Encoding::kRleDictionary);
  TestColumn d = column("d", PhysicalType::kDouble, false, Encoding::kByteStreamSplit);
  TestColumn f = column("f", PhysicalType::kFloat, false, Encoding::kByteStreamSplit);
  TestColumn b = column("b", PhysicalType::kBoolean, true, Encoding::kRle);
  TestColumn bp = column("bp", PhysicalType::kBoolean, false, Encoding::kPlain);
  for (int64_t i = 0; i < rows; ++i) {
    i64.present.push_back(i % 7 != 0);
    if (i % 7 != 0) i64.ints.push_back(i * 1000000007 - 3000000000000);
    i32.ints.push_back(i - 2500);
    i32d.ints.push_back(i * i % 100003 - 5000);
    s.present.push_back(i % 5 != 0);
    if (i % 5 != 0) s.strings.push_back("str-" + std::to_string(i % 97));
    sd.strings.push_back(fmt::format("key-{:06d}", i / 3));
    sdict.strings.push_back("cat-" + std::to_string(i % 13));
    idict.present.push_back(i % 4 != 0);
    if (i % 4 != 0) idict.ints.push_back(i % 100);
    d.doubles.push_back(static_cast<double>(i) / 4.0);
    f.doubles.push_back(static_cast<float>((i % 100) * 0.5));
    b.present.push_back(i % 2 == 0);
    if (i % 2 == 0) b.ints.push_back(i % 3 == 0);
    bp.ints.push_back(i % 5 == 0);
  }
  return {i64, i32, i32d, s, sd, sdict, idict, d, f, b, bp};
}

constexpr const char* kGenerated = R"(
(SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000000007 - 3000000000000 END::BIGINT AS i64,
        (i - 2500)::INTEGER AS i32,
        (i * i % 100003 - 5000)::INTEGER AS i32d,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'str-' || (i % 97)::VARCHAR END AS s,
        'key-' || lpad((i // 3)::VARCHAR, 6, '0') AS sd,
        'cat-' || (i % 13)::VARCHAR AS sdict,
        CASE WHEN i % 4 = 0 THEN NULL ELSE i % 100 END::BIGINT AS idict,
        i / 4.0::DOUBLE AS d,
        ((i % 100) * 0.5)::FLOAT AS f,
        CASE WHEN i % 2 = 0 THEN i % 3 = 0 ELSE NULL END AS b,
        i % 5 = 0 AS bp
 FROM range(5000) t(i)))";

std::string Aggregates(const std::string& source) {
  return "SELECT count(*) AS n, count(i64) AS c64, sum(i64) AS s64, min(i64) AS min64, "
         "sum(i32) AS s32, sum(i32d) AS s32d, min(i32d) AS min32d, count(s) AS cs, "
         "sum(length(s)) AS ls, min(s) AS mins, max(s) AS maxs, sum(length(sd)) AS lsd, "
         "min(sd) AS minsd, max(sd) AS maxsd, count(DISTINCT sd) AS dsd, "
         "count(DISTINCT sdict) AS dsdict, max(sdict) AS maxsdict, sum(idict) AS sidict, "
         "count(idict) AS cidict, sum(d) AS sd_, sum(f) AS sf, sum(b::INT) AS sb, "
         "count(b) AS cb, sum(bp::INT) AS sbp, "
         "sum(hash(i64, i32, i32d, s, sd, sdict, idict, d, f, b, bp)) AS h FROM " + source;
}

TEST(DuckDbInteropTest, DuckDbReadsFilesWeWrite) {
  if (!DuckDbAvailable()) GTEST_SKIP() << "DuckDB (node @duckdb/node-api) is not available";
  constexpr int kOurRows = 5000;
  silt::testing::TempDir dir;
  fs::LocalFileSystem fs;
  std::vector<testing::TestColumn> columns = OurColumns(kOurRows);
  struct Case {
    CompressionCodec codec;
    bool v2;
  };
  std::vector<Case> cases;
  for (CompressionCodec codec :
       {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
        CompressionCodec::kZstd, CompressionCodec::kBrotli, CompressionCodec::kLz4Raw}) {
    // (DuckDB does not read the deprecated Hadoop-framed LZ4 codec.)
    cases.push_back({codec, false});
    cases.push_back({codec, true});
  }
  std::string sql;
  std::vector<std::string> paths;
  for (const Case& c : cases) {
    testing::TestFileOptions options;
    options.codec = c.codec;
    options.v2_pages = c.v2;
    options.rows_per_page = 777;
    ASSERT_OK_AND_ASSIGN(std::string bytes, testing::BuildTestFile(columns, kOurRows, options));
    std::string path = dir.Join(CompressionCodecName(c.codec) + (c.v2 ? "_v2" : "_v1") +
                                ".parquet");
    ASSERT_OK(fs.Put(path, bytes));
    paths.push_back(path);
    // Our own walker reads it back, value for value.
    testing::Tally tally;
    ASSERT_OK(testing::WalkFile(fs, path, &tally));
    testing::ColumnValues sd;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 4, &sd));
    ASSERT_EQ(sd.bytes.size(), kOurRows);
    for (int i = 0; i < kOurRows; ++i) ASSERT_EQ(sd.bytes.value(i), columns[4].strings[i]);
    testing::ColumnValues i32d;
    ASSERT_OK(testing::WalkFile(fs, path, &tally, 2, &i32d));
    ASSERT_EQ(i32d.ints, columns[2].ints);
    if (!sql.empty()) sql += " UNION ALL ";
    sql += Aggregates("read_parquet(" + silt::testing::SqlQuote(path) + ")");
  }
  sql += " UNION ALL " + Aggregates(kGenerated);
  ASSERT_OK_AND_ASSIGN(auto rows, silt::testing::DuckDbQuery(sql));
  ASSERT_EQ(rows.size(), cases.size() + 1);
  const std::string& expected = rows.back();
  std::cout << "DuckDB aggregates: " << expected << "\n";
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(rows[i], expected) << paths[i];
  }
}

TEST(DuckDbInteropTest, BloomFiltersAgreeWithDuckDb) {
  if (!DuckDbAvailable()) GTEST_SKIP() << "DuckDB (node @duckdb/node-api) is not available";
  silt::testing::TempDir dir;
  const std::string path = dir.Join("bloom.parquet");
  ASSERT_OK(silt::testing::DuckDbQuery(
                "COPY (SELECT 'v' || (i % 500)::VARCHAR AS s, (i % 700)::BIGINT * 1000003 AS b "
                "FROM range(20000) t(i)) TO " + silt::testing::SqlQuote(path) +
                " (FORMAT parquet); SELECT 1 AS done")
                .status());
  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto file, fs.OpenRandomAccess(path));
  ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(*file));
  ASSERT_FALSE(md.row_groups.empty());
  const ColumnChunk& s_chunk = md.row_groups[0].columns[0];
  const ColumnChunk& b_chunk = md.row_groups[0].columns[1];
  ASSERT_OK_AND_ASSIGN(auto s_filter, BloomFilter::Read(*file, *s_chunk.meta_data));
  ASSERT_OK_AND_ASSIGN(auto b_filter, BloomFilter::Read(*file, *b_chunk.meta_data));
  ASSERT_TRUE(s_filter.has_value()) << "DuckDB wrote no Bloom filter";
  ASSERT_TRUE(b_filter.has_value());

  // Probe values present (0..499 / multiples below 700) and absent, ours against DuckDB's.
  std::string sql;
  std::vector<bool> ours;
  for (int i = 0; i < 1000; ++i) {
    std::string v = "v" + std::to_string(i);
    int64_t b = int64_t{i} * 1000003;
    std::string plain(reinterpret_cast<const char*>(&b), 8);
    ours.push_back(!s_filter->MightContain(v));
    ours.push_back(!b_filter->MightContain(plain));
    if (i < 500) {
      EXPECT_TRUE(s_filter->MightContain(v)) << v;
    }
    if (i < 700) {
      EXPECT_TRUE(b_filter->MightContain(plain)) << b;
    }
    if (!sql.empty()) sql += " UNION ALL ";
    sql += fmt::format(
        "SELECT {0} AS k, bloom_filter_excludes::VARCHAR AS e FROM parquet_bloom_probe({1}, 's', "
        "{2}) UNION ALL SELECT {3} AS k, bloom_filter_excludes::VARCHAR AS e FROM "
        "parquet_bloom_probe({1}, 'b', {4}::BIGINT)",
        2 * i, silt::testing::SqlQuote(path), silt::testing::SqlQuote(v), 2 * i + 1, b);
  }
  sql = "SELECT k, e FROM (" + sql + ") ORDER BY k";
  ASSERT_OK_AND_ASSIGN(auto rows, silt::testing::DuckDbQuery(sql));
  ASSERT_EQ(rows.size(), ours.size());
  int excluded = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    bool duck_excludes = rows[i].find("\"e\":\"true\"") != std::string::npos;
    EXPECT_EQ(ours[i], duck_excludes) << rows[i];
    excluded += duck_excludes;
  }
  EXPECT_GT(excluded, 400);  // most absent values are excluded
}

}  // namespace
}  // namespace silt::parquet
