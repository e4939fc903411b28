// MemoryFileSystem behaviour beyond the shared conformance suite (tests/fs).
#include "silt/fs/memory_file_system.h"

#include <atomic>
#include <string>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace silt::fs {
namespace {

TEST(MemoryFileSystemTest, KeyNormalisation) {
  EXPECT_EQ(MemoryFileSystem::Key("memory://bucket/a//b/"), "bucket/a/b");
  EXPECT_EQ(MemoryFileSystem::Key("/bucket/a"), "bucket/a");
  EXPECT_EQ(MemoryFileSystem::Key("bucket/a"), "bucket/a");
  EXPECT_EQ(MemoryFileSystem::Key("memory://"), "");
  EXPECT_EQ(MemoryFileSystem::Key("/"), "");
  EXPECT_EQ(MemoryFileSystem::Key("a b/%20/x=1"), "a b/%20/x=1");
}

TEST(MemoryFileSystemTest, SpellingsOfAPathNameTheSameFile) {
  MemoryFileSystem fs;
  ASSERT_OK(fs.PutIfAbsent("memory://t/_delta_log/0.json", "c0"));
  EXPECT_STATUS_CODE(kAlreadyExists, fs.PutIfAbsent("/t/_delta_log/0.json", "x"));
  ASSERT_OK_AND_ASSIGN(std::string data, fs.ReadFile("t//_delta_log/0.json"));
  EXPECT_EQ(data, "c0");
  // Listing reports paths in the spelling of the listed directory.
  ASSERT_OK_AND_ASSIGN(auto listed, fs.List("memory://t/_delta_log"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].path, "memory://t/_delta_log/0.json");
  ASSERT_OK_AND_ASSIGN(auto root, fs.List("/"));
  ASSERT_EQ(root.size(), 1u);
  EXPECT_EQ(root[0].path, "/t");
  EXPECT_TRUE(root[0].is_dir);
}

TEST(MemoryFileSystemTest, ModificationTimesComeFromTheClock) {
  std::atomic<int64_t> now{1000};
  MemoryFileSystem fs([&] { return now.load(); });
  ASSERT_OK(fs.Put("a", "1"));
  now = 2000;
  ASSERT_OK(fs.CreateDir("d"));
  ASSERT_OK_AND_ASSIGN(FileInfo a, fs.GetFileInfo("a"));
  EXPECT_EQ(a.modification_time_ms, 1000);
  ASSERT_OK_AND_ASSIGN(FileInfo d, fs.GetFileInfo("d"));
  EXPECT_EQ(d.modification_time_ms, 2000);
  fs.SetClock([] { return int64_t{5}; });
  ASSERT_OK(fs.Put("a", "2"));
  ASSERT_OK_AND_ASSIGN(a, fs.GetFileInfo("a"));
  EXPECT_EQ(a.modification_time_ms, 5);
}

TEST(MemoryFileSystemTest, RootAndFileAsDirectory) {
  MemoryFileSystem fs;
  EXPECT_STATUS_CODE(kInvalidArgument, fs.Put("memory://", "x"));
  ASSERT_OK_AND_ASSIGN(FileInfo root, fs.GetFileInfo("/"));
  EXPECT_TRUE(root.is_dir);
  ASSERT_OK(fs.Put("f", "x"));
  EXPECT_STATUS_CODE(kIOError, fs.Put("f/child", "y"));
  EXPECT_STATUS_CODE(kIOError, fs.DeleteFile("/"));
  ASSERT_OK(fs.DeleteDirRecursive("/"));
  ASSERT_OK_AND_ASSIGN(auto listed, fs.List(""));
  EXPECT_TRUE(listed.empty());
}

}  // namespace
}  // namespace silt::fs
