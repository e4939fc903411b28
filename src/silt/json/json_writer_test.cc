#include "silt/json/json_writer.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "silt/json/json_reader.h"
#include "testing/status_matchers.h"

namespace silt::json {
namespace {

TEST(JsonWriterTest, EscapesStrings) {
  EXPECT_EQ(Quote(""), R"("")");
  EXPECT_EQ(Quote("plain"), R"("plain")");
  EXPECT_EQ(Quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quote(std::string_view("\x00\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001f\u007f")");
  EXPECT_EQ(Quote("/ stays"), R"("/ stays")");
  EXPECT_EQ(Quote("\xc3\xa9t\xc3\xa9"), "\"\xc3\xa9t\xc3\xa9\"");  // UTF-8 copied as is
}

TEST(JsonWriterTest, EscapedStringsRoundTripThroughTheParser) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all += "\xe2\x82\xac \xf0\x9f\x98\x80";
  all.push_back('\0');
  Writer w;
  w.BeginObject().Field("s", all).EndObject();
  Parser parser;
  ASSERT_OK_AND_ASSIGN(Object o, parser.ParseObject(w.str()));
  ASSERT_OK_AND_ASSIGN(std::string_view back, o.GetString("s"));
  EXPECT_EQ(back, all);
}

TEST(JsonWriterTest, BuildsNestedDocumentsWithSeparators) {
  Writer w;
  w.BeginObject()
      .Key("add")
      .BeginObject()
      .Field("path", "a.parquet")
      .Field("size", int64_t{10})
      .Field("dataChange", true)
      .Key("partitionValues")
      .BeginObject()
      .Field("d", "x")
      .Key("n")
      .Null()
      .EndObject()
      .Field("cols", std::vector<std::string>{"a", "b"})
      .Key("empty")
      .BeginArray()
      .EndArray()
      .Key("nested")
      .BeginArray()
      .BeginArray()
      .Int(1)
      .Int(-2)
      .EndArray()
      .BeginObject()
      .EndObject()
      .EndArray()
      .Key("raw")
      .RawJson(R"({"k":[1]})")
      .EndObject()
      .EndObject();
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(w.str(),
            R"({"add":{"path":"a.parquet","size":10,"dataChange":true,)"
            R"("partitionValues":{"d":"x","n":null},"cols":["a","b"],"empty":[],)"
            R"("nested":[[1,-2],{}],"raw":{"k":[1]}}})");
}

TEST(JsonWriterTest, Numbers) {
  Writer w;
  w.BeginArray()
      .Int(std::numeric_limits<int64_t>::min())
      .Int(std::numeric_limits<int64_t>::max())
      .Double(1.5)
      .Double(0.1)
      .Double(1e300)
      .Double(std::nan(""))
      .Double(std::numeric_limits<double>::infinity())
      .EndArray();
  EXPECT_EQ(w.str(), "[-9223372036854775808,9223372036854775807,1.5,0.1,1e+300,null,null]");
  Parser parser;
  ASSERT_OK(parser.Parse(w.str()));
}

TEST(JsonWriterTest, CompleteTracksNesting) {
  Writer w;
  EXPECT_FALSE(w.complete());
  w.BeginObject();
  EXPECT_FALSE(w.complete());
  w.EndObject();
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(w.Release(), "{}");
}

}  // namespace
}  // namespace silt::json
