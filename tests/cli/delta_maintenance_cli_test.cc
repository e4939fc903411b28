// Runs `silt vacuum`, `silt optimize`, `silt checkpoint` and `silt restore` as users do, on
// tables made with `silt append`, and checks the files they leave and the rows `silt scan` reads.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <utime.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt {
namespace {

using testing::CliRun;
using testing::ScanLines;
using testing::Silt;
using testing::WriteText;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Appends rows id = first .. first + count - 1 as one `silt append` (one commit, one file for an
// unpartitioned table).
void AppendRows(const testing::TempDir& dir, const std::string& table, int first, int count) {
  std::string text;
  for (int id = first; id < first + count; ++id) {
    text += "{\"id\": " + std::to_string(id) + ", \"name\": \"n" + std::to_string(id) + "\"}\n";
  }
  std::string file = dir.Join("rows" + std::to_string(first) + ".jsonl");
  WriteText(file, text);
  CliRun r = Silt("append " + table + " " + file);
  ASSERT_EQ(r.exit_code, 0) << r.out;
}

std::shared_ptr<const delta::Snapshot> Load(fs::FileSystem& fs, const std::string& table) {
  delta::SnapshotOptions options;
  options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  Result<std::shared_ptr<const delta::Snapshot>> snapshot =
      delta::Snapshot::Load(fs, table, options);
  EXPECT_TRUE(snapshot.ok()) << snapshot.error().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

TEST(DeltaMaintenanceCliTest, VacuumDryRunListsThenVacuumDeletes) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  AppendRows(dir, table, 1, 3);
  AppendRows(dir, table, 4, 3);
  std::vector<std::string> rows = ScanLines(table);
  ASSERT_EQ(rows.size(), 6u);

  // A file no version references, last written ten days ago.
  std::string orphan = table + "/part-orphan.snappy.parquet";
  WriteText(orphan, "not referenced");
  struct utimbuf old_times;
  old_times.actime = old_times.modtime = std::time(nullptr) - 10 * 24 * 3600;
  ASSERT_EQ(utime(orphan.c_str(), &old_times), 0);

  fs::LocalFileSystem fs;
  CliRun dry = Silt("vacuum " + table + " --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.out;
  EXPECT_TRUE(Contains(dry.out, "part-orphan.snappy.parquet")) << dry.out;
  EXPECT_TRUE(Contains(dry.out, "would delete 1 files (14 bytes)")) << dry.out;
  ASSERT_OK_AND_ASSIGN(bool exists, fs.Exists(orphan));
  EXPECT_TRUE(exists);

  CliRun real = Silt("vacuum " + table + " --retain 0 --no-retention-check");
  ASSERT_EQ(real.exit_code, 0) << real.out;
  EXPECT_TRUE(Contains(real.out, "part-orphan.snappy.parquet")) << real.out;
  EXPECT_TRUE(Contains(real.out, "deleted 1 files")) << real.out;
  ASSERT_OK_AND_ASSIGN(exists, fs.Exists(orphan));
  EXPECT_FALSE(exists);
  EXPECT_EQ(ScanLines(table), rows);

  // The files a delete removed go too once the retention allows, and the rows stay right.
  CliRun del = Silt("delete " + table + " --where 'id <= 3'");
  ASSERT_EQ(del.exit_code, 0) << del.out;
  std::vector<std::string> after_delete = ScanLines(table);
  ASSERT_EQ(after_delete.size(), 3u);
  CliRun kept = Silt("vacuum " + table);
  ASSERT_EQ(kept.exit_code, 0) << kept.out;
  EXPECT_TRUE(Contains(kept.out, "deleted 0 files")) << kept.out;
  CliRun again = Silt("vacuum " + table + " --retain 0 --no-retention-check");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_TRUE(Contains(again.out, "deleted 1 files")) << again.out;
  EXPECT_EQ(ScanLines(table), after_delete);
}

TEST(DeltaMaintenanceCliTest, VacuumRetentionCheck) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  AppendRows(dir, table, 1, 2);

  CliRun r = Silt("vacuum " + table + " --retain 1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Contains(r.out, "silt: ")) << r.out;
  EXPECT_TRUE(Contains(r.out, "shorter than the table's")) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;

  CliRun negative = Silt("vacuum " + table + " --retain -1");
  EXPECT_EQ(negative.exit_code, 2) << negative.out;
  CliRun missing = Silt("vacuum " + dir.Join("missing"));
  EXPECT_EQ(missing.exit_code, 1) << missing.out;
  EXPECT_EQ(ScanLines(table).size(), 2u);
}

TEST(DeltaMaintenanceCliTest, OptimizeCompactsSmallAppends) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  for (int i = 0; i < 4; ++i) AppendRows(dir, table, 1 + 10 * i, 5);
  std::vector<std::string> rows = ScanLines(table);
  ASSERT_EQ(rows.size(), 20u);
  fs::LocalFileSystem fs;
  auto before = Load(fs, table);
  ASSERT_NE(before, nullptr);
  ASSERT_EQ(before->files().size(), 4u);

  CliRun r = Silt("optimize " + table + " --target-size 128m");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Contains(r.out, "at version 4")) << r.out;
  EXPECT_TRUE(Contains(r.out, "removed 4 files")) << r.out;
  EXPECT_TRUE(Contains(r.out, "added 1 files")) << r.out;
  auto after = Load(fs, table);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->version(), 4);
  EXPECT_EQ(after->files().size(), 1u);
  EXPECT_EQ(ScanLines(table), rows);

  // Nothing left to compact: no commit.
  CliRun again = Silt("optimize " + table);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_TRUE(Contains(again.out, "nothing to optimize")) << again.out;

  CliRun bad_size = Silt("optimize " + table + " --target-size 12q");
  EXPECT_EQ(bad_size.exit_code, 1) << bad_size.out;
  EXPECT_TRUE(Contains(bad_size.out, "--target-size: '12q' is not a positive byte size"))
      << bad_size.out;
  CliRun bad_where = Silt("optimize " + table + " --where 'id > 3'");
  EXPECT_EQ(bad_where.exit_code, 1) << bad_where.out;
  EXPECT_TRUE(Contains(bad_where.out, "InvalidArgument")) << bad_where.out;
}

TEST(DeltaMaintenanceCliTest, CheckpointWritesCheckpointAndLastCheckpoint) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  for (int i = 0; i < 3; ++i) AppendRows(dir, table, 1 + 10 * i, 2);
  std::vector<std::string> rows = ScanLines(table);
  ASSERT_EQ(rows.size(), 6u);

  CliRun r = Silt("checkpoint " + table);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::string checkpoint = table + "/_delta_log/00000000000000000002.checkpoint.parquet";
  EXPECT_TRUE(Contains(r.out, checkpoint)) << r.out;
  EXPECT_TRUE(Contains(r.out, "checkpoint of version 2")) << r.out;
  EXPECT_TRUE(Contains(r.out, "3 add")) << r.out;
  EXPECT_TRUE(Contains(r.out, "_last_checkpoint updated")) << r.out;

  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(bool exists, fs.Exists(checkpoint));
  EXPECT_TRUE(exists);
  ASSERT_OK_AND_ASSIGN(std::string last, fs.ReadFile(table + "/_delta_log/_last_checkpoint"));
  EXPECT_TRUE(Contains(last, "\"version\":2")) << last;

  // The table is now read from the checkpoint, with the same rows.
  auto snapshot = Load(fs, table);
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 2);
  EXPECT_EQ(snapshot->files().size(), 3u);
  EXPECT_EQ(ScanLines(table), rows);

  // A V2 checkpoint needs the v2Checkpoint feature.
  CliRun v2 = Silt("checkpoint " + table + " --v2");
  EXPECT_EQ(v2.exit_code, 1) << v2.out;
  EXPECT_TRUE(Contains(v2.out, "v2Checkpoint")) << v2.out;
}

TEST(DeltaMaintenanceCliTest, RestoreToAnEarlierVersion) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  AppendRows(dir, table, 1, 3);                                          // version 0
  AppendRows(dir, table, 4, 3);                                          // version 1
  CliRun del = Silt("delete " + table + " --where 'id = 2 OR id = 5'");  // version 2
  ASSERT_EQ(del.exit_code, 0) << del.out;
  std::vector<std::string> v0 = ScanLines(table, "--version 0");
  std::vector<std::string> v1 = ScanLines(table, "--version 1");
  ASSERT_EQ(v0.size(), 3u);
  ASSERT_EQ(v1.size(), 6u);
  ASSERT_EQ(ScanLines(table).size(), 4u);

  CliRun r = Silt("restore " + table + " --version 1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Contains(r.out, "restored version 1 as version 3")) << r.out;
  EXPECT_EQ(ScanLines(table), v1);

  CliRun back = Silt("restore " + table + " --version 0");
  ASSERT_EQ(back.exit_code, 0) << back.out;
  EXPECT_TRUE(Contains(back.out, "restored version 0 as version 4")) << back.out;
  EXPECT_EQ(ScanLines(table), v0);

  // A timestamp resolves as time travel does: far in the future is the latest version, which
  // cannot be restored onto itself.
  CliRun latest = Silt("restore " + table + " --timestamp '2999-01-01 00:00:00Z'");
  EXPECT_EQ(latest.exit_code, 1) << latest.out;
  CliRun bad_time = Silt("restore " + table + " --timestamp yesterday");
  EXPECT_EQ(bad_time.exit_code, 1) << bad_time.out;
  EXPECT_TRUE(Contains(bad_time.out, "yesterday")) << bad_time.out;

  // Exactly one of --version and --timestamp.
  CliRun neither = Silt("restore " + table);
  EXPECT_EQ(neither.exit_code, 2) << neither.out;
  CliRun both = Silt("restore " + table + " --version 0 --timestamp '2024-01-01'");
  EXPECT_EQ(both.exit_code, 2) << both.out;
  EXPECT_EQ(ScanLines(table), v0);
}

}  // namespace
}  // namespace silt
