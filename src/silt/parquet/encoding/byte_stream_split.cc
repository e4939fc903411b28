#include "silt/parquet/encoding/byte_stream_split.h"

namespace silt::parquet {

namespace {

template <int K>
void Gather(const uint8_t* data, int64_t stream_length, int64_t index, uint8_t* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < K; ++j) out[i * K + j] = data[j * stream_length + index + i];
  }
}

}  // namespace

Status ByteStreamSplitDecoder::SetData(const uint8_t* data, int64_t size, int64_t num_values) {
  if (width_ <= 0) return Status::Corruption("BYTE_STREAM_SPLIT with value width {}", width_);
  if (size % width_ != 0) {
    return Status::Corruption("BYTE_STREAM_SPLIT page of {} bytes is not a multiple of {}", size,
                              width_);
  }
  stream_length_ = size / width_;
  if (num_values > stream_length_) {
    return Status::Corruption("BYTE_STREAM_SPLIT page of {} bytes holds {} values, not {}", size,
                              stream_length_, num_values);
  }
  data_ = data;
  index_ = 0;
  values_left_ = num_values;
  return Status::OK();
}

Status ByteStreamSplitDecoder::Decode(PhysicalType expected, uint8_t* out, int64_t n) {
  if (type_ != expected) return NotSupported(PhysicalTypeName(expected));
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  switch (width_) {
    case 4: Gather<4>(data_, stream_length_, index_, out, n); break;
    case 8: Gather<8>(data_, stream_length_, index_, out, n); break;
    default:
      for (int64_t i = 0; i < n; ++i) {
        for (int32_t j = 0; j < width_; ++j) {
          out[i * width_ + j] = data_[j * stream_length_ + index_ + i];
        }
      }
  }
  index_ += n;
  values_left_ -= n;
  return Status::OK();
}

Status ByteStreamSplitDecoder::DecodeInt32(int32_t* out, int64_t n) {
  return Decode(PhysicalType::kInt32, reinterpret_cast<uint8_t*>(out), n);
}
Status ByteStreamSplitDecoder::DecodeInt64(int64_t* out, int64_t n) {
  return Decode(PhysicalType::kInt64, reinterpret_cast<uint8_t*>(out), n);
}
Status ByteStreamSplitDecoder::DecodeFloat(float* out, int64_t n) {
  return Decode(PhysicalType::kFloat, reinterpret_cast<uint8_t*>(out), n);
}
Status ByteStreamSplitDecoder::DecodeDouble(double* out, int64_t n) {
  return Decode(PhysicalType::kDouble, reinterpret_cast<uint8_t*>(out), n);
}
Status ByteStreamSplitDecoder::DecodeFixedLenByteArrays(uint8_t* out, int64_t n) {
  return Decode(PhysicalType::kFixedLenByteArray, out, n);
}

void ByteStreamSplitEncode(const uint8_t* values, int64_t n, int32_t width, std::string* out) {
  size_t start = out->size();
  out->resize(start + static_cast<size_t>(n * width));
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  for (int64_t i = 0; i < n; ++i) {
    for (int32_t j = 0; j < width; ++j) dst[j * n + i] = values[i * width + j];
  }
}

}  // namespace silt::parquet
