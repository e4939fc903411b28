#include "silt/delta/write/partitioner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "silt/columnar/from_json.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

using Key = std::vector<std::optional<std::string>>;

struct Group {
  Key key;
  std::vector<int64_t> rows;
};

// PartitionRows as a list of partitions with their rows.
Result<std::vector<Group>> GroupRowsByPartition(std::span<const col::ArrayPtr> columns,
                                                int64_t num_rows) {
  SILT_ASSIGN_OR_RETURN(BatchPartitions p, PartitionRows(columns, num_rows));
  std::vector<Group> groups;
  for (const Key& k : p.keys) groups.push_back(Group{k, {}});
  EXPECT_EQ(p.partition_of_row.size(), static_cast<size_t>(std::max<int64_t>(0, num_rows)));
  for (size_t r = 0; r < p.partition_of_row.size(); ++r) {
    EXPECT_LT(p.partition_of_row[r], groups.size());
    if (p.partition_of_row[r] < groups.size()) {
      groups[p.partition_of_row[r]].rows.push_back(static_cast<int64_t>(r));
    }
  }
  return groups;
}

col::ArrayPtr Json(const col::TypePtr& type, std::string_view json) {
  return col::ArrayFromJson(type, json).ValueOrDie();
}

TEST(PartitionRowsTest, OneStringColumnInFirstSeenOrder) {
  std::vector<col::ArrayPtr> columns = {
      Json(col::String(), R"(["b", "a", "b", null, "", "a", "b"])")};
  ASSERT_OK_AND_ASSIGN(auto groups, GroupRowsByPartition(columns, 7));
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, Key{"b"});
  EXPECT_EQ(groups[0].rows, (std::vector<int64_t>{0, 2, 6}));
  EXPECT_EQ(groups[1].key, Key{"a"});
  EXPECT_EQ(groups[1].rows, (std::vector<int64_t>{1, 5}));
  // Null and the empty string are both serialized as null: one partition.
  EXPECT_EQ(groups[2].key, Key{std::nullopt});
  EXPECT_EQ(groups[2].rows, (std::vector<int64_t>{3, 4}));
}

TEST(PartitionRowsTest, SeveralColumnsAndTypes) {
  std::vector<col::ArrayPtr> columns = {
      Json(col::Int32(), "[1, 1, 2, null, 1, 2]"),
      Json(col::Date(), R"(["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-01",
                           "2024-01-01", "2024-01-01"])"),
      Json(col::Boolean(), "[true, true, true, false, true, true]")};
  ASSERT_OK_AND_ASSIGN(auto groups, GroupRowsByPartition(columns, 6));
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].key, (Key{"1", "2024-01-01", "true"}));
  EXPECT_EQ(groups[0].rows, (std::vector<int64_t>{0, 4}));
  EXPECT_EQ(groups[1].key, (Key{"1", "2024-01-02", "true"}));
  EXPECT_EQ(groups[1].rows, (std::vector<int64_t>{1}));
  EXPECT_EQ(groups[2].key, (Key{"2", "2024-01-01", "true"}));
  EXPECT_EQ(groups[2].rows, (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(groups[3].key, (Key{std::nullopt, "2024-01-01", "false"}));
  EXPECT_EQ(groups[3].rows, (std::vector<int64_t>{3}));
}

TEST(PartitionRowsTest, DecimalsDoublesAndSlices) {
  std::vector<col::ArrayPtr> columns = {
      Json(col::Decimal(10, 2), R"(["9.99", "1.50", "1.50", "9.99", "1.50"])")->Slice(1)};
  ASSERT_OK_AND_ASSIGN(auto groups, GroupRowsByPartition(columns, 4));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].key, Key{"1.50"});
  EXPECT_EQ(groups[0].rows, (std::vector<int64_t>{0, 1, 3}));
  EXPECT_EQ(groups[1].key, Key{"9.99"});
  EXPECT_EQ(groups[1].rows, (std::vector<int64_t>{2}));

  std::vector<col::ArrayPtr> doubles = {Json(col::Float64(), R"([0.0, -0.0, 1.5, 0.0])")};
  ASSERT_OK_AND_ASSIGN(groups, GroupRowsByPartition(doubles, 4));
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, Key{"0.0"});
  EXPECT_EQ(groups[0].rows, (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(groups[1].key, Key{"-0.0"});
}

TEST(PartitionRowsTest, OneValueListsEveryRowAndFewerRowsAreHonoured) {
  std::vector<col::ArrayPtr> columns = {Json(col::Int64(), "[7, 7, 7, 8]")};
  ASSERT_OK_AND_ASSIGN(auto groups, GroupRowsByPartition(columns, 3));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].key, Key{"7"});
  EXPECT_EQ(groups[0].rows, (std::vector<int64_t>{0, 1, 2}));
  ASSERT_OK_AND_ASSIGN(groups, GroupRowsByPartition(columns, 0));
  EXPECT_TRUE(groups.empty());
  EXPECT_EQ(GroupRowsByPartition(columns, 5).status().code(), StatusCode::kInvalidArgument);
}

TEST(PartitionRowsTest, NestedColumnsAreUnsupported) {
  std::vector<col::ArrayPtr> columns = {Json(col::List(col::Int32()), "[[1], [2]]")};
  EXPECT_EQ(GroupRowsByPartition(columns, 2).status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace silt::delta
