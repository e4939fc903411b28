// Builders: append values one at a time (or in bulk) and Finish() into an immutable array.
// MakeBuilder(type) creates the right builder, with nested builders for struct/list/map.
//
// Nested building follows Arrow: for a struct, append to every field builder and then call
// Append() on the struct builder (AppendNull() appends a null to the children itself); for a
// list, call Append() to start a new list and then append its elements to value_builder();
// for a map, Append() then key_builder()/item_builder() once per entry (keys must not be null:
// the next Append()/Finish() fails with kInvalidArgument if one is).
//
// Errors: kResourceExhausted when memory runs out, kInvalidArgument when the 2 GiB limit of
// 32-bit offsets is exceeded or the value does not fit the type. A builder is used by one
// thread at a time. After Finish() the builder is empty and can be reused.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/buffer.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/decimal.h"

namespace silt::columnar {

class ArrayBuilder {
 public:
  virtual ~ArrayBuilder() = default;
  ArrayBuilder(const ArrayBuilder&) = delete;
  ArrayBuilder& operator=(const ArrayBuilder&) = delete;

  const TypePtr& type() const { return type_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }

  // Room for `additional` more elements without reallocating (this level only).
  virtual Status Reserve(int64_t additional);
  virtual Status AppendNull() { return AppendNulls(1); }
  virtual Status AppendNulls(int64_t count) = 0;
  // Appends elements [offset, offset + length) of `array`, which must have this builder's type
  // (metadata ignored). kInvalidArgument otherwise or if the range is out of bounds.
  virtual Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) = 0;
  Status AppendArray(const Array& array) { return AppendArraySlice(array, 0, array.length()); }

  // The built array; the builder is reset to empty.
  Result<ArrayPtr> Finish();

 protected:
  explicit ArrayBuilder(TypePtr type) : type_(std::move(type)) {}
  // Builds the array from the current contents; Finish() then resets.
  virtual Result<ArrayPtr> FinishArray() = 0;
  // Drops the subclass's buffers (the base state is reset by Finish()).
  virtual void ResetSelf() {}

  // Validity bitmap handling shared by all builders; the bitmap is only materialized at the
  // first null. Each call adds elements: it advances length_ and null_count_, after the
  // subclass has written the values.
  Status AppendValidity(bool valid) { return AppendValidityRun(1, valid); }
  Status AppendValidityRun(int64_t count, bool valid);
  // Copies the validity of array[offset, offset + length).
  Status AppendValidityFrom(const Array& array, int64_t offset, int64_t length);
  Status ReserveValidity(int64_t additional);
  // The validity buffer sized for length_ (nullptr if there are no nulls); clears it.
  BufferPtr TakeValidity();
  // kInvalidArgument unless array has this builder's type and the range is inside it.
  Status CheckAppendSlice(const Array& array, int64_t offset, int64_t length) const;
  // False until the first null: then every element's validity must be recorded.
  bool has_validity() const { return validity_ != nullptr; }

  TypePtr type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;

 private:
  Status MaterializeValidity(int64_t additional);
  MutableBufferPtr validity_;
};

class BooleanBuilder final : public ArrayBuilder {
 public:
  BooleanBuilder() : ArrayBuilder(Boolean()) {}
  Status Reserve(int64_t additional) override;
  Status Append(bool value);
  Status AppendNulls(int64_t count) override;
  Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) override;

 protected:
  Result<ArrayPtr> FinishArray() override;
  void ResetSelf() override;

 private:
  MutableBufferPtr values_;
};

// Fixed-width values: T is int8_t..int64_t, float, double (also date: int32_t, timestamps:
// int64_t, with the type given to the constructor).
template <typename T>
class NumericBuilder final : public ArrayBuilder {
 public:
  // Precondition: type's physical width is sizeof(T) and it is not boolean/decimal.
  explicit NumericBuilder(TypePtr type);
  Status Reserve(int64_t additional) override;
  Status Append(T value) {
    if (length_ < capacity_ && !has_validity()) [[likely]] {
      raw_[length_++] = value;
      return Status::OK();
    }
    return AppendSlow(value);
  }
  // Appends values; valid == nullptr means all valid, else valid[i] != 0 marks element i valid.
  Status AppendValues(std::span<const T> values, const uint8_t* valid = nullptr);
  Status AppendNulls(int64_t count) override;
  Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) override;

 protected:
  Result<ArrayPtr> FinishArray() override;
  void ResetSelf() override;

 private:
  Status AppendSlow(T value);
  // Capacity for at least `elements` values; bytes past length_ are always zero.
  Status Grow(int64_t elements);
  MutableBufferPtr values_;  // its size() is only set at Finish
  T* raw_ = nullptr;
  int64_t capacity_ = 0;  // in values
};

using Int8Builder = NumericBuilder<int8_t>;
using Int16Builder = NumericBuilder<int16_t>;
using Int32Builder = NumericBuilder<int32_t>;
using Int64Builder = NumericBuilder<int64_t>;
using Float32Builder = NumericBuilder<float>;
using Float64Builder = NumericBuilder<double>;
using DateBuilder = NumericBuilder<int32_t>;       // construct with Date()
using TimestampBuilder = NumericBuilder<int64_t>;  // construct with Timestamp()/TimestampNtz()

class DecimalBuilder final : public ArrayBuilder {
 public:
  explicit DecimalBuilder(TypePtr decimal_type);
  Status Reserve(int64_t additional) override;
  // kInvalidArgument if the value has more digits than the type's precision.
  Status Append(Decimal128 value);
  Status AppendNulls(int64_t count) override;
  Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) override;

 protected:
  Result<ArrayPtr> FinishArray() override;
  void ResetSelf() override;

 private:
  MutableBufferPtr values_;
  int32_t precision_;
};

// String (UTF-8 is not checked here) and binary.
class BinaryBuilder : public ArrayBuilder {
 public:
  explicit BinaryBuilder(TypePtr type = Binary());
  Status Reserve(int64_t additional) override;
  // Room for `bytes` more bytes of data.
  Status ReserveData(int64_t bytes);
  Status Append(std::string_view value) {
    const auto n = static_cast<int64_t>(value.size());
    if (length_ + 2 <= offsets_capacity_ && n <= data_capacity_ - data_length_ &&
        !has_validity()) [[likely]] {
      if (n > 0) std::memcpy(raw_data_ + data_length_, value.data(), value.size());
      data_length_ += n;
      raw_offsets_[++length_] = static_cast<int32_t>(data_length_);
      return Status::OK();
    }
    return AppendSlow(value);
  }
  Status Append(const uint8_t* data, int64_t length) {
    return Append(std::string_view(reinterpret_cast<const char*>(data),
                                   static_cast<size_t>(length)));
  }
  Status AppendNulls(int64_t count) override;
  Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) override;
  int64_t data_length() const { return data_length_; }

 protected:
  Result<ArrayPtr> FinishArray() override;
  void ResetSelf() override;

 private:
  Status AppendSlow(std::string_view value);
  // Capacity for `elements` elements (elements + 1 offsets) / `bytes` bytes of data (capped at
  // the 2 GiB offset limit, so the fast path never overflows an offset).
  Status GrowOffsets(int64_t elements);
  Status GrowData(int64_t bytes);
  // Buffer sizes are only set at Finish; bytes past the used part are always zero, so
  // offsets[0] is 0 from the start.
  MutableBufferPtr offsets_;
  MutableBufferPtr data_;
  int32_t* raw_offsets_ = nullptr;
  uint8_t* raw_data_ = nullptr;
  int64_t offsets_capacity_ = 0;  // in offsets
  int64_t data_capacity_ = 0;     // in bytes
  int64_t data_length_ = 0;
};

class StringBuilder final : public BinaryBuilder {
 public:
  StringBuilder() : BinaryBuilder(String()) {}
};

class StructBuilder final : public ArrayBuilder {
 public:
  // One builder per field, in field order, each with that field's type.
  StructBuilder(TypePtr type, std::vector<std::unique_ptr<ArrayBuilder>> field_builders);
  int num_fields() const { return static_cast<int>(children_.size()); }
  ArrayBuilder* field_builder(int i) { return children_[i].get(); }
  template <typename B>
  B* field_builder_as(int i) { return static_cast<B*>(children_[i].get()); }

  // Marks one struct element valid/null after its fields were appended to every field builder.
  Status Append(bool valid = true);
  // Appends nulls to the struct and to every field builder.
  Status AppendNulls(int64_t count) override;
  Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) override;

 protected:
  Result<ArrayPtr> FinishArray() override;
  void ResetSelf() override;

 private:
  std::vector<std::unique_ptr<ArrayBuilder>> children_;
};

class ListBuilder : public ArrayBuilder {
 public:
  ListBuilder(TypePtr list_type, std::unique_ptr<ArrayBuilder> value_builder);
  ArrayBuilder* value_builder() { return values_.get(); }
  template <typename B>
  B* value_builder_as() { return static_cast<B*>(values_.get()); }

  Status Reserve(int64_t additional) override;
  // Starts a new list element; append its values to value_builder() afterwards.
  // With valid = false appends a null list (append no values for it).
  Status Append(bool valid = true);
  Status AppendNulls(int64_t count) override;
  Status AppendArraySlice(const Array& array, int64_t offset, int64_t length) override;

 protected:
  Result<ArrayPtr> FinishArray() override;
  void ResetSelf() override;
  // Brings the child up to date before offsets are taken (maps append pending entries).
  virtual Status SyncValues() { return Status::OK(); }
  std::unique_ptr<ArrayBuilder> values_;

 private:
  // Records where the previous list ended (the offsets of all elements but the last pending).
  Status AppendOffset();
  MutableBufferPtr offsets_;
};

// Entries are appended to key_builder() and item_builder() in pairs after Append().
class MapBuilder final : public ListBuilder {
 public:
  // entries_builder must be a StructBuilder for map_type's entries_type().
  MapBuilder(TypePtr map_type, std::unique_ptr<StructBuilder> entries_builder);
  ArrayBuilder* key_builder();
  ArrayBuilder* item_builder();
  template <typename B>
  B* key_builder_as() { return static_cast<B*>(key_builder()); }
  template <typename B>
  B* item_builder_as() { return static_cast<B*>(item_builder()); }

 protected:
  // Marks one valid entries-struct element per key appended since the last sync.
  Status SyncValues() override;
};

// A builder for any type, with nested builders created recursively: BooleanBuilder,
// NumericBuilder<T>, DecimalBuilder, StringBuilder (string), BinaryBuilder (binary),
// StructBuilder, ListBuilder, MapBuilder; downcast with static_cast accordingly.
Result<std::unique_ptr<ArrayBuilder>> MakeBuilder(TypePtr type);

}  // namespace silt::columnar
