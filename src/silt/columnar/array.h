// Arrays: immutable columns in Arrow's columnar memory layout
// (https://arrow.apache.org/docs/format/Columnar.html), one class per physical layout.
//
// ArrayData holds the raw parts; buffers per layout (validity may be nullptr = all valid):
//   boolean                      [validity, value bits]           LSB-first bitmaps
//   int8..int64, float, double,
//   date, timestamp(_ntz), decimal [validity, values]             little-endian fixed width
//   string, binary               [validity, offsets, data]        int32 offsets, length+1 of them
//   struct                       [validity]        children: one per field
//   list (Delta array)           [validity, offsets] children: {element}
//   map                          [validity, offsets] children: {entries: struct<key, value>}
// A null element still occupies its slot in values/offsets (its value bytes are unspecified;
// builders write zeros). `offset` is in values, applies to every buffer and (for struct) to the children; slicing
// changes only offset/length, never copies. Children of struct arrays have length >=
// offset + length of the parent.
//
// Arrays are built by MakeArray (and the Make*Array helpers), which check everything accessors
// rely on for memory safety: buffer count, sizes and alignment, child count, lengths and types,
// and that offsets are monotone and within the data/child (O(n) in the offsets, O(1) otherwise).
// So no accessor ever reads outside a buffer. Validate() additionally checks the content
// (null counts, map keys non-null, UTF-8 of strings, decimal precision) and must be run on data
// that comes from outside (imports, decoded files).
//
// Thread safety: arrays are immutable and may be shared across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/macros.h"
#include "silt/base/result.h"
#include "silt/columnar/bit_util.h"
#include "silt/columnar/buffer.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/decimal.h"

namespace silt::columnar {

inline constexpr int64_t kUnknownNullCount = -1;

struct ArrayData;
using ArrayDataPtr = std::shared_ptr<const ArrayData>;

struct ArrayData {
  TypePtr type;
  int64_t length = 0;
  int64_t offset = 0;
  // kUnknownNullCount lets MakeArray count it. Always known in an Array's data().
  int64_t null_count = kUnknownNullCount;
  std::vector<BufferPtr> buffers;
  std::vector<ArrayDataPtr> children;
};

class Array;
using ArrayPtr = std::shared_ptr<const Array>;

namespace internal {
// Builds the array object for data that passed the structural checks; `children` are the
// already built child arrays. Only this can construct arrays (passkey idiom).
ArrayPtr BuildArray(ArrayDataPtr data, std::vector<ArrayPtr> children);
class ArrayKey {
  ArrayKey() = default;
  friend ArrayPtr BuildArray(ArrayDataPtr data, std::vector<ArrayPtr> children);
};
}  // namespace internal

// Wraps array data without copying. Checks the structure (see above); kInvalidArgument
// describes what is wrong. Counts nulls when data->null_count is unknown.
Result<ArrayPtr> MakeArray(ArrayDataPtr data);

class Array {
 public:
  virtual ~Array() = default;
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;

  const ArrayDataPtr& data() const { return data_; }
  const TypePtr& type() const { return data_->type; }
  TypeId type_id() const { return data_->type->id(); }
  int64_t length() const { return data_->length; }
  int64_t offset() const { return data_->offset; }
  int64_t null_count() const { return data_->null_count; }

  // The raw validity bitmap (NOT offset-adjusted: bit offset() + i is element i), or nullptr.
  const uint8_t* null_bitmap_data() const { return null_bitmap_; }
  bool IsNull(int64_t i) const {
    return null_bitmap_ != nullptr && !bit_util::GetBit(null_bitmap_, offset() + i);
  }
  bool IsValid(int64_t i) const { return !IsNull(i); }

  // Zero-copy sub-range [offset, offset + length), clamped to the array's bounds.
  ArrayPtr Slice(int64_t offset, int64_t length) const;
  ArrayPtr Slice(int64_t offset) const { return Slice(offset, length() - offset); }

  // Full O(n) content validation, recursive: null_count matches the bitmap, map keys are not
  // null, strings are valid UTF-8, decimals fit their precision (structure was checked by
  // MakeArray). kInvalidArgument with a message that says where it failed.
  Status Validate() const;

  // Same type (metadata ignored) and same values and nulls at every position; physical
  // details (offsets, buffers, values under nulls) do not matter. NaN equals NaN.
  bool Equals(const Array& other) const;

  // JSON-like text, see pretty.h: [1,null,3].
  std::string ToString() const;

 protected:
  explicit Array(ArrayDataPtr data);

 private:
  ArrayDataPtr data_;
  const uint8_t* null_bitmap_;
};

class BooleanArray final : public Array {
 public:
  BooleanArray(ArrayDataPtr data, internal::ArrayKey);
  bool Value(int64_t i) const { return bit_util::GetBit(values_, offset() + i); }
  // Raw bitmap of values, NOT offset-adjusted.
  const uint8_t* values_bitmap() const { return values_; }

 private:
  const uint8_t* values_;
};

// int8..int64, float, double; also date (int32) and timestamps (int64).
template <typename T>
class NumericArray final : public Array {
 public:
  using value_type = T;
  NumericArray(ArrayDataPtr data, internal::ArrayKey)
      : Array(std::move(data)),
        raw_values_(this->data()->buffers[1]->template data_as<T>() + this->offset()) {}
  T Value(int64_t i) const { return raw_values_[i]; }
  // Offset-adjusted: element i is raw_values()[i].
  const T* raw_values() const { return raw_values_; }
  std::span<const T> values() const { return {raw_values_, static_cast<size_t>(length())}; }

 private:
  const T* raw_values_;
};

using Int8Array = NumericArray<int8_t>;
using Int16Array = NumericArray<int16_t>;
using Int32Array = NumericArray<int32_t>;
using Int64Array = NumericArray<int64_t>;
using Float32Array = NumericArray<float>;
using Float64Array = NumericArray<double>;
using DateArray = Int32Array;          // days since the epoch
using TimestampArray = Int64Array;     // microseconds since the epoch (UTC or no zone)

class DecimalArray final : public Array {
 public:
  DecimalArray(ArrayDataPtr data, internal::ArrayKey);
  Decimal128 Value(int64_t i) const { return Decimal128::FromLittleEndian(GetValueBytes(i)); }
  // The 16 little-endian bytes of element i.
  const uint8_t* GetValueBytes(int64_t i) const { return raw_values_ + 16 * i; }
  int32_t precision() const;
  int32_t scale() const;

 private:
  const uint8_t* raw_values_;  // offset-adjusted
};

// String and binary.
class BinaryArray final : public Array {
 public:
  BinaryArray(ArrayDataPtr data, internal::ArrayKey);
  std::string_view GetView(int64_t i) const {
    return {reinterpret_cast<const char*>(raw_data_) + raw_offsets_[i],
            static_cast<size_t>(raw_offsets_[i + 1] - raw_offsets_[i])};
  }
  int32_t value_offset(int64_t i) const { return raw_offsets_[i]; }
  int32_t value_length(int64_t i) const { return raw_offsets_[i + 1] - raw_offsets_[i]; }
  // Offset-adjusted: length() + 1 entries starting at element 0.
  const int32_t* raw_offsets() const { return raw_offsets_; }
  // The data buffer (offsets index into it).
  const uint8_t* raw_data() const { return raw_data_; }

 private:
  const int32_t* raw_offsets_;
  const uint8_t* raw_data_;
};

using StringArray = BinaryArray;

class StructArray final : public Array {
 public:
  StructArray(ArrayDataPtr data, std::vector<ArrayPtr> children, internal::ArrayKey);
  int num_fields() const { return static_cast<int>(children_.size()); }
  // Child i as seen through this array: sliced to [offset(), offset() + length()).
  ArrayPtr field(int i) const;
  // Child i as stored (ignores this array's offset/length).
  const ArrayPtr& raw_field(int i) const { return children_[i]; }
  // The first field with this exact name, or nullptr.
  ArrayPtr GetFieldByName(std::string_view name) const;

 private:
  std::vector<ArrayPtr> children_;
};

// Delta array: element i is values()[value_offset(i), value_offset(i + 1)).
class ListArray : public Array {
 public:
  ListArray(ArrayDataPtr data, ArrayPtr values, internal::ArrayKey);
  // The whole child array (not sliced to this array's range).
  const ArrayPtr& values() const { return values_; }
  int32_t value_offset(int64_t i) const { return raw_offsets_[i]; }
  int32_t value_length(int64_t i) const { return raw_offsets_[i + 1] - raw_offsets_[i]; }
  // Offset-adjusted: length() + 1 entries.
  const int32_t* raw_offsets() const { return raw_offsets_; }
  // The elements of list i (zero-copy).
  ArrayPtr value_slice(int64_t i) const { return values_->Slice(value_offset(i), value_length(i)); }

 private:
  ArrayPtr values_;
  const int32_t* raw_offsets_;
};

// A list of struct<key, value> entries.
class MapArray final : public ListArray {
 public:
  MapArray(ArrayDataPtr data, ArrayPtr entries, internal::ArrayKey);
  const ArrayPtr& entries() const { return values(); }
  // The key / value children of the entries struct, as stored.
  const ArrayPtr& keys() const { return keys_; }
  const ArrayPtr& items() const { return items_; }

 private:
  ArrayPtr keys_;
  ArrayPtr items_;
};

// Convenience constructors (zero-copy; same checks as MakeArray). A producer such as the
// Parquet decoder allocates a MutableBuffer, writes the values, and wraps it here.
// `validity` may be nullptr (all valid).
Result<ArrayPtr> MakeFixedWidthArray(TypePtr type, int64_t length, BufferPtr values,
                                     BufferPtr validity = nullptr,
                                     int64_t null_count = kUnknownNullCount, int64_t offset = 0);
Result<ArrayPtr> MakeBinaryArray(TypePtr type, int64_t length, BufferPtr offsets, BufferPtr data,
                                 BufferPtr validity = nullptr,
                                 int64_t null_count = kUnknownNullCount, int64_t offset = 0);
// `children` must have the struct's field types; each child length >= length.
Result<ArrayPtr> MakeStructArray(TypePtr type, int64_t length, std::vector<ArrayPtr> children,
                                 BufferPtr validity = nullptr,
                                 int64_t null_count = kUnknownNullCount);
// List or map (values = the entries struct array for maps).
Result<ArrayPtr> MakeListArray(TypePtr type, int64_t length, BufferPtr offsets, ArrayPtr values,
                               BufferPtr validity = nullptr,
                               int64_t null_count = kUnknownNullCount);
// `length` nulls of any type.
Result<ArrayPtr> MakeArrayOfNulls(TypePtr type, int64_t length);

// Delta's NOT NULL enforcement: kInvalidArgument if `array`, seen as the values of `field`, has
// a null where the schema forbids one: in a non-nullable field, in a non-nullable struct member
// of a non-null struct, as an element of a non-null array with contains_null = false, or as a
// value of a non-null map with value_contains_null = false. Nulls under a null parent are fine.
// The message names the nested path and the row.
Status ValidateNullability(const Array& array, const Field& field);

// The same data (zero-copy) under another type of the same layout: type ids, nesting and
// decimal parameters must match; field names, nullability flags and metadata may differ. This
// renames nested fields, e.g. Parquet physical names to Delta logical names under column
// mapping. kInvalidArgument, naming the first mismatch, otherwise.
Result<ArrayPtr> ArrayWithType(const ArrayPtr& array, TypePtr type);

// Typed view; precondition: the array's layout matches T (SILT_DCHECK on the type id).
template <typename T>
std::shared_ptr<const T> ArrayCast(const ArrayPtr& array) {
  SILT_DCHECK(array == nullptr || dynamic_cast<const T*>(array.get()) != nullptr);
  return std::static_pointer_cast<const T>(array);
}

}  // namespace silt::columnar
