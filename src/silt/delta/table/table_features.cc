#include "silt/delta/table/table_features.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "silt/delta/table/table_properties.h"

namespace silt::delta {

namespace {

bool Listed(const std::optional<std::vector<std::string>>& list, std::string_view feature) {
  return list.has_value() && std::find(list->begin(), list->end(), feature) != list->end();
}

}  // namespace

int32_t LegacyWriterVersionOf(std::string_view feature) {
  if (feature == feature::kAppendOnly || feature == feature::kInvariants) return 2;
  if (feature == feature::kCheckConstraints) return 3;
  if (feature == feature::kChangeDataFeed || feature == feature::kGeneratedColumns) return 4;
  if (feature == feature::kColumnMapping) return 5;
  if (feature == feature::kIdentityColumns) return 6;
  return 0;  // only through the feature lists
}

std::vector<std::string> LegacyWriterFeaturesOf(int32_t writer_version) {
  std::vector<std::string> out;
  for (std::string_view f : kLegacyWriterFeatures) {
    if (LegacyWriterVersionOf(f) <= writer_version) out.emplace_back(f);
  }
  return out;
}

const std::set<std::string, std::less<>>& SupportedReaderFeatures() {
  // Features whose read side silt implements or that ask nothing of readers. Not here:
  // variantType / variantShredding (no variant type yet) and catalogManaged (a file-system
  // client must not read a catalog-managed table on its own).
  static const std::set<std::string, std::less<>> kSupported{
      std::string(feature::kColumnMapping),      std::string(feature::kDeletionVectors),
      std::string(feature::kTimestampNtz),       std::string("timestampWithoutTimezone"),
      std::string(feature::kV2Checkpoint),       std::string(feature::kVacuumProtocolCheck),
      std::string(feature::kTypeWidening),       std::string(feature::kTypeWideningPreview),
  };
  return kSupported;
}

bool IsFeatureEnabled(const Protocol& protocol, std::string_view feature) {
  if (protocol.min_writer_version >= 7) {
    if (Listed(protocol.writer_features, feature)) return true;
  } else {
    int32_t implied_by = LegacyWriterVersionOf(feature);
    if (implied_by > 0 && protocol.min_writer_version >= implied_by) return true;
  }
  if (protocol.min_reader_version >= 3) return Listed(protocol.reader_features, feature);
  return protocol.min_reader_version == 2 && feature == feature::kColumnMapping &&
         protocol.min_writer_version >= 5;
}

Status CheckReadSupported(const Protocol& protocol,
                          const std::set<std::string, std::less<>>& supported) {
  if (protocol.min_reader_version < 1) {
    return Status::Corruption("protocol minReaderVersion {} is invalid",
                              protocol.min_reader_version);
  }
  if (protocol.min_reader_version > kMaxReaderVersion) {
    return Status::Unsupported(
        "the table needs reader version {}; silt reads versions up to {}",
        protocol.min_reader_version, kMaxReaderVersion);
  }
  if (protocol.min_reader_version < 3 || !protocol.reader_features.has_value()) {
    return Status::OK();  // legacy versions 1 and 2 need nothing silt lacks
  }
  std::vector<std::string> missing;
  for (const std::string& f : *protocol.reader_features) {
    if (!supported.contains(f)) missing.push_back(f);
  }
  if (!missing.empty()) {
    return Status::Unsupported("the table uses reader feature{} silt does not support: {}",
                               missing.size() == 1 ? "" : "s", fmt::join(missing, ", "));
  }
  return Status::OK();
}

Result<ColumnMappingMode> GetColumnMappingMode(const Protocol& protocol, const Metadata& metadata) {
  auto it = metadata.configuration.find(std::string(property::kColumnMappingMode));
  if (it == metadata.configuration.end() || !IsFeatureEnabled(protocol, feature::kColumnMapping)) {
    return ColumnMappingMode::kNone;
  }
  const std::string& mode = it->second;
  if (mode == "none") return ColumnMappingMode::kNone;
  if (mode == "name") return ColumnMappingMode::kName;
  if (mode == "id") return ColumnMappingMode::kId;
  return Status::Corruption("delta.columnMapping.mode '{}' is not one of none, name, id", mode);
}

}  // namespace silt::delta
