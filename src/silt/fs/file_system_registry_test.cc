#include "silt/fs/file_system_registry.h"

#include <string>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::fs {
namespace {

TEST(FileSystemFromUriTest, LocalForms) {
  for (const char* uri : {"file:///tmp/table", "file:/tmp/table", "/tmp/table", "table",
                          "rel/date=2024-01-01 10:00:00/x"}) {
    ASSERT_OK_AND_ASSIGN(auto fs, FileSystemFromUri(uri));
    EXPECT_EQ(fs->name(), "local") << uri;
  }
}

TEST(FileSystemFromUriTest, LocalFileSystemAcceptsTheUri) {
  silt::testing::TempDir dir;
  std::string uri = "file://" + dir.path();
  ASSERT_OK_AND_ASSIGN(auto fs, FileSystemFromUri(uri));
  ASSERT_OK(fs->Put(uri + "/x", "via uri"));
  ASSERT_OK_AND_ASSIGN(std::string data, fs->ReadFile(dir.Join("x")));
  EXPECT_EQ(data, "via uri");
}

TEST(FileSystemFromUriTest, MemoryIsOneProcessWideInstance) {
  ASSERT_OK_AND_ASSIGN(auto a, FileSystemFromUri("memory://registry-test/t"));
  ASSERT_OK_AND_ASSIGN(auto b, FileSystemFromUri("memory://other"));
  EXPECT_EQ(a->name(), "memory");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a.get(), ProcessMemoryFileSystem().get());
  ASSERT_OK(a->Put("memory://registry-test/t/f", "shared"));
  ASSERT_OK_AND_ASSIGN(std::string data, b->ReadFile("memory://registry-test/t/f"));
  EXPECT_EQ(data, "shared");
  ASSERT_OK(a->DeleteDirRecursive("memory://registry-test"));
}

TEST(FileSystemFromUriTest, OtherSchemesAreUnsupported) {
  for (const char* uri : {"s3://bucket/table", "abfss://c@acct.dfs.core.windows.net/t",
                          "gs://b/t", "S3A://bucket/t"}) {
    Result<std::shared_ptr<FileSystem>> fs = FileSystemFromUri(uri);
    ASSERT_FALSE(fs.has_value()) << uri;
    EXPECT_EQ(fs.error().code(), StatusCode::kUnsupported) << uri;
    std::string scheme = std::string(uri).substr(0, std::string(uri).find(':'));
    EXPECT_NE(fs.error().message().find("scheme '" + scheme + "'"), std::string::npos)
        << fs.error();
  }
}

TEST(FileSystemFromUriTest, BadLocations) {
  EXPECT_STATUS_CODE(kInvalidArgument, FileSystemFromUri(""));
  EXPECT_STATUS_CODE(kInvalidArgument, FileSystemFromUri("file://otherhost/tmp/t"));
}

}  // namespace
}  // namespace silt::fs
