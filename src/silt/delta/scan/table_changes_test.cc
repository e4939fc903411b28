#include "silt/delta/scan/table_changes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "silt/columnar/pretty.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

class TableChangesTest : public ::testing::Test {
 protected:
  std::string Table(const std::string& name) {
    std::string root = silt::testing::ConformanceDir() + "/delta-kernel-rs.data/" + name;
    Result<bool> exists = fs_.Exists(root);
    if (!exists.ok() || !*exists) return {};
    return root;
  }
  // (version, change type) -> rendered rows of the data columns.
  std::map<std::pair<int64_t, std::string>, std::multiset<std::string>> Changes(
      const std::string& root, int64_t from, std::optional<int64_t> to = {},
      const TableChangesOptions& options = {}) {
    std::map<std::pair<int64_t, std::string>, std::multiset<std::string>> out;
    auto it = TableChanges(fs_, root, from, to, options);
    EXPECT_TRUE(it.ok()) << it.error();
    if (!it.ok()) return out;
    while (true) {
      auto batch = (*it)->Next();
      EXPECT_TRUE(batch.ok()) << batch.error();
      if (!batch.ok() || !batch->has_value()) break;
      const columnar::RecordBatch& b = ***batch;
      int n = b.num_columns();
      EXPECT_EQ(b.schema()->field(n - 3).name(), kChangeTypeColumnName);
      EXPECT_EQ(b.schema()->field(n - 2).name(), kCommitVersionColumnName);
      EXPECT_EQ(b.schema()->field(n - 1).name(), kCommitTimestampColumnName);
      for (int64_t r = 0; r < b.num_rows(); ++r) {
        std::string row;
        for (int c = 0; c < n - 3; ++c) row += columnar::ValueToJson(*b.column(c), r) + ",";
        int64_t version = static_cast<const columnar::Int64Array&>(*b.column(n - 2)).Value(r);
        EXPECT_FALSE(b.column(n - 1)->IsNull(r));
        out[{version, columnar::ValueToJson(*b.column(n - 3), r)}].insert(row);
      }
    }
    return out;
  }
  fs::LocalFileSystem fs_;
};

TEST_F(TableChangesTest, DeletionVectorChangesAreRowLevel) {
  std::string root = Table("cdf-table-with-dv");
  if (root.empty()) GTEST_SKIP() << "corpus table absent";
  auto changes = Changes(root, 0);
  size_t total = 0;
  for (const auto& [key, rows] : changes) {
    total += rows.size();
  }
  EXPECT_EQ(changes[std::make_pair(int64_t{0}, std::string("\"insert\""))].size(), 10u);
  EXPECT_EQ(changes[std::make_pair(int64_t{1}, std::string("\"delete\""))].size(), 2u);
  // delta-kernel-rs's cdf_with_deletion_vector lists these 24 rows (insert 0..9; delete 0, 9;
  // insert 0, 9; delete 0, 1, 4, 5; insert 1, 4; delete 3 and insert 0, 5; insert 3).
  EXPECT_EQ(total, 24u);
  auto rows = [&](int64_t v, const char* type) {
    return changes[std::make_pair(v, std::string("\"") + type + "\"")];
  };
  EXPECT_EQ(rows(1, "delete"), (std::multiset<std::string>{"0,", "9,"}));
  EXPECT_EQ(rows(3, "delete"), (std::multiset<std::string>{"0,", "1,", "4,", "5,"}));
  EXPECT_EQ(rows(5, "delete"), (std::multiset<std::string>{"3,"}));
  EXPECT_EQ(rows(5, "insert"), (std::multiset<std::string>{"0,", "5,"}));
  EXPECT_EQ(rows(6, "insert"), (std::multiset<std::string>{"3,"}));
}

TEST_F(TableChangesTest, ChangeDataFilesCarryTheirChangeType) {
  std::string root = Table("cdf-table");
  if (root.empty()) GTEST_SKIP() << "corpus table absent";
  auto changes = Changes(root, 0);
  std::set<std::string> kinds;
  for (const auto& [key, rows] : changes) {
    kinds.insert(key.second);
    EXPECT_GE(key.first, 0);
    EXPECT_LE(key.first, 3);
  }
  EXPECT_TRUE(kinds.contains("\"insert\""));
  EXPECT_TRUE(kinds.contains("\"update_preimage\""));
  EXPECT_TRUE(kinds.contains("\"update_postimage\""));
  EXPECT_TRUE(kinds.contains("\"delete\""));
  EXPECT_EQ(changes[std::make_pair(int64_t{0}, std::string("\"insert\""))].size(), 10u);
  EXPECT_EQ(changes[std::make_pair(int64_t{1}, std::string("\"update_preimage\""))].size(), 3u);
  EXPECT_EQ(changes[std::make_pair(int64_t{3}, std::string("\"delete\""))].size(), 1u);
  // From version 1 on there are no version-0 rows.
  for (const auto& [key, rows] : Changes(root, 1)) EXPECT_GE(key.first, 1);
}

TEST_F(TableChangesTest, ExcludedPathsLeaveOutTheirFilesRows) {
  std::string root = Table("cdf-table");
  if (root.empty()) GTEST_SKIP() << "corpus table absent";
  auto all = Changes(root, 0);
  TableChangesOptions options;
  std::vector<std::string> asked;
  options.exclude_path = [&](std::string_view path) {
    asked.emplace_back(path);
    return path.find("birthday=2023-12-23") != std::string_view::npos;
  };
  auto kept = Changes(root, 0, std::nullopt, options);
  // Paths as in the log: data files of version 0, change files of versions 1 and 2.
  EXPECT_NE(std::find(asked.begin(), asked.end(),
                      "birthday=2023-12-23/part-00001-723d68a5-94eb-4acc-9db1-e985867a1a6c.c000."
                      "snappy.parquet"),
            asked.end());
  EXPECT_NE(std::find(asked.begin(), asked.end(),
                      "_change_data/birthday=2023-12-23/cdc-00000-fb59d34a-5bd7-4b10-8c41-"
                      "71e38c07fdc2.c000.snappy.parquet"),
            asked.end());
  // Every row of an excluded file is gone, every other row is still there with its version
  // and change type.
  size_t dropped = 0;
  for (const auto& [key, rows] : all) {
    std::multiset<std::string> expected;
    for (const std::string& row : rows) {
      if (row.find("2023-12-23") != std::string::npos) {
        ++dropped;
      } else {
        expected.insert(row);
      }
    }
    auto it = kept.find(key);
    if (expected.empty()) {
      EXPECT_TRUE(it == kept.end() || it->second.empty()) << key.first << " " << key.second;
    } else {
      ASSERT_NE(it, kept.end()) << key.first << " " << key.second;
      EXPECT_EQ(it->second, expected) << key.first << " " << key.second;
    }
  }
  EXPECT_GT(dropped, 0u);
  // Excluding every change file of a commit leaves it empty: its add and remove files are not
  // read instead.
  options.exclude_path = [](std::string_view path) { return path.starts_with("_change_data/"); };
  for (const auto& [key, rows] : Changes(root, 1, 1, options)) {
    EXPECT_TRUE(rows.empty()) << key.first << " " << key.second;
  }
}

TEST_F(TableChangesTest, AGivenSnapshotReadsTheSameChangesWithoutLoadingOne) {
  std::string root = Table("cdf-table");
  if (root.empty()) GTEST_SKIP() << "corpus table absent";
  SnapshotOptions snapshot_options;
  snapshot_options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, root, snapshot_options));
  TableChangesOptions options;
  options.snapshot = snapshot;
  for (int64_t from = 0; from <= 3; ++from) {
    EXPECT_EQ(Changes(root, from, from, options), Changes(root, from, from)) << from;
  }
  EXPECT_EQ(Changes(root, 1, 3, options), Changes(root, 1, 3));
  // The end is the caller's: it must be given.
  EXPECT_STATUS_CODE(kInvalidArgument, TableChanges(fs_, root, 1, std::nullopt, options));
}

TEST_F(TableChangesTest, BadRangesAreInvalidArgument) {
  std::string root = Table("cdf-table");
  if (root.empty()) GTEST_SKIP() << "corpus table absent";
  EXPECT_STATUS_CODE(kInvalidArgument, TableChanges(fs_, root, -1));
  EXPECT_STATUS_CODE(kInvalidArgument, TableChanges(fs_, root, 2, 1));
  EXPECT_STATUS_CODE(kInvalidArgument, TableChanges(fs_, root, 4));
}

}  // namespace
}  // namespace silt::delta
