#include "silt/delta/log/log_segment.h"

#include <algorithm>
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

constexpr char kRoot[] = "/t";
constexpr char kLog[] = "/t/_delta_log";

// A MemoryFileSystem that records the options of every List call.
class RecordingFileSystem final : public fs::FileSystem {
 public:
  std::string_view name() const override { return "recording"; }
  Result<std::string> ReadFile(const std::string& path) override { return base.ReadFile(path); }
  Result<std::string> ReadRange(const std::string& path, int64_t offset,
                                int64_t length) override {
    return base.ReadRange(path, offset, length);
  }
  Result<std::unique_ptr<fs::RandomAccessFile>> OpenRandomAccess(
      const std::string& path) override {
    return base.OpenRandomAccess(path);
  }
  Result<std::unique_ptr<fs::WritableFile>> OpenWritable(
      const std::string& path, const fs::WriteOptions& options) override {
    return base.OpenWritable(path, options);
  }
  Status PutIfAbsent(const std::string& path, std::string_view data) override {
    return base.PutIfAbsent(path, data);
  }
  Status Put(const std::string& path, std::string_view data) override {
    return base.Put(path, data);
  }
  Result<fs::FileInfo> GetFileInfo(const std::string& path) override {
    return base.GetFileInfo(path);
  }
  Result<std::vector<fs::FileInfo>> List(const std::string& dir,
                                         const fs::ListOptions& options) override {
    list_calls.push_back(options);
    return base.List(dir, options);
  }
  Status DeleteFile(const std::string& path) override { return base.DeleteFile(path); }
  Status DeleteDirRecursive(const std::string& path) override {
    return base.DeleteDirRecursive(path);
  }
  Status CreateDir(const std::string& path) override { return base.CreateDir(path); }

  fs::MemoryFileSystem base;
  std::vector<fs::ListOptions> list_calls;
};

class LogSegmentTest : public ::testing::Test {
 protected:
  void Touch(const std::string& name, std::string_view content = "{}") {
    ASSERT_OK(fs_.Put(std::string(kLog) + "/" + name, content));
  }
  void Commits(int64_t from, int64_t to) {
    for (int64_t v = from; v <= to; ++v) Touch(CommitFileName(v));
  }
  Result<LogSegment> Build(LogSegmentOptions options = {}) {
    return BuildLogSegment(fs_, kRoot, options);
  }
  static std::vector<int64_t> CommitVersions(const LogSegment& s) {
    std::vector<int64_t> out;
    for (const LogFile& f : s.commits) out.push_back(f.version);
    return out;
  }
  static std::vector<int64_t> Range(int64_t from, int64_t to) {
    std::vector<int64_t> out;
    for (int64_t v = from; v <= to; ++v) out.push_back(v);
    return out;
  }

  RecordingFileSystem fs_;
};

TEST_F(LogSegmentTest, MissingOrEmptyLogIsNotADeltaTable) {
  Result<LogSegment> missing = Build();
  ASSERT_STATUS_CODE(kNotFound, missing);
  EXPECT_THAT(missing.error().message(), HasSubstr("not a Delta table"));
  EXPECT_THAT(missing.error().message(), HasSubstr(kLog));

  // Only junk in the log.
  Touch(".00000000000000000000.json.crc");
  Touch("00000000000000000000.json.tmp");
  Touch("_last_checkpoint", "");
  Touch("00000000000000000000.crc");
  Result<LogSegment> junk = Build();
  ASSERT_STATUS_CODE(kNotFound, junk);
  EXPECT_THAT(junk.error().message(), HasSubstr("not a Delta table"));
}

TEST_F(LogSegmentTest, CommitsOnly) {
  Commits(0, 4);
  Touch(".00000000000000000003.json.crc");
  Touch(".00000000000000000005.json.8e4e1a1b.tmp");
  Touch("._00000000000000000004.json");
  Touch("00000000000000000002.crc");
  ASSERT_OK(fs_.CreateDir(std::string(kLog) + "/_commits"));
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.version, 4);
  EXPECT_FALSE(s.checkpoint_version.has_value());
  EXPECT_TRUE(s.checkpoint_files.empty());
  EXPECT_EQ(CommitVersions(s), Range(0, 4));
  EXPECT_EQ(s.commits[2].path, std::string(kLog) + "/00000000000000000002.json");
  EXPECT_EQ(s.log_dir, kLog);

  ASSERT_OK_AND_ASSIGN(LogSegment v2, Build({.version = 2}));
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(CommitVersions(v2), Range(0, 2));
}

TEST_F(LogSegmentTest, StartsFromTheNewestCheckpointAtOrBelowTheVersion) {
  Commits(0, 12);
  Touch(CheckpointFileName(5));
  Touch(CheckpointFileName(10));
  ASSERT_OK_AND_ASSIGN(LogSegment latest, Build());
  EXPECT_EQ(latest.version, 12);
  EXPECT_EQ(latest.checkpoint_version, std::optional<int64_t>(10));
  ASSERT_EQ(latest.checkpoint_files.size(), 1u);
  EXPECT_EQ(latest.checkpoint_files[0].type, LogFileType::kClassicCheckpoint);
  EXPECT_EQ(CommitVersions(latest), Range(11, 12));

  ASSERT_OK_AND_ASSIGN(LogSegment at10, Build({.version = 10}));
  EXPECT_EQ(at10.checkpoint_version, std::optional<int64_t>(10));
  EXPECT_TRUE(at10.commits.empty());

  ASSERT_OK_AND_ASSIGN(LogSegment at7, Build({.version = 7}));
  EXPECT_EQ(at7.checkpoint_version, std::optional<int64_t>(5));
  EXPECT_EQ(CommitVersions(at7), Range(6, 7));

  ASSERT_OK_AND_ASSIGN(LogSegment at3, Build({.version = 3}));
  EXPECT_FALSE(at3.checkpoint_version.has_value());
  EXPECT_EQ(CommitVersions(at3), Range(0, 3));

  ASSERT_OK_AND_ASSIGN(LogSegment no_cp, Build({.version = std::nullopt, .ignore_checkpoints = true}));
  EXPECT_FALSE(no_cp.checkpoint_version.has_value());
  EXPECT_EQ(CommitVersions(no_cp), Range(0, 12));
}

TEST_F(LogSegmentTest, MultiPartCheckpointCountsOnlyWhenComplete) {
  Commits(0, 12);
  Touch(CheckpointFileName(4));
  // Version 10: parts 1 and 3 of 3 only.
  Touch(MultiPartCheckpointFileName(10, 1, 3));
  Touch(MultiPartCheckpointFileName(10, 3, 3));
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(4));
  EXPECT_EQ(CommitVersions(s), Range(5, 12));

  Touch(MultiPartCheckpointFileName(10, 2, 3));
  ASSERT_OK_AND_ASSIGN(LogSegment complete, Build());
  EXPECT_EQ(complete.checkpoint_version, std::optional<int64_t>(10));
  ASSERT_EQ(complete.checkpoint_files.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(complete.checkpoint_files[i].type, LogFileType::kMultiPartCheckpoint);
    EXPECT_EQ(complete.checkpoint_files[i].part, i + 1);
  }
  EXPECT_EQ(CommitVersions(complete), Range(11, 12));
}

TEST_F(LogSegmentTest, MultiPartCheckpointsWithDifferentPartCounts) {
  Commits(0, 10);
  // An abandoned 4-part attempt next to a complete 2-part checkpoint of the same version.
  Touch(MultiPartCheckpointFileName(10, 1, 4));
  Touch(MultiPartCheckpointFileName(10, 1, 2));
  Touch(MultiPartCheckpointFileName(10, 2, 2));
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(10));
  ASSERT_EQ(s.checkpoint_files.size(), 2u);
  EXPECT_EQ(s.checkpoint_files[0].num_parts, 2);
}

TEST_F(LogSegmentTest, UuidNamedCheckpoint) {
  Commits(0, 3);
  Touch(UuidCheckpointFileName(2, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "json"));
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(2));
  ASSERT_EQ(s.checkpoint_files.size(), 1u);
  EXPECT_EQ(s.checkpoint_files[0].type, LogFileType::kUuidCheckpoint);
  EXPECT_TRUE(s.checkpoint_files[0].is_json);
  EXPECT_EQ(CommitVersions(s), Range(3, 3));
}

TEST_F(LogSegmentTest, CheckpointWithoutLaterCommitsOrEarlierCommits) {
  // Commits before the checkpoint were cleaned up, and so was the checkpoint's own commit.
  Touch(CheckpointFileName(10));
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.version, 10);
  EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(10));
  EXPECT_TRUE(s.commits.empty());
  EXPECT_EQ(s.last_commit_modification_time_ms, 0);
}

TEST_F(LogSegmentTest, GapsAreCorruptionNamingTheMissingVersion) {
  Commits(0, 1);
  Commits(3, 4);
  Result<LogSegment> r = Build();
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(), HasSubstr("missing the commit file of version 2"));
  EXPECT_THAT(r.error().message(), HasSubstr("00000000000000000002.json"));
  // A version below the gap is still readable.
  ASSERT_OK_AND_ASSIGN(LogSegment at1, Build({.version = 1}));
  EXPECT_EQ(CommitVersions(at1), Range(0, 1));
}

TEST_F(LogSegmentTest, GapAfterTheCheckpoint) {
  Commits(0, 11);
  Commits(13, 13);
  Touch(CheckpointFileName(10));
  Result<LogSegment> r = Build();
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(), HasSubstr("version 12"));
  EXPECT_THAT(r.error().message(), HasSubstr("after the checkpoint at version 10"));
}

TEST_F(LogSegmentTest, GapBeforeTheCheckpointDoesNotMatter) {
  Commits(0, 3);
  Commits(8, 12);
  Touch(CheckpointFileName(10));
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(CommitVersions(s), Range(11, 12));
  // ...unless the wanted version needs it.
  ASSERT_STATUS_CODE(kCorruption, Build({.version = 9}));
}

TEST_F(LogSegmentTest, MissingFirstCommitWithoutCheckpoint) {
  Commits(1, 3);
  Result<LogSegment> r = Build();
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(), HasSubstr("version 0"));
  EXPECT_THAT(r.error().message(), HasSubstr("no checkpoint"));
}

TEST_F(LogSegmentTest, VersionsOutOfRange) {
  Commits(0, 4);
  Result<LogSegment> beyond = Build({.version = 5});
  ASSERT_STATUS_CODE(kNotFound, beyond);
  EXPECT_THAT(beyond.error().message(), HasSubstr("version 5"));
  EXPECT_THAT(beyond.error().message(), HasSubstr("latest version"));
  EXPECT_THAT(beyond.error().message(), HasSubstr("is 4"));
  ASSERT_STATUS_CODE(kInvalidArgument, Build({.version = -1}));
}

TEST_F(LogSegmentTest, CleanedUpVersionsAreNotFound) {
  Commits(5, 12);
  Touch(CheckpointFileName(10));
  Result<LogSegment> r = Build({.version = 3});
  ASSERT_STATUS_CODE(kNotFound, r);
  EXPECT_THAT(r.error().message(), HasSubstr("can no longer be reconstructed"));
  ASSERT_OK_AND_ASSIGN(LogSegment latest, Build());
  EXPECT_EQ(latest.checkpoint_version, std::optional<int64_t>(10));
}

TEST_F(LogSegmentTest, LastCheckpointHintStartsTheListing) {
  Commits(0, 25);
  Touch(CheckpointFileName(10));
  Touch(CheckpointFileName(20));
  Touch("_last_checkpoint", R"({"version":20,"size":3})");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(20));
  EXPECT_EQ(CommitVersions(s), Range(21, 25));
  ASSERT_EQ(fs_.list_calls.size(), 1u);
  EXPECT_EQ(fs_.list_calls[0].start_after, std::string(kLog) + "/00000000000000000020");

  // A version below the hint lists from the start.
  fs_.list_calls.clear();
  ASSERT_OK_AND_ASSIGN(LogSegment at15, Build({.version = 15}));
  EXPECT_EQ(at15.checkpoint_version, std::optional<int64_t>(10));
  ASSERT_EQ(fs_.list_calls.size(), 1u);
  EXPECT_EQ(fs_.list_calls[0].start_after, "");
}

TEST_F(LogSegmentTest, BadHintsFallBackToListing) {
  Commits(0, 25);
  Touch(CheckpointFileName(10));
  Touch(CheckpointFileName(20));
  for (std::string_view hint : {
           std::string_view(""),                       // empty
           std::string_view("{\"version\":2"),         // truncated
           std::string_view("not json at all"),        // corrupt
           std::string_view(R"({"size":3})"),          // no version
           std::string_view(R"({"version":5,"size":3})"),   // stale: no checkpoint at 5
           std::string_view(R"({"version":10,"size":3})"),  // stale: older checkpoint
           std::string_view(R"({"version":30,"size":3})"),  // ahead of the log
       }) {
    Touch("_last_checkpoint", hint);
    ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
    EXPECT_EQ(s.version, 25) << hint;
    EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(20)) << hint;
    EXPECT_EQ(CommitVersions(s), Range(21, 25)) << hint;
  }
}

TEST_F(LogSegmentTest, HintNamingAnIncompleteCheckpoint) {
  Commits(0, 22);
  Touch(CheckpointFileName(10));
  Touch(MultiPartCheckpointFileName(20, 1, 2));  // part 2 never written
  Touch("_last_checkpoint", R"({"version":20,"size":3,"parts":2})");
  ASSERT_OK_AND_ASSIGN(LogSegment s, Build());
  EXPECT_EQ(s.checkpoint_version, std::optional<int64_t>(10));
  EXPECT_EQ(CommitVersions(s), Range(11, 22));
}

TEST_F(LogSegmentTest, RecordsSizesAndTimes) {
  fs::MemoryFileSystem clocked([] { return int64_t{1700000000123}; });
  ASSERT_OK(clocked.Put("/t/_delta_log/00000000000000000000.json", "0123456789"));
  ASSERT_OK_AND_ASSIGN(LogSegment s, BuildLogSegment(clocked, "/t"));
  ASSERT_EQ(s.commits.size(), 1u);
  EXPECT_EQ(s.commits[0].size, 10);
  EXPECT_EQ(s.commits[0].modification_time_ms, 1700000000123);
  EXPECT_EQ(s.last_commit_modification_time_ms, 1700000000123);
}

TEST(ListLogFilesTest, StartVersionFiltersAndSorts) {
  fs::MemoryFileSystem fs;
  for (std::string name : {CommitFileName(0), CommitFileName(1), CheckpointFileName(1),
                           CommitFileName(2), std::string("_last_checkpoint"),
                           CompactionFileName(0, 2), ChecksumFileName(2)}) {
    ASSERT_OK(fs.Put("/t/_delta_log/" + name, "x"));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<LogFile> all, ListLogFiles(fs, "/t/_delta_log"));
  ASSERT_EQ(all.size(), 6u);
  // Byte order: "…0.000…2.compacted.json" < "…0.json".
  EXPECT_EQ(all[0].type, LogFileType::kCompaction);
  EXPECT_EQ(all[1].type, LogFileType::kCommit);
  ASSERT_OK_AND_ASSIGN(std::vector<LogFile> from1, ListLogFiles(fs, "/t/_delta_log", 1));
  ASSERT_EQ(from1.size(), 4u);
  EXPECT_EQ(from1[0].version, 1);
  EXPECT_EQ(from1[0].type, LogFileType::kClassicCheckpoint);  // "…1.checkpoint" < "…1.json"
  EXPECT_EQ(from1[1].type, LogFileType::kCommit);
  ASSERT_OK_AND_ASSIGN(std::vector<LogFile> none, ListLogFiles(fs, "/nope/_delta_log"));
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace silt::delta

namespace silt::delta {
namespace {

// Random logs against a direct model of the rules: the newest complete checkpoint at or below
// the version, then every commit after it, contiguous.
TEST(LogSegmentModelTest, RandomLogsAgreeWithTheModel) {
  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    const int64_t max_version = 1 + static_cast<int64_t>(rng() % 30);
    std::set<int64_t> commits;
    std::set<int64_t> complete;
    std::vector<std::string> names;
    for (int64_t v = 0; v <= max_version; ++v) {
      if (rng() % 100 < 85) {
        commits.insert(v);
        names.push_back(CommitFileName(v));
      }
      switch (rng() % 12) {
        case 0:
          complete.insert(v);
          names.push_back(CheckpointFileName(v));
          break;
        case 1:  // complete multi-part
          complete.insert(v);
          names.push_back(MultiPartCheckpointFileName(v, 1, 2));
          names.push_back(MultiPartCheckpointFileName(v, 2, 2));
          break;
        case 2:  // incomplete multi-part
          names.push_back(MultiPartCheckpointFileName(v, 2, 3));
          break;
        default:
          break;
      }
    }
    std::sort(names.begin(), names.end());
    std::vector<LogFile> files;
    for (const std::string& name : names) {
      LogFile f = ParseLogFileName(name).value();
      f.path = "/t/_delta_log/" + name;
      files.push_back(f);
    }
    std::optional<int64_t> wanted;
    if (rng() % 2 == 0) wanted = static_cast<int64_t>(rng() % (max_version + 3));
    SCOPED_TRACE(fmt::format("iteration {}, wanted {}", iteration, wanted.value_or(-1)));

    Result<LogSegment> segment =
        BuildLogSegmentFromFiles("/t/_delta_log", files, {.version = wanted});

    // The model.
    std::optional<int64_t> latest;
    if (!commits.empty()) latest = *commits.rbegin();
    if (!complete.empty()) latest = std::max(latest.value_or(0), *complete.rbegin());
    if (!latest.has_value()) {
      ASSERT_STATUS_CODE(kNotFound, segment);
      continue;
    }
    int64_t target = wanted.value_or(*latest);
    if (target > *latest) {
      ASSERT_STATUS_CODE(kNotFound, segment);
      continue;
    }
    std::optional<int64_t> checkpoint;
    for (int64_t k : complete) {
      if (k <= target) checkpoint = k;
    }
    bool contiguous = true;
    for (int64_t v = checkpoint.has_value() ? *checkpoint + 1 : 0; v <= target; ++v) {
      contiguous = contiguous && commits.contains(v);
    }
    if (!contiguous) {
      ASSERT_FALSE(segment.ok());
      EXPECT_TRUE(segment.error().IsCorruption() || segment.error().IsNotFound())
          << segment.error();
      continue;
    }
    ASSERT_OK(segment);
    EXPECT_EQ(segment->version, target);
    EXPECT_EQ(segment->checkpoint_version, checkpoint);
    int64_t expected = checkpoint.has_value() ? *checkpoint + 1 : 0;
    ASSERT_EQ(static_cast<int64_t>(segment->commits.size()), target - expected + 1);
    for (const LogFile& c : segment->commits) EXPECT_EQ(c.version, expected++);
  }
}

}  // namespace
}  // namespace silt::delta
