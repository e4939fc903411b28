// The FileSystem contract (src/silt/fs/file_system.h), run against every implementation:
// local (plain paths and file:// URIs), memory, and the fault-injecting wrapper with nothing
// armed around both. A new implementation (S3, Azure) gets the same suite by adding a factory.
#include <atomic>
#include <barrier>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "silt/base/time.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/file_system.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::fs {
namespace {

// One file system under test and the directory the test works in.
class Subject {
 public:
  virtual ~Subject() = default;
  virtual FileSystem& fs() = 0;
  virtual std::string root() const = 0;
};

class LocalSubject : public Subject {
 public:
  explicit LocalSubject(bool uri, bool wrap) : uri_(uri) {
    if (wrap) wrapper_ = std::make_unique<FaultInjectionFileSystem>(local_);
  }
  FileSystem& fs() override { return wrapper_ ? static_cast<FileSystem&>(*wrapper_) : local_; }
  std::string root() const override { return (uri_ ? "file://" : "") + dir_.path(); }

 private:
  silt::testing::TempDir dir_;
  LocalFileSystem local_;
  std::unique_ptr<FaultInjectionFileSystem> wrapper_;
  bool uri_;
};

class MemorySubject : public Subject {
 public:
  explicit MemorySubject(bool wrap) {
    if (wrap) wrapper_ = std::make_unique<FaultInjectionFileSystem>(memory_);
  }
  FileSystem& fs() override { return wrapper_ ? static_cast<FileSystem&>(*wrapper_) : memory_; }
  std::string root() const override { return "memory://bucket/conformance"; }

 private:
  MemoryFileSystem memory_;
  std::unique_ptr<FaultInjectionFileSystem> wrapper_;
};

struct Factory {
  std::string name;
  std::function<std::unique_ptr<Subject>()> make;
};
void PrintTo(const Factory& factory, std::ostream* os) { *os << factory.name; }

std::vector<Factory> Factories() {
  return {
      {"Local", [] { return std::make_unique<LocalSubject>(false, false); }},
      {"LocalFileUri", [] { return std::make_unique<LocalSubject>(true, false); }},
      {"Memory", [] { return std::make_unique<MemorySubject>(false); }},
      {"FaultInjectionOverMemory", [] { return std::make_unique<MemorySubject>(true); }},
      {"FaultInjectionOverLocal", [] { return std::make_unique<LocalSubject>(false, true); }},
  };
}

class FileSystemConformanceTest : public ::testing::TestWithParam<Factory> {
 protected:
  void SetUp() override {
    subject_ = GetParam().make();
    fs_ = &subject_->fs();
  }
  // A path below the test's root.
  std::string P(std::string_view rel) const { return JoinPath(subject_->root(), rel); }
  FileSystem& fs() { return *fs_; }

  std::vector<std::string> Paths(const std::vector<FileInfo>& infos) {
    std::vector<std::string> out;
    for (const FileInfo& info : infos) out.push_back(info.path);
    return out;
  }
  // Listed paths relative to the root, directories marked with a trailing '/'.
  std::vector<std::string> ListRel(const std::string& dir, const ListOptions& options = {}) {
    Result<std::vector<FileInfo>> listed = fs().List(dir, options);
    EXPECT_OK(listed);
    std::vector<std::string> out;
    if (!listed.has_value()) return out;
    std::string base = subject_->root() + "/";
    for (const FileInfo& info : *listed) {
      EXPECT_TRUE(info.path.starts_with(base)) << info.path;
      out.push_back(info.path.substr(base.size()) + (info.is_dir ? "/" : ""));
    }
    return out;
  }

  std::unique_ptr<Subject> subject_;
  FileSystem* fs_ = nullptr;
};

using Strings = std::vector<std::string>;

ListOptions Opt(std::string prefix, std::string start_after, bool recursive) {
  ListOptions options;
  options.prefix = std::move(prefix);
  options.start_after = std::move(start_after);
  options.recursive = recursive;
  return options;
}

TEST_P(FileSystemConformanceTest, ReadWholeFileAndRanges) {
  ASSERT_OK(fs().Put(P("f"), "0123456789"));
  ASSERT_OK_AND_ASSIGN(std::string whole, fs().ReadFile(P("f")));
  EXPECT_EQ(whole, "0123456789");
  ASSERT_OK_AND_ASSIGN(std::string mid, fs().ReadRange(P("f"), 2, 5));
  EXPECT_EQ(mid, "23456");
  ASSERT_OK_AND_ASSIGN(std::string tail, fs().ReadRange(P("f"), 7, 3));
  EXPECT_EQ(tail, "789");
  ASSERT_OK_AND_ASSIGN(std::string empty_at_end, fs().ReadRange(P("f"), 10, 0));
  EXPECT_EQ(empty_at_end, "");
}

TEST_P(FileSystemConformanceTest, RangePastEndIsIOError) {
  ASSERT_OK(fs().Put(P("f"), "0123456789"));
  EXPECT_STATUS_CODE(kIOError, fs().ReadRange(P("f"), 8, 3));
  EXPECT_STATUS_CODE(kIOError, fs().ReadRange(P("f"), 11, 0));
  EXPECT_STATUS_CODE(kIOError, fs().ReadRange(P("f"), 100, 1));
  EXPECT_STATUS_CODE(kInvalidArgument, fs().ReadRange(P("f"), -1, 1));
  EXPECT_STATUS_CODE(kInvalidArgument, fs().ReadRange(P("f"), 0, -1));
}

TEST_P(FileSystemConformanceTest, EmptyFile) {
  ASSERT_OK(fs().Put(P("empty"), ""));
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("empty")));
  EXPECT_EQ(data, "");
  ASSERT_OK_AND_ASSIGN(FileInfo info, fs().GetFileInfo(P("empty")));
  EXPECT_EQ(info.size, 0);
  EXPECT_FALSE(info.is_dir);
}

TEST_P(FileSystemConformanceTest, MissingFileIsNotFound) {
  std::string missing = P("no/such/file");
  EXPECT_STATUS_CODE(kNotFound, fs().ReadFile(missing));
  EXPECT_STATUS_CODE(kNotFound, fs().ReadRange(missing, 0, 1));
  EXPECT_STATUS_CODE(kNotFound, fs().OpenRandomAccess(missing));
  EXPECT_STATUS_CODE(kNotFound, fs().GetFileInfo(missing));
  EXPECT_STATUS_CODE(kNotFound, fs().DeleteFile(missing));
  ASSERT_OK_AND_ASSIGN(bool exists, fs().Exists(missing));
  EXPECT_FALSE(exists);
  // The message names the path.
  EXPECT_NE(fs().ReadFile(missing).error().message().find("no/such/file"), std::string::npos);
}

TEST_P(FileSystemConformanceTest, RandomAccessFile) {
  ASSERT_OK(fs().Put(P("r"), "abcdefghij"));
  ASSERT_OK_AND_ASSIGN(auto file, fs().OpenRandomAccess(P("r")));
  EXPECT_EQ(file->size(), 10);
  EXPECT_EQ(file->path(), P("r"));
  ASSERT_OK_AND_ASSIGN(std::string a, file->ReadAt(0, 3));
  EXPECT_EQ(a, "abc");
  ASSERT_OK_AND_ASSIGN(std::string b, file->ReadAt(9, 1));
  EXPECT_EQ(b, "j");
  ASSERT_OK_AND_ASSIGN(std::string none, file->ReadAt(10, 0));
  EXPECT_EQ(none, "");
  EXPECT_STATUS_CODE(kIOError, file->ReadAt(9, 2));
  EXPECT_STATUS_CODE(kInvalidArgument, file->ReadAt(-1, 2));
}

TEST_P(FileSystemConformanceTest, RandomAccessFileKeepsContentAsOfOpening) {
  ASSERT_OK(fs().Put(P("r"), "old content"));
  ASSERT_OK_AND_ASSIGN(auto file, fs().OpenRandomAccess(P("r")));
  ASSERT_OK(fs().Put(P("r"), "NEW"));
  ASSERT_OK_AND_ASSIGN(std::string still_old, file->ReadAt(0, 11));
  EXPECT_EQ(still_old, "old content");
  ASSERT_OK_AND_ASSIGN(std::string now, fs().ReadFile(P("r")));
  EXPECT_EQ(now, "NEW");
}

TEST_P(FileSystemConformanceTest, RandomAccessFileConcurrentReads) {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += static_cast<char>('a' + i % 26);
  ASSERT_OK(fs().Put(P("r"), data));
  ASSERT_OK_AND_ASSIGN(auto file, fs().OpenRandomAccess(P("r")));
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        int64_t off = (t * 997 + i * 31) % 9000;
        Result<std::string> got = file->ReadAt(off, 1000);
        if (!got.has_value() || *got != data.substr(static_cast<size_t>(off), 1000)) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_P(FileSystemConformanceTest, WritableFileVisibleOnlyAfterClose) {
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("dir/w")));
  ASSERT_OK(w->Append("hello "));
  ASSERT_OK(w->Append(""));
  ASSERT_OK(w->Append("world"));
  EXPECT_EQ(w->size(), 11);
  ASSERT_OK_AND_ASSIGN(bool before_sync, fs().Exists(P("dir/w")));
  EXPECT_FALSE(before_sync);
  ASSERT_OK(w->Sync());
  ASSERT_OK(w->Append("!"));
  ASSERT_OK_AND_ASSIGN(bool after_sync, fs().Exists(P("dir/w")));
  EXPECT_FALSE(after_sync);
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("dir/w")));
  EXPECT_EQ(data, "hello world!");
  // The only entry is the published file: no temporary file is left behind.
  EXPECT_EQ(ListRel(P("dir")), Strings({"dir/w"}));
}

TEST_P(FileSystemConformanceTest, WritableFileLargeAndSmallAppends) {
  std::string expected;
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("big")));
  for (int i = 0; i < 300; ++i) {
    std::string piece(static_cast<size_t>(i * 37 % 5000 + (i % 50 == 0 ? 200000 : 0)),
                      static_cast<char>('A' + i % 26));
    ASSERT_OK(w->Append(piece));
    expected += piece;
    if (i % 97 == 0) ASSERT_OK(w->Sync());
  }
  EXPECT_EQ(w->size(), static_cast<int64_t>(expected.size()));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("big")));
  EXPECT_EQ(data.size(), expected.size());
  EXPECT_TRUE(data == expected);
  ASSERT_OK_AND_ASSIGN(FileInfo info, fs().GetFileInfo(P("big")));
  EXPECT_EQ(info.size, static_cast<int64_t>(expected.size()));
}

TEST_P(FileSystemConformanceTest, UnclosedWriterLeavesNothingVisible) {
  ASSERT_OK(fs().CreateDir(P("d")));
  {
    ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("d/partial")));
    ASSERT_OK(w->Append("some bytes"));
    ASSERT_OK(w->Sync());
    // Destroyed without Close().
  }
  ASSERT_OK_AND_ASSIGN(bool exists, fs().Exists(P("d/partial")));
  EXPECT_FALSE(exists);
  EXPECT_EQ(ListRel(P("d")), Strings{});
}

TEST_P(FileSystemConformanceTest, UnclosedWriterDoesNotDisturbExistingFile) {
  ASSERT_OK(fs().Put(P("f"), "original"));
  {
    ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("f")));
    ASSERT_OK(w->Append("replacement that is never closed"));
    ASSERT_OK_AND_ASSIGN(std::string during, fs().ReadFile(P("f")));
    EXPECT_EQ(during, "original");
  }
  ASSERT_OK_AND_ASSIGN(std::string after, fs().ReadFile(P("f")));
  EXPECT_EQ(after, "original");
}

TEST_P(FileSystemConformanceTest, WritableFileAfterClose) {
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("c")));
  ASSERT_OK(w->Append("x"));
  ASSERT_OK(w->Close());
  ASSERT_OK(w->Close());  // idempotent
  EXPECT_STATUS_CODE(kInvalidArgument, w->Append("y"));
  EXPECT_STATUS_CODE(kInvalidArgument, w->Sync());
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("c")));
  EXPECT_EQ(data, "x");
}

TEST_P(FileSystemConformanceTest, OpenWritableOverwriteFlag) {
  ASSERT_OK(fs().Put(P("o"), "first"));
  // Default: overwrite.
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("o")));
  ASSERT_OK(w->Append("second"));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("o")));
  EXPECT_EQ(data, "second");
  // overwrite = false on an existing file.
  EXPECT_STATUS_CODE(kAlreadyExists, fs().OpenWritable(P("o"), WriteOptions{.overwrite = false}));
  // overwrite = false on a new file.
  ASSERT_OK_AND_ASSIGN(auto n, fs().OpenWritable(P("n"), WriteOptions{.overwrite = false}));
  ASSERT_OK(n->Append("new"));
  ASSERT_OK(n->Close());
  ASSERT_OK_AND_ASSIGN(std::string created, fs().ReadFile(P("n")));
  EXPECT_EQ(created, "new");
}

TEST_P(FileSystemConformanceTest, NoOverwriteWriterRacingACreator) {
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("x"), WriteOptions{.overwrite = false}));
  ASSERT_OK(w->Append("writer"));
  ASSERT_OK(fs().PutIfAbsent(P("x"), "creator"));
  Status closed = w->Close();
  // The contract lets either win, but never a mix.
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("x")));
  if (closed.ok()) {
    EXPECT_EQ(data, "writer");
  } else {
    EXPECT_EQ(closed.code(), StatusCode::kAlreadyExists) << closed;
    EXPECT_EQ(data, "creator");
  }
}

TEST_P(FileSystemConformanceTest, PutIfAbsentTwice) {
  ASSERT_OK(fs().PutIfAbsent(P("_delta_log/00000000000000000000.json"), "commit 0"));
  EXPECT_STATUS_CODE(kAlreadyExists,
                     fs().PutIfAbsent(P("_delta_log/00000000000000000000.json"), "other"));
  ASSERT_OK_AND_ASSIGN(std::string data,
                       fs().ReadFile(P("_delta_log/00000000000000000000.json")));
  EXPECT_EQ(data, "commit 0");
  // The loser left nothing behind.
  EXPECT_EQ(ListRel(P("_delta_log")), Strings({"_delta_log/00000000000000000000.json"}));
}

TEST_P(FileSystemConformanceTest, PutIfAbsentOnADirectoryIsAlreadyExists) {
  ASSERT_OK(fs().CreateDir(P("d")));
  EXPECT_STATUS_CODE(kAlreadyExists, fs().PutIfAbsent(P("d"), "x"));
}

TEST_P(FileSystemConformanceTest, PutReplaces) {
  ASSERT_OK(fs().Put(P("p"), "a much longer first version"));
  ASSERT_OK(fs().Put(P("p"), "short"));
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P("p")));
  EXPECT_EQ(data, "short");
  ASSERT_OK_AND_ASSIGN(FileInfo info, fs().GetFileInfo(P("p")));
  EXPECT_EQ(info.size, 5);
  EXPECT_EQ(ListRel(subject_->root()), Strings({"p"}));
}

TEST_P(FileSystemConformanceTest, WritesCreateParentDirectories) {
  ASSERT_OK(fs().Put(P("a/b/c/put"), "1"));
  ASSERT_OK(fs().PutIfAbsent(P("d/e/pia"), "2"));
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P("f/g/w")));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(FileInfo b, fs().GetFileInfo(P("a/b")));
  EXPECT_TRUE(b.is_dir);
  EXPECT_EQ(ListRel(subject_->root(), Opt("", "", true)), Strings({"a/b/c/put", "d/e/pia", "f/g/w"}));
}

TEST_P(FileSystemConformanceTest, ListIsSortedByFullPath) {
  for (const char* name : {"b", "a-c", "a/x", "a/y/z", "A", "_delta_log/0.json", "a0"}) {
    ASSERT_OK(fs().Put(P(name), name));
  }
  // Byte order: 'A' < '_' < 'a'; "a" < "a-c" < "a0" ('-' < '0'), a directory is one entry.
  EXPECT_EQ(ListRel(subject_->root()), Strings({"A", "_delta_log/", "a/", "a-c", "a0", "b"}));
  // Recursive: files only, sorted by full path, so "a-c" < "a/x" ('-' < '/') < "a0" ('/' < '0').
  EXPECT_EQ(ListRel(subject_->root(), Opt("", "", true)),
            Strings({"A", "_delta_log/0.json", "a-c", "a/x", "a/y/z", "a0", "b"}));
  ASSERT_OK_AND_ASSIGN(auto listed, fs().List(P("a")));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].path, P("a/x"));
  EXPECT_FALSE(listed[0].is_dir);
  EXPECT_EQ(listed[0].size, 3);
  EXPECT_EQ(listed[1].path, P("a/y"));
  EXPECT_TRUE(listed[1].is_dir);
}

TEST_P(FileSystemConformanceTest, ListWithTrailingSlash) {
  ASSERT_OK(fs().Put(P("d/f"), "x"));
  ASSERT_OK_AND_ASSIGN(auto listed, fs().List(P("d") + "/"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].path, P("d/f"));
}

TEST_P(FileSystemConformanceTest, ListPrefix) {
  for (const char* name : {"part-0001.parquet", "part-0002.parquet", "other", "part=1/f",
                           "part=2/g", "parts/h", "q=1/f"}) {
    ASSERT_OK(fs().Put(P(name), "x"));
  }
  EXPECT_EQ(ListRel(subject_->root(), Opt("part-", "", false)),
            Strings({"part-0001.parquet", "part-0002.parquet"}));
  EXPECT_EQ(ListRel(subject_->root(), Opt("part=", "", false)), Strings({"part=1/", "part=2/"}));
  EXPECT_EQ(ListRel(subject_->root(), Opt("part", "", true)),
            Strings({"part-0001.parquet", "part-0002.parquet", "part=1/f", "part=2/g",
                     "parts/h"}));
  // Recursively, the prefix applies to the path below the listed directory.
  EXPECT_EQ(ListRel(subject_->root(), Opt("part=2/", "", true)),
            Strings({"part=2/g"}));
  EXPECT_EQ(ListRel(subject_->root(), Opt("zzz", "", false)), Strings{});
}

TEST_P(FileSystemConformanceTest, ListStartAfter) {
  for (int v = 0; v < 5; ++v) {
    ASSERT_OK(fs().PutIfAbsent(P(fmt::format("_delta_log/{:020}.json", v)), "{}"));
  }
  ASSERT_OK(fs().Put(P("_delta_log/00000000000000000002.checkpoint.parquet"), "cp"));
  std::string log = P("_delta_log");
  EXPECT_EQ(ListRel(log, Opt("", P("_delta_log/00000000000000000002.checkpoint.parquet"), false)),
            Strings({"_delta_log/00000000000000000002.json", "_delta_log/00000000000000000003.json",
                     "_delta_log/00000000000000000004.json"}));
  // start_after need not name an existing entry.
  EXPECT_EQ(ListRel(log, Opt("", P("_delta_log/00000000000000000003"), false)),
            Strings({"_delta_log/00000000000000000003.json", "_delta_log/00000000000000000004.json"}));
  EXPECT_EQ(ListRel(log, Opt("", P("_delta_log/00000000000000000004.json"), false)), Strings{});
  // Combined with a prefix.
  EXPECT_EQ(ListRel(log, Opt("00000000000000000002", P("_delta_log/00000000000000000001.json"), false)),
            Strings({"_delta_log/00000000000000000002.checkpoint.parquet",
                     "_delta_log/00000000000000000002.json"}));
  // Recursive.
  ASSERT_OK(fs().Put(P("z/a"), "1"));
  EXPECT_EQ(ListRel(subject_->root(), Opt("", P("_delta_log/00000000000000000004.json"), true)),
            Strings({"z/a"}));
}

TEST_P(FileSystemConformanceTest, ListMissingDirectoryIsEmpty) {
  ASSERT_OK_AND_ASSIGN(auto listed, fs().List(P("never/created")));
  EXPECT_TRUE(listed.empty());
  ASSERT_OK_AND_ASSIGN(auto recursive, fs().List(P("never/created"), Opt("", "", true)));
  EXPECT_TRUE(recursive.empty());
  // A file is not a directory: nothing below it.
  ASSERT_OK(fs().Put(P("file"), "x"));
  ASSERT_OK_AND_ASSIGN(auto below_file, fs().List(P("file")));
  EXPECT_TRUE(below_file.empty());
}

TEST_P(FileSystemConformanceTest, ListSkipsNothingButDotEntries) {
  // Hidden and temporary-looking files are reported: callers decide what is junk.
  for (const char* name : {".hidden", ".00001.json.abc.tmp", "_SUCCESS", "x.crc"}) {
    ASSERT_OK(fs().Put(P(name), "x"));
  }
  EXPECT_EQ(ListRel(subject_->root()), Strings({".00001.json.abc.tmp", ".hidden", "_SUCCESS", "x.crc"}));
}

TEST_P(FileSystemConformanceTest, ListedPathsRoundTrip) {
  ASSERT_OK(fs().Put(P("a/b"), "ab"));
  ASSERT_OK(fs().Put(P("c"), "c"));
  ASSERT_OK_AND_ASSIGN(auto listed, fs().List(subject_->root(), Opt("", "", true)));
  ASSERT_EQ(listed.size(), 2u);
  for (const FileInfo& info : listed) {
    ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(info.path));
    EXPECT_EQ(static_cast<int64_t>(data.size()), info.size);
    ASSERT_OK_AND_ASSIGN(FileInfo again, fs().GetFileInfo(info.path));
    EXPECT_EQ(again.path, info.path);
  }
}

TEST_P(FileSystemConformanceTest, GetFileInfoSizeAndModificationTime) {
  int64_t before = NowMillis();
  ASSERT_OK(fs().Put(P("i"), std::string(1234, 'i')));
  int64_t after = NowMillis();
  ASSERT_OK_AND_ASSIGN(FileInfo info, fs().GetFileInfo(P("i")));
  EXPECT_EQ(info.path, P("i"));
  EXPECT_EQ(info.size, 1234);
  EXPECT_FALSE(info.is_dir);
  // File systems keep coarser timestamps than our clock; allow for that.
  EXPECT_GE(info.modification_time_ms, before - 2000);
  EXPECT_LE(info.modification_time_ms, after + 2000);
  ASSERT_OK_AND_ASSIGN(auto listed, fs().List(subject_->root()));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].modification_time_ms, info.modification_time_ms);
  EXPECT_EQ(listed[0].size, 1234);

  ASSERT_OK(fs().CreateDir(P("dir")));
  ASSERT_OK_AND_ASSIGN(FileInfo dir, fs().GetFileInfo(P("dir")));
  EXPECT_TRUE(dir.is_dir);
  EXPECT_EQ(dir.size, 0);
}

TEST_P(FileSystemConformanceTest, DeleteFile) {
  ASSERT_OK(fs().Put(P("d/f"), "x"));
  ASSERT_OK(fs().Put(P("d/g"), "y"));
  ASSERT_OK(fs().DeleteFile(P("d/f")));
  EXPECT_STATUS_CODE(kNotFound, fs().ReadFile(P("d/f")));
  EXPECT_STATUS_CODE(kNotFound, fs().DeleteFile(P("d/f")));
  EXPECT_EQ(ListRel(P("d")), Strings({"d/g"}));
  // PutIfAbsent works again once the file is gone.
  ASSERT_OK(fs().PutIfAbsent(P("d/f"), "again"));
}

TEST_P(FileSystemConformanceTest, DeleteDirRecursive) {
  for (const char* name : {"t/a", "t/b/c", "t/b/d/e", "t2/keep", "t-keep"}) {
    ASSERT_OK(fs().Put(P(name), "x"));
  }
  ASSERT_OK(fs().CreateDir(P("t/empty")));
  ASSERT_OK(fs().DeleteDirRecursive(P("t")));
  EXPECT_STATUS_CODE(kNotFound, fs().GetFileInfo(P("t")));
  EXPECT_STATUS_CODE(kNotFound, fs().GetFileInfo(P("t/b/c")));
  // Siblings sharing the name as a prefix survive.
  EXPECT_EQ(ListRel(subject_->root(), Opt("", "", true)), Strings({"t-keep", "t2/keep"}));
  // Missing: OK.
  ASSERT_OK(fs().DeleteDirRecursive(P("t")));
  ASSERT_OK(fs().DeleteDirRecursive(P("never/was")));
  // A file is not a directory.
  EXPECT_STATUS_CODE(kInvalidArgument, fs().DeleteDirRecursive(P("t-keep")));
  ASSERT_OK_AND_ASSIGN(bool kept, fs().Exists(P("t-keep")));
  EXPECT_TRUE(kept);
}

TEST_P(FileSystemConformanceTest, CreateDirIsIdempotent) {
  ASSERT_OK(fs().CreateDir(P("x/y/z")));
  ASSERT_OK(fs().CreateDir(P("x/y/z")));
  ASSERT_OK(fs().CreateDir(P("x/y")));
  ASSERT_OK_AND_ASSIGN(FileInfo info, fs().GetFileInfo(P("x/y/z")));
  EXPECT_TRUE(info.is_dir);
  EXPECT_EQ(ListRel(P("x")), Strings({"x/y/"}));
  EXPECT_EQ(ListRel(P("x/y/z")), Strings{});
  // Recursive listings hold files only.
  EXPECT_EQ(ListRel(P("x"), Opt("", "", true)), Strings{});
  // Directories stay when their last file goes.
  ASSERT_OK(fs().Put(P("x/y/z/f"), "1"));
  ASSERT_OK(fs().DeleteFile(P("x/y/z/f")));
  ASSERT_OK_AND_ASSIGN(FileInfo still, fs().GetFileInfo(P("x/y/z")));
  EXPECT_TRUE(still.is_dir);
}

TEST_P(FileSystemConformanceTest, CreateDirOverAFileIsAlreadyExists) {
  ASSERT_OK(fs().Put(P("f"), "x"));
  EXPECT_STATUS_CODE(kAlreadyExists, fs().CreateDir(P("f")));
}

TEST_P(FileSystemConformanceTest, PathsWithSpacesPercentAndEquals) {
  // Delta partition folders: names hold '=', escaped characters ('%20', '%3A') and spaces.
  const std::string dir = "date=2024-01-01/city=S%C3%A3o Paulo/ts=10%3A00 +1";
  const std::vector<std::string> files = {dir + "/part-0 a%2Fb=c.parquet", dir + "/100% done"};
  ASSERT_OK(fs().Put(P(files[0]), "put"));
  ASSERT_OK(fs().PutIfAbsent(P(files[1]), "pia"));
  ASSERT_OK_AND_ASSIGN(auto w, fs().OpenWritable(P(dir + "/w=1 %")));
  ASSERT_OK(w->Append("written"));
  ASSERT_OK(w->Close());
  EXPECT_EQ(ListRel(P(dir)), Strings({dir + "/100% done", dir + "/part-0 a%2Fb=c.parquet",
                                      dir + "/w=1 %"}));
  EXPECT_EQ(ListRel(P("date=2024-01-01"), Opt("city=S%C3", "", true)),
            Strings({dir + "/100% done", dir + "/part-0 a%2Fb=c.parquet", dir + "/w=1 %"}));
  ASSERT_OK_AND_ASSIGN(std::string data, fs().ReadFile(P(files[0])));
  EXPECT_EQ(data, "put");
  ASSERT_OK_AND_ASSIGN(FileInfo info, fs().GetFileInfo(P(dir + "/w=1 %")));
  EXPECT_EQ(info.size, 7);
  ASSERT_OK(fs().DeleteFile(P(files[1])));
  ASSERT_OK(fs().DeleteDirRecursive(P("date=2024-01-01")));
  EXPECT_EQ(ListRel(subject_->root(), Opt("", "", true)), Strings{});
}

TEST_P(FileSystemConformanceTest, PutIsAtomicForConcurrentReaders) {
  const std::string a(100000, 'a');
  const std::string b(30000, 'b');
  ASSERT_OK(fs().Put(P("atomic"), a));
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        Result<std::string> got = fs().ReadFile(P("atomic"));
        if (!got.has_value() || (*got != a && *got != b)) ++torn;
        ++reads;
      }
    });
  }
  for (int i = 0; i < 100; ++i) ASSERT_OK(fs().Put(P("atomic"), i % 2 ? a : b));
  done = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
}

// The Delta commit primitive: many writers race to create the same new file.
TEST_P(FileSystemConformanceTest, PutIfAbsentRace) {
  constexpr int kRounds = 1000;
  constexpr int kThreads = 8;
  std::vector<Status> results(kThreads);
  std::barrier sync_point(kThreads + 1);
  auto content = [](int round, int thread) {
    // Different lengths, so a mix of two writers could not pass for either.
    return fmt::format("round {} thread {} {}", round, thread, std::string(thread * 100, 'x'));
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        sync_point.arrive_and_wait();  // start together
        results[t] = fs().PutIfAbsent(P(fmt::format("race/{:020}.json", round)), content(round, t));
        sync_point.arrive_and_wait();  // results ready
      }
    });
  }
  int bad_rounds = 0;
  for (int round = 0; round < kRounds; ++round) {
    sync_point.arrive_and_wait();
    sync_point.arrive_and_wait();
    int winner = -1;
    int winners = 0;
    int others = 0;
    for (int t = 0; t < kThreads; ++t) {
      if (results[t].ok()) {
        winner = t;
        ++winners;
      } else if (!results[t].IsAlreadyExists()) {
        ++others;
        ADD_FAILURE() << "round " << round << " thread " << t << ": " << results[t];
      }
    }
    Result<std::string> data = fs().ReadFile(P(fmt::format("race/{:020}.json", round)));
    bool ok = winners == 1 && others == 0 && data.has_value() && *data == content(round, winner);
    if (!ok && ++bad_rounds <= 5) {
      ADD_FAILURE() << "round " << round << ": " << winners << " winners, " << others
                    << " other errors, content " << (data.has_value() ? *data : data.error().ToString());
    }
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad_rounds, 0);
  // Losers leave no temporary files behind.
  ASSERT_OK_AND_ASSIGN(auto listed, fs().List(P("race")));
  EXPECT_EQ(listed.size(), static_cast<size_t>(kRounds));
}

INSTANTIATE_TEST_SUITE_P(AllFileSystems, FileSystemConformanceTest,
                         ::testing::ValuesIn(Factories()),
                         [](const ::testing::TestParamInfo<Factory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace silt::fs
