#include "silt/expr/expr.h"

#include <map>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::expr {
namespace {

RowResolver Row(std::map<std::string, Value> values) {
  return [values = std::move(values)](const std::vector<std::string>& path) -> Result<Value> {
    std::string key;
    for (const auto& p : path) key += (key.empty() ? "" : ".") + p;
    auto it = values.find(key);
    if (it == values.end()) return Status::NotFound("no column {}", key);
    return it->second;
  };
}

TEST(ParserTest, PrecedenceAndShapes) {
  ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse("a = 1 OR b < 2 AND NOT c IS NULL"));
  EXPECT_EQ(e->ToString(), "((a = 1) OR ((b < 2) AND (NOT (c IS NULL))))");
  ASSERT_OK_AND_ASSIGN(e, Parse("(a = 1 or b <> 'x''y') and s.`odd name` in (1, 2.50, -3)"));
  EXPECT_EQ(e->ToString(), "(((a = 1) OR (b != 'x''y')) AND (s.`odd name` IN (1, 2.50, -3)))");
  ASSERT_OK_AND_ASSIGN(e, Parse("d >= DATE '2020-01-01' and t < TIMESTAMP '2020-01-01 10:00:00Z'"));
  EXPECT_EQ(e->ToString(),
            "((d >= DATE '2020-01-01') AND (t < TIMESTAMP '2020-01-01 10:00:00Z'))");
  ASSERT_OK_AND_ASSIGN(e, Parse("x NOT BETWEEN 1 AND 5"));
  EXPECT_EQ(e->ToString(), "(NOT ((x >= 1) AND (x <= 5)))");
  ASSERT_OK_AND_ASSIGN(e, Parse("x not in (1) and y is not null and z <=> null and 1e3 > w"));
  EXPECT_EQ(e->ToString(),
            "((((NOT (x IN (1))) AND (y IS NOT NULL)) AND (z <=> NULL)) AND (1000 > w))");
}

TEST(ParserTest, RoundTripsThroughToString) {
  for (const char* text : {"a = 1", "`a b`.c != 'x'", "NOT (a IN (1, 2) OR b IS NULL)",
                           "a <= X'0AFF'", "flag = true AND other = false",
                           "t = TIMESTAMP_NTZ '2021-01-01 00:00:00.5'"}) {
    ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse(text));
    ASSERT_OK_AND_ASSIGN(ExprPtr again, Parse(e->ToString()));
    EXPECT_EQ(again->ToString(), e->ToString()) << text;
  }
}

TEST(ParserTest, ErrorsNamePosition) {
  for (const char* bad : {"", "a =", "a = 'unterminated", "a IN 1", "(a = 1", "a = 1 b",
                          "a IS 3", "DATE '2020-02-30' = d", "x = X'ABC'", "a.", "a # 1",
                          "AND a"}) {
    Result<ExprPtr> r = Parse(bad);
    ASSERT_STATUS_CODE(kInvalidArgument, r);
  }
  Result<ExprPtr> r = Parse("a = 1 b");
  EXPECT_NE(r.error().message().find("position 6"), std::string::npos) << r.error();
}

TEST(ParserTest, ColumnReferences) {
  ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse("a = 1 and s.x > a or b is null"));
  auto cols = e->ReferencedColumns();
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[0], std::vector<std::string>{"a"});
  EXPECT_EQ(cols[1], (std::vector<std::string>{"s", "x"}));
  EXPECT_EQ(cols[2], std::vector<std::string>{"b"});
}

TEST(EvaluateTest, ThreeValuedLogic) {
  auto row = Row({{"a", Value::Int(5)}, {"n", Value::Null()}, {"s", Value::String("x")}});
  auto eval = [&](const char* text) -> Value {
    Result<ExprPtr> e = Parse(text);
    EXPECT_TRUE(e.ok()) << text;
    Result<Value> v = Evaluate(**e, row);
    EXPECT_TRUE(v.ok()) << text << ": " << v.status();
    return v.ok() ? *v : Value::String("error");
  };
  EXPECT_EQ(eval("a = 5"), Value::Boolean(true));
  EXPECT_EQ(eval("a > 5.5"), Value::Boolean(false));
  EXPECT_EQ(eval("n = 1"), Value::Null());
  EXPECT_EQ(eval("n = 1 AND a = 4"), Value::Boolean(false));
  EXPECT_EQ(eval("n = 1 OR a = 5"), Value::Boolean(true));
  EXPECT_EQ(eval("n = 1 OR a = 4"), Value::Null());
  EXPECT_EQ(eval("NOT n = 1"), Value::Null());
  EXPECT_EQ(eval("n IS NULL AND a IS NOT NULL"), Value::Boolean(true));
  EXPECT_EQ(eval("a IN (1, 5)"), Value::Boolean(true));
  EXPECT_EQ(eval("a IN (1, NULL)"), Value::Null());
  EXPECT_EQ(eval("a NOT IN (1, 2)"), Value::Boolean(true));
  EXPECT_EQ(eval("n <=> NULL"), Value::Boolean(true));
  EXPECT_EQ(eval("a <=> NULL"), Value::Boolean(false));
  EXPECT_EQ(eval("s BETWEEN 'a' AND 'z'"), Value::Boolean(true));

  ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse("n = 1"));
  ASSERT_OK_AND_ASSIGN(bool keep, EvaluatePredicate(*e, row));
  EXPECT_FALSE(keep);
}

TEST(EvaluateTest, Errors) {
  auto row = Row({{"a", Value::Int(5)}, {"s", Value::String("x")}});
  ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse("missing = 1"));
  EXPECT_STATUS_CODE(kNotFound, Evaluate(*e, row));
  ASSERT_OK_AND_ASSIGN(e, Parse("s = 1"));
  EXPECT_STATUS_CODE(kInvalidArgument, Evaluate(*e, row));
  ASSERT_OK_AND_ASSIGN(e, Parse("a AND true"));
  EXPECT_STATUS_CODE(kInvalidArgument, Evaluate(*e, row));
}

}  // namespace
}  // namespace silt::expr
