// Crash consistency of commits: every FileSystem call a commit makes is failed in turn (the
// process "dies" there: SimulateCrash drops what was not durable). Afterwards the table must
// open, hold exactly the files of the commits that reported success, and retrying the same
// idempotent write must apply it exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "silt/delta/commit/table_creation.h"
#include "silt/delta/commit/transaction.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

constexpr char kRoot[] = "/t";
constexpr int64_t kNow = 1'700'000'000'000;

constexpr std::array<fs::FsOp, fs::kNumFsOps> kAllOps = {fs::FsOp::kReadFile,
                                                         fs::FsOp::kReadRange,
                                                         fs::FsOp::kOpenRandomAccess,
                                                         fs::FsOp::kReadAt,
                                                         fs::FsOp::kOpenWritable,
                                                         fs::FsOp::kAppend,
                                                         fs::FsOp::kSync,
                                                         fs::FsOp::kClose,
                                                         fs::FsOp::kPutIfAbsent,
                                                         fs::FsOp::kPut,
                                                         fs::FsOp::kGetFileInfo,
                                                         fs::FsOp::kList,
                                                         fs::FsOp::kDeleteFile,
                                                         fs::FsOp::kDeleteDirRecursive,
                                                         fs::FsOp::kCreateDir};

TransactionOptions Options() {
  TransactionOptions o;
  o.clock = [] { return kNow; };
  return o;
}

Add MakeAdd(std::string path) {
  Add add;
  add.path = std::move(path);
  add.size = 10;
  add.modification_time = kNow;
  return add;
}

// Version 0 (create) and version 1 (one file), written without faults. With `checkpoint`, the
// table checkpoints every 2 versions, so the write under test (version 2) also writes one.
void SetUpTable(fs::FileSystem& fs, bool checkpoint = false) {
  NewTableOptions options;
  options.schema = col::Schema::Make({col::Field("id", col::Int64())});
  if (checkpoint) options.properties = {{"delta.checkpointInterval", "2"}};
  auto actions = NewTableActions(options, kNow);
  ASSERT_OK(actions);
  ASSERT_OK_AND_ASSIGN(auto create, Transaction::Begin(fs, kRoot, Options()));
  create->SetProtocol(actions->first);
  create->SetMetadata(actions->second);
  ASSERT_OK(create->Commit());
  ASSERT_OK_AND_ASSIGN(auto append, Transaction::Begin(fs, kRoot, Options()));
  append->AddFile(MakeAdd("old.parquet"));
  ASSERT_OK(append->Commit());
}

// The write under test: an idempotent append ("app", 1). With `race`, another writer commits
// a blind append between Begin and Commit, so the commit also goes through conflict
// resolution.
Result<CommitResult> IdempotentWrite(fs::FileSystem& fs, fs::FileSystem& base, bool race) {
  SILT_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(fs, kRoot, Options()));
  txn->SetAppTransaction("app", 1);
  txn->AddFile(MakeAdd("new.parquet"));
  if (race) {
    SILT_ASSIGN_OR_RETURN(auto other, Transaction::Begin(base, kRoot, Options()));
    other->AddFile(MakeAdd("racer.parquet"));
    SILT_RETURN_NOT_OK(other->Commit());
  }
  return txn->Commit();
}

std::vector<std::string> LivePaths(fs::FileSystem& fs) {
  SnapshotOptions options;
  options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
  auto snapshot = Snapshot::Load(fs, kRoot, options);
  EXPECT_OK(snapshot);
  std::vector<std::string> out;
  if (!snapshot.ok()) return out;
  for (const Add& a : (*snapshot)->files().ToVector()) out.push_back(a.path);
  return out;
}

void RunFaultMatrix(bool race, bool checkpoint = false) {
  // Count the calls of a clean run.
  fs::MemoryFileSystem probe_base;
  SetUpTable(probe_base, checkpoint);
  fs::FaultInjectionFileSystem probe(probe_base);
  ASSERT_OK_AND_ASSIGN(CommitResult clean, IdempotentWrite(probe, probe_base, race));
  EXPECT_EQ(clean.checkpoint_written, checkpoint);
  int cases = 0;
  for (fs::FsOp op : kAllOps) {
    for (int64_t n = 1; n <= probe.call_count(op); ++n) {
      SCOPED_TRACE(fmt::format("fail call {} of {}", n, fs::FsOpName(op)));
      ++cases;
      fs::MemoryFileSystem base;
      SetUpTable(base, checkpoint);
      fs::FaultInjectionFileSystem fs(base);
      fs.FailNthCall(op, n);
      Result<CommitResult> result = IdempotentWrite(fs, base, race);
      ASSERT_OK(fs.SimulateCrash());
      fs.ClearFaults();

      std::vector<std::string> live = LivePaths(fs);
      bool committed = std::count(live.begin(), live.end(), "new.parquet") == 1;
      // Success is reported exactly when the write is in the table.
      EXPECT_EQ(result.ok(), committed) << (result.ok() ? "OK" : result.error().ToString());
      EXPECT_EQ(std::count(live.begin(), live.end(), "old.parquet"), 1);

      // The restarted writer retries the same batch: applied exactly once.
      ASSERT_OK_AND_ASSIGN(auto retry, Transaction::Begin(fs, kRoot, Options()));
      retry->SetAppTransaction("app", 1);
      retry->AddFile(MakeAdd("new-retry.parquet"));
      ASSERT_OK_AND_ASSIGN(CommitResult r, retry->Commit());
      EXPECT_EQ(r.skipped_idempotent, committed);
      live = LivePaths(fs);
      EXPECT_EQ(std::count(live.begin(), live.end(), "new.parquet") +
                    std::count(live.begin(), live.end(), "new-retry.parquet"),
                1);
      EXPECT_LE(std::count(live.begin(), live.end(), "racer.parquet"), race ? 1 : 0);
      EXPECT_EQ(live.size(), 2u + std::count(live.begin(), live.end(), "racer.parquet"));
    }
  }
  EXPECT_GT(cases, 3);
}

TEST(TransactionCrashTest, FailEachCallOfACommit) { RunFaultMatrix(/*race=*/false); }

TEST(TransactionCrashTest, FailEachCallOfAConflictingCommit) { RunFaultMatrix(/*race=*/true); }

// The commit is due a checkpoint: a failure while writing it (or the log cleanup after it)
// must not fail the commit, and whatever the crash leaves must load.
TEST(TransactionCrashTest, FailEachCallOfACommitWithItsCheckpoint) {
  RunFaultMatrix(/*race=*/false, /*checkpoint=*/true);
}

// A FileSystem whose first PutIfAbsent writes the file but reports a retryable error, as an
// object store can when the response to a successful conditional PUT is lost.
class LostResponseFileSystem final : public fs::FileSystem {
 public:
  explicit LostResponseFileSystem(fs::FileSystem& target) : target_(target) {}
  std::string_view name() const override { return "lost_response"; }
  Result<std::string> ReadFile(const std::string& p) override { return target_.ReadFile(p); }
  Result<std::string> ReadRange(const std::string& p, int64_t o, int64_t l) override {
    return target_.ReadRange(p, o, l);
  }
  Result<std::unique_ptr<fs::RandomAccessFile>> OpenRandomAccess(const std::string& p) override {
    return target_.OpenRandomAccess(p);
  }
  Result<std::unique_ptr<fs::WritableFile>> OpenWritable(const std::string& p,
                                                         const fs::WriteOptions& o) override {
    return target_.OpenWritable(p, o);
  }
  Status PutIfAbsent(const std::string& p, std::string_view data) override {
    Status s = target_.PutIfAbsent(p, data);
    if (s.ok() && !lost_) {
      lost_ = true;
      return Status::IOError("PutIfAbsent '{}': connection reset", p).WithRetryable(true);
    }
    return s;
  }
  Status Put(const std::string& p, std::string_view data) override { return target_.Put(p, data); }
  Result<fs::FileInfo> GetFileInfo(const std::string& p) override { return target_.GetFileInfo(p); }
  Result<std::vector<fs::FileInfo>> List(const std::string& d, const fs::ListOptions& o) override {
    return target_.List(d, o);
  }
  Status DeleteFile(const std::string& p) override { return target_.DeleteFile(p); }
  Status DeleteDirRecursive(const std::string& p) override { return target_.DeleteDirRecursive(p); }
  Status CreateDir(const std::string& p) override { return target_.CreateDir(p); }

 private:
  fs::FileSystem& target_;
  bool lost_ = false;
};

TEST(TransactionCrashTest, CommitWhoseSuccessResponseWasLost) {
  fs::MemoryFileSystem base;
  SetUpTable(base);
  LostResponseFileSystem fs(base);
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs, kRoot, Options()));
  txn->AddFile(MakeAdd("new.parquet"));  // not idempotent: only the txnId can tell
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_FALSE(r.skipped_idempotent);
  ASSERT_NE(r.snapshot, nullptr);
  EXPECT_EQ(r.snapshot->version(), 2);
  // Written once, not a second time at version 3.
  ASSERT_OK_AND_ASSIGN(bool v3, base.Exists(fs::JoinPath(LogDirFor(kRoot), CommitFileName(3))));
  EXPECT_FALSE(v3);
  std::vector<std::string> live = LivePaths(base);
  EXPECT_EQ(live, (std::vector<std::string>{"old.parquet", "new.parquet"}));
}

TEST(TransactionCrashTest, NonRetryablePutErrorsAreReturned) {
  fs::MemoryFileSystem base;
  SetUpTable(base);
  fs::FaultInjectionFileSystem fs(base);
  fs.FailAllCalls(fs::FsOp::kPutIfAbsent, Status::IOError("disk on fire"));
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs, kRoot, Options()));
  txn->AddFile(MakeAdd("new.parquet"));
  auto r = txn->Commit();
  ASSERT_STATUS_CODE(kIOError, r);
  EXPECT_NE(r.error().message().find("disk on fire"), std::string::npos) << r.error();
  EXPECT_EQ(fs.call_count(fs::FsOp::kPutIfAbsent), 1);
}

TEST(TransactionCrashTest, RetryableIoErrorsAreRetriedUpToTheBound) {
  fs::MemoryFileSystem base;
  SetUpTable(base);
  fs::FaultInjectionFileSystem fs(base);
  fs.FailAllCalls(fs::FsOp::kPutIfAbsent, Status::IOError("throttled").WithRetryable(true));
  TransactionOptions options = Options();
  options.max_attempts = 4;
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs, kRoot, options));
  txn->AddFile(MakeAdd("new.parquet"));
  auto r = txn->Commit();
  ASSERT_STATUS_CODE(kIOError, r);
  EXPECT_EQ(fs.call_count(fs::FsOp::kPutIfAbsent), 4);
  EXPECT_EQ(LivePaths(base), std::vector<std::string>{"old.parquet"});
}

}  // namespace
}  // namespace silt::delta
