#include "silt/parquet/reader/column_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "silt/columnar/bit_util.h"
#include "silt/columnar/decimal.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/encoding/spaced.h"
#include "silt/parquet/int96.h"

namespace silt::parquet::reader {

using columnar::ArrayPtr;
using columnar::BufferPtr;
using columnar::MutableBuffer;
using columnar::MutableBufferPtr;
namespace bit_util = columnar::bit_util;

void LeafBatch::Clear() {
  def.clear();
  rep.clear();
  num_entries = 0;
  num_values = 0;
  fixed.reset();
  bools.clear();
  bytes.Clear();
}

Status LeafReader::StartChunk(const ColumnMetaData& metadata, std::string chunk,
                              const PageReaderOptions& options) {
  auto reader = ColumnChunkReader::Make(leaf_, metadata, std::move(chunk), options);
  // ColumnChunkReader's messages name the column already.
  if (!reader.ok()) return reader.status().WithContext(file_);
  if (chunk_ != nullptr) (*reader)->ReuseBuffers(*chunk_);
  chunk_ = std::move(*reader);
  // The chunk's bytes per level entry: about a PLAIN string's length plus its 4-byte prefix.
  chunk_bytes_ = std::max<int64_t>(0, metadata.total_uncompressed_size);
  bytes_per_entry_ = conversion_ == Conversion::kByteArray && metadata.num_values > 0
                         ? chunk_bytes_ / metadata.num_values
                         : 0;
  page_.reset();
  pos_ = 0;
  done_ = false;
  return Status::OK();
}

Status LeafReader::ReadRows(int64_t rows, LeafBatch* out) {
  const bool repeated = leaf_.max_repetition_level > 0;
  int64_t rows_left = rows;
  if (!repeated && rows_left == 0) return Status::OK();
  if (out != nullptr && !repeated && out->bytes.data.empty() && bytes_per_entry_ > 0) {
    // Strings of a batch in one allocation sized from the chunk, instead of growing (and
    // copying) as pages arrive; the unused end is given back when the buffer is released. At
    // most 64 MiB up front, whatever the metadata claims.
    int64_t guess = std::min(rows, chunk_bytes_ / bytes_per_entry_) * bytes_per_entry_;
    guess += guess / 8;  // a batch of longer strings than the chunk's average
    out->bytes.data.reserve(static_cast<size_t>(std::min<int64_t>(guess, int64_t{64} << 20)));
  }
  while (true) {
    if (!page_.has_value() || pos_ >= page_->num_levels) {
      if (done_) {
        if (rows_left > 0) {
          return Status::Corruption("{}: the column chunk ends {} rows early", name_, rows_left);
        }
        return Status::OK();
      }
      auto next = chunk_->NextPage();
      if (!next.ok()) return next.status().WithContext(file_);
      page_ = std::move(*next);
      pos_ = 0;
      if (!page_.has_value()) done_ = true;
      continue;
    }
    const int64_t n = page_->num_levels;
    int64_t end = pos_;
    if (!repeated) {
      end = pos_ + std::min(rows_left, n - pos_);
      rows_left -= end - pos_;
    } else {
      const int16_t* r = page_->rep_levels.data();
      while (end < n) {
        if (r[end] == 0) {
          if (rows_left == 0) break;
          --rows_left;
        }
        ++end;
      }
    }
    if (end > pos_) SILT_RETURN_NOT_OK(Take(pos_, end, out));
    pos_ = end;
    if (!repeated && rows_left == 0) return Status::OK();
    if (repeated && end < n) return Status::OK();  // the next row starts here
  }
}

Status LeafReader::FinishChunk() {
  if (done_) return Status::OK();
  if (page_.has_value() && pos_ < page_->num_levels) {
    return Status::Corruption("{}: the column chunk holds more rows than its row group", name_);
  }
  while (true) {
    auto next = chunk_->NextPage();
    if (!next.ok()) return next.status().WithContext(file_);
    if (!next->has_value()) break;
    if ((*next)->num_levels > 0) {
      return Status::Corruption("{}: the column chunk holds more rows than its row group", name_);
    }
  }
  done_ = true;
  page_.reset();
  return Status::OK();
}

Status LeafReader::Take(int64_t begin, int64_t end, LeafBatch* out) {
  const int64_t count = end - begin;
  int64_t values = count;
  if (leaf_.max_definition_level > 0) {
    const int16_t* d = page_->def_levels.data() + begin;
    out->def.insert(out->def.end(), d, d + count);
    values = CountLevel(d, count, leaf_.max_definition_level);
  }
  if (leaf_.max_repetition_level > 0) {
    const int16_t* r = page_->rep_levels.data() + begin;
    out->rep.insert(out->rep.end(), r, r + count);
  }
  out->num_entries += count;
  if (values > 0) SILT_RETURN_NOT_OK(DecodeValues(values, out));
  return Status::OK();
}

template <typename T>
Result<T*> LeafReader::Grow(LeafBatch* out, int64_t n) {
  const int64_t old_size = out->fixed ? out->fixed->size() : 0;
  const int64_t new_size = old_size + n * static_cast<int64_t>(sizeof(T));
  if (!out->fixed) {
    SILT_ASSIGN_OR_RETURN(out->fixed, MutableBuffer::Allocate(0));
  }
  SILT_RETURN_NOT_OK(out->fixed->Reserve(new_size));
  out->fixed->SetSize(new_size);
  return reinterpret_cast<T*>(out->fixed->mutable_data() + old_size);
}

namespace {

float HalfToFloat(uint16_t h) {
  const int sign = h >> 15;
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    v = mant == 0 ? std::numeric_limits<float>::infinity()
                  : std::numeric_limits<float>::quiet_NaN();
  } else {
    v = std::ldexp(static_cast<float>(mant + 1024), exp - 25);
  }
  return sign ? -v : v;
}

// Big-endian two's complement of any length (sign-extended beyond 16 bytes) to 16 LE bytes.
bool BigEndianToDecimal(const uint8_t* bytes, int64_t length, uint8_t* out) {
  if (length == 0) {
    std::memset(out, 0, 16);
    return true;
  }
  if (length > 16) {
    const uint8_t fill = (bytes[length - 16] & 0x80) ? 0xff : 0x00;
    for (int64_t i = 0; i < length - 16; ++i) {
      if (bytes[i] != fill) return false;
    }
    bytes += length - 16;
    length = 16;
  }
  auto d = columnar::Decimal128::FromBigEndian(bytes, static_cast<int32_t>(length));
  if (!d.ok()) return false;
  d->ToLittleEndian(out);
  return true;
}

void StoreDecimal(__int128 v, uint8_t* out) {
  columnar::Decimal128(static_cast<int64_t>(v >> 64), static_cast<uint64_t>(v)).ToLittleEndian(out);
}

}  // namespace

Status LeafReader::DecodeValues(int64_t n, LeafBatch* out) {
  ValueDecoder* dec = page_->values;
  auto wrap = [&](Status s) { return s.ok() ? s : s.WithContext(name_); };
  out->num_values += n;
  switch (leaf_.type) {
    case PhysicalType::kBoolean: {
      const size_t old = out->bools.size();
      out->bools.resize(old + static_cast<size_t>(n));
      return wrap(dec->DecodeBooleans(out->bools.data() + old, n));
    }
    case PhysicalType::kInt32: {
      if (conversion_ == Conversion::kNone) {
        SILT_ASSIGN_OR_RETURN(int32_t * dst, Grow<int32_t>(out, n));
        return wrap(dec->DecodeInt32(dst, n));
      }
      i32_.resize(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(wrap(dec->DecodeInt32(i32_.data(), n)));
      const int32_t* src = i32_.data();
      switch (conversion_) {
        case Conversion::kInt32ToInt8: {
          SILT_ASSIGN_OR_RETURN(int8_t * dst, Grow<int8_t>(out, n));
          for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<int8_t>(src[i]);
          return Status::OK();
        }
        case Conversion::kInt32ToInt16: {
          SILT_ASSIGN_OR_RETURN(int16_t * dst, Grow<int16_t>(out, n));
          for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<int16_t>(src[i]);
          return Status::OK();
        }
        case Conversion::kUint8ToInt16: {
          SILT_ASSIGN_OR_RETURN(int16_t * dst, Grow<int16_t>(out, n));
          for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<int16_t>(src[i] & 0xff);
          return Status::OK();
        }
        case Conversion::kUint16ToInt32: {
          SILT_ASSIGN_OR_RETURN(int32_t * dst, Grow<int32_t>(out, n));
          for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<int32_t>(src[i] & 0xffff);
          return Status::OK();
        }
        case Conversion::kUint32ToInt64: {
          SILT_ASSIGN_OR_RETURN(int64_t * dst, Grow<int64_t>(out, n));
          for (int64_t i = 0; i < n; ++i)
            dst[i] = static_cast<int64_t>(static_cast<uint32_t>(src[i]));
          return Status::OK();
        }
        case Conversion::kInt32MillisToMicros: {
          SILT_ASSIGN_OR_RETURN(int64_t * dst, Grow<int64_t>(out, n));
          for (int64_t i = 0; i < n; ++i) dst[i] = int64_t{src[i]} * 1000;
          return Status::OK();
        }
        case Conversion::kInt32ToDecimal: {
          SILT_ASSIGN_OR_RETURN(uint8_t * dst, Grow<uint8_t>(out, n * 16));
          for (int64_t i = 0; i < n; ++i) StoreDecimal(src[i], dst + 16 * i);
          return Status::OK();
        }
        default:
          break;
      }
      break;
    }
    case PhysicalType::kInt64: {
      if (conversion_ == Conversion::kNone) {
        SILT_ASSIGN_OR_RETURN(int64_t * dst, Grow<int64_t>(out, n));
        return wrap(dec->DecodeInt64(dst, n));
      }
      i64_.resize(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(wrap(dec->DecodeInt64(i64_.data(), n)));
      const int64_t* src = i64_.data();
      switch (conversion_) {
        case Conversion::kInt64MillisToMicros: {
          SILT_ASSIGN_OR_RETURN(int64_t * dst, Grow<int64_t>(out, n));
          for (int64_t i = 0; i < n; ++i) {
            if (__builtin_mul_overflow(src[i], int64_t{1000}, &dst[i])) {
              return Status::Corruption("{}: millisecond value {} out of range", name_, src[i]);
            }
          }
          return Status::OK();
        }
        case Conversion::kInt64NanosToMicros: {
          SILT_ASSIGN_OR_RETURN(int64_t * dst, Grow<int64_t>(out, n));
          for (int64_t i = 0; i < n; ++i) {
            int64_t q = src[i] / 1000;
            if (src[i] % 1000 < 0) --q;  // floor
            dst[i] = q;
          }
          return Status::OK();
        }
        case Conversion::kInt64ToDecimal: {
          SILT_ASSIGN_OR_RETURN(uint8_t * dst, Grow<uint8_t>(out, n * 16));
          for (int64_t i = 0; i < n; ++i) StoreDecimal(src[i], dst + 16 * i);
          return Status::OK();
        }
        case Conversion::kUint64ToDecimal: {
          SILT_ASSIGN_OR_RETURN(uint8_t * dst, Grow<uint8_t>(out, n * 16));
          for (int64_t i = 0; i < n; ++i) {
            StoreDecimal(static_cast<__int128>(static_cast<uint64_t>(src[i])), dst + 16 * i);
          }
          return Status::OK();
        }
        default:
          break;
      }
      break;
    }
    case PhysicalType::kInt96: {
      i96_.resize(static_cast<size_t>(n));
      SILT_RETURN_NOT_OK(wrap(dec->DecodeInt96(i96_.data(), n)));
      SILT_ASSIGN_OR_RETURN(int64_t * dst, Grow<int64_t>(out, n));
      for (int64_t i = 0; i < n; ++i) {
        auto micros = Int96ToUnixMicros(i96_[static_cast<size_t>(i)]);
        if (!micros.ok()) {
          return Status::Corruption("{}: bad INT96 timestamp: {}", name_,
                                    micros.status().message());
        }
        dst[i] = *micros;
      }
      return Status::OK();
    }
    case PhysicalType::kFloat: {
      SILT_ASSIGN_OR_RETURN(float* dst, Grow<float>(out, n));
      return wrap(dec->DecodeFloat(dst, n));
    }
    case PhysicalType::kDouble: {
      SILT_ASSIGN_OR_RETURN(double* dst, Grow<double>(out, n));
      return wrap(dec->DecodeDouble(dst, n));
    }
    case PhysicalType::kByteArray: {
      if (conversion_ == Conversion::kByteArray) {
        return wrap(dec->DecodeByteArrays(n, &out->bytes));
      }
      if (conversion_ == Conversion::kBytesToDecimal) {
        scratch_bytes_.Clear();
        SILT_RETURN_NOT_OK(wrap(dec->DecodeByteArrays(n, &scratch_bytes_)));
        SILT_ASSIGN_OR_RETURN(uint8_t * dst, Grow<uint8_t>(out, n * 16));
        for (int64_t i = 0; i < n; ++i) {
          std::string_view v = scratch_bytes_.value(i);
          if (!BigEndianToDecimal(reinterpret_cast<const uint8_t*>(v.data()),
                                  static_cast<int64_t>(v.size()), dst + 16 * i)) {
            return Status::Corruption("{}: a {}-byte decimal does not fit 128 bits", name_,
                                      v.size());
          }
        }
        return Status::OK();
      }
      break;
    }
    case PhysicalType::kFixedLenByteArray: {
      const int64_t width = leaf_.type_length;
      if (width <= 0)
        return Status::Corruption("{}: FIXED_LEN_BYTE_ARRAY of width {}", name_, width);
      flba_.resize(static_cast<size_t>(n * width));
      SILT_RETURN_NOT_OK(wrap(dec->DecodeFixedLenByteArrays(flba_.data(), n)));
      const uint8_t* src = flba_.data();
      switch (conversion_) {
        case Conversion::kFixedToBinary: {
          out->bytes.Reserve(n, n * width);
          for (int64_t i = 0; i < n; ++i) {
            SILT_RETURN_NOT_OK(wrap(out->bytes.Append(src + i * width, width)));
          }
          return Status::OK();
        }
        case Conversion::kBytesToDecimal: {
          SILT_ASSIGN_OR_RETURN(uint8_t * dst, Grow<uint8_t>(out, n * 16));
          for (int64_t i = 0; i < n; ++i) {
            if (!BigEndianToDecimal(src + i * width, width, dst + 16 * i)) {
              return Status::Corruption("{}: a {}-byte decimal does not fit 128 bits", name_,
                                        width);
            }
          }
          return Status::OK();
        }
        case Conversion::kFloat16ToFloat32: {
          SILT_ASSIGN_OR_RETURN(float* dst, Grow<float>(out, n));
          for (int64_t i = 0; i < n; ++i) {
            dst[i] = HalfToFloat(static_cast<uint16_t>(src[2 * i] | (src[2 * i + 1] << 8)));
          }
          return Status::OK();
        }
        default:
          break;
      }
      break;
    }
  }
  return Status::Internal("{}: no conversion {} for physical type {}", name_,
                          static_cast<int>(conversion_), PhysicalTypeName(leaf_.type));
}

// ---------------------------------------------------------------------------------------------
// Reassembly.

namespace {

struct Validity {
  BufferPtr bitmap;  // nullptr: all valid
  int64_t null_count = 0;
};

class Assembler {
 public:
  Assembler(std::vector<LeafBatch>& leaves, const std::string& column)
      : leaves_(leaves), column_(column) {}

  Result<ArrayPtr> Build(const ReaderNode& node) {
    if (node.kind != NodeKind::kLeaf) {
      // A nullable group null in every slot (a checkpoint's `remove` in a part of adds, an
      // unset map): the nulls it stands for, without assembling what is below it.
      std::optional<int64_t> nulls = AllNullSlots(node);
      if (nulls.has_value()) return columnar::MakeArrayOfNulls(node.field.type(), *nulls);
    }
    switch (node.kind) {
      case NodeKind::kLeaf:
        return BuildLeaf(node);
      case NodeKind::kStruct:
        return BuildStruct(node);
      case NodeKind::kList:
      case NodeKind::kMap:
        return BuildList(node);
    }
    return Status::Internal("unknown node kind");
  }

 private:
  Status Corrupt(const std::string& what) const {
    return Status::Corruption("{}: {}", column_, what);
  }

  // The number of slots of `node` when it is nullable, not inside a list, and null in every
  // slot, which is when every leaf below it has as many entries as the first, no values, no
  // repetition and only levels below the node's; else nullopt (assemble it).
  std::optional<int64_t> AllNullSlots(const ReaderNode& node) const {
    if (node.def_level <= node.slot_def || node.slot_rep != 0) return std::nullopt;
    const int64_t slots = leaves_[static_cast<size_t>(node.first_leaf)].num_entries;
    bool all_null = true;
    ForEachLeafBelow(node, [&](const LeafBatch& b) {
      all_null = all_null && b.num_entries == slots && b.num_values == 0 &&
                 static_cast<int64_t>(b.def.size()) == slots && AllBelow(b.def, node.def_level) &&
                 AllBelow(b.rep, 1);
    });
    return all_null ? std::optional<int64_t>(slots) : std::nullopt;
  }

  template <typename F>
  void ForEachLeafBelow(const ReaderNode& node, const F& f) const {
    if (node.kind == NodeKind::kLeaf) {
      f(leaves_[static_cast<size_t>(node.leaf_index)]);
      return;
    }
    for (const ReaderNode& c : node.children) ForEachLeafBelow(c, f);
  }

  // Whether every one of `levels` is below `limit`: blocks of 64 reduced to their maximum
  // (vector operations), stopping at the first block that reaches it.
  static bool AllBelow(const std::vector<int16_t>& levels, int16_t limit) {
    constexpr size_t kBlock = 64;
    const size_t n = levels.size();
    const int16_t* p = levels.data();
    size_t i = 0;
    for (; i + kBlock <= n; i += kBlock) {
      int16_t max = 0;
      for (size_t k = 0; k < kBlock; ++k) max = std::max(max, p[i + k]);
      if (max >= limit) return false;
    }
    for (; i < n; ++i) {
      if (p[i] >= limit) return false;
    }
    return true;
  }

  // The slots of `node` among the entries of `b`, and their validity.
  Result<int64_t> Slots(const ReaderNode& node, const LeafBatch& b, Validity* validity) {
    const bool may_be_null = node.def_level > node.slot_def && !b.def.empty();
    if (b.rep.empty()) {
      const int64_t s = b.num_entries;
      if (may_be_null) {
        SILT_ASSIGN_OR_RETURN(auto bits, MutableBuffer::Allocate(bit_util::BytesForBits(s), true));
        uint8_t* out = bits->mutable_data();
        int64_t nulls = 0;
        if (node.kind == NodeKind::kLeaf) {
          // Flat leaf: non-null exactly at the maximum level; the bulk bitmap builder applies.
          nulls = DefinitionLevelsToBitmap(b.def.data(), s, node.def_level, out, 0);
          if (nulls > 0) {
            validity->bitmap = std::move(bits);
            validity->null_count = nulls;
          }
          return s;
        }
        for (int64_t i = 0; i < s; ++i) {
          if (b.def[static_cast<size_t>(i)] >= node.def_level) {
            bit_util::SetBit(out, i);
          } else {
            ++nulls;
          }
        }
        if (nulls > 0) {
          validity->bitmap = std::move(bits);
          validity->null_count = nulls;
        }
      }
      return s;
    }
    // Count first, then fill.
    int64_t s = 0;
    const int64_t n = b.num_entries;
    for (int64_t i = 0; i < n; ++i) {
      s += b.rep[static_cast<size_t>(i)] <= node.slot_rep &&
           b.def[static_cast<size_t>(i)] >= node.slot_def;
    }
    if (may_be_null) {
      SILT_ASSIGN_OR_RETURN(auto bits, MutableBuffer::Allocate(bit_util::BytesForBits(s), true));
      uint8_t* out = bits->mutable_data();
      int64_t k = 0, nulls = 0;
      for (int64_t i = 0; i < n; ++i) {
        const int16_t d = b.def[static_cast<size_t>(i)];
        if (b.rep[static_cast<size_t>(i)] <= node.slot_rep && d >= node.slot_def) {
          if (d >= node.def_level) {
            bit_util::SetBit(out, k);
          } else {
            ++nulls;
          }
          ++k;
        }
      }
      if (nulls > 0) {
        validity->bitmap = std::move(bits);
        validity->null_count = nulls;
      }
    }
    return s;
  }

  Result<ArrayPtr> BuildLeaf(const ReaderNode& node) {
    LeafBatch& b = leaves_[static_cast<size_t>(node.leaf_index)];
    Validity v;
    SILT_ASSIGN_OR_RETURN(int64_t s, Slots(node, b, &v));
    if (s - v.null_count != b.num_values) {
      return Corrupt("the definition levels do not match the values");
    }
    const columnar::TypePtr& type = node.field.type();
    const uint8_t* valid = v.bitmap ? v.bitmap->data() : nullptr;
    if (type->id() == columnar::TypeId::kBoolean) {
      SILT_ASSIGN_OR_RETURN(auto bits, MutableBuffer::Allocate(bit_util::BytesForBits(s), true));
      uint8_t* out = bits->mutable_data();
      int64_t src = 0;
      for (int64_t i = 0; i < s; ++i) {
        if (valid == nullptr || bit_util::GetBit(valid, i)) {
          if (b.bools[static_cast<size_t>(src++)]) bit_util::SetBit(out, i);
        }
      }
      return columnar::MakeFixedWidthArray(type, s, std::move(bits), v.bitmap, v.null_count);
    }
    if (type->is_binary_like()) {
      SILT_ASSIGN_OR_RETURN(auto offsets, MutableBuffer::Allocate((s + 1) * 4));
      auto* off = offsets->mutable_data_as<int32_t>();
      off[0] = 0;
      const int32_t* dense = b.bytes.offsets.data();
      int64_t src = 0;
      if (valid == nullptr) {
        std::memcpy(off, dense, static_cast<size_t>(s + 1) * sizeof(int32_t));
      }
      for (int64_t i = 0; valid != nullptr && i < s; ++i) {
        if (valid == nullptr || bit_util::GetBit(valid, i)) {
          ++src;
          off[i + 1] = dense[src];
        } else {
          off[i + 1] = off[i];
        }
      }
      // The decoded bytes become the array's data as they are (nulls take no bytes).
      columnar::BufferPtr data = b.bytes.data.Release();
      b.bytes.Clear();
      return columnar::MakeBinaryArray(type, s, std::move(offsets), std::move(data), v.bitmap,
                                       v.null_count);
    }
    const int64_t width = type->byte_width();
    MutableBufferPtr values = std::move(b.fixed);
    if (!values) {
      SILT_ASSIGN_OR_RETURN(values, MutableBuffer::Allocate(s * width, true));
    } else {
      SILT_RETURN_NOT_OK(values->Resize(s * width));
    }
    if (valid != nullptr) {
      ExpandFixed(values->mutable_data(), width, s, b.num_values, valid);
    }
    return columnar::MakeFixedWidthArray(type, s, std::move(values), v.bitmap, v.null_count);
  }

  // Moves `present` dense values of `width` bytes to the valid slots among `s` (in place).
  static void ExpandFixed(uint8_t* data, int64_t width, int64_t s, int64_t present,
                          const uint8_t* valid) {
    struct Bytes16 {
      uint8_t b[16];
    };
    switch (width) {
      case 1:
        return ExpandSpaced(reinterpret_cast<int8_t*>(data), s, present, valid, 0);
      case 2:
        return ExpandSpaced(reinterpret_cast<int16_t*>(data), s, present, valid, 0);
      case 4:
        return ExpandSpaced(reinterpret_cast<int32_t*>(data), s, present, valid, 0);
      case 8:
        return ExpandSpaced(reinterpret_cast<int64_t*>(data), s, present, valid, 0);
      case 16:
        return ExpandSpaced(reinterpret_cast<Bytes16*>(data), s, present, valid, 0);
      default:
        break;
    }
    {
      int64_t src = present;
      for (int64_t i = s - 1; i >= 0; --i) {
        if (src == i + 1) break;  // everything below is valid and in place
        if (bit_util::GetBit(valid, i)) {
          --src;
          std::memcpy(data + i * width, data + src * width, static_cast<size_t>(width));
        } else {
          std::memset(data + i * width, 0, static_cast<size_t>(width));
        }
      }
    }
  }

  Result<ArrayPtr> BuildStruct(const ReaderNode& node) {
    const LeafBatch& b = leaves_[static_cast<size_t>(node.first_leaf)];
    Validity v;
    SILT_ASSIGN_OR_RETURN(int64_t s, Slots(node, b, &v));
    std::vector<ArrayPtr> children;
    for (const ReaderNode& c : node.children) {
      SILT_ASSIGN_OR_RETURN(ArrayPtr child, Build(c));
      if (child->length() != s) {
        return Corrupt("the columns of a struct disagree on its number of values");
      }
      children.push_back(std::move(child));
    }
    return columnar::MakeStructArray(node.field.type(), s, std::move(children), v.bitmap,
                                     v.null_count);
  }

  Result<ArrayPtr> BuildList(const ReaderNode& node) {
    const LeafBatch& b = leaves_[static_cast<size_t>(node.first_leaf)];
    if (b.rep.size() != static_cast<size_t>(b.num_entries) ||
        b.def.size() != static_cast<size_t>(b.num_entries)) {
      return Status::Internal("{}: list without levels", column_);
    }
    const int16_t* rep = b.rep.data();
    const int16_t* def = b.def.data();
    const int64_t n = b.num_entries;
    // Count the slots, then write offsets and validity straight into their buffers.
    int64_t s = 0;
    for (int64_t i = 0; i < n; ++i) s += rep[i] <= node.slot_rep && def[i] >= node.slot_def;
    SILT_ASSIGN_OR_RETURN(MutableBufferPtr off, MutableBuffer::Allocate((s + 1) * 4));
    auto* offsets = off->mutable_data_as<int32_t>();
    const bool may_be_null = node.def_level > node.slot_def;
    MutableBufferPtr bits;
    if (may_be_null) {
      SILT_ASSIGN_OR_RETURN(bits, MutableBuffer::Allocate(bit_util::BytesForBits(s), true));
    }
    int64_t k = 0, count = 0, nulls = 0;
    for (int64_t i = 0; i < n; ++i) {
      const int16_t r = rep[i];
      const int16_t d = def[i];
      if (r <= node.slot_rep && d >= node.slot_def) {
        offsets[k] = static_cast<int32_t>(count);
        if (d >= node.def_level) {
          if (may_be_null) bit_util::SetBit(bits->mutable_data(), k);
        } else {
          ++nulls;
        }
        ++k;
      }
      if (r <= node.child_rep && d >= node.child_def) {
        if (++count > std::numeric_limits<int32_t>::max()) {
          return Status::ResourceExhausted("{}: more than 2^31 list elements in one batch",
                                           column_);
        }
      }
    }
    offsets[s] = static_cast<int32_t>(count);
    BufferPtr validity;
    if (may_be_null && nulls > 0) {
      validity = std::move(bits);
    } else {
      nulls = 0;
    }
    ArrayPtr values;
    if (node.kind == NodeKind::kList) {
      SILT_ASSIGN_OR_RETURN(values, Build(node.children[0]));
    } else {
      SILT_ASSIGN_OR_RETURN(ArrayPtr keys, Build(node.children[0]));
      SILT_ASSIGN_OR_RETURN(ArrayPtr items, Build(node.children[1]));
      if (keys->length() != count || items->length() != count) {
        return Corrupt("the keys and values of a map disagree on the number of entries");
      }
      const auto& map_type = columnar::AsMap(*node.field.type());
      SILT_ASSIGN_OR_RETURN(values, columnar::MakeStructArray(map_type.entries_type(), count,
                                                              {std::move(keys), std::move(items)}));
    }
    if (values->length() != count) {
      return Corrupt("the levels of a list disagree with its elements");
    }
    return columnar::MakeListArray(node.field.type(), s, std::move(off), std::move(values),
                                   std::move(validity), nulls);
  }

  std::vector<LeafBatch>& leaves_;
  const std::string& column_;
};

}  // namespace

Result<ArrayPtr> AssembleColumn(const ReaderNode& node, std::vector<LeafBatch>& leaves,
                                const std::string& column) {
  Assembler assembler(leaves, column);
  auto result = assembler.Build(node);
  if (!result.ok() && result.status().code() == StatusCode::kInvalidArgument) {
    // MakeArray refusing what the levels described is a malformed file, not a caller error.
    return Status::Corruption("{}: {}", column, result.status().message());
  }
  return result;
}

}  // namespace silt::parquet::reader
