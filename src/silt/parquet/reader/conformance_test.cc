// Reads every .parquet file of the conformance corpus (Spark, delta-rs, DuckDB, ... writers:
// INT96, legacy lists, dictionary and v2 pages, every codec) into record batches and checks the
// row count against the footer. Files listed in kSkip are ones silt knowingly cannot read yet.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

// Path suffix -> why it is skipped.
const std::map<std::string, std::string>& SkipList() {
  static const auto* skips = new std::map<std::string, std::string>{
  };
  return *skips;
}

TEST(ConformanceTest, ReadsEveryParquetFile) {
  fs::LocalFileSystem fs;
  fs::ListOptions list;
  list.recursive = true;
  auto entries = fs.List(silt::testing::ConformanceDir(), list);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  int files = 0, failed = 0, skipped = 0;
  int64_t rows = 0;
  std::string failures;
  for (const auto& e : *entries) {
    if (e.is_dir || !e.path.ends_with(".parquet")) continue;
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
  fs::ListOptions list;
  list.recursive = true;
  auto entries = fs.List(silt::testing::ConformanceDir(), list);
  if (!entries.ok() || entries->empty()) GTEST_SKIP() << "no conformance corpus";
  std::vector<std::string> paths;
  std::vector<ColumnCounts> ours;
  std::string sql;
  for (const auto& e : *entries) {
    if (e.is_dir || !e.path.ends_with(".parquet")) continue;
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
          for (int64_t i = 0; i < l->length(); ++i) elements += l->IsNull(i) ? 0 : l->value_length(i);
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
    sql += "SELECT " + std::to_string(paths.size()) + " AS k, [" + c_list + "]::BIGINT[]::VARCHAR AS c, [" +
           s_list + "]::BIGINT[]::VARCHAR AS s FROM read_parquet(" + silt::testing::SqlQuote(e.path) + ")";
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

}  // namespace
}  // namespace silt::parquet
