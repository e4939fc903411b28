#include "silt/delta/actions/deletion_vector.h"

#include <fmt/format.h>

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

}  // namespace silt::delta
