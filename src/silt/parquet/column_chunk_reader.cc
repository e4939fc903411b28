#include "silt/parquet/column_chunk_reader.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/parquet/encoding/levels.h"

namespace silt::parquet {

Result<std::unique_ptr<ColumnChunkReader>> ColumnChunkReader::Make(
    const LeafColumn& leaf, const ColumnMetaData& metadata, std::string chunk,
    const PageReaderOptions& options) {
  std::string name = fmt::format("{}", fmt::join(leaf.path, "."));
  if (metadata.type != leaf.type) {
    return Status::Corruption("column '{}': chunk metadata says {}, the schema {}", name,
                              PhysicalTypeName(metadata.type), PhysicalTypeName(leaf.type));
  }
  if (metadata.num_values < 0) {
    return Status::Corruption("column '{}': negative num_values {}", name, metadata.num_values);
  }
  SILT_ASSIGN_OR_RETURN(auto pages, PageReader::Make(std::move(chunk), metadata.codec, name,
                                                     options));
  auto reader = std::unique_ptr<ColumnChunkReader>(
      new ColumnChunkReader(leaf, metadata.num_values, std::move(pages)));
  reader->name_ = std::move(name);
  return reader;
}

Status ColumnChunkReader::Corrupt(const std::string& what) const {
  return Status::Corruption("column '{}', data page {}: {}", name_, data_pages_, what);
}

Result<std::optional<DecodedPage>> ColumnChunkReader::NextPage() {
  while (true) {
    const int64_t start = pages_->position();
    SILT_ASSIGN_OR_RETURN(std::optional<Page> page, pages_->Next());
    if (!page.has_value()) {
      if (levels_read_ != num_values_) {
        return Status::Corruption(
            "column '{}': the pages hold {} level entries, the chunk metadata {}", name_,
            levels_read_, num_values_);
      }
      return std::optional<DecodedPage>();
    }
    const PageHeader& h = page->header;
    const uint8_t* data = page->data.data();
    const auto size = static_cast<int64_t>(page->data.size());
    if (h.type == PageType::kDictionaryPage) {
      if (dictionary_ || data_pages_ > 0) {
        return Corrupt("a dictionary page after the first page of the chunk");
      }
      SILT_ASSIGN_OR_RETURN(dictionary_,
                            MakeDictionaryDecoder(leaf_.type, leaf_.type_length, data, size,
                                                  h.dictionary_page_header->num_values));
      continue;
    }
    if (h.type != PageType::kDataPage && h.type != PageType::kDataPageV2) continue;

    DecodedPage out;
    out.type = h.type;
    out.chunk_offset = start;
    out.stored_size = pages_->position() - start;
    const int16_t max_def = leaf_.max_definition_level;
    const int16_t max_rep = leaf_.max_repetition_level;
    int64_t n = 0;
    int64_t offset = 0;
    if (h.type == PageType::kDataPage) {
      const DataPageHeader& dp = *h.data_page_header;
      n = dp.num_values;
      out.encoding = dp.encoding;
      // Bound the level buffers by what the chunk declares.
      if (n < 0 || n > num_values_ - levels_read_) {
        return Corrupt(fmt::format("{} level entries, but only {} of the chunk's {} remain", n,
                                   num_values_ - levels_read_, num_values_));
      }
      // Levels whose maximum is 0 are not stored, and nobody reads them: not materialized.
      if (max_rep > 0) {
        rep_.resize(static_cast<size_t>(n));
        SILT_ASSIGN_OR_RETURN(offset, DecodeLevelsV1(dp.repetition_level_encoding, max_rep, data,
                                                     size, n, rep_.data()));
      }
      if (max_def > 0) {
        def_.resize(static_cast<size_t>(n));
        SILT_ASSIGN_OR_RETURN(int64_t def_bytes,
                              DecodeLevelsV1(dp.definition_level_encoding, max_def, data + offset,
                                             size - offset, n, def_.data()));
        offset += def_bytes;
      }
      out.num_values = max_def == 0 ? n : CountLevel(def_.data(), n, max_def);
    } else {
      const DataPageHeaderV2& v2 = *h.data_page_header_v2;
      n = v2.num_values;
      out.encoding = v2.encoding;
      if (n < 0 || n > num_values_ - levels_read_) {
        return Corrupt(fmt::format("{} level entries, but only {} of the chunk's {} remain", n,
                                   num_values_ - levels_read_, num_values_));
      }
      if (v2.num_nulls < 0 || v2.num_nulls > n) {
        return Corrupt(fmt::format("{} nulls among {} entries", v2.num_nulls, n));
      }
      // PageReader checked that both level sections fit the page.
      if (max_rep > 0) {
        rep_.resize(static_cast<size_t>(n));
        SILT_RETURN_NOT_OK(
            DecodeLevelsV2(max_rep, data, v2.repetition_levels_byte_length, n, rep_.data()));
      }
      offset = v2.repetition_levels_byte_length;
      if (max_def > 0) {
        def_.resize(static_cast<size_t>(n));
        SILT_RETURN_NOT_OK(DecodeLevelsV2(max_def, data + offset, v2.definition_levels_byte_length,
                                          n, def_.data()));
      }
      offset += v2.definition_levels_byte_length;
      out.num_values = max_def == 0 ? n : CountLevel(def_.data(), n, max_def);
      // num_nulls counts every entry that is not a leaf value (nulls and empty lists).
      if (out.num_values != n - v2.num_nulls) {
        return Corrupt(fmt::format("the header says {} values, the definition levels {}",
                                   n - v2.num_nulls, out.num_values));
      }
    }
    out.num_levels = n;
    out.num_rows = max_rep == 0 ? n : CountLevel(rep_.data(), n, 0);
    if (max_rep > 0 && n > 0 && levels_read_ == 0 && rep_[0] != 0) {
      return Corrupt("the first level entry of the chunk does not start a row");
    }
    if (max_def > 0) out.def_levels = std::span<const int16_t>(def_.data(), def_.size());
    if (max_rep > 0) out.rep_levels = std::span<const int16_t>(rep_.data(), rep_.size());

    ValueDecoder* decoder = nullptr;
    if (out.encoding == Encoding::kPlainDictionary || out.encoding == Encoding::kRleDictionary) {
      if (!dictionary_) return Corrupt("dictionary-encoded page but the chunk has no dictionary");
      decoder = dictionary_.get();
    } else {
      auto& slot = decoders_[out.encoding];
      if (!slot) {
        SILT_ASSIGN_OR_RETURN(slot,
                              MakeValueDecoder(out.encoding, leaf_.type, leaf_.type_length));
      }
      decoder = slot.get();
    }
    SILT_RETURN_NOT_OK(decoder->SetData(data + offset, size - offset, out.num_values));
    out.values = decoder;
    levels_read_ += n;
    ++data_pages_;
    return std::optional<DecodedPage>(out);
  }
}

}  // namespace silt::parquet
