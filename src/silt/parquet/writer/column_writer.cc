#include "silt/parquet/writer/column_writer.h"

#include <zlib.h>

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
#include "silt/parquet/writer/memo_table.h"
#include "silt/parquet/writer/rle_encoder.h"

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
    scratch_.resize(static_cast<size_t>(count));
    T* values = scratch_.data();
    Gather<T>(levels, first, count, values);
    UpdateStats(values, count);
    if (use_dictionary_) {
      const size_t base = indices_.size();
      indices_.resize(base + static_cast<size_t>(count));
      uint32_t* idx = indices_.data() + base;
      for (int64_t k = 0; k < count; ++k) idx[k] = memo_.GetOrInsert(values[k]);
    } else if constexpr (kIsBoolean<T>) {
      bools_.insert(bools_.end(), values, values + count);
    } else if constexpr (kIsBinary<T>) {
      for (int64_t k = 0; k < count; ++k) {
        const uint32_t len = static_cast<uint32_t>(values[k].size());
        AppendPlainFixed(len, &plain_);
        plain_.append(values[k]);
      }
    } else if constexpr (std::is_same_v<T, __int128>) {
      for (int64_t k = 0; k < count; ++k) AppendBigEndian(values[k], leaf_.type_length, &plain_);
    } else {
      const size_t n = plain_.size();
      plain_.resize(n + static_cast<size_t>(count) * sizeof(T));
      std::memcpy(plain_.data() + n, values, static_cast<size_t>(count) * sizeof(T));
    }
  }

  Encoding EncodeValues(std::string* out) override {
    if (use_dictionary_ && memo_.size() > 0) {
      const int width = std::bit_width(static_cast<uint64_t>(std::max<int64_t>(memo_.size() - 1, 0)));
      out->push_back(static_cast<char>(width));
      AppendRleRuns(indices_.data(), static_cast<int64_t>(indices_.size()), width, out);
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
      out->append(plain_);
      plain_.clear();
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
  std::string plain_;
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
  while (pos < n) {
    int64_t end = std::min(n, pos + step);
    if (has_rep) {
      while (end < n && levels.rep[static_cast<size_t>(end)] != 0) ++end;
    }
    int64_t present = end - pos;
    if (has_def) {
      const int16_t* def = levels.def.data();
      const int16_t max_def = leaf_.max_def;
      present = 0;
      for (int64_t k = pos; k < end; ++k) present += def[k] == max_def;
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
    int64_t rows = slots;
    if (has_rep) {
      rows = 0;
      const int16_t* rep = levels.rep.data();
      for (int64_t k = pos; k < end; ++k) rows += rep[k] == 0;
    }
    chunk_rows_ += rows;
    page_levels_ += slots;
    page_nulls_ += slots - present;
    chunk_levels_ += slots;
    chunk_nulls_ += slots - present;
    file_levels_ += slots;
    file_nulls_ += slots - present;
    pos = end;

    const int64_t level_bytes = (static_cast<int64_t>(page_def_.size()) +
                                 static_cast<int64_t>(page_rep_.size())) / 4;
    const bool dict_full =
        dictionary_active() && DictionaryBytes() > options_.dictionary_page_size_limit;
    if (dict_full || level_bytes + PageValueBytes() >= options_.data_page_size ||
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

Status ColumnChunkWriter::AppendPage(PageHeader header, const std::string& body,
                                     std::string* out, int64_t* uncompressed_total,
                                     int64_t* compressed_total) {
  if (body.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::InvalidArgument("column '{}': page of {} bytes is too large",
                                   leaf_.parquet_path.front(), body.size());
  }
  std::string_view stored = body;
  if (codec_->type() != CompressionCodec::kUncompressed) {
    compressed_.resize(static_cast<size_t>(codec_->MaxCompressedLength(
        static_cast<int64_t>(body.size()))));
    SILT_ASSIGN_OR_RETURN(
        int64_t size,
        codec_->Compress(body, std::span<uint8_t>(reinterpret_cast<uint8_t*>(compressed_.data()),
                                                  compressed_.size())));
    stored = std::string_view(compressed_.data(), static_cast<size_t>(size));
  }
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(stored.size());
  if (options_.page_checksum) {
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(stored.data()),
                            static_cast<uInt>(stored.size()));
    header.crc = static_cast<int32_t>(static_cast<uint32_t>(crc));
  }
  header_.clear();
  SerializeThrift(header, &header_);
  out->append(header_);
  out->append(stored);
  *uncompressed_total += static_cast<int64_t>(header_.size() + body.size());
  *compressed_total += static_cast<int64_t>(header_.size() + stored.size());
  return Status::OK();
}

Status ColumnChunkWriter::FlushPage() {
  if (page_levels_ == 0) return Status::OK();
  body_.clear();
  AppendLevelsV1(page_rep_.data(), static_cast<int64_t>(page_rep_.size()), leaf_.max_rep, &body_);
  AppendLevelsV1(page_def_.data(), static_cast<int64_t>(page_def_.size()), leaf_.max_def, &body_);
  const Encoding encoding = EncodeValues(&body_);
  const int64_t page_offset = static_cast<int64_t>(data_pages_.size());
  PageHeader header;
  header.type = PageType::kDataPage;
  DataPageHeader dph;
  dph.num_values = static_cast<int32_t>(page_levels_);
  dph.encoding = encoding;
  dph.definition_level_encoding = Encoding::kRle;
  dph.repetition_level_encoding = Encoding::kRle;
  header.data_page_header = dph;
  SILT_RETURN_NOT_OK(
      AppendPage(std::move(header), body_, &data_pages_, &data_uncompressed_, &data_compressed_));
  if (encoding == Encoding::kRleDictionary) {
    ++dict_data_pages_;
  } else {
    ++plain_data_pages_;
  }

  // Page index entries.
  PageLocation location;
  location.offset = page_offset;
  location.compressed_page_size = static_cast<int32_t>(data_pages_.size() - page_offset);
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
  page_rep_.clear();
  page_levels_ = 0;
  page_nulls_ = 0;
  page_first_row_ = chunk_rows_;
  return Status::OK();
}

int64_t ColumnChunkWriter::EstimatedChunkBytes() const {
  return data_uncompressed_ + PageValueBytes() +
         static_cast<int64_t>(page_def_.size() + page_rep_.size()) / 4 + DictionaryBytes();
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
    std::string page;
    SILT_RETURN_NOT_OK(AppendPage(std::move(header), body_, &page, &uncompressed, &compressed));
    SILT_RETURN_NOT_OK(file.Append(page));
    md.dictionary_page_offset = start;
    md.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
  }
  md.data_page_offset = start + compressed;
  SILT_RETURN_NOT_OK(file.Append(data_pages_));
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

  data_pages_.clear();
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
