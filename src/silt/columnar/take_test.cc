#include "silt/columnar/take.h"

#include <gtest/gtest.h>

#include <vector>

#include "silt/columnar/from_json.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

// Take of `json` (values of `type`) at `indices` equals `expected_json`, offset 0, valid.
void ExpectTake(const TypePtr& type, std::string_view json, std::vector<int64_t> indices,
                std::string_view expected_json, int64_t slice_offset = 0) {
  ASSERT_OK_AND_ASSIGN(ArrayPtr array, ArrayFromJson(type, json));
  array = array->Slice(slice_offset);
  ASSERT_OK_AND_ASSIGN(ArrayPtr expected, ArrayFromJson(type, expected_json));
  ASSERT_OK_AND_ASSIGN(ArrayPtr taken, Take(*array, indices));
  EXPECT_TRUE(taken->Equals(*expected)) << taken->ToString() << " vs " << expected->ToString();
  EXPECT_EQ(taken->offset(), 0);
  EXPECT_EQ(taken->null_count(), expected->null_count());
  EXPECT_OK(taken->Validate());
}

TEST(TakeTest, FixedWidthTypes) {
  ExpectTake(Int8(), "[1, 2, null, 4]", {3, 0, 2, 3}, "[4, 1, null, 4]");
  ExpectTake(Int16(), "[1, 2, 3]", {2, 1}, "[3, 2]");
  ExpectTake(Int32(), "[10, null, 30, 40]", {1, 3}, "[null, 40]");
  ExpectTake(Int64(), "[10, 20, 30, 40, 50]", {4, 0, 1}, "[50, 10, 20]");
  ExpectTake(Float64(), "[1.5, \"NaN\", -0.0]", {2, 1, 0}, "[-0.0, \"NaN\", 1.5]");
  ExpectTake(Date(), "[\"2024-01-01\", null]", {0, 0, 1}, "[\"2024-01-01\", \"2024-01-01\", null]");
  ExpectTake(Timestamp(), "[1, 2, 3]", {1}, "[2]");
  ExpectTake(Decimal(20, 2), "[\"1.25\", null, \"-99999999999.99\"]", {2, 1, 0},
             "[\"-99999999999.99\", null, \"1.25\"]");
}

TEST(TakeTest, BooleanStringBinary) {
  ExpectTake(Boolean(), "[true, false, null, true, false, false, true, true, false]",
             {8, 7, 2, 0, 1}, "[false, true, null, true, false]");
  ExpectTake(String(), "[\"a\", \"\", null, \"long string value\"]", {3, 1, 2, 0, 3},
             "[\"long string value\", \"\", null, \"a\", \"long string value\"]");
  ExpectTake(Binary(), "[\"AAE=\", \"Ag==\"]", {1, 1, 0}, "[\"Ag==\", \"Ag==\", \"AAE=\"]");
}

TEST(TakeTest, SlicedInputUsesItsOwnOffset) {
  ExpectTake(Int32(), "[0, 1, null, 3, 4]", {0, 2, 1}, "[1, 3, null]", /*slice_offset=*/1);
  ExpectTake(String(), "[\"x\", \"y\", null, \"z\"]", {2, 0}, "[\"z\", \"y\"]", 1);
  ExpectTake(Boolean(), "[true, false, true, null]", {2, 0, 1}, "[null, false, true]", 1);
}

TEST(TakeTest, NestedTypesGoThroughTheBuilder) {
  ExpectTake(List(Int32(), true), "[[1, 2], null, [], [3]]", {3, 0, 1, 2, 3},
             "[[3], [1, 2], null, [], [3]]");
  ExpectTake(Struct({Field("a", Int32()), Field("b", String())}),
             R"([{"a": 1, "b": "x"}, null, {"a": 3}])", {2, 1, 0},
             R"([{"a": 3}, null, {"a": 1, "b": "x"}])");
  ExpectTake(Map(String(), Int64(), true), R"([{"k": 1}, {"a": 2, "b": null}])", {1, 0},
             R"([{"a": 2, "b": null}, {"k": 1}])");
}

TEST(TakeTest, EmptyAndOutOfRange) {
  ExpectTake(String(), "[\"a\"]", {}, "[]");
  ASSERT_OK_AND_ASSIGN(ArrayPtr array, ArrayFromJson(Int64(), "[1, 2]"));
  EXPECT_EQ(Take(*array, std::vector<int64_t>{2}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Take(*array, std::vector<int64_t>{-1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Take(*array->Slice(1), std::vector<int64_t>{1}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TakeTest, TakeRowsKeepsTheSchema) {
  auto schema = Schema::Make({Field("id", Int64(), false), Field("s", String())});
  ASSERT_OK_AND_ASSIGN(auto batch, RecordBatchFromJson(schema, R"([{"id": 1, "s": "a"},
      {"id": 2}, {"id": 3, "s": "c"}])"));
  ASSERT_OK_AND_ASSIGN(auto taken, TakeRows(*batch, std::vector<int64_t>{2, 0}));
  ASSERT_OK_AND_ASSIGN(auto expected, RecordBatchFromJson(schema, R"([{"id": 3, "s": "c"},
      {"id": 1, "s": "a"}])"));
  EXPECT_TRUE(taken->Equals(*expected)) << taken->ToString();
  EXPECT_TRUE(taken->schema()->Equals(*schema, /*check_metadata=*/true));
}

// SplitArray of `json` by `group_of` equals Take of each group's indices.
void ExpectSplit(const TypePtr& type, std::string_view json, std::vector<uint32_t> group_of,
                 uint32_t num_groups, int64_t slice_offset = 0) {
  ASSERT_OK_AND_ASSIGN(ArrayPtr array, ArrayFromJson(type, json));
  array = array->Slice(slice_offset);
  ASSERT_OK_AND_ASSIGN(std::vector<ArrayPtr> parts, SplitArray(*array, group_of, num_groups));
  ASSERT_EQ(parts.size(), num_groups);
  for (uint32_t g = 0; g < num_groups; ++g) {
    std::vector<int64_t> indices;
    for (size_t i = 0; i < group_of.size(); ++i) {
      if (group_of[i] == g) indices.push_back(static_cast<int64_t>(i));
    }
    ASSERT_OK_AND_ASSIGN(ArrayPtr expected, Take(*array, indices));
    EXPECT_TRUE(parts[g]->Equals(*expected))
        << "group " << g << ": " << parts[g]->ToString() << " vs " << expected->ToString();
    EXPECT_EQ(parts[g]->null_count(), expected->null_count());
    EXPECT_EQ(parts[g]->offset(), 0);
    EXPECT_OK(parts[g]->Validate());
  }
}

TEST(TakeRangesTest, EqualsTakeOfTheRangesRows) {
  const RowRanges ranges = {{3, 2}, {0, 1}, {6, 0}, {5, 2}};
  const std::vector<int64_t> indices = {3, 4, 0, 5, 6};
  for (const auto& [type, json] : std::vector<std::pair<TypePtr, std::string>>{
           {Int64(), "[0, 1, null, 3, 4, 5, null]"},
           {String(), R"(["a", "b", null, "d", "", "f", "g"])"},
           {List(Int32(), true), "[[0], null, [], [3, 3], [4], null, [6]]"}}) {
    SCOPED_TRACE(type->ToString());
    ASSERT_OK_AND_ASSIGN(ArrayPtr array, ArrayFromJson(type, json));
    ASSERT_OK_AND_ASSIGN(ArrayPtr expected, Take(*array, indices));
    ASSERT_OK_AND_ASSIGN(ArrayPtr taken, TakeRanges(*array, ranges));
    EXPECT_TRUE(taken->Equals(*expected)) << taken->ToString() << " vs " << expected->ToString();
    EXPECT_OK(taken->Validate());
  }
  ASSERT_OK_AND_ASSIGN(ArrayPtr array, ArrayFromJson(Int64(), "[1, 2]"));
  EXPECT_EQ(TakeRanges(*array, RowRanges{{1, 2}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TakeRanges(*array, RowRanges{{-1, 1}}).status().code(), StatusCode::kInvalidArgument);

  auto schema = Schema::Make({Field("id", Int64(), false), Field("s", String())});
  ASSERT_OK_AND_ASSIGN(auto batch, RecordBatchFromJson(schema, R"([{"id": 1, "s": "a"},
      {"id": 2}, {"id": 3, "s": "c"}])"));
  ASSERT_OK_AND_ASSIGN(auto whole, TakeRanges(*batch, RowRanges{{0, 3}}));
  EXPECT_EQ(whole->num_rows(), 3);
  for (int c = 0; c < 2; ++c) EXPECT_TRUE(whole->column(c)->Equals(*batch->column(c)));
  ASSERT_OK_AND_ASSIGN(auto taken, TakeRanges(*batch, RowRanges{{2, 1}, {0, 2}}));
  EXPECT_EQ(taken->schema(), batch->schema());
  ASSERT_OK_AND_ASSIGN(auto expected, TakeRows(*batch, std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(taken->num_rows(), 3);
  for (int c = 0; c < 2; ++c) EXPECT_TRUE(taken->column(c)->Equals(*expected->column(c)));
}

TEST(SplitTest, EveryLayoutMatchesTakePerGroup) {
  ExpectSplit(Int64(), "[1, 2, null, 4, 5]", {1, 0, 1, 2, 0}, 4);  // group 3 stays empty
  ExpectSplit(Int32(), "[1, 2, 3, 4]", {0, 0, 0, 0}, 1);
  ExpectSplit(Int8(), "[1, null, 3]", {2, 1, 0}, 3);
  ExpectSplit(Float64(), "[1.5, \"NaN\", -0.0, 2]", {0, 1, 0, 1}, 2);
  ExpectSplit(Decimal(20, 2), "[\"1.25\", null, \"-3.50\"]", {1, 1, 0}, 2);
  ExpectSplit(Boolean(), "[true, false, null, true, false, true, true, false, true, null]",
              {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 2);
  ExpectSplit(String(), "[\"a\", \"\", null, \"long string value\", \"b\"]", {1, 0, 1, 1, 0}, 2);
  ExpectSplit(Binary(), "[\"AAE=\", \"Ag==\", null]", {0, 1, 0}, 2);
  ExpectSplit(List(Int32()), "[[1, 2], null, [], [3]]", {1, 0, 1, 0}, 2);
  ExpectSplit(Struct({Field("a", Int32())}), R"([{"a": 1}, null, {"a": 3}])", {0, 1, 0}, 2);
  ExpectSplit(String(), "[\"x\", \"y\", null, \"z\"]", {1, 0, 0}, 2, /*slice_offset=*/1);
  ExpectSplit(Boolean(), "[true, false, true, null]", {1, 0, 1}, 2, 1);
}

TEST(SplitTest, BadGroupNumbers) {
  ASSERT_OK_AND_ASSIGN(ArrayPtr array, ArrayFromJson(Int64(), "[1, 2]"));
  EXPECT_EQ(SplitArray(*array, std::vector<uint32_t>{0, 2}, 2).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitArray(*array, std::vector<uint32_t>{0}, 2).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SplitTest, SplitRowsKeepsTheSchemaAndOrder) {
  auto schema = Schema::Make({Field("id", Int64(), false), Field("s", String())});
  ASSERT_OK_AND_ASSIGN(auto batch, RecordBatchFromJson(schema, R"([{"id": 1, "s": "a"},
      {"id": 2}, {"id": 3, "s": "c"}, {"id": 4, "s": "d"}])"));
  ASSERT_OK_AND_ASSIGN(auto parts, SplitRows(*batch, std::vector<uint32_t>{1, 0, 1, 1}, 3));
  ASSERT_EQ(parts.size(), 3u);
  ASSERT_OK_AND_ASSIGN(auto zero, RecordBatchFromJson(schema, R"([{"id": 2}])"));
  ASSERT_OK_AND_ASSIGN(auto one, RecordBatchFromJson(schema, R"([{"id": 1, "s": "a"},
      {"id": 3, "s": "c"}, {"id": 4, "s": "d"}])"));
  EXPECT_TRUE(parts[0]->Equals(*zero)) << parts[0]->ToString();
  EXPECT_TRUE(parts[1]->Equals(*one)) << parts[1]->ToString();
  EXPECT_EQ(parts[2]->num_rows(), 0);
  EXPECT_TRUE(parts[1]->schema()->Equals(*schema, /*check_metadata=*/true));
}

}  // namespace
}  // namespace silt::columnar
