// MemoryFileSystem: the FileSystem contract (file_system.h) on an in-process map, for tests and
// for "memory://" tables. Everything is "durable" the moment a call returns OK; there is no
// crash to survive (wrap it in a FaultInjectionFileSystem to model one).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/fs/file_system.h"

namespace silt::fs {

// Paths: an optional "memory://" prefix, then '/'-separated names. Leading, trailing and
// repeated slashes do not matter: "memory://t/a", "/t/a", "t//a/" name the same file, and ""
// or "/" is the root. Paths are otherwise taken verbatim; List() reports entries as
// "<dir as passed>/<name>".
//
// Directories behave as on a local disk: writing a file creates its parent directories,
// CreateDir creates an empty one, and they stay when their files are deleted.
//
// Thread-safe. A RandomAccessFile reads the content as of its opening; a WritableFile publishes
// its bytes on Close() (Sync() has nothing to do).
class MemoryFileSystem final : public FileSystem {
 public:
  // Modification times come from `clock` (milliseconds since the epoch); wall time when empty.
  // The clock is called with the file system's lock held: it must not call back into it.
  explicit MemoryFileSystem(std::function<int64_t()> clock = {});
  MemoryFileSystem(const MemoryFileSystem&) = delete;
  MemoryFileSystem& operator=(const MemoryFileSystem&) = delete;
  ~MemoryFileSystem() override;

  // Replaces the clock used for modification times from now on (empty: wall time).
  void SetClock(std::function<int64_t()> clock);

  std::string_view name() const override { return "memory"; }

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
  // kInvalidArgument when `path` is a file.
  Status DeleteDirRecursive(const std::string& path) override;
  // kAlreadyExists when `path` or one of its parents is a file.
  Status CreateDir(const std::string& path) override;

  // The normalised key of `path` ("memory://a//b/" -> "a/b").
  static std::string Key(std::string_view path);

 private:
  class Writable;
  struct File {
    std::shared_ptr<const std::string> data;
    int64_t modification_time_ms = 0;
  };

  int64_t Now() const;  // requires mu_
  Result<std::shared_ptr<const std::string>> GetData(const std::string& path) const;
  // Stores a file; requires mu_. `must_be_absent` makes an existing entry kAlreadyExists.
  Status StoreLocked(const std::string& path, const std::string& key,
                     std::shared_ptr<const std::string> data, bool must_be_absent);
  bool IsDirLocked(const std::string& key) const;

  mutable std::mutex mu_;
  std::function<int64_t()> clock_;
  std::map<std::string, File> files_;
  // Every directory that exists, except the root "", with its creation time.
  std::map<std::string, int64_t> dirs_;
};

}  // namespace silt::fs
