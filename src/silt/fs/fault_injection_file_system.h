// FaultInjectionFileSystem: wraps another FileSystem to test crash consistency (leveldb's
// fault_injection_test is the model). It can
//   (a) fail the n-th call of an operation kind, or every call of a kind, with a chosen Status,
//       and counts calls per kind so a test can enumerate "fail at every write step";
//   (b) SimulateCrash(): drop what the FileSystem contract does not promise to be durable.
//
// Typical "fail at every step" loop:
//   FaultInjectionFileSystem probe(base);  RunScenario(probe);   // counts the calls
//   for (FsOp op : kMutatingFsOps)
//     for (int64_t n = 1; n <= probe.call_count(op); ++n) {
//       MemoryFileSystem base;  FaultInjectionFileSystem fs(base);
//       fs.FailNthCall(op, n);  RunScenario(fs);                  // must fail cleanly
//       ASSERT_OK(fs.SimulateCrash());  CheckRecovers(fs);        // the restarted process
//     }
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/fs/file_system.h"

namespace silt::fs {

// One kind per FileSystem method, plus the methods of the files it opens.
enum class FsOp : uint8_t {
  kReadFile,
  kReadRange,
  kOpenRandomAccess,
  kReadAt,  // RandomAccessFile::ReadAt
  kOpenWritable,
  kAppend,  // WritableFile::Append
  kSync,    // WritableFile::Sync
  kClose,   // WritableFile::Close
  kPutIfAbsent,
  kPut,
  kGetFileInfo,
  kList,
  kDeleteFile,
  kDeleteDirRecursive,
  kCreateDir,
};
inline constexpr size_t kNumFsOps = 15;

// The kinds that change what is stored.
inline constexpr std::array<FsOp, 9> kMutatingFsOps = {
    FsOp::kOpenWritable, FsOp::kAppend,     FsOp::kSync,
    FsOp::kClose,        FsOp::kPutIfAbsent, FsOp::kPut,
    FsOp::kDeleteFile,   FsOp::kDeleteDirRecursive, FsOp::kCreateDir};

// "ReadFile", "Append", ...
std::string_view FsOpName(FsOp op);

// Thread-safe, like every FileSystem. Files opened through it must not outlive it.
class FaultInjectionFileSystem final : public FileSystem {
 public:
  // `target` must outlive this object. Nothing is armed: calls pass through unchanged.
  explicit FaultInjectionFileSystem(FileSystem& target);
  ~FaultInjectionFileSystem() override;
  FaultInjectionFileSystem(const FaultInjectionFileSystem&) = delete;
  FaultInjectionFileSystem& operator=(const FaultInjectionFileSystem&) = delete;

  std::string_view name() const override { return "fault_injection"; }
  FileSystem& target() { return target_; }

  // The FileSystem methods: count, maybe fail, else forward to the target.
  Result<std::string> ReadFile(const std::string& path) override;
  Result<std::string> ReadRange(const std::string& path, int64_t offset,
                                int64_t length) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                     const WriteOptions& options = {}) override;
  Status PutIfAbsent(const std::string& path, std::string_view data) override;
  Status Put(const std::string& path, std::string_view data) override;
  Result<FileInfo> GetFileInfo(const std::string& path) override;
  Result<std::vector<FileInfo>> List(const std::string& dir,
                                     const ListOptions& options = {}) override;
  Status DeleteFile(const std::string& path) override;
  Status DeleteDirRecursive(const std::string& path) override;
  Status CreateDir(const std::string& path) override;

  // --- Faults. A failed call does not reach the target. Its status is `error` with context
  // naming the operation and path ("Put 'a/b': injected fault"); code and retryable() are kept.

  // The n-th call of `op` counted from now (n = 1: the very next one) fails. One pending
  // n-th-call fault per kind; arming again replaces it.
  void FailNthCall(FsOp op, int64_t n, Status error = Status::IOError("injected fault"));
  // Every call of `op` from now on fails, until ClearFaults().
  void FailAllCalls(FsOp op, Status error = Status::IOError("injected fault"));
  // Disarms every fault (SimulateCrash does not: faults belong to the disk, not the process).
  void ClearFaults();

  // Calls of `op` since construction or ResetCallCounts(), failed ones included.
  int64_t call_count(FsOp op) const;
  // Calls that an armed fault made fail.
  int64_t injected_failures() const;
  void ResetCallCounts();

  // --- Crash. Drops everything not durable by contract, as if the machine lost power now and
  // the process restarted:
  //  - files being written (OpenWritable, not yet closed) are abandoned: nothing is published,
  //    and their handles fail with kIOError from now on;
  //  - a file closed without any Sync() is removed, or its previous content restored when the
  //    close replaced a file;
  //  - a file closed after a Sync() keeps the bytes of its last Sync() (later bytes are lost);
  //  - PutIfAbsent/Put results stay (durable on OK), as does anything written to the target
  //    before it was wrapped.
  // Deletions are kept. Bookkeeping is by path as passed, so write one file through one
  // spelling of its path. Afterwards new calls work normally (the restarted process).
  Status SimulateCrash();

 private:
  class Writable;
  class RandomAccess;
  struct WriterState;
  // A file published by a Close() that the contract does not make (fully) durable.
  struct Unsynced {
    std::optional<std::string> previous;  // content before the close, nullopt when absent
    bool synced = false;                  // Sync() was called: keep `synced_size` bytes
    int64_t synced_size = 0;
  };
  struct Fault {
    int64_t fail_at = 0;  // fail when the call count reaches this (0: disarmed)
    bool fail_all = false;
    Status error;
  };

  // Counts a call and returns the injected error when a fault fires, else OK.
  Status Enter(FsOp op, std::string_view path);
  void Forget(const std::string& path);  // a durable write or a delete replaced `path`
  void ForgetBelow(const std::string& dir);

  FileSystem& target_;
  mutable std::mutex mu_;
  std::array<int64_t, kNumFsOps> counts_{};
  std::array<Fault, kNumFsOps> faults_{};
  int64_t injected_failures_ = 0;
  std::vector<std::shared_ptr<WriterState>> open_writers_;
  std::map<std::string, Unsynced> unsynced_;
};

}  // namespace silt::fs
