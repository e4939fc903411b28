// Crash consistency of checkpoint writing: WriteCheckpoint is failed at every FileSystem call
// (each call of each kind, in turn), the "machine" then crashes (FaultInjectionFileSystem drops
// what was not durable), and the table must still load to the same snapshot; a later checkpoint
// and log cleanup must still work. Also: hints and checkpoint files that are missing or wrong.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "delta/maintenance_test_table.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/maintenance/checkpoint_writer.h"
#include "silt/delta/maintenance/log_cleanup.h"
#include "silt/fs/fault_injection_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using namespace maintenance_testing;  // NOLINT

// Versions 0..3 with files added and removed (tombstones recent enough to stay), a txn and a
// domain; V2 checkpoints when `v2`.
void BuildTable(TestTable& t, bool v2) {
  Protocol protocol = v2 ? MakeProtocol(3, 7, std::vector<std::string>{"v2Checkpoint"},
                                        std::vector<std::string>{"v2Checkpoint", "domainMetadata"})
                         : MakeProtocol();
  StringMap config;
  if (v2) config["delta.checkpointPolicy"] = "v2";
  ASSERT_OK(t.Commit(0, {MakeCommitInfo(kStartMs), protocol, MakeMetadata(config)}));
  Add a = MakeAdd("a.parquet", 1, 0, 9);
  Add b = MakeAdd("b.parquet", 2, 10, 19);
  ASSERT_OK(t.Commit(1, {MakeCommitInfo(kStartMs), a, b, SetTransaction{"app", 1, kStartMs}}));
  ASSERT_OK(t.Commit(2, {MakeCommitInfo(kStartMs), MakeRemove(a, kStartMs),
                         MakeAdd("c.parquet", 1, 20, 29), DomainMetadata{"user.d", "{}", false}}));
  ASSERT_OK(t.Commit(3, {MakeCommitInfo(kStartMs), MakeAdd("d.parquet", 3, 30, 39)}));
}

struct Summary {
  int64_t version;
  Protocol protocol;
  Metadata metadata;
  std::set<std::string> files;
  std::set<std::string> tombstones;
  std::map<std::string, SetTransaction> txns;
  std::map<std::string, DomainMetadata> domains;
  bool operator==(const Summary&) const = default;
};

Summary Summarize(const Snapshot& s) {
  Summary out{s.version(), s.protocol(),         s.metadata(),       {},
              {},          s.app_transactions(), s.domain_metadata()};
  for (const Add& a : s.files().ToVector()) out.files.insert(a.path + "|" + a.stats.value_or(""));
  for (const Remove& r : s.tombstones()) out.tombstones.insert(r.path);
  return out;
}

CheckpointWriteOptions Options() {
  CheckpointWriteOptions options;
  options.now_ms = kStartMs + kDayMs;
  options.max_actions_per_sidecar = 2;  // several sidecars, more calls to fail
  return options;
}

class CheckpointCrashTest : public ::testing::TestWithParam<bool> {};

TEST_P(CheckpointCrashTest, FailAndCrashAtEveryCall) {
  const bool v2 = GetParam();
  // Count the calls of a clean run.
  std::array<int64_t, fs::kNumFsOps> counts{};
  Summary expected;
  {
    TestTable t;
    BuildTable(t, v2);
    ASSERT_OK_AND_ASSIGN(auto s, t.LoadFromCommits());
    expected = Summarize(*s);
    fs::FaultInjectionFileSystem probe(t.fs());
    ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(probe, *s, Options()));
    ASSERT_EQ(r.v2, v2);
    for (size_t op = 0; op < fs::kNumFsOps; ++op) counts[op] = probe.call_count(fs::FsOp(op));
  }
  const bool thorough = std::getenv("SILT_STRESS_SCALE") != nullptr;
  int64_t scenarios = 0;
  for (size_t op = 0; op < fs::kNumFsOps; ++op) {
    for (int64_t n = 1; n <= counts[op]; ++n) {
      SCOPED_TRACE(std::string(fs::FsOpName(fs::FsOp(op))) + " #" + std::to_string(n));
      ++scenarios;
      TestTable t;
      BuildTable(t, v2);
      ASSERT_OK_AND_ASSIGN(auto s, t.LoadFromCommits());
      fs::FaultInjectionFileSystem faulty(t.fs());
      faulty.FailNthCall(fs::FsOp(op), n);
      Result<CheckpointWriteResult> r = WriteCheckpoint(faulty, *s, Options());
      EXPECT_EQ(faulty.injected_failures(), 1);
      if (r.ok()) {
        // Only a failed hint read may be survived (the hint is then just written).
        EXPECT_EQ(fs::FsOp(op), fs::FsOp::kReadFile);
      }
      ASSERT_OK(faulty.SimulateCrash());
      faulty.ClearFaults();

      // The restarted process loads the same table...
      ASSERT_OK_AND_ASSIGN(auto loaded, t.Load(faulty));
      EXPECT_TRUE(Summarize(*loaded) == expected);
      // ...and can checkpoint and clean up again (checked after the calls that end a file, or
      // after every call with SILT_STRESS_SCALE set, to keep the default run short).
      if (!thorough && fs::FsOp(op) != fs::FsOp::kClose && fs::FsOp(op) != fs::FsOp::kPut &&
          fs::FsOp(op) != fs::FsOp::kGetFileInfo) {
        continue;
      }
      ASSERT_OK_AND_ASSIGN(CheckpointWriteResult again, WriteCheckpoint(faulty, *s, Options()));
      ASSERT_OK_AND_ASSIGN(auto after, t.Load(faulty));
      EXPECT_EQ(after->log_segment().checkpoint_version, std::optional<int64_t>(3));
      EXPECT_TRUE(Summarize(*after) == expected);
      ASSERT_OK(CleanUpExpiredLogs(faulty, *after, kStartMs + 100 * kDayMs).status());
      ASSERT_OK_AND_ASSIGN(auto cleaned, t.Load(faulty));
      EXPECT_TRUE(Summarize(*cleaned) == expected);
    }
  }
  EXPECT_GT(scenarios, 5);
}

INSTANTIATE_TEST_SUITE_P(ClassicAndV2, CheckpointCrashTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "V2" : "Classic"; });

TEST(CheckpointRecoveryTest, HintNamingAMissingCheckpointIsIgnored) {
  TestTable t;
  BuildTable(t, false);
  ASSERT_OK_AND_ASSIGN(auto expected, t.LoadFromCommits());
  ASSERT_OK(t.fs().Put(fs::JoinPath(t.log_dir(), "_last_checkpoint"),
                       R"({"version":3,"size":7,"sizeInBytes":1000})"));
  ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
  EXPECT_TRUE(Summarize(*loaded) == Summarize(*expected));
  // A hint beyond the table's versions too.
  ASSERT_OK(
      t.fs().Put(fs::JoinPath(t.log_dir(), "_last_checkpoint"), R"({"version":99,"size":1})"));
  ASSERT_OK_AND_ASSIGN(loaded, t.Load());
  EXPECT_TRUE(Summarize(*loaded) == Summarize(*expected));
}

TEST(CheckpointRecoveryTest, ClassicCheckpointIsPublishedWhole) {
  // A checkpoint file only ever appears complete: abandoned writes leave nothing behind.
  TestTable t;
  BuildTable(t, false);
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  fs::FaultInjectionFileSystem faulty(t.fs());
  faulty.FailNthCall(fs::FsOp::kClose, 1);
  ASSERT_FALSE(WriteCheckpoint(faulty, *s).ok());
  ASSERT_OK(faulty.SimulateCrash());
  ASSERT_OK_AND_ASSIGN(bool exists,
                       t.fs().Exists(fs::JoinPath(t.log_dir(), CheckpointFileName(3))));
  EXPECT_FALSE(exists);
  ASSERT_OK_AND_ASSIGN(bool hint, t.fs().Exists(fs::JoinPath(t.log_dir(), "_last_checkpoint")));
  EXPECT_FALSE(hint);
}

}  // namespace
}  // namespace silt::delta

namespace silt::delta {
namespace {

TEST(CheckpointRecoveryTest, TruncatedCheckpointFromAnotherWriter) {
  // A store without atomic publication may expose a partial checkpoint file. The table still
  // loads from its commits.
  TestTable t;
  BuildTable(t, false);
  ASSERT_OK_AND_ASSIGN(auto expected, t.LoadFromCommits());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *expected));
  ASSERT_OK_AND_ASSIGN(std::string bytes, t.fs().ReadFile(r.checkpoint_path));
  ASSERT_OK(t.fs().Put(r.checkpoint_path, bytes.substr(0, bytes.size() / 2)));
  ASSERT_OK_AND_ASSIGN(auto loaded, t.Load());
  EXPECT_TRUE(Summarize(*loaded) == Summarize(*expected));
}

}  // namespace
}  // namespace silt::delta
