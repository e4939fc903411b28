#include "silt/parquet/encoding/delta_length_byte_array.h"

#include <algorithm>
#include <cstdint>

namespace silt::parquet {

Status DeltaLengthByteArrayDecoder::SetData(const uint8_t* data, int64_t size,
                                            int64_t num_values) {
  SILT_RETURN_NOT_OK(lengths_.SetData(data, size, 0));
  int64_t total = lengths_.total_values();
  // The stream holds the lengths of exactly the page's values.
  if (total != num_values) {
    return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY holds {} lengths, the page has {} values",
                              total, num_values);
  }
  // First pass: validate the lengths and find where the value bytes start.
  SILT_RETURN_NOT_OK(lengths_.SetData(data, size, total));
  int32_t chunk[1024];
  int64_t sum = 0;
  for (int64_t i = 0; i < total; i += 1024) {
    int64_t n = std::min<int64_t>(1024, total - i);
    SILT_RETURN_NOT_OK(lengths_.DecodeInt32(chunk, n));
    for (int64_t k = 0; k < n; ++k) {
      if (chunk[k] < 0) {
        return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY value {} has negative length {}",
                                  i + k, chunk[k]);
      }
      sum += chunk[k];
    }
    if (sum > size) break;  // reported below
  }
  int64_t start = lengths_.bytes_consumed();
  if (sum > size - start) {
    return Status::Corruption(
        "DELTA_LENGTH_BYTE_ARRAY values need {} bytes but only {} remain in the page", sum,
        size - start);
  }
  // Second pass decodes lengths as values are asked for.
  SILT_RETURN_NOT_OK(lengths_.SetData(data, size, total));
  values_ = data + start;
  offset_ = 0;
  values_left_ = num_values;
  bytes_total_ = start + sum;
  return Status::OK();
}

Status DeltaLengthByteArrayDecoder::NextViews(int64_t n, std::string_view* out) {
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  int32_t lengths[256];
  for (int64_t i = 0; i < n; i += 256) {
    int64_t chunk = std::min<int64_t>(256, n - i);
    SILT_RETURN_NOT_OK(lengths_.DecodeInt32(lengths, chunk));
    for (int64_t k = 0; k < chunk; ++k) {
      out[i + k] = std::string_view(reinterpret_cast<const char*>(values_) + offset_,
                                    static_cast<size_t>(lengths[k]));
      offset_ += lengths[k];
    }
  }
  values_left_ -= n;
  return Status::OK();
}

Status DeltaLengthByteArrayDecoder::DecodeByteArrays(int64_t n, ByteArrayBuffer* out) {
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  int32_t lengths[256];
  for (int64_t i = 0; i < n; i += 256) {
    const int64_t chunk = std::min<int64_t>(256, n - i);
    SILT_RETURN_NOT_OK(lengths_.DecodeInt32(lengths, chunk));
    // The values of a chunk are contiguous in the page: offsets, then one copy. SetData checked
    // that all lengths are non-negative and fit the page.
    const size_t first = out->offsets.size();
    const int64_t base = out->offsets.back();
    int64_t end = base;
    out->offsets.resize(first + static_cast<size_t>(chunk));
    for (int64_t k = 0; k < chunk; ++k) {
      end += lengths[k];
      if (end > INT32_MAX) {
        out->offsets.resize(first);
        return Status::ResourceExhausted(
            "byte array values exceed 2 GiB in one buffer (int32 offsets)");
      }
      out->offsets[first + static_cast<size_t>(k)] = static_cast<int32_t>(end);
    }
    if (end > base) {
      out->data.append(values_ + offset_, static_cast<size_t>(end - base));
      offset_ += end - base;
    }
  }
  values_left_ -= n;
  return Status::OK();
}

void DeltaLengthByteArrayEncode(const std::string_view* values, int64_t n, std::string* out) {
  std::vector<int32_t> lengths(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) lengths[i] = static_cast<int32_t>(values[i].size());
  DeltaBinaryPackedEncode(lengths.data(), n, out);
  for (int64_t i = 0; i < n; ++i) out->append(values[i]);
}

}  // namespace silt::parquet
