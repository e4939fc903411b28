// `silt stream` as users run it: rate source into JSON files and the console, restarts,
// progress log, bad arguments, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include "cli/cli_runner.h"
#include "silt/fs/local_file_system.h"
#include "silt/json/json_reader.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt {
namespace {

using testing::CliRun;
using testing::Silt;

// The "value" of every row of every batch file in `dir`, and the number of batch files.
std::multiset<int64_t> ValuesInBatchFiles(fs::FileSystem& fs, const std::string& dir,
                                          int* files = nullptr) {
  std::multiset<int64_t> values;
  auto entries = fs.List(dir);
  EXPECT_TRUE(entries.ok()) << entries.status();
  if (!entries.ok()) return values;
  json::Parser parser;
  for (const auto& e : *entries) {
    std::string name(fs::BaseName(e.path));
    if (name.rfind("batch-", 0) != 0) continue;  // temporary files of unfinished writes
    if (files) ++*files;
    std::string text = fs.ReadFile(e.path).value();
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      auto obj = parser.ParseObject(text.substr(start, end - start));
      EXPECT_TRUE(obj.ok()) << obj.status();
      if (obj.ok()) values.insert(obj->GetInt64("value").value());
      start = end + 1;
    }
  }
  return values;
}

TEST(StreamCliTest, RateToJsonFilesAvailableNowAndRestart) {
  testing::TempDir dir;
  fs::LocalFileSystem fs;
  const std::string args =
      "stream --from rate:rowsPerBatch=4,totalRows=10 --to json:" + dir.Join("out") +
      " --checkpoint " + dir.Join("ck") + " --trigger available-now --progress-log " +
      dir.Join("progress.jsonl");
  CliRun r = Silt(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("next batch 3"), std::string::npos) << r.out;
  int files = 0;
  std::multiset<int64_t> values = ValuesInBatchFiles(fs, dir.Join("out"), &files);
  EXPECT_EQ(files, 3);
  std::multiset<int64_t> expected;
  for (int64_t v = 0; v < 10; ++v) expected.insert(v);
  EXPECT_EQ(values, expected);
  ASSERT_OK_AND_ASSIGN(std::string progress, fs.ReadFile(dir.Join("progress.jsonl")));
  EXPECT_EQ(std::count(progress.begin(), progress.end(), '\n'), 3);
  EXPECT_NE(progress.find("\"sink\":{\"description\":\"JsonFilesSink["), std::string::npos);

  // Nothing new: the restart runs no batch and writes nothing.
  r = Silt(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  files = 0;
  EXPECT_EQ(ValuesInBatchFiles(fs, dir.Join("out"), &files), expected);
  EXPECT_EQ(files, 3);

  // The same checkpoint with another sink is refused.
  r = Silt("stream --from rate:rowsPerBatch=4,totalRows=10 --to console --checkpoint " +
           dir.Join("ck") + " --trigger once");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("InvalidArgument"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sink is JsonFilesSink"), std::string::npos) << r.out;
}

TEST(StreamCliTest, DeltaTableToJsonFiles) {
  testing::TempDir dir;
  fs::LocalFileSystem fs;
  const std::string table = testing::ConformanceDir() + "/delta-kernel-rs.data/basic_partitioned";
  if (!fs.Exists(table).value_or(false)) GTEST_SKIP() << "no conformance corpus at " << table;
  // One data file per batch: the table's 6 rows arrive over several batches.
  CliRun r = Silt("stream --from delta:" + table + " --option maxFilesPerTrigger=2 --to json:" +
                  dir.Join("out") + " --checkpoint " + dir.Join("ck") + " --trigger available-now");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_OK_AND_ASSIGN(auto files, fs.List(dir.Join("out")));
  int64_t lines = 0;
  int batch_files = 0;
  for (const auto& f : files) {
    if (std::string(fs::BaseName(f.path)).rfind("batch-", 0) != 0) continue;
    ++batch_files;
    std::string text = fs.ReadFile(f.path).value();
    lines += std::count(text.begin(), text.end(), '\n');
    EXPECT_NE(text.find("\"letter\":"), std::string::npos) << text;
  }
  EXPECT_EQ(lines, 6);
  EXPECT_EQ(batch_files, 3);
  r = Silt("stream --from delta:" + dir.Join("no-table") + " --to console --checkpoint " +
           dir.Join("ck2") + " --trigger once");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("NotFound"), std::string::npos) << r.out;
}

TEST(StreamCliTest, ConsoleJsonWithMaxBatches) {
  testing::TempDir dir;
  CliRun r = Silt(
      "stream --from rate:rowsPerBatch=2 --option schema=clicks --to console "
      "--format json --checkpoint " +
      dir.Join("ck") + " --max-batches 2");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Batch: 1\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Batch: 2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"page\":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"event_date\":"), std::string::npos) << r.out;
}

TEST(StreamCliTest, ProgressLogRollsAfterMaxRecords) {
  testing::TempDir dir;
  fs::LocalFileSystem fs;
  const std::string log = dir.Join("progress.jsonl");
  CliRun r = Silt("stream --from rate:rowsPerBatch=1,totalRows=5 --to json:" + dir.Join("out") +
                  " --checkpoint " + dir.Join("ck") + " --trigger available-now --progress-log " +
                  log + " --progress-log-max-records 2 --no-data-progress-interval 0");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  int64_t records = 0;
  int files = 0;
  for (const std::string& path : {log, log + ".1", log + ".2", log + ".3"}) {
    if (!fs.Exists(path).value_or(false)) continue;
    ASSERT_OK_AND_ASSIGN(std::string text, fs.ReadFile(path));
    int64_t lines = std::count(text.begin(), text.end(), '\n');
    EXPECT_LE(lines, 2) << path;
    records += lines;
    ++files;
  }
  EXPECT_EQ(records, 5);
  EXPECT_EQ(files, 3);
}

TEST(StreamCliTest, BadArgumentsAreClearErrors) {
  testing::TempDir dir;
  const std::string ck = " --checkpoint " + dir.Join("ck");
  CliRun r = Silt("stream --from kafka:x --to console" + ck);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("--from 'kafka:x'"), std::string::npos) << r.out;
  r = Silt("stream --from rate:rowsPerSecnd=3 --to console" + ck);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("unknown rate source option 'rowsPerSecnd'"), std::string::npos) << r.out;
  r = Silt("stream --from rate --to console --trigger sometimes" + ck);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("unknown trigger 'sometimes'"), std::string::npos) << r.out;
  r = Silt("stream --from rate --to console --no-data-progress-interval soon" + ck);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("'soon'"), std::string::npos) << r.out;
  r = Silt("stream --from rate --to nowhere" + ck);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  r = Silt("stream --from rate --to console");
  EXPECT_EQ(r.exit_code, 2) << r.out;  // --checkpoint is required
}

// SIGTERM (a service manager) and SIGINT (Ctrl-C) both stop the query cleanly.
void StopsCleanlyOn(int signal_number) {
  SCOPED_TRACE(signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  testing::TempDir dir;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    FILE* devnull = freopen("/dev/null", "w", stdout);
    (void)devnull;
    const std::string from = "rate:rowsPerSecond=1000";
    const std::string to = "json:" + dir.Join("out");
    const std::string ck = dir.Join("ck");
    execl(SILT_BINARY, SILT_BINARY, "stream", "--from", from.c_str(), "--to", to.c_str(),
          "--checkpoint", ck.c_str(), "--trigger", "interval:50ms", static_cast<char*>(nullptr));
    _exit(127);
  }
  fs::LocalFileSystem fs;
  // Wait for a few batches.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto commits = fs.List(dir.Join("ck/commits"));
    if (commits.ok() && commits->size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, signal_number), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // Every committed batch is in the output exactly once; the restart continues after it.
  CliRun r = Silt("stream --from rate:rowsPerSecond=1000 --to json:" + dir.Join("out") +
                  " --checkpoint " + dir.Join("ck") + " --max-batches 1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::multiset<int64_t> values = ValuesInBatchFiles(fs, dir.Join("out"));
  ASSERT_FALSE(values.empty());
  int64_t expected = 0;
  for (int64_t v : values) EXPECT_EQ(v, expected++);
}

TEST(StreamCliTest, SigtermStopsCleanly) { StopsCleanlyOn(SIGTERM); }

TEST(StreamCliTest, SigintStopsCleanly) { StopsCleanlyOn(SIGINT); }

}  // namespace
}  // namespace silt
