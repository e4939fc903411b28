#include "silt/parquet/writer/column_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "silt/columnar/array.h"
#include "silt/parquet/crc32.h"
#include "silt/parquet/encoding/dictionary.h"
#include "silt/parquet/encoding/levels.h"
#include "silt/parquet/writer/memo_table.h"

namespace silt::parquet::writer {
namespace {

using columnar::TypeId;

// Slots handed to the typed writer at a time: pages are cut between such sub-batches, always
// at a row boundary.
constexpr int64_t kSubBatch = 4096;

// Physical value types: uint8_t (BOOLEAN), int32_t, int64_t, float, double, std::string_view
// (BYTE_ARRAY) and __int128 (FIXED_LEN_BYTE_ARRAY decimals).
template <typename T>
constexpr bool kIsBinary = std::is_same_v<T, std::string_view>;
template <typename T>
constexpr bool kIsBoolean = std::is_same_v<T, uint8_t>;
template <typename T>
constexpr bool kIsFloating = std::is_floating_point_v<T>;

template <typename T>
using Stored = std::conditional_t<kIsBinary<T>, std::string, T>;

template <typename T>
using MemoFor = std::conditional_t<kIsBinary<T>, BinaryMemoTable, FixedMemoTable<T>>;

template <typename T, typename Get>
void GatherWith(const LeafLevels& lv, int64_t first, int64_t count, T* out, Get get) {
  if (lv.dense) {
    const int64_t begin = lv.dense_begin + first;
    for (int64_t k = 0; k < count; ++k) out[k] = get(begin + k);
  } else {
    const int64_t* idx = lv.value_indices.data() + first;
    for (int64_t k = 0; k < count; ++k) out[k] = get(idx[k]);
  }
}

// The `count` values starting at value number `first` where they can be read in place (a dense
// run of a numeric array stored as T), else nullptr.
template <typename T>
const T* InPlace(const LeafLevels& lv, int64_t first) {
  if constexpr (kIsBoolean<T> || kIsBinary<T> || std::is_same_v<T, __int128>) {
    return nullptr;
  } else {
    const TypeId id = lv.leaf->type_id();
    if (!lv.dense || id == TypeId::kDecimal || id == TypeId::kInt8 || id == TypeId::kInt16) {
      return nullptr;
    }
    return static_cast<const columnar::NumericArray<T>&>(*lv.leaf).raw_values() +
           lv.dense_begin + first;
  }
}

template <typename T>
void Gather(const LeafLevels& lv, int64_t first, int64_t count, T* out) {
  const columnar::Array& a = *lv.leaf;
  const TypeId id = a.type_id();
  if constexpr (kIsBoolean<T>) {
    const auto& arr = static_cast<const columnar::BooleanArray&>(a);
    GatherWith(lv, first, count, out, [&](int64_t i) { return uint8_t{arr.Value(i)}; });
  } else if constexpr (kIsBinary<T>) {
    const auto& arr = static_cast<const columnar::BinaryArray&>(a);
    GatherWith(lv, first, count, out, [&](int64_t i) { return arr.GetView(i); });
  } else if constexpr (std::is_same_v<T, __int128>) {
    const auto& arr = static_cast<const columnar::DecimalArray&>(a);
    GatherWith(lv, first, count, out, [&](int64_t i) {
      __int128 v;
      std::memcpy(&v, arr.GetValueBytes(i), 16);
      return v;
    });
  } else {
    if (id == TypeId::kDecimal) {
      const auto& arr = static_cast<const columnar::DecimalArray&>(a);
      GatherWith(lv, first, count, out, [&](int64_t i) {
        int64_t low;
        std::memcpy(&low, arr.GetValueBytes(i), 8);
        return static_cast<T>(low);
      });
    } else if (id == TypeId::kInt8) {
      const int8_t* v = static_cast<const columnar::Int8Array&>(a).raw_values();
      GatherWith(lv, first, count, out, [&](int64_t i) { return static_cast<T>(v[i]); });
    } else if (id == TypeId::kInt16) {
      const int16_t* v = static_cast<const columnar::Int16Array&>(a).raw_values();
      GatherWith(lv, first, count, out, [&](int64_t i) { return static_cast<T>(v[i]); });
    } else {
      const T* v = static_cast<const columnar::NumericArray<T>&>(a).raw_values();
      if (lv.dense) {
        std::memcpy(out, v + lv.dense_begin + first, static_cast<size_t>(count) * sizeof(T));
      } else {
        GatherWith(lv, first, count, out, [&](int64_t i) { return v[i]; });
      }
    }
  }
}

// The first 8 bytes of `v` as a big-endian integer, zero-padded: PrefixKey(a) < PrefixKey(b)
// implies a < b in unsigned lexicographic order (equal keys decide nothing).
inline uint64_t PrefixKey(std::string_view v) {
  uint64_t w = 0;
  if (v.size() >= 8) {
    std::memcpy(&w, v.data(), 8);
    return __builtin_bswap64(w);
  }
  for (size_t k = 0; k < v.size(); ++k) {
    w |= uint64_t{static_cast<uint8_t>(v[k])} << (56 - 8 * k);
  }
  return w;
}

// Order of the column's sort order (digest §11.2): signed ints, decimals by value, false < true,
// bytes unsigned lexicographic, floats numerically (NaN never reaches here).
template <typename T>
bool Less(const T& a, const T& b) {
  return a < b;
}

template <typename T>
void AppendPlainFixed(const T& v, std::string* out) {
  const size_t n = out->size();
  out->resize(n + sizeof(T));
  std::memcpy(out->data() + n, &v, sizeof(T));
}

void AppendBigEndian(__int128 v, int32_t width, std::string* out) {
  uint8_t le[16];
  std::memcpy(le, &v, 16);
  for (int32_t k = width - 1; k >= 0; --k) out->push_back(static_cast<char>(le[k]));
}

template <typename T>
class TypedColumnWriter final : public ColumnChunkWriter {
 public:
  TypedColumnWriter(const LeafDescriptor& leaf, const ColumnWriterOptions& options,
                    std::unique_ptr<Codec> codec)
      : ColumnChunkWriter(leaf, options, std::move(codec)) {
    use_dictionary_ = options.dictionary_enabled && !kIsBoolean<T>;
    if constexpr (!kIsBinary<T> && !kIsBoolean<T>) {
      // The writer falls back to PLAIN once the dictionary passes its byte limit.
      const int64_t value_size =
          std::is_same_v<T, __int128> ? leaf.type_length : static_cast<int64_t>(sizeof(T));
      memo_.set_max_entries(std::min<int64_t>(
          options.dictionary_page_size_limit / std::max<int64_t>(1, value_size) + 1,
          int64_t{1} << 40));
    }
  }

  LeafSummary Summary() const override {
    LeafSummary s;
    s.null_count = file_nulls_;
    s.num_values = file_levels_;
    if (file_stats_.has) {
      s.min = ToValue(file_stats_.min, /*is_min=*/true);
      s.max = ToValue(file_stats_.max, /*is_min=*/false);
    }
    return s;
  }

 protected:
  void WriteValues(const LeafLevels& levels, int64_t first, int64_t count) override {
    if (count == 0) return;
    const T* values = InPlace<T>(levels, first);
    if (values == nullptr) {
      scratch_.resize(static_cast<size_t>(count));
      Gather<T>(levels, first, count, scratch_.data());
      values = scratch_.data();
    }
    UpdateStats(values, count);
    if (use_dictionary_) {
      const size_t base = indices_.size();
      indices_.resize(base + static_cast<size_t>(count));
      uint32_t* idx = indices_.data() + base;
      if constexpr (kIsBinary<T>) {
        for (int64_t k = 0; k < count; ++k) idx[k] = memo_.GetOrInsert(values[k]);
      } else {
        memo_.GetOrInsertBatch(values, count, idx);
      }
    } else if constexpr (kIsBoolean<T>) {
      bools_.insert(bools_.end(), values, values + count);
    } else if constexpr (kIsBinary<T>) {
      // One size check for the whole run, then length prefixes and bytes written in place.
      size_t bytes = 4 * static_cast<size_t>(count);
      for (int64_t k = 0; k < count; ++k) bytes += values[k].size();
      char* dst = plain_.Reserve(bytes);
      plain_.Commit(bytes);
      for (int64_t k = 0; k < count; ++k) {
        const auto len = static_cast<uint32_t>(values[k].size());
        std::memcpy(dst, &len, 4);
        std::memcpy(dst + 4, values[k].data(), len);
        dst += 4 + len;
      }
    } else if constexpr (std::is_same_v<T, __int128>) {
      std::string& bytes = big_endian_;
      bytes.clear();
      for (int64_t k = 0; k < count; ++k) AppendBigEndian(values[k], leaf_.type_length, &bytes);
      plain_.Append(bytes);
    } else {
      plain_.Append(std::string_view(reinterpret_cast<const char*>(values),
                                     static_cast<size_t>(count) * sizeof(T)));
    }
  }

  Encoding EncodeValues(std::string* out) override {
    if (use_dictionary_ && memo_.size() > 0) {
      EncodeDictionaryIndices(indices_.data(), static_cast<int64_t>(indices_.size()),
                              memo_.size(), out);
      indices_.clear();
      return Encoding::kRleDictionary;
    }
    if (use_dictionary_) return Encoding::kPlain;  // only nulls so far: no values to encode
    if constexpr (kIsBoolean<T>) {
      const size_t start = out->size();
      out->resize(start + (bools_.size() + 7) / 8, '\0');
      uint8_t* dst = reinterpret_cast<uint8_t*>(out->data() + start);
      for (size_t k = 0; k < bools_.size(); ++k) {
        if (bools_[k]) dst[k >> 3] = static_cast<uint8_t>(dst[k >> 3] | (1u << (k & 7)));
      }
      bools_.clear();
    } else {
      out->append(plain_.view());
      plain_.Clear();
    }
    return Encoding::kPlain;
  }

  int64_t PageValueBytes() const override {
    if (use_dictionary_) {
      return static_cast<int64_t>(indices_.size()) *
                 std::bit_width(static_cast<uint64_t>(memo_.size())) / 8 + 1;
    }
    if constexpr (kIsBoolean<T>) return static_cast<int64_t>(bools_.size() / 8);
    return static_cast<int64_t>(plain_.size());
  }

  bool dictionary_active() const override { return use_dictionary_; }

  int64_t DictionaryBytes() const override {
    if constexpr (kIsBoolean<T>) {
      return 0;
    } else if constexpr (kIsBinary<T>) {
      return memo_.data_bytes() + 4 * memo_.size();
    } else if constexpr (std::is_same_v<T, __int128>) {
      return memo_.size() * leaf_.type_length;
    } else {
      return memo_.size() * static_cast<int64_t>(sizeof(T));
    }
  }
  int64_t DictionaryEntries() const override {
    if constexpr (kIsBoolean<T>) return 0;
    return memo_.size();
  }

  void FallBackToPlain() override { use_dictionary_ = false; }

  void EncodeDictionary(std::string* out) override {
    if constexpr (kIsBinary<T>) {
      for (int64_t k = 0; k < memo_.size(); ++k) {
        const std::string_view v = memo_.value(k);
        AppendPlainFixed(static_cast<uint32_t>(v.size()), out);
        out->append(v);
      }
    } else if constexpr (std::is_same_v<T, __int128>) {
      for (const __int128& v : memo_.values()) AppendBigEndian(v, leaf_.type_length, out);
    } else if constexpr (!kIsBoolean<T>) {
      const auto& values = memo_.values();
      const size_t n = out->size();
      out->resize(n + values.size() * sizeof(T));
      if (!values.empty()) std::memcpy(out->data() + n, values.data(), values.size() * sizeof(T));
    }
  }

  void ChunkMinMax(Statistics* stats) override {
    std::string min_bytes;
    std::string max_bytes;
    if (!EncodeBounds(chunk_stats_, &min_bytes, &max_bytes)) return;
    if (static_cast<int64_t>(min_bytes.size()) > options_.max_statistics_size ||
        static_cast<int64_t>(max_bytes.size()) > options_.max_statistics_size) {
      return;
    }
    stats->min_value = std::move(min_bytes);
    stats->max_value = std::move(max_bytes);
    // The deprecated pair (signed order) for the types whose order is signed, as parquet-mr.
    const bool legacy = leaf_.type->id() != TypeId::kDecimal && !kIsBinary<T> &&
                        !std::is_same_v<T, __int128>;
    if (legacy) {
      stats->min = stats->min_value;
      stats->max = stats->max_value;
    }
  }

  bool TakePageMinMax(std::string* min, std::string* max) override {
    const bool has = EncodeBounds(page_stats_, min, max);
    if (has) {
      // Pages without bounds (all null) do not take part in the order.
      if (previous_page_.has) {
        const T lo = T(page_stats_.min), hi = T(page_stats_.max);
        const T prev_lo = T(previous_page_.min), prev_hi = T(previous_page_.max);
        if (Less(lo, prev_lo) || Less(hi, prev_hi)) ascending_ = false;
        if (Less(prev_lo, lo) || Less(prev_hi, hi)) descending_ = false;
      }
      previous_page_ = page_stats_;
    }
    page_stats_ = MinMax{};
    return has;
  }

  BoundaryOrder TakeBoundaryOrder() override {
    BoundaryOrder order = BoundaryOrder::kUnordered;
    // A single page (or equal bounds everywhere) is both; call it ascending.
    if (ascending_) {
      order = BoundaryOrder::kAscending;
    } else if (descending_) {
      order = BoundaryOrder::kDescending;
    }
    previous_page_ = MinMax{};
    ascending_ = true;
    descending_ = true;
    return order;
  }

  void ResetChunk() override {
    chunk_stats_ = MinMax{};
    memo_.Reset();
    use_dictionary_ = options_.dictionary_enabled && !kIsBoolean<T>;
  }

 private:
  struct MinMax {
    bool has = false;
    Stored<T> min{};
    Stored<T> max{};
  };

  // PLAIN-encoded bounds; false when there is no (non-NaN) value.
  bool EncodeBounds(const MinMax& m, std::string* min_bytes, std::string* max_bytes) const {
    if (!m.has) return false;
    Stored<T> min = m.min;
    Stored<T> max = m.max;
    if constexpr (kIsFloating<T>) {
      // A zero bound is written as -0.0 (min) / +0.0 (max): either zero may be in the data.
      if (min == 0) min = -T{0};
      if (max == 0) max = T{0};
    }
    *min_bytes = EncodeStat(min);
    *max_bytes = EncodeStat(max);
    return true;
  }

  void UpdateStats(const T* values, int64_t count) {
    if constexpr (kIsBinary<T>) {
      // Most byte strings are ordered by their first 8 bytes alone: compare those as integers
      // and the whole strings only on a tie.
      int64_t lo = 0;
      int64_t hi = 0;
      uint64_t lo_key = PrefixKey(values[0]);
      uint64_t hi_key = lo_key;
      for (int64_t k = 1; k < count; ++k) {
        const uint64_t key = PrefixKey(values[k]);
        if (key < lo_key || (key == lo_key && values[k] < values[lo])) {
          lo = k;
          lo_key = key;
        } else if (key > hi_key || (key == hi_key && values[hi] < values[k])) {
          hi = k;
          hi_key = key;
        }
      }
      Merge(&page_stats_, values[lo], values[hi]);
      Merge(&chunk_stats_, values[lo], values[hi]);
      Merge(&file_stats_, values[lo], values[hi]);
      return;
    }
    int64_t k = 0;
    if constexpr (kIsFloating<T>) {
      while (k < count && std::isnan(values[k])) ++k;
    }
    if (k == count) return;
    T lo = values[k];
    T hi = values[k];
    for (++k; k < count; ++k) {
      const T& v = values[k];
      if constexpr (kIsFloating<T>) {
        if (std::isnan(v)) continue;
      }
      if (Less(v, lo)) lo = v;
      if (Less(hi, v)) hi = v;
    }
    Merge(&page_stats_, lo, hi);
    Merge(&chunk_stats_, lo, hi);
    Merge(&file_stats_, lo, hi);
  }

  static void Merge(MinMax* m, const T& lo, const T& hi) {
    if (!m->has) {
      m->has = true;
      m->min = Stored<T>(lo);
      m->max = Stored<T>(hi);
      return;
    }
    if (Less<T>(lo, T(m->min))) m->min = Stored<T>(lo);
    if (Less<T>(T(m->max), hi)) m->max = Stored<T>(hi);
  }

  std::string EncodeStat(const Stored<T>& v) const {
    std::string out;
    if constexpr (kIsBinary<T>) {
      out = v;
    } else if constexpr (std::is_same_v<T, __int128>) {
      AppendBigEndian(v, leaf_.type_length, &out);
    } else {
      AppendPlainFixed(v, &out);
    }
    return out;
  }

  std::optional<expr::Value> ToValue(const Stored<T>& raw, bool is_min) const {
    const columnar::DataType& type = *leaf_.type;
    if constexpr (kIsBoolean<T>) {
      return expr::Value::Boolean(raw != 0);
    } else if constexpr (kIsBinary<T>) {
      if (type.id() == TypeId::kString) return expr::Value::String(raw);
      return expr::Value::Binary(raw);
    } else if constexpr (kIsFloating<T>) {
      T v = raw;
      if (v == 0) v = is_min ? -T{0} : T{0};
      return expr::Value::Double(static_cast<double>(v));
    } else {
      switch (type.id()) {
        case TypeId::kDecimal:
          return expr::Value::MakeDecimal(static_cast<__int128>(raw),
                                          columnar::AsDecimal(type).scale());
        case TypeId::kDate:
          return expr::Value::Date(static_cast<int32_t>(raw));
        case TypeId::kTimestamp:
          return expr::Value::Timestamp(static_cast<int64_t>(raw));
        case TypeId::kTimestampNtz:
          return expr::Value::TimestampNtz(static_cast<int64_t>(raw));
        default:
          return expr::Value::Int(static_cast<int64_t>(raw));
      }
    }
  }

  bool use_dictionary_ = false;
  std::vector<T> scratch_;
  // Current page: dictionary indices, or PLAIN bytes (booleans: one byte per value).
  std::vector<uint32_t> indices_;
  ByteBuffer plain_;
  std::string big_endian_;  // scratch of FIXED_LEN_BYTE_ARRAY values
  std::vector<uint8_t> bools_;
  MemoFor<T> memo_;  // unused for booleans
  MinMax page_stats_;
  MinMax previous_page_;  // bounds of the last page that had any, for the boundary order
  bool ascending_ = true;
  bool descending_ = true;
  MinMax chunk_stats_;
  MinMax file_stats_;
};

}  // namespace

ColumnChunkWriter::ColumnChunkWriter(const LeafDescriptor& leaf,
                                     const ColumnWriterOptions& options,
                                     std::unique_ptr<Codec> codec)
    : leaf_(leaf), options_(options), codec_(std::move(codec)) {}

ColumnChunkWriter::~ColumnChunkWriter() = default;

Result<std::unique_ptr<ColumnChunkWriter>> ColumnChunkWriter::Make(
    const LeafDescriptor& leaf, const ColumnWriterOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Codec> codec,
                        MakeCodec(options.codec, options.compression_level));
  std::unique_ptr<ColumnChunkWriter> w;
  switch (leaf.physical_type) {
    case PhysicalType::kBoolean:
      w.reset(new TypedColumnWriter<uint8_t>(leaf, options, std::move(codec)));
      break;
    case PhysicalType::kInt32:
      w.reset(new TypedColumnWriter<int32_t>(leaf, options, std::move(codec)));
      break;
    case PhysicalType::kInt64:
      w.reset(new TypedColumnWriter<int64_t>(leaf, options, std::move(codec)));
      break;
    case PhysicalType::kFloat:
      w.reset(new TypedColumnWriter<float>(leaf, options, std::move(codec)));
      break;
    case PhysicalType::kDouble:
      w.reset(new TypedColumnWriter<double>(leaf, options, std::move(codec)));
      break;
    case PhysicalType::kByteArray:
      w.reset(new TypedColumnWriter<std::string_view>(leaf, options, std::move(codec)));
      break;
    case PhysicalType::kFixedLenByteArray:
      w.reset(new TypedColumnWriter<__int128>(leaf, options, std::move(codec)));
      break;
    default:
      return Status::Unsupported("cannot write physical type {}",
                                 PhysicalTypeName(leaf.physical_type));
  }
  return w;
}

Status ColumnChunkWriter::Write(const LeafLevels& levels) {
  const int64_t n = levels.num_levels;
  const bool has_def = leaf_.max_def > 0;
  const bool has_rep = leaf_.max_rep > 0;
  int64_t pos = 0;
  int64_t value_pos = 0;
  // Slots per step adapt to the bytes a slot costs, so that pages and the dictionary stay near
  // their limits even for small limits or long values.
  int64_t step = std::clamp<int64_t>(options_.data_page_size / 8, 8, kSubBatch);
  // Every slot holds a value (a flat column without nulls here): every definition level is
  // max_def, which the page then only counts.
  const bool all_present = levels.dense && levels.num_values == n && !has_rep;
  while (pos < n) {
    // No step past the page's row limit (every row has at least one slot).
    step = std::clamp<int64_t>(options_.data_page_row_limit - page_rows_, 1, step);
    int64_t end = std::min(n, pos + step);
    if (has_rep) {
      while (end < n && levels.rep[static_cast<size_t>(end)] != 0) ++end;
    }
    int64_t present = end - pos;
    if (has_def && !(all_present && page_def_all_max_)) {
      const int16_t* def = levels.def.data();
      const int16_t max_def = leaf_.max_def;
      if (page_def_all_max_) {
        page_def_.assign(static_cast<size_t>(page_levels_), max_def);
        page_def_all_max_ = false;
      }
      present = CountLevel(def + pos, end - pos, max_def);
      page_def_.insert(page_def_.end(), def + pos, def + end);
    }
    if (has_rep) page_rep_.insert(page_rep_.end(), levels.rep.data() + pos, levels.rep.data() + end);
    if (present > levels.num_values - value_pos) {
      return Status::Internal("column '{}': levels name more values than were shredded",
                              leaf_.parquet_path.front());
    }
    const int64_t bytes_before = PageValueBytes() + DictionaryBytes();
    WriteValues(levels, value_pos, present);
    const int64_t bytes_added = PageValueBytes() + DictionaryBytes() - bytes_before;
    value_pos += present;
    const int64_t slots = end - pos;
    const int64_t rows = has_rep ? CountLevel(levels.rep.data() + pos, slots, 0) : slots;
    chunk_rows_ += rows;
    page_rows_ += rows;
    page_levels_ += slots;
    page_nulls_ += slots - present;
    chunk_levels_ += slots;
    chunk_nulls_ += slots - present;
    file_levels_ += slots;
    file_nulls_ += slots - present;
    pos = end;

    const int64_t level_bytes = PageLevelEntries() / 4;
    // A chunk whose values are still 99% distinct after dictionary_unique_prefix of them comes
    // from a domain of at least ~50 times that many values (ids, timestamps, random keys): its
    // dictionary costs hashing, and its indices plus entries take more space than PLAIN until
    // the size limit ends it anyway.
    const int64_t chunk_values = chunk_levels_ - chunk_nulls_;
    const bool dict_full =
        dictionary_active() &&
        (DictionaryBytes() > options_.dictionary_page_size_limit ||
         (options_.dictionary_unique_prefix > 0 &&
          chunk_values >= options_.dictionary_unique_prefix &&
          DictionaryEntries() * 100 >= chunk_values * 99));
    if (dict_full || level_bytes + PageValueBytes() >= options_.data_page_size ||
        page_rows_ >= options_.data_page_row_limit ||
        page_levels_ >= std::numeric_limits<int32_t>::max() / 2) {
      SILT_RETURN_NOT_OK(FlushPage());
      if (dict_full) FallBackToPlain();
    }
    int64_t budget = options_.data_page_size - PageValueBytes() - level_bytes;
    if (dictionary_active()) {
      budget = std::min(budget, options_.dictionary_page_size_limit - DictionaryBytes());
    }
    const int64_t per_slot = std::max<int64_t>(1, bytes_added / std::max<int64_t>(1, slots));
    step = std::clamp<int64_t>(budget / per_slot + 1, 8, kSubBatch);
  }
  return Status::OK();
}

Status ColumnChunkWriter::EncodePage(PageHeader header, std::string_view body, ByteBuffer* out,
                                     int64_t* uncompressed_total, int64_t* compressed_total) {
  if (body.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::InvalidArgument("column '{}': page of {} bytes is too large",
                                   leaf_.parquet_path.front(), body.size());
  }
  const size_t start = out->size();
  if (codec_->type() == CompressionCodec::kUncompressed) {
    out->Append(body);
  } else {
    const auto room =
        static_cast<size_t>(codec_->MaxCompressedLength(static_cast<int64_t>(body.size())));
    char* dst = out->Reserve(room);
    SILT_ASSIGN_OR_RETURN(
        int64_t size,
        codec_->Compress(body, std::span<uint8_t>(reinterpret_cast<uint8_t*>(dst), room)));
    out->Commit(static_cast<size_t>(size));
  }
  const std::string_view stored = out->view(start, out->size() - start);
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(stored.size());
  if (options_.page_checksum) header.crc = static_cast<int32_t>(Crc32(stored));
  header_.clear();
  SerializeThrift(header, &header_);
  *uncompressed_total += static_cast<int64_t>(header_.size() + body.size());
  *compressed_total += static_cast<int64_t>(header_.size() + stored.size());
  return Status::OK();
}

Status ColumnChunkWriter::FlushPage() {
  if (page_levels_ == 0) return Status::OK();
  body_.clear();
  EncodeLevelsV1(page_rep_.data(), static_cast<int64_t>(page_rep_.size()), leaf_.max_rep, &body_);
  if (page_def_all_max_) {
    EncodeRepeatedLevelV1(leaf_.max_def, page_levels_, leaf_.max_def, &body_);
  } else {
    EncodeLevelsV1(page_def_.data(), static_cast<int64_t>(page_def_.size()), leaf_.max_def,
                   &body_);
  }
  const Encoding encoding = EncodeValues(&body_);
  const int64_t page_offset = data_pages_bytes_;
  PageHeader header;
  header.type = PageType::kDataPage;
  DataPageHeader dph;
  dph.num_values = static_cast<int32_t>(page_levels_);
  dph.encoding = encoding;
  dph.definition_level_encoding = Encoding::kRle;
  dph.repetition_level_encoding = Encoding::kRle;
  header.data_page_header = dph;
  SILT_RETURN_NOT_OK(EncodePage(std::move(header), body_, &page_bodies_, &data_uncompressed_,
                                &data_compressed_));
  page_headers_.append(header_);
  pages_.push_back(PageSpan{page_headers_.size(), page_bodies_.size()});
  data_pages_bytes_ = data_compressed_;
  if (encoding == Encoding::kRleDictionary) {
    ++dict_data_pages_;
  } else {
    ++plain_data_pages_;
  }

  // Page index entries.
  PageLocation location;
  location.offset = page_offset;
  location.compressed_page_size = static_cast<int32_t>(data_pages_bytes_ - page_offset);
  location.first_row_index = page_first_row_;
  offset_index_.page_locations.push_back(location);
  std::string min;
  std::string max;
  const bool has_bounds = TakePageMinMax(&min, &max);
  const bool all_null = page_nulls_ == page_levels_;
  if (!all_null && !has_bounds) column_index_valid_ = false;  // only NaN: no usable bounds
  if (static_cast<int64_t>(min.size()) > options_.max_statistics_size ||
      static_cast<int64_t>(max.size()) > options_.max_statistics_size) {
    column_index_valid_ = false;
  }
  if (column_index_valid_) {
    column_index_.null_pages.push_back(all_null);
    column_index_.min_values.push_back(all_null ? std::string() : std::move(min));
    column_index_.max_values.push_back(all_null ? std::string() : std::move(max));
    column_index_.null_counts.push_back(page_nulls_);
  }

  page_def_.clear();
  page_def_all_max_ = true;
  page_rep_.clear();
  page_levels_ = 0;
  page_rows_ = 0;
  page_nulls_ = 0;
  page_first_row_ = chunk_rows_;
  return Status::OK();
}

int64_t ColumnChunkWriter::PageLevelEntries() const {
  const int64_t def = leaf_.max_def == 0 ? 0
                      : page_def_all_max_ ? page_levels_
                                          : static_cast<int64_t>(page_def_.size());
  return def + static_cast<int64_t>(page_rep_.size());
}

int64_t ColumnChunkWriter::EstimatedChunkBytes() const {
  return data_uncompressed_ + PageValueBytes() + PageLevelEntries() / 4 + DictionaryBytes();
}

Result<ColumnChunkWriter::FinishedChunk> ColumnChunkWriter::FinishChunk(
    fs::WritableFile& file) {
  SILT_RETURN_NOT_OK(FlushPage());
  const int64_t start = file.size();
  ColumnMetaData md;
  md.type = leaf_.physical_type;
  md.path_in_schema = leaf_.parquet_path;
  md.codec = options_.codec;
  md.num_values = chunk_levels_;
  int64_t uncompressed = 0;
  int64_t compressed = 0;
  const bool has_dictionary = DictionaryEntries() > 0 && dict_data_pages_ > 0;
  if (has_dictionary) {
    body_.clear();
    EncodeDictionary(&body_);
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    DictionaryPageHeader dict;
    dict.num_values = static_cast<int32_t>(DictionaryEntries());
    dict.encoding = Encoding::kPlain;
    header.dictionary_page_header = dict;
    dictionary_page_.Clear();
    SILT_RETURN_NOT_OK(
        EncodePage(std::move(header), body_, &dictionary_page_, &uncompressed, &compressed));
    SILT_RETURN_NOT_OK(file.Append(header_));
    SILT_RETURN_NOT_OK(file.Append(dictionary_page_.view()));
    md.dictionary_page_offset = start;
    md.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
  }
  md.data_page_offset = start + compressed;
  size_t header_begin = 0;
  size_t body_begin = 0;
  for (const PageSpan& page : pages_) {
    SILT_RETURN_NOT_OK(file.Append(
        std::string_view(page_headers_).substr(header_begin, page.header_end - header_begin)));
    SILT_RETURN_NOT_OK(file.Append(page_bodies_.view(body_begin, page.body_end - body_begin)));
    header_begin = page.header_end;
    body_begin = page.body_end;
  }
  uncompressed += data_uncompressed_;
  compressed += data_compressed_;
  md.total_uncompressed_size = uncompressed;
  md.total_compressed_size = compressed;
  if (dict_data_pages_ > 0) {
    md.encoding_stats.push_back({PageType::kDataPage, Encoding::kRleDictionary, dict_data_pages_});
  }
  if (plain_data_pages_ > 0) {
    md.encoding_stats.push_back({PageType::kDataPage, Encoding::kPlain, plain_data_pages_});
  }
  // Every encoding in the chunk, levels included, in enum order.
  if (has_dictionary || plain_data_pages_ > 0) md.encodings.push_back(Encoding::kPlain);
  md.encodings.push_back(Encoding::kRle);
  if (dict_data_pages_ > 0) md.encodings.push_back(Encoding::kRleDictionary);

  Statistics stats;
  stats.null_count = chunk_nulls_;
  ChunkMinMax(&stats);
  md.statistics = std::move(stats);

  FinishedChunk out;
  const int64_t data_start = md.data_page_offset;
  out.chunk.file_offset = start;
  out.chunk.meta_data = std::move(md);
  out.offset_index = std::move(offset_index_);
  for (PageLocation& location : out.offset_index.page_locations) location.offset += data_start;
  const BoundaryOrder order = TakeBoundaryOrder();
  if (column_index_valid_) {
    column_index_.boundary_order = order;
    out.column_index = std::move(column_index_);
  }
  offset_index_ = OffsetIndex();
  column_index_ = ColumnIndex();
  column_index_valid_ = true;
  chunk_rows_ = 0;
  page_first_row_ = 0;

  page_headers_.clear();
  page_bodies_.Clear();
  pages_.clear();
  data_pages_bytes_ = 0;
  chunk_levels_ = 0;
  chunk_nulls_ = 0;
  data_uncompressed_ = 0;
  data_compressed_ = 0;
  dict_data_pages_ = 0;
  plain_data_pages_ = 0;
  ResetChunk();
  return out;
}

}  // namespace silt::parquet::writer
