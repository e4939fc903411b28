#include "silt/base/uuid.h"

#include <set>

#include <gtest/gtest.h>

namespace silt {
namespace {

TEST(UuidTest, ShapeAndVersion) {
  std::string u = NewUuid();
  EXPECT_TRUE(IsUuid(u)) << u;
  EXPECT_EQ(u[14], '4');
  EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b') << u;
}

TEST(UuidTest, Unique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(NewUuid()).second);
}

TEST(UuidTest, RejectsMalformed) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("12345678-1234-1234-1234-12345678901"));
  EXPECT_FALSE(IsUuid("12345678x1234-1234-1234-123456789012"));
  EXPECT_FALSE(IsUuid("1234567g-1234-1234-1234-123456789012"));
  EXPECT_TRUE(IsUuid("12345678-1234-1234-1234-123456789ABC"));
}

}  // namespace
}  // namespace silt
