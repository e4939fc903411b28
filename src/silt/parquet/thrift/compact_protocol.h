// Thrift compact protocol: the wire format of all Parquet metadata (parquet-format
// parquet.thrift; thrift doc/specs/thrift-compact-protocol.md). Only what Parquet needs: structs,
// lists/sets/maps, integers, doubles, binary. No message envelopes.
//
// CompactReader never reads out of bounds: every length and container size is checked against the
// remaining bytes, nesting is limited to kMaxDepth, and any violation is kCorruption.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/base/status.h"

namespace silt::parquet::thrift {

// Compact protocol type ids. In a struct field header a bool is encoded as kBoolTrue/kBoolFalse
// with no payload; CompactReader reports both as kBool.
enum class CType : uint8_t {
  kStop = 0,
  kBool = 1,  // also BOOLEAN_TRUE in field headers
  kBoolFalse = 2,
  kI8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

std::string_view CTypeName(CType type);

// Structs nested deeper than this (and containers nested in them) are rejected as corrupt.
inline constexpr int kMaxDepth = 64;

struct ListHeader {
  CType element_type;
  uint32_t size = 0;
};

struct MapHeader {
  CType key_type;
  CType value_type;
  uint32_t size = 0;
};

class CompactReader {
 public:
  CompactReader(const uint8_t* data, size_t size) : pos_(data), begin_(data), end_(data + size) {}
  explicit CompactReader(std::string_view bytes)
      : CompactReader(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) {}

  size_t position() const { return static_cast<size_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }

  // Calls on_field(int16_t id, CType type) -> Status for every field of the struct at the current
  // position, then consumes the STOP byte. on_field must consume the field's value (read it, or
  // Skip(type)). For bool fields type is kBool and ReadBool() yields the value.
  template <typename OnField>
  Status ReadStruct(OnField&& on_field) {
    SILT_RETURN_NOT_OK(BeginStruct());
    while (true) {
      CType type = CType::kStop;
      int16_t id = 0;
      SILT_RETURN_NOT_OK(ReadFieldHeader(&type, &id));
      if (type == CType::kStop) break;
      SILT_RETURN_NOT_OK(on_field(id, type));
    }
    --depth_;
    return Status::OK();
  }

  // Low-level struct framing (ReadStruct uses these).
  Status BeginStruct();
  void EndStruct() { --depth_; }
  // *type is kStop at the end of the struct (and *id is then 0).
  Status ReadFieldHeader(CType* type, int16_t* id);

  // For a bool struct field: the value carried by its header. Elsewhere: one byte, 1 = true.
  Status ReadBool(bool* out);
  Status ReadI8(int8_t* out);
  Status ReadI16(int16_t* out);
  Status ReadI32(int32_t* out);
  Status ReadI64(int64_t* out);
  Status ReadDouble(double* out);
  // A view into the input; valid as long as the input bytes are.
  Status ReadBinary(std::string_view* out);
  Status ReadBinary(std::string* out);
  // List and set headers. The size is checked against the remaining bytes (every element takes at
  // least one byte).
  Status ReadListHeader(ListHeader* out);
  Status ReadMapHeader(MapHeader* out);

  // Skips one value of the given type, recursively for containers and structs.
  Status Skip(CType type);

  // Raw ULEB128 varint (<= 10 bytes).
  Status ReadVarint64(uint64_t* out);

 private:
  Status SkipAtDepth(CType type, int depth);
  Status ReadVarint32(uint32_t* out);
  Status CheckElementType(uint8_t nibble, CType* out);
  Status Truncated(std::string_view what) const;

  const uint8_t* pos_;
  const uint8_t* begin_;
  const uint8_t* end_;
  int depth_ = 0;
  int16_t last_field_id_[kMaxDepth + 1] = {};
  bool has_pending_bool_ = false;
  bool pending_bool_ = false;
};

// Appends compact-protocol bytes to a string. Field ids must be written in increasing order
// within a struct for the short form to be used (any order is valid).
class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) {}

  void BeginStruct();
  // Writes STOP.
  void EndStruct();
  void WriteFieldHeader(CType type, int16_t id);
  void WriteBoolField(int16_t id, bool value);

  void WriteBool(bool value);  // list element: 1 = true, 2 = false (as Java Thrift writes)
  void WriteI8(int8_t value) { out_->push_back(static_cast<char>(value)); }
  void WriteI16(int16_t value) { WriteI32(value); }
  void WriteI32(int32_t value);
  void WriteI64(int64_t value);
  void WriteDouble(double value);
  void WriteBinary(std::string_view value);
  void WriteListHeader(CType element_type, uint32_t size);
  void WriteMapHeader(CType key_type, CType value_type, uint32_t size);
  void WriteVarint64(uint64_t value);

  // Field conveniences: header + value.
  void I32Field(int16_t id, int32_t value) { WriteFieldHeader(CType::kI32, id); WriteI32(value); }
  void I64Field(int16_t id, int64_t value) { WriteFieldHeader(CType::kI64, id); WriteI64(value); }
  void BinaryField(int16_t id, std::string_view value) {
    WriteFieldHeader(CType::kBinary, id);
    WriteBinary(value);
  }

 private:
  std::string* out_;
  int depth_ = 0;
  int16_t last_field_id_[kMaxDepth + 1] = {};
};

inline uint64_t ZigZagEncode64(int64_t n) {
  return (static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63);
}
inline int64_t ZigZagDecode64(uint64_t n) {
  return static_cast<int64_t>((n >> 1) ^ (~(n & 1) + 1));
}

}  // namespace silt::parquet::thrift
