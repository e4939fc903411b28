#include "testing/conformance.h"

#include <gtest/gtest.h>

namespace silt::testing {
namespace {

TEST(ExpectedMdTest, OneTable) {
  constexpr char kText[] =
      "# t\n"
      "- Table root (relative to this corpus): `./src/t`\n"
      "### What the source asserts / provides\n"
      "- Latest version (max of commits/checkpoints): 99; stated by the source, not a fact\n"
      "### Facts computed by the inventory scan (from the staged files)\n"
      "- Latest version (max of commits/checkpoints): 4; commit JSON versions present: 0..4 "
      "(5 files)\n"
      "- Checkpoints: none\n"
      "- Active files after replay: 3\n"
      "- Protocol (latest by replay): {\"minReaderVersion\":1,\"minWriterVersion\":2}\n"
      "- Partition columns: ['a', 'b']\n"
      "- Table properties: delta.enableChangeDataFeed=true, x=y\n"
      "- Actions in commit JSONs: add=7, remove=2, cdc=1, adds with DV=0\n"
      "- Computed latest row count (sum of footer num_rows of active files minus DV "
      "cardinality): 42\n"
      "## Other places\n"
      "- Active files after replay: 1000\n";
  std::vector<ExpectedTable> tables = ParseExpectedMd(kText, "/corpus");
  ASSERT_EQ(tables.size(), 1u);
  const ExpectedTable& t = tables[0];
  EXPECT_EQ(t.name, "src/t");
  EXPECT_EQ(t.root, "/corpus/src/t");
  EXPECT_EQ(t.latest_version, 4);
  EXPECT_EQ(t.first_commit, 0);
  EXPECT_EQ(t.commit_files, 5);
  EXPECT_FALSE(t.has_gaps);
  EXPECT_TRUE(t.commits_from_zero());
  EXPECT_EQ(t.has_checkpoint, false);
  EXPECT_EQ(t.active_files, 3);
  EXPECT_EQ(t.protocol_json, R"({"minReaderVersion":1,"minWriterVersion":2})");
  EXPECT_EQ(t.partition_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(t.change_data_feed());
  EXPECT_EQ(t.commit_adds, 7);
  EXPECT_EQ(t.commit_removes, 2);
  EXPECT_EQ(t.commit_cdcs, 1);
  EXPECT_EQ(t.commit_dv_adds, 0);
  EXPECT_EQ(t.row_count, 42);
  EXPECT_FALSE(t.rows_unknown);
}

TEST(ExpectedMdTest, SubTablesGapsAndUnknownRows) {
  constexpr char kText[] =
      "## Sub-table `x` (root `./s/t/x`)\n"
      "- Table root (relative to this corpus): `./s/t/x`\n"
      "## Sub-table `y` (root `./s/t/y`)\n"
      "- Table root (relative to this corpus): `./s/t/y`\n"
      "## Sub-table `no-root`\n"
      "### Facts computed by the inventory scan for y (root `./s/t/y`)\n"
      "- Latest version (max of commits/checkpoints): 2; commit JSON versions present: 0..2 "
      "(2 files); gaps: [1] (1 missing)\n"
      "- Checkpoints: 00000000000000000002.checkpoint.parquet\n"
      "- Computed latest row count (sum of footer num_rows of active files minus DV "
      "cardinality): n/a (files missing or absolute paths)\n"
      "### Facts computed by the inventory scan for x (root `./s/t/x`)\n"
      "- No `_delta_log` directory\n";
  std::vector<ExpectedTable> tables = ParseExpectedMd(kText, "/c");
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "s/t/x");
  EXPECT_TRUE(tables[0].no_delta_log);
  EXPECT_FALSE(tables[0].latest_version.has_value());
  EXPECT_EQ(tables[1].name, "s/t/y");
  EXPECT_EQ(tables[1].latest_version, 2);
  EXPECT_TRUE(tables[1].has_gaps);
  EXPECT_FALSE(tables[1].commits_from_zero());
  EXPECT_EQ(tables[1].has_checkpoint, true);
  EXPECT_FALSE(tables[1].row_count.has_value());
  EXPECT_TRUE(tables[1].rows_unknown);
  EXPECT_FALSE(tables[1].change_data_feed());
}

}  // namespace
}  // namespace silt::testing
