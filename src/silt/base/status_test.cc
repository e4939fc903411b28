#include "silt/base/status.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_FALSE(s.retryable());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, FactoriesFormatMessages) {
  Status s = Status::Corruption("file {} is {} bytes short", "a.parquet", 12);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "file a.parquet is 12 bytes short");
  EXPECT_EQ(s.ToString(), "Corruption: file a.parquet is 12 bytes short");
}

TEST(StatusTest, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    EXPECT_NE(StatusCodeName(static_cast<StatusCode>(c)), "Unknown") << c;
  }
}

TEST(StatusTest, RetryableAndContext) {
  Status s = Status::IOError("HTTP 503").WithRetryable(true);
  EXPECT_TRUE(s.retryable());
  Status c = s.WithContext("PUT _delta_log/00.json");
  EXPECT_EQ(c.message(), "PUT _delta_log/00.json: HTTP 503");
  EXPECT_TRUE(c.retryable());
  EXPECT_EQ(c.code(), StatusCode::kIOError);
  EXPECT_TRUE(Status::OK().WithContext("x").ok());
  EXPECT_FALSE(Status::OK().WithRetryable(true).retryable());
}

TEST(StatusTest, CopyAndMove) {
  Status a = Status::Conflict("lost the race");
  Status b = a;
  EXPECT_EQ(a, b);
  Status c = std::move(b);
  EXPECT_EQ(c.message(), "lost the race");
  a = Status::OK();
  EXPECT_TRUE(a.ok());
  EXPECT_NE(a, c);
}

Status FailsWith(StatusCode code) { return Status(code, "boom"); }
Status Propagates(StatusCode code, bool* reached_end) {
  SILT_RETURN_NOT_OK(FailsWith(code));
  *reached_end = true;
  return Status::OK();
}

TEST(StatusTest, ReturnNotOkPropagates) {
  bool reached = false;
  ASSERT_STATUS_CODE(kNotFound, Propagates(StatusCode::kNotFound, &reached));
  EXPECT_FALSE(reached);
  ASSERT_OK(Propagates(StatusCode::kOk, &reached));
  EXPECT_TRUE(reached);
}

}  // namespace
}  // namespace silt
