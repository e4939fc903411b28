// LocalFileSystem: the FileSystem contract (file_system.h) on a POSIX file system.
// Durability comes from fsync of the file and of its parent directory; PutIfAbsent is atomic
// through link(2), which fails with EEXIST when the name is taken; Put and the publish step of
// a WritableFile go through rename(2). Temporary files live next to their target and are named
// ".<target name>.<uuid>.tmp", so a crash leaves only hidden "*.tmp" junk that log listing skips.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/fs/file_system.h"

namespace silt::fs {

class LocalFileSystem final : public FileSystem {
 public:
  LocalFileSystem() = default;
  LocalFileSystem(const LocalFileSystem&) = delete;
  LocalFileSystem& operator=(const LocalFileSystem&) = delete;

  std::string_view name() const override { return "local"; }

  // Paths are plain POSIX paths (absolute or relative to the working directory) or "file:" URIs:
  // "file:///a/b", "file:/a/b" and "file://localhost/a/b" all mean "/a/b". The rest of a URI is
  // taken verbatim (no percent-decoding), so a path returned by List() round-trips unchanged.
  // A "file://<host>/..." URI naming another host is kInvalidArgument.
  //
  // Errors: ENOENT -> kNotFound, EEXIST -> kAlreadyExists, ENOSPC/EDQUOT -> kResourceExhausted,
  // everything else kIOError; EINTR/EAGAIN are retried internally. Messages name the operation,
  // the path and the system's description of the error.

  Result<std::string> ReadFile(const std::string& path) override;
  Result<std::string> ReadRange(const std::string& path, int64_t offset,
                                int64_t length) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override;

  // Writes to a hidden temporary file beside `path`; Close() publishes it with rename(2)
  // (overwrite) or link(2) (no overwrite, so a concurrent creator makes Close() fail with
  // kAlreadyExists). Sync() fsyncs the temporary file. Close() after a Sync() fsyncs any bytes
  // appended since, then the parent directory after publishing. A file never synced is
  // published without any fsync (cheap scratch files).
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path,
                                                     const WriteOptions& options = {}) override;

  // Temporary file + fsync + link(2) + unlink(temporary) + fsync(parent directory).
  Status PutIfAbsent(const std::string& path, std::string_view data) override;
  // Temporary file + fsync + rename(2) + fsync(parent directory).
  Status Put(const std::string& path, std::string_view data) override;

  // Follows symbolic links.
  Result<FileInfo> GetFileInfo(const std::string& path) override;
  // Lists with readdir and sorts; entries are reported as found (including hidden and
  // temporary files), except "." and ".." and dangling symbolic links. A recursive listing
  // reports links to files but does not descend into links to directories (no cycles).
  Result<std::vector<FileInfo>> List(const std::string& dir,
                                     const ListOptions& options = {}) override;

  Status DeleteFile(const std::string& path) override;
  // Does not follow symbolic links: a link below `path` is removed, not its target.
  // kInvalidArgument when `path` is a file.
  Status DeleteDirRecursive(const std::string& path) override;
  // mkdir -p; each directory it creates is made durable (fsync of its parent).
  // kAlreadyExists when `path` or one of its parents is a file.
  Status CreateDir(const std::string& path) override;
};

// The Status for a failed system call: "<op> '<path>': <strerror>", coded as LocalFileSystem
// documents (ENOENT -> kNotFound, EEXIST -> kAlreadyExists, ENOSPC/EDQUOT ->
// kResourceExhausted, else kIOError).
Status StatusFromErrno(int err, std::string_view op, std::string_view path);

// Resolves a LocalFileSystem path argument ("file:" URI or plain path) to a POSIX path.
Result<std::string> LocalPathFromUri(std::string_view path);

}  // namespace silt::fs
