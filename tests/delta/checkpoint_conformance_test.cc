// Checkpoints of real tables: for every readable table of the conformance corpus, the log is
// copied into memory, a checkpoint of its latest version is written, and the table must load
// to the same state from the checkpoint, also once the commits before it are deleted.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/maintenance/checkpoint_writer.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/conformance.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

// Tables with more live files than this are left out to keep the test fast.
constexpr size_t kMaxFiles = 500;

Result<std::shared_ptr<const Snapshot>> Load(fs::FileSystem& fs, const std::string& root) {
  SnapshotOptions options;
  options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
  return Snapshot::Load(fs, root, options);
}

void ExpectSameState(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.version(), b.version());
  EXPECT_EQ(a.protocol(), b.protocol());
  EXPECT_EQ(a.metadata(), b.metadata());
  // With delta.checkpoint.writeStatsAsJson=false the stats are only in stats_parsed, which
  // silt's checkpoint reader does not turn back into add.stats (stats are advisory).
  auto json_stats = a.Property("delta.checkpoint.writeStatsAsJson");
  const bool stats_as_json = !json_stats.has_value() || *json_stats != "false";
  ASSERT_EQ(a.files().size(), b.files().size());
  for (size_t i = 0; i < a.files().size(); ++i) {
    Add x = a.files()[i].ToAdd(), y = b.files()[i].ToAdd();
    x.data_change = y.data_change = false;
    if (!stats_as_json) x.stats.reset();
    EXPECT_EQ(ToJsonLine(x), ToJsonLine(y));
  }
  ASSERT_EQ(a.tombstones().size(), b.tombstones().size());
  for (size_t i = 0; i < a.tombstones().size(); ++i) {
    Remove x = a.tombstones()[i], y = b.tombstones()[i];
    x.data_change = y.data_change = false;
    // Classic checkpoints carry no remove stats or tags (Spark's schema).
    x.stats.reset();
    y.stats.reset();
    x.tags.clear();
    y.tags.clear();
    EXPECT_EQ(ToJsonLine(x), ToJsonLine(y));
  }
  EXPECT_EQ(a.app_transactions(), b.app_transactions());
  EXPECT_EQ(a.domain_metadata(), b.domain_metadata());
}

TEST(CheckpointConformanceTest, CheckpointsOfCorpusTablesReadBackTheSame) {
  fs::LocalFileSystem local;
  const std::string corpus = silt::testing::ConformanceDir();
  ASSERT_OK_AND_ASSIGN(bool exists, local.Exists(corpus));
  if (!exists) GTEST_SKIP() << "no conformance corpus at " << corpus;
  ASSERT_OK_AND_ASSIGN(auto tables, silt::testing::ListConformanceTables(local, corpus));
  int checked = 0;
  int v2 = 0;
  for (const auto& table : tables) {
    std::string root = table.dir;
    ASSERT_OK_AND_ASSIGN(bool direct, local.Exists(LogDirFor(root)));
    if (!direct) root = fs::JoinPath(table.dir, "delta");
    Result<std::shared_ptr<const Snapshot>> original = Load(local, root);
    if (!original.ok() || (*original)->files().size() > kMaxFiles) continue;
    SCOPED_TRACE(root);

    // The log, with its files' modification times, in memory.
    int64_t clock = 0;
    fs::MemoryFileSystem mem([&clock] { return clock; });
    const std::string copy = "memory://corpus/t";
    fs::ListOptions recursive;
    recursive.recursive = true;
    ASSERT_OK_AND_ASSIGN(auto files, local.List(LogDirFor(root), recursive));
    const std::string prefix = LogDirFor(root) + "/";
    for (const fs::FileInfo& f : files) {
      ASSERT_OK_AND_ASSIGN(std::string bytes, local.ReadFile(f.path));
      clock = f.modification_time_ms;
      ASSERT_OK(mem.Put(fs::JoinPath(LogDirFor(copy), f.path.substr(prefix.size())), bytes));
    }
    clock = 0;
    ASSERT_OK_AND_ASSIGN(auto before, Load(mem, copy));

    CheckpointWriteOptions options;
    options.now_ms = 0;  // keep every tombstone and txn, to compare them
    ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(mem, *before, options));
    v2 += r.v2;
    ASSERT_OK_AND_ASSIGN(auto after, Load(mem, copy));
    ASSERT_EQ(after->log_segment().checkpoint_version, std::optional<int64_t>(before->version()));
    ExpectSameState(*before, *after);

    for (int64_t v = 0; v < before->version(); ++v) {
      Status s = mem.DeleteFile(fs::JoinPath(LogDirFor(copy), CommitFileName(v)));
      if (!s.IsNotFound()) ASSERT_OK(s);
    }
    ASSERT_OK_AND_ASSIGN(auto only_checkpoint, Load(mem, copy));
    ExpectSameState(*before, *only_checkpoint);
    ++checked;
  }
  EXPECT_GT(checked, 50);
  EXPECT_GT(v2, 0);
}

}  // namespace
}  // namespace silt::delta
