#include "silt/delta/log/commit_range.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/delta/actions/action_json.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

class CommitRangeTest : public ::testing::Test {
 protected:
  CommitRangeTest() : fs_([this] { return now_ms_; }) {}

  // Commits versions 0..n-1, each adding one file "v<version>.parquet", at times 1000, 2000...
  void WriteCommits(int n) {
    for (int v = 0; v < n; ++v) {
      std::vector<Action> actions;
      if (v == 0) {
        actions.emplace_back(Protocol{});
        Metadata m;
        m.id = "table-id";
        m.schema_string = R"({"type":"struct","fields":[]})";
        actions.emplace_back(m);
      }
      Add add;
      add.path = "v" + std::to_string(v) + ".parquet";
      add.size = 10 + v;
      actions.emplace_back(add);
      now_ms_ = 1000 * (v + 1);
      ASSERT_OK(fs_.PutIfAbsent(root_ + "/_delta_log/" + CommitFileName(v),
                                ToCommitFile(actions)));
    }
  }

  std::vector<int64_t> Versions(CommitRange& range, std::vector<int64_t>* timestamps = nullptr) {
    std::vector<int64_t> out;
    while (true) {
      auto next = range.Next();
      EXPECT_TRUE(next.ok()) << next.error();
      if (!next.ok() || !next->has_value()) break;
      out.push_back((*next)->version);
      if (timestamps != nullptr) timestamps->push_back((*next)->timestamp_ms);
      // Each commit holds its own add.
      bool found = false;
      for (const Action& a : (*next)->actions) {
        if (const auto* add = std::get_if<Add>(&a)) {
          found = add->path == "v" + std::to_string((*next)->version) + ".parquet";
        }
      }
      EXPECT_TRUE(found) << "version " << (*next)->version;
    }
    return out;
  }

  int64_t now_ms_ = 0;
  fs::MemoryFileSystem fs_;
  std::string root_ = "/t";
};

TEST_F(CommitRangeTest, ReadsCommitsInOrderWithTimestamps) {
  WriteCommits(5);
  ASSERT_OK_AND_ASSIGN(auto range, CommitRange::Open(fs_, root_, 1));
  EXPECT_EQ(range->first_version(), 1);
  EXPECT_EQ(range->last_version(), 4);
  std::vector<int64_t> ts;
  EXPECT_EQ(Versions(*range, &ts), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(ts, (std::vector<int64_t>{2000, 3000, 4000, 5000}));
}

TEST_F(CommitRangeTest, EndVersionBoundsTheRange) {
  WriteCommits(5);
  CommitRangeOptions options;
  options.end_version = 2;
  ASSERT_OK_AND_ASSIGN(auto range, CommitRange::Open(fs_, root_, 0, options));
  EXPECT_EQ(Versions(*range), (std::vector<int64_t>{0, 1, 2}));
  options.end_version = 99;
  ASSERT_OK_AND_ASSIGN(range, CommitRange::Open(fs_, root_, 3, options));
  EXPECT_EQ(Versions(*range), (std::vector<int64_t>{3, 4}));
}

TEST_F(CommitRangeTest, StartAfterLatestIsEmpty) {
  WriteCommits(3);
  ASSERT_OK_AND_ASSIGN(auto range, CommitRange::Open(fs_, root_, 3));
  EXPECT_LT(range->last_version(), range->first_version());
  EXPECT_TRUE(Versions(*range).empty());
}

TEST_F(CommitRangeTest, CleanedUpStartIsNotFoundNamingTheVersions) {
  WriteCommits(6);
  ASSERT_OK(fs_.DeleteFile(root_ + "/_delta_log/" + CommitFileName(0)));
  ASSERT_OK(fs_.DeleteFile(root_ + "/_delta_log/" + CommitFileName(1)));
  ASSERT_OK(fs_.DeleteFile(root_ + "/_delta_log/" + CommitFileName(2)));
  auto range = CommitRange::Open(fs_, root_, 1);
  ASSERT_STATUS_CODE(kNotFound, range);
  EXPECT_NE(range.error().message().find("versions 1..2"), std::string::npos)
      << range.error();
  EXPECT_NE(range.error().message().find("earliest commit still there is version 3"),
            std::string::npos)
      << range.error();

  CommitRangeOptions options;
  options.allow_missing_start = true;
  ASSERT_OK_AND_ASSIGN(auto skipping, CommitRange::Open(fs_, root_, 1, options));
  ASSERT_TRUE(skipping->missing_versions().has_value());
  EXPECT_EQ(*skipping->missing_versions(), std::make_pair(int64_t{1}, int64_t{3}));
  EXPECT_EQ(Versions(*skipping), (std::vector<int64_t>{3, 4, 5}));
}

TEST_F(CommitRangeTest, GapInTheMiddleIsCorruption) {
  WriteCommits(5);
  ASSERT_OK(fs_.DeleteFile(root_ + "/_delta_log/" + CommitFileName(2)));
  ASSERT_OK_AND_ASSIGN(auto range, CommitRange::Open(fs_, root_, 0));
  ASSERT_OK(range->Next());
  ASSERT_OK(range->Next());
  auto gap = range->Next();
  ASSERT_STATUS_CODE(kCorruption, gap);
  EXPECT_NE(gap.error().message().find("version 2"), std::string::npos) << gap.error();
}

TEST_F(CommitRangeTest, InCommitTimestampWinsAndFileTimesIncrease) {
  CommitInfo info;
  info.in_commit_timestamp = 777;
  now_ms_ = 5000;
  Add a0;
  a0.path = "v0.parquet";
  std::vector<Action> v0{info, a0};
  ASSERT_OK(fs_.PutIfAbsent(root_ + "/_delta_log/" + CommitFileName(0), ToCommitFile(v0)));
  now_ms_ = 100;  // a clock going backwards
  Add a1;
  a1.path = "v1.parquet";
  std::vector<Action> v1{a1};
  ASSERT_OK(fs_.PutIfAbsent(root_ + "/_delta_log/" + CommitFileName(1), ToCommitFile(v1)));
  ASSERT_OK_AND_ASSIGN(auto range, CommitRange::Open(fs_, root_, 0));
  std::vector<int64_t> ts;
  Versions(*range, &ts);
  EXPECT_EQ(ts, (std::vector<int64_t>{777, 778}));
}

TEST_F(CommitRangeTest, BadArgumentsAreInvalidArgument) {
  WriteCommits(2);
  EXPECT_STATUS_CODE(kInvalidArgument, CommitRange::Open(fs_, root_, -1));
  CommitRangeOptions options;
  options.end_version = 0;
  EXPECT_STATUS_CODE(kInvalidArgument, CommitRange::Open(fs_, root_, 1, options));
}

}  // namespace
}  // namespace silt::delta
