#include "testing/duckdb.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::testing {
namespace {

TEST(DuckDbOracleTest, RunsStatementsAndReturnsLastRows) {
  ASSERT_OK_AND_ASSIGN(auto rows,
                       DuckDbQuery("create table t as select range as x from range(3);"
                                   "select x * 2 as y, 'it''s' as s from t order by x"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], R"({"y":"0","s":"it's"})");
  EXPECT_EQ(rows[2], R"({"y":"4","s":"it's"})");
}

TEST(DuckDbOracleTest, ReportsErrors) {
  Result<std::vector<std::string>> r = DuckDbQuery("select * from no_such_table");
  ASSERT_STATUS_CODE(kInternal, r);
  EXPECT_NE(r.error().message().find("no_such_table"), std::string::npos) << r.error();
}

TEST(DuckDbOracleTest, QuotesLiterals) { EXPECT_EQ(SqlQuote("a'b"), "'a''b'"); }

}  // namespace
}  // namespace silt::testing
