#include "silt/parquet/schema.h"

#include <gtest/gtest.h>

#include "testing/parquet_schema.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

constexpr auto Group = &silt::testing::ParquetGroup;
constexpr auto Leaf = &silt::testing::ParquetLeaf;

constexpr auto kReq = FieldRepetitionType::kRequired;
constexpr auto kOpt = FieldRepetitionType::kOptional;
constexpr auto kRep = FieldRepetitionType::kRepeated;

TEST(SchemaTest, LevelsOfFlatStructListAndMapColumns) {
  std::vector<SchemaElement> schema = {
      Group("spark_schema", 5, std::nullopt),
      Leaf("a", PhysicalType::kInt32, kOpt),
      Group("s", 2, kOpt),
      Leaf("x", PhysicalType::kInt32, kReq),
      Leaf("y", PhysicalType::kByteArray, kOpt),
      Group("tags", 1, kOpt),
      Group("list", 1, kRep),
      Leaf("element", PhysicalType::kByteArray, kOpt),
      Group("m", 1, kOpt),
      Group("key_value", 2, kRep),
      Leaf("key", PhysicalType::kByteArray, kReq),
      Leaf("value", PhysicalType::kInt32, kOpt),
      Leaf("nums", PhysicalType::kInt64, kRep),
  };
  ASSERT_OK_AND_ASSIGN(auto leaves, ComputeLeafColumns(schema));
  ASSERT_EQ(leaves.size(), 7u);
  struct Expect {
    std::vector<std::string> path;
    int def, rep;
  };
  std::vector<Expect> expected = {{{"a"}, 1, 0},
                                  {{"s", "x"}, 1, 0},
                                  {{"s", "y"}, 2, 0},
                                  {{"tags", "list", "element"}, 3, 1},
                                  {{"m", "key_value", "key"}, 2, 1},
                                  {{"m", "key_value", "value"}, 3, 1},
                                  {{"nums"}, 1, 1}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(leaves[i].path, expected[i].path) << i;
    EXPECT_EQ(leaves[i].max_definition_level, expected[i].def) << i;
    EXPECT_EQ(leaves[i].max_repetition_level, expected[i].rep) << i;
  }
  EXPECT_EQ(leaves[3].schema_index, 7);
}

TEST(SchemaTest, RootWithRepetitionAndZeroColumns) {
  std::vector<SchemaElement> schema = {Group("duckdb_schema", 0, kReq)};
  ASSERT_OK_AND_ASSIGN(auto leaves, ComputeLeafColumns(schema));
  EXPECT_TRUE(leaves.empty());
}

TEST(SchemaTest, MalformedTreesAreCorruption) {
  ASSERT_STATUS_CODE(kCorruption, ComputeLeafColumns({}));
  // Root claims more children than exist.
  ASSERT_STATUS_CODE(kCorruption, ComputeLeafColumns({Group("r", 3, std::nullopt),
                                                      Leaf("a", PhysicalType::kInt32, kReq)}));
  // Elements left over.
  ASSERT_STATUS_CODE(kCorruption, ComputeLeafColumns({Group("r", 1, std::nullopt),
                                                      Leaf("a", PhysicalType::kInt32, kReq),
                                                      Leaf("b", PhysicalType::kInt32, kReq)}));
  // Leaf without a type.
  SchemaElement untyped;
  untyped.name = "u";
  untyped.repetition_type = kOpt;
  ASSERT_STATUS_CODE(kCorruption, ComputeLeafColumns({Group("r", 1, std::nullopt), untyped}));
  // FLBA without a length.
  ASSERT_STATUS_CODE(kCorruption,
                     ComputeLeafColumns({Group("r", 1, std::nullopt),
                                         Leaf("f", PhysicalType::kFixedLenByteArray, kReq)}));
  // Non-root element without repetition.
  SchemaElement norep = Leaf("n", PhysicalType::kInt32, kReq);
  norep.repetition_type.reset();
  ASSERT_STATUS_CODE(kCorruption, ComputeLeafColumns({Group("r", 1, std::nullopt), norep}));
  // A very deep chain of groups.
  std::vector<SchemaElement> deep = {Group("r", 1, std::nullopt)};
  for (int i = 0; i < 200; ++i) deep.push_back(Group("g", 1, kOpt));
  deep.push_back(Leaf("x", PhysicalType::kInt32, kReq));
  ASSERT_STATUS_CODE(kCorruption, ComputeLeafColumns(deep));
}

}  // namespace
}  // namespace silt::parquet
