// Many processes committing to one table on the local file system at once (PROTOCOL.md
// "Optimistic Concurrency Control"): blind appends all land, at dense versions, each exactly
// once; of several delete-by-read transactions on the same file exactly one wins.
//
// SILT_STRESS_SCALE (default 1) multiplies the number of commits per process.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "silt/base/time.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/commit/table_creation.h"
#include "silt/delta/commit/transaction.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/fs/local_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

constexpr int kProcesses = 8;

int StressScale() {
  const char* env = std::getenv("SILT_STRESS_SCALE");
  int scale = env != nullptr ? std::atoi(env) : 1;
  return scale > 0 ? scale : 1;
}

TransactionOptions Options() {
  TransactionOptions options;
  options.checkpoint_after_commit = false;
  options.max_attempts = 1000;  // contention of 8 writers; each failed attempt skips ahead
  return options;
}

void CreateTable(fs::FileSystem& fs, const std::string& root) {
  NewTableOptions options;
  options.schema = col::Schema::Make({col::Field("id", col::Int64())});
  ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, NowMillis()));
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs, root, Options()));
  txn->SetProtocol(actions.first);
  txn->SetMetadata(actions.second);
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  ASSERT_EQ(r.version, 0);
}

Add MakeAdd(std::string path) {
  Add add;
  add.path = std::move(path);
  add.size = 1;
  add.modification_time = NowMillis();
  add.stats = R"({"numRecords":1})";
  return add;
}

std::string FilePath(int process, int commit) {
  return "p" + std::to_string(process) + "/c" + std::to_string(commit) + ".parquet";
}

// A child process: `commits` idempotent blind appends, each starting on the snapshot the
// previous commit returned. Exit code 0 on success.
int BlindAppender(const std::string& root, int process, int commits) {
  fs::LocalFileSystem fs;
  std::shared_ptr<const Snapshot> snapshot;
  std::string app_id = "writer-" + std::to_string(process);
  for (int i = 0; i < commits; ++i) {
    Result<std::unique_ptr<Transaction>> txn = snapshot != nullptr
                                                   ? Transaction::BeginAt(fs, snapshot, Options())
                                                   : Transaction::Begin(fs, root, Options());
    if (!txn.ok()) {
      std::fprintf(stderr, "writer %d: begin: %s\n", process, txn.error().ToString().c_str());
      return 1;
    }
    (*txn)->SetAppTransaction(app_id, i + 1);
    (*txn)->AddFile(MakeAdd(FilePath(process, i)));
    (*txn)->SetOperation("WRITE", {{"mode", "\"Append\""}, {"partitionBy", "\"[]\""}});
    Result<CommitResult> r = (*txn)->Commit();
    if (!r.ok()) {
      std::fprintf(stderr, "writer %d commit %d: %s\n", process, i, r.error().ToString().c_str());
      return 2;
    }
    if (r->skipped_idempotent) {
      std::fprintf(stderr, "writer %d commit %d: skipped\n", process, i);
      return 3;
    }
    snapshot = r->snapshot;
  }
  return 0;
}

// Forks `n` children running `body(i)`; returns their exit codes (-1 when one died otherwise).
template <typename Body>
std::vector<int> RunChildren(int n, Body body) {
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int code = body(i);
      std::fflush(stderr);
      ::_exit(code);  // no atexit handlers of the test binary in the child
    }
    EXPECT_GT(pid, 0) << "fork failed";
    pids.push_back(pid);
  }
  std::vector<int> codes;
  for (pid_t pid : pids) {
    int status = 0;
    if (pid <= 0 || ::waitpid(pid, &status, 0) != pid) {
      codes.push_back(-1);
      continue;
    }
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return codes;
}

TEST(CommitConcurrencyTest, BlindAppendsFromManyProcesses) {
  testing::TempDir dir;
  const std::string root = dir.Join("table");
  fs::LocalFileSystem fs;
  CreateTable(fs, root);
  const int commits = 200 * StressScale();
  int64_t start = MonotonicMicros();

  std::vector<int> codes =
      RunChildren(kProcesses, [&](int process) { return BlindAppender(root, process, commits); });
  for (int p = 0; p < kProcesses; ++p) EXPECT_EQ(codes[p], 0) << "writer " << p;
  std::printf("%d processes x %d commits: %.1f s\n", kProcesses, commits,
              static_cast<double>(MonotonicMicros() - start) / 1e6);

  // Versions 0..N, dense, one commit file each; every add in exactly one commit.
  const int64_t last = static_cast<int64_t>(kProcesses) * commits;
  ASSERT_OK_AND_ASSIGN(std::vector<LogFile> files, ListLogFiles(fs, LogDirFor(root)));
  std::vector<int64_t> versions;
  for (const LogFile& f : files) {
    if (f.type == LogFileType::kCommit) versions.push_back(f.version);
  }
  ASSERT_EQ(versions.size(), static_cast<size_t>(last + 1));
  for (int64_t v = 0; v <= last; ++v) ASSERT_EQ(versions[v], v);
  std::map<std::string, int> adds_in_log;
  std::map<std::string, int64_t> last_txn_version;
  for (int64_t v = 1; v <= last; ++v) {
    ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(fs, root, v));
    int adds = 0;
    for (const Action& a : actions) {
      if (const auto* add = std::get_if<Add>(&a)) {
        ++adds_in_log[add->path];
        ++adds;
      }
      if (const auto* txn = std::get_if<SetTransaction>(&a)) {
        // Each application's versions arrive in order.
        EXPECT_GT(txn->version, last_txn_version[txn->app_id]) << "version " << v;
        last_txn_version[txn->app_id] = txn->version;
      }
    }
    EXPECT_EQ(adds, 1) << "version " << v;
  }
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs, root));
  EXPECT_EQ(snapshot->version(), last);
  ASSERT_EQ(snapshot->files().size(), static_cast<size_t>(last));
  std::set<std::string> live;
  for (const Add& a : snapshot->files().ToVector()) live.insert(a.path);
  for (int p = 0; p < kProcesses; ++p) {
    EXPECT_EQ(snapshot->AppTransactionVersion("writer-" + std::to_string(p)), commits);
    for (int i = 0; i < commits; ++i) {
      ASSERT_EQ(live.count(FilePath(p, i)), 1u) << FilePath(p, i);
      ASSERT_EQ(adds_in_log[FilePath(p, i)], 1) << FilePath(p, i);
    }
  }
}

// The same with the post-commit checkpoint hook on: writers race to checkpoint and clean up
// while others commit; the table must still load, from its newest checkpoint.
TEST(CommitConcurrencyTest, BlindAppendsWithCheckpoints) {
  testing::TempDir dir;
  const std::string root = dir.Join("table");
  fs::LocalFileSystem fs;
  CreateTable(fs, root);
  const int processes = 4;
  const int commits = 15 * StressScale();
  std::vector<int> codes = RunChildren(processes, [&](int process) {
    fs::LocalFileSystem child_fs;
    for (int i = 0; i < commits; ++i) {
      TransactionOptions options = Options();
      options.checkpoint_after_commit = true;
      auto txn = Transaction::Begin(child_fs, root, options);
      if (!txn.ok()) {
        std::fprintf(stderr, "writer %d: %s\n", process, txn.error().ToString().c_str());
        return 1;
      }
      (*txn)->AddFile(MakeAdd(FilePath(process, i)));
      auto r = (*txn)->Commit();
      if (!r.ok()) {
        std::fprintf(stderr, "writer %d: %s\n", process, r.error().ToString().c_str());
        return 2;
      }
    }
    return 0;
  });
  for (int p = 0; p < processes; ++p) EXPECT_EQ(codes[p], 0) << "writer " << p;
  const int64_t last = static_cast<int64_t>(processes) * commits;
  SnapshotOptions options;
  options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs, root, options));
  EXPECT_EQ(snapshot->version(), last);
  EXPECT_EQ(snapshot->log_segment().checkpoint_version, last / 10 * 10);
  std::set<std::string> live;
  for (const Add& a : snapshot->files().ToVector()) live.insert(a.path);
  EXPECT_EQ(live.size(), static_cast<size_t>(last));
  for (int p = 0; p < processes; ++p) {
    for (int i = 0; i < commits; ++i) EXPECT_EQ(live.count(FilePath(p, i)), 1u);
  }
}

TEST(CommitConcurrencyTest, DeletesOfTheSameFileHaveOneWinner) {
  testing::TempDir dir;
  const std::string root = dir.Join("table");
  fs::LocalFileSystem fs;
  CreateTable(fs, root);
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs, root, Options()));
    txn->AddFile(MakeAdd("victim.parquet"));
    ASSERT_OK(txn->Commit());
  }
  const int rounds = StressScale();
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE(round);
    // Every writer reads the table before any of them commits: a pipe each way.
    int ready[2];
    int go[2];
    ASSERT_EQ(::pipe(ready), 0);
    ASSERT_EQ(::pipe(go), 0);
    ASSERT_OK_AND_ASSIGN(auto before, Snapshot::Load(fs, root));
    const std::string victim = std::string(before->files()[0].path());
    std::vector<int> codes;
    {
      std::vector<pid_t> pids;
      for (int p = 0; p < kProcesses; ++p) {
        pid_t pid = ::fork();
        if (pid == 0) {
          ::close(ready[0]);
          ::close(go[1]);
          fs::LocalFileSystem child_fs;
          auto txn = Transaction::Begin(child_fs, root, Options());
          if (!txn.ok()) ::_exit(1);
          std::optional<Add> read;
          for (const FileRef a : (*txn)->read_snapshot()->files()) {
            if (a.path() == victim) read = a.ToAdd();
          }
          if (!read.has_value()) ::_exit(1);
          char byte = 1;
          if (::write(ready[1], &byte, 1) != 1) ::_exit(1);
          if (::read(go[0], &byte, 1) != 0) ::_exit(1);  // EOF: everyone is ready
          (*txn)->ReadFiles(std::span<const Add>(&*read, 1));
          (*txn)->RemoveFile(RemoveFromAdd(*read, NowMillis()));
          (*txn)->AddFile(
              MakeAdd("rewritten-" + std::to_string(round) + "-" + std::to_string(p) + ".parquet"));
          (*txn)->SetOperation("DELETE", {{"predicate", "\"[\\\"id = 1\\\"]\""}});
          auto r = (*txn)->Commit();
          if (r.ok()) ::_exit(0);
          std::optional<ConflictKind> kind = ConflictKindOf(r.error());
          if (!kind.has_value()) {
            std::fprintf(stderr, "writer %d: %s\n", p, r.error().ToString().c_str());
            ::_exit(1);
          }
          ::_exit(10 + static_cast<int>(*kind));
        }
        ASSERT_GT(pid, 0);
        pids.push_back(pid);
      }
      ::close(ready[1]);
      ::close(go[0]);
      for (int p = 0; p < kProcesses; ++p) {
        char byte = 0;
        ASSERT_EQ(::read(ready[0], &byte, 1), 1);
      }
      ::close(go[1]);  // release them all at once
      ::close(ready[0]);
      for (pid_t pid : pids) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
      }
    }
    int winners = 0;
    for (int code : codes) {
      if (code == 0) {
        ++winners;
        continue;
      }
      EXPECT_TRUE(code == 10 + static_cast<int>(ConflictKind::kConcurrentDeleteRead) ||
                  code == 10 + static_cast<int>(ConflictKind::kConcurrentDeleteDelete))
          << "exit code " << code;
    }
    EXPECT_EQ(winners, 1);
    ASSERT_OK_AND_ASSIGN(auto after, Snapshot::Load(fs, root));
    EXPECT_EQ(after->version(), before->version() + 1);
    ASSERT_EQ(after->files().size(), 1u);
    EXPECT_TRUE(after->files()[0].path().starts_with("rewritten-" + std::to_string(round) + "-"));
  }
}

}  // namespace
}  // namespace silt::delta
