// Value-level oracle over the conformance corpus: for every flat integer, boolean and string
// column of every .parquet file, the non-null count and the sum (of values, or of string byte
// lengths) we decode must equal what DuckDB computes from the same file. Skipped when DuckDB
// cannot be run.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "parquet/chunk_walker.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/schema.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

std::string Int128ToString(__int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : v;
  std::string s;
  while (u > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return negative ? "-" + s : s;
}

enum class Kind { kInteger, kBoolean, kString };

struct Check {
  std::string path;
  std::string column;
  int leaf = 0;
  Kind kind = Kind::kInteger;
};

std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

// "key":"value" from one JSON line of DuckDbQuery (values are cast to VARCHAR in the SQL).
std::string Field(const std::string& json, const std::string& key) {
  std::string needle = "\"" + key + "\":";
  size_t at = json.find(needle);
  if (at == std::string::npos) return "<missing>";
  at += needle.size();
  if (json.compare(at, 4, "null") == 0) return "null";
  size_t end = json.find('"', at + 1);
  return json.substr(at + 1, end - at - 1);
}

TEST(DuckDbCorpusTest, DecodedValuesMatchDuckDb) {
  if (!silt::testing::DuckDbQuery("SELECT 1 AS one").ok()) {
    GTEST_SKIP() << "DuckDB (node @duckdb/node-api) is not available";
  }
  fs::LocalFileSystem fs;
  fs::ListOptions options;
  options.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto entries, fs.List(silt::testing::ConformanceDir(), options));
  std::vector<Check> checks;
  for (const auto& e : entries) {
    if (e.is_dir || !e.path.ends_with(".parquet")) continue;
    ASSERT_OK_AND_ASSIGN(auto file, fs.OpenRandomAccess(e.path));
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(*file));
    ASSERT_OK_AND_ASSIGN(auto leaves, ComputeLeafColumns(md.schema));
    for (size_t i = 0; i < leaves.size(); ++i) {
      const LeafColumn& leaf = leaves[i];
      const SchemaElement& el = md.schema[static_cast<size_t>(leaf.schema_index)];
      if (leaf.path.size() != 1 || leaf.max_repetition_level != 0) continue;
      Check c{e.path, leaf.path[0], static_cast<int>(i), Kind::kInteger};
      bool annotated = el.converted_type.has_value() || el.logical_type.has_value();
      bool is_string = (el.converted_type == ConvertedType::kUtf8) ||
                       (el.logical_type && el.logical_type->kind == LogicalType::Kind::kString);
      if ((leaf.type == PhysicalType::kInt32 || leaf.type == PhysicalType::kInt64) &&
          !annotated) {
        c.kind = Kind::kInteger;
      } else if (leaf.type == PhysicalType::kBoolean) {
        c.kind = Kind::kBoolean;
      } else if (leaf.type == PhysicalType::kByteArray && is_string) {
        c.kind = Kind::kString;
      } else {
        continue;
      }
      checks.push_back(c);
    }
  }
  ASSERT_GT(checks.size(), 500u);

  // One DuckDB run for everything.
  std::string sql;
  for (size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    std::string col = Quote(c.column);
    std::string sum = c.kind == Kind::kInteger   ? "sum(" + col + "::HUGEINT)"
                      : c.kind == Kind::kBoolean ? "sum(" + col + "::INT)"
                                                 : "sum(strlen(" + col + "))";
    if (i > 0) sql += " UNION ALL ";
    sql += fmt::format("SELECT '{}' AS k, count({})::VARCHAR AS c, {}::VARCHAR AS s FROM "
                       "read_parquet({})",
                       i, col, sum, silt::testing::SqlQuote(c.path));
  }
  ASSERT_OK_AND_ASSIGN(auto rows, silt::testing::DuckDbQuery(sql));
  ASSERT_EQ(rows.size(), checks.size());

  int64_t compared = 0;
  std::map<std::string, int> by_kind;
  for (const std::string& row : rows) {
    size_t k = std::stoul(Field(row, "k"));
    const Check& c = checks[k];
    SCOPED_TRACE(c.path + " column " + c.column);
    testing::Tally tally;
    testing::ColumnValues values;
    ASSERT_OK(testing::WalkFile(fs, c.path, &tally, c.leaf, &values));
    int64_t count = 0;
    __int128 sum = 0;
    if (c.kind == Kind::kString) {
      count = values.bytes.size();
      for (int64_t i = 0; i < count; ++i) sum += static_cast<__int128>(values.bytes.value(i).size());
    } else {
      count = static_cast<int64_t>(values.ints.size());
      for (int64_t v : values.ints) sum += v;
    }
    EXPECT_EQ(Field(row, "c"), std::to_string(count));
    EXPECT_EQ(Field(row, "s"), count == 0 ? "null" : Int128ToString(sum));
    ++compared;
    by_kind[c.kind == Kind::kInteger ? "integer" : c.kind == Kind::kBoolean ? "boolean" : "string"]++;
  }
  std::cout << "Compared " << compared << " columns with DuckDB:";
  for (const auto& [k, n] : by_kind) std::cout << " " << k << "=" << n;
  std::cout << "\n";
}

}  // namespace
}  // namespace silt::parquet
