#include "silt/delta/log/file_list.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace silt::delta {

namespace {

constexpr size_t kFirstBlockBytes = 16 << 10;
constexpr size_t kMaxBlockBytes = 16 << 20;
constexpr size_t kHugePageBytes = 2 << 20;

// `size` bytes, to be released with std::free. Large ones are aligned to and advised as
// transparent huge pages: a large table's file list is hundreds of megabytes written once, and
// faulting it in 2 MiB at a time instead of 4 KiB is most of the cost of writing it.
void* AllocateAdvised(size_t size) {
  void* p = nullptr;
  if (size >= kHugePageBytes) {
    size = (size + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    p = std::aligned_alloc(kHugePageBytes, size);
#ifdef MADV_HUGEPAGE
    if (p != nullptr) madvise(p, size, MADV_HUGEPAGE);  // a hint: failure changes nothing
#endif
  } else {
    p = std::malloc(size == 0 ? 1 : size);
  }
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

std::shared_ptr<char> AllocateBlock(size_t size) {
  return std::shared_ptr<char>(static_cast<char*>(AllocateAdvised(size)),
                               [](char* b) { std::free(b); });
}

// The bytes of an empty string (a null value has no pointer).
constexpr char kEmpty[1] = "";

std::string_view View(const char* p, uint32_t size) { return std::string_view(p, size); }

Status TooLarge(std::string_view what, size_t size) {
  return Status::InvalidArgument("a file's {} of {} bytes is too large (at most 4 GiB - 1)", what,
                                 size);
}

}  // namespace

Add ToAdd(const AddFields& f) {
  Add add;
  add.path = std::string(f.path);
  for (const PartitionValueRef& pv : f.partition_values) {
    add.partition_values.insert_or_assign(
        std::string(pv.key), pv.value ? std::optional<std::string>(*pv.value) : std::nullopt);
  }
  add.size = f.size;
  add.modification_time = f.modification_time;
  add.data_change = f.data_change;
  if (f.stats) add.stats = std::string(*f.stats);
  if (f.extras != nullptr) {
    add.tags = f.extras->tags;
    add.deletion_vector = f.extras->deletion_vector;
    add.base_row_id = f.extras->base_row_id;
    add.default_row_commit_version = f.extras->default_row_commit_version;
    add.clustering_provider = f.extras->clustering_provider;
  }
  return add;
}

AddFields FieldsOf(const Add& add, std::vector<PartitionValueRef>& values, AddExtras& extras) {
  values.clear();
  values.reserve(add.partition_values.size());
  for (const auto& [k, v] : add.partition_values) {
    values.push_back({k, v ? std::optional<std::string_view>(*v) : std::nullopt});
  }
  extras = AddExtras{add.tags, add.deletion_vector, add.base_row_id,
                     add.default_row_commit_version, add.clustering_provider};
  AddFields f;
  f.path = add.path;
  f.partition_values = values;
  f.size = add.size;
  f.modification_time = add.modification_time;
  f.data_change = add.data_change;
  if (add.stats) f.stats = *add.stats;
  f.extras = &extras;
  return f;
}

// FileRef

std::string_view FileRef::path() const {
  const auto& r = list_->records_[index_];
  return View(r.path, r.path_size);
}

int64_t FileRef::size() const { return list_->records_[index_].size; }

int64_t FileRef::modification_time() const {
  return list_->records_[index_].modification_time;
}

bool FileRef::data_change() const { return list_->records_[index_].data_change; }

std::optional<std::string_view> FileRef::stats() const {
  const auto& r = list_->records_[index_];
  if (r.stats == nullptr) return std::nullopt;
  return View(r.stats, r.stats_size);
}

size_t FileRef::num_partition_values() const {
  return list_->records_[index_].partition_count;
}

std::string_view FileRef::partition_key(size_t i) const {
  const auto& r = list_->records_[index_];
  return list_->keys_[list_->partition_entries_[r.partition_begin + i].key];
}

std::optional<std::string_view> FileRef::partition_value(size_t i) const {
  const auto& r = list_->records_[index_];
  const auto& e = list_->partition_entries_[r.partition_begin + i];
  if (e.value == nullptr) return std::nullopt;
  return View(e.value, e.value_size);
}

std::optional<std::optional<std::string_view>> FileRef::FindPartitionValue(
    std::string_view key) const {
  // The last one wins, as when the values become a map (ToAdd).
  for (size_t i = num_partition_values(); i-- > 0;) {
    if (partition_key(i) == key) return partition_value(i);
  }
  return std::nullopt;
}

const AddExtras& FileRef::extras() const {
  static const AddExtras kNone;
  const uint32_t e = list_->records_[index_].extras;
  return e == FileList::kNoExtras ? kNone : list_->extras_[e];
}

std::string FileRef::dv_unique_id() const {
  const auto& dv = deletion_vector();
  return dv ? dv->UniqueId() : std::string();
}

AddFields FileRef::Fields(std::vector<PartitionValueRef>& values, AddExtras& extras) const {
  values.resize(num_partition_values());
  for (size_t i = 0; i < values.size(); ++i) values[i] = {partition_key(i), partition_value(i)};
  extras = this->extras();
  AddFields f;
  f.path = path();
  f.partition_values = values;
  f.size = size();
  f.modification_time = modification_time();
  f.data_change = data_change();
  f.stats = stats();
  f.extras = &extras;
  return f;
}

Add FileRef::ToAdd() const {
  std::vector<PartitionValueRef> values;
  AddExtras extras;
  return delta::ToAdd(Fields(values, extras));
}

std::ostream& operator<<(std::ostream& os, const FileRef& file) {
  return os << "FileRef(" << file.path() << ")";
}

// FileList

void* FileList::AllocateBytes(size_t bytes) { return AllocateAdvised(bytes); }

FileList::FileList(const FileList& other)
    : records_(other.records_),
      partition_entries_(other.partition_entries_),
      keys_(other.keys_),
      key_ids_(other.key_ids_),
      extras_(other.extras_),
      blocks_(other.blocks_),
      next_block_size_(other.next_block_size_),
      key_hints_(other.key_hints_) {
  // block_next_ stays null: `other` may still write into the free end of its block.
}

FileList& FileList::operator=(const FileList& other) {
  if (this != &other) *this = FileList(other);
  return *this;
}

void FileList::Reserve(size_t files) {
  // Several checkpoint parts may each announce theirs: keep the growth geometric.
  if (files > records_.capacity()) records_.reserve(std::max(files, 2 * records_.capacity()));
}

const char* FileList::Store(std::string_view bytes) {
  if (bytes.empty()) return kEmpty;
  if (bytes.size() > block_left_) {
    if (next_block_size_ == 0) next_block_size_ = kFirstBlockBytes;
    const size_t size = std::max(next_block_size_, bytes.size());
    next_block_size_ = std::min(2 * next_block_size_, kMaxBlockBytes);
    std::shared_ptr<char> block = AllocateBlock(size);
    block_next_ = block.get();
    block_left_ = size;
    blocks_.push_back(std::move(block));
  }
  char* at = block_next_;
  std::memcpy(at, bytes.data(), bytes.size());
  block_next_ += bytes.size();
  block_left_ -= bytes.size();
  return at;
}

uint32_t FileList::KeyId(std::string_view key, size_t position) {
  // Every file of a table has the same partition columns, mostly in the same order.
  if (position < key_hints_.size() && keys_[key_hints_[position]] == key) {
    return key_hints_[position];
  }
  const uint32_t id = InternKey(key);
  if (position >= key_hints_.size()) key_hints_.resize(position + 1);
  key_hints_[position] = id;
  return id;
}

uint32_t FileList::InternKey(std::string_view key) {
  if (auto it = key_ids_.find(key); it != key_ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(keys_.size());
  keys_.emplace_back(key);
  key_ids_.emplace(std::string(key), id);
  return id;
}

void FileList::HoldBytes(std::shared_ptr<const void> owner) {
  if (owner != nullptr) blocks_.push_back(std::move(owner));
}

Status FileList::Append(const AddFields& fields) { return Append(fields, /*copy=*/true); }

Status FileList::AppendViews(const AddFields& fields) { return Append(fields, /*copy=*/false); }

Status FileList::Append(const AddFields& f, bool copy) {
  // A null pointer means no stats or a null value, so an empty string needs a non-null one.
  auto place = [&](std::string_view bytes) {
    return copy ? Store(bytes) : bytes.empty() ? kEmpty : bytes.data();
  };
  if (f.path.size() >= UINT32_MAX) return TooLarge("path", f.path.size());
  if (f.stats && f.stats->size() >= UINT32_MAX) return TooLarge("stats", f.stats->size());
  if (f.partition_values.size() > UINT16_MAX) {
    return Status::InvalidArgument("a file with {} partition values (at most {})",
                                   f.partition_values.size(), UINT16_MAX);
  }
  for (const PartitionValueRef& pv : f.partition_values) {
    if (pv.value && pv.value->size() >= UINT32_MAX) {
      return TooLarge("partition value", pv.value->size());
    }
  }
  if (partition_entries_.size() + f.partition_values.size() >= UINT32_MAX ||
      extras_.size() >= kNoExtras) {
    return Status::InvalidArgument("too many files for one file list");
  }
  Record r;
  r.path = place(f.path);
  r.path_size = static_cast<uint32_t>(f.path.size());
  r.stats = f.stats ? place(*f.stats) : nullptr;
  r.stats_size = f.stats ? static_cast<uint32_t>(f.stats->size()) : 0;
  r.size = f.size;
  r.modification_time = f.modification_time;
  r.partition_begin = static_cast<uint32_t>(partition_entries_.size());
  r.partition_count = static_cast<uint16_t>(f.partition_values.size());
  r.data_change = f.data_change;
  for (size_t i = 0; i < f.partition_values.size(); ++i) {
    const PartitionValueRef& pv = f.partition_values[i];
    PartitionEntry e;
    e.key = KeyId(pv.key, i);
    e.value = pv.value ? place(*pv.value) : nullptr;
    e.value_size = pv.value ? static_cast<uint32_t>(pv.value->size()) : 0;
    partition_entries_.push_back(e);
  }
  r.extras = kNoExtras;
  if (f.extras != nullptr && !f.extras->empty()) {
    r.extras = static_cast<uint32_t>(extras_.size());
    extras_.push_back(std::move(*f.extras));
  }
  records_.push_back(r);
  return Status::OK();
}

Status FileList::Append(const Add& add) {
  std::vector<PartitionValueRef> values;
  AddExtras extras;
  return Append(FieldsOf(add, values, extras));
}

Status FileList::Append(const FileRef& file) {
  std::vector<PartitionValueRef> values;
  AddExtras extras;
  return Append(file.Fields(values, extras));
}

void FileList::AppendShared(const FileList& other, size_t i) {
  Record r = other.records_[i];
  const uint32_t begin = r.partition_begin;
  r.partition_begin = static_cast<uint32_t>(partition_entries_.size());
  for (uint32_t j = 0; j < r.partition_count; ++j) {
    PartitionEntry e = other.partition_entries_[begin + j];
    e.key = KeyId(other.keys_[e.key], j);
    partition_entries_.push_back(e);
  }
  if (r.extras != kNoExtras) {
    const uint32_t e = r.extras;
    r.extras = static_cast<uint32_t>(extras_.size());
    extras_.push_back(other.extras_[e]);
  }
  records_.push_back(r);
}

Result<FileList> FileList::Concat(std::vector<FileList> lists) {
  size_t records = 0, entries = 0, extras = 0;
  for (const FileList& list : lists) {
    records += list.records_.size();
    entries += list.partition_entries_.size();
    extras += list.extras_.size();
  }
  if (entries >= UINT32_MAX || extras >= kNoExtras) {
    return Status::InvalidArgument("too many files for one file list");
  }
  // One list with files (as when replay found no commit files after a one-part checkpoint):
  // that list itself.
  auto with_files = [](const FileList& list) { return !list.empty(); };
  if (std::count_if(lists.begin(), lists.end(), with_files) <= 1) {
    auto it = std::find_if(lists.begin(), lists.end(), with_files);
    return it == lists.end() ? FileList() : std::move(*it);
  }
  FileList out;
  out.records_.reserve(records);
  out.partition_entries_.reserve(entries);
  out.extras_.reserve(extras);
  for (FileList& list : lists) {
    const auto entry_base = static_cast<uint32_t>(out.partition_entries_.size());
    std::vector<uint32_t> key_map(list.keys_.size());
    for (size_t k = 0; k < key_map.size(); ++k) key_map[k] = out.InternKey(list.keys_[k]);
    for (PartitionEntry e : list.partition_entries_) {
      e.key = key_map[e.key];
      out.partition_entries_.push_back(e);
    }
    const auto extras_base = static_cast<uint32_t>(out.extras_.size());
    for (Record r : list.records_) {
      r.partition_begin += entry_base;
      if (r.extras != kNoExtras) r.extras += extras_base;
      out.records_.push_back(r);
    }
    for (AddExtras& x : list.extras_) out.extras_.push_back(std::move(x));
    // The list's blocks, its partly filled last one included, are only read from now on.
    for (auto& block : list.blocks_) out.blocks_.push_back(std::move(block));
  }
  return out;
}

Result<FileList> FileList::Merge(const FileList& base,
                                 const std::function<Result<bool>(const FileRef&)>& drop,
                                 const FileList& fresh) {
  FileList out;
  out.blocks_ = base.blocks_;
  out.keys_ = base.keys_;
  out.key_ids_ = base.key_ids_;
  out.records_.reserve(base.size() + fresh.size());
  out.partition_entries_.reserve(base.partition_entries_.size());
  for (size_t i = 0; i < base.size(); ++i) {
    SILT_ASSIGN_OR_RETURN(bool skip, drop(base[i]));
    if (!skip) out.AppendShared(base, i);
  }
  for (const FileRef f : fresh) SILT_RETURN_NOT_OK(out.Append(f));
  return out;
}

std::vector<Add> FileList::ToVector() const {
  std::vector<Add> out;
  out.reserve(size());
  for (const FileRef f : *this) out.push_back(f.ToAdd());
  return out;
}

bool operator==(const FileList& a, const FileList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].ToAdd() != b[i].ToAdd()) return false;
  }
  return true;
}

}  // namespace silt::delta
