#include "silt/fs/local_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "silt/base/uuid.h"

namespace silt::fs {

Status StatusFromErrno(int err, std::string_view op, std::string_view path) {
  std::string message =
      fmt::format("{} '{}': {}", op, path, std::error_code(err, std::generic_category()).message());
  switch (err) {
    case ENOENT:
      return Status(StatusCode::kNotFound, std::move(message));
    case EEXIST:
      return Status(StatusCode::kAlreadyExists, std::move(message));
    case ENOSPC:
    case EDQUOT:
      return Status(StatusCode::kResourceExhausted, std::move(message));
    default:
      return Status(StatusCode::kIOError, std::move(message));
  }
}

namespace {

// Large enough that Append of small pieces (Parquet pages, JSON lines) costs no system call.
constexpr size_t kWriteBufferSize = 64 * 1024;
// EAGAIN on a regular file is unusual (a non-blocking descriptor or a transient kernel
// condition); retry a bounded number of times so a persistent EAGAIN still surfaces as an error.
constexpr int kMaxEagainRetries = 1000;

// Runs `call` (a system call returning -1 and setting errno on failure) until it does not fail
// with EINTR or EAGAIN.
template <typename Call>
auto RetryOnInterrupt(Call call) -> decltype(call()) {
  int eagain = 0;
  for (;;) {
    auto r = call();
    if (r != -1) return r;
    if (errno == EINTR) continue;
    if (errno == EAGAIN && ++eagain < kMaxEagainRetries) continue;
    return r;
  }
}

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes and reports the error close(2) gives; on Linux the descriptor is gone either way,
  // and EINTR must not be retried.
  Status Close(std::string_view path) {
    int fd = std::exchange(fd_, -1);
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) return StatusFromErrno(errno, "close", path);
    return Status::OK();
  }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Result<Fd> OpenFd(const std::string& path, int flags, mode_t mode = 0) {
  int fd = RetryOnInterrupt([&] { return ::open(path.c_str(), flags | O_CLOEXEC, mode); });
  if (fd < 0) return StatusFromErrno(errno, "open", path);
  return Fd(fd);
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = RetryOnInterrupt([&] { return ::write(fd, data.data(), data.size()); });
    if (n < 0) return StatusFromErrno(errno, "write", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status FsyncFd(int fd, const std::string& path) {
  if (RetryOnInterrupt([&] { return ::fsync(fd); }) != 0) return StatusFromErrno(errno, "fsync", path);
  return Status::OK();
}

// The directory holding `path`, for fsync and mkdir: "." for a bare name.
std::string ParentDir(const std::string& path) {
  std::string_view parent = ParentPath(path);
  return parent.empty() ? std::string(".") : std::string(parent);
}

Status FsyncDir(const std::string& dir) {
  SILT_ASSIGN_OR_RETURN(Fd fd, OpenFd(dir, O_RDONLY | O_DIRECTORY));
  SILT_RETURN_NOT_OK(FsyncFd(fd.get(), dir));
  return fd.Close(dir);
}

Result<struct stat> Stat(const std::string& path, bool follow_links = true) {
  struct stat st {};
  int r = RetryOnInterrupt([&] {
    return follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  });
  if (r != 0) return StatusFromErrno(errno, "stat", path);
  return st;
}

FileInfo InfoFromStat(std::string path, const struct stat& st) {
  FileInfo info;
  info.path = std::move(path);
  info.is_dir = S_ISDIR(st.st_mode);
  info.size = info.is_dir ? 0 : static_cast<int64_t>(st.st_size);
  info.modification_time_ms =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  return info;
}

// mkdir -p. Every directory created is made durable by an fsync of its parent.
Status MakeDirs(const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/") return Status::OK();
  struct stat st {};
  if (RetryOnInterrupt([&] { return ::stat(dir.c_str(), &st); }) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::OK();
    return Status::AlreadyExists("mkdir '{}': exists and is not a directory", dir);
  }
  // ENOTDIR: a parent is a file, which the walk up reports as kAlreadyExists.
  if (errno != ENOENT && errno != ENOTDIR) return StatusFromErrno(errno, "stat", dir);
  std::string parent = ParentDir(dir);
  if (parent != dir) SILT_RETURN_NOT_OK(MakeDirs(parent));
  if (RetryOnInterrupt([&] { return ::mkdir(dir.c_str(), 0777); }) != 0) {
    if (errno != EEXIST) return StatusFromErrno(errno, "mkdir", dir);
    // Lost a race with another creator; fine if what it created is a directory.
    SILT_ASSIGN_OR_RETURN(struct stat now, Stat(dir));
    if (!S_ISDIR(now.st_mode)) {
      return Status::AlreadyExists("mkdir '{}': exists and is not a directory", dir);
    }
    return Status::OK();
  }
  return FsyncDir(parent);
}

// ".<name>.<uuid>.tmp" beside `path`: hidden, unique, and recognisable as junk by its suffix.
std::string TempPathFor(const std::string& path) {
  std::string name = fmt::format(".{}.{}.tmp", BaseName(path), NewUuid());
  std::string_view parent = ParentPath(path);
  return parent.empty() ? name : JoinPath(parent, name);
}

// Creates a fresh temporary file beside `path`, creating the parent directories on demand.
Result<std::pair<std::string, Fd>> CreateTempFor(const std::string& path) {
  std::string temp = TempPathFor(path);
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL;
  Result<Fd> fd = OpenFd(temp, kFlags, 0644);
  if (!fd.has_value() && fd.error().IsNotFound()) {
    SILT_RETURN_NOT_OK(MakeDirs(ParentDir(path)));
    fd = OpenFd(temp, kFlags, 0644);
  }
  if (!fd.has_value()) return fd.error();
  return std::make_pair(std::move(temp), std::move(fd).value());
}

void RemoveQuietly(const std::string& path) { ::unlink(path.c_str()); }

// Writes `data` to a new temporary file beside `path`, fsyncs and closes it.
Result<std::string> WriteDurableTemp(const std::string& path, std::string_view data) {
  SILT_ASSIGN_OR_RETURN(auto temp, CreateTempFor(path));
  auto& [temp_path, fd] = temp;
  Status st = WriteAll(fd.get(), data, temp_path);
  if (st.ok()) st = FsyncFd(fd.get(), temp_path);
  if (st.ok()) st = fd.Close(temp_path);
  if (!st.ok()) {
    fd.Reset();
    RemoveQuietly(temp_path);
    return st;
  }
  return std::move(temp_path);
}

// Reads exactly `length` bytes at `offset`, or fails naming the range. `size` is the file's
// size as last seen; only an empty read relies on it, every other read on pread(2) itself.
Result<std::string> PreadExactly(int fd, int64_t offset, int64_t length, int64_t size,
                                 const std::string& path) {
  if (offset < 0 || length < 0) {
    return Status::InvalidArgument("read '{}': negative offset {} or length {}", path, offset,
                                   length);
  }
  if (length == 0 && offset > size) {
    return Status::IOError("read '{}': offset {} is past the end of the file ({} bytes)", path,
                           offset, size);
  }
  std::string out(static_cast<size_t>(length), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = RetryOnInterrupt([&] {
      return ::pread(fd, out.data() + done, out.size() - done,
                     static_cast<off_t>(offset + static_cast<int64_t>(done)));
    });
    if (n < 0) return StatusFromErrno(errno, "read", path);
    if (n == 0) {
      return Status::IOError("read '{}': range [{}, {}) is past the end of the file ({} bytes)",
                             path, offset, offset + length, offset + static_cast<int64_t>(done));
    }
    done += static_cast<size_t>(n);
  }
  return out;
}

// Opens a regular file for reading: kNotFound when missing, kIOError for a directory.
Result<std::pair<Fd, int64_t>> OpenForRead(const std::string& posix) {
  SILT_ASSIGN_OR_RETURN(Fd fd, OpenFd(posix, O_RDONLY));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return StatusFromErrno(errno, "stat", posix);
  if (S_ISDIR(st.st_mode)) return StatusFromErrno(EISDIR, "read", posix);
  return std::make_pair(std::move(fd), static_cast<int64_t>(st.st_size));
}

class LocalRandomAccessFile final : public RandomAccessFile {
 public:
  LocalRandomAccessFile(std::string path, std::string posix, Fd fd, int64_t size)
      : path_(std::move(path)), posix_(std::move(posix)), fd_(std::move(fd)), size_(size) {}

  int64_t size() const override { return size_; }
  Result<std::string> ReadAt(int64_t offset, int64_t length) const override {
    return PreadExactly(fd_.get(), offset, length, size_, posix_);
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::string posix_;
  Fd fd_;
  int64_t size_;
};

class LocalWritableFile final : public WritableFile {
 public:
  LocalWritableFile(std::string target, std::string temp, Fd fd, bool overwrite)
      : target_(std::move(target)), temp_(std::move(temp)), fd_(std::move(fd)),
        overwrite_(overwrite) {}
  LocalWritableFile(const LocalWritableFile&) = delete;
  LocalWritableFile& operator=(const LocalWritableFile&) = delete;

  ~LocalWritableFile() override {
    if (state_ == State::kOpen) Abandon();
  }

  Status Append(std::string_view data) override {
    SILT_RETURN_NOT_OK(CheckOpen("append to"));
    if (buffer_.size() + data.size() > kWriteBufferSize) {
      SILT_RETURN_NOT_OK(Fail(Flush()));
      if (data.size() >= kWriteBufferSize) {
        SILT_RETURN_NOT_OK(Fail(WriteAll(fd_.get(), data, temp_)));
        size_ += static_cast<int64_t>(data.size());
        return Status::OK();
      }
    }
    buffer_.append(data);
    size_ += static_cast<int64_t>(data.size());
    return Status::OK();
  }

  Status Sync() override {
    SILT_RETURN_NOT_OK(CheckOpen("sync"));
    SILT_RETURN_NOT_OK(Fail(Flush()));
    SILT_RETURN_NOT_OK(Fail(FsyncFd(fd_.get(), temp_)));
    synced_ = true;
    synced_size_ = size_;
    return Status::OK();
  }

  Status Close() override {
    if (state_ == State::kClosed) return Status::OK();
    SILT_RETURN_NOT_OK(CheckOpen("close"));
    return Fail(Publish());
  }

  int64_t size() const override { return size_; }

 private:
  enum class State { kOpen, kClosed, kFailed };

  Status CheckOpen(std::string_view op) const {
    if (state_ == State::kClosed) {
      return Status::InvalidArgument("{} '{}': the file is closed", op, target_);
    }
    if (state_ == State::kFailed) {
      return Status::IOError("{} '{}': an earlier write failed; the file is abandoned", op,
                             target_);
    }
    return Status::OK();
  }

  // A failed write leaves the temporary file in an unknown state: abandon it.
  Status Fail(Status st) {
    if (!st.ok() && state_ == State::kOpen) {
      Abandon();
      state_ = State::kFailed;
    }
    return st;
  }

  void Abandon() {
    fd_.Reset();
    RemoveQuietly(temp_);
  }

  Status Flush() {
    if (buffer_.empty()) return Status::OK();
    Status st = WriteAll(fd_.get(), buffer_, temp_);
    buffer_.clear();
    return st;
  }

  Status Publish() {
    SILT_RETURN_NOT_OK(Flush());
    // Once the caller asked for durability, the published file must hold all of its bytes
    // after a crash, not only those of the last Sync().
    if (synced_ && synced_size_ < size_) SILT_RETURN_NOT_OK(FsyncFd(fd_.get(), temp_));
    SILT_RETURN_NOT_OK(fd_.Close(temp_));
    if (overwrite_) {
      if (RetryOnInterrupt([&] { return ::rename(temp_.c_str(), target_.c_str()); }) != 0) {
        return StatusFromErrno(errno, "rename", target_);
      }
    } else {
      if (RetryOnInterrupt([&] { return ::link(temp_.c_str(), target_.c_str()); }) != 0) {
        return StatusFromErrno(errno, "create", target_);
      }
      RemoveQuietly(temp_);
    }
    state_ = State::kClosed;
    if (synced_) {
      // The data is in place; a failure here means the name may not survive a crash.
      return FsyncDir(ParentDir(target_));
    }
    return Status::OK();
  }

  std::string target_;
  std::string temp_;
  Fd fd_;
  bool overwrite_;
  State state_ = State::kOpen;
  std::string buffer_;
  int64_t size_ = 0;
  bool synced_ = false;
  int64_t synced_size_ = 0;
};

// Lists `posix_dir` into `out`. `rel` is the path of posix_dir relative to the listed root
// ("" for the root itself, else ending in '/').
Status ListInto(const std::string& posix_dir, const std::string& shown_dir, const std::string& rel,
                const ListOptions& options, std::vector<FileInfo>* out) {
  DIR* d = ::opendir(posix_dir.c_str());
  if (d == nullptr) {
    // A missing directory lists as empty (object stores cannot tell it apart), and so does one
    // that vanished while a recursive listing was walking it.
    if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
    return StatusFromErrno(errno, "list", posix_dir);
  }
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    struct dirent* e = ::readdir(d);
    if (e == nullptr) break;
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  int read_errno = errno;
  ::closedir(d);
  if (read_errno != 0) return StatusFromErrno(read_errno, "list", posix_dir);

  const std::string& prefix = options.prefix;
  for (const std::string& name : names) {
    std::string entry_rel = rel + name;
    std::string entry_posix = JoinPath(posix_dir, name);
    Result<struct stat> st = Stat(entry_posix, /*follow_links=*/!options.recursive);
    if (!st.has_value()) {
      if (st.error().IsNotFound()) continue;  // deleted since readdir, or a dangling link
      return st.error();
    }
    bool is_dir = S_ISDIR(st->st_mode);
    if (options.recursive) {
      if (is_dir) {
        std::string sub = entry_rel + "/";
        // Descend only where entries matching the prefix can be.
        if (sub.starts_with(prefix) || prefix.starts_with(sub)) {
          SILT_RETURN_NOT_OK(ListInto(entry_posix, shown_dir, sub, options, out));
        }
        continue;
      }
      if (S_ISLNK(st->st_mode)) {
        // Report links to files; never walk into linked directories (cycles).
        Result<struct stat> target = Stat(entry_posix);
        if (!target.has_value() || S_ISDIR(target->st_mode)) continue;
        st = std::move(target);
      }
    }
    if (!entry_rel.starts_with(prefix)) continue;
    std::string shown = JoinPath(shown_dir, entry_rel);
    if (!options.start_after.empty() && shown <= options.start_after) continue;
    out->push_back(InfoFromStat(std::move(shown), *st));
  }
  return Status::OK();
}

Status RemoveTree(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return Status::OK();
    return StatusFromErrno(errno, "list", dir);
  }
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    struct dirent* e = ::readdir(d);
    if (e == nullptr) break;
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int read_errno = errno;
  ::closedir(d);
  if (read_errno != 0) return StatusFromErrno(read_errno, "list", dir);
  for (const std::string& name : names) {
    std::string child = JoinPath(dir, name);
    Result<struct stat> st = Stat(child, /*follow_links=*/false);
    if (!st.has_value()) {
      if (st.error().IsNotFound()) continue;
      return st.error();
    }
    if (S_ISDIR(st->st_mode)) {
      SILT_RETURN_NOT_OK(RemoveTree(child));
    } else if (::unlink(child.c_str()) != 0 && errno != ENOENT) {
      return StatusFromErrno(errno, "delete", child);
    }
  }
  if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) return StatusFromErrno(errno, "delete", dir);
  return Status::OK();
}

}  // namespace

Result<std::string> LocalPathFromUri(std::string_view path) {
  constexpr std::string_view kScheme = "file:";
  bool is_uri = path.size() >= kScheme.size();
  for (size_t i = 0; is_uri && i < kScheme.size(); ++i) {
    is_uri = std::tolower(static_cast<unsigned char>(path[i])) == kScheme[i];
  }
  // "file:x" (no slash) is not a URI but a relative path whose name contains ':'.
  if (!is_uri || path.substr(kScheme.size(), 1) != "/") return std::string(path);
  std::string_view rest = path.substr(kScheme.size());
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    std::string_view host = rest.substr(0, slash);
    if (!host.empty() && host != "localhost") {
      return Status::InvalidArgument("'{}': file URI names host '{}'; only local files are supported",
                                     path, host);
    }
    if (slash == std::string_view::npos) return std::string("/");
    rest.remove_prefix(slash);
  }
  return std::string(rest);
}

Result<std::string> LocalFileSystem::ReadFile(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  SILT_ASSIGN_OR_RETURN(auto opened, OpenForRead(posix));
  const Fd& fd = opened.first;  // not a structured binding: lambdas capture it below
  std::string out;
  out.resize(static_cast<size_t>(opened.second) + 1);
  size_t done = 0;
  for (;;) {
    if (done == out.size()) out.resize(out.size() * 2);  // the file grew since fstat
    ssize_t n =
        RetryOnInterrupt([&] { return ::read(fd.get(), out.data() + done, out.size() - done); });
    if (n < 0) return StatusFromErrno(errno, "read", posix);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

Result<std::string> LocalFileSystem::ReadRange(const std::string& path, int64_t offset,
                                               int64_t length) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  SILT_ASSIGN_OR_RETURN(auto opened, OpenForRead(posix));
  return PreadExactly(opened.first.get(), offset, length, opened.second, posix);
}

Result<std::unique_ptr<RandomAccessFile>> LocalFileSystem::OpenRandomAccess(
    const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  SILT_ASSIGN_OR_RETURN(auto opened, OpenForRead(posix));
  return std::unique_ptr<RandomAccessFile>(std::make_unique<LocalRandomAccessFile>(
      path, std::move(posix), std::move(opened.first), opened.second));
}

Result<std::unique_ptr<WritableFile>> LocalFileSystem::OpenWritable(const std::string& path,
                                                                    const WriteOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  if (!options.overwrite) {
    Result<struct stat> st = Stat(posix);
    if (st.has_value()) return Status::AlreadyExists("create '{}': the file exists", posix);
    if (!st.error().IsNotFound()) return st.error();
  }
  SILT_ASSIGN_OR_RETURN(auto temp, CreateTempFor(posix));
  return std::unique_ptr<WritableFile>(std::make_unique<LocalWritableFile>(
      std::move(posix), std::move(temp.first), std::move(temp.second), options.overwrite));
}

Status LocalFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  // Cheap early answer for the common conflict; link(2) below is what decides.
  if (::access(posix.c_str(), F_OK) == 0) {
    return Status::AlreadyExists("create '{}': the file exists", posix);
  }
  SILT_ASSIGN_OR_RETURN(std::string temp, WriteDurableTemp(posix, data));
  int r = RetryOnInterrupt([&] { return ::link(temp.c_str(), posix.c_str()); });
  int link_errno = errno;
  RemoveQuietly(temp);
  if (r != 0) return StatusFromErrno(link_errno, "create", posix);
  return FsyncDir(ParentDir(posix));
}

Status LocalFileSystem::Put(const std::string& path, std::string_view data) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  SILT_ASSIGN_OR_RETURN(std::string temp, WriteDurableTemp(posix, data));
  if (RetryOnInterrupt([&] { return ::rename(temp.c_str(), posix.c_str()); }) != 0) {
    int rename_errno = errno;
    RemoveQuietly(temp);
    return StatusFromErrno(rename_errno, "rename", posix);
  }
  return FsyncDir(ParentDir(posix));
}

Result<FileInfo> LocalFileSystem::GetFileInfo(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  SILT_ASSIGN_OR_RETURN(struct stat st, Stat(posix));
  return InfoFromStat(path, st);
}

Result<std::vector<FileInfo>> LocalFileSystem::List(const std::string& dir,
                                                    const ListOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(dir));
  std::vector<FileInfo> out;
  SILT_RETURN_NOT_OK(ListInto(posix.empty() ? std::string(".") : posix, dir, "", options, &out));
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Status LocalFileSystem::DeleteFile(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  if (RetryOnInterrupt([&] { return ::unlink(posix.c_str()); }) != 0) {
    return StatusFromErrno(errno, "delete", posix);
  }
  return Status::OK();
}

Status LocalFileSystem::DeleteDirRecursive(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  Result<struct stat> st = Stat(posix, /*follow_links=*/false);
  if (!st.has_value()) return st.error().IsNotFound() ? Status::OK() : st.error();
  if (!S_ISDIR(st->st_mode)) {
    return Status::InvalidArgument("delete directory '{}': not a directory", posix);
  }
  return RemoveTree(posix);
}

Status LocalFileSystem::CreateDir(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(std::string posix, LocalPathFromUri(path));
  return MakeDirs(std::string(StripTrailingSlashes(posix)));
}

}  // namespace silt::fs
