#include "silt/fs/file_system.h"

#include <gtest/gtest.h>

namespace silt::fs {
namespace {

TEST(PathTest, StripTrailingSlashes) {
  EXPECT_EQ(StripTrailingSlashes("a/b"), "a/b");
  EXPECT_EQ(StripTrailingSlashes("a/b//"), "a/b");
  EXPECT_EQ(StripTrailingSlashes("s3://bucket/t/"), "s3://bucket/t");
  EXPECT_EQ(StripTrailingSlashes("/"), "/");
  EXPECT_EQ(StripTrailingSlashes("///"), "/");
  EXPECT_EQ(StripTrailingSlashes(""), "");
}

TEST(PathTest, ParentPathAndBaseNameIgnoreTrailingSlashes) {
  EXPECT_EQ(ParentPath("a/b/c/"), "a/b");
  EXPECT_EQ(ParentPath("/c"), "/");
  EXPECT_EQ(ParentPath("c"), "");
  EXPECT_EQ(BaseName("a/b/c//"), "c");
  EXPECT_EQ(BaseName("c"), "c");
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
}

}  // namespace
}  // namespace silt::fs
