// FileSystem: the one seam through which silt reads and writes bytes (leveldb's Env).
// The Parquet, Delta and stream modules take a FileSystem& and never call POSIX, libcurl or any
// other I/O directly; this is what lets the tests inject faults and the engine run on object
// stores. The contract below is what every implementation (local, memory, fault-injecting, and
// later S3 and Azure) guarantees; tests/fs/file_system_conformance holds it to that.
//
// Paths are '/'-separated strings. An implementation may accept a URI form too (LocalFileSystem
// takes "file:///a/b" as "/a/b"). Directories are implicit on object stores: CreateDir may be a
// no-op, and a file can be written under a directory that was never created.
//
// Thread safety: every method of a FileSystem may be called concurrently from many threads.
// A RandomAccessFile may be read concurrently; a WritableFile is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"

namespace silt::fs {

struct FileInfo {
  std::string path;  // as the caller would pass it back to this FileSystem
  int64_t size = 0;  // bytes; 0 for directories
  int64_t modification_time_ms = 0;  // milliseconds since the Unix epoch
  bool is_dir = false;
};

struct ListOptions {
  // Only entries whose name (the part after "<dir>/") starts with this. When recursive, the
  // name is the whole path below `dir` ("part=1/f.parquet" matches the prefix "part=1/").
  std::string prefix;
  // Only entries whose full path sorts strictly after this full path (S3's StartAfter).
  std::string start_after;
  // Descend into sub-directories; only files are returned then (no directory entries).
  bool recursive = false;
};

// A file opened for positional reads.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Size in bytes, as of opening.
  virtual int64_t size() const = 0;
  // Reads exactly `length` bytes at `offset`. A range past the end of the file is kIOError
  // (callers check ranges against size() first and report kCorruption themselves); a negative
  // offset or length is kInvalidArgument. Reads see the content as of opening, even if the
  // path is replaced meanwhile (Put, a closed WritableFile).
  virtual Result<std::string> ReadAt(int64_t offset, int64_t length) const = 0;
  virtual const std::string& path() const = 0;
};

// A file being written front to back. Nothing is guaranteed visible at the path until Close()
// returns OK; a file whose Close() failed or was never called may be absent or partial, and
// must not be relied on. Sync() makes the bytes appended so far durable; Close() after Sync()
// also makes the file's name durable. Destroying an unclosed file abandons it: nothing appears
// at the path and an existing file there is left untouched. Close() on a closed file is OK;
// Append() or Sync() after Close() is kInvalidArgument. After a failed call the file may be
// abandoned (later calls then fail): start over with a new file rather than retry.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  // Bytes appended so far.
  virtual int64_t size() const = 0;
};

struct WriteOptions {
  // When false, opening a path that exists fails with kAlreadyExists (checked at open; a
  // concurrent writer can still win, use PutIfAbsent where that matters).
  bool overwrite = true;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // A short name for messages and metrics: "local", "memory", "s3", ...
  virtual std::string_view name() const = 0;

  // Whole file. kNotFound when missing.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Exactly `length` bytes at `offset`. kNotFound when missing; kIOError past the end;
  // kInvalidArgument for a negative offset or length.
  virtual Result<std::string> ReadRange(const std::string& path, int64_t offset,
                                        int64_t length) = 0;
  // kNotFound when missing.
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) = 0;

  // See WritableFile. Parent directories are created as needed.
  virtual Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                             const WriteOptions& options = {}) = 0;

  // Atomically creates `path` with `data` if and only if nothing exists at `path`.
  // Exactly one of any number of concurrent callers for the same path gets OK; the others get
  // kAlreadyExists, and their bytes are never visible, not even partially. On OK the file and
  // its name are durable. This is the Delta commit primitive.
  virtual Status PutIfAbsent(const std::string& path, std::string_view data) = 0;

  // Atomically replaces (or creates) `path` with `data`: readers see the old or the new
  // content, never a mix. Durable on OK.
  virtual Status Put(const std::string& path, std::string_view data) = 0;

  // kNotFound when nothing is at `path`.
  virtual Result<FileInfo> GetFileInfo(const std::string& path) = 0;

  // Entries below directory `dir`, sorted by path (byte order). A missing directory, or a path
  // that is a file, lists as empty (object stores cannot tell it apart). Each FileInfo::path is
  // JoinPath(dir as passed, name). Nothing is filtered out: hidden and temporary files are
  // listed too; deciding what is junk is the caller's business.
  virtual Result<std::vector<FileInfo>> List(const std::string& dir,
                                             const ListOptions& options = {}) = 0;

  // kNotFound when missing.
  virtual Status DeleteFile(const std::string& path) = 0;
  // Removes a directory and everything below it; OK when it does not exist; kInvalidArgument
  // when `path` is a file.
  virtual Status DeleteDirRecursive(const std::string& path) = 0;
  // Creates a directory and its parents; OK when it exists already; kAlreadyExists when `path`
  // or one of its parents is a file.
  virtual Status CreateDir(const std::string& path) = 0;

  // Convenience: GetFileInfo that maps kNotFound to false.
  Result<bool> Exists(const std::string& path);
};

// "a/b//" -> "a/b"; a lone "/" stays.
std::string_view StripTrailingSlashes(std::string_view path);
// "a" + "b" -> "a/b", without doubling or dropping the separator.
std::string JoinPath(std::string_view base, std::string_view name);
// "a/b/c" -> "a/b"; "c" -> "".
std::string_view ParentPath(std::string_view path);
// "a/b/c" -> "c".
std::string_view BaseName(std::string_view path);

}  // namespace silt::fs
