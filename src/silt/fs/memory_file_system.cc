#include "silt/fs/memory_file_system.h"

#include <algorithm>
#include <utility>

#include "silt/base/time.h"

namespace silt::fs {
namespace {

constexpr std::string_view kScheme = "memory://";

// "a/b/c" -> {"a", "a/b"}: the directories that must exist for "a/b/c".
std::vector<std::string> Ancestors(const std::string& key) {
  std::vector<std::string> out;
  for (size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
    out.push_back(key.substr(0, slash));
  }
  return out;
}

Result<std::string> ReadSlice(const std::string& data, int64_t offset, int64_t length,
                              std::string_view path) {
  if (offset < 0 || length < 0) {
    return Status::InvalidArgument("read '{}': negative offset {} or length {}", path, offset,
                                   length);
  }
  int64_t size = static_cast<int64_t>(data.size());
  if (offset > size || length > size - offset) {
    return Status::IOError("read '{}': range [{}, {}) is past the end of the file ({} bytes)",
                           path, offset, offset + length, size);
  }
  return data.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
}

class MemoryRandomAccessFile final : public RandomAccessFile {
 public:
  MemoryRandomAccessFile(std::string path, std::shared_ptr<const std::string> data)
      : path_(std::move(path)), data_(std::move(data)) {}
  int64_t size() const override { return static_cast<int64_t>(data_->size()); }
  Result<std::string> ReadAt(int64_t offset, int64_t length) const override {
    return ReadSlice(*data_, offset, length, path_);
  }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::shared_ptr<const std::string> data_;
};

}  // namespace

// Buffers the bytes and publishes them on Close(). Must not outlive its MemoryFileSystem.
class MemoryFileSystem::Writable final : public WritableFile {
 public:
  Writable(MemoryFileSystem* fs, std::string path, std::string key, bool overwrite)
      : fs_(fs), path_(std::move(path)), key_(std::move(key)), overwrite_(overwrite) {}

  Status Append(std::string_view data) override {
    SILT_RETURN_NOT_OK(CheckOpen("append to"));
    data_.append(data);
    return Status::OK();
  }
  Status Sync() override { return CheckOpen("sync"); }
  Status Close() override {
    if (state_ == State::kClosed) return Status::OK();
    SILT_RETURN_NOT_OK(CheckOpen("close"));
    std::lock_guard<std::mutex> lock(fs_->mu_);
    Status st = fs_->StoreLocked(path_, key_, std::make_shared<const std::string>(std::move(data_)),
                                 /*must_be_absent=*/!overwrite_);
    state_ = st.ok() ? State::kClosed : State::kFailed;
    return st;
  }
  int64_t size() const override { return static_cast<int64_t>(data_.size()); }

 private:
  enum class State { kOpen, kClosed, kFailed };
  Status CheckOpen(std::string_view op) const {
    if (state_ == State::kClosed) {
      return Status::InvalidArgument("{} '{}': the file is closed", op, path_);
    }
    if (state_ == State::kFailed) {
      return Status::IOError("{} '{}': an earlier write failed; the file is abandoned", op, path_);
    }
    return Status::OK();
  }

  MemoryFileSystem* fs_;
  std::string path_;
  std::string key_;
  bool overwrite_;
  State state_ = State::kOpen;
  std::string data_;
};

MemoryFileSystem::MemoryFileSystem(std::function<int64_t()> clock) : clock_(std::move(clock)) {}
MemoryFileSystem::~MemoryFileSystem() = default;

void MemoryFileSystem::SetClock(std::function<int64_t()> clock) {
  std::lock_guard<std::mutex> lock(mu_);
  clock_ = std::move(clock);
}

int64_t MemoryFileSystem::Now() const { return clock_ ? clock_() : NowMillis(); }

std::string MemoryFileSystem::Key(std::string_view path) {
  if (path.starts_with(kScheme)) path.remove_prefix(kScheme.size());
  std::string key;
  key.reserve(path.size());
  for (char c : path) {
    if (c == '/' && (key.empty() || key.back() == '/')) continue;
    key.push_back(c);
  }
  if (!key.empty() && key.back() == '/') key.pop_back();
  return key;
}

bool MemoryFileSystem::IsDirLocked(const std::string& key) const {
  return key.empty() || dirs_.contains(key);
}

Result<std::shared_ptr<const std::string>> MemoryFileSystem::GetData(
    const std::string& path) const {
  std::string key = Key(path);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(key);
  if (it != files_.end()) return it->second.data;
  if (IsDirLocked(key)) return Status::IOError("read '{}': is a directory", path);
  return Status::NotFound("read '{}': no such file", path);
}

Status MemoryFileSystem::StoreLocked(const std::string& path, const std::string& key,
                                     std::shared_ptr<const std::string> data,
                                     bool must_be_absent) {
  if (key.empty()) return Status::InvalidArgument("write '{}': the root is a directory", path);
  bool exists = files_.contains(key);
  if (IsDirLocked(key)) {
    if (must_be_absent) return Status::AlreadyExists("create '{}': a directory exists", path);
    return Status::IOError("write '{}': is a directory", path);
  }
  if (exists && must_be_absent) return Status::AlreadyExists("create '{}': the file exists", path);
  std::vector<std::string> parents = Ancestors(key);
  for (const std::string& parent : parents) {
    if (files_.contains(parent)) {
      return Status::IOError("write '{}': '{}' is a file, not a directory", path, parent);
    }
  }
  int64_t now = Now();
  for (const std::string& parent : parents) dirs_.emplace(parent, now);
  files_[key] = File{std::move(data), now};
  return Status::OK();
}

Result<std::string> MemoryFileSystem::ReadFile(const std::string& path) {
  SILT_ASSIGN_OR_RETURN(auto data, GetData(path));
  return *data;
}

Result<std::string> MemoryFileSystem::ReadRange(const std::string& path, int64_t offset,
                                                int64_t length) {
  SILT_ASSIGN_OR_RETURN(auto data, GetData(path));
  return ReadSlice(*data, offset, length, path);
}

Result<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::OpenRandomAccess(
    const std::string& path) {
  SILT_ASSIGN_OR_RETURN(auto data, GetData(path));
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<MemoryRandomAccessFile>(path, std::move(data)));
}

Result<std::unique_ptr<WritableFile>> MemoryFileSystem::OpenWritable(const std::string& path,
                                                                     const WriteOptions& options) {
  std::string key = Key(path);
  if (key.empty()) return Status::InvalidArgument("write '{}': the root is a directory", path);
  if (!options.overwrite) {
    std::lock_guard<std::mutex> lock(mu_);
    if (files_.contains(key) || IsDirLocked(key)) {
      return Status::AlreadyExists("create '{}': the file exists", path);
    }
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<Writable>(this, path, std::move(key), options.overwrite));
}

Status MemoryFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  auto bytes = std::make_shared<const std::string>(data);
  std::string key = Key(path);
  std::lock_guard<std::mutex> lock(mu_);
  return StoreLocked(path, key, std::move(bytes), /*must_be_absent=*/true);
}

Status MemoryFileSystem::Put(const std::string& path, std::string_view data) {
  auto bytes = std::make_shared<const std::string>(data);
  std::string key = Key(path);
  std::lock_guard<std::mutex> lock(mu_);
  return StoreLocked(path, key, std::move(bytes), /*must_be_absent=*/false);
}

Result<FileInfo> MemoryFileSystem::GetFileInfo(const std::string& path) {
  std::string key = Key(path);
  std::lock_guard<std::mutex> lock(mu_);
  FileInfo info;
  info.path = path;
  if (auto it = files_.find(key); it != files_.end()) {
    info.size = static_cast<int64_t>(it->second.data->size());
    info.modification_time_ms = it->second.modification_time_ms;
    return info;
  }
  if (key.empty()) {
    info.is_dir = true;
    return info;
  }
  if (auto it = dirs_.find(key); it != dirs_.end()) {
    info.is_dir = true;
    info.modification_time_ms = it->second;
    return info;
  }
  return Status::NotFound("stat '{}': no such file or directory", path);
}

Result<std::vector<FileInfo>> MemoryFileSystem::List(const std::string& dir,
                                                     const ListOptions& options) {
  std::string key = Key(dir);
  std::string base = key.empty() ? key : key + "/";
  std::vector<FileInfo> out;
  auto add = [&](std::string_view rel, int64_t size, int64_t mtime, bool is_dir) {
    if (!rel.starts_with(options.prefix)) return;
    std::string shown = JoinPath(dir, rel);
    if (!options.start_after.empty() && shown <= options.start_after) return;
    out.push_back(FileInfo{std::move(shown), size, mtime, is_dir});
  };
  std::lock_guard<std::mutex> lock(mu_);
  if (!IsDirLocked(key)) return out;
  for (auto it = files_.lower_bound(base); it != files_.end() && it->first.starts_with(base);
       ++it) {
    std::string_view rel = std::string_view(it->first).substr(base.size());
    if (!options.recursive && rel.find('/') != std::string_view::npos) continue;
    add(rel, static_cast<int64_t>(it->second.data->size()), it->second.modification_time_ms,
        false);
  }
  if (!options.recursive) {
    for (auto it = dirs_.lower_bound(base); it != dirs_.end() && it->first.starts_with(base);
         ++it) {
      std::string_view rel = std::string_view(it->first).substr(base.size());
      if (rel.find('/') != std::string_view::npos) continue;
      add(rel, 0, it->second, true);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Status MemoryFileSystem::DeleteFile(const std::string& path) {
  std::string key = Key(path);
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.erase(key) == 1) return Status::OK();
  if (IsDirLocked(key)) return Status::IOError("delete '{}': is a directory", path);
  return Status::NotFound("delete '{}': no such file", path);
}

Status MemoryFileSystem::DeleteDirRecursive(const std::string& path) {
  std::string key = Key(path);
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.contains(key)) {
    return Status::InvalidArgument("delete directory '{}': not a directory", path);
  }
  if (key.empty()) {
    files_.clear();
    dirs_.clear();
    return Status::OK();
  }
  std::string base = key + "/";
  files_.erase(files_.lower_bound(base),
               std::find_if(files_.lower_bound(base), files_.end(),
                            [&](const auto& e) { return !e.first.starts_with(base); }));
  dirs_.erase(dirs_.lower_bound(base),
              std::find_if(dirs_.lower_bound(base), dirs_.end(),
                           [&](const auto& e) { return !e.first.starts_with(base); }));
  dirs_.erase(key);
  return Status::OK();
}

Status MemoryFileSystem::CreateDir(const std::string& path) {
  std::string key = Key(path);
  if (key.empty()) return Status::OK();
  std::vector<std::string> dirs = Ancestors(key);
  dirs.push_back(key);
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& d : dirs) {
    if (files_.contains(d)) {
      return Status::AlreadyExists("mkdir '{}': '{}' is a file, not a directory", path, d);
    }
  }
  int64_t now = Now();
  for (const std::string& d : dirs) dirs_.emplace(d, now);
  return Status::OK();
}

}  // namespace silt::fs
