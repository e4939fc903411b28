#include "silt/columnar/array.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "silt/columnar/pretty.h"

namespace silt::columnar {

namespace {

// Deeper nesting than this is rejected (it would only come from hostile input).
constexpr int kMaxNestingDepth = 128;
constexpr int64_t kMaxLength = std::numeric_limits<int64_t>::max() / 32;

int ExpectedBufferCount(TypeId id) {
  switch (id) {
    case TypeId::kStruct: return 1;
    case TypeId::kString:
    case TypeId::kBinary: return 3;
    default: return 2;
  }
}

bool IsAligned(const void* p, size_t alignment) {
  return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}

Status CheckBufferSize(const ArrayData& data, int index, int64_t min_size, const char* what) {
  const BufferPtr& buffer = data.buffers[index];
  if (buffer == nullptr) {
    return Status::InvalidArgument("{} array: {} buffer is missing", data.type->ToString(), what);
  }
  if (buffer->size() < min_size) {
    return Status::InvalidArgument("{} array of length {} at offset {}: {} buffer has {} bytes, "
                                   "needs at least {}",
                                   data.type->ToString(), data.length, data.offset, what,
                                   buffer->size(), min_size);
  }
  return Status::OK();
}

// Offsets [offset, offset + length] must be monotone, start >= 0 and end <= limit.
Status CheckOffsets(const ArrayData& data, int64_t limit, const char* limit_what) {
  SILT_RETURN_NOT_OK(CheckBufferSize(data, 1, (data.offset + data.length + 1) * 4, "offsets"));
  const uint8_t* raw = data.buffers[1]->data();
  if (!IsAligned(raw, alignof(int32_t))) {
    return Status::InvalidArgument("{} array: offsets buffer is not 4-byte aligned",
                                   data.type->ToString());
  }
  const int32_t* offsets = reinterpret_cast<const int32_t*>(raw) + data.offset;
  if (offsets[0] < 0) {
    return Status::InvalidArgument("{} array: first offset {} is negative", data.type->ToString(),
                                   offsets[0]);
  }
  // Blocks of a fixed size without an early exit compile to vector compares; the element at
  // fault is looked for only in a block that has one.
  constexpr int64_t kBlock = 64;
  for (int64_t block = 0; block < data.length; block += kBlock) {
    const int64_t end = std::min(data.length, block + kBlock);
    bool decreases = false;
    if (end - block == kBlock) {
      for (int64_t k = 0; k < kBlock; ++k) {
        decreases |= offsets[block + k + 1] < offsets[block + k];
      }
    } else {
      decreases = true;  // the short last block is checked element by element
    }
    if (!decreases) continue;
    for (int64_t i = block; i < end; ++i) {
      if (offsets[i + 1] < offsets[i]) {
        return Status::InvalidArgument("{} array: offsets decrease at element {} ({} > {})",
                                       data.type->ToString(), i, offsets[i], offsets[i + 1]);
      }
    }
  }
  if (offsets[data.length] > limit) {
    return Status::InvalidArgument("{} array: last offset {} is past the end of the {} ({})",
                                   data.type->ToString(), offsets[data.length], limit_what, limit);
  }
  return Status::OK();
}

Status CheckChild(const ArrayData& data, const ArrayPtr& child, const DataType& expected_type,
                  int64_t min_length, std::string_view what) {
  if (child == nullptr) {
    return Status::InvalidArgument("{} array: {} child is missing", data.type->ToString(), what);
  }
  if (!child->type()->Equals(expected_type, /*check_metadata=*/false)) {
    return Status::InvalidArgument("{} array: {} child has type {}, expected {}",
                                   data.type->ToString(), what, child->type()->ToString(),
                                   expected_type.ToString());
  }
  if (child->length() < min_length) {
    return Status::InvalidArgument("{} array: {} child has length {}, needs at least {}",
                                   data.type->ToString(), what, child->length(), min_length);
  }
  return Status::OK();
}

// Checks one node given its built children, and fills in an unknown null count.
Result<ArrayDataPtr> CheckNode(ArrayDataPtr data_ptr, const std::vector<ArrayPtr>& children) {
  if (data_ptr == nullptr || data_ptr->type == nullptr) {
    return Status::InvalidArgument("array data without a type");
  }
  const ArrayData& data = *data_ptr;
  const DataType& type = *data.type;
  if (data.length < 0 || data.offset < 0 || data.length > kMaxLength ||
      data.offset > kMaxLength) {
    return Status::InvalidArgument("{} array: invalid length {} or offset {}", type.ToString(),
                                   data.length, data.offset);
  }
  const int64_t end = data.offset + data.length;
  int expected_buffers = ExpectedBufferCount(type.id());
  if (static_cast<int>(data.buffers.size()) != expected_buffers) {
    return Status::InvalidArgument("{} array: expected {} buffers, got {}", type.ToString(),
                                   expected_buffers, data.buffers.size());
  }
  // Validity.
  if (data.buffers[0] != nullptr) {
    SILT_RETURN_NOT_OK(CheckBufferSize(data, 0, bit_util::BytesForBits(end), "validity"));
  } else if (data.null_count > 0) {
    return Status::InvalidArgument("{} array: null_count {} without a validity bitmap",
                                   type.ToString(), data.null_count);
  }
  if (data.null_count > data.length) {
    return Status::InvalidArgument("{} array: null_count {} exceeds length {}", type.ToString(),
                                   data.null_count, data.length);
  }
  // Values / offsets / children.
  size_t expected_children = 0;
  switch (type.id()) {
    case TypeId::kBoolean:
      SILT_RETURN_NOT_OK(CheckBufferSize(data, 1, bit_util::BytesForBits(end), "values"));
      break;
    case TypeId::kString:
    case TypeId::kBinary: {
      if (data.buffers[2] == nullptr) {
        return Status::InvalidArgument("{} array: data buffer is missing", type.ToString());
      }
      SILT_RETURN_NOT_OK(CheckOffsets(data, data.buffers[2]->size(), "data buffer"));
      break;
    }
    case TypeId::kStruct: {
      const auto& st = AsStruct(type);
      expected_children = static_cast<size_t>(st.num_fields());
      if (children.size() == expected_children) {
        for (int i = 0; i < st.num_fields(); ++i) {
          SILT_RETURN_NOT_OK(CheckChild(data, children[i], *st.field(i).type(), end,
                                        fmt::format("field '{}'", st.field(i).name())));
        }
      }
      break;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      expected_children = 1;
      if (children.size() == 1) {
        const DataType& child_type = type.id() == TypeId::kList ? *AsList(type).element_type()
                                                                : *AsMap(type).entries_type();
        SILT_RETURN_NOT_OK(CheckChild(data, children[0], child_type, 0, "values"));
        SILT_RETURN_NOT_OK(CheckOffsets(data, children[0]->length(), "child array"));
      }
      break;
    }
    default: {
      int width = type.byte_width();
      SILT_RETURN_NOT_OK(CheckBufferSize(data, 1, end * width, "values"));
      // Decimals are read with memcpy; the others through typed pointers.
      if (type.id() != TypeId::kDecimal &&
          !IsAligned(data.buffers[1]->data(), static_cast<size_t>(width))) {
        return Status::InvalidArgument("{} array: values buffer is not {}-byte aligned",
                                       type.ToString(), width);
      }
      break;
    }
  }
  if (children.size() != expected_children || data.children.size() != expected_children) {
    return Status::InvalidArgument("{} array: expected {} children, got {}", type.ToString(),
                                   expected_children, data.children.size());
  }
  if (data.null_count < 0) {
    auto copy = std::make_shared<ArrayData>(data);
    copy->null_count = data.buffers[0] == nullptr
                           ? 0
                           : data.length - bit_util::CountSetBits(data.buffers[0]->data(),
                                                                  data.offset, data.length);
    return ArrayDataPtr(std::move(copy));
  }
  return data_ptr;
}

Result<ArrayPtr> MakeArrayRecursive(ArrayDataPtr data, int depth) {
  if (depth > kMaxNestingDepth) {
    return Status::InvalidArgument("array nesting deeper than {} levels", kMaxNestingDepth);
  }
  if (data == nullptr) return Status::InvalidArgument("null array data");
  std::vector<ArrayPtr> children;
  children.reserve(data->children.size());
  for (const auto& child : data->children) {
    SILT_ASSIGN_OR_RETURN(auto built, MakeArrayRecursive(child, depth + 1));
    children.push_back(std::move(built));
  }
  SILT_ASSIGN_OR_RETURN(data, CheckNode(std::move(data), children));
  return internal::BuildArray(std::move(data), std::move(children));
}

std::vector<ArrayPtr> ChildrenOf(const Array& array) {
  switch (array.type_id()) {
    case TypeId::kStruct: {
      const auto& s = static_cast<const StructArray&>(array);
      std::vector<ArrayPtr> out;
      for (int i = 0; i < s.num_fields(); ++i) out.push_back(s.raw_field(i));
      return out;
    }
    case TypeId::kList:
    case TypeId::kMap:
      return {static_cast<const ListArray&>(array).values()};
    default:
      return {};
  }
}

Result<ArrayPtr> MakeFromParts(TypePtr type, int64_t length, int64_t offset, int64_t null_count,
                               std::vector<BufferPtr> buffers, std::vector<ArrayPtr> children) {
  auto data = std::make_shared<ArrayData>();
  data->type = std::move(type);
  data->length = length;
  data->offset = offset;
  data->null_count = null_count;
  data->buffers = std::move(buffers);
  for (const auto& child : children) {
    if (child == nullptr) return Status::InvalidArgument("null child array");
    data->children.push_back(child->data());
  }
  SILT_ASSIGN_OR_RETURN(auto checked, CheckNode(std::move(data), children));
  return internal::BuildArray(std::move(checked), std::move(children));
}

}  // namespace

namespace internal {

ArrayPtr BuildArray(ArrayDataPtr data, std::vector<ArrayPtr> children) {
  ArrayKey key;
  switch (data->type->id()) {
    case TypeId::kBoolean: return std::make_shared<BooleanArray>(std::move(data), key);
    case TypeId::kInt8: return std::make_shared<Int8Array>(std::move(data), key);
    case TypeId::kInt16: return std::make_shared<Int16Array>(std::move(data), key);
    case TypeId::kInt32:
    case TypeId::kDate: return std::make_shared<Int32Array>(std::move(data), key);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return std::make_shared<Int64Array>(std::move(data), key);
    case TypeId::kFloat32: return std::make_shared<Float32Array>(std::move(data), key);
    case TypeId::kFloat64: return std::make_shared<Float64Array>(std::move(data), key);
    case TypeId::kDecimal: return std::make_shared<DecimalArray>(std::move(data), key);
    case TypeId::kString:
    case TypeId::kBinary: return std::make_shared<BinaryArray>(std::move(data), key);
    case TypeId::kStruct:
      return std::make_shared<StructArray>(std::move(data), std::move(children), key);
    case TypeId::kList:
      return std::make_shared<ListArray>(std::move(data), std::move(children[0]), key);
    case TypeId::kMap:
      return std::make_shared<MapArray>(std::move(data), std::move(children[0]), key);
  }
  return nullptr;
}

}  // namespace internal

Result<ArrayPtr> MakeArray(ArrayDataPtr data) { return MakeArrayRecursive(std::move(data), 0); }

// ---------------------------------------------------------------------------------------------
// Array and typed arrays

Array::Array(ArrayDataPtr data)
    : data_(std::move(data)),
      null_bitmap_(data_->null_count > 0 ? data_->buffers[0]->data() : nullptr) {}

ArrayPtr Array::Slice(int64_t offset, int64_t length) const {
  offset = std::clamp<int64_t>(offset, 0, this->length());
  length = std::clamp<int64_t>(length, 0, this->length() - offset);
  auto sliced = std::make_shared<ArrayData>(*data_);
  sliced->offset = data_->offset + offset;
  sliced->length = length;
  if (null_count() == 0) {
    sliced->null_count = 0;
  } else if (length == this->length()) {
    sliced->null_count = null_count();
  } else {
    sliced->null_count =
        length - bit_util::CountSetBits(data_->buffers[0]->data(), sliced->offset, length);
  }
  return internal::BuildArray(std::move(sliced), ChildrenOf(*this));
}

std::string Array::ToString() const { return ArrayToJson(*this); }

BooleanArray::BooleanArray(ArrayDataPtr data, internal::ArrayKey)
    : Array(std::move(data)), values_(this->data()->buffers[1]->data()) {}

DecimalArray::DecimalArray(ArrayDataPtr data, internal::ArrayKey)
    : Array(std::move(data)), raw_values_(this->data()->buffers[1]->data() + 16 * offset()) {}

int32_t DecimalArray::precision() const { return AsDecimal(*type()).precision(); }
int32_t DecimalArray::scale() const { return AsDecimal(*type()).scale(); }

BinaryArray::BinaryArray(ArrayDataPtr data, internal::ArrayKey)
    : Array(std::move(data)),
      raw_offsets_(this->data()->buffers[1]->data_as<int32_t>() + offset()),
      raw_data_(this->data()->buffers[2]->data()) {}

StructArray::StructArray(ArrayDataPtr data, std::vector<ArrayPtr> children, internal::ArrayKey)
    : Array(std::move(data)), children_(std::move(children)) {}

ArrayPtr StructArray::field(int i) const {
  const ArrayPtr& child = children_[i];
  if (offset() == 0 && child->length() == length()) return child;
  return child->Slice(offset(), length());
}

ArrayPtr StructArray::GetFieldByName(std::string_view name) const {
  int i = AsStruct(*type()).GetFieldIndex(name);
  return i < 0 ? nullptr : field(i);
}

ListArray::ListArray(ArrayDataPtr data, ArrayPtr values, internal::ArrayKey)
    : Array(std::move(data)), values_(std::move(values)),
      raw_offsets_(this->data()->buffers[1]->data_as<int32_t>() + offset()) {}

MapArray::MapArray(ArrayDataPtr data, ArrayPtr entries, internal::ArrayKey key)
    : ListArray(std::move(data), std::move(entries), key) {
  const auto& entries_struct = static_cast<const StructArray&>(*values());
  keys_ = entries_struct.raw_field(0);
  items_ = entries_struct.raw_field(1);
}

// ---------------------------------------------------------------------------------------------
// Equality

namespace {

bool ElementEquals(const Array& a, int64_t i, const Array& b, int64_t j);

bool RangeEquals(const Array& a, int64_t a_start, const Array& b, int64_t b_start,
                 int64_t length) {
  for (int64_t k = 0; k < length; ++k) {
    if (!ElementEquals(a, a_start + k, b, b_start + k)) return false;
  }
  return true;
}

template <typename T>
bool NumericEquals(const Array& a, int64_t i, const Array& b, int64_t j) {
  T x = static_cast<const NumericArray<T>&>(a).Value(i);
  T y = static_cast<const NumericArray<T>&>(b).Value(j);
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(x) && std::isnan(y)) return true;
  }
  return x == y;
}

// Precondition: same type.
bool ElementEquals(const Array& a, int64_t i, const Array& b, int64_t j) {
  bool a_null = a.IsNull(i);
  if (a_null != b.IsNull(j)) return false;
  if (a_null) return true;
  switch (a.type_id()) {
    case TypeId::kBoolean:
      return static_cast<const BooleanArray&>(a).Value(i) ==
             static_cast<const BooleanArray&>(b).Value(j);
    case TypeId::kInt8: return NumericEquals<int8_t>(a, i, b, j);
    case TypeId::kInt16: return NumericEquals<int16_t>(a, i, b, j);
    case TypeId::kInt32:
    case TypeId::kDate: return NumericEquals<int32_t>(a, i, b, j);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return NumericEquals<int64_t>(a, i, b, j);
    case TypeId::kFloat32: return NumericEquals<float>(a, i, b, j);
    case TypeId::kFloat64: return NumericEquals<double>(a, i, b, j);
    case TypeId::kDecimal:
      return static_cast<const DecimalArray&>(a).Value(i) ==
             static_cast<const DecimalArray&>(b).Value(j);
    case TypeId::kString:
    case TypeId::kBinary:
      return static_cast<const BinaryArray&>(a).GetView(i) ==
             static_cast<const BinaryArray&>(b).GetView(j);
    case TypeId::kStruct: {
      const auto& sa = static_cast<const StructArray&>(a);
      const auto& sb = static_cast<const StructArray&>(b);
      for (int f = 0; f < sa.num_fields(); ++f) {
        if (!ElementEquals(*sa.raw_field(f), sa.offset() + i, *sb.raw_field(f),
                           sb.offset() + j)) {
          return false;
        }
      }
      return true;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      const auto& la = static_cast<const ListArray&>(a);
      const auto& lb = static_cast<const ListArray&>(b);
      int32_t n = la.value_length(i);
      if (n != lb.value_length(j)) return false;
      return RangeEquals(*la.values(), la.value_offset(i), *lb.values(), lb.value_offset(j), n);
    }
  }
  return false;
}

}  // namespace

bool Array::Equals(const Array& other) const {
  if (this == &other) return true;
  if (length() != other.length()) return false;
  if (!type()->Equals(*other.type(), /*check_metadata=*/false)) return false;
  if (null_count() != other.null_count()) return false;
  return RangeEquals(*this, 0, other, 0, length());
}

// ---------------------------------------------------------------------------------------------
// Factories

Result<ArrayPtr> MakeFixedWidthArray(TypePtr type, int64_t length, BufferPtr values,
                                     BufferPtr validity, int64_t null_count, int64_t offset) {
  if (type == nullptr || !type->is_fixed_width()) {
    return Status::InvalidArgument("MakeFixedWidthArray needs a fixed-width type, got {}",
                                   type ? type->ToString() : "null");
  }
  return MakeFromParts(std::move(type), length, offset, null_count,
                       {std::move(validity), std::move(values)}, {});
}

Result<ArrayPtr> MakeBinaryArray(TypePtr type, int64_t length, BufferPtr offsets, BufferPtr data,
                                 BufferPtr validity, int64_t null_count, int64_t offset) {
  if (type == nullptr || !type->is_binary_like()) {
    return Status::InvalidArgument("MakeBinaryArray needs string or binary, got {}",
                                   type ? type->ToString() : "null");
  }
  return MakeFromParts(std::move(type), length, offset, null_count,
                       {std::move(validity), std::move(offsets), std::move(data)}, {});
}

Result<ArrayPtr> MakeStructArray(TypePtr type, int64_t length, std::vector<ArrayPtr> children,
                                 BufferPtr validity, int64_t null_count) {
  if (type == nullptr || type->id() != TypeId::kStruct) {
    return Status::InvalidArgument("MakeStructArray needs a struct type, got {}",
                                   type ? type->ToString() : "null");
  }
  return MakeFromParts(std::move(type), length, 0, null_count, {std::move(validity)},
                       std::move(children));
}

Result<ArrayPtr> MakeListArray(TypePtr type, int64_t length, BufferPtr offsets, ArrayPtr values,
                               BufferPtr validity, int64_t null_count) {
  if (type == nullptr || (type->id() != TypeId::kList && type->id() != TypeId::kMap)) {
    return Status::InvalidArgument("MakeListArray needs an array or map type, got {}",
                                   type ? type->ToString() : "null");
  }
  return MakeFromParts(std::move(type), length, 0, null_count,
                       {std::move(validity), std::move(offsets)}, {std::move(values)});
}

namespace {

Result<ArrayDataPtr> Retype(const ArrayDataPtr& data, const TypePtr& type, int depth) {
  const DataType& from = *data->type;
  if (depth > kMaxNestingDepth) {
    return Status::InvalidArgument("array nesting deeper than {} levels", kMaxNestingDepth);
  }
  auto mismatch = [&] {
    return Status::InvalidArgument("cannot view {} data as {}: different layout",
                                   from.ToString(), type->ToString());
  };
  if (from.id() != type->id()) return mismatch();
  auto copy = std::make_shared<ArrayData>(*data);
  copy->type = type;
  switch (type->id()) {
    case TypeId::kDecimal:
      if (!from.Equals(*type)) return mismatch();
      break;
    case TypeId::kStruct: {
      const auto& fields = AsStruct(*type).fields();
      if (fields.size() != data->children.size()) return mismatch();
      for (size_t i = 0; i < fields.size(); ++i) {
        SILT_ASSIGN_OR_RETURN(copy->children[i],
                              Retype(data->children[i], fields[i].type(), depth + 1));
      }
      break;
    }
    case TypeId::kList: {
      SILT_ASSIGN_OR_RETURN(copy->children[0],
                            Retype(data->children[0], AsList(*type).element_type(), depth + 1));
      break;
    }
    case TypeId::kMap: {
      SILT_ASSIGN_OR_RETURN(copy->children[0],
                            Retype(data->children[0], AsMap(*type).entries_type(), depth + 1));
      break;
    }
    default:
      break;
  }
  return ArrayDataPtr(std::move(copy));
}

}  // namespace

Result<ArrayPtr> ArrayWithType(const ArrayPtr& array, TypePtr type) {
  if (array == nullptr || type == nullptr) {
    return Status::InvalidArgument("ArrayWithType: null array or type");
  }
  SILT_ASSIGN_OR_RETURN(auto data, Retype(array->data(), type, 0));
  return MakeArray(std::move(data));
}

Result<ArrayPtr> MakeArrayOfNulls(TypePtr type, int64_t length) {
  if (type == nullptr) return Status::InvalidArgument("MakeArrayOfNulls: null type");
  if (length < 0 || length > kMaxLength) {
    return Status::InvalidArgument("MakeArrayOfNulls: invalid length {}", length);
  }
  SILT_ASSIGN_OR_RETURN(BufferPtr validity,
                        Buffer::Zeros(bit_util::BytesForBits(length)));
  switch (type->id()) {
    case TypeId::kBoolean: {
      SILT_ASSIGN_OR_RETURN(BufferPtr values,
                            Buffer::Zeros(bit_util::BytesForBits(length)));
      return MakeFixedWidthArray(std::move(type), length, std::move(values), std::move(validity),
                                 length);
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      SILT_ASSIGN_OR_RETURN(BufferPtr offsets, Buffer::Zeros((length + 1) * 4));
      return MakeBinaryArray(std::move(type), length, std::move(offsets), Buffer::Empty(),
                             std::move(validity), length);
    }
    case TypeId::kStruct: {
      std::vector<ArrayPtr> children;
      for (const Field& field : AsStruct(*type).fields()) {
        SILT_ASSIGN_OR_RETURN(auto child, MakeArrayOfNulls(field.type(), length));
        children.push_back(std::move(child));
      }
      return MakeStructArray(std::move(type), length, std::move(children), std::move(validity),
                             length);
    }
    case TypeId::kList:
    case TypeId::kMap: {
      TypePtr child_type = type->id() == TypeId::kList ? AsList(*type).element_type()
                                                       : AsMap(*type).entries_type();
      SILT_ASSIGN_OR_RETURN(auto child, MakeArrayOfNulls(child_type, 0));
      SILT_ASSIGN_OR_RETURN(BufferPtr offsets, Buffer::Zeros((length + 1) * 4));
      return MakeListArray(std::move(type), length, std::move(offsets), std::move(child),
                           std::move(validity), length);
    }
    default: {
      SILT_ASSIGN_OR_RETURN(BufferPtr values,
                            Buffer::Zeros(length * type->byte_width()));
      return MakeFixedWidthArray(std::move(type), length, std::move(values), std::move(validity),
                                 length);
    }
  }
}

}  // namespace silt::columnar
