// The value decoders of a data page: one implementation per encoding (plain.h, dictionary.h,
// delta_binary_packed.h, delta_length_byte_array.h, delta_byte_array.h, byte_stream_split.h,
// rle.h for booleans), all behind ValueDecoder so that the column reader can switch encodings
// from page to page.
//
// Decoders write into caller-provided typed buffers; byte arrays go to an Arrow-style
// offsets + data pair (ByteArrayBuffer) so that they become string columns without another copy.
// Every decoder checks the page bounds: malformed input is kCorruption, never a read out of
// bounds.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/columnar/buffer.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet {

// A 12-byte INT96 value as stored: little-endian int64 nanoseconds of the day, then
// little-endian int32 Julian day.
struct Int96 {
  uint8_t bytes[12];
};

// Growable bytes for decoded values. Unlike std::vector they are not zeroed when they grow
// (decoders write every byte right after), a large allocation grows in place where the C
// library can (realloc), and the bytes can become a columnar buffer without a copy (Release).
class ByteData {
 public:
  ByteData() = default;
  ByteData(ByteData&& other) noexcept;
  ByteData& operator=(ByteData&& other) noexcept;
  ByteData(const ByteData&) = delete;
  ByteData& operator=(const ByteData&) = delete;
  ~ByteData();

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // std::bad_alloc when memory runs out, as std::vector.
  void reserve(size_t capacity);
  // Bytes past the old size are uninitialized.
  void resize(size_t size);
  void append(const uint8_t* bytes, size_t length);
  void clear() { size_ = 0; }

  // The bytes as a buffer of exactly size() bytes, without copying them; leaves this empty.
  columnar::BufferPtr Release();

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Variable-length values in Arrow layout: value i is data[offsets[i], offsets[i + 1]).
// Decoders append; offsets always has size() + 1 entries.
struct ByteArrayBuffer {
  std::vector<int32_t> offsets{0};
  ByteData data;

  int64_t size() const { return static_cast<int64_t>(offsets.size()) - 1; }
  std::string_view value(int64_t i) const {
    return std::string_view(reinterpret_cast<const char*>(data.data()) + offsets[i],
                            static_cast<size_t>(offsets[i + 1] - offsets[i]));
  }
  void Clear() {
    offsets.assign(1, 0);
    data.clear();
  }
  // Reserves room for `values` more values of `bytes` total bytes.
  void Reserve(int64_t values, int64_t bytes) {
    offsets.reserve(offsets.size() + static_cast<size_t>(values));
    data.reserve(data.size() + static_cast<size_t>(bytes));
  }
  // kResourceExhausted when the data would pass 2 GiB (int32 offsets).
  Status Append(const uint8_t* bytes, int64_t length);
  Status Append(std::string_view value) {
    return Append(reinterpret_cast<const uint8_t*>(value.data()),
                  static_cast<int64_t>(value.size()));
  }
};

class ValueDecoder {
 public:
  virtual ~ValueDecoder() = default;

  virtual Encoding encoding() const = 0;

  // Starts a page: [data, data + size) holds `num_values` encoded values (non-null values only).
  // The bytes must stay alive and unchanged while values are decoded. kCorruption when a header
  // inside the data is malformed.
  virtual Status SetData(const uint8_t* data, int64_t size, int64_t num_values) = 0;

  // Values not yet decoded in the current page.
  virtual int64_t values_left() const = 0;

  // Decode the next n values of the page. kCorruption when n > values_left() or the data is
  // malformed; kUnsupported when this encoding does not apply to the type asked for.
  virtual Status DecodeBooleans(uint8_t* out, int64_t n);  // one byte 0/1 per value
  virtual Status DecodeInt32(int32_t* out, int64_t n);
  virtual Status DecodeInt64(int64_t* out, int64_t n);
  virtual Status DecodeInt96(Int96* out, int64_t n);
  virtual Status DecodeFloat(float* out, int64_t n);
  virtual Status DecodeDouble(double* out, int64_t n);
  // BYTE_ARRAY: appends n values.
  virtual Status DecodeByteArrays(int64_t n, ByteArrayBuffer* out);
  // FIXED_LEN_BYTE_ARRAY: n * type_length bytes.
  virtual Status DecodeFixedLenByteArrays(uint8_t* out, int64_t n);

 protected:
  Status NotSupported(std::string_view type) const;
  // kCorruption unless n <= left.
  static Status CheckCount(int64_t n, int64_t left, Encoding encoding);
};

// A decoder of non-dictionary `encoding` for a column of `type` (type_length for
// FIXED_LEN_BYTE_ARRAY). kUnsupported for an encoding that does not apply to the type (or is
// unknown); dictionary encodings are made with MakeDictionaryDecoder (dictionary.h).
Result<std::unique_ptr<ValueDecoder>> MakeValueDecoder(Encoding encoding, PhysicalType type,
                                                       int32_t type_length = 0);

}  // namespace silt::parquet
