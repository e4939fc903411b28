#include "silt/delta/actions/deletion_vector.h"

#include <fmt/format.h>

#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/actions/z85.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

Result<DvStorageType> ParseDvStorageType(std::string_view s) {
  if (s == "u") return DvStorageType::kUuidRelative;
  if (s == "i") return DvStorageType::kInline;
  if (s == "p") return DvStorageType::kAbsolutePath;
  return Status::Unsupported("deletion vector storage type '{}' is not supported (known: u, i, p)",
                             s);
}

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id;
  id.reserve(1 + path_or_inline_dv.size() + 12);
  id.push_back(static_cast<char>(storage_type));
  id.append(path_or_inline_dv);
  if (offset.has_value()) fmt::format_to(std::back_inserter(id), "@{}", *offset);
  return id;
}

Result<std::string> DeletionVectorDescriptor::FilePath(std::string_view table_root) const {
  switch (storage_type) {
    case DvStorageType::kInline:
      return Status::InvalidArgument("an inline deletion vector has no file");
    case DvStorageType::kAbsolutePath:
      return DecodePath(path_or_inline_dv);
    case DvStorageType::kUuidRelative:
      break;
  }
  constexpr size_t kEncodedUuidLength = 20;
  if (path_or_inline_dv.size() < kEncodedUuidLength) {
    return Status::Corruption(
        "deletion vector pathOrInlineDv '{}' is shorter than an encoded UUID (20 characters)",
        path_or_inline_dv);
  }
  std::string_view all = path_or_inline_dv;
  std::string_view prefix = all.substr(0, all.size() - kEncodedUuidLength);
  Result<std::string> uuid = DecodeZ85(all.substr(all.size() - kEncodedUuidLength));
  if (!uuid.ok()) {
    return uuid.error().WithContext(
        fmt::format("deletion vector pathOrInlineDv '{}'", path_or_inline_dv));
  }
  std::string hex;
  hex.reserve(36);
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < uuid->size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex.push_back('-');
    auto byte = static_cast<unsigned char>((*uuid)[i]);
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xF]);
  }
  std::string name = fmt::format("deletion_vector_{}.bin", hex);
  std::string dir = prefix.empty() ? std::string(table_root) : fs::JoinPath(table_root, prefix);
  return fs::JoinPath(dir, name);
}

Result<std::string> DeletionVectorDescriptor::InlineData() const {
  if (storage_type != DvStorageType::kInline) {
    return Status::InvalidArgument("deletion vector '{}' is not inline", UniqueId());
  }
  Result<std::string> data = DecodeZ85(path_or_inline_dv);
  if (!data.ok()) return data.error().WithContext("inline deletion vector");
  if (size_in_bytes < 0 || static_cast<size_t>(size_in_bytes) > data->size()) {
    return Status::Corruption(
        "inline deletion vector declares {} bytes but its Z85 text holds {}", size_in_bytes,
        data->size());
  }
  data->resize(static_cast<size_t>(size_in_bytes));
  return data;
}

}  // namespace silt::delta
