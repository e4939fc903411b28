#include "silt/parquet/encoding/rle.h"

#include <algorithm>
#include <cstring>

#include "silt/parquet/encoding/bit_unpack.h"
#include "silt/parquet/encoding/bit_util.h"

namespace silt::parquet {

namespace {

Status ReadUleb(const uint8_t** pos, const uint8_t* end, uint64_t* out) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos == end) return Status::Corruption("RLE run header is truncated");
    uint8_t byte = *(*pos)++;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *out = result;
      return Status::OK();
    }
  }
  return Status::Corruption("RLE run header varint is longer than 10 bytes");
}

void WriteUleb(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

Status RleBitPackedDecoder::Init(const uint8_t* data, int64_t size, int bit_width) {
  if (bit_width < 0 || bit_width > 32) {
    return Status::Corruption("RLE bit width {} is out of range [0, 32]", bit_width);
  }
  pos_ = data;
  end_ = data + size;
  bit_width_ = bit_width;
  decoded_ = 0;
  rle_left_ = 0;
  packed_left_ = 0;
  group_pos_ = 8;
  return Status::OK();
}

Result<int64_t> RleBitPackedDecoder::InitWithLengthPrefix(const uint8_t* data, int64_t size,
                                                          int bit_width) {
  if (size < 4) {
    return Status::Corruption("RLE data of {} bytes is too short for its 4-byte length", size);
  }
  uint32_t length = LoadLE<uint32_t>(data);
  if (length > static_cast<uint64_t>(size - 4)) {
    return Status::Corruption("RLE data length {} runs past the end of the {} bytes left", length,
                              size - 4);
  }
  SILT_RETURN_NOT_OK(Init(data + 4, length, bit_width));
  return int64_t{4} + length;
}

Status RleBitPackedDecoder::NextRun(int64_t wanted) {
  while (true) {
    if (pos_ == end_) {
      return Status::Corruption("RLE/bit-packed data ends after {} values, {} more were expected",
                                decoded_, wanted);
    }
    uint64_t header = 0;
    SILT_RETURN_NOT_OK(ReadUleb(&pos_, end_, &header));
    if (header & 1) {
      uint64_t groups = header >> 1;
      int64_t available = end_ - pos_;
      // A run may claim more groups than bytes remain (a truncated final run): keep what exists.
      int64_t bytes = bit_width_ == 0 ? 0 : static_cast<int64_t>(std::min<uint64_t>(
                                                groups * bit_width_, available));
      int64_t values = bit_width_ == 0
                           ? static_cast<int64_t>(std::min<uint64_t>(groups, uint64_t{1} << 40) * 8)
                           : bytes * 8 / bit_width_;
      packed_pos_ = pos_;
      packed_left_ = values;
      pos_ += bytes;
      if (values > 0) return Status::OK();
    } else {
      uint64_t count = header >> 1;
      int value_bytes = (bit_width_ + 7) / 8;
      if (end_ - pos_ < value_bytes) {
        return Status::Corruption("RLE run value is truncated ({} of {} bytes)", end_ - pos_,
                                  value_bytes);
      }
      uint32_t value = 0;
      for (int i = 0; i < value_bytes; ++i) value |= static_cast<uint32_t>(pos_[i]) << (8 * i);
      pos_ += value_bytes;
      rle_value_ = value;
      rle_left_ = static_cast<int64_t>(std::min<uint64_t>(count, uint64_t{1} << 62));
      if (rle_left_ > 0) return Status::OK();
    }
  }
}

Status RleBitPackedDecoder::GetBatch(uint32_t* out, int64_t n) {
  int64_t done = 0;
  while (done < n) {
    if (group_pos_ < 8) {
      int64_t take = std::min<int64_t>(8 - group_pos_, n - done);
      std::copy(group_ + group_pos_, group_ + group_pos_ + take, out + done);
      group_pos_ += static_cast<int>(take);
      done += take;
      continue;
    }
    if (rle_left_ > 0) {
      int64_t take = std::min(rle_left_, n - done);
      std::fill(out + done, out + done + take, rle_value_);
      rle_left_ -= take;
      done += take;
      continue;
    }
    if (packed_left_ > 0) {
      int64_t want = std::min(packed_left_, n - done);
      int64_t whole = want / 8 * 8;
      int64_t bytes_left = end_ - packed_pos_;
      if (whole > 0) {
        UnpackBits32(packed_pos_, bytes_left, bit_width_, out + done, whole);
        packed_pos_ += whole / 8 * bit_width_;
        packed_left_ -= whole;
        done += whole;
      } else {
        // Fewer than 8 values wanted: unpack one group and keep the rest for the next call.
        int64_t in_group = std::min<int64_t>(8, packed_left_);
        UnpackBits32(packed_pos_, std::min<int64_t>(bytes_left, bit_width_), bit_width_, group_,
                     in_group);
        packed_pos_ += std::min<int64_t>(bytes_left, bit_width_);
        packed_left_ -= in_group;
        // Shift so that the buffered values end at index 8.
        group_pos_ = static_cast<int>(8 - in_group);
        std::copy_backward(group_, group_ + in_group, group_ + 8);
      }
      continue;
    }
    decoded_ += done;
    Status st = NextRun(n - done);
    decoded_ -= done;
    SILT_RETURN_NOT_OK(st);
  }
  decoded_ += n;
  return Status::OK();
}

template <typename T>
Status RleBitPackedDecoder::GetBatchNarrow(T* out, int64_t n, uint32_t max) {
  // RLE runs (levels are mostly runs: a column that is null, or set, on every row of a page is
  // one) fill the output directly; bit-packed values go through the 32-bit decoder in chunks.
  auto too_large = [&](uint32_t value, int64_t position) {
    return Status::Corruption("level {} at position {} exceeds the maximum level {}", value,
                              position, max);
  };
  // Bit-packed values have bit_width_ bits: they can exceed `max` only when it is not all ones.
  const bool check_packed =
      max < UINT32_MAX && bit_width_ < 32 && (uint32_t{1} << bit_width_) - 1 > max;
  uint32_t buffer[512];
  int64_t done = 0;
  while (done < n) {
    if (group_pos_ >= 8 && packed_left_ == 0) {
      if (rle_left_ == 0) {
        SILT_RETURN_NOT_OK(NextRun(n - done));
        continue;
      }
      if (rle_value_ > max) return too_large(rle_value_, done);
      const int64_t take = std::min(rle_left_, n - done);
      std::fill(out + done, out + done + take, static_cast<T>(rle_value_));
      rle_left_ -= take;
      decoded_ += take;
      done += take;
      continue;
    }
    const int64_t chunk = std::min<int64_t>(512, n - done);
    SILT_RETURN_NOT_OK(GetBatch(buffer, chunk));
    if (check_packed) {
      uint32_t largest = 0;
      for (int64_t j = 0; j < chunk; ++j) largest = std::max(largest, buffer[j]);
      if (largest > max) {
        for (int64_t j = 0; j < chunk; ++j) {
          if (buffer[j] > max) return too_large(buffer[j], done + j);
        }
      }
    }
    for (int64_t j = 0; j < chunk; ++j) out[done + j] = static_cast<T>(buffer[j]);
    done += chunk;
  }
  return Status::OK();
}

Status RleBitPackedDecoder::GetBatch(int16_t* out, int64_t n) { return GetBatchNarrow(out, n); }
Status RleBitPackedDecoder::GetBatch(uint8_t* out, int64_t n) { return GetBatchNarrow(out, n); }
Status RleBitPackedDecoder::GetLevels(int16_t* out, int64_t n, int16_t max_level) {
  return GetBatchNarrow(out, n, static_cast<uint32_t>(std::max<int16_t>(max_level, 0)));
}

Status RleBitPackedDecoder::GetIndices(uint32_t* out, int64_t n, uint32_t dictionary_size) {
  int64_t start = decoded_;
  SILT_RETURN_NOT_OK(GetBatch(out, n));
  uint32_t max = 0;
  for (int64_t i = 0; i < n; ++i) max = std::max(max, out[i]);
  if (n > 0 && max >= dictionary_size) {
    for (int64_t i = 0; i < n; ++i) {
      if (out[i] >= dictionary_size) {
        return Status::Corruption("dictionary index {} out of range [0, {}) at value {}", out[i],
                                  dictionary_size, start + i);
      }
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------

namespace {

// Bit-packs values[begin, end) as (end - begin + 7) / 8 groups, zero-padding the last.
template <typename T>
void AppendBitPacked(const T* values, int64_t begin, int64_t end, int bit_width,
                     std::string* out) {
  const int64_t count = end - begin;
  if (count == 0) return;
  const int64_t groups = (count + 7) / 8;
  WriteUleb((static_cast<uint64_t>(groups) << 1) | 1, out);
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(groups * bit_width));
  if (bit_width == 0) return;
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  // Values go into a 64-bit accumulator and leave it 32 bits at a time: with bit_width <= 32
  // and fewer than 32 bits pending, a value always fits.
  const uint64_t mask = bit_width == 32 ? 0xffffffffULL : ((1ULL << bit_width) - 1);
  uint64_t acc = 0;
  int bits = 0;
  size_t written = 0;
  auto push = [&](uint64_t v) {
    acc |= v << bits;
    bits += bit_width;
    if (bits >= 32) {
      const auto word = static_cast<uint32_t>(acc);
      std::memcpy(dst + written, &word, 4);
      written += 4;
      acc >>= 32;
      bits -= 32;
    }
  };
  for (int64_t i = begin; i < end; ++i) {
    push(static_cast<uint64_t>(static_cast<uint32_t>(values[i])) & mask);
  }
  for (int64_t i = end; i < begin + groups * 8; ++i) push(0);
  // groups * 8 * bit_width bits in all: whole bytes, fewer than 4 of them still pending.
  for (; bits > 0; bits -= 8) {
    dst[written++] = static_cast<uint8_t>(acc);
    acc >>= 8;
  }
}

void AppendRleRun(uint32_t value, int64_t count, int bit_width, std::string* out) {
  WriteUleb(static_cast<uint64_t>(count) << 1, out);
  const int value_bytes = (bit_width + 7) / 8;
  for (int b = 0; b < value_bytes; ++b) out->push_back(static_cast<char>(value >> (8 * b)));
}

void FillLength(size_t start, std::string* out) {
  const auto length = static_cast<uint32_t>(out->size() - start - 4);
  StoreLE(reinterpret_cast<uint8_t*>(out->data() + start), length);
}

}  // namespace

template <typename T>
void AppendRleBitPackedRuns(const T* values, int64_t n, int bit_width, std::string* out) {
  int64_t literal_begin = 0;
  int64_t i = 0;
  while (i < n) {
    const T v = values[i];
    int64_t run_end = i + 1;
    while (run_end < n && values[run_end] == v) ++run_end;
    const int64_t run = run_end - i;
    if (run >= 8) {
      // Bit-packed runs hold whole groups of 8: top up the pending literals from this run.
      const int64_t misaligned = (i - literal_begin) % 8;
      const int64_t top_up = misaligned == 0 ? 0 : 8 - misaligned;
      if (run - top_up >= 8) {
        AppendBitPacked(values, literal_begin, i + top_up, bit_width, out);
        AppendRleRun(static_cast<uint32_t>(v), run - top_up, bit_width, out);
        literal_begin = run_end;
      }
    }
    i = run_end;
  }
  AppendBitPacked(values, literal_begin, n, bit_width, out);
}

template <typename T>
void AppendRleBitPackedRunsWithLength(const T* values, int64_t n, int bit_width,
                                      std::string* out) {
  const size_t start = out->size();
  out->append(4, '\0');
  AppendRleBitPackedRuns(values, n, bit_width, out);
  FillLength(start, out);
}

void AppendRepeatedValueWithLength(uint32_t value, int64_t n, int bit_width, std::string* out) {
  if (n < 8) {
    // Fewer than 8 values are bit-packed, as AppendRleBitPackedRuns does.
    const uint32_t copies[8] = {value, value, value, value, value, value, value, value};
    AppendRleBitPackedRunsWithLength(copies, n, bit_width, out);
    return;
  }
  const size_t start = out->size();
  out->append(4, '\0');
  AppendRleRun(value, n, bit_width, out);
  FillLength(start, out);
}

template void AppendRleBitPackedRuns<uint32_t>(const uint32_t*, int64_t, int, std::string*);
template void AppendRleBitPackedRuns<int16_t>(const int16_t*, int64_t, int, std::string*);
template void AppendRleBitPackedRuns<uint8_t>(const uint8_t*, int64_t, int, std::string*);
template void AppendRleBitPackedRunsWithLength<uint32_t>(const uint32_t*, int64_t, int,
                                                         std::string*);
template void AppendRleBitPackedRunsWithLength<int16_t>(const int16_t*, int64_t, int,
                                                        std::string*);
template void AppendRleBitPackedRunsWithLength<uint8_t>(const uint8_t*, int64_t, int,
                                                        std::string*);

}  // namespace silt::parquet
