// Array::Validate: content checks on top of the structural checks MakeArray already did.
#include "silt/columnar/array.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace silt::columnar {

namespace {

// RFC 3629 UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t* end = p + s.size();
  while (p < end) {
    // ASCII fast path, 8 bytes at a time.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if (word & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p >= end) break;
    uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int k = 1; k <= extra; ++k) {
      if ((p[k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

// Whether every byte is below 0x80, a word at a time. Most strings (paths, JSON) are ASCII, and
// one pass over a whole data buffer is much cheaper than decoding element by element.
bool IsAscii(const uint8_t* p, int64_t size) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  int64_t i = 0;
#if defined(__SSE2__)
  // 64 bytes per step: four 16-byte loads ORed, one test of their high bits.
  for (; i + 64 <= size; i += 64) {
    const auto* v = reinterpret_cast<const __m128i*>(p + i);
    const __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                     _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
    if (_mm_movemask_epi8(any) != 0) return false;
  }
#endif
  for (; i + 32 <= size; i += 32) {
    uint64_t w[4];
    std::memcpy(w, p + i, 32);
    if ((w[0] | w[1] | w[2] | w[3]) & kHigh) return false;
  }
  for (; i < size; ++i) {
    if (p[i] & 0x80) return false;
  }
  return true;
}

Status ValidateImpl(const Array& array, const std::string& where) {
  const ArrayData& data = *array.data();
  const std::string type = array.type()->ToString();
  int64_t nulls = 0;
  if (data.buffers[0] != nullptr) {
    nulls = data.length - bit_util::CountSetBits(data.buffers[0]->data(), data.offset, data.length);
  }
  if (nulls != data.null_count) {
    return Status::InvalidArgument("{}{} array: null_count is {} but the validity bitmap has {} nulls",
                                   where, type, data.null_count, nulls);
  }
  switch (array.type_id()) {
    case TypeId::kString: {
      const auto& strings = static_cast<const BinaryArray&>(array);
      // All the bytes the elements span (MakeArray checked that the offsets rise and stay in
      // the data buffer) being ASCII makes every element valid; else check each one.
      if (strings.length() > 0 &&
          IsAscii(strings.raw_data() + strings.value_offset(0),
                  strings.value_offset(strings.length()) - strings.value_offset(0))) {
        break;
      }
      for (int64_t i = 0; i < strings.length(); ++i) {
        if (strings.IsValid(i) && !IsValidUtf8(strings.GetView(i))) {
          return Status::InvalidArgument("{}string array: element {} is not valid UTF-8", where,
                                         i);
        }
      }
      break;
    }
    case TypeId::kDecimal: {
      const auto& decimals = static_cast<const DecimalArray&>(array);
      for (int64_t i = 0; i < decimals.length(); ++i) {
        if (decimals.IsValid(i) && !decimals.Value(i).FitsInPrecision(decimals.precision())) {
          return Status::InvalidArgument("{}{} array: element {} ({}) exceeds the precision",
                                         where, type, i,
                                         decimals.Value(i).ToString(decimals.scale()));
        }
      }
      break;
    }
    case TypeId::kStruct: {
      const auto& st = static_cast<const StructArray&>(array);
      const auto& fields = AsStruct(*array.type()).fields();
      for (int f = 0; f < st.num_fields(); ++f) {
        SILT_RETURN_NOT_OK(
            ValidateImpl(*st.raw_field(f), fmt::format("{}field '{}': ", where, fields[f].name())));
      }
      break;
    }
    case TypeId::kList: {
      const auto& list = static_cast<const ListArray&>(array);
      SILT_RETURN_NOT_OK(ValidateImpl(*list.values(), where + "array element: "));
      break;
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const MapArray&>(array);
      SILT_RETURN_NOT_OK(ValidateImpl(*map.entries(), where + "map entries: "));
      const Array& entries = *map.entries();
      const Array& keys = *map.keys();
      int64_t begin = map.length() == 0 ? 0 : map.value_offset(0);
      int64_t end = map.length() == 0 ? 0 : map.value_offset(map.length());
      for (int64_t k = begin; k < end; ++k) {
        if (entries.IsNull(k)) {
          return Status::InvalidArgument("{}{} array: map entry {} is null", where, type, k);
        }
        if (keys.IsNull(entries.offset() + k)) {
          return Status::InvalidArgument("{}{} array: map key at entry {} is null", where, type,
                                         k);
        }
      }
      break;
    }
    default:
      break;
  }
  return Status::OK();
}

}  // namespace

Status Array::Validate() const { return ValidateImpl(*this, ""); }

namespace {

// True if some value nested inside `type` may not be null (so nested checks are needed).
bool HasNotNullInside(const DataType& type) {
  switch (type.id()) {
    case TypeId::kStruct:
      for (const Field& f : AsStruct(type).fields()) {
        if (!f.nullable() || HasNotNullInside(*f.type())) return true;
      }
      return false;
    case TypeId::kList: {
      const auto& list = AsList(type);
      return !list.contains_null() || HasNotNullInside(*list.element_type());
    }
    case TypeId::kMap: {
      const auto& map = AsMap(type);
      return !map.value_contains_null() || HasNotNullInside(*map.key_type()) ||
             HasNotNullInside(*map.value_type());
    }
    default:
      return false;
  }
}

Status NullError(const std::string& path, int64_t row) {
  return Status::InvalidArgument("'{}' is not nullable but has a null (row {})", path, row);
}

// Checks the non-null value at index i of `array` (whose type is `type`). `row` is the top-level
// row, for the message.
Status CheckValue(const Array& array, const DataType& type, int64_t i, const std::string& path,
                  int64_t row) {
  switch (type.id()) {
    case TypeId::kStruct: {
      const auto& st = static_cast<const StructArray&>(array);
      const auto& fields = AsStruct(type).fields();
      for (size_t f = 0; f < fields.size(); ++f) {
        const Array& child = *st.raw_field(static_cast<int>(f));
        int64_t k = st.offset() + i;
        std::string child_path = path + "." + fields[f].name();
        if (child.IsNull(k)) {
          if (!fields[f].nullable()) return NullError(child_path, row);
        } else if (HasNotNullInside(*fields[f].type())) {
          SILT_RETURN_NOT_OK(CheckValue(child, *fields[f].type(), k, child_path, row));
        }
      }
      return Status::OK();
    }
    case TypeId::kList: {
      const auto& list = static_cast<const ListArray&>(array);
      const auto& lt = AsList(type);
      bool nested = HasNotNullInside(*lt.element_type());
      for (int32_t k = list.value_offset(i); k < list.value_offset(i + 1); ++k) {
        if (list.values()->IsNull(k)) {
          if (!lt.contains_null()) return NullError(path + ".element", row);
        } else if (nested) {
          SILT_RETURN_NOT_OK(CheckValue(*list.values(), *lt.element_type(), k,
                                        path + ".element", row));
        }
      }
      return Status::OK();
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const MapArray&>(array);
      const auto& mt = AsMap(type);
      int64_t base = map.entries()->offset();
      for (int32_t k = map.value_offset(i); k < map.value_offset(i + 1); ++k) {
        if (map.keys()->IsNull(base + k)) return NullError(path + ".key", row);
        if (HasNotNullInside(*mt.key_type())) {
          SILT_RETURN_NOT_OK(CheckValue(*map.keys(), *mt.key_type(), base + k, path + ".key", row));
        }
        if (map.items()->IsNull(base + k)) {
          if (!mt.value_contains_null()) return NullError(path + ".value", row);
        } else if (HasNotNullInside(*mt.value_type())) {
          SILT_RETURN_NOT_OK(
              CheckValue(*map.items(), *mt.value_type(), base + k, path + ".value", row));
        }
      }
      return Status::OK();
    }
    default:
      return Status::OK();
  }
}

}  // namespace

Status ValidateNullability(const Array& array, const Field& field) {
  if (!array.type()->Equals(*field.type(), /*check_metadata=*/false)) {
    return Status::InvalidArgument("ValidateNullability: array of type {} for field {}",
                                   array.type()->ToString(), field.ToString());
  }
  bool nested = HasNotNullInside(*field.type());
  if (field.nullable() && !nested) return Status::OK();
  for (int64_t row = 0; row < array.length(); ++row) {
    if (array.IsNull(row)) {
      if (!field.nullable()) return NullError(field.name(), row);
    } else if (nested) {
      SILT_RETURN_NOT_OK(CheckValue(array, *field.type(), row, field.name(), row));
    }
  }
  return Status::OK();
}

}  // namespace silt::columnar
