#include "silt/parquet/encoding/decoder.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

#include "silt/parquet/encoding/byte_stream_split.h"
#include "silt/parquet/encoding/delta_binary_packed.h"
#include "silt/parquet/encoding/delta_byte_array.h"
#include "silt/parquet/encoding/delta_length_byte_array.h"
#include "silt/parquet/encoding/plain.h"
#include "silt/parquet/encoding/rle_boolean.h"

namespace silt::parquet {

ByteData::ByteData(ByteData&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

ByteData& ByteData::operator=(ByteData&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

ByteData::~ByteData() { std::free(data_); }

void ByteData::reserve(size_t capacity) {
  if (capacity <= capacity_) return;
  capacity = std::max(capacity, 2 * capacity_);
  void* grown = std::realloc(data_, capacity);
  if (grown == nullptr) throw std::bad_alloc();
  data_ = static_cast<uint8_t*>(grown);
  capacity_ = capacity;
}

void ByteData::resize(size_t size) {
  reserve(size);
  size_ = size;
}

void ByteData::append(const uint8_t* bytes, size_t length) {
  if (length == 0) return;
  reserve(size_ + length);
  std::memcpy(data_ + size_, bytes, length);
  size_ += length;
}

columnar::BufferPtr ByteData::Release() {
  if (size_ == 0) {
    clear();
    return columnar::Buffer::Empty();
  }
  // Give back the unused end: in place for large blocks (which shrink by unmapping pages).
  if (void* shrunk = std::realloc(data_, size_); shrunk != nullptr) {
    data_ = static_cast<uint8_t*>(shrunk);
  }
  uint8_t* bytes = std::exchange(data_, nullptr);
  const auto size = static_cast<int64_t>(std::exchange(size_, 0));
  capacity_ = 0;
  std::shared_ptr<const void> owner(bytes, [](const void* p) { std::free(const_cast<void*>(p)); });
  return columnar::Buffer::Wrap(bytes, size, std::move(owner));
}

Status ByteArrayBuffer::Append(const uint8_t* bytes, int64_t length) {
  int64_t end = static_cast<int64_t>(data.size()) + length;
  if (end > std::numeric_limits<int32_t>::max()) {
    return Status::ResourceExhausted(
        "byte array values exceed 2 GiB in one buffer (int32 offsets)");
  }
  data.append(bytes, static_cast<size_t>(length));
  offsets.push_back(static_cast<int32_t>(end));
  return Status::OK();
}

Status ValueDecoder::NotSupported(std::string_view type) const {
  return Status::Unsupported("encoding {} cannot decode {} values", EncodingName(encoding()),
                             type);
}

Status ValueDecoder::CheckCount(int64_t n, int64_t left, Encoding encoding) {
  if (n < 0 || n > left) {
    return Status::Corruption("{} page: {} values requested but only {} remain in the page",
                              EncodingName(encoding), n, left);
  }
  return Status::OK();
}

Status ValueDecoder::DecodeBooleans(uint8_t*, int64_t) { return NotSupported("BOOLEAN"); }
Status ValueDecoder::DecodeInt32(int32_t*, int64_t) { return NotSupported("INT32"); }
Status ValueDecoder::DecodeInt64(int64_t*, int64_t) { return NotSupported("INT64"); }
Status ValueDecoder::DecodeInt96(Int96*, int64_t) { return NotSupported("INT96"); }
Status ValueDecoder::DecodeFloat(float*, int64_t) { return NotSupported("FLOAT"); }
Status ValueDecoder::DecodeDouble(double*, int64_t) { return NotSupported("DOUBLE"); }
Status ValueDecoder::DecodeByteArrays(int64_t, ByteArrayBuffer*) {
  return NotSupported("BYTE_ARRAY");
}
Status ValueDecoder::DecodeFixedLenByteArrays(uint8_t*, int64_t) {
  return NotSupported("FIXED_LEN_BYTE_ARRAY");
}

Result<std::unique_ptr<ValueDecoder>> MakeValueDecoder(Encoding encoding, PhysicalType type,
                                                       int32_t type_length) {
  if (type == PhysicalType::kFixedLenByteArray && type_length <= 0) {
    return Status::Corruption("FIXED_LEN_BYTE_ARRAY column has type_length {}", type_length);
  }
  auto unsupported = [&]() {
    return Status::Unsupported("encoding {} is not supported for {} columns",
                               EncodingName(encoding), PhysicalTypeName(type));
  };
  switch (encoding) {
    case Encoding::kPlain:
      if (static_cast<int32_t>(type) < 0 || static_cast<int32_t>(type) > 7) break;
      return std::unique_ptr<ValueDecoder>(std::make_unique<PlainDecoder>(type, type_length));
    case Encoding::kRle:
      if (type != PhysicalType::kBoolean) return unsupported();
      return std::unique_ptr<ValueDecoder>(std::make_unique<RleBooleanDecoder>());
    case Encoding::kDeltaBinaryPacked:
      if (type != PhysicalType::kInt32 && type != PhysicalType::kInt64) return unsupported();
      return std::unique_ptr<ValueDecoder>(std::make_unique<DeltaBinaryPackedDecoder>());
    case Encoding::kDeltaLengthByteArray:
      if (type != PhysicalType::kByteArray) return unsupported();
      return std::unique_ptr<ValueDecoder>(std::make_unique<DeltaLengthByteArrayDecoder>());
    case Encoding::kDeltaByteArray:
      if (type != PhysicalType::kByteArray && type != PhysicalType::kFixedLenByteArray) {
        return unsupported();
      }
      return std::unique_ptr<ValueDecoder>(std::make_unique<DeltaByteArrayDecoder>(type_length));
    case Encoding::kByteStreamSplit: {
      int32_t width = 0;
      switch (type) {
        case PhysicalType::kInt32:
        case PhysicalType::kFloat: width = 4; break;
        case PhysicalType::kInt64:
        case PhysicalType::kDouble: width = 8; break;
        case PhysicalType::kFixedLenByteArray: width = type_length; break;
        default: return unsupported();
      }
      return std::unique_ptr<ValueDecoder>(std::make_unique<ByteStreamSplitDecoder>(type, width));
    }
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      return Status::InvalidArgument(
          "dictionary encodings need the dictionary page: use MakeDictionaryDecoder");
    default:
      break;
  }
  return unsupported();
}

}  // namespace silt::parquet
