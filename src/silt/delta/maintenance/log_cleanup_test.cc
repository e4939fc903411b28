#include "silt/delta/maintenance/log_cleanup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "delta/maintenance_test_table.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/maintenance/checkpoint_writer.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using namespace maintenance_testing;  // NOLINT

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Commits 0..n-1, one a day from kStartMs (file times pinned to the commit's day), each adding
// one file; a checkpoint after every `checkpoint_every` versions (written the same day).
void BuildDailyTable(TestTable& t, int n, int checkpoint_every, StringMap config = {},
                     CheckpointPolicy policy = CheckpointPolicy::kTable) {
  for (int v = 0; v < n; ++v) {
    t.SetNow(kStartMs + v * kDayMs);
    std::vector<Action> actions = {MakeCommitInfo(t.now())};
    if (v == 0) {
      actions.push_back(MakeProtocol());
      actions.push_back(MakeMetadata(config));
    }
    actions.push_back(MakeAdd("f" + std::to_string(v) + ".parquet", v % 3, v, v));
    ASSERT_OK(t.Commit(v, actions));
    ASSERT_OK(t.fs().Put(fs::JoinPath(t.log_dir(), ChecksumFileName(v)), "{}"));
    if (checkpoint_every > 0 && v > 0 && v % checkpoint_every == 0) {
      ASSERT_OK_AND_ASSIGN(auto s, t.Load());
      CheckpointWriteOptions options;
      options.now_ms = t.now();
      options.policy = policy;
      ASSERT_OK(WriteCheckpoint(t.fs(), *s, options).status());
    }
  }
}

TEST(LogCleanupTest, DeletesOnlyWhatTheNewestExpiredCheckpointMakesUnneeded) {
  TestTable t;
  // Versions 0..49 on days 0..49, checkpoints at 10, 20, 30, 40.
  BuildDailyTable(t, 50, 10);
  ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
  // Day 55 with 30 days retention: cutoff = day 25; commits 0..24 are expired and the newest
  // checkpoint at or before version 24 is 20.
  const int64_t now = kStartMs + 55 * kDayMs;
  ASSERT_OK_AND_ASSIGN(LogCleanupResult r, CleanUpExpiredLogs(t.fs(), *latest, now));
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.cutoff_ms, now - 30 * kDayMs);
  ASSERT_EQ(r.base_checkpoint_version, std::optional<int64_t>(20));
  std::vector<std::string> names = t.LogFileNames();
  for (int v = 0; v < 50; ++v) {
    const bool kept = v >= 20;
    EXPECT_EQ(Contains(names, CommitFileName(v)), kept) << v;
    EXPECT_EQ(Contains(names, ChecksumFileName(v)), kept) << v;
  }
  EXPECT_FALSE(Contains(names, CheckpointFileName(10)));
  EXPECT_TRUE(Contains(names, CheckpointFileName(20)));
  EXPECT_TRUE(Contains(names, CheckpointFileName(30)));
  EXPECT_TRUE(Contains(names, "_last_checkpoint"));
  EXPECT_EQ(r.deleted.size(), 20u * 2 + 1);

  // Every remaining version still loads, and the same as before.
  for (int64_t v = 20; v < 50; ++v) {
    ASSERT_OK_AND_ASSIGN(auto s, t.Load(v));
    EXPECT_EQ(s->files().size(), static_cast<size_t>(v + 1));
  }
  ASSERT_STATUS_CODE(kNotFound, t.Load(19));

  // Running again deletes nothing more.
  ASSERT_OK_AND_ASSIGN(LogCleanupResult again, CleanUpExpiredLogs(t.fs(), *latest, now));
  EXPECT_TRUE(again.deleted.empty());
}

TEST(LogCleanupTest, NothingWithoutAnExpiredCheckpoint) {
  TestTable t;
  BuildDailyTable(t, 40, 30);  // one checkpoint, at 30
  ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
  // Cutoff = day 25: commits 0..24 expired, but the only checkpoint (30) is newer.
  ASSERT_OK_AND_ASSIGN(LogCleanupResult r,
                       CleanUpExpiredLogs(t.fs(), *latest, kStartMs + 55 * kDayMs));
  EXPECT_EQ(r.base_checkpoint_version, std::nullopt);
  EXPECT_TRUE(r.deleted.empty());
  ASSERT_OK_AND_ASSIGN(auto v0, t.Load(0));
  EXPECT_EQ(v0->files().size(), 1u);
}

TEST(LogCleanupTest, RetentionPropertiesAreHonoured) {
  {
    TestTable t;
    BuildDailyTable(t, 30, 10, {{"delta.enableExpiredLogCleanup", "false"}});
    ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
    ASSERT_OK_AND_ASSIGN(LogCleanupResult r,
                         CleanUpExpiredLogs(t.fs(), *latest, kStartMs + 400 * kDayMs));
    EXPECT_FALSE(r.enabled);
    EXPECT_TRUE(r.deleted.empty());
  }
  {
    TestTable t;
    BuildDailyTable(t, 30, 10, {{"delta.logRetentionDuration", "interval 2 days"}});
    ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
    // Day 30 - 2 days = day 28: commits up to 27 expired, checkpoint 20 is the newest at or
    // before it.
    ASSERT_OK_AND_ASSIGN(LogCleanupResult r,
                         CleanUpExpiredLogs(t.fs(), *latest, kStartMs + 30 * kDayMs));
    EXPECT_EQ(r.base_checkpoint_version, std::optional<int64_t>(20));
    EXPECT_FALSE(Contains(t.LogFileNames(), CommitFileName(19)));
    EXPECT_TRUE(Contains(t.LogFileNames(), CommitFileName(20)));
  }
  {
    TestTable t;
    BuildDailyTable(t, 5, 1, {{"delta.logRetentionDuration", "interval 1 month"}});
    ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
    ASSERT_STATUS_CODE(kCorruption, CleanUpExpiredLogs(t.fs(), *latest, kStartMs));
  }
}

TEST(LogCleanupTest, InCommitTimestampsDecideTheAge) {
  TestTable t;
  // File times all "now" (a copied table), in-commit timestamps one a day.
  t.SetNow(kStartMs + 100 * kDayMs);
  for (int v = 0; v < 30; ++v) {
    const int64_t ict = kStartMs + v * kDayMs;
    std::vector<Action> actions = {MakeCommitInfo(ict, ict)};
    if (v == 0) {
      actions.push_back(
          MakeProtocol(1, 7, std::nullopt, std::vector<std::string>{"inCommitTimestamp"}));
      actions.push_back(MakeMetadata({{"delta.enableInCommitTimestamps", "true"}}));
    }
    actions.push_back(MakeAdd("f" + std::to_string(v) + ".parquet", 0, v, v));
    ASSERT_OK(t.Commit(v, actions));
    if (v == 10 || v == 20) {
      ASSERT_OK_AND_ASSIGN(auto s, t.Load());
      ASSERT_OK(WriteCheckpoint(t.fs(), *s).status());
    }
  }
  ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
  // Day 45 - 30 = day 15: ICT commits 0..14 are expired; file times alone would expire none.
  ASSERT_OK_AND_ASSIGN(LogCleanupResult r,
                       CleanUpExpiredLogs(t.fs(), *latest, kStartMs + 45 * kDayMs));
  EXPECT_EQ(r.base_checkpoint_version, std::optional<int64_t>(10));
  EXPECT_FALSE(Contains(t.LogFileNames(), CommitFileName(9)));
  EXPECT_TRUE(Contains(t.LogFileNames(), CommitFileName(10)));
}

TEST(LogCleanupTest, UnreferencedSidecarsGo) {
  TestTable t;
  for (int v = 0; v < 30; ++v) {
    t.SetNow(kStartMs + v * kDayMs);
    std::vector<Action> actions = {MakeCommitInfo(t.now())};
    if (v == 0) {
      actions.push_back(MakeProtocol(3, 7, std::vector<std::string>{"v2Checkpoint"},
                                     std::vector<std::string>{"v2Checkpoint"}));
      actions.push_back(MakeMetadata({{"delta.checkpointPolicy", "v2"}}));
    }
    actions.push_back(MakeAdd("f" + std::to_string(v) + ".parquet", 0, v, v));
    ASSERT_OK(t.Commit(v, actions));
    if (v == 10 || v == 20) {
      ASSERT_OK_AND_ASSIGN(auto s, t.Load());
      CheckpointWriteOptions options;
      options.now_ms = t.now();
      ASSERT_OK(WriteCheckpoint(t.fs(), *s, options).status());
    }
  }
  // An orphan sidecar from a checkpoint that never completed, written on day 5.
  t.SetNow(kStartMs + 5 * kDayMs);
  const std::string orphan = fs::JoinPath(t.log_dir(), "_sidecars/orphan.parquet");
  ASSERT_OK(t.fs().Put(orphan, "x"));
  auto sidecars = [&] {
    std::vector<std::string> out;
    auto listed = t.fs().List(fs::JoinPath(t.log_dir(), "_sidecars"));
    for (const auto& f : *listed) out.push_back(f.path);
    return out;
  };
  ASSERT_EQ(sidecars().size(), 3u);
  ASSERT_OK_AND_ASSIGN(auto latest, t.Load());
  ASSERT_OK_AND_ASSIGN(LogCleanupResult r,
                       CleanUpExpiredLogs(t.fs(), *latest, kStartMs + 55 * kDayMs));
  EXPECT_EQ(r.base_checkpoint_version, std::optional<int64_t>(20));
  // The sidecar of checkpoint 10 and the orphan went; checkpoint 20's stays.
  std::vector<std::string> left = sidecars();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(Contains(r.deleted, orphan));
  ASSERT_OK_AND_ASSIGN(auto v20, t.Load(20));
  EXPECT_EQ(v20->files().size(), 21u);
  ASSERT_OK_AND_ASSIGN(auto v29, t.Load());
  EXPECT_EQ(v29->files().size(), 30u);
}

}  // namespace
}  // namespace silt::delta
