#include "silt/parquet/page_reader.h"

#include <cstring>

#include "silt/parquet/crc32.h"

namespace silt::parquet {

Result<std::unique_ptr<PageReader>> PageReader::Make(std::string chunk, CompressionCodec codec,
                                                     std::string column,
                                                     const PageReaderOptions& options) {
  SILT_ASSIGN_OR_RETURN(auto c, MakeCodec(codec));
  return std::unique_ptr<PageReader>(
      new PageReader(std::move(chunk), std::move(c), std::move(column), options));
}

Status PageReader::Corrupt(const std::string& what) const {
  return Status::Corruption("column '{}', page {} at chunk offset {}: {}", column_, page_index_,
                            pos_, what);
}

Result<std::optional<Page>> PageReader::Next() {
  const auto chunk_size = static_cast<int64_t>(chunk_.size());
  if (pos_ >= chunk_size) return std::optional<Page>();
  std::string_view rest = std::string_view(chunk_).substr(static_cast<size_t>(pos_));
  auto decoded = DeserializeThrift<PageHeader>(rest);
  if (!decoded.ok()) return Corrupt(decoded.status().message());
  PageHeader& header = decoded->value;
  const auto header_size = static_cast<int64_t>(decoded->size);
  const int64_t compressed = header.compressed_page_size;
  const int64_t uncompressed = header.uncompressed_page_size;
  if (compressed < 0 || compressed > chunk_size - pos_ - header_size) {
    return Corrupt(fmt::format("compressed page size {} runs past the end of the chunk ({} bytes "
                               "left)",
                               compressed, chunk_size - pos_ - header_size));
  }
  if (uncompressed < 0 || uncompressed > options_.max_uncompressed_page_size) {
    return Corrupt(fmt::format("uncompressed page size {} is out of range", uncompressed));
  }
  const auto* body = reinterpret_cast<const uint8_t*>(rest.data()) + header_size;
  if (options_.verify_crc && header.crc.has_value()) {
    const uint32_t crc = Crc32(
        std::string_view(reinterpret_cast<const char*>(body), static_cast<size_t>(compressed)));
    if (crc != static_cast<uint32_t>(*header.crc)) {
      return Corrupt(fmt::format("CRC mismatch: header says {:08x}, body has {:08x}",
                                 static_cast<uint32_t>(*header.crc), crc));
    }
  }

  Page page;
  switch (header.type) {
    case PageType::kDataPage:
    case PageType::kDictionaryPage: {
      if (header.type == PageType::kDataPage && !header.data_page_header.has_value()) {
        return Corrupt("DATA_PAGE without a data_page_header");
      }
      if (header.type == PageType::kDictionaryPage && !header.dictionary_page_header.has_value()) {
        return Corrupt("DICTIONARY_PAGE without a dictionary_page_header");
      }
      buffer_.resize(static_cast<size_t>(uncompressed));
      Status st = codec_->Decompress(
          std::string_view(reinterpret_cast<const char*>(body), static_cast<size_t>(compressed)),
          buffer_);
      if (!st.ok()) return Corrupt(st.message());
      page.data = std::span<const uint8_t>(buffer_.data(), buffer_.size());
      break;
    }
    case PageType::kDataPageV2: {
      if (!header.data_page_header_v2.has_value()) {
        return Corrupt("DATA_PAGE_V2 without a data_page_header_v2");
      }
      const DataPageHeaderV2& v2 = *header.data_page_header_v2;
      const int64_t levels =
          int64_t{v2.repetition_levels_byte_length} + v2.definition_levels_byte_length;
      if (v2.repetition_levels_byte_length < 0 || v2.definition_levels_byte_length < 0 ||
          levels > compressed || levels > uncompressed) {
        return Corrupt(fmt::format("level sections of {} + {} bytes do not fit the page",
                                   v2.repetition_levels_byte_length,
                                   v2.definition_levels_byte_length));
      }
      buffer_.resize(static_cast<size_t>(uncompressed));
      if (levels > 0) std::memcpy(buffer_.data(), body, static_cast<size_t>(levels));
      std::string_view values(reinterpret_cast<const char*>(body) + levels,
                              static_cast<size_t>(compressed - levels));
      std::span<uint8_t> out(buffer_.data() + levels, static_cast<size_t>(uncompressed - levels));
      if (v2.is_compressed && codec_->type() != CompressionCodec::kUncompressed) {
        // Writers skip the codec when the values section is empty.
        if (!(values.empty() && out.empty())) {
          Status st = codec_->Decompress(values, out);
          if (!st.ok()) return Corrupt(st.message());
        }
      } else {
        if (values.size() != out.size()) {
          return Corrupt(fmt::format("uncompressed values section of {} bytes, header says {}",
                                     values.size(), out.size()));
        }
        if (!values.empty()) std::memcpy(out.data(), values.data(), values.size());
      }
      page.data = std::span<const uint8_t>(buffer_.data(), buffer_.size());
      break;
    }
    default:
      // INDEX_PAGE (never used) and future page types: skipped by the caller.
      break;
  }
  page.header = std::move(header);
  pos_ += header_size + compressed;
  ++page_index_;
  return std::optional<Page>(std::move(page));
}

}  // namespace silt::parquet
