#include "silt/parquet/encoding/delta_byte_array.h"

#include <algorithm>

#include "silt/parquet/encoding/delta_binary_packed.h"

namespace silt::parquet {

Status DeltaByteArrayDecoder::SetData(const uint8_t* data, int64_t size, int64_t num_values) {
  SILT_RETURN_NOT_OK(prefix_lengths_.SetData(data, size, 0));
  int64_t total = prefix_lengths_.total_values();
  if (total != num_values) {
    return Status::Corruption("DELTA_BYTE_ARRAY holds {} prefix lengths, the page has {} values",
                              total, num_values);
  }
  // Walk the prefix lengths once to find where the suffixes start, then rewind.
  SILT_RETURN_NOT_OK(prefix_lengths_.SetData(data, size, total));
  int32_t chunk[1024];
  for (int64_t i = 0; i < total; i += 1024) {
    SILT_RETURN_NOT_OK(prefix_lengths_.DecodeInt32(chunk, std::min<int64_t>(1024, total - i)));
  }
  int64_t start = prefix_lengths_.bytes_consumed();
  SILT_RETURN_NOT_OK(suffixes_.SetData(data + start, size - start, total));
  SILT_RETURN_NOT_OK(prefix_lengths_.SetData(data, size, total));
  last_value_.clear();
  index_ = 0;
  values_left_ = num_values;
  return Status::OK();
}

Status DeltaByteArrayDecoder::Next() {
  int32_t prefix = 0;
  SILT_RETURN_NOT_OK(prefix_lengths_.DecodeInt32(&prefix, 1));
  if (prefix < 0 || static_cast<size_t>(prefix) > last_value_.size()) {
    return Status::Corruption(
        "DELTA_BYTE_ARRAY value {} shares a prefix of {} bytes with a previous value of {} bytes",
        index_, prefix, last_value_.size());
  }
  std::string_view suffix;
  SILT_RETURN_NOT_OK(suffixes_.NextViews(1, &suffix));
  last_value_.resize(static_cast<size_t>(prefix));
  last_value_.append(suffix);
  ++index_;
  return Status::OK();
}

Status DeltaByteArrayDecoder::DecodeByteArrays(int64_t n, ByteArrayBuffer* out) {
  if (type_length_ > 0) return NotSupported("BYTE_ARRAY");
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  for (int64_t i = 0; i < n; ++i) {
    SILT_RETURN_NOT_OK(Next());
    SILT_RETURN_NOT_OK(out->Append(last_value_));
  }
  values_left_ -= n;
  return Status::OK();
}

Status DeltaByteArrayDecoder::DecodeFixedLenByteArrays(uint8_t* out, int64_t n) {
  if (type_length_ <= 0) return NotSupported("FIXED_LEN_BYTE_ARRAY");
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  for (int64_t i = 0; i < n; ++i) {
    SILT_RETURN_NOT_OK(Next());
    if (last_value_.size() != static_cast<size_t>(type_length_)) {
      return Status::Corruption(
          "DELTA_BYTE_ARRAY value {} has {} bytes in a FIXED_LEN_BYTE_ARRAY({}) column",
          index_ - 1, last_value_.size(), type_length_);
    }
    std::copy(last_value_.begin(), last_value_.end(), out + i * type_length_);
  }
  values_left_ -= n;
  return Status::OK();
}

void DeltaByteArrayEncode(const std::string_view* values, int64_t n, std::string* out) {
  std::vector<int32_t> prefixes(static_cast<size_t>(n));
  std::vector<std::string_view> suffixes(static_cast<size_t>(n));
  std::string_view previous;
  for (int64_t i = 0; i < n; ++i) {
    std::string_view v = values[i];
    size_t limit = std::min(v.size(), previous.size());
    size_t p = 0;
    while (p < limit && v[p] == previous[p]) ++p;
    prefixes[i] = static_cast<int32_t>(p);
    suffixes[i] = v.substr(p);
    previous = v;
  }
  DeltaBinaryPackedEncode(prefixes.data(), n, out);
  DeltaLengthByteArrayEncode(suffixes.data(), n, out);
}

}  // namespace silt::parquet
