#include "silt/columnar/from_json.h"

#include <gtest/gtest.h>

#include <random>

#include "silt/columnar/pretty.h"
#include "testing/status_matchers.h"

namespace silt::columnar {
namespace {

// Parses `json` as `type` and checks that printing gives `printed` (default: json itself).
void ExpectRoundTrip(const TypePtr& type, std::string_view json, std::string_view printed = {}) {
  auto result = ArrayFromJson(type, json);
  ASSERT_TRUE(result.ok()) << type->ToString() << " " << json << ": " << result.status();
  ASSERT_OK((*result)->Validate());
  EXPECT_EQ((*result)->ToString(), printed.empty() ? json : printed) << type->ToString();
}

TEST(FromJsonTest, EveryTypeRoundTripsThroughPretty) {
  ExpectRoundTrip(Boolean(), "[true,null,false]");
  ExpectRoundTrip(Int8(), "[-128,127,null]");
  ExpectRoundTrip(Int16(), "[-32768,32767]");
  ExpectRoundTrip(Int32(), "[2147483647,-2147483648]");
  ExpectRoundTrip(Int64(), "[9223372036854775807,-9223372036854775808]");
  ExpectRoundTrip(Float32(), "[1.5,\"NaN\",\"-Infinity\"]");
  ExpectRoundTrip(Float64(), "[0.1, 2, 1e300, \"Infinity\"]", "[0.1,2.0,1e+300,\"Infinity\"]");
  ExpectRoundTrip(Decimal(38, 10), "[\"-9999999999999999999999999999.9999999999\",1.5,null]",
                  "[-9999999999999999999999999999.9999999999,1.5000000000,null]");
  ExpectRoundTrip(String(), R"(["a\"b\\c\n","\u00e9\ud83d\ude42",""])", "[\"a\\\"b\\\\c\\n\",\"é🙂\",\"\"]");
  ExpectRoundTrip(Binary(), R"(["AAH/","YQ==","YWI=",""])");
  ExpectRoundTrip(Date(), R"(["2024-01-31","1969-12-31","2000-02-29"])");
  ExpectRoundTrip(Date(), "[0]", R"(["1970-01-01"])");
  ExpectRoundTrip(Timestamp(), R"(["2024-01-31T12:00:00.000001Z","1969-12-31T23:59:59.999999Z"])");
  ExpectRoundTrip(Timestamp(), R"(["2024-01-31 12:00:00.5", 1])",
                  R"(["2024-01-31T12:00:00.500000Z","1970-01-01T00:00:00.000001Z"])");
  ExpectRoundTrip(TimestampNtz(), R"(["2024-01-31T12:00:00.000000"])");
  ExpectRoundTrip(Struct({Field("a", Int32()), Field("b", List(String()))}),
                  R"([{"a":1,"b":["x",null]},null,{"b":[]}])",
                  R"([{"a":1,"b":["x",null]},null,{"a":null,"b":[]}])");
  ExpectRoundTrip(Map(String(), Map(Int32(), Boolean())), R"([{"x":{"1":true,"-2":null}},{},null])");
  ExpectRoundTrip(Map(Date(), Int64()), R"([{"2024-01-01":5}])");
  ExpectRoundTrip(List(List(Int64())), "[[[1],[],null],[],null]");
}

TEST(FromJsonTest, DateAndTimestampParsing) {
  ASSERT_OK_AND_ASSIGN(auto days, ParseDate("2024-01-31"));
  EXPECT_EQ(days, 19753);
  ASSERT_OK_AND_ASSIGN(auto micros, ParseTimestampMicros("2024-01-31T12:00:00.000001Z"));
  EXPECT_EQ(micros, 1706702400000001);
  ASSERT_OK_AND_ASSIGN(auto negative, ParseTimestampMicros("1969-12-31T23:59:59.9"));
  EXPECT_EQ(negative, -100000);
  for (std::string_view bad : {"2024-1-31", "2024-02-30", "2023-02-29", "2024-13-01",
                               "2024-01-31x", "abcd-ef-gh", ""}) {
    SCOPED_TRACE(bad);
    EXPECT_STATUS_CODE(kInvalidArgument, ParseDate(bad));
  }
  for (std::string_view bad : {"2024-01-31", "2024-01-31T24:00:00", "2024-01-31T12:00",
                               "2024-01-31T12:00:00.", "2024-01-31T12:00:00.1234567",
                               "2024-01-31T12:00:00+01:00"}) {
    SCOPED_TRACE(bad);
    EXPECT_STATUS_CODE(kInvalidArgument, ParseTimestampMicros(bad));
  }
}

TEST(FromJsonTest, RejectsBadInput) {
  for (std::string_view bad :
       {"", "[", "[1,", "[1 2]", "{}", "[1]]", "[tru]", "[\"x]", "[01x]", "[-]", "[1.]",
        "[\"\\x\"]", "[\"\\ud800\"]", "[\"\\u12\"]"}) {
    SCOPED_TRACE(bad);
    EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Int64(), bad));
  }
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Int8(), "[128]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Int32(), "[1.5]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Int32(), "[\"1\"]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Boolean(), "[1]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Decimal(5, 2), "[1234.5]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Decimal(5, 2), "[1.234]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Binary(), "[\"abc\"]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Binary(), "[\"a===\"]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Struct({Field("a", Int32())}), "[{\"b\":1}]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(Map(Int32(), Int32()), "[{\"x\":1}]"));
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(List(Int32()), "[{}]"));
  // Deep nesting is refused, not a stack overflow.
  std::string deep(100000, '[');
  EXPECT_STATUS_CODE(kInvalidArgument, ArrayFromJson(List(Int32()), deep));
}

TEST(FromJsonTest, MutatedInputNeverCrashes) {
  auto type = Struct({Field("s", String()), Field("l", List(Decimal(9, 3))),
                      Field("m", Map(Int32(), Timestamp())), Field("b", Binary()),
                      Field("d", Date()), Field("f", Float64())});
  const std::string valid =
      R"([{"s":"a\u00e9\"","l":[1.5,null,-2],"m":{"1":"2024-01-31T12:00:00Z","-2":null},)"
      R"("b":"YWJj","d":"2024-02-29","f":-1.5e3},null,{}])";
  ASSERT_OK(ArrayFromJson(type, valid));
  std::mt19937 rng(7);
  const std::string alphabet = "[]{}\",:.-+eE0123456789ntfu\\ aZ=/";
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string text = valid;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(pos, 1 + rng() % 5); break;
        default: text.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
      }
      if (text.empty()) text = "[";
    }
    auto result = ArrayFromJson(type, text);
    if (result.ok()) {
      ASSERT_OK((*result)->Validate());
    } else {
      ASSERT_EQ(result.status().code(), StatusCode::kInvalidArgument) << text;
    }
  }
}

TEST(FromJsonTest, RecordBatch) {
  auto schema = Schema::Make({Field("id", Int64(), false), Field("name", String())});
  ASSERT_OK_AND_ASSIGN(auto batch,
                       RecordBatchFromJson(schema, R"([{"id": 1, "name": "a"}, {"id": 2}])"));
  EXPECT_EQ(batch->num_rows(), 2);
  EXPECT_EQ(batch->ToString(), "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":null}\n");
  EXPECT_STATUS_CODE(kInvalidArgument, RecordBatchFromJson(schema, R"([{"name": "a"}])"));
  EXPECT_STATUS_CODE(kInvalidArgument, RecordBatchFromJson(schema, "[null]"));
}

}  // namespace
}  // namespace silt::columnar
