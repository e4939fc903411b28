// Kill-and-restart loop for the streaming engine (RocksDB's crash test): runs `silt stream` as a
// child process, SIGKILLs it at random moments (during start-up, planning, the sink write, the
// commit, the purge), restarts it on the same checkpoint, and checks that the sink holds every
// source row exactly once: the rows of the JSON-files sink are exactly the values 0..V-1, V being
// the end offset of the last committed batch.
//
// Bounded by default: SILT_CRASH_KILLS kills per test (default 100, so 200 over the JSON-files and
// Delta sinks) within SILT_CRASH_SECONDS per test (default 120); raise both for soak runs.
// SILT_CRASH_SEED replays a run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "silt/fs/local_file_system.h"
#include "silt/json/json_reader.h"
#include "silt/stream/checkpoint/checkpoint.h"
#include "silt/stream/source/rate_source.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::stream {
namespace {

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::strtoll(value, nullptr, 10);
}

// Starts `silt stream ...` with stdout and stderr discarded.
pid_t Spawn(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  FILE* out = freopen("/dev/null", "w", stdout);
  FILE* err = freopen("/dev/null", "w", stderr);
  (void)out;
  (void)err;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(SILT_BINARY));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(SILT_BINARY, argv.data());
  _exit(127);
}

// Exit status of a finished child (-signal when killed).
int Wait(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1000;
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

// SIGKILLs `silt <args>` at random moments, `kills` times (or until the time budget is spent),
// then runs it once more cleanly with --max-batches 3. Returns the number of kills.
int64_t KillAndRestart(const std::vector<std::string>& args, std::mt19937_64& rng) {
  const int64_t kills = EnvInt("SILT_CRASH_KILLS", 100);
  const int64_t seconds = EnvInt("SILT_CRASH_SECONDS", 120);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int64_t done = 0;
  while (done < kills && std::chrono::steady_clock::now() < deadline) {
    pid_t pid = Spawn(args);
    if (pid <= 0) {
      ADD_FAILURE() << "fork failed";
      return done;
    }
    // Start-up of a sanitizer build takes tens of milliseconds: some kills land before the
    // first batch, most in the middle of one.
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
    kill(pid, SIGKILL);
    int status = Wait(pid);
    // Exiting on its own means the query failed: the restart semantics are broken.
    EXPECT_EQ(status, -SIGKILL) << "the query exited before it was killed";
    ++done;
  }
  EXPECT_GE(done, std::min<int64_t>(kills, 5));
  // A clean run recovers whatever the last kill left and commits a few more batches.
  std::vector<std::string> final_args = args;
  final_args.push_back("--max-batches");
  final_args.push_back("3");
  EXPECT_EQ(Wait(Spawn(final_args)), 0);
  return done;
}

// The end offset of the last committed batch (its rate-source value), checking that the
// checkpoint ends with a committed batch.
int64_t CommittedRows(fs::FileSystem& fs, const std::string& ck, int64_t* batches) {
  StreamCheckpoint checkpoint(fs, ck);
  std::optional<int64_t> last_commit = checkpoint.LatestCommitBatchId().value_or(std::nullopt);
  std::optional<int64_t> last_offsets = checkpoint.LatestOffsetsBatchId().value_or(std::nullopt);
  EXPECT_TRUE(last_commit.has_value());
  EXPECT_EQ(last_commit, last_offsets);
  if (!last_commit) return 0;
  *batches = *last_commit + 1;
  auto entry = checkpoint.ReadOffsets(*last_commit);
  EXPECT_TRUE(entry.ok()) << entry.status();
  if (!entry.ok() || entry->offsets.size() != 1 || !entry->offsets[0]) return 0;
  auto end = RateSource::ParseOffset(*entry->offsets[0]);
  EXPECT_TRUE(end.ok()) << end.status();
  return end.ok() ? end->value : 0;
}

uint64_t Seed() {
  return static_cast<uint64_t>(
      EnvInt("SILT_CRASH_SEED", std::chrono::steady_clock::now().time_since_epoch().count()));
}

TEST(CrashHarness, KillAndRestartKeepsEveryRowExactlyOnce) {
  const uint64_t seed = Seed();
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("SILT_CRASH_SEED=" + std::to_string(seed));
  testing::TempDir dir;
  const std::string out = dir.Join("out");
  const std::string ck = dir.Join("ck");
  // An endless stream of small batches, so that a kill lands in every phase of a batch; a
  // small retention makes the purge run (and get killed) too.
  const int64_t kills = KillAndRestart(
      {"stream", "--from", "rate:rowsPerBatch=7", "--to", "json:" + out, "--checkpoint", ck,
       "--trigger", "interval:0", "--min-batches-to-retain", "3"},
      rng);

  fs::LocalFileSystem fs;
  int64_t batches = 0;
  const int64_t rows = CommittedRows(fs, ck, &batches);
  EXPECT_EQ(rows, batches * 7);
  // Every row 0..rows-1 exactly once; one file per committed batch.
  ASSERT_OK_AND_ASSIGN(auto files, fs.List(out));
  std::vector<int64_t> counts(static_cast<size_t>(rows), 0);
  int64_t batch_files = 0;
  json::Parser parser;
  for (const auto& file : files) {
    std::string name(fs::BaseName(file.path));
    if (name.rfind("batch-", 0) != 0) continue;  // a temporary file of a killed write
    ++batch_files;
    ASSERT_OK_AND_ASSIGN(std::string text, fs.ReadFile(file.path));
    size_t start = 0;
    while (start < text.size()) {
      size_t stop = text.find('\n', start);
      ASSERT_NE(stop, std::string::npos) << file.path << " ends without a newline";
      ASSERT_OK_AND_ASSIGN(json::Object row, parser.ParseObject(text.substr(start, stop - start)));
      ASSERT_OK_AND_ASSIGN(int64_t value, row.GetInt64("value"));
      ASSERT_GE(value, 0);
      ASSERT_LT(value, rows) << file.path << ": a row past the last committed offset";
      ++counts[static_cast<size_t>(value)];
      start = stop + 1;
    }
  }
  EXPECT_EQ(batch_files, batches);
  for (int64_t v = 0; v < rows; ++v) ASSERT_EQ(counts[static_cast<size_t>(v)], 1) << "row " << v;
  std::printf("crash harness (JSON files): %lld kills, %lld batches, %lld rows exactly once\n",
              static_cast<long long>(kills), static_cast<long long>(batches),
              static_cast<long long>(rows));
}

// The same loop with the Delta sink: the table must hold the rows 0..V-1 exactly once (its txn
// action makes a re-run batch a no-op).
TEST(CrashHarness, DeltaSinkKeepsEveryRowExactlyOnce) {
  const uint64_t seed = Seed() + 1;
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("SILT_CRASH_SEED=" + std::to_string(seed - 1));
  testing::TempDir dir;
  const std::string table = dir.Join("table");
  const std::string ck = dir.Join("ck");
  const int64_t kills = KillAndRestart(
      {"stream", "--from", "rate:rowsPerBatch=7", "--to", "delta:" + table, "--checkpoint", ck,
       "--trigger", "interval:0", "--min-batches-to-retain", "3"},
      rng);

  fs::LocalFileSystem fs;
  int64_t batches = 0;
  const int64_t rows = CommittedRows(fs, ck, &batches);
  EXPECT_EQ(rows, batches * 7);
  // Read the table back with `silt scan`.
  const std::string command =
      std::string(SILT_BINARY) + " scan " + table + " --columns value --format jsonl 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) text.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << text;
  std::vector<int64_t> counts(static_cast<size_t>(rows), 0);
  json::Parser parser;
  size_t start = 0;
  while (start < text.size()) {
    size_t stop = text.find('\n', start);
    if (stop == std::string::npos) stop = text.size();
    ASSERT_OK_AND_ASSIGN(json::Object row, parser.ParseObject(text.substr(start, stop - start)));
    ASSERT_OK_AND_ASSIGN(int64_t value, row.GetInt64("value"));
    ASSERT_GE(value, 0);
    ASSERT_LT(value, rows) << "a row past the last committed offset";
    ++counts[static_cast<size_t>(value)];
    start = stop + 1;
  }
  for (int64_t v = 0; v < rows; ++v) ASSERT_EQ(counts[static_cast<size_t>(v)], 1) << "row " << v;
  std::printf("crash harness (Delta sink): %lld kills, %lld batches, %lld rows exactly once\n",
              static_cast<long long>(kills), static_cast<long long>(batches),
              static_cast<long long>(rows));
}

}  // namespace
}  // namespace silt::stream
