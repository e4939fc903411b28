#include "silt/fs/fault_injection_file_system.h"

#include <algorithm>
#include <utility>

namespace silt::fs {

std::string_view FsOpName(FsOp op) {
  switch (op) {
    case FsOp::kReadFile: return "ReadFile";
    case FsOp::kReadRange: return "ReadRange";
    case FsOp::kOpenRandomAccess: return "OpenRandomAccess";
    case FsOp::kReadAt: return "ReadAt";
    case FsOp::kOpenWritable: return "OpenWritable";
    case FsOp::kAppend: return "Append";
    case FsOp::kSync: return "Sync";
    case FsOp::kClose: return "Close";
    case FsOp::kPutIfAbsent: return "PutIfAbsent";
    case FsOp::kPut: return "Put";
    case FsOp::kGetFileInfo: return "GetFileInfo";
    case FsOp::kList: return "List";
    case FsOp::kDeleteFile: return "DeleteFile";
    case FsOp::kDeleteDirRecursive: return "DeleteDirRecursive";
    case FsOp::kCreateDir: return "CreateDir";
  }
  return "?";
}

// What a Writable shares with SimulateCrash, which may abandon it from another thread.
struct FaultInjectionFileSystem::WriterState {
  std::mutex mu;
  std::unique_ptr<WritableFile> file;  // null once closed, failed or crashed
  std::string path;
  bool crashed = false;
  int64_t size = 0;  // bytes appended
  bool synced = false;
  int64_t synced_size = 0;
};

class FaultInjectionFileSystem::Writable final : public WritableFile {
 public:
  Writable(FaultInjectionFileSystem* fs, std::shared_ptr<WriterState> state)
      : fs_(fs), state_(std::move(state)) {}

  ~Writable() override {
    std::lock_guard<std::mutex> lock(fs_->mu_);
    auto& writers = fs_->open_writers_;
    writers.erase(std::remove(writers.begin(), writers.end(), state_), writers.end());
  }

  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> lock(state_->mu);
    SILT_RETURN_NOT_OK(CheckUsable("append to"));
    SILT_RETURN_NOT_OK(fs_->Enter(FsOp::kAppend, state_->path));
    SILT_RETURN_NOT_OK(state_->file->Append(data));
    state_->size += static_cast<int64_t>(data.size());
    return Status::OK();
  }

  Status Sync() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    SILT_RETURN_NOT_OK(CheckUsable("sync"));
    SILT_RETURN_NOT_OK(fs_->Enter(FsOp::kSync, state_->path));
    SILT_RETURN_NOT_OK(state_->file->Sync());
    state_->synced = true;
    state_->synced_size = state_->size;
    return Status::OK();
  }

  Status Close() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (closed_) return Status::OK();
    SILT_RETURN_NOT_OK(CheckUsable("close"));
    const std::string& path = state_->path;
    // An injected Close failure abandons the file, as a real failed close may.
    Status st = fs_->Enter(FsOp::kClose, path);
    if (!st.ok()) {
      state_->file.reset();
      return st;
    }
    bool durable = state_->synced && state_->synced_size == state_->size;
    std::optional<std::string> previous;
    bool need_previous = false;
    if (!durable) {
      {
        std::lock_guard<std::mutex> fs_lock(fs_->mu_);
        need_previous = !fs_->unsynced_.contains(path);
      }
      // Only the content the crash would fall back to matters: the durable one, which is the
      // content before the first not-durable close.
      if (need_previous) {
        Result<std::string> old = fs_->target_.ReadFile(path);
        if (old.has_value()) previous = std::move(old).value();
      }
    }
    st = state_->file->Close();
    state_->file.reset();
    if (!st.ok()) return st;
    closed_ = true;
    std::lock_guard<std::mutex> fs_lock(fs_->mu_);
    if (durable) {
      fs_->unsynced_.erase(path);
    } else {
      auto [it, inserted] = fs_->unsynced_.try_emplace(path);
      if (inserted) it->second.previous = std::move(previous);
      it->second.synced = state_->synced;
      it->second.synced_size = state_->synced_size;
    }
    return Status::OK();
  }

  int64_t size() const override {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->size;
  }

 private:
  Status CheckUsable(std::string_view op) {
    if (state_->crashed) {
      return Status::IOError("{} '{}': abandoned by a simulated crash", op, state_->path);
    }
    if (closed_) return Status::InvalidArgument("{} '{}': the file is closed", op, state_->path);
    if (!state_->file) {
      return Status::IOError("{} '{}': an earlier close failed; the file is abandoned", op,
                             state_->path);
    }
    return Status::OK();
  }

  FaultInjectionFileSystem* fs_;
  std::shared_ptr<WriterState> state_;
  bool closed_ = false;
};

class FaultInjectionFileSystem::RandomAccess final : public RandomAccessFile {
 public:
  RandomAccess(FaultInjectionFileSystem* fs, std::unique_ptr<RandomAccessFile> file)
      : fs_(fs), file_(std::move(file)) {}
  int64_t size() const override { return file_->size(); }
  Result<std::string> ReadAt(int64_t offset, int64_t length) const override {
    SILT_RETURN_NOT_OK(fs_->Enter(FsOp::kReadAt, file_->path()));
    return file_->ReadAt(offset, length);
  }
  const std::string& path() const override { return file_->path(); }

 private:
  FaultInjectionFileSystem* fs_;
  std::unique_ptr<RandomAccessFile> file_;
};

FaultInjectionFileSystem::FaultInjectionFileSystem(FileSystem& target) : target_(target) {}
FaultInjectionFileSystem::~FaultInjectionFileSystem() = default;

void FaultInjectionFileSystem::FailNthCall(FsOp op, int64_t n, Status error) {
  if (error.ok()) error = Status::IOError("injected fault");
  std::lock_guard<std::mutex> lock(mu_);
  size_t i = static_cast<size_t>(op);
  faults_[i].fail_at = n > 0 ? counts_[i] + n : 0;
  faults_[i].error = std::move(error);
}

void FaultInjectionFileSystem::FailAllCalls(FsOp op, Status error) {
  if (error.ok()) error = Status::IOError("injected fault");
  std::lock_guard<std::mutex> lock(mu_);
  size_t i = static_cast<size_t>(op);
  faults_[i].fail_all = true;
  faults_[i].error = std::move(error);
}

void FaultInjectionFileSystem::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_ = {};
}

int64_t FaultInjectionFileSystem::call_count(FsOp op) const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_[static_cast<size_t>(op)];
}

int64_t FaultInjectionFileSystem::injected_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return injected_failures_;
}

void FaultInjectionFileSystem::ResetCallCounts() {
  std::lock_guard<std::mutex> lock(mu_);
  // Pending n-th-call faults keep their distance to the next call.
  for (size_t i = 0; i < kNumFsOps; ++i) {
    if (faults_[i].fail_at > 0) faults_[i].fail_at -= counts_[i];
  }
  counts_ = {};
  injected_failures_ = 0;
}

Status FaultInjectionFileSystem::Enter(FsOp op, std::string_view path) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t i = static_cast<size_t>(op);
  int64_t count = ++counts_[i];
  Fault& fault = faults_[i];
  bool fire = fault.fail_all || (fault.fail_at > 0 && count == fault.fail_at);
  if (!fire) return Status::OK();
  if (!fault.fail_all) fault.fail_at = 0;
  ++injected_failures_;
  return fault.error.WithContext(fmt::format("{} '{}'", FsOpName(op), path));
}

void FaultInjectionFileSystem::Forget(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  unsynced_.erase(path);
}

void FaultInjectionFileSystem::ForgetBelow(const std::string& dir) {
  std::string base = dir;
  if (!base.empty() && base.back() != '/') base.push_back('/');
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(unsynced_, [&](const auto& e) { return e.first.starts_with(base); });
}

Result<std::string> FaultInjectionFileSystem::ReadFile(const std::string& path) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kReadFile, path));
  return target_.ReadFile(path);
}

Result<std::string> FaultInjectionFileSystem::ReadRange(const std::string& path, int64_t offset,
                                                        int64_t length) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kReadRange, path));
  return target_.ReadRange(path, offset, length);
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectionFileSystem::OpenRandomAccess(
    const std::string& path) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kOpenRandomAccess, path));
  SILT_ASSIGN_OR_RETURN(auto file, target_.OpenRandomAccess(path));
  return std::unique_ptr<RandomAccessFile>(std::make_unique<RandomAccess>(this, std::move(file)));
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::OpenWritable(
    const std::string& path, const WriteOptions& options) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kOpenWritable, path));
  SILT_ASSIGN_OR_RETURN(auto file, target_.OpenWritable(path, options));
  auto state = std::make_shared<WriterState>();
  state->file = std::move(file);
  state->path = path;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_writers_.push_back(state);
  }
  return std::unique_ptr<WritableFile>(std::make_unique<Writable>(this, std::move(state)));
}

Status FaultInjectionFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kPutIfAbsent, path));
  SILT_RETURN_NOT_OK(target_.PutIfAbsent(path, data));
  Forget(path);
  return Status::OK();
}

Status FaultInjectionFileSystem::Put(const std::string& path, std::string_view data) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kPut, path));
  SILT_RETURN_NOT_OK(target_.Put(path, data));
  Forget(path);
  return Status::OK();
}

Result<FileInfo> FaultInjectionFileSystem::GetFileInfo(const std::string& path) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kGetFileInfo, path));
  return target_.GetFileInfo(path);
}

Result<std::vector<FileInfo>> FaultInjectionFileSystem::List(const std::string& dir,
                                                             const ListOptions& options) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kList, dir));
  return target_.List(dir, options);
}

Status FaultInjectionFileSystem::DeleteFile(const std::string& path) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kDeleteFile, path));
  SILT_RETURN_NOT_OK(target_.DeleteFile(path));
  Forget(path);
  return Status::OK();
}

Status FaultInjectionFileSystem::DeleteDirRecursive(const std::string& path) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kDeleteDirRecursive, path));
  SILT_RETURN_NOT_OK(target_.DeleteDirRecursive(path));
  ForgetBelow(path);
  return Status::OK();
}

Status FaultInjectionFileSystem::CreateDir(const std::string& path) {
  SILT_RETURN_NOT_OK(Enter(FsOp::kCreateDir, path));
  return target_.CreateDir(path);
}

Status FaultInjectionFileSystem::SimulateCrash() {
  std::vector<std::shared_ptr<WriterState>> writers;
  std::map<std::string, Unsynced> unsynced;
  {
    std::lock_guard<std::mutex> lock(mu_);
    writers.swap(open_writers_);
    unsynced.swap(unsynced_);
  }
  // The dead process's open files: destroying them abandons them without publishing.
  for (const auto& w : writers) {
    std::lock_guard<std::mutex> lock(w->mu);
    w->crashed = true;
    w->file.reset();
  }
  // Roll closed-but-not-durable files back to what the disk is guaranteed to hold.
  Status first_error;
  auto note = [&](Status st) {
    if (!st.ok() && first_error.ok()) first_error = std::move(st);
  };
  for (auto& [path, u] : unsynced) {
    if (u.synced) {
      Result<std::string> now = target_.ReadFile(path);
      if (!now.has_value()) {
        if (!now.error().IsNotFound()) note(now.error());
        continue;
      }
      if (static_cast<int64_t>(now->size()) > u.synced_size) {
        note(target_.Put(path, std::string_view(*now).substr(0, static_cast<size_t>(u.synced_size))));
      }
    } else if (u.previous.has_value()) {
      note(target_.Put(path, *u.previous));
    } else {
      Status st = target_.DeleteFile(path);
      if (!st.IsNotFound()) note(std::move(st));
    }
  }
  return first_error;
}

}  // namespace silt::fs
