#include "silt/delta/write/constraints.h"

#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

col::KeyValueMetadata Invariant(const std::string& sql) {
  return col::KeyValueMetadata{
      {"delta.invariants", "\"{\\\"expression\\\":{\\\"expression\\\":\\\"" + sql + "\\\"}}\""}};
}

TEST(ConstraintsTest, NotNullTopLevelAndNested) {
  auto schema = col::Schema::Make({
      col::Field("id", col::Int64(), false),
      col::Field("s", col::Struct({col::Field("x", col::Int32(), false)}), true),
  });
  ASSERT_OK_AND_ASSIGN(auto c, TableConstraints::Make(schema, Metadata{}));
  auto relaxed = col::Schema::Make({col::Field("id", col::Int64(), true), schema->field(1)});
  ASSERT_OK_AND_ASSIGN(auto ok, col::RecordBatchFromJson(relaxed, R"([
    {"id": 1, "s": {"x": 1}}, {"id": 2, "s": null}])"));
  ASSERT_OK(c.Check(*ok));
  ASSERT_OK_AND_ASSIGN(auto bad_top, col::RecordBatchFromJson(relaxed, R"([
    {"id": 1, "s": null}, {"id": null, "s": null}])"));
  Status st = c.Check(*bad_top);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("NOT NULL constraint violated for column 'id'"), std::string::npos)
      << st.ToString();
  EXPECT_NE(st.message().find("row 1"), std::string::npos) << st.ToString();
  ASSERT_OK_AND_ASSIGN(auto bad_nested, col::RecordBatchFromJson(relaxed, R"([
    {"id": 1, "s": {"x": null}}])"));
  st = c.Check(*bad_nested);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("s.x"), std::string::npos) << st.ToString();
}

TEST(ConstraintsTest, Invariants) {
  auto schema = col::Schema::Make({
      col::Field("x", col::Int32(), true, Invariant("x > 3")),
      col::Field("s",
                 col::Struct({col::Field("y", col::String(), true, Invariant("s.y IS NOT NULL"))}),
                 true),
  });
  ASSERT_OK_AND_ASSIGN(auto c, TableConstraints::Make(schema, Metadata{}));
  ASSERT_EQ(c.constraints().size(), 2u);
  EXPECT_EQ(c.constraints()[1].name, "s.y");
  ASSERT_OK_AND_ASSIGN(auto ok, col::RecordBatchFromJson(schema, R"([{"x": 4, "s": {"y": "a"}}])"));
  ASSERT_OK(c.Check(*ok));
  ASSERT_OK_AND_ASSIGN(auto bad, col::RecordBatchFromJson(schema, R"([
    {"x": 4, "s": {"y": "a"}}, {"x": 2, "s": {"y": "b"}}])"));
  Status st = c.Check(*bad);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_EQ(st.message(), "Invariant (x > 3) violated for column 'x' by row with values: x = 2");
  // NULL fails an invariant.
  ASSERT_OK_AND_ASSIGN(auto null_x,
                       col::RecordBatchFromJson(schema, R"([{"x": null, "s": {"y": "a"}}])"));
  ASSERT_STATUS_CODE(kInvalidArgument, c.Check(*null_x));
  ASSERT_OK_AND_ASSIGN(auto null_y, col::RecordBatchFromJson(schema, R"([{"x": 5, "s": {}}])"));
  st = c.Check(*null_y);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("'s.y'"), std::string::npos) << st.ToString();
}

TEST(ConstraintsTest, CheckConstraints) {
  auto schema = col::Schema::Make({{"x", col::Int32()}, {"y", col::String()}});
  Metadata metadata;
  metadata.configuration = {{"delta.constraints.positive", "x > 0"},
                            {"delta.constraints.known", "y IN ('a', 'b')"},
                            {"other", "x < 0"}};
  ASSERT_OK_AND_ASSIGN(auto c, TableConstraints::Make(schema, metadata));
  ASSERT_EQ(c.constraints().size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto ok, col::RecordBatchFromJson(schema, R"([
    {"x": 1, "y": "a"}, {"x": null, "y": null}])"));
  ASSERT_OK(c.Check(*ok));  // NULL passes a CHECK constraint
  ASSERT_OK_AND_ASSIGN(auto bad, col::RecordBatchFromJson(schema, R"([
    {"x": 1, "y": "a"}, {"x": -5, "y": "b"}])"));
  Status st = c.Check(*bad);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_EQ(st.message(), "CHECK constraint positive (x > 0) violated by row with values: x = -5");
  ASSERT_OK_AND_ASSIGN(auto bad_y, col::RecordBatchFromJson(schema, R"([{"x": 1, "y": "c"}])"));
  st = c.Check(*bad_y);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.message().find("CHECK constraint known"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("y = 'c'"), std::string::npos) << st.ToString();
}

TEST(ConstraintsTest, MalformedDefinitions) {
  auto schema = col::Schema::Make({{"x", col::Int32()}});
  Metadata metadata;
  metadata.configuration = {{"delta.constraints.broken", "x >"}};
  Result<TableConstraints> c = TableConstraints::Make(schema, metadata);
  ASSERT_STATUS_CODE(kCorruption, c);
  EXPECT_NE(c.status().message().find("broken"), std::string::npos);
  auto bad_invariant = col::Schema::Make(
      {col::Field("x", col::Int32(), true, col::KeyValueMetadata{{"delta.invariants", "\"{}\""}})});
  ASSERT_STATUS_CODE(kCorruption, TableConstraints::Make(bad_invariant, Metadata{}));
}

}  // namespace
}  // namespace silt::delta
