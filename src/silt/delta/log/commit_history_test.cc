#include "silt/delta/log/commit_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/delta/actions/action_json.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

[[gnu::noinline]] CommitInfo Ict(int64_t ts) {
  CommitInfo info;
  info.in_commit_timestamp = ts;
  info.operation = std::string("WRITE");
  return info;
}

class CommitHistoryTest : public ::testing::Test {
 protected:
  void Commit(int64_t version, int64_t mtime, const std::vector<Action>& actions) {
    now_ = mtime;
    ASSERT_OK(fs_.Put("/t/_delta_log/" + CommitFileName(version), ToCommitFile(actions)));
  }
  int64_t now_ = 0;
  fs::MemoryFileSystem fs_{[this] { return now_; }};
};

TEST_F(CommitHistoryTest, ReadsOneCommit) {
  Add add;
  add.path = "a";
  Commit(0, 100, {Protocol{1, 2, {}, {}}, add});
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(fs_, "/t", 0));
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(std::get<Add>(actions[1]).path, "a");
  Result<std::vector<Action>> missing = ReadCommit(fs_, "/t", 1);
  ASSERT_STATUS_CODE(kNotFound, missing);
  EXPECT_THAT(missing.error().message(), HasSubstr("version 1"));
  ASSERT_STATUS_CODE(kInvalidArgument, ReadCommit(fs_, "/t", -1));
}

TEST_F(CommitHistoryTest, ModificationTimesAreForcedMonotonic) {
  Commit(0, 1000, {});
  Commit(1, 1000, {});  // same mtime
  Commit(2, 900, {});   // clock went backwards
  Commit(3, 5000, {});
  ASSERT_OK_AND_ASSIGN(std::vector<CommitTimestamp> ts,
                       ListCommitTimestamps(fs_, "/t", std::nullopt));
  ASSERT_EQ(ts.size(), 4u);
  EXPECT_EQ(ts[0].timestamp_ms, 1000);
  EXPECT_EQ(ts[1].timestamp_ms, 1001);
  EXPECT_EQ(ts[2].timestamp_ms, 1002);
  EXPECT_EQ(ts[3].timestamp_ms, 5000);
  EXPECT_FALSE(ts[3].in_commit);

  ASSERT_OK_AND_ASSIGN(int64_t exact, VersionAtTimestamp(ts, 1001));
  EXPECT_EQ(exact, 1);
  ASSERT_OK_AND_ASSIGN(int64_t between, VersionAtTimestamp(ts, 4999));
  EXPECT_EQ(between, 2);
  ASSERT_OK_AND_ASSIGN(int64_t after, VersionAtTimestamp(ts, 1LL << 50));
  EXPECT_EQ(after, 3);
  Result<int64_t> before = VersionAtTimestamp(ts, 999);
  ASSERT_STATUS_CODE(kNotFound, before);
  EXPECT_THAT(before.error().message(), HasSubstr("earliest available commit is version 0"));
}

TEST_F(CommitHistoryTest, InCommitTimestampsFromTheEnablementVersion) {
  Commit(0, 1000, {});
  Commit(1, 2000, {});
  Commit(2, 100, {Ict(3000)});  // file time is meaningless once ICT is on
  Commit(3, 100, {Ict(3500)});
  ASSERT_OK_AND_ASSIGN(std::vector<CommitTimestamp> ts, ListCommitTimestamps(fs_, "/t", 2));
  EXPECT_EQ(ts[1].timestamp_ms, 2000);
  EXPECT_EQ(ts[2].timestamp_ms, 3000);
  EXPECT_TRUE(ts[2].in_commit);
  EXPECT_EQ(ts[3].timestamp_ms, 3500);
  ASSERT_OK_AND_ASSIGN(int64_t v, VersionAtTimestamp(ts, 3200));
  EXPECT_EQ(v, 2);
  // ICT claimed from version 1, but commit 1 has none.
  Result<std::vector<CommitTimestamp>> bad = ListCommitTimestamps(fs_, "/t", 1);
  ASSERT_STATUS_CODE(kCorruption, bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("00000000000000000001.json"));
}

TEST_F(CommitHistoryTest, ARangeListsAndReadsOnlyItsCommits) {
  Commit(0, 1000, {});
  Commit(1, 1000, {});  // ICT claimed from here below, but commit 1 has none
  Commit(2, 100, {Ict(3000)});
  Commit(3, 100, {Ict(3500)});
  Commit(4, 100, {});  // no ICT either: must not be read for a range ending at 3
  ASSERT_OK_AND_ASSIGN(std::vector<CommitTimestamp> ts, ListCommitTimestamps(fs_, "/t", 1, 2, 3));
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].version, 2);
  EXPECT_EQ(ts[0].timestamp_ms, 3000);
  EXPECT_EQ(ts[1].version, 3);
  EXPECT_EQ(ts[1].timestamp_ms, 3500);
  ASSERT_STATUS_CODE(kCorruption, ListCommitTimestamps(fs_, "/t", 1, 1, 2));

  // Without ICT the monotonic rule starts at the range's first commit.
  ASSERT_OK_AND_ASSIGN(ts, ListCommitTimestamps(fs_, "/t", std::nullopt, 1, 2));
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts[0].timestamp_ms, 1000);
  EXPECT_EQ(ts[1].timestamp_ms, 1001);
  ASSERT_OK_AND_ASSIGN(ts, ListCommitTimestamps(fs_, "/t", std::nullopt, 7, 9));
  EXPECT_TRUE(ts.empty());
}

TEST_F(CommitHistoryTest, EnablementVersionFromMetadata) {
  Metadata m;
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> off, InCommitTimestampStartVersion(m));
  EXPECT_FALSE(off.has_value());
  m.configuration[std::string(property::kEnableInCommitTimestamps)] = "true";
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> from_start, InCommitTimestampStartVersion(m));
  EXPECT_EQ(from_start, std::optional<int64_t>(0));
  m.configuration[std::string(property::kInCommitTimestampEnablementVersion)] = "7";
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> from7, InCommitTimestampStartVersion(m));
  EXPECT_EQ(from7, std::optional<int64_t>(7));
  m.configuration[std::string(property::kInCommitTimestampEnablementVersion)] = "7x";
  ASSERT_STATUS_CODE(kCorruption, InCommitTimestampStartVersion(m));
}

TEST_F(CommitHistoryTest, EmptyLog) {
  ASSERT_STATUS_CODE(kNotFound, ListCommitTimestamps(fs_, "/t", std::nullopt));
  ASSERT_STATUS_CODE(kNotFound, VersionAtTimestamp({}, 5));
}

}  // namespace
}  // namespace silt::delta
