// Buffer: a ref-counted, immutable span of bytes backing array data (Arrow's Buffer).
// MutableBuffer: a 64-byte aligned allocation that a producer (a builder, the Parquet decoder)
// writes into directly and then hands to an array without copying.
//
// Lifetime: a Buffer keeps its memory alive through shared ownership; slices and wrapped
// foreign memory keep their parent/owner alive. Once a MutableBuffer is wrapped in an array it
// must not be written any more (arrays are immutable and may be shared across threads).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

#include "silt/base/result.h"

namespace silt::columnar {

inline constexpr int64_t kBufferAlignment = 64;

class Buffer {
 public:
  virtual ~Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const uint8_t* data() const { return data_; }
  int64_t size() const { return size_; }

  // Typed view of the whole buffer. Precondition: data() is aligned for T.
  template <typename T>
  const T* data_as() const { return reinterpret_cast<const T*>(data_); }
  template <typename T>
  std::span<const T> span_as() const {
    return {data_as<T>(), static_cast<size_t>(size_ / static_cast<int64_t>(sizeof(T)))};
  }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data_), static_cast<size_t>(size_)};
  }

  // Wraps memory owned by someone else; `owner` is kept alive as long as the buffer (and its
  // slices) are. `owner` may be null for static memory.
  static std::shared_ptr<Buffer> Wrap(const void* data, int64_t size,
                                      std::shared_ptr<const void> owner);
  // A zero-copy sub-range. Precondition: 0 <= offset, offset + length <= parent->size().
  static std::shared_ptr<Buffer> Slice(std::shared_ptr<const Buffer> parent, int64_t offset,
                                       int64_t length);
  // A new aligned buffer holding a copy of the bytes.
  static Result<std::shared_ptr<Buffer>> CopyOf(const void* data, int64_t size);
  // An empty (size 0) buffer with a valid, aligned, non-null data pointer.
  static std::shared_ptr<Buffer> Empty();
  // `size` zero bytes, aligned. Up to a few megabytes they are views of one read-only region
  // of the process, backed by the system's shared zero page: no memory is written or held
  // for them (arrays of nulls are mostly such bytes). Errors as MutableBuffer::Allocate.
  static Result<std::shared_ptr<Buffer>> Zeros(int64_t size);

 protected:
  Buffer(const uint8_t* data, int64_t size) : data_(data), size_(size) {}
  const uint8_t* data_;
  int64_t size_;
};

using BufferPtr = std::shared_ptr<Buffer>;

// Owns a 64-byte aligned allocation whose capacity is a multiple of 64 bytes. Bytes past size()
// up to capacity() are zeroed on allocation, so padding never leaks garbage into exports.
class MutableBuffer final : public Buffer {
 public:
  // kResourceExhausted if the allocation fails or size exceeds 512 GiB (a corrupt size), and
  // kInvalidArgument if size < 0.
  // The first `size` bytes are NOT initialized unless zero_fill.
  static Result<std::shared_ptr<MutableBuffer>> Allocate(int64_t size, bool zero_fill = false);
  ~MutableBuffer() override;

  uint8_t* mutable_data() { return const_cast<uint8_t*>(data_); }
  template <typename T>
  T* mutable_data_as() { return reinterpret_cast<T*>(mutable_data()); }
  int64_t capacity() const { return capacity_; }

  // Changes size(), reallocating (and copying) when it exceeds capacity(). Growing keeps the
  // old bytes; new bytes are zero. Shrinking never reallocates.
  Status Resize(int64_t new_size);
  // Ensures capacity() >= min_capacity, growing geometrically. Keeps the first size() bytes;
  // the rest of the new capacity is zero.
  Status Reserve(int64_t min_capacity);
  // Sets size() without touching any byte, for a producer that wrote the bytes itself.
  // Precondition: 0 <= size <= capacity() (SILT_DCHECK).
  void SetSize(int64_t size);

 private:
  MutableBuffer(uint8_t* data, int64_t size, int64_t capacity)
      : Buffer(data, size), capacity_(capacity) {}
  int64_t capacity_;
};

using MutableBufferPtr = std::shared_ptr<MutableBuffer>;

}  // namespace silt::columnar
