#include "silt/parquet/thrift/compact_protocol.h"

#include <cstring>

namespace silt::parquet::thrift {

std::string_view CTypeName(CType type) {
  switch (type) {
    case CType::kStop: return "stop";
    case CType::kBool: return "bool";
    case CType::kBoolFalse: return "bool";
    case CType::kI8: return "i8";
    case CType::kI16: return "i16";
    case CType::kI32: return "i32";
    case CType::kI64: return "i64";
    case CType::kDouble: return "double";
    case CType::kBinary: return "binary";
    case CType::kList: return "list";
    case CType::kSet: return "set";
    case CType::kMap: return "map";
    case CType::kStruct: return "struct";
    case CType::kUuid: return "uuid";
  }
  return "unknown";
}

Status CompactReader::Truncated(std::string_view what) const {
  return Status::Corruption("thrift: {} at byte {} runs past the end of the {}-byte buffer", what,
                            position(), end_ - begin_);
}

Status CompactReader::BeginStruct() {
  if (depth_ >= kMaxDepth) {
    return Status::Corruption("thrift: structs nested deeper than {} at byte {}", kMaxDepth,
                              position());
  }
  ++depth_;
  last_field_id_[depth_] = 0;
  return Status::OK();
}

Status CompactReader::ReadVarint64(uint64_t* out) {
  uint64_t result = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ == end_) return Truncated("varint");
    uint8_t byte = *pos_++;
    if (shift == 63 && byte > 1) {
      return Status::Corruption("thrift: varint overflows 64 bits at byte {}", position());
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *out = result;
      return Status::OK();
    }
  }
  return Status::Corruption("thrift: varint longer than 10 bytes at byte {}", position());
}

Status CompactReader::ReadVarint32(uint32_t* out) {
  uint64_t v = 0;
  SILT_RETURN_NOT_OK(ReadVarint64(&v));
  if (v > 0xffffffffu) {
    return Status::Corruption("thrift: varint {} does not fit 32 bits at byte {}", v, position());
  }
  *out = static_cast<uint32_t>(v);
  return Status::OK();
}

Status CompactReader::ReadFieldHeader(CType* type, int16_t* id) {
  has_pending_bool_ = false;
  if (pos_ == end_) return Truncated("field header");
  uint8_t byte = *pos_++;
  uint8_t type_id = byte & 0x0f;
  if (type_id == 0) {
    *type = CType::kStop;
    *id = 0;
    return Status::OK();
  }
  if (type_id > static_cast<uint8_t>(CType::kUuid)) {
    return Status::Corruption("thrift: unknown field type {} at byte {}", type_id, position() - 1);
  }
  uint8_t delta = byte >> 4;
  int16_t field_id = 0;
  if (delta != 0) {
    int32_t next = last_field_id_[depth_] + delta;
    if (next > INT16_MAX) {
      return Status::Corruption("thrift: field id overflows at byte {}", position() - 1);
    }
    field_id = static_cast<int16_t>(next);
  } else {
    SILT_RETURN_NOT_OK(ReadI16(&field_id));
  }
  last_field_id_[depth_] = field_id;
  *id = field_id;
  if (type_id == 1 || type_id == 2) {
    has_pending_bool_ = true;
    pending_bool_ = type_id == 1;
    *type = CType::kBool;
  } else {
    *type = static_cast<CType>(type_id);
  }
  return Status::OK();
}

Status CompactReader::ReadBool(bool* out) {
  if (has_pending_bool_) {
    has_pending_bool_ = false;
    *out = pending_bool_;
    return Status::OK();
  }
  if (pos_ == end_) return Truncated("bool");
  *out = *pos_++ == 1;
  return Status::OK();
}

Status CompactReader::ReadI8(int8_t* out) {
  if (pos_ == end_) return Truncated("i8");
  *out = static_cast<int8_t>(*pos_++);
  return Status::OK();
}

Status CompactReader::ReadI16(int16_t* out) {
  int32_t v = 0;
  SILT_RETURN_NOT_OK(ReadI32(&v));
  if (v < INT16_MIN || v > INT16_MAX) {
    return Status::Corruption("thrift: i16 value {} out of range at byte {}", v, position());
  }
  *out = static_cast<int16_t>(v);
  return Status::OK();
}

Status CompactReader::ReadI32(int32_t* out) {
  uint32_t u = 0;
  SILT_RETURN_NOT_OK(ReadVarint32(&u));
  *out = static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
  return Status::OK();
}

Status CompactReader::ReadI64(int64_t* out) {
  uint64_t u = 0;
  SILT_RETURN_NOT_OK(ReadVarint64(&u));
  *out = ZigZagDecode64(u);
  return Status::OK();
}

Status CompactReader::ReadDouble(double* out) {
  if (remaining() < 8) return Truncated("double");
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = (bits << 8) | pos_[i];
  std::memcpy(out, &bits, sizeof(bits));
  pos_ += 8;
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string_view* out) {
  uint32_t length = 0;
  SILT_RETURN_NOT_OK(ReadVarint32(&length));
  if (length > remaining()) {
    return Status::Corruption("thrift: binary of {} bytes at byte {} but only {} bytes remain",
                              length, position(), remaining());
  }
  *out = std::string_view(reinterpret_cast<const char*>(pos_), length);
  pos_ += length;
  return Status::OK();
}

Status CompactReader::ReadBinary(std::string* out) {
  std::string_view view;
  SILT_RETURN_NOT_OK(ReadBinary(&view));
  out->assign(view);
  return Status::OK();
}

Status CompactReader::CheckElementType(uint8_t nibble, CType* out) {
  if (nibble == 0 || nibble > static_cast<uint8_t>(CType::kUuid)) {
    return Status::Corruption("thrift: unknown container element type {} at byte {}", nibble,
                              position());
  }
  // Bool elements are written as 1 (Java Thrift, parquet-mr, parquet-rs) or 2 (the spec).
  *out = nibble == 2 ? CType::kBool : static_cast<CType>(nibble);
  return Status::OK();
}

Status CompactReader::ReadListHeader(ListHeader* out) {
  if (pos_ == end_) return Truncated("list header");
  uint8_t byte = *pos_++;
  SILT_RETURN_NOT_OK(CheckElementType(byte & 0x0f, &out->element_type));
  uint32_t size = byte >> 4;
  if (size == 15) SILT_RETURN_NOT_OK(ReadVarint32(&size));
  if (size > remaining()) {
    return Status::Corruption("thrift: list of {} elements at byte {} but only {} bytes remain",
                              size, position(), remaining());
  }
  out->size = size;
  return Status::OK();
}

Status CompactReader::ReadMapHeader(MapHeader* out) {
  uint32_t size = 0;
  SILT_RETURN_NOT_OK(ReadVarint32(&size));
  if (size == 0) {
    out->key_type = CType::kStop;
    out->value_type = CType::kStop;
    out->size = 0;
    return Status::OK();
  }
  if (pos_ == end_) return Truncated("map header");
  uint8_t types = *pos_++;
  SILT_RETURN_NOT_OK(CheckElementType(types >> 4, &out->key_type));
  SILT_RETURN_NOT_OK(CheckElementType(types & 0x0f, &out->value_type));
  // Every entry takes at least two bytes.
  if (size > remaining() / 2) {
    return Status::Corruption("thrift: map of {} entries at byte {} but only {} bytes remain", size,
                              position(), remaining());
  }
  out->size = size;
  return Status::OK();
}

Status CompactReader::Skip(CType type) { return SkipAtDepth(type, depth_); }

Status CompactReader::SkipAtDepth(CType type, int depth) {
  if (depth >= kMaxDepth) {
    return Status::Corruption("thrift: values nested deeper than {} at byte {}", kMaxDepth,
                              position());
  }
  switch (type) {
    case CType::kStop:
      return Status::Corruption("thrift: cannot skip a value of type stop at byte {}", position());
    case CType::kBool:
    case CType::kBoolFalse: {
      bool ignored = false;
      return ReadBool(&ignored);
    }
    case CType::kI8:
      if (pos_ == end_) return Truncated("i8");
      ++pos_;
      return Status::OK();
    case CType::kI16:
    case CType::kI32:
    case CType::kI64: {
      uint64_t ignored = 0;
      return ReadVarint64(&ignored);
    }
    case CType::kDouble:
      if (remaining() < 8) return Truncated("double");
      pos_ += 8;
      return Status::OK();
    case CType::kBinary: {
      std::string_view ignored;
      return ReadBinary(&ignored);
    }
    case CType::kUuid:
      if (remaining() < 16) return Truncated("uuid");
      pos_ += 16;
      return Status::OK();
    case CType::kList:
    case CType::kSet: {
      ListHeader header{};
      SILT_RETURN_NOT_OK(ReadListHeader(&header));
      for (uint32_t i = 0; i < header.size; ++i) {
        SILT_RETURN_NOT_OK(SkipAtDepth(header.element_type, depth + 1));
      }
      return Status::OK();
    }
    case CType::kMap: {
      MapHeader header{};
      SILT_RETURN_NOT_OK(ReadMapHeader(&header));
      for (uint32_t i = 0; i < header.size; ++i) {
        SILT_RETURN_NOT_OK(SkipAtDepth(header.key_type, depth + 1));
        SILT_RETURN_NOT_OK(SkipAtDepth(header.value_type, depth + 1));
      }
      return Status::OK();
    }
    case CType::kStruct: {
      int saved_depth = depth_;
      depth_ = depth;
      SILT_RETURN_NOT_OK(BeginStruct());
      while (true) {
        CType field_type = CType::kStop;
        int16_t id = 0;
        SILT_RETURN_NOT_OK(ReadFieldHeader(&field_type, &id));
        if (field_type == CType::kStop) break;
        SILT_RETURN_NOT_OK(SkipAtDepth(field_type, depth_));
      }
      depth_ = saved_depth;
      return Status::OK();
    }
  }
  return Status::Corruption("thrift: unknown type at byte {}", position());
}

// ---------------------------------------------------------------------------------------------

void CompactWriter::BeginStruct() {
  ++depth_;
  last_field_id_[depth_] = 0;
}

void CompactWriter::EndStruct() {
  out_->push_back(0);
  --depth_;
}

void CompactWriter::WriteFieldHeader(CType type, int16_t id) {
  int32_t delta = static_cast<int32_t>(id) - last_field_id_[depth_];
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<uint8_t>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    WriteI16(id);
  }
  last_field_id_[depth_] = id;
}

void CompactWriter::WriteBoolField(int16_t id, bool value) {
  WriteFieldHeader(value ? CType::kBool : CType::kBoolFalse, id);
}

void CompactWriter::WriteBool(bool value) { out_->push_back(value ? 1 : 2); }

void CompactWriter::WriteVarint64(uint64_t value) {
  while (value >= 0x80) {
    out_->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_->push_back(static_cast<char>(value));
}

void CompactWriter::WriteI32(int32_t value) {
  uint32_t zigzag = (static_cast<uint32_t>(value) << 1) ^ static_cast<uint32_t>(value >> 31);
  WriteVarint64(zigzag);
}

void CompactWriter::WriteI64(int64_t value) { WriteVarint64(ZigZagEncode64(value)); }

void CompactWriter::WriteDouble(double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  for (int i = 0; i < 8; ++i) out_->push_back(static_cast<char>(bits >> (8 * i)));
}

void CompactWriter::WriteBinary(std::string_view value) {
  WriteVarint64(value.size());
  out_->append(value);
}

void CompactWriter::WriteListHeader(CType element_type, uint32_t size) {
  uint8_t type = static_cast<uint8_t>(element_type == CType::kBoolFalse ? CType::kBool
                                                                        : element_type);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | type));
  } else {
    out_->push_back(static_cast<char>(0xf0 | type));
    WriteVarint64(size);
  }
}

void CompactWriter::WriteMapHeader(CType key_type, CType value_type, uint32_t size) {
  WriteVarint64(size);
  if (size > 0) {
    out_->push_back(static_cast<char>((static_cast<uint8_t>(key_type) << 4) |
                                      static_cast<uint8_t>(value_type)));
  }
}

}  // namespace silt::parquet::thrift
