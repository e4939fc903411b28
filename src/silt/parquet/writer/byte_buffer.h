// A growable byte buffer for the writer's page data: unlike std::string, making room does not
// zero the new bytes, so a codec can compress straight into it.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace silt::parquet::writer {

// Not thread-safe. Pointers from Reserve() stay valid until the next Reserve() or Append().
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  // Room for `n` more bytes after size(): returns where they start (uninitialized). Commit()
  // then adds the bytes actually written.
  char* Reserve(size_t n) {
    if (capacity_ - size_ < n) Grow(size_ + n);
    return data_.get() + size_;
  }
  void Commit(size_t n) { size_ += n; }

  void Append(std::string_view bytes) {
    if (bytes.empty()) return;
    std::memcpy(Reserve(bytes.size()), bytes.data(), bytes.size());
    size_ += bytes.size();
  }

  // Keeps the capacity.
  void Clear() { size_ = 0; }

  size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }
  std::string_view view(size_t offset, size_t length) const {
    return {data_.get() + offset, length};
  }

 private:
  void Grow(size_t needed) {
    size_t capacity = capacity_ < 4096 ? 4096 : capacity_ * 2;
    if (capacity < needed) capacity = needed;
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace silt::parquet::writer
