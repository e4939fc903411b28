#include "silt/base/result.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("{} is odd", x);
  return x / 2;
}

Result<int> Quarter(int x) {
  SILT_ASSIGN_OR_RETURN(int h, Half(x));
  SILT_ASSIGN_OR_RETURN(h, Half(h));
  return h;
}

TEST(ResultTest, ValueAndError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 4);
  EXPECT_TRUE(ok.status().ok());
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "3 is odd");
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(ResultTest, AssignOrReturnChains) {
  ASSERT_OK_AND_ASSIGN(int q, Quarter(8));
  EXPECT_EQ(q, 2);
  ASSERT_STATUS_CODE(kInvalidArgument, Quarter(6));
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternal) {
  Result<int> r{Status::OK()};
  ASSERT_STATUS_CODE(kInternal, r);
}

TEST(ResultTest, MoveOnlyValues) {
  auto make = []() -> Result<std::unique_ptr<std::string>> {
    return std::make_unique<std::string>("x");
  };
  ASSERT_OK_AND_ASSIGN(auto p, make());
  EXPECT_EQ(*p, "x");
}

TEST(ResultTest, ReturnNotOkAcceptsResult) {
  auto f = []() -> Status {
    SILT_RETURN_NOT_OK(Half(5));
    return Status::OK();
  };
  ASSERT_STATUS_CODE(kInvalidArgument, f());
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  Result<int> bad = Half(3);
  EXPECT_DEATH((void)bad.value(), "3 is odd");
}

}  // namespace
}  // namespace silt
