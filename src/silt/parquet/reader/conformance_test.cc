// Reads every .parquet file of the conformance corpus (Spark, delta-rs, DuckDB, ... writers:
// INT96, legacy lists, dictionary and v2 pages, every codec) into record batches and checks the
// row count against the footer. Files listed in kSkip are ones silt knowingly cannot read yet.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/fs/local_file_system.h"
#include "silt/json/json_reader.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/conformance.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

// Path suffix -> why it is skipped.
const std::map<std::string, std::string>& SkipList() {
  static const auto* skips = new std::map<std::string, std::string>{};
  return *skips;
}

TEST(ConformanceTest, ReadsEveryParquetFile) {
  fs::LocalFileSystem fs;
  auto entries = silt::testing::ListConformanceParquetFiles(fs);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  int files = 0, failed = 0, skipped = 0;
  int64_t rows = 0;
  std::string failures;
  for (const auto& e : *entries) {
    bool skip = false;
    for (const auto& [suffix, why] : SkipList()) skip |= e.path.ends_with(suffix);
    if (skip) {
      ++skipped;
      continue;
    }
    ++files;
    ReadOptions options;
    options.batch_size = 4096;
    auto reader = FileReader::Open(fs, e.path, options);
    Status status = reader.status();
    int64_t n = 0;
    if (status.ok()) {
      while (true) {
        auto batch = (*reader)->Next();
        if (!batch.ok()) {
          status = batch.status();
          break;
        }
        if (!batch->has_value()) break;
        n += (**batch)->num_rows();
      }
      if (status.ok() && n != (*reader)->num_rows()) {
        status = Status::Internal("read {} rows, the footer says {}", n, (*reader)->num_rows());
      }
    }
    rows += n;
    if (!status.ok()) {
      ++failed;
      failures += e.path + ": " + status.ToString() + "\n";
    }
  }
  std::cout << files << " files, " << rows << " rows, " << failed << " failed, " << skipped
            << " skipped\n";
  EXPECT_GT(files, 100);
  EXPECT_EQ(failed, 0) << failures;
}

// Per top-level column: the non-null count and, for lists and maps, the total number of elements
// (for other columns the count again), over the whole file.
struct ColumnCounts {
  std::vector<int64_t> count, elements;
};

std::string ListText(const std::vector<int64_t>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  return out + "]";
}

// Nested structure against DuckDB over the corpus: null counts of every top-level column and the
// total element counts of every list and map column must match what DuckDB reads.
TEST(ConformanceTest, NestedCountsMatchDuckDb) {
  if (!silt::testing::DuckDbQuery("SELECT 1 AS one").ok()) GTEST_SKIP() << "no DuckDB";
  fs::LocalFileSystem fs;
  auto entries = silt::testing::ListConformanceParquetFiles(fs);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  std::vector<std::string> paths;
  std::vector<ColumnCounts> ours;
  std::string sql;
  for (const auto& e : *entries) {
    auto batches = ReadTable(fs, e.path);
    if (!batches.ok() || batches->empty()) continue;
    const auto& schema = (*batches)[0]->schema();
    if (schema->num_fields() == 0) continue;
    ColumnCounts counts;
    std::string c_list, s_list;
    for (int k = 0; k < schema->num_fields(); ++k) {
      int64_t count = 0, elements = 0;
      const auto id = schema->field(k).type()->id();
      for (const auto& b : *batches) {
        const auto& a = b->column(k);
        count += a->length() - a->null_count();
        if (id == columnar::TypeId::kList || id == columnar::TypeId::kMap) {
          auto l = columnar::ArrayCast<columnar::ListArray>(a);
          for (int64_t i = 0; i < l->length(); ++i)
            elements += l->IsNull(i) ? 0 : l->value_length(i);
        }
      }
      std::string col = "#" + std::to_string(k + 1);
      std::string el = id == columnar::TypeId::kList  ? "coalesce(sum(len(" + col + ")), 0)"
                       : id == columnar::TypeId::kMap ? "coalesce(sum(cardinality(" + col + ")), 0)"
                                                      : "count(" + col + ")";
      if (id != columnar::TypeId::kList && id != columnar::TypeId::kMap) elements = count;
      counts.count.push_back(count);
      counts.elements.push_back(elements);
      c_list += (k ? ", " : "") + std::string("count(") + col + ")";
      s_list += (k ? ", " : "") + el;
    }
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT " + std::to_string(paths.size()) + " AS k, [" + c_list +
           "]::BIGINT[]::VARCHAR AS c, [" + s_list +
           "]::BIGINT[]::VARCHAR AS s FROM read_parquet(" + silt::testing::SqlQuote(e.path) + ")";
    paths.push_back(e.path);
    ours.push_back(std::move(counts));
  }
  ASSERT_GT(paths.size(), 100u);
  ASSERT_OK_AND_ASSIGN(auto rows, silt::testing::DuckDbQuery(sql));
  ASSERT_EQ(rows.size(), paths.size());
  int mismatches = 0;
  for (const auto& row : rows) {
    // {"k":"12","c":"[1, 2]","s":"[1, 5]"}
    auto field = [&](const std::string& key) {
      size_t at = row.find("\"" + key + "\":") + key.size() + 3;
      size_t end = std::string::npos;
      if (row[at] == '"') {
        end = row.find('"', ++at);
      } else {
        end = row.find_first_of(",}", at);
      }
      return row.substr(at, end - at);
    };
    const size_t k = std::stoul(field("k"));
    const std::string want_c = field("c"), want_s = field("s");
    if (want_c != ListText(ours[k].count) || want_s != ListText(ours[k].elements)) {
      ++mismatches;
      ADD_FAILURE() << paths[k] << ": DuckDB counts " << want_c << " elements " << want_s
                    << ", ours " << ListText(ours[k].count) << " / " << ListText(ours[k].elements);
    }
  }
  std::cout << paths.size() << " files compared, " << mismatches << " mismatches\n";
}

// True when DuckDB's to_json of a value of this type parses back into the same columnar value.
bool JsonComparable(const columnar::DataType& t) {
  using columnar::TypeId;
  switch (t.id()) {
    case TypeId::kBinary:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return false;
    case TypeId::kStruct:
      for (const auto& f : columnar::AsStruct(t).fields()) {
        if (!JsonComparable(*f.type())) return false;
      }
      return true;
    case TypeId::kList:
      return JsonComparable(*columnar::AsList(t).element_type());
    case TypeId::kMap:
      return columnar::AsMap(t).key_type()->id() == TypeId::kString &&
             JsonComparable(*columnar::AsMap(t).value_type());
    default:
      return true;
  }
}

// Values against DuckDB over the corpus: the first rows of every file, every top-level column
// whose values DuckDB's JSON can express (timestamps as epoch micros, binary as base64, nested
// values of JSON-friendly types), parsed into our schema and compared with Array::Equals.
TEST(ConformanceTest, ValuesMatchDuckDb) {
  if (!silt::testing::DuckDbQuery("SELECT 1 AS one").ok()) GTEST_SKIP() << "no DuckDB";
  fs::LocalFileSystem fs;
  auto entries = silt::testing::ListConformanceParquetFiles(fs);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  constexpr int64_t kRows = 200;
  struct Expect {
    std::string path;
    columnar::RecordBatchPtr ours;
  };
  std::vector<Expect> files;
  std::string sql;
  for (const auto& e : *entries) {
    ReadOptions options;
    options.batch_size = kRows;
    auto reader = FileReader::Open(fs, e.path, options);
    if (!reader.ok()) continue;
    auto batch = (*reader)->Next();
    if (!batch.ok() || !batch->has_value()) continue;
    const auto& b = **batch;
    std::vector<int> keep;
    std::string select;
    for (int k = 0; k < b->num_columns(); ++k) {
      const auto& type = *b->schema()->field(k).type();
      std::string ref = "#" + std::to_string(k + 1);
      std::string expr;
      if (type.id() == columnar::TypeId::kBinary) {
        expr = "to_base64(" + ref + "::BLOB)";
      } else if (type.id() == columnar::TypeId::kTimestamp ||
                 type.id() == columnar::TypeId::kTimestampNtz) {
        expr = "epoch_us(" + ref + ")";
      } else if (JsonComparable(type)) {
        expr = ref;
      } else {
        continue;
      }
      select += (select.empty() ? "" : ", ") + expr + " AS c" + std::to_string(keep.size());
      keep.push_back(k);
    }
    if (keep.empty()) continue;
    std::vector<columnar::Field> fields;
    std::vector<columnar::ArrayPtr> columns;
    for (size_t i = 0; i < keep.size(); ++i) {
      fields.push_back(
          b->schema()->field(keep[i]).WithName("c" + std::to_string(i)).WithNullable(true));
      columns.push_back(b->column(keep[i]));
    }
    auto projected =
        columnar::RecordBatch::Make(columnar::Schema::Make(fields), b->num_rows(), columns);
    ASSERT_OK(projected.status());
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT " + std::to_string(files.size()) +
           " AS k, to_json(t)::VARCHAR AS j FROM (SELECT " + select + " FROM read_parquet(" +
           silt::testing::SqlQuote(e.path) + ") LIMIT " + std::to_string(kRows) + ") t";
    files.push_back({e.path, *projected});
  }
  ASSERT_GT(files.size(), 100u);
  ASSERT_OK_AND_ASSIGN(auto rows, silt::testing::DuckDbQuery(sql));
  std::vector<std::string> json(files.size());
  json::Parser parser;
  for (const auto& row : rows) {
    ASSERT_OK_AND_ASSIGN(auto obj, parser.ParseObject(row));
    ASSERT_OK_AND_ASSIGN(int64_t k, obj.GetInt64("k"));
    ASSERT_OK_AND_ASSIGN(auto text, obj.GetString("j"));
    auto& out = json[static_cast<size_t>(k)];
    out += (out.empty() ? "[" : ",") + std::string(text);
  }
  int compared = 0, unparsable = 0, mismatches = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    const auto& ours = files[f].ours;
    auto expected = columnar::RecordBatchFromJson(ours->schema(), json[f] + "]");
    if (!expected.ok()) {
      // NaN/Infinity (not JSON), TIME columns (DuckDB text vs our micros), ...
      ++unparsable;
      continue;
    }
    ++compared;
    if ((*expected)->num_rows() != ours->num_rows()) {
      ++mismatches;
      ADD_FAILURE() << files[f].path << ": DuckDB " << (*expected)->num_rows() << " rows, ours "
                    << ours->num_rows();
      continue;
    }
    for (int c = 0; c < ours->num_columns(); ++c) {
      if (!ours->column(c)->Equals(*(*expected)->column(c))) {
        ++mismatches;
        ADD_FAILURE() << files[f].path << " column " << c << " ("
                      << ours->schema()->field(c).type()->ToString() << "): ours "
                      << ours->column(c)->ToString().substr(0, 300) << "\nDuckDB "
                      << (*expected)->column(c)->ToString().substr(0, 300);
        break;
      }
    }
  }
  std::cout << compared << " files compared value by value, " << unparsable
            << " not expressible in DuckDB's JSON, " << mismatches << " mismatches\n";
  EXPECT_GT(compared, static_cast<int>(files.size()) * 8 / 10);
}

}  // namespace
}  // namespace silt::parquet
