#include "silt/parquet/encoding/dictionary.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "silt/parquet/encoding/bit_util.h"
#include "silt/parquet/encoding/plain.h"

namespace silt::parquet {

Status DictionaryIndexDecoder::SetData(const uint8_t* data, int64_t size) {
  if (size < 1) {
    return runs_.Init(data, 0, 0);  // no values: any request fails as truncated
  }
  int bit_width = data[0];
  if (bit_width > 32) {
    return Status::Corruption("dictionary index bit width {} exceeds 32", bit_width);
  }
  return runs_.Init(data + 1, size - 1, bit_width);
}

namespace {

constexpr int64_t kChunk = 1024;

// Fixed-width dictionaries: T is the value type (uint8_t for booleans).
template <typename T, PhysicalType kType>
class FixedDictionaryDecoder final : public DictionaryDecoder {
 public:
  explicit FixedDictionaryDecoder(std::vector<T> values) : values_(std::move(values)) {
    dictionary_size_ = static_cast<int64_t>(values_.size());
  }

  Encoding encoding() const override { return Encoding::kRleDictionary; }
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override {
    values_left_ = num_values;
    return indices_.SetData(data, size);
  }
  int64_t values_left() const override { return values_left_; }

  Status DecodeBooleans(uint8_t* out, int64_t n) override {
    if constexpr (kType == PhysicalType::kBoolean) return Gather(out, n);
    return NotSupported("BOOLEAN");
  }
  Status DecodeInt32(int32_t* out, int64_t n) override {
    if constexpr (kType == PhysicalType::kInt32) return Gather(out, n);
    return NotSupported("INT32");
  }
  Status DecodeInt64(int64_t* out, int64_t n) override {
    if constexpr (kType == PhysicalType::kInt64) return Gather(out, n);
    return NotSupported("INT64");
  }
  Status DecodeInt96(Int96* out, int64_t n) override {
    if constexpr (kType == PhysicalType::kInt96) return Gather(out, n);
    return NotSupported("INT96");
  }
  Status DecodeFloat(float* out, int64_t n) override {
    if constexpr (kType == PhysicalType::kFloat) return Gather(out, n);
    return NotSupported("FLOAT");
  }
  Status DecodeDouble(double* out, int64_t n) override {
    if constexpr (kType == PhysicalType::kDouble) return Gather(out, n);
    return NotSupported("DOUBLE");
  }

 private:
  template <typename Out>
  Status Gather(Out* out, int64_t n) {
    static_assert(std::is_same_v<Out, T>);
    SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
    uint32_t indices[kChunk];
    const auto size = static_cast<uint32_t>(values_.size());
    for (int64_t i = 0; i < n; i += kChunk) {
      int64_t count = std::min(kChunk, n - i);
      SILT_RETURN_NOT_OK(indices_.GetIndices(indices, count, size));
      for (int64_t k = 0; k < count; ++k) out[i + k] = values_[indices[k]];
    }
    values_left_ -= n;
    return Status::OK();
  }

  std::vector<T> values_;
  DictionaryIndexDecoder indices_;
  int64_t values_left_ = 0;
};

class FixedLenByteArrayDictionaryDecoder final : public DictionaryDecoder {
 public:
  FixedLenByteArrayDictionaryDecoder(std::vector<uint8_t> bytes, int32_t width)
      : bytes_(std::move(bytes)), width_(width) {
    dictionary_size_ = static_cast<int64_t>(bytes_.size()) / width_;
  }

  Encoding encoding() const override { return Encoding::kRleDictionary; }
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override {
    values_left_ = num_values;
    return indices_.SetData(data, size);
  }
  int64_t values_left() const override { return values_left_; }

  Status DecodeFixedLenByteArrays(uint8_t* out, int64_t n) override {
    SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
    uint32_t indices[kChunk];
    for (int64_t i = 0; i < n; i += kChunk) {
      int64_t count = std::min(kChunk, n - i);
      SILT_RETURN_NOT_OK(
          indices_.GetIndices(indices, count, static_cast<uint32_t>(dictionary_size_)));
      for (int64_t k = 0; k < count; ++k) {
        std::memcpy(out + (i + k) * width_, bytes_.data() + int64_t{indices[k]} * width_,
                    static_cast<size_t>(width_));
      }
    }
    values_left_ -= n;
    return Status::OK();
  }

 private:
  std::vector<uint8_t> bytes_;
  int32_t width_;
  DictionaryIndexDecoder indices_;
  int64_t values_left_ = 0;
};

class ByteArrayDictionaryDecoder final : public DictionaryDecoder {
 public:
  explicit ByteArrayDictionaryDecoder(ByteArrayBuffer values) : values_(std::move(values)) {
    dictionary_size_ = values_.size();
  }

  Encoding encoding() const override { return Encoding::kRleDictionary; }
  Status SetData(const uint8_t* data, int64_t size, int64_t num_values) override {
    values_left_ = num_values;
    return indices_.SetData(data, size);
  }
  int64_t values_left() const override { return values_left_; }

  Status DecodeByteArrays(int64_t n, ByteArrayBuffer* out) override {
    SILT_RETURN_NOT_OK(CheckCount(n, values_left_, encoding()));
    uint32_t indices[kChunk];
    const int32_t* dict_offsets = values_.offsets.data();
    const uint8_t* dict_data = values_.data.data();
    for (int64_t i = 0; i < n; i += kChunk) {
      const int64_t count = std::min(kChunk, n - i);
      SILT_RETURN_NOT_OK(
          indices_.GetIndices(indices, count, static_cast<uint32_t>(dictionary_size_)));
      // Offsets first, then the bytes into data sized once.
      const size_t first = out->offsets.size();
      const int64_t base = out->offsets.back();
      int64_t end = base;
      out->offsets.resize(first + static_cast<size_t>(count));
      int32_t* offsets = out->offsets.data() + first;
      for (int64_t k = 0; k < count; ++k) {
        end += dict_offsets[indices[k] + 1] - dict_offsets[indices[k]];
        if (end > INT32_MAX) {
          out->offsets.resize(first);
          return Status::ResourceExhausted(
              "byte array values exceed 2 GiB in one buffer (int32 offsets)");
        }
        offsets[k] = static_cast<int32_t>(end);
      }
      out->data.resize(static_cast<size_t>(end));
      uint8_t* dst = out->data.data() + base;
      for (int64_t k = 0; k < count; ++k) {
        const int32_t begin = dict_offsets[indices[k]];
        const int32_t length = dict_offsets[indices[k] + 1] - begin;
        if (length > 0) {
          std::memcpy(dst, dict_data + begin, static_cast<size_t>(length));
          dst += length;
        }
      }
    }
    values_left_ -= n;
    return Status::OK();
  }

 private:
  ByteArrayBuffer values_;
  DictionaryIndexDecoder indices_;
  int64_t values_left_ = 0;
};

template <typename T, PhysicalType kType, typename DecodeFn>
Result<std::unique_ptr<DictionaryDecoder>> MakeFixed(int64_t n,
                                                     DecodeFn decode) {
  std::vector<T> values(static_cast<size_t>(n));
  SILT_RETURN_NOT_OK(decode(values.data(), n));
  return std::unique_ptr<DictionaryDecoder>(
      std::make_unique<FixedDictionaryDecoder<T, kType>>(std::move(values)));
}

}  // namespace

Result<std::unique_ptr<DictionaryDecoder>> MakeDictionaryDecoder(PhysicalType type,
                                                                 int32_t type_length,
                                                                 const uint8_t* data,
                                                                 int64_t size,
                                                                 int64_t num_entries) {
  if (num_entries < 0 || num_entries > UINT32_MAX) {
    return Status::Corruption("dictionary page with {} entries", num_entries);
  }
  // Bound the allocation by the page: every entry takes at least this many bytes.
  int64_t min_bytes = 0;
  switch (type) {
    case PhysicalType::kBoolean: min_bytes = (num_entries + 7) / 8; break;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
    case PhysicalType::kByteArray: min_bytes = num_entries * 4; break;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: min_bytes = num_entries * 8; break;
    case PhysicalType::kInt96: min_bytes = num_entries * 12; break;
    case PhysicalType::kFixedLenByteArray:
      min_bytes = type_length > 0 && num_entries > INT64_MAX / type_length
                      ? INT64_MAX
                      : num_entries * std::max(type_length, 1);
      break;
  }
  if (min_bytes > size) {
    return Status::Corruption("dictionary page of {} bytes cannot hold {} {} entries", size,
                              num_entries, PhysicalTypeName(type));
  }
  PlainDecoder plain(type, type_length);
  SILT_RETURN_NOT_OK(plain.SetData(data, size, num_entries));
  switch (type) {
    case PhysicalType::kBoolean:
      return MakeFixed<uint8_t, PhysicalType::kBoolean>(
          num_entries, [&](uint8_t* out, int64_t n) { return plain.DecodeBooleans(out, n); });
    case PhysicalType::kInt32:
      return MakeFixed<int32_t, PhysicalType::kInt32>(
          num_entries, [&](int32_t* out, int64_t n) { return plain.DecodeInt32(out, n); });
    case PhysicalType::kInt64:
      return MakeFixed<int64_t, PhysicalType::kInt64>(
          num_entries, [&](int64_t* out, int64_t n) { return plain.DecodeInt64(out, n); });
    case PhysicalType::kInt96:
      return MakeFixed<Int96, PhysicalType::kInt96>(
          num_entries, [&](Int96* out, int64_t n) { return plain.DecodeInt96(out, n); });
    case PhysicalType::kFloat:
      return MakeFixed<float, PhysicalType::kFloat>(
          num_entries, [&](float* out, int64_t n) { return plain.DecodeFloat(out, n); });
    case PhysicalType::kDouble:
      return MakeFixed<double, PhysicalType::kDouble>(
          num_entries, [&](double* out, int64_t n) { return plain.DecodeDouble(out, n); });
    case PhysicalType::kByteArray: {
      ByteArrayBuffer values;
      SILT_RETURN_NOT_OK(plain.DecodeByteArrays(num_entries, &values));
      return std::unique_ptr<DictionaryDecoder>(
          std::make_unique<ByteArrayDictionaryDecoder>(std::move(values)));
    }
    case PhysicalType::kFixedLenByteArray: {
      if (type_length <= 0) {
        return Status::Corruption("FIXED_LEN_BYTE_ARRAY column has type_length {}", type_length);
      }
      std::vector<uint8_t> bytes(static_cast<size_t>(num_entries * type_length));
      SILT_RETURN_NOT_OK(plain.DecodeFixedLenByteArrays(bytes.data(), num_entries));
      return std::unique_ptr<DictionaryDecoder>(
          std::make_unique<FixedLenByteArrayDictionaryDecoder>(std::move(bytes), type_length));
    }
  }
  return Status::Unsupported("dictionary of physical type {}", PhysicalTypeName(type));
}

void EncodeDictionaryIndices(const uint32_t* indices, int64_t n, int64_t dictionary_size,
                             std::string* out) {
  int width = BitWidth(dictionary_size > 0 ? static_cast<uint64_t>(dictionary_size - 1) : 0);
  out->push_back(static_cast<char>(width));
  AppendRleBitPackedRuns(indices, n, width, out);
}

}  // namespace silt::parquet
