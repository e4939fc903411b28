// The live files of a snapshot, stored by column (PROTOCOL.md "Add File and Remove File";
// digest §4): one fixed-size record per file, with its path, stats and partition values copied
// into a few large shared byte blocks instead of one `Add` (and its strings and map nodes) per
// file. A table of a million files is a few hundred megabytes of sequential bytes instead of
// millions of small allocations, and loading it writes little fresh memory.
//
// Files are read through FileRef, a view; FileRef::ToAdd gives a whole `Add` where one is
// wanted. Copies of a FileList share its bytes. Not thread-safe to modify; a FileList nobody
// modifies may be read from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"

namespace silt::delta {

// A partition value as views: the column's key and its value (std::nullopt for null).
struct PartitionValueRef {
  std::string_view key;
  std::optional<std::string_view> value;
};

// The fields of an add that most files leave unset.
struct AddExtras {
  StringMap tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;

  bool empty() const {
    return tags.empty() && !deletion_vector && !base_row_id && !default_row_commit_version &&
           !clustering_provider;
  }
  bool operator==(const AddExtras&) const = default;
};

// An add to append, as views of strings that live elsewhere (FileList::Append copies them).
struct AddFields {
  std::string_view path;
  std::span<const PartitionValueRef> partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;
  bool data_change = true;
  std::optional<std::string_view> stats;
  // May be moved from; nullptr (or empty) for none.
  AddExtras* extras = nullptr;
};

// The Add that `fields` describe (extras copied).
Add ToAdd(const AddFields& fields);
// `add` as AddFields: views of its strings, its partition values in `values` and its rarely
// set fields copied to `extras` (the caller's, to outlive the result).
AddFields FieldsOf(const Add& add, std::vector<PartitionValueRef>& values, AddExtras& extras);

class FileList;

// One file of a FileList. Valid while the list it came from is alive and unmodified.
class FileRef {
 public:
  std::string_view path() const;
  int64_t size() const;
  int64_t modification_time() const;
  bool data_change() const;
  std::optional<std::string_view> stats() const;
  size_t num_partition_values() const;
  std::string_view partition_key(size_t i) const;
  std::optional<std::string_view> partition_value(size_t i) const;
  // The value of partition column `key`: std::nullopt when the file has no such key, else its
  // value (itself std::nullopt for null). Keys compare exactly.
  std::optional<std::optional<std::string_view>> FindPartitionValue(std::string_view key) const;
  const AddExtras& extras() const;
  const std::optional<DeletionVectorDescriptor>& deletion_vector() const {
    return extras().deletion_vector;
  }
  // The deletion vector's unique id, "" without one.
  std::string dv_unique_id() const;
  // The file as AddFields viewing this list's bytes; `values` and `extras` (the caller's, to
  // outlive the result) receive its partition values and a copy of its rarely set fields.
  AddFields Fields(std::vector<PartitionValueRef>& values, AddExtras& extras) const;

  // The whole add (copies its strings). Explicit on purpose: an implicit conversion would let
  // `for (const Add& a : list)` compile, and a pointer to such an `a` outlives it.
  Add ToAdd() const;

  size_t index() const { return index_; }

 private:
  friend class FileList;
  FileRef(const FileList* list, size_t index) : list_(list), index_(index) {}

  const FileList* list_;
  size_t index_;
};

class FileList {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = FileRef;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = FileRef;

    Iterator() = default;
    FileRef operator*() const { return FileRef(list_, index_); }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++index_;
      return old;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    friend class FileList;
    Iterator(const FileList* list, size_t index) : list_(list), index_(index) {}
    const FileList* list_ = nullptr;
    size_t index_ = 0;
  };
  using const_iterator = Iterator;
  using iterator = Iterator;
  using value_type = FileRef;

  FileList() = default;
  // A copy shares the bytes of `other` (they are never modified once written).
  FileList(const FileList& other);
  FileList& operator=(const FileList& other);
  FileList(FileList&&) noexcept = default;
  FileList& operator=(FileList&&) noexcept = default;
  ~FileList() = default;

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  FileRef operator[](size_t i) const { return FileRef(this, i); }
  FileRef front() const { return FileRef(this, 0); }
  FileRef back() const { return FileRef(this, records_.size() - 1); }
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, records_.size()); }

  // Room for `files` records in all (strings are stored in blocks that never move).
  void Reserve(size_t files);
  // Appends a file, copying its strings. kInvalidArgument for a path, stats or partition value
  // of 4 GiB or more, or more than 65,535 partition values.
  Status Append(const AddFields& fields);
  Status Append(const Add& add);
  // Appends a file of another list (or this one), copying its bytes.
  Status Append(const FileRef& file);

  // Keeps `owner` alive as long as this list or a copy of it is: strings in memory it owns can
  // then be appended without copying them (AppendViews). A checkpoint's decoded columns are
  // held this way instead of copying their hundreds of megabytes of paths and stats.
  void HoldBytes(std::shared_ptr<const void> owner);
  // As Append(fields), but the path, stats and partition values are not copied: they must lie
  // in memory owned by something given to HoldBytes, and never change.
  Status AppendViews(const AddFields& fields);

  // The files of all `lists` in one list, in that order. Their bytes move along (not copied).
  // kInvalidArgument when the list would grow past its limits (4G partition values or extras).
  static Result<FileList> Concat(std::vector<FileList> lists);

  // The files of `base` that `drop` rejects, then those of `fresh`, each in its order; shares
  // base's bytes. drop's error is returned.
  static Result<FileList> Merge(const FileList& base,
                                const std::function<Result<bool>(const FileRef&)>& drop,
                                const FileList& fresh);

  std::vector<Add> ToVector() const;
  // Same files (as Adds) in the same order.
  friend bool operator==(const FileList& a, const FileList& b);

 private:
  friend class FileRef;

  struct Record {
    const char* path;
    const char* stats;  // nullptr: no stats
    int64_t size;
    int64_t modification_time;
    uint32_t path_size;
    uint32_t stats_size;
    uint32_t partition_begin;  // into partition_entries_
    uint32_t extras;           // into extras_, or kNoExtras
    uint16_t partition_count;
    bool data_change;
  };
  struct PartitionEntry {
    const char* value;  // nullptr: null
    uint32_t value_size;
    uint32_t key;  // into keys_
  };
  static constexpr uint32_t kNoExtras = UINT32_MAX;

  Status Append(const AddFields& fields, bool copy);
  // Copies `bytes` into the current block (a new one when it is full); returns where.
  const char* Store(std::string_view bytes);
  uint32_t KeyId(std::string_view key, size_t position);
  uint32_t InternKey(std::string_view key);
  // Appends file `i` of `other`, whose blocks this list holds: no bytes are copied.
  void AppendShared(const FileList& other, size_t i);

  // Large arrays here are huge-page advised too (see file_list.cc).
  template <typename T>
  struct HugePageAllocator {
    using value_type = T;
    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT(google-explicit-constructor)
    T* allocate(size_t n) { return static_cast<T*>(AllocateBytes(n * sizeof(T))); }
    void deallocate(T* p, size_t) { std::free(p); }
    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const {
      return true;
    }
  };
  static void* AllocateBytes(size_t bytes);

  std::vector<Record, HugePageAllocator<Record>> records_;
  std::vector<PartitionEntry, HugePageAllocator<PartitionEntry>> partition_entries_;
  std::vector<std::string> keys_;
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  std::unordered_map<std::string, uint32_t, KeyHash, std::equal_to<>> key_ids_;
  std::vector<AddExtras> extras_;
  // The owners of the bytes this list's records point into: its blocks (some shared with other
  // lists) and what HoldBytes was given. New bytes go to block_next_, in a block only this list
  // writes to.
  std::vector<std::shared_ptr<const void>> blocks_;
  char* block_next_ = nullptr;
  size_t block_left_ = 0;
  size_t next_block_size_ = 0;
  // The key of the previous file's partition value at each position, a guess for the next.
  std::vector<uint32_t> key_hints_;
};

// Gtest and logs: the file's path.
std::ostream& operator<<(std::ostream& os, const FileRef& file);

}  // namespace silt::delta
