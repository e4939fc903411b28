#include "silt/parquet/encoding/plain.h"

#include <cstring>

#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {

Status PlainDecoder::SetData(const uint8_t* data, int64_t size, int64_t num_values) {
  if (num_values < 0) return Status::Corruption("PLAIN page with {} values", num_values);
  data_ = data;
  size_ = size;
  pos_ = 0;
  bit_pos_ = 0;
  values_left_ = num_values;
  return Status::OK();
}

Status PlainDecoder::DecodeFixed(PhysicalType expected, int64_t width, void* out, int64_t n) {
  if (type_ != expected) return NotSupported(PhysicalTypeName(expected));
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  int64_t bytes = n * width;
  if (bytes > size_ - pos_) {
    return Status::Corruption("PLAIN page: {} {} values need {} bytes but only {} remain", n,
                              PhysicalTypeName(type_), bytes, size_ - pos_);
  }
  if (bytes > 0) std::memcpy(out, data_ + pos_, static_cast<size_t>(bytes));
  pos_ += bytes;
  values_left_ -= n;
  return Status::OK();
}

Status PlainDecoder::DecodeBooleans(uint8_t* out, int64_t n) {
  if (type_ != PhysicalType::kBoolean) return NotSupported("BOOLEAN");
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  if (n > size_ * 8 - bit_pos_) {
    return Status::Corruption("PLAIN page: {} booleans need {} bits but only {} remain", n, n,
                              size_ * 8 - bit_pos_);
  }
  int64_t i = 0;
  // Unaligned head, then whole bytes, then the tail.
  for (; i < n && (bit_pos_ & 7) != 0; ++i, ++bit_pos_) {
    out[i] = (data_[bit_pos_ >> 3] >> (bit_pos_ & 7)) & 1;
  }
  for (; i + 8 <= n; i += 8, bit_pos_ += 8) {
    uint8_t byte = data_[bit_pos_ >> 3];
    for (int b = 0; b < 8; ++b) out[i + b] = (byte >> b) & 1;
  }
  for (; i < n; ++i, ++bit_pos_) {
    out[i] = (data_[bit_pos_ >> 3] >> (bit_pos_ & 7)) & 1;
  }
  pos_ = (bit_pos_ + 7) / 8;
  values_left_ -= n;
  return Status::OK();
}

Status PlainDecoder::DecodeInt32(int32_t* out, int64_t n) {
  return DecodeFixed(PhysicalType::kInt32, 4, out, n);
}
Status PlainDecoder::DecodeInt64(int64_t* out, int64_t n) {
  return DecodeFixed(PhysicalType::kInt64, 8, out, n);
}
Status PlainDecoder::DecodeInt96(Int96* out, int64_t n) {
  return DecodeFixed(PhysicalType::kInt96, 12, out, n);
}
Status PlainDecoder::DecodeFloat(float* out, int64_t n) {
  return DecodeFixed(PhysicalType::kFloat, 4, out, n);
}
Status PlainDecoder::DecodeDouble(double* out, int64_t n) {
  return DecodeFixed(PhysicalType::kDouble, 8, out, n);
}
Status PlainDecoder::DecodeFixedLenByteArrays(uint8_t* out, int64_t n) {
  return DecodeFixed(PhysicalType::kFixedLenByteArray, type_length_, out, n);
}

Status PlainDecoder::DecodeByteArrays(int64_t n, ByteArrayBuffer* out) {
  if (type_ != PhysicalType::kByteArray) return NotSupported("BYTE_ARRAY");
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  // Pass 1: validate the lengths and write the offsets. Pass 2: copy the bytes into data sized
  // once.
  const size_t first = out->offsets.size();
  const int64_t base = out->offsets.back();
  out->offsets.resize(first + static_cast<size_t>(n));
  int32_t* offsets = out->offsets.data() + first;
  int64_t pos = pos_;
  int64_t end = base;
  for (int64_t i = 0; i < n; ++i) {
    if (size_ - pos < 4) {
      out->offsets.resize(first);
      return Status::Corruption("PLAIN page: BYTE_ARRAY length of value {} is truncated", i);
    }
    uint32_t length = LoadLE<uint32_t>(data_ + pos);
    pos += 4;
    if (length > static_cast<uint64_t>(size_ - pos)) {
      out->offsets.resize(first);
      return Status::Corruption(
          "PLAIN page: BYTE_ARRAY value of {} bytes runs past the end of the page ({} bytes left)",
          length, size_ - pos);
    }
    pos += length;
    end += length;
    if (end > INT32_MAX) {
      out->offsets.resize(first);
      return Status::ResourceExhausted(
          "byte array values exceed 2 GiB in one buffer (int32 offsets)");
    }
    offsets[i] = static_cast<int32_t>(end);
  }
  out->data.resize(static_cast<size_t>(end));
  uint8_t* dst = out->data.data() + base;
  int32_t previous = static_cast<int32_t>(base);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t length = offsets[i] - previous;
    if (length > 0) {
      std::memcpy(dst, data_ + pos_ + 4, static_cast<size_t>(length));
      dst += length;
    }
    pos_ += 4 + length;
    previous = offsets[i];
  }
  values_left_ -= n;
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------

namespace {

void AppendRaw(const void* values, int64_t bytes, std::string* out) {
  if (bytes > 0) out->append(static_cast<const char*>(values), static_cast<size_t>(bytes));
}

}  // namespace

void PlainEncodeBooleans(const uint8_t* values, int64_t n, std::string* out) {
  size_t start = out->size();
  out->resize(start + static_cast<size_t>((n + 7) / 8), '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  for (int64_t i = 0; i < n; ++i) {
    if (values[i]) dst[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
  }
}

void PlainEncodeInt32(const int32_t* values, int64_t n, std::string* out) {
  AppendRaw(values, n * 4, out);
}
void PlainEncodeInt64(const int64_t* values, int64_t n, std::string* out) {
  AppendRaw(values, n * 8, out);
}
void PlainEncodeInt96(const Int96* values, int64_t n, std::string* out) {
  AppendRaw(values, n * 12, out);
}
void PlainEncodeFloat(const float* values, int64_t n, std::string* out) {
  AppendRaw(values, n * 4, out);
}
void PlainEncodeDouble(const double* values, int64_t n, std::string* out) {
  AppendRaw(values, n * 8, out);
}

void PlainEncodeByteArrays(const std::string_view* values, int64_t n, std::string* out) {
  for (int64_t i = 0; i < n; ++i) {
    uint8_t length[4];
    StoreLE(length, static_cast<uint32_t>(values[i].size()));
    out->append(reinterpret_cast<const char*>(length), 4);
    out->append(values[i]);
  }
}

void PlainEncodeByteArrays(const ByteArrayBuffer& values, std::string* out) {
  for (int64_t i = 0; i < values.size(); ++i) {
    std::string_view v = values.value(i);
    PlainEncodeByteArrays(&v, 1, out);
  }
}

void PlainEncodeFixedLenByteArrays(const uint8_t* values, int64_t n, int32_t type_length,
                                   std::string* out) {
  AppendRaw(values, n * type_length, out);
}

}  // namespace silt::parquet
