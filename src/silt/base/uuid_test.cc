#include "silt/base/uuid.h"

#include <sys/wait.h>
#include <unistd.h>

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

TEST(UuidTest, ForkedChildrenDrawDifferentIds) {
  NewUuid();  // the generator exists before the fork
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string child = NewUuid();
    ssize_t n = ::write(fds[1], child.data(), child.size());
    ::_exit(n == static_cast<ssize_t>(child.size()) ? 0 : 1);
  }
  std::string parent = NewUuid();
  std::string child(36, '\0');
  ASSERT_EQ(::read(fds[0], child.data(), child.size()), 36);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_TRUE(IsUuid(child)) << child;
  EXPECT_NE(parent, child);
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
