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
  EXPECT_EQ(Take(*array, std::vector<int64_t>{-1}).status().code(),
            StatusCode::kInvalidArgument);
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

}  // namespace
}  // namespace silt::columnar
