#include "silt/base/byte_size.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt {
namespace {

TEST(ByteSizeTest, PlainNumbersAndBinaryUnits) {
  EXPECT_EQ(ParseByteSize("134217728").value(), 134217728);
  EXPECT_EQ(ParseByteSize("1b").value(), 1);
  EXPECT_EQ(ParseByteSize("64k").value(), 64 << 10);
  EXPECT_EQ(ParseByteSize("64KB").value(), 64 << 10);
  EXPECT_EQ(ParseByteSize("128m").value(), int64_t{128} << 20);
  EXPECT_EQ(ParseByteSize("1G").value(), int64_t{1} << 30);
  EXPECT_EQ(ParseByteSize("2tb").value(), int64_t{2} << 40);
}

TEST(ByteSizeTest, RejectsWhatIsNotAPositiveSize) {
  for (std::string_view bad : {"", "m", "0", "0m", "-5", "12q", "1.5g", "9999999999t",
                               "99999999999999999999"}) {
    SCOPED_TRACE(bad);
    Result<int64_t> r = ParseByteSize(bad);
    EXPECT_STATUS_CODE(kInvalidArgument, r);
    EXPECT_NE(testing::StatusOf(r).message().find("is not a positive byte size"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace silt
