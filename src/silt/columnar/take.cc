#include "silt/columnar/take.h"

#include <cstring>
#include <limits>
#include <vector>

#include "silt/columnar/builder.h"

namespace silt::columnar {

namespace {

// The validity of the taken elements (nullptr when none is null) and their null count.
Result<BufferPtr> TakeValidity(const Array& array, std::span<const int64_t> indices,
                               int64_t* null_count) {
  *null_count = 0;
  const uint8_t* bits = array.null_bitmap_data();
  if (bits == nullptr || array.null_count() == 0) return BufferPtr{};
  const auto n = static_cast<int64_t>(indices.size());
  SILT_ASSIGN_OR_RETURN(MutableBufferPtr out,
                        MutableBuffer::Allocate(bit_util::BytesForBits(n), /*zero_fill=*/true));
  uint8_t* dst = out->mutable_data();
  const int64_t offset = array.offset();
  int64_t valid = 0;
  for (int64_t k = 0; k < n; ++k) {
    if (bit_util::GetBit(bits, offset + indices[k])) {
      bit_util::SetBit(dst, k);
      ++valid;
    }
  }
  *null_count = n - valid;
  if (*null_count == 0) return BufferPtr{};
  return BufferPtr(std::move(out));
}

template <int kWidth>
void GatherFixed(const uint8_t* src, std::span<const int64_t> indices, uint8_t* dst) {
  if constexpr (kWidth == 1 || kWidth == 2 || kWidth == 4 || kWidth == 8) {
    using T = std::conditional_t<
        kWidth == 1, uint8_t,
        std::conditional_t<kWidth == 2, uint16_t,
                           std::conditional_t<kWidth == 4, uint32_t, uint64_t>>>;
    T* out = reinterpret_cast<T*>(dst);
    for (size_t k = 0; k < indices.size(); ++k) {
      std::memcpy(&out[k], src + indices[k] * kWidth, kWidth);
    }
  } else {
    for (size_t k = 0; k < indices.size(); ++k) {
      std::memcpy(dst + k * kWidth, src + indices[k] * kWidth, kWidth);
    }
  }
}

Result<ArrayPtr> TakeFixedWidth(const Array& array, std::span<const int64_t> indices) {
  const int width = array.type()->byte_width();
  const auto n = static_cast<int64_t>(indices.size());
  int64_t null_count = 0;
  SILT_ASSIGN_OR_RETURN(BufferPtr validity, TakeValidity(array, indices, &null_count));
  SILT_ASSIGN_OR_RETURN(MutableBufferPtr values, MutableBuffer::Allocate(n * width));
  const uint8_t* src = array.data()->buffers[1]->data() + array.offset() * width;
  uint8_t* dst = values->mutable_data();
  switch (width) {
    case 1: GatherFixed<1>(src, indices, dst); break;
    case 2: GatherFixed<2>(src, indices, dst); break;
    case 4: GatherFixed<4>(src, indices, dst); break;
    case 8: GatherFixed<8>(src, indices, dst); break;
    case 16: GatherFixed<16>(src, indices, dst); break;
    default:
      for (int64_t k = 0; k < n; ++k) std::memcpy(dst + k * width, src + indices[k] * width, width);
  }
  return MakeFixedWidthArray(array.type(), n, std::move(values), std::move(validity), null_count);
}

Result<ArrayPtr> TakeBoolean(const BooleanArray& array, std::span<const int64_t> indices) {
  const auto n = static_cast<int64_t>(indices.size());
  int64_t null_count = 0;
  SILT_ASSIGN_OR_RETURN(BufferPtr validity, TakeValidity(array, indices, &null_count));
  SILT_ASSIGN_OR_RETURN(MutableBufferPtr values,
                        MutableBuffer::Allocate(bit_util::BytesForBits(n), /*zero_fill=*/true));
  uint8_t* dst = values->mutable_data();
  for (int64_t k = 0; k < n; ++k) {
    if (array.Value(indices[k])) bit_util::SetBit(dst, k);
  }
  return MakeFixedWidthArray(array.type(), n, std::move(values), std::move(validity), null_count);
}

Result<ArrayPtr> TakeBinary(const BinaryArray& array, std::span<const int64_t> indices) {
  const auto n = static_cast<int64_t>(indices.size());
  const int32_t* offsets = array.raw_offsets();
  int64_t bytes = 0;
  for (int64_t k = 0; k < n; ++k) bytes += offsets[indices[k] + 1] - offsets[indices[k]];
  if (bytes > std::numeric_limits<int32_t>::max()) {
    return Status::InvalidArgument(
        "Take: {} bytes of {} values exceed the 2 GiB limit of 32-bit offsets", bytes,
        array.type()->ToString());
  }
  int64_t null_count = 0;
  SILT_ASSIGN_OR_RETURN(BufferPtr validity, TakeValidity(array, indices, &null_count));
  SILT_ASSIGN_OR_RETURN(MutableBufferPtr out_offsets,
                        MutableBuffer::Allocate((n + 1) * int64_t{sizeof(int32_t)}));
  SILT_ASSIGN_OR_RETURN(MutableBufferPtr out_data, MutableBuffer::Allocate(bytes));
  int32_t* dst_offsets = out_offsets->mutable_data_as<int32_t>();
  uint8_t* dst = out_data->mutable_data();
  const uint8_t* src = array.raw_data();
  int32_t end = 0;
  dst_offsets[0] = 0;
  for (int64_t k = 0; k < n; ++k) {
    const int32_t begin = offsets[indices[k]];
    const int32_t length = offsets[indices[k] + 1] - begin;
    std::memcpy(dst + end, src + begin, static_cast<size_t>(length));
    end += length;
    dst_offsets[k + 1] = end;
  }
  return MakeBinaryArray(array.type(), n, std::move(out_offsets), std::move(out_data),
                         std::move(validity), null_count);
}

// Nested types: the builder's slice appends, one run of consecutive indices at a time.
Result<ArrayPtr> TakeWithBuilder(const Array& array, std::span<const int64_t> indices) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<ArrayBuilder> builder, MakeBuilder(array.type()));
  SILT_RETURN_NOT_OK(builder->Reserve(static_cast<int64_t>(indices.size())));
  size_t k = 0;
  while (k < indices.size()) {
    size_t end = k + 1;
    while (end < indices.size() && indices[end] == indices[end - 1] + 1) ++end;
    SILT_RETURN_NOT_OK(
        builder->AppendArraySlice(array, indices[k], static_cast<int64_t>(end - k)));
    k = end;
  }
  return builder->Finish();
}

}  // namespace

Result<ArrayPtr> Take(const Array& array, std::span<const int64_t> indices) {
  const int64_t length = array.length();
  for (const int64_t i : indices) {
    if (i < 0 || i >= length) {
      return Status::InvalidArgument("Take: index {} out of range [0, {})", i, length);
    }
  }
  switch (array.type_id()) {
    case TypeId::kBoolean:
      return TakeBoolean(static_cast<const BooleanArray&>(array), indices);
    case TypeId::kString:
    case TypeId::kBinary:
      return TakeBinary(static_cast<const BinaryArray&>(array), indices);
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      return TakeWithBuilder(array, indices);
    default:
      return TakeFixedWidth(array, indices);
  }
}

Result<RecordBatchPtr> TakeRows(const RecordBatch& batch, std::span<const int64_t> indices) {
  std::vector<ArrayPtr> columns;
  columns.reserve(static_cast<size_t>(batch.num_columns()));
  for (const ArrayPtr& column : batch.columns()) {
    SILT_ASSIGN_OR_RETURN(ArrayPtr taken, Take(*column, indices));
    columns.push_back(std::move(taken));
  }
  return RecordBatch::Make(batch.schema(), static_cast<int64_t>(indices.size()),
                           std::move(columns));
}

}  // namespace silt::columnar
