#include "silt/columnar/take.h"

#include <cstring>
#include <limits>
#include <type_traits>
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
    using T =
        std::conditional_t<kWidth == 1, uint8_t,
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
    case 1:
      GatherFixed<1>(src, indices, dst);
      break;
    case 2:
      GatherFixed<2>(src, indices, dst);
      break;
    case 4:
      GatherFixed<4>(src, indices, dst);
      break;
    case 8:
      GatherFixed<8>(src, indices, dst);
      break;
    case 16:
      GatherFixed<16>(src, indices, dst);
      break;
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
    SILT_RETURN_NOT_OK(builder->AppendArraySlice(array, indices[k], static_cast<int64_t>(end - k)));
    k = end;
  }
  return builder->Finish();
}

// The group of each element and the element count of each group.
struct Groups {
  std::span<const uint32_t> group_of;
  std::vector<int64_t> counts;
};

Result<std::vector<BufferPtr>> SplitValidity(const Array& array, const Groups& groups,
                                             std::vector<int64_t>* null_counts) {
  const size_t num_groups = groups.counts.size();
  std::vector<BufferPtr> out(num_groups);
  null_counts->assign(num_groups, 0);
  const uint8_t* bits = array.null_bitmap_data();
  if (bits == nullptr || array.null_count() == 0) return out;
  std::vector<MutableBufferPtr> buffers(num_groups);
  std::vector<uint8_t*> dst(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(buffers[g],
                          MutableBuffer::Allocate(bit_util::BytesForBits(groups.counts[g]),
                                                  /*zero_fill=*/true));
    dst[g] = buffers[g]->mutable_data();
  }
  std::vector<int64_t> cursor(num_groups, 0);
  const int64_t offset = array.offset();
  for (size_t i = 0; i < groups.group_of.size(); ++i) {
    const uint32_t g = groups.group_of[i];
    if (bit_util::GetBit(bits, offset + static_cast<int64_t>(i))) {
      bit_util::SetBit(dst[g], cursor[g]);
    } else {
      ++(*null_counts)[g];
    }
    ++cursor[g];
  }
  for (size_t g = 0; g < num_groups; ++g) {
    if ((*null_counts)[g] > 0) out[g] = std::move(buffers[g]);
  }
  return out;
}

template <int kWidth>
void ScatterFixed(const uint8_t* src, std::span<const uint32_t> group_of,
                  const std::vector<uint8_t*>& dst) {
  std::vector<uint8_t*> cursor = dst;
  for (size_t i = 0; i < group_of.size(); ++i) {
    uint8_t*& out = cursor[group_of[i]];
    std::memcpy(out, src + i * kWidth, kWidth);
    out += kWidth;
  }
}

Result<std::vector<ArrayPtr>> SplitFixedWidth(const Array& array, const Groups& groups) {
  const int width = array.type()->byte_width();
  const size_t num_groups = groups.counts.size();
  std::vector<int64_t> null_counts;
  SILT_ASSIGN_OR_RETURN(std::vector<BufferPtr> validity,
                        SplitValidity(array, groups, &null_counts));
  std::vector<MutableBufferPtr> values(num_groups);
  std::vector<uint8_t*> dst(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(values[g], MutableBuffer::Allocate(groups.counts[g] * width));
    dst[g] = values[g]->mutable_data();
  }
  const uint8_t* src = array.data()->buffers[1]->data() + array.offset() * width;
  switch (width) {
    case 1:
      ScatterFixed<1>(src, groups.group_of, dst);
      break;
    case 2:
      ScatterFixed<2>(src, groups.group_of, dst);
      break;
    case 4:
      ScatterFixed<4>(src, groups.group_of, dst);
      break;
    case 8:
      ScatterFixed<8>(src, groups.group_of, dst);
      break;
    case 16:
      ScatterFixed<16>(src, groups.group_of, dst);
      break;
    default: {
      std::vector<uint8_t*> cursor = dst;
      for (size_t i = 0; i < groups.group_of.size(); ++i) {
        uint8_t*& out = cursor[groups.group_of[i]];
        std::memcpy(out, src + i * width, static_cast<size_t>(width));
        out += width;
      }
    }
  }
  std::vector<ArrayPtr> out;
  out.reserve(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(ArrayPtr a,
                          MakeFixedWidthArray(array.type(), groups.counts[g], std::move(values[g]),
                                              std::move(validity[g]), null_counts[g]));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<ArrayPtr>> SplitBoolean(const BooleanArray& array, const Groups& groups) {
  const size_t num_groups = groups.counts.size();
  std::vector<int64_t> null_counts;
  SILT_ASSIGN_OR_RETURN(std::vector<BufferPtr> validity,
                        SplitValidity(array, groups, &null_counts));
  std::vector<MutableBufferPtr> values(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(values[g],
                          MutableBuffer::Allocate(bit_util::BytesForBits(groups.counts[g]),
                                                  /*zero_fill=*/true));
  }
  std::vector<int64_t> cursor(num_groups, 0);
  for (size_t i = 0; i < groups.group_of.size(); ++i) {
    const uint32_t g = groups.group_of[i];
    if (array.Value(static_cast<int64_t>(i)))
      bit_util::SetBit(values[g]->mutable_data(), cursor[g]);
    ++cursor[g];
  }
  std::vector<ArrayPtr> out;
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(ArrayPtr a,
                          MakeFixedWidthArray(array.type(), groups.counts[g], std::move(values[g]),
                                              std::move(validity[g]), null_counts[g]));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<ArrayPtr>> SplitBinary(const BinaryArray& array, const Groups& groups) {
  const size_t num_groups = groups.counts.size();
  const int32_t* offsets = array.raw_offsets();
  std::vector<int64_t> bytes(num_groups, 0);
  for (size_t i = 0; i < groups.group_of.size(); ++i) {
    bytes[groups.group_of[i]] += offsets[i + 1] - offsets[i];
  }
  std::vector<int64_t> null_counts;
  SILT_ASSIGN_OR_RETURN(std::vector<BufferPtr> validity,
                        SplitValidity(array, groups, &null_counts));
  std::vector<MutableBufferPtr> out_offsets(num_groups);
  std::vector<MutableBufferPtr> out_data(num_groups);
  struct Cursor {
    int32_t* offset;  // the next offset to write
    uint8_t* data;    // where the group's data starts
    int32_t end;      // bytes written so far
  };
  std::vector<Cursor> cursor(num_groups);
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(out_offsets[g],
                          MutableBuffer::Allocate((groups.counts[g] + 1) * int64_t{4}));
    SILT_ASSIGN_OR_RETURN(out_data[g], MutableBuffer::Allocate(bytes[g]));
    int32_t* o = out_offsets[g]->mutable_data_as<int32_t>();
    o[0] = 0;
    cursor[g] = Cursor{o + 1, out_data[g]->mutable_data(), 0};
  }
  const uint8_t* src = array.raw_data();
  for (size_t i = 0; i < groups.group_of.size(); ++i) {
    Cursor& c = cursor[groups.group_of[i]];
    const int32_t begin = offsets[i];
    const int32_t length = offsets[i + 1] - begin;
    std::memcpy(c.data + c.end, src + begin, static_cast<size_t>(length));
    c.end += length;
    *c.offset++ = c.end;
  }
  std::vector<ArrayPtr> out;
  for (size_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(
        ArrayPtr a,
        MakeBinaryArray(array.type(), groups.counts[g], std::move(out_offsets[g]),
                        std::move(out_data[g]), std::move(validity[g]), null_counts[g]));
    out.push_back(std::move(a));
  }
  return out;
}

// Nested types: a Take per group.
Result<std::vector<ArrayPtr>> SplitWithTake(const Array& array, const Groups& groups) {
  std::vector<std::vector<int64_t>> indices(groups.counts.size());
  for (size_t g = 0; g < indices.size(); ++g) {
    indices[g].reserve(static_cast<size_t>(groups.counts[g]));
  }
  for (size_t i = 0; i < groups.group_of.size(); ++i) {
    indices[groups.group_of[i]].push_back(static_cast<int64_t>(i));
  }
  std::vector<ArrayPtr> out;
  for (const auto& idx : indices) {
    SILT_ASSIGN_OR_RETURN(ArrayPtr a, TakeWithBuilder(array, idx));
    out.push_back(std::move(a));
  }
  return out;
}

Result<Groups> CountGroups(std::span<const uint32_t> group_of, int64_t length,
                           uint32_t num_groups) {
  if (static_cast<int64_t>(group_of.size()) != length) {
    return Status::InvalidArgument("Split: {} group numbers for {} elements", group_of.size(),
                                   length);
  }
  Groups groups{group_of, std::vector<int64_t>(num_groups, 0)};
  for (const uint32_t g : group_of) {
    if (g >= num_groups) {
      return Status::InvalidArgument("Split: group {} out of range [0, {})", g, num_groups);
    }
    ++groups.counts[g];
  }
  return groups;
}

Result<std::vector<ArrayPtr>> SplitCounted(const Array& array, const Groups& groups) {
  switch (array.type_id()) {
    case TypeId::kBoolean:
      return SplitBoolean(static_cast<const BooleanArray&>(array), groups);
    case TypeId::kString:
    case TypeId::kBinary:
      // A group holds at most the input's bytes, which fit 32-bit offsets.
      return SplitBinary(static_cast<const BinaryArray&>(array), groups);
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      return SplitWithTake(array, groups);
    default:
      return SplitFixedWidth(array, groups);
  }
}

}  // namespace

Result<std::vector<ArrayPtr>> SplitArray(const Array& array, std::span<const uint32_t> group_of,
                                         uint32_t num_groups) {
  SILT_ASSIGN_OR_RETURN(Groups groups, CountGroups(group_of, array.length(), num_groups));
  return SplitCounted(array, groups);
}

Result<std::vector<RecordBatchPtr>> SplitRows(const RecordBatch& batch,
                                              std::span<const uint32_t> group_of,
                                              uint32_t num_groups) {
  SILT_ASSIGN_OR_RETURN(Groups groups, CountGroups(group_of, batch.num_rows(), num_groups));
  std::vector<std::vector<ArrayPtr>> columns(num_groups);
  for (const ArrayPtr& column : batch.columns()) {
    SILT_ASSIGN_OR_RETURN(std::vector<ArrayPtr> parts, SplitCounted(*column, groups));
    for (uint32_t g = 0; g < num_groups; ++g) columns[g].push_back(std::move(parts[g]));
  }
  std::vector<RecordBatchPtr> out;
  out.reserve(num_groups);
  for (uint32_t g = 0; g < num_groups; ++g) {
    SILT_ASSIGN_OR_RETURN(RecordBatchPtr b, RecordBatch::Make(batch.schema(), groups.counts[g],
                                                              std::move(columns[g])));
    out.push_back(std::move(b));
  }
  return out;
}

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

Result<ArrayPtr> TakeRanges(const Array& array, const RowRanges& ranges) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<ArrayBuilder> builder, MakeBuilder(array.type()));
  int64_t rows = 0;
  for (const auto& [start, length] : ranges) {
    if (start < 0 || length < 0 || start + length > array.length()) {
      return Status::InvalidArgument("TakeRanges: rows [{}, {}) outside [0, {})", start,
                                     start + length, array.length());
    }
    rows += length;
  }
  SILT_RETURN_NOT_OK(builder->Reserve(rows));
  for (const auto& [start, length] : ranges) {
    SILT_RETURN_NOT_OK(builder->AppendArraySlice(array, start, length));
  }
  return builder->Finish();
}

Result<RecordBatchPtr> TakeRanges(const RecordBatch& batch, const RowRanges& ranges) {
  if (ranges.size() == 1 && ranges[0].first == 0 && ranges[0].second == batch.num_rows()) {
    return batch.Slice(0, batch.num_rows());
  }
  int64_t rows = 0;
  for (const auto& r : ranges) rows += r.second;
  std::vector<ArrayPtr> columns;
  columns.reserve(static_cast<size_t>(batch.num_columns()));
  for (const ArrayPtr& column : batch.columns()) {
    SILT_ASSIGN_OR_RETURN(ArrayPtr taken, TakeRanges(*column, ranges));
    columns.push_back(std::move(taken));
  }
  return RecordBatch::Make(batch.schema(), rows, std::move(columns));
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
