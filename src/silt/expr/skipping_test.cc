#include "silt/expr/skipping.h"

#include <map>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::expr {
namespace {

// A file with a in [10, 20] (2 nulls), s in ['b', 'f'], n all null, 10 rows; no stats for u.
StatsView File() {
  StatsView v;
  v.num_records = 10;
  v.column = [](const std::vector<std::string>& path) -> std::optional<ColumnStats> {
    if (path == std::vector<std::string>{"a"}) {
      return ColumnStats{Value::Int(10), Value::Int(20), 2};
    }
    if (path == std::vector<std::string>{"s"}) {
      return ColumnStats{Value::String("b"), Value::String("f"), 0};
    }
    if (path == std::vector<std::string>{"n"}) return ColumnStats{std::nullopt, std::nullopt, 10};
    return std::nullopt;
  };
  return v;
}

bool May(const char* text) {
  Result<ExprPtr> e = Parse(text);
  EXPECT_TRUE(e.ok()) << text;
  return MayMatch(**e, File());
}

TEST(SkippingTest, Comparisons) {
  EXPECT_TRUE(May("a = 10"));
  EXPECT_TRUE(May("a = 15"));
  EXPECT_FALSE(May("a = 9"));
  EXPECT_FALSE(May("a = 21"));
  EXPECT_FALSE(May("a < 10"));
  EXPECT_TRUE(May("a <= 10"));
  EXPECT_FALSE(May("a > 20"));
  EXPECT_TRUE(May("a >= 20"));
  EXPECT_FALSE(May("9 >= a"));  // literal on the left
  EXPECT_TRUE(May("a != 10"));
  EXPECT_TRUE(May("a = 15.5"));
  EXPECT_FALSE(May("a > 20.5"));
  EXPECT_FALSE(May("s = 'a'"));
  EXPECT_TRUE(May("s = 'c'"));
  EXPECT_FALSE(May("s > 'f'"));
  EXPECT_TRUE(May("u = 1000"));  // no stats: cannot skip
}

TEST(SkippingTest, Logic) {
  EXPECT_FALSE(May("a = 1 AND s = 'c'"));
  EXPECT_TRUE(May("a = 1 OR s = 'c'"));
  EXPECT_FALSE(May("a = 1 OR s = 'z'"));
  EXPECT_FALSE(May("NOT a >= 10"));           // = a < 10
  EXPECT_TRUE(May("NOT a > 10"));
  EXPECT_FALSE(May("NOT (a >= 10 OR s = 'c')"));  // = a < 10 AND s != 'c'
  EXPECT_TRUE(May("a IN (1, 12)"));
  EXPECT_FALSE(May("a IN (1, 2, 30)"));
  EXPECT_TRUE(May("a NOT IN (1, 2)"));
  EXPECT_FALSE(May("a = NULL"));
  EXPECT_FALSE(May("false"));
  EXPECT_TRUE(May("NOT false"));
}

TEST(SkippingTest, NullCounts) {
  EXPECT_TRUE(May("a IS NULL"));
  EXPECT_TRUE(May("a IS NOT NULL"));
  EXPECT_FALSE(May("s IS NULL"));
  EXPECT_FALSE(May("n IS NOT NULL"));
  EXPECT_FALSE(May("n = 3"));  // all null: no comparison holds
  EXPECT_TRUE(May("NOT n IS NULL OR a = 11"));
  EXPECT_FALSE(May("NOT s IS NOT NULL"));
}

TEST(SkippingTest, NeOnlySkipsConstantColumns) {
  StatsView v;
  v.num_records = 3;
  v.column = [](const std::vector<std::string>&) -> std::optional<ColumnStats> {
    return ColumnStats{Value::Int(7), Value::Int(7), 0};
  };
  ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse("p != 7"));
  EXPECT_FALSE(MayMatch(*e, v));
  ASSERT_OK_AND_ASSIGN(e, Parse("NOT p = 7"));
  EXPECT_FALSE(MayMatch(*e, v));
  ASSERT_OK_AND_ASSIGN(e, Parse("p != 8"));
  EXPECT_TRUE(MayMatch(*e, v));
}

TEST(SkippingTest, EmptyFileNeverMatches) {
  StatsView v;
  v.num_records = 0;
  v.column = [](const std::vector<std::string>&) { return std::optional<ColumnStats>(); };
  ASSERT_OK_AND_ASSIGN(ExprPtr e, Parse("a IS NULL"));
  EXPECT_FALSE(MayMatch(*e, v));
}

}  // namespace
}  // namespace silt::expr
