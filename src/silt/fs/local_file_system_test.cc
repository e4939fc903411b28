// LocalFileSystem behaviour beyond the shared conformance suite (tests/fs): URI forms,
// temporary-file naming, error mapping, symbolic links.
#include "silt/fs/local_file_system.h"

#include <unistd.h>

#include <cerrno>

#include <string>

#include <gtest/gtest.h>

#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::fs {
namespace {

TEST(LocalPathFromUriTest, Forms) {
  auto path = [](std::string_view uri) { return LocalPathFromUri(uri).value_or("<error>"); };
  EXPECT_EQ(path("file:///tmp/a b/c%20d"), "/tmp/a b/c%20d");  // no percent-decoding
  EXPECT_EQ(path("file:/tmp/x"), "/tmp/x");
  EXPECT_EQ(path("file://localhost/tmp/x"), "/tmp/x");
  EXPECT_EQ(path("FILE:///tmp/x"), "/tmp/x");
  EXPECT_EQ(path("file://"), "/");
  EXPECT_EQ(path("/abs/path"), "/abs/path");
  EXPECT_EQ(path("rel/path"), "rel/path");
  EXPECT_EQ(path("file:name"), "file:name");  // a relative name containing ':'
  EXPECT_STATUS_CODE(kInvalidArgument, LocalPathFromUri("file://otherhost/tmp/x"));
}

TEST(StatusFromErrnoTest, Mapping) {
  EXPECT_EQ(StatusFromErrno(ENOENT, "open", "/p").code(), StatusCode::kNotFound);
  EXPECT_EQ(StatusFromErrno(EEXIST, "create", "/p").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromErrno(ENOSPC, "write", "/p").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusFromErrno(EDQUOT, "write", "/p").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusFromErrno(EACCES, "open", "/p").code(), StatusCode::kIOError);
  EXPECT_EQ(StatusFromErrno(EIO, "fsync", "/p").code(), StatusCode::kIOError);
  EXPECT_EQ(StatusFromErrno(ENOSPC, "write", "/t/f").message(),
            "write '/t/f': No space left on device");
}

TEST(LocalFileSystemTest, WriterUsesAHiddenTempFileBesideTheTarget) {
  silt::testing::TempDir dir;
  LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto w, fs.OpenWritable(dir.Join("_delta_log/00000000000000000001.json")));
  ASSERT_OK(w->Append("{}"));
  ASSERT_OK(w->Sync());
  ASSERT_OK_AND_ASSIGN(auto listed, fs.List(dir.Join("_delta_log")));
  ASSERT_EQ(listed.size(), 1u);
  std::string name(BaseName(listed[0].path));
  // ".<target>.<uuid>.tmp": hidden and recognisable as junk by Delta log listing.
  EXPECT_TRUE(name.starts_with(".00000000000000000001.json.")) << name;
  EXPECT_TRUE(name.ends_with(".tmp")) << name;
  EXPECT_EQ(listed[0].size, 2);
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(listed, fs.List(dir.Join("_delta_log")));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].path, dir.Join("_delta_log/00000000000000000001.json"));
}

TEST(LocalFileSystemTest, ErrorsNameThePathAndTheCause) {
  silt::testing::TempDir dir;
  LocalFileSystem fs;
  ASSERT_OK(fs.Put(dir.Join("file"), "x"));
  // A file used as a directory: ENOTDIR -> kIOError.
  Status st = fs.Put(dir.Join("file/child"), "y");
  EXPECT_EQ(st.code(), StatusCode::kIOError) << st;
  EXPECT_NE(st.message().find(dir.Join("file")), std::string::npos) << st;
  EXPECT_NE(st.message().find("Not a directory"), std::string::npos) << st;
  // Reading a directory.
  ASSERT_OK(fs.CreateDir(dir.Join("d")));
  Result<std::string> read = fs.ReadFile(dir.Join("d"));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code(), StatusCode::kIOError);
  EXPECT_NE(read.error().message().find("Is a directory"), std::string::npos) << read.error();
  // Missing: kNotFound naming the path.
  Result<std::string> missing = fs.ReadFile(dir.Join("nope"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.error().message().find(dir.Join("nope")), std::string::npos);
  EXPECT_STATUS_CODE(kAlreadyExists, fs.CreateDir(dir.Join("file/sub")));
}

TEST(LocalFileSystemTest, PermissionDeniedIsIOError) {
  if (::geteuid() == 0) GTEST_SKIP() << "permissions do not apply to root";
  silt::testing::TempDir dir;
  LocalFileSystem fs;
  ASSERT_OK(fs.CreateDir(dir.Join("ro")));
  ASSERT_EQ(::chmod(dir.Join("ro").c_str(), 0500), 0);
  EXPECT_STATUS_CODE(kIOError, fs.Put(dir.Join("ro/f"), "x"));
  EXPECT_STATUS_CODE(kIOError, fs.PutIfAbsent(dir.Join("ro/f"), "x"));
  ASSERT_EQ(::chmod(dir.Join("ro").c_str(), 0700), 0);
}

TEST(LocalFileSystemTest, SymbolicLinks) {
  silt::testing::TempDir dir;
  LocalFileSystem fs;
  ASSERT_OK(fs.Put(dir.Join("outside/keep"), "precious"));
  ASSERT_OK(fs.Put(dir.Join("tree/file"), "f"));
  ASSERT_EQ(::symlink(dir.Join("outside").c_str(), dir.Join("tree/link_to_dir").c_str()), 0);
  ASSERT_EQ(::symlink(dir.Join("outside/keep").c_str(), dir.Join("tree/link_to_file").c_str()), 0);
  ASSERT_EQ(::symlink("..", dir.Join("tree/loop").c_str()), 0);
  ASSERT_EQ(::symlink(dir.Join("nowhere").c_str(), dir.Join("tree/dangling").c_str()), 0);

  // Recursive listing reports linked files but never walks into linked directories (no cycles).
  ListOptions recursive;
  recursive.recursive = true;
  ASSERT_OK_AND_ASSIGN(auto listed, fs.List(dir.Join("tree"), recursive));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].path, dir.Join("tree/file"));
  EXPECT_EQ(listed[1].path, dir.Join("tree/link_to_file"));
  EXPECT_EQ(listed[1].size, 8);

  // Deleting the tree removes the links, not what they point to.
  ASSERT_OK(fs.DeleteDirRecursive(dir.Join("tree")));
  EXPECT_STATUS_CODE(kNotFound, fs.GetFileInfo(dir.Join("tree")));
  ASSERT_OK_AND_ASSIGN(std::string kept, fs.ReadFile(dir.Join("outside/keep")));
  EXPECT_EQ(kept, "precious");
}

TEST(LocalFileSystemTest, PutIfAbsentDecidesByLink) {
  // A dangling link passes the early existence check (access(2) follows it) but occupies the
  // name, so link(2) itself must report the collision, and the temporary file must go.
  silt::testing::TempDir dir;
  LocalFileSystem fs;
  ASSERT_EQ(::symlink(dir.Join("nowhere").c_str(), dir.Join("commit.json").c_str()), 0);
  Status st = fs.PutIfAbsent(dir.Join("commit.json"), "x");
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st;
  EXPECT_NE(st.message().find(dir.Join("commit.json")), std::string::npos) << st;
  ASSERT_OK_AND_ASSIGN(auto listed, fs.List(dir.path()));
  EXPECT_TRUE(listed.empty());  // the dangling link is not listed, and no temporary file is left
  EXPECT_STATUS_CODE(kNotFound, fs.GetFileInfo(dir.Join("nowhere")));
}

TEST(LocalFileSystemTest, FailedPutIfAbsentLeavesNoTempFile) {
  silt::testing::TempDir dir;
  LocalFileSystem fs;
  ASSERT_OK(fs.CreateDir(dir.Join("d/target")));  // a directory where the file would go
  EXPECT_STATUS_CODE(kAlreadyExists, fs.PutIfAbsent(dir.Join("d/target"), "x"));
  EXPECT_STATUS_CODE(kIOError, fs.Put(dir.Join("d/target"), "x"));
  ASSERT_OK_AND_ASSIGN(auto listed, fs.List(dir.Join("d")));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].is_dir);
}

}  // namespace
}  // namespace silt::fs
