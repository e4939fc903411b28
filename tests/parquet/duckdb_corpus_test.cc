// Value-level oracle over the conformance corpus: for every flat integer, boolean, string, date,
// timestamp (INT64 and INT96), decimal (INT32, INT64, FLBA, BYTE_ARRAY), float and double column
// of every .parquet file, the non-null count and the sum (of values, days, epoch units, unscaled
// decimals or string byte lengths; min and max for floating point) we decode must equal what
// DuckDB computes from the same file. Skipped when DuckDB
// cannot be run.
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "parquet/chunk_walker.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/int96.h"
#include "silt/parquet/schema.h"
#include "testing/conformance.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"

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

enum class Kind { kInteger, kBoolean, kString, kFloat, kDouble, kDate, kTimestamp, kInt96, kDecimal };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kInteger: return "integer";
    case Kind::kBoolean: return "boolean";
    case Kind::kString: return "string";
    case Kind::kFloat: return "float";
    case Kind::kDouble: return "double";
    case Kind::kDate: return "date";
    case Kind::kTimestamp: return "timestamp";
    case Kind::kInt96: return "int96";
    case Kind::kDecimal: return "decimal";
  }
  return "?";
}

struct Check {
  std::string path;
  std::string column;
  int leaf = 0;
  Kind kind = Kind::kInteger;
  int64_t multiplier = 1;  // timestamps: to the unit DuckDB's epoch function returns
  bool nanos = false;      // timestamps in nanoseconds: epoch_ns
  int32_t scale = 0;       // decimals
};

// Unscaled decimal as DuckDB prints it: "-12.340" for -12340 at scale 3.
std::string FormatDecimal(__int128 unscaled, int32_t scale) {
  std::string digits = Int128ToString(unscaled < 0 ? -unscaled : unscaled);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return unscaled < 0 ? "-" + digits : digits;
}

// Big-endian two's complement bytes (FLBA / BYTE_ARRAY decimals).
__int128 BigEndianToInt128(std::string_view bytes) {
  unsigned __int128 v = 0;
  for (char ch : bytes) v = (v << 8) | static_cast<uint8_t>(ch);
  size_t bits = bytes.size() * 8;
  if (bits > 0 && bits < 128 && (static_cast<uint8_t>(bytes[0]) & 0x80)) {
    v |= ~static_cast<unsigned __int128>(0) << bits;  // sign-extend
  }
  return static_cast<__int128>(v);
}

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
  ASSERT_OK_AND_ASSIGN(auto entries, silt::testing::ListConformanceParquetFiles(fs));
  std::vector<Check> checks;
  for (const auto& e : entries) {
    ASSERT_OK_AND_ASSIGN(auto file, fs.OpenRandomAccess(e.path));
    ASSERT_OK_AND_ASSIGN(FileMetaData md, ReadFileMetaData(*file));
    ASSERT_OK_AND_ASSIGN(auto leaves, ComputeLeafColumns(md.schema));
    for (size_t i = 0; i < leaves.size(); ++i) {
      const LeafColumn& leaf = leaves[i];
      const SchemaElement& el = md.schema[static_cast<size_t>(leaf.schema_index)];
      if (leaf.path.size() != 1 || leaf.max_repetition_level != 0) continue;
      Check c{e.path, leaf.path[0], static_cast<int>(i), Kind::kInteger};
      bool annotated = el.converted_type.has_value() || el.logical_type.has_value();
      using LK = LogicalType::Kind;
      auto logical = el.logical_type ? el.logical_type->kind : LK::kUnrecognized;
      bool is_string = el.converted_type == ConvertedType::kUtf8 || logical == LK::kString;
      bool is_decimal = el.converted_type == ConvertedType::kDecimal || logical == LK::kDecimal;
      if (is_decimal) {
        c.kind = Kind::kDecimal;
        c.scale = el.logical_type && logical == LK::kDecimal ? el.logical_type->scale
                                                              : el.scale.value_or(0);
      } else if ((leaf.type == PhysicalType::kInt32 || leaf.type == PhysicalType::kInt64) &&
                 !annotated) {
        c.kind = Kind::kInteger;
      } else if (leaf.type == PhysicalType::kInt32 &&
                 (el.converted_type == ConvertedType::kDate || logical == LK::kDate)) {
        c.kind = Kind::kDate;
      } else if (leaf.type == PhysicalType::kInt64 &&
                 (logical == LK::kTimestamp ||
                  el.converted_type == ConvertedType::kTimestampMicros ||
                  el.converted_type == ConvertedType::kTimestampMillis)) {
        c.kind = Kind::kTimestamp;
        TimeUnit unit = logical == LK::kTimestamp ? el.logical_type->unit
                        : el.converted_type == ConvertedType::kTimestampMillis ? TimeUnit::kMillis
                                                                                : TimeUnit::kMicros;
        c.multiplier = unit == TimeUnit::kMillis ? 1000 : 1;
        c.nanos = unit == TimeUnit::kNanos;
      } else if (leaf.type == PhysicalType::kInt96 && !annotated) {
        c.kind = Kind::kInt96;
      } else if (leaf.type == PhysicalType::kBoolean) {
        c.kind = Kind::kBoolean;
      } else if (leaf.type == PhysicalType::kByteArray && is_string) {
        c.kind = Kind::kString;
      } else if (leaf.type == PhysicalType::kFloat && !annotated) {
        c.kind = Kind::kFloat;
      } else if (leaf.type == PhysicalType::kDouble && !annotated) {
        c.kind = Kind::kDouble;
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
    std::string sum, extra = "NULL";
    switch (c.kind) {
      case Kind::kInteger: sum = "sum(" + col + "::HUGEINT)"; break;
      case Kind::kBoolean: sum = "sum(" + col + "::INT)"; break;
      case Kind::kString: sum = "sum(strlen(" + col + "))"; break;
      case Kind::kDate: sum = "sum((" + col + " - DATE '1970-01-01')::HUGEINT)"; break;
      case Kind::kTimestamp:
        sum = std::string("sum(") + (c.nanos ? "epoch_ns(" : "epoch_us(") + col + ")::HUGEINT)";
        break;
      case Kind::kInt96: sum = "sum(epoch_us(" + col + ")::HUGEINT)"; break;
      case Kind::kDecimal: sum = "sum(" + col + ")"; break;
      case Kind::kFloat:
      case Kind::kDouble:
        sum = "min(" + col + ")";
        extra = "max(" + col + ")";
        break;
    }
    if (i > 0) sql += " UNION ALL ";
    sql += fmt::format("SELECT '{}' AS k, count({})::VARCHAR AS c, {}::VARCHAR AS s, "
                       "{}::VARCHAR AS t FROM read_parquet({})",
                       i, col, sum, extra, silt::testing::SqlQuote(c.path));
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
    std::string expected_sum;
    switch (c.kind) {
      case Kind::kString:
        count = values.bytes.size();
        for (int64_t i = 0; i < count; ++i) sum += static_cast<__int128>(values.bytes.value(i).size());
        break;
      case Kind::kInt96:
        count = values.bytes.size();
        for (int64_t i = 0; i < count; ++i) {
          Int96 v;
          std::memcpy(v.bytes, values.bytes.value(i).data(), 12);
          ASSERT_OK_AND_ASSIGN(int64_t micros, Int96ToUnixMicros(v));
          sum += micros;
        }
        break;
      case Kind::kDecimal:
        if (values.bytes.size() > 0 || values.ints.empty()) {
          count = values.bytes.size();
          for (int64_t i = 0; i < count; ++i) sum += BigEndianToInt128(values.bytes.value(i));
        } else {
          count = static_cast<int64_t>(values.ints.size());
          for (int64_t v : values.ints) sum += v;
        }
        expected_sum = FormatDecimal(sum, c.scale);
        break;
      case Kind::kFloat:
      case Kind::kDouble: {
        count = static_cast<int64_t>(values.doubles.size());
        bool nan = false;
        double lo = INFINITY, hi = -INFINITY;
        for (double v : values.doubles) {
          nan |= std::isnan(v);
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
        if (count > 0 && !nan) {
          std::string s_min = Field(row, "s"), s_max = Field(row, "t");
          if (c.kind == Kind::kFloat) {
            EXPECT_EQ(std::stof(s_min), static_cast<float>(lo)) << s_min;
            EXPECT_EQ(std::stof(s_max), static_cast<float>(hi)) << s_max;
          } else {
            EXPECT_EQ(std::stod(s_min), lo) << s_min;
            EXPECT_EQ(std::stod(s_max), hi) << s_max;
          }
        }
        expected_sum = "skip";
        break;
      }
      default:
        count = static_cast<int64_t>(values.ints.size());
        for (int64_t v : values.ints) sum += static_cast<__int128>(v) * c.multiplier;
        break;
    }
    EXPECT_EQ(Field(row, "c"), std::to_string(count));
    if (expected_sum != "skip") {
      if (expected_sum.empty()) expected_sum = Int128ToString(sum);
      EXPECT_EQ(Field(row, "s"), count == 0 ? "null" : expected_sum);
    }
    ++compared;
    by_kind[KindName(c.kind)]++;
  }
  std::cout << "Compared " << compared << " columns with DuckDB:";
  for (const auto& [k, n] : by_kind) std::cout << " " << k << "=" << n;
  std::cout << "\n";
}

}  // namespace
}  // namespace silt::parquet
