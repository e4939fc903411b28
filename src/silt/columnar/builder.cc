#include "silt/columnar/builder.h"

#include <limits>

#include "silt/base/macros.h"

namespace silt::columnar {

namespace {

constexpr int64_t kMaxOffset = std::numeric_limits<int32_t>::max();

// Lazily allocates `buffer` and grows it to hold `bytes` bytes.
Status EnsureSize(MutableBufferPtr& buffer, int64_t bytes) {
  if (buffer == nullptr) {
    SILT_ASSIGN_OR_RETURN(buffer, MutableBuffer::Allocate(bytes, true));
    return Status::OK();
  }
  return buffer->Resize(bytes);
}

Status EnsureCapacity(MutableBufferPtr& buffer, int64_t bytes) {
  if (buffer == nullptr) {
    SILT_ASSIGN_OR_RETURN(buffer, MutableBuffer::Allocate(0));
  }
  return buffer->Reserve(bytes);
}

// Makes `buffer` hold at least `bytes` bytes of capacity, keeping its first `used` bytes (the
// producer may have written past size(), which is stale while building). Bytes past `used` are
// zero afterwards.
Status GrowBuffer(MutableBufferPtr& buffer, int64_t used, int64_t bytes) {
  if (buffer == nullptr) {
    SILT_ASSIGN_OR_RETURN(buffer, MutableBuffer::Allocate(bytes, /*zero_fill=*/true));
    buffer->SetSize(0);
    return Status::OK();
  }
  buffer->SetSize(used);
  return buffer->Reserve(bytes);
}

// Also keeps byte-size arithmetic on counts far from overflow.
Status CheckCount(int64_t count) {
  if (count < 0) return Status::InvalidArgument("negative element count {}", count);
  if (count > (int64_t{1} << 40)) {
    return Status::ResourceExhausted("{} elements are more than a builder can hold", count);
  }
  return Status::OK();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ArrayBuilder

Status ArrayBuilder::Reserve(int64_t additional) {
  SILT_RETURN_NOT_OK(CheckCount(additional));
  return ReserveValidity(additional);
}

Result<ArrayPtr> ArrayBuilder::Finish() {
  auto result = FinishArray();
  length_ = 0;
  null_count_ = 0;
  validity_.reset();
  ResetSelf();
  return result;
}

Status ArrayBuilder::ReserveValidity(int64_t additional) {
  if (validity_ == nullptr) return Status::OK();
  return validity_->Reserve(bit_util::BytesForBits(length_ + additional));
}

Status ArrayBuilder::MaterializeValidity(int64_t additional) {
  int64_t bits = length_ + additional;
  if (validity_ == nullptr) {
    SILT_ASSIGN_OR_RETURN(validity_, MutableBuffer::Allocate(bit_util::BytesForBits(bits), true));
    bit_util::SetBitsTo(validity_->mutable_data(), 0, length_, true);
    return Status::OK();
  }
  return validity_->Resize(bit_util::BytesForBits(bits));
}

Status ArrayBuilder::AppendValidityRun(int64_t count, bool valid) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  if (!valid || validity_ != nullptr) {
    SILT_RETURN_NOT_OK(MaterializeValidity(count));
    bit_util::SetBitsTo(validity_->mutable_data(), length_, count, valid);
  }
  length_ += count;
  if (!valid) null_count_ += count;
  return Status::OK();
}

Status ArrayBuilder::AppendValidityFrom(const Array& array, int64_t offset, int64_t length) {
  if (array.null_count() == 0) return AppendValidityRun(length, true);
  SILT_RETURN_NOT_OK(MaterializeValidity(length));
  const uint8_t* src = array.data()->buffers[0]->data();
  bit_util::CopyBitmap(src, array.offset() + offset, length, validity_->mutable_data(), length_);
  null_count_ += length - bit_util::CountSetBits(src, array.offset() + offset, length);
  length_ += length;
  return Status::OK();
}

BufferPtr ArrayBuilder::TakeValidity() {
  if (validity_ == nullptr || null_count_ == 0) {
    validity_.reset();
    return nullptr;
  }
  Status st = validity_->Resize(bit_util::BytesForBits(length_));  // shrinking never fails
  st.IgnoreError();
  return std::move(validity_);
}

Status ArrayBuilder::CheckAppendSlice(const Array& array, int64_t offset, int64_t length) const {
  if (!array.type()->Equals(*type_, /*check_metadata=*/false)) {
    return Status::InvalidArgument("cannot append a {} array to a {} builder",
                                   array.type()->ToString(), type_->ToString());
  }
  if (offset < 0 || length < 0 || offset > array.length() || length > array.length() - offset) {
    return Status::InvalidArgument("slice [{}, +{}) is out of bounds of an array of length {}",
                                   offset, length, array.length());
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// BooleanBuilder

Status BooleanBuilder::Reserve(int64_t additional) {
  SILT_RETURN_NOT_OK(ArrayBuilder::Reserve(additional));
  return EnsureCapacity(values_, bit_util::BytesForBits(length_ + additional));
}

Status BooleanBuilder::Append(bool value) {
  SILT_RETURN_NOT_OK(EnsureSize(values_, bit_util::BytesForBits(length_ + 1)));
  bit_util::SetBitTo(values_->mutable_data(), length_, value);
  return AppendValidity(true);
}

Status BooleanBuilder::AppendNulls(int64_t count) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  SILT_RETURN_NOT_OK(EnsureSize(values_, bit_util::BytesForBits(length_ + count)));
  bit_util::SetBitsTo(values_->mutable_data(), length_, count, false);
  return AppendValidityRun(count, false);
}

Status BooleanBuilder::AppendArraySlice(const Array& array, int64_t offset, int64_t length) {
  SILT_RETURN_NOT_OK(CheckAppendSlice(array, offset, length));
  SILT_RETURN_NOT_OK(EnsureSize(values_, bit_util::BytesForBits(length_ + length)));
  const auto& bools = static_cast<const BooleanArray&>(array);
  bit_util::CopyBitmap(bools.values_bitmap(), array.offset() + offset, length,
                       values_->mutable_data(), length_);
  return AppendValidityFrom(array, offset, length);
}

Result<ArrayPtr> BooleanBuilder::FinishArray() {
  SILT_RETURN_NOT_OK(EnsureSize(values_, bit_util::BytesForBits(length_)));
  BufferPtr validity = TakeValidity();
  return MakeFixedWidthArray(type_, length_, std::move(values_), std::move(validity), null_count_);
}

void BooleanBuilder::ResetSelf() { values_.reset(); }

// ---------------------------------------------------------------------------------------------
// NumericBuilder

template <typename T>
NumericBuilder<T>::NumericBuilder(TypePtr type) : ArrayBuilder(std::move(type)) {
  SILT_DCHECK(type_->byte_width() == static_cast<int>(sizeof(T)) &&
              type_->id() != TypeId::kDecimal);
}

template <typename T>
Status NumericBuilder<T>::Grow(int64_t elements) {
  if (elements <= capacity_ && values_ != nullptr) return Status::OK();
  constexpr auto kWidth = static_cast<int64_t>(sizeof(T));
  SILT_RETURN_NOT_OK(GrowBuffer(values_, length_ * kWidth, elements * kWidth));
  raw_ = values_->template mutable_data_as<T>();
  capacity_ = values_->capacity() / kWidth;
  return Status::OK();
}

template <typename T>
Status NumericBuilder<T>::Reserve(int64_t additional) {
  SILT_RETURN_NOT_OK(ArrayBuilder::Reserve(additional));
  return Grow(length_ + additional);
}

template <typename T>
Status NumericBuilder<T>::AppendSlow(T value) {
  SILT_RETURN_NOT_OK(Grow(length_ + 1));
  raw_[length_] = value;
  return AppendValidity(true);
}

template <typename T>
Status NumericBuilder<T>::AppendValues(std::span<const T> values, const uint8_t* valid) {
  auto n = static_cast<int64_t>(values.size());
  SILT_RETURN_NOT_OK(Grow(length_ + n));
  if (n > 0) std::memcpy(raw_ + length_, values.data(), values.size() * sizeof(T));
  if (valid == nullptr) return AppendValidityRun(n, true);
  for (int64_t i = 0; i < n; ++i) SILT_RETURN_NOT_OK(AppendValidity(valid[i] != 0));
  return Status::OK();
}

template <typename T>
Status NumericBuilder<T>::AppendNulls(int64_t count) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  SILT_RETURN_NOT_OK(Grow(length_ + count));  // the slots are already zero
  return AppendValidityRun(count, false);
}

template <typename T>
Status NumericBuilder<T>::AppendArraySlice(const Array& array, int64_t offset, int64_t length) {
  SILT_RETURN_NOT_OK(CheckAppendSlice(array, offset, length));
  SILT_RETURN_NOT_OK(Grow(length_ + length));
  if (length > 0) {
    std::memcpy(raw_ + length_, static_cast<const NumericArray<T>&>(array).raw_values() + offset,
                static_cast<size_t>(length) * sizeof(T));
  }
  return AppendValidityFrom(array, offset, length);
}

template <typename T>
Result<ArrayPtr> NumericBuilder<T>::FinishArray() {
  SILT_RETURN_NOT_OK(Grow(length_));
  values_->SetSize(length_ * static_cast<int64_t>(sizeof(T)));
  BufferPtr validity = TakeValidity();
  return MakeFixedWidthArray(type_, length_, std::move(values_), std::move(validity), null_count_);
}

template <typename T>
void NumericBuilder<T>::ResetSelf() {
  values_.reset();
  raw_ = nullptr;
  capacity_ = 0;
}

template class NumericBuilder<int8_t>;
template class NumericBuilder<int16_t>;
template class NumericBuilder<int32_t>;
template class NumericBuilder<int64_t>;
template class NumericBuilder<float>;
template class NumericBuilder<double>;

// ---------------------------------------------------------------------------------------------
// DecimalBuilder

DecimalBuilder::DecimalBuilder(TypePtr decimal_type)
    : ArrayBuilder(std::move(decimal_type)), precision_(AsDecimal(*type_).precision()) {}

Status DecimalBuilder::Reserve(int64_t additional) {
  SILT_RETURN_NOT_OK(ArrayBuilder::Reserve(additional));
  return EnsureCapacity(values_, (length_ + additional) * 16);
}

Status DecimalBuilder::Append(Decimal128 value) {
  if (!value.FitsInPrecision(precision_)) {
    return Status::InvalidArgument("decimal value {} does not fit in {}",
                                   value.ToIntegerString(), type_->ToString());
  }
  SILT_RETURN_NOT_OK(EnsureSize(values_, (length_ + 1) * 16));
  value.ToLittleEndian(values_->mutable_data() + length_ * 16);
  return AppendValidity(true);
}

Status DecimalBuilder::AppendNulls(int64_t count) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  SILT_RETURN_NOT_OK(EnsureSize(values_, (length_ + count) * 16));
  return AppendValidityRun(count, false);
}

Status DecimalBuilder::AppendArraySlice(const Array& array, int64_t offset, int64_t length) {
  SILT_RETURN_NOT_OK(CheckAppendSlice(array, offset, length));
  SILT_RETURN_NOT_OK(EnsureSize(values_, (length_ + length) * 16));
  if (length > 0) {
    std::memcpy(values_->mutable_data() + length_ * 16,
                static_cast<const DecimalArray&>(array).GetValueBytes(offset),
                static_cast<size_t>(length) * 16);
  }
  return AppendValidityFrom(array, offset, length);
}

Result<ArrayPtr> DecimalBuilder::FinishArray() {
  SILT_RETURN_NOT_OK(EnsureSize(values_, length_ * 16));
  BufferPtr validity = TakeValidity();
  return MakeFixedWidthArray(type_, length_, std::move(values_), std::move(validity), null_count_);
}

void DecimalBuilder::ResetSelf() { values_.reset(); }

// ---------------------------------------------------------------------------------------------
// BinaryBuilder

BinaryBuilder::BinaryBuilder(TypePtr type) : ArrayBuilder(std::move(type)) {
  SILT_DCHECK(type_->is_binary_like());
}

Status BinaryBuilder::GrowOffsets(int64_t elements) {
  if (elements + 1 <= offsets_capacity_ && offsets_ != nullptr) return Status::OK();
  SILT_RETURN_NOT_OK(GrowBuffer(offsets_, (length_ + 1) * 4, (elements + 1) * 4));
  raw_offsets_ = offsets_->mutable_data_as<int32_t>();
  offsets_capacity_ = offsets_->capacity() / 4;
  return Status::OK();
}

Status BinaryBuilder::GrowData(int64_t bytes) {
  if (bytes > kMaxOffset) {
    return Status::InvalidArgument("{} array data would exceed {} bytes", type_->ToString(),
                                   kMaxOffset);
  }
  if (bytes <= data_capacity_ && data_ != nullptr) return Status::OK();
  SILT_RETURN_NOT_OK(GrowBuffer(data_, data_length_, bytes));
  raw_data_ = data_->mutable_data();
  data_capacity_ = std::min(data_->capacity(), kMaxOffset);
  return Status::OK();
}

Status BinaryBuilder::Reserve(int64_t additional) {
  SILT_RETURN_NOT_OK(ArrayBuilder::Reserve(additional));
  return GrowOffsets(length_ + additional);
}

Status BinaryBuilder::ReserveData(int64_t bytes) {
  SILT_RETURN_NOT_OK(CheckCount(bytes));
  return GrowData(data_length_ + bytes);
}

Status BinaryBuilder::AppendSlow(std::string_view value) {
  auto size = static_cast<int64_t>(value.size());
  if (size > kMaxOffset - data_length_) {
    return Status::InvalidArgument("{} array data would exceed {} bytes", type_->ToString(),
                                   kMaxOffset);
  }
  SILT_RETURN_NOT_OK(GrowData(data_length_ + size));
  SILT_RETURN_NOT_OK(GrowOffsets(length_ + 1));
  if (size > 0) std::memcpy(raw_data_ + data_length_, value.data(), value.size());
  data_length_ += size;
  raw_offsets_[length_ + 1] = static_cast<int32_t>(data_length_);
  return AppendValidity(true);
}

Status BinaryBuilder::AppendNulls(int64_t count) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  SILT_RETURN_NOT_OK(GrowOffsets(length_ + count));
  for (int64_t i = 1; i <= count; ++i) {
    raw_offsets_[length_ + i] = static_cast<int32_t>(data_length_);
  }
  return AppendValidityRun(count, false);
}

Status BinaryBuilder::AppendArraySlice(const Array& array, int64_t offset, int64_t length) {
  SILT_RETURN_NOT_OK(CheckAppendSlice(array, offset, length));
  const auto& bin = static_cast<const BinaryArray&>(array);
  if (length == 0) return Status::OK();
  int32_t first = bin.value_offset(offset);
  int64_t bytes = bin.value_offset(offset + length) - first;
  if (bytes > kMaxOffset - data_length_) {
    return Status::InvalidArgument("{} array data would exceed {} bytes", type_->ToString(),
                                   kMaxOffset);
  }
  SILT_RETURN_NOT_OK(GrowData(data_length_ + bytes));
  SILT_RETURN_NOT_OK(GrowOffsets(length_ + length));
  if (bytes > 0) {
    std::memcpy(raw_data_ + data_length_, bin.raw_data() + first, static_cast<size_t>(bytes));
  }
  int32_t* out = raw_offsets_ + length_;
  for (int64_t i = 1; i <= length; ++i) {
    out[i] = static_cast<int32_t>(data_length_ + (bin.value_offset(offset + i) - first));
  }
  data_length_ += bytes;
  return AppendValidityFrom(array, offset, length);
}

Result<ArrayPtr> BinaryBuilder::FinishArray() {
  SILT_RETURN_NOT_OK(GrowOffsets(length_));
  SILT_RETURN_NOT_OK(GrowData(data_length_));
  offsets_->SetSize((length_ + 1) * 4);
  data_->SetSize(data_length_);
  BufferPtr validity = TakeValidity();
  return MakeBinaryArray(type_, length_, std::move(offsets_), std::move(data_),
                         std::move(validity), null_count_);
}

void BinaryBuilder::ResetSelf() {
  offsets_.reset();
  data_.reset();
  raw_offsets_ = nullptr;
  raw_data_ = nullptr;
  offsets_capacity_ = 0;
  data_capacity_ = 0;
  data_length_ = 0;
}

// ---------------------------------------------------------------------------------------------
// StructBuilder

StructBuilder::StructBuilder(TypePtr type,
                             std::vector<std::unique_ptr<ArrayBuilder>> field_builders)
    : ArrayBuilder(std::move(type)), children_(std::move(field_builders)) {
  SILT_DCHECK(type_->id() == TypeId::kStruct &&
              AsStruct(*type_).num_fields() == static_cast<int>(children_.size()));
}

Status StructBuilder::Append(bool valid) { return AppendValidity(valid); }

Status StructBuilder::AppendNulls(int64_t count) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  for (auto& child : children_) SILT_RETURN_NOT_OK(child->AppendNulls(count));
  return AppendValidityRun(count, false);
}

Status StructBuilder::AppendArraySlice(const Array& array, int64_t offset, int64_t length) {
  SILT_RETURN_NOT_OK(CheckAppendSlice(array, offset, length));
  const auto& st = static_cast<const StructArray&>(array);
  for (int i = 0; i < num_fields(); ++i) {
    SILT_RETURN_NOT_OK(children_[i]->AppendArraySlice(*st.raw_field(i), st.offset() + offset,
                                                      length));
  }
  return AppendValidityFrom(array, offset, length);
}

Result<ArrayPtr> StructBuilder::FinishArray() {
  std::vector<ArrayPtr> children;
  const auto& fields = AsStruct(*type_).fields();
  for (int i = 0; i < num_fields(); ++i) {
    if (children_[i]->length() != length_) {
      return Status::InvalidArgument(
          "struct builder has {} elements but field '{}' has {}: append to every field",
          length_, fields[i].name(), children_[i]->length());
    }
    SILT_ASSIGN_OR_RETURN(auto child, children_[i]->Finish());
    children.push_back(std::move(child));
  }
  BufferPtr validity = TakeValidity();
  return MakeStructArray(type_, length_, std::move(children), std::move(validity), null_count_);
}

void StructBuilder::ResetSelf() {
  for (auto& child : children_) {
    if (child->length() > 0) child->Finish().status().IgnoreError();  // drops leftovers
  }
}

// ---------------------------------------------------------------------------------------------
// ListBuilder / MapBuilder

ListBuilder::ListBuilder(TypePtr list_type, std::unique_ptr<ArrayBuilder> value_builder)
    : ArrayBuilder(std::move(list_type)), values_(std::move(value_builder)) {
  SILT_DCHECK(type_->id() == TypeId::kList || type_->id() == TypeId::kMap);
}

Status ListBuilder::Reserve(int64_t additional) {
  SILT_RETURN_NOT_OK(ArrayBuilder::Reserve(additional));
  return EnsureCapacity(offsets_, (length_ + additional + 1) * 4);
}

// Offsets hold the start of each element while building; Finish adds the end.
Status ListBuilder::AppendOffset() {
  int64_t start = values_->length();
  if (start > kMaxOffset) {
    return Status::InvalidArgument("{} array child would exceed {} elements", type_->ToString(),
                                   kMaxOffset);
  }
  SILT_RETURN_NOT_OK(EnsureSize(offsets_, (length_ + 1) * 4));
  offsets_->mutable_data_as<int32_t>()[length_] = static_cast<int32_t>(start);
  return Status::OK();
}

Status ListBuilder::Append(bool valid) {
  SILT_RETURN_NOT_OK(SyncValues());
  SILT_RETURN_NOT_OK(AppendOffset());
  return AppendValidity(valid);
}

Status ListBuilder::AppendNulls(int64_t count) {
  SILT_RETURN_NOT_OK(CheckCount(count));
  SILT_RETURN_NOT_OK(SyncValues());
  for (int64_t i = 0; i < count; ++i) {
    SILT_RETURN_NOT_OK(AppendOffset());
    SILT_RETURN_NOT_OK(AppendValidity(false));
  }
  return Status::OK();
}

Status ListBuilder::AppendArraySlice(const Array& array, int64_t offset, int64_t length) {
  SILT_RETURN_NOT_OK(CheckAppendSlice(array, offset, length));
  SILT_RETURN_NOT_OK(SyncValues());
  const auto& list = static_cast<const ListArray&>(array);
  if (length == 0) return Status::OK();
  int32_t first = list.value_offset(offset);
  int64_t count = list.value_offset(offset + length) - first;
  int64_t base = values_->length();
  if (base + count > kMaxOffset) {
    return Status::InvalidArgument("{} array child would exceed {} elements", type_->ToString(),
                                   kMaxOffset);
  }
  SILT_RETURN_NOT_OK(EnsureSize(offsets_, (length_ + length) * 4));
  int32_t* out = offsets_->mutable_data_as<int32_t>() + length_;
  for (int64_t i = 0; i < length; ++i) {
    out[i] = static_cast<int32_t>(base + (list.value_offset(offset + i) - first));
  }
  SILT_RETURN_NOT_OK(values_->AppendArraySlice(*list.values(), first, count));
  return AppendValidityFrom(array, offset, length);
}

Result<ArrayPtr> ListBuilder::FinishArray() {
  SILT_RETURN_NOT_OK(SyncValues());
  int64_t end = values_->length();
  if (end > kMaxOffset) {
    return Status::InvalidArgument("{} array child exceeds {} elements", type_->ToString(),
                                   kMaxOffset);
  }
  SILT_RETURN_NOT_OK(EnsureSize(offsets_, (length_ + 1) * 4));
  offsets_->mutable_data_as<int32_t>()[length_] = static_cast<int32_t>(end);
  SILT_ASSIGN_OR_RETURN(auto values, values_->Finish());
  BufferPtr validity = TakeValidity();
  return MakeListArray(type_, length_, std::move(offsets_), std::move(values),
                       std::move(validity), null_count_);
}

void ListBuilder::ResetSelf() {
  offsets_.reset();
  if (values_->length() > 0) values_->Finish().status().IgnoreError();  // drops leftovers
}

MapBuilder::MapBuilder(TypePtr map_type, std::unique_ptr<StructBuilder> entries_builder)
    : ListBuilder(std::move(map_type), std::move(entries_builder)) {}

ArrayBuilder* MapBuilder::key_builder() {
  return static_cast<StructBuilder*>(values_.get())->field_builder(0);
}
ArrayBuilder* MapBuilder::item_builder() {
  return static_cast<StructBuilder*>(values_.get())->field_builder(1);
}

Status MapBuilder::SyncValues() {
  auto* entries = static_cast<StructBuilder*>(values_.get());
  int64_t keys = key_builder()->length();
  int64_t items = item_builder()->length();
  if (keys != items) {
    return Status::InvalidArgument("map builder has {} keys but {} values", keys, items);
  }
  if (key_builder()->null_count() > 0) {
    return Status::InvalidArgument("map keys must not be null ({} null keys appended)",
                                   key_builder()->null_count());
  }
  for (int64_t i = entries->length(); i < keys; ++i) SILT_RETURN_NOT_OK(entries->Append(true));
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// MakeBuilder

Result<std::unique_ptr<ArrayBuilder>> MakeBuilder(TypePtr type) {
  if (type == nullptr) return Status::InvalidArgument("MakeBuilder: null type");
  switch (type->id()) {
    case TypeId::kBoolean: return std::unique_ptr<ArrayBuilder>(new BooleanBuilder());
    case TypeId::kInt8: return std::unique_ptr<ArrayBuilder>(new Int8Builder(std::move(type)));
    case TypeId::kInt16: return std::unique_ptr<ArrayBuilder>(new Int16Builder(std::move(type)));
    case TypeId::kInt32:
    case TypeId::kDate: return std::unique_ptr<ArrayBuilder>(new Int32Builder(std::move(type)));
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return std::unique_ptr<ArrayBuilder>(new Int64Builder(std::move(type)));
    case TypeId::kFloat32:
      return std::unique_ptr<ArrayBuilder>(new Float32Builder(std::move(type)));
    case TypeId::kFloat64:
      return std::unique_ptr<ArrayBuilder>(new Float64Builder(std::move(type)));
    case TypeId::kDecimal:
      return std::unique_ptr<ArrayBuilder>(new DecimalBuilder(std::move(type)));
    case TypeId::kString: return std::unique_ptr<ArrayBuilder>(new StringBuilder());
    case TypeId::kBinary:
      return std::unique_ptr<ArrayBuilder>(new BinaryBuilder(std::move(type)));
    case TypeId::kStruct: {
      std::vector<std::unique_ptr<ArrayBuilder>> children;
      for (const Field& field : AsStruct(*type).fields()) {
        SILT_ASSIGN_OR_RETURN(auto child, MakeBuilder(field.type()));
        children.push_back(std::move(child));
      }
      return std::unique_ptr<ArrayBuilder>(new StructBuilder(std::move(type), std::move(children)));
    }
    case TypeId::kList: {
      SILT_ASSIGN_OR_RETURN(auto values, MakeBuilder(AsList(*type).element_type()));
      return std::unique_ptr<ArrayBuilder>(new ListBuilder(std::move(type), std::move(values)));
    }
    case TypeId::kMap: {
      SILT_ASSIGN_OR_RETURN(auto entries, MakeBuilder(AsMap(*type).entries_type()));
      std::unique_ptr<StructBuilder> entries_struct(
          static_cast<StructBuilder*>(entries.release()));
      return std::unique_ptr<ArrayBuilder>(
          new MapBuilder(std::move(type), std::move(entries_struct)));
    }
  }
  return Status::InvalidArgument("MakeBuilder: unknown type");
}

}  // namespace silt::columnar
