#include "silt/parquet/encoding/delta_binary_packed.h"

#include <algorithm>
#include <type_traits>

#include "silt/parquet/encoding/bit_unpack.h"
#include "silt/parquet/encoding/bit_util.h"
#include "silt/parquet/encoding/varint.h"

namespace silt::parquet {

Status DeltaBinaryPackedDecoder::SetData(const uint8_t* data, int64_t size, int64_t num_values) {
  data_ = data;
  pos_ = data;
  end_ = data + size;
  uint64_t total = 0;
  int64_t first = 0;
  SILT_RETURN_NOT_OK(ReadUleb128(&pos_, end_, &block_size_, "DELTA_BINARY_PACKED block size"));
  SILT_RETURN_NOT_OK(ReadUleb128(&pos_, end_, &miniblocks_per_block_,
                                 "DELTA_BINARY_PACKED miniblock count"));
  SILT_RETURN_NOT_OK(ReadUleb128(&pos_, end_, &total, "DELTA_BINARY_PACKED value count"));
  SILT_RETURN_NOT_OK(ReadZigZag64(&pos_, end_, &first, "DELTA_BINARY_PACKED first value"));
  if (block_size_ == 0 || block_size_ % 128 != 0 || block_size_ > (uint64_t{1} << 31)) {
    return Status::Corruption("DELTA_BINARY_PACKED block size {} is not a multiple of 128",
                              block_size_);
  }
  if (miniblocks_per_block_ == 0 || block_size_ % miniblocks_per_block_ != 0 ||
      (block_size_ / miniblocks_per_block_) % 32 != 0) {
    return Status::Corruption(
        "DELTA_BINARY_PACKED: {} miniblocks per block of {} values is not a multiple of 32 "
        "values each",
        miniblocks_per_block_, block_size_);
  }
  if (total > (uint64_t{1} << 62)) {
    return Status::Corruption("DELTA_BINARY_PACKED value count {} is absurd", total);
  }
  if (num_values < 0 || static_cast<uint64_t>(num_values) > total) {
    return Status::Corruption("DELTA_BINARY_PACKED stream holds {} values, the page needs {}",
                              total, num_values);
  }
  values_per_miniblock_ = block_size_ / miniblocks_per_block_;
  total_values_ = static_cast<int64_t>(total);
  values_left_ = num_values;
  stream_left_ = total_values_;
  first_pending_ = total_values_ > 0;
  last_value_ = static_cast<uint64_t>(first);
  miniblock_index_ = miniblocks_per_block_;  // forces a block header before the first delta
  miniblock_left_ = 0;
  buffer_pos_ = buffer_size_ = 0;
  consumed_end_ = pos_;
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::StartBlock() {
  int64_t min_delta = 0;
  SILT_RETURN_NOT_OK(ReadZigZag64(&pos_, end_, &min_delta, "DELTA_BINARY_PACKED min delta"));
  if (static_cast<uint64_t>(end_ - pos_) < miniblocks_per_block_) {
    return Status::Corruption(
        "DELTA_BINARY_PACKED block needs {} bit widths but only {} bytes remain",
        miniblocks_per_block_, end_ - pos_);
  }
  min_delta_ = static_cast<uint64_t>(min_delta);
  bit_widths_.assign(pos_, pos_ + miniblocks_per_block_);
  pos_ += miniblocks_per_block_;
  miniblock_index_ = 0;
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::StartMiniblock() {
  if (miniblock_index_ >= miniblocks_per_block_) SILT_RETURN_NOT_OK(StartBlock());
  bit_width_ = bit_widths_[miniblock_index_++];
  if (bit_width_ > 64) {
    return Status::Corruption("DELTA_BINARY_PACKED miniblock bit width {} exceeds 64",
                              bit_width_);
  }
  miniblock_pos_ = pos_;
  miniblock_left_ = static_cast<int64_t>(values_per_miniblock_);
  uint64_t bytes = values_per_miniblock_ * static_cast<uint64_t>(bit_width_) / 8;
  // The miniblock holding the last values is padded to its full size; tolerate a writer that
  // did not pad (the values actually needed are checked in Refill).
  pos_ += std::min<uint64_t>(bytes, static_cast<uint64_t>(end_ - pos_));
  consumed_end_ = pos_;
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::Refill() {
  if (miniblock_left_ == 0) SILT_RETURN_NOT_OK(StartMiniblock());
  // Whole groups of 32 values (miniblocks hold multiples of 32), so each refill starts on a byte
  // boundary: 32 values of W bits are 4 * W bytes.
  const int64_t values = std::min<int64_t>(kBufferValues, miniblock_left_);
  const int64_t group_bytes = values / 8 * bit_width_;
  int64_t available = std::min<int64_t>(end_ - miniblock_pos_, group_bytes);
  int64_t needed = std::min<int64_t>(values, stream_left_);
  if (available < BitPackedBytes(needed, bit_width_)) {
    return Status::Corruption(
        "DELTA_BINARY_PACKED miniblock is truncated: {} values of {} bits need {} bytes, {} "
        "remain",
        needed, bit_width_, BitPackedBytes(needed, bit_width_), available);
  }
  UnpackBits64(miniblock_pos_, available, bit_width_, buffer_, values);
  miniblock_pos_ += available;
  miniblock_left_ -= values;
  buffer_pos_ = 0;
  buffer_size_ = static_cast<int>(values);
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder::Decode(T* out, int64_t n) {
  SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
  int64_t i = 0;
  if (n > 0 && first_pending_) {
    out[i++] = static_cast<T>(last_value_);
    first_pending_ = false;
    --stream_left_;
  }
  while (i < n) {
    if (buffer_pos_ == buffer_size_) SILT_RETURN_NOT_OK(Refill());
    int64_t take = std::min<int64_t>(n - i, buffer_size_ - buffer_pos_);
    uint64_t value = last_value_;
    const uint64_t min_delta = min_delta_;
    const uint64_t* deltas = buffer_ + buffer_pos_;
    for (int64_t k = 0; k < take; ++k) {
      value += min_delta + deltas[k];
      out[i + k] = static_cast<T>(value);
    }
    last_value_ = value;
    buffer_pos_ += static_cast<int>(take);
    i += take;
    stream_left_ -= take;
  }
  values_left_ -= n;
  return Status::OK();
}

Status DeltaBinaryPackedDecoder::DecodeInt32(int32_t* out, int64_t n) { return Decode(out, n); }
Status DeltaBinaryPackedDecoder::DecodeInt64(int64_t* out, int64_t n) { return Decode(out, n); }

// ---------------------------------------------------------------------------------------------

namespace {

constexpr int kBlockSize = 128;
constexpr int kMiniblocks = 4;
constexpr int kPerMiniblock = kBlockSize / kMiniblocks;

template <typename T>
void Encode(const T* values, int64_t n, std::string* out) {
  using U = std::make_unsigned_t<T>;
  WriteUleb128(kBlockSize, out);
  WriteUleb128(kMiniblocks, out);
  WriteUleb128(static_cast<uint64_t>(n), out);
  WriteZigZag64(n > 0 ? static_cast<int64_t>(values[0]) : 0, out);
  uint64_t relative[kBlockSize];
  for (int64_t start = 1; start < n; start += kBlockSize) {
    int64_t count = std::min<int64_t>(kBlockSize, n - start);
    T min_delta = 0;
    for (int64_t k = 0; k < count; ++k) {
      T delta = static_cast<T>(static_cast<U>(values[start + k]) -
                               static_cast<U>(values[start + k - 1]));
      if (k == 0 || delta < min_delta) min_delta = delta;
      relative[k] = static_cast<U>(delta);
    }
    for (int64_t k = 0; k < count; ++k) {
      relative[k] = static_cast<U>(static_cast<U>(relative[k]) - static_cast<U>(min_delta));
    }
    WriteZigZag64(static_cast<int64_t>(min_delta), out);
    int widths[kMiniblocks] = {};
    for (int m = 0; m < kMiniblocks; ++m) {
      uint64_t max = 0;
      for (int64_t k = m * kPerMiniblock; k < std::min<int64_t>(count, (m + 1) * kPerMiniblock);
           ++k) {
        max = std::max(max, relative[k]);
      }
      widths[m] = BitWidth(max);
      out->push_back(static_cast<char>(widths[m]));
    }
    for (int64_t k = count; k < kBlockSize; ++k) relative[k] = 0;
    for (int m = 0; m < kMiniblocks && m * kPerMiniblock < count; ++m) {
      PackBits(relative + m * kPerMiniblock, kPerMiniblock, widths[m], out);
    }
  }
}

}  // namespace

void DeltaBinaryPackedEncode(const int32_t* values, int64_t n, std::string* out) {
  Encode(values, n, out);
}
void DeltaBinaryPackedEncode(const int64_t* values, int64_t n, std::string* out) {
  Encode(values, n, out);
}

}  // namespace silt::parquet
