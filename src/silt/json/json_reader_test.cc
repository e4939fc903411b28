#include "silt/json/json_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::json {
namespace {

using ::testing::HasSubstr;

TEST(JsonReaderTest, ParsesTypedFields) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(
      Object root,
      parser.ParseObject(
          R"({"add":{"path":"a%20b.parquet","size":9223372036854775807,"dataChange":true,)"
          R"("partitionValues":{"d":"2024-01-01","n":null},"tags":null}})"));
  ASSERT_OK_AND_ASSIGN(Object add, root.GetObject("add"));
  ASSERT_OK_AND_ASSIGN(std::string_view path, add.GetString("path"));
  EXPECT_EQ(path, "a%20b.parquet");
  ASSERT_OK_AND_ASSIGN(int64_t size, add.GetInt64("size"));
  EXPECT_EQ(size, INT64_MAX);
  ASSERT_OK_AND_ASSIGN(bool data_change, add.GetBool("dataChange"));
  EXPECT_TRUE(data_change);
  ASSERT_OK_AND_ASSIGN(auto partition_values, add.GetNullableStringMap("partitionValues"));
  ASSERT_EQ(partition_values.size(), 2u);
  EXPECT_EQ(partition_values.at("d"), std::optional<std::string>("2024-01-01"));
  EXPECT_EQ(partition_values.at("n"), std::nullopt);
  ASSERT_OK_AND_ASSIGN(auto tags, add.GetOptionalStringMap("tags"));
  EXPECT_TRUE(tags.empty());
  EXPECT_TRUE(add.Has("path"));
  EXPECT_FALSE(add.Has("tags"));  // null counts as absent
  EXPECT_TRUE(add.Find("tags").has_value());
  EXPECT_FALSE(add.Find("nope").has_value());
}

TEST(JsonReaderTest, OptionalFieldsAbsentOrNull) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(Object o, parser.ParseObject(R"({"a":null,"s":"x","n":-5})"));
  ASSERT_OK_AND_ASSIGN(auto a, o.GetOptionalString("a"));
  EXPECT_FALSE(a.has_value());
  ASSERT_OK_AND_ASSIGN(auto missing, o.GetOptionalInt64("missing"));
  EXPECT_FALSE(missing.has_value());
  ASSERT_OK_AND_ASSIGN(auto n, o.GetOptionalInt64("n"));
  EXPECT_EQ(n, std::optional<int64_t>(-5));
  ASSERT_OK_AND_ASSIGN(auto s, o.GetOptionalString("s"));
  EXPECT_EQ(s, std::optional<std::string_view>("x"));
  ASSERT_OK_AND_ASSIGN(auto arr, o.GetOptionalStringArray("a"));
  EXPECT_FALSE(arr.has_value());
  ASSERT_OK_AND_ASSIGN(auto obj, o.GetOptionalObject("missing"));
  EXPECT_FALSE(obj.has_value());
}

TEST(JsonReaderTest, ErrorsNameTheFieldPath) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(
      Object root,
      parser.ParseObject(R"({"add":{"size":"12","deletionVector":{"offset":1.5},"p":null}})"));
  ASSERT_OK_AND_ASSIGN(Object add, root.GetObject("add"));

  Result<int64_t> size = add.GetInt64("size");
  ASSERT_STATUS_CODE(kCorruption, size);
  EXPECT_EQ(size.error().message(), "add.size: expected an integer, got string");

  ASSERT_OK_AND_ASSIGN(Object dv, add.GetObject("deletionVector"));
  Result<std::optional<int64_t>> offset = dv.GetOptionalInt64("offset");
  ASSERT_STATUS_CODE(kCorruption, offset);
  EXPECT_EQ(offset.error().message(),
            "add.deletionVector.offset: expected an integer, got number");

  Result<std::string_view> path = add.GetString("path");
  ASSERT_STATUS_CODE(kCorruption, path);
  EXPECT_EQ(path.error().message(), "add.path: required field is missing");

  Result<std::string_view> p = add.GetString("p");
  ASSERT_STATUS_CODE(kCorruption, p);
  EXPECT_EQ(p.error().message(), "add.p: required field is null");
}

TEST(JsonReaderTest, StringArraysAndMapsCheckElementTypes) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(Object root, parser.ParseObject(
      R"({"cols":["a","b",3],"ok":["x"],"conf":{"k":1},"empty":[]})"));
  Result<std::vector<std::string>> cols = root.GetStringArray("cols");
  ASSERT_STATUS_CODE(kCorruption, cols);
  EXPECT_EQ(cols.error().message(), "cols[2]: expected a string, got integer");
  ASSERT_OK_AND_ASSIGN(auto ok, root.GetStringArray("ok"));
  EXPECT_EQ(ok, std::vector<std::string>{"x"});
  ASSERT_OK_AND_ASSIGN(auto empty, root.GetStringArray("empty"));
  EXPECT_TRUE(empty.empty());
  auto conf = root.GetOptionalStringMap("conf");
  ASSERT_STATUS_CODE(kCorruption, conf);
  EXPECT_EQ(conf.error().message(), "conf.k: expected a string, got integer");
}

TEST(JsonReaderTest, IntegersMustBeExact) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(Object o, parser.ParseObject(
      R"({"big":18446744073709551615,"neg":-9223372036854775808,"exp":1e3})"));
  ASSERT_STATUS_CODE(kCorruption, o.GetInt64("big"));
  EXPECT_THAT(o.GetInt64("big").error().message(), HasSubstr("out of the 64-bit signed range"));
  ASSERT_OK_AND_ASSIGN(int64_t neg, o.GetInt64("neg"));
  EXPECT_EQ(neg, INT64_MIN);
  ASSERT_STATUS_CODE(kCorruption, o.GetInt64("exp"));
  std::optional<Value> exp = o.Find("exp");
  ASSERT_TRUE(exp.has_value());
  ASSERT_OK_AND_ASSIGN(double d, exp->AsDouble());
  EXPECT_EQ(d, 1000.0);
}

TEST(JsonReaderTest, MalformedDocumentsAreCorruption) {
  Parser parser;
  for (std::string_view bad :
       {"", "   ", "{", R"({"a":1)", R"({"a":1}x)", R"({"a":tru})", "{\"a\":\"\xff\"}",
        R"({"a":"unterminated})", R"({"a":1,})"}) {
    Result<Value> r = parser.Parse(bad);
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_THAT(r.error().message(), HasSubstr("invalid JSON")) << bad;
  }
  Result<Object> not_object = parser.ParseObject("[1,2]");
  ASSERT_STATUS_CODE(kCorruption, not_object);
  EXPECT_EQ(not_object.error().message(), "invalid JSON: expected an object, got array");
}

TEST(JsonReaderTest, IteratesFieldsInOrderAndReserializes) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(Object o, parser.ParseObject(
      R"( {"z": 1, "a": {"b": [true, null, "s\n"]}, "m": 1.5} )"));
  std::vector<std::string> keys;
  ASSERT_OK(o.ForEachField([&](std::string_view key, const Value& v) -> Status {
    keys.emplace_back(key);
    if (key == "a") {
      EXPECT_EQ(v.type(), Type::kObject);
      EXPECT_EQ(v.path(), "a");
    }
    return Status::OK();
  }));
  EXPECT_EQ(keys, (std::vector<std::string>{"z", "a", "m"}));
  EXPECT_EQ(o.size(), 3u);
  EXPECT_EQ(o.ToJson(), R"({"z":1,"a":{"b":[true,null,"s\n"]},"m":1.5})");
  // ForEachField stops at the first error.
  int calls = 0;
  Status s = o.ForEachField([&](std::string_view, const Value&) -> Status {
    ++calls;
    return Status::Corruption("stop");
  });
  ASSERT_STATUS_CODE(kCorruption, s);
  EXPECT_EQ(calls, 1);
}

TEST(JsonReaderTest, ArrayElementsCarryTheirIndexInPaths) {
  Parser parser;
  ASSERT_OK_AND_ASSIGN(Object o, parser.ParseObject(R"({"fields":[{"name":"a"},{"name":7}]})"));
  std::optional<Value> fields = o.Find("fields");
  ASSERT_TRUE(fields.has_value());
  ASSERT_OK_AND_ASSIGN(size_t n, fields->ArraySize());
  EXPECT_EQ(n, 2u);
  std::vector<std::string> names;
  Status s = fields->ForEachElement([&](size_t, const Value& element) -> Status {
    SILT_ASSIGN_OR_RETURN(Object field, element.AsObject());
    SILT_ASSIGN_OR_RETURN(std::string_view name, field.GetString("name"));
    names.emplace_back(name);
    return Status::OK();
  });
  ASSERT_STATUS_CODE(kCorruption, s);
  EXPECT_EQ(s.message(), "fields[1].name: expected a string, got integer");
  EXPECT_EQ(names, std::vector<std::string>{"a"});
  ASSERT_STATUS_CODE(kCorruption, o.Find("fields")->AsObject());
  ASSERT_OK_AND_ASSIGN(Object not_array, parser.ParseObject(R"({"x":1})"));
  Status not_an_array = not_array.Find("x")->ForEachElement(
      [](size_t, const Value&) -> Status { return Status::OK(); });
  ASSERT_STATUS_CODE(kCorruption, not_an_array);
  EXPECT_EQ(not_an_array.message(), "x: expected an array, got integer");
}

TEST(JsonReaderTest, ParserIsReusable) {
  Parser parser;
  for (int i = 0; i < 100; ++i) {
    std::string doc = fmt::format(R"({{"v":{},"pad":"{}"}})", i, std::string(i * 10, 'x'));
    ASSERT_OK_AND_ASSIGN(Object o, parser.ParseObject(doc));
    ASSERT_OK_AND_ASSIGN(int64_t v, o.GetInt64("v"));
    EXPECT_EQ(v, i);
  }
}

}  // namespace
}  // namespace silt::json
