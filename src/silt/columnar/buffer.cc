#include "silt/columnar/buffer.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>

#include "silt/base/macros.h"

namespace silt::columnar {

namespace {

class ForeignBuffer final : public Buffer {
 public:
  ForeignBuffer(const uint8_t* data, int64_t size, std::shared_ptr<const void> owner)
      : Buffer(data, size), owner_(std::move(owner)) {}

 private:
  std::shared_ptr<const void> owner_;
};

int64_t RoundUpToAlignment(int64_t n) {
  return (n + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
}

// Capacity is never 0 so that data() is never null.
Result<uint8_t*> AlignedAllocate(int64_t capacity) {
  void* p = std::aligned_alloc(kBufferAlignment, static_cast<size_t>(capacity));
  if (p == nullptr) {
    return Status::ResourceExhausted("failed to allocate {} bytes", capacity);
  }
  return static_cast<uint8_t*>(p);
}

// No single buffer is larger than 512 GiB: a bigger request comes from corrupt sizes, and is
// refused with an error instead of reaching the allocator (which may abort under sanitizers).
constexpr int64_t kMaxBufferSize = int64_t{1} << 39;

}  // namespace

std::shared_ptr<Buffer> Buffer::Wrap(const void* data, int64_t size,
                                     std::shared_ptr<const void> owner) {
  return std::make_shared<ForeignBuffer>(static_cast<const uint8_t*>(data), size,
                                         std::move(owner));
}

std::shared_ptr<Buffer> Buffer::Slice(std::shared_ptr<const Buffer> parent, int64_t offset,
                                      int64_t length) {
  SILT_DCHECK(offset >= 0 && length >= 0 && offset + length <= parent->size());
  const uint8_t* data = parent->data() + offset;
  return std::make_shared<ForeignBuffer>(data, length, std::move(parent));
}

Result<std::shared_ptr<Buffer>> Buffer::CopyOf(const void* data, int64_t size) {
  SILT_ASSIGN_OR_RETURN(auto buffer, MutableBuffer::Allocate(size));
  if (size > 0) std::memcpy(buffer->mutable_data(), data, static_cast<size_t>(size));
  return std::shared_ptr<Buffer>(std::move(buffer));
}

Result<std::shared_ptr<Buffer>> Buffer::Zeros(int64_t size) {
  // Reserved once and never written: reading its pages maps the shared zero page.
  static constexpr int64_t kSharedBytes = int64_t{8} << 20;
  static const void* const shared = [] {
    void* p = mmap(nullptr, static_cast<size_t>(kSharedBytes), PROT_READ,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }();
  if (shared != nullptr && size >= 0 && size <= kSharedBytes) return Wrap(shared, size, nullptr);
  SILT_ASSIGN_OR_RETURN(auto buffer, MutableBuffer::Allocate(size, /*zero_fill=*/true));
  return std::shared_ptr<Buffer>(std::move(buffer));
}

std::shared_ptr<Buffer> Buffer::Empty() {
  alignas(kBufferAlignment) static const uint8_t kZeros[kBufferAlignment] = {};
  static const std::shared_ptr<Buffer> instance = Wrap(kZeros, 0, nullptr);
  return instance;
}

Result<std::shared_ptr<MutableBuffer>> MutableBuffer::Allocate(int64_t size, bool zero_fill) {
  if (size < 0) return Status::InvalidArgument("invalid buffer size {}", size);
  if (size > kMaxBufferSize) {
    return Status::ResourceExhausted("buffer of {} bytes exceeds the {} byte limit", size,
                                     kMaxBufferSize);
  }
  int64_t capacity = std::max<int64_t>(RoundUpToAlignment(size), kBufferAlignment);
  SILT_ASSIGN_OR_RETURN(uint8_t * data, AlignedAllocate(capacity));
  // Zero the padding (and everything if asked) so no uninitialized bytes are ever exported.
  int64_t zero_from = zero_fill ? 0 : size;
  std::memset(data + zero_from, 0, static_cast<size_t>(capacity - zero_from));
  return std::shared_ptr<MutableBuffer>(new MutableBuffer(data, size, capacity));
}

MutableBuffer::~MutableBuffer() { std::free(const_cast<uint8_t*>(data_)); }

Status MutableBuffer::Reserve(int64_t min_capacity) {
  if (min_capacity <= capacity_) return Status::OK();
  if (min_capacity > kMaxBufferSize) {
    return Status::ResourceExhausted("buffer of {} bytes exceeds the {} byte limit",
                                     min_capacity, kMaxBufferSize);
  }
  int64_t new_capacity = RoundUpToAlignment(std::max(min_capacity, capacity_ * 2));
  SILT_ASSIGN_OR_RETURN(uint8_t * data, AlignedAllocate(new_capacity));
  std::memcpy(data, data_, static_cast<size_t>(size_));
  std::memset(data + size_, 0, static_cast<size_t>(new_capacity - size_));
  std::free(const_cast<uint8_t*>(data_));
  data_ = data;
  capacity_ = new_capacity;
  return Status::OK();
}

void MutableBuffer::SetSize(int64_t size) {
  SILT_DCHECK(size >= 0 && size <= capacity_);
  size_ = size;
}

Status MutableBuffer::Resize(int64_t new_size) {
  if (new_size < 0) return Status::InvalidArgument("invalid buffer size {}", new_size);
  if (new_size > capacity_) SILT_RETURN_NOT_OK(Reserve(new_size));
  if (new_size > size_) {
    std::memset(mutable_data() + size_, 0, static_cast<size_t>(new_size - size_));
  }
  size_ = new_size;
  return Status::OK();
}

}  // namespace silt::columnar
