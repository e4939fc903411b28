// DuckDB as the oracle: DuckDB writes files with every type (nested struct/list/map, nulls) under
// several codecs, page versions and row-group sizes; we read them and compare every value with
// what DuckDB itself reads back (its to_json rows, parsed into the same columnar schema).
#include "testing/duckdb.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/fs/local_file_system.h"
#include "silt/json/json_reader.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;
using silt::testing::DuckDbQuery;
using silt::testing::SqlQuote;

constexpr const char* kAllTypes = R"(
SELECT
  i::BIGINT AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100 - 50)::TINYINT END AS i8,
  (i % 30000 - 15000)::SMALLINT AS i16,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 7919 - 1000000)::INTEGER END AS i32,
  (i * 1000003 - 5000000000)::BIGINT AS i64,
  (i % 256)::UTINYINT AS u8,
  (i % 65536)::USMALLINT AS u16,
  (i * 1000003 % 4294967296)::UINTEGER AS u32,
  (i * 1000000000000000)::UBIGINT AS u64,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
  (i / 3.0)::FLOAT AS f,
  CASE WHEN i % 13 = 0 THEN NULL ELSE (i / 7.0 - 100)::DOUBLE END AS d,
  CASE WHEN i % 4 = 0 THEN NULL ELSE 'str-' || (i % 37)::VARCHAR END AS s,
  repeat('é', (i % 5)::INT) || i::VARCHAR AS s2,
  ('\x00\xff'::BLOB || i::VARCHAR::BLOB) AS bl,
  DATE '1960-01-01' + (i % 30000)::INT AS dt,
  TIMESTAMP '2020-01-01' + to_microseconds(i * 123456789) AS ts,
  CASE WHEN i % 6 = 0 THEN NULL ELSE TIMESTAMPTZ '1969-12-31 00:00:00+00' + to_microseconds(i * 1000001) END AS tz,
  (TIMESTAMP '2020-01-01' + to_microseconds(i * 1000))::TIMESTAMP_MS AS tms,
  (TIMESTAMP '2020-01-01' + to_microseconds(i * 1001))::TIMESTAMP_NS AS tns,
  TIME '00:00:00' + to_microseconds(i * 1000003 % 86400000000) AS tm,
  (i * 1.01 - 50)::DECIMAL(9,2) AS dec9,
  (i * 12345.6789)::DECIMAL(18,4) AS dec18,
  CASE WHEN i % 8 = 0 THEN NULL ELSE (i * 1234567890123.45 - 7)::DECIMAL(38,6) END AS dec38,
  ('00000000-0000-0000-0000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS u,
  CASE WHEN i % 6 = 0 THEN NULL WHEN i % 6 = 1 THEN [] ELSE [i, NULL, i + 1] END AS li,
  ['s' || i::VARCHAR, NULL] AS ls,
  CASE WHEN i % 5 = 0 THEN NULL ELSE {'x': i, 'y': CASE WHEN i % 2 = 0 THEN NULL ELSE 'y' || i::VARCHAR END, 'z': [i % 3, i % 4]} END AS st,
  CASE WHEN i % 9 = 0 THEN NULL WHEN i % 9 = 1 THEN MAP([], []::INT[]) ELSE MAP(['k' || (i % 3)::VARCHAR, 'j' || (i % 5)::VARCHAR], [i, NULL]) END AS m,
  [[i], [], NULL, [i + 1, i + 2]] AS ll,
  CASE WHEN i % 4 = 3 THEN NULL ELSE [{'a': i, 'b': [i::VARCHAR]}, NULL] END AS lst,
  CASE WHEN i % 11 = 0 THEN NULL ELSE {'inner': {'v': i, 'w': [DATE '2000-01-01' + i::INT]}} END AS nst,
  MAP([i], [[1.5::DECIMAL(5,2)]]) AS mdec
FROM range(@ROWS@) t(i)
)";

// DuckDB's own reading, normalized so that its to_json matches our columnar JSON input:
// binaries as base64, timestamps as epoch micros, TIME as micros of the day.
constexpr const char* kOracle = R"(
SELECT to_json(t) AS j FROM (
  SELECT * REPLACE (to_base64(bl) AS bl, to_base64(unhex(replace(u::VARCHAR, '-', ''))) AS u,
                    epoch_us(ts) AS ts, epoch_us(tz) AS tz, epoch_us(tms) AS tms,
                    epoch_us(tns) AS tns,
                    (extract(hour FROM tm)::BIGINT * 3600000000 + extract(minute FROM tm)::BIGINT * 60000000 + extract(microsecond FROM tm)::BIGINT) AS tm)
  FROM read_parquet(@PATH@)) t
)";

std::string Replace(std::string text, const std::string& what, const std::string& with) {
  text.replace(text.find(what), what.size(), with);
  return text;
}

class DuckDbReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!DuckDbQuery("SELECT 1 AS one").ok()) GTEST_SKIP() << "DuckDB is not available";
  }

  // Writes `rows` rows with DuckDB under `copy_options`, reads them with batch size `batch`,
  // and compares every value with DuckDB's.
  void Check(int64_t rows, const std::string& copy_options, int64_t batch) {
    SCOPED_TRACE(copy_options);
    silt::testing::TempDir dir;
    const std::string path = dir.Join("x.parquet");
    ASSERT_OK(DuckDbQuery(fmt::format("COPY ({}) TO {} (FORMAT parquet, {}); SELECT 1 AS one",
                                      Replace(kAllTypes, "@ROWS@", std::to_string(rows)),
                                      SqlQuote(path), copy_options)));
    ASSERT_OK_AND_ASSIGN(auto lines, DuckDbQuery(Replace(kOracle, "@PATH@", SqlQuote(path))));
    ASSERT_EQ(static_cast<int64_t>(lines.size()), rows);
    json::Parser parser;
    std::string expected_json = "[";
    for (size_t i = 0; i < lines.size(); ++i) {
      ASSERT_OK_AND_ASSIGN(auto obj, parser.ParseObject(lines[i]));
      ASSERT_OK_AND_ASSIGN(auto text, obj.GetString("j"));
      if (i > 0) expected_json += ",";
      expected_json += text;
    }
    expected_json += "]";

    fs::LocalFileSystem fs;
    ReadOptions options;
    options.batch_size = batch;
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, path, options));
    EXPECT_EQ(reader->num_rows(), rows);
    EXPECT_EQ(reader->schema()->ToString(),
              "struct<id:bigint,i8:tinyint,i16:smallint,i32:int,i64:bigint,u8:smallint,"
              "u16:int,u32:bigint,u64:decimal(20,0),b:boolean,f:float,d:double,s:string,"
              "s2:string,bl:binary,dt:date,ts:timestamp_ntz,tz:timestamp,tms:timestamp_ntz,"
              "tns:timestamp_ntz,tm:bigint,dec9:decimal(9,2),dec18:decimal(18,4),"
              "dec38:decimal(38,6),u:binary,li:array<bigint>,ls:array<string>,"
              "st:struct<x:bigint,y:string,z:array<bigint>>,m:map<string,bigint>,"
              "ll:array<array<bigint>>,lst:array<struct<a:bigint,b:array<string>>>,"
              "nst:struct<inner:struct<v:bigint,w:array<date>>>,"
              "mdec:map<bigint,array<decimal(5,2)>>>");
    ASSERT_OK_AND_ASSIGN(auto expected, col::RecordBatchFromJson(reader->schema(), expected_json));
    int64_t offset = 0;
    while (true) {
      ASSERT_OK_AND_ASSIGN(auto next, reader->Next());
      if (!next) break;
      const auto& got = *next;
      ASSERT_LE(got->num_rows(), batch);
      auto want = expected->Slice(offset, got->num_rows());
      for (int c = 0; c < got->num_columns(); ++c) {
        if (!got->column(c)->Equals(*want->column(c))) {
          ADD_FAILURE() << "column " << got->schema()->field(c).name() << " rows " << offset
                        << "..: got " << got->column(c)->ToString().substr(0, 600) << "\nwant "
                        << want->column(c)->ToString().substr(0, 600);
          return;
        }
      }
      offset += got->num_rows();
    }
    EXPECT_EQ(offset, rows);
  }
};

TEST_F(DuckDbReadTest, V1Snappy) { Check(3000, "CODEC 'snappy', ROW_GROUP_SIZE 1000", 777); }
TEST_F(DuckDbReadTest, V2Zstd) {
  Check(3000, "CODEC 'zstd', ROW_GROUP_SIZE 2048, PARQUET_VERSION 'v2'", 1000);
}
TEST_F(DuckDbReadTest, V1GzipOneBatch) { Check(2500, "CODEC 'gzip'", 1 << 20); }
TEST_F(DuckDbReadTest, V2Uncompressed) {
  Check(1500, "CODEC 'uncompressed', PARQUET_VERSION 'v2', ROW_GROUP_SIZE 100", 64);
}

}  // namespace
}  // namespace silt::parquet
