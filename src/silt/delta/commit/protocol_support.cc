#include "silt/delta/commit/protocol_support.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

bool Listed(const std::optional<std::vector<std::string>>& list, std::string_view feature) {
  return list.has_value() && std::find(list->begin(), list->end(), feature) != list->end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<bool> BoolProperty(const Metadata& metadata, std::string_view key) {
  auto it = metadata.configuration.find(std::string(key));
  if (it == metadata.configuration.end()) return false;
  std::string value = Lower(it->second);
  if (value == "true") return true;
  if (value == "false") return false;
  return Status::InvalidArgument("table property {}='{}' is not true or false", key, it->second);
}

// Walks every field of the schema, nested ones included.
template <typename Fn>
void ForEachField(const col::DataType& type, Fn&& fn);

template <typename Fn>
void ForEachFieldOf(const std::vector<col::Field>& fields, Fn&& fn) {
  for (const col::Field& f : fields) {
    fn(f);
    ForEachField(*f.type(), fn);
  }
}

template <typename Fn>
void ForEachField(const col::DataType& type, Fn&& fn) {
  switch (type.id()) {
    case col::TypeId::kStruct:
      ForEachFieldOf(col::AsStruct(type).fields(), fn);
      break;
    case col::TypeId::kList:
      ForEachField(*col::AsList(type).element_type(), fn);
      break;
    case col::TypeId::kMap:
      ForEachField(*col::AsMap(type).key_type(), fn);
      ForEachField(*col::AsMap(type).value_type(), fn);
      break;
    default:
      break;
  }
}

bool HasType(const col::DataType& type, col::TypeId id) {
  if (type.id() == id) return true;
  switch (type.id()) {
    case col::TypeId::kStruct:
      for (const col::Field& f : col::AsStruct(type).fields()) {
        if (HasType(*f.type(), id)) return true;
      }
      return false;
    case col::TypeId::kList:
      return HasType(*col::AsList(type).element_type(), id);
    case col::TypeId::kMap:
      return HasType(*col::AsMap(type).key_type(), id) ||
             HasType(*col::AsMap(type).value_type(), id);
    default:
      return false;
  }
}

bool AnyFieldHasMetadataPrefix(const col::Schema& schema, std::string_view prefix) {
  bool found = false;
  ForEachFieldOf(schema.fields(), [&](const col::Field& f) {
    for (const auto& [key, value] : f.metadata()) {
      if (key.starts_with(prefix)) found = true;
    }
  });
  return found;
}

// Why a feature is active, for error messages.
struct ActiveFeature {
  std::string feature;
  std::string reason;
};

Result<std::vector<ActiveFeature>> ActiveFeaturesWithReasons(const Metadata& metadata,
                                                             const col::Schema& schema) {
  std::vector<ActiveFeature> out;
  auto add = [&](std::string_view feature, std::string reason) {
    for (const ActiveFeature& a : out) {
      if (a.feature == feature) return;
    }
    out.push_back({std::string(feature), std::move(reason)});
  };
  SILT_ASSIGN_OR_RETURN(bool append_only, BoolProperty(metadata, property::kAppendOnly));
  if (append_only) add(feature::kAppendOnly, "delta.appendOnly=true");
  if (AnyFieldHasMetadataPrefix(schema, "delta.invariants")) {
    add(feature::kInvariants, "a column with delta.invariants");
  }
  for (const auto& [key, value] : metadata.configuration) {
    if (key.starts_with("delta.constraints.")) {
      add(feature::kCheckConstraints, "table property " + key);
      break;
    }
  }
  SILT_ASSIGN_OR_RETURN(bool cdf, BoolProperty(metadata, property::kEnableChangeDataFeed));
  if (cdf) add(feature::kChangeDataFeed, "delta.enableChangeDataFeed=true");
  if (AnyFieldHasMetadataPrefix(schema, "delta.generationExpression")) {
    add(feature::kGeneratedColumns, "a generated column");
  }
  auto mode = metadata.configuration.find(std::string(property::kColumnMappingMode));
  if (mode != metadata.configuration.end()) {
    std::string m = Lower(mode->second);
    if (m == "name" || m == "id") {
      add(feature::kColumnMapping, "delta.columnMapping.mode=" + mode->second);
    } else if (m != "none") {
      return Status::InvalidArgument(
          "table property delta.columnMapping.mode='{}' is not one of none, name, id",
          mode->second);
    }
  }
  if (AnyFieldHasMetadataPrefix(schema, "delta.identity.")) {
    add(feature::kIdentityColumns, "an identity column");
  }
  SILT_ASSIGN_OR_RETURN(bool dv, BoolProperty(metadata, property::kEnableDeletionVectors));
  if (dv) add(feature::kDeletionVectors, "delta.enableDeletionVectors=true");
  if (HasType(*schema.ToStruct(), col::TypeId::kTimestampNtz)) {
    add(feature::kTimestampNtz, "a TIMESTAMP_NTZ column");
  }
  SILT_ASSIGN_OR_RETURN(bool ict, BoolProperty(metadata, property::kEnableInCommitTimestamps));
  if (ict) add(feature::kInCommitTimestamp, "delta.enableInCommitTimestamps=true");
  auto policy = metadata.configuration.find(std::string(property::kCheckpointPolicy));
  if (policy != metadata.configuration.end()) {
    std::string p = Lower(policy->second);
    if (p == "v2") {
      add(feature::kV2Checkpoint, "delta.checkpointPolicy=v2");
    } else if (p != "classic") {
      return Status::InvalidArgument(
          "table property delta.checkpointPolicy='{}' is not one of classic, v2", policy->second);
    }
  }
  SILT_ASSIGN_OR_RETURN(bool row_tracking, BoolProperty(metadata, property::kEnableRowTracking));
  if (row_tracking) {
    add(feature::kRowTracking, "delta.enableRowTracking=true");
    add(feature::kDomainMetadata, "delta.enableRowTracking=true");
  }
  SILT_ASSIGN_OR_RETURN(bool widening, BoolProperty(metadata, "delta.enableTypeWidening"));
  if (widening) add(feature::kTypeWidening, "delta.enableTypeWidening=true");
  SILT_ASSIGN_OR_RETURN(bool iceberg1, BoolProperty(metadata, "delta.enableIcebergCompatV1"));
  if (iceberg1) add(feature::kIcebergCompatV1, "delta.enableIcebergCompatV1=true");
  SILT_ASSIGN_OR_RETURN(bool iceberg2, BoolProperty(metadata, "delta.enableIcebergCompatV2"));
  if (iceberg2) add(feature::kIcebergCompatV2, "delta.enableIcebergCompatV2=true");
  return out;
}

}  // namespace

const std::set<std::string, std::less<>>& SupportedWriterFeatures() {
  // The data-level features (invariants, CHECK constraints, generated columns, CDF) are
  // enforced by the data writer; the Transaction enforces appendOnly, writes in-commit
  // timestamps and validates the rest of the log-level rules.
  static const std::set<std::string, std::less<>> kSupported{
      std::string(feature::kAppendOnly),        std::string(feature::kInvariants),
      std::string(feature::kCheckConstraints),  std::string(feature::kChangeDataFeed),
      std::string(feature::kGeneratedColumns),  std::string(feature::kColumnMapping),
      std::string(feature::kIdentityColumns),   std::string(feature::kDeletionVectors),
      std::string(feature::kTimestampNtz),      std::string("timestampWithoutTimezone"),
      std::string(feature::kDomainMetadata),    std::string(feature::kV2Checkpoint),
      std::string(feature::kInCommitTimestamp), std::string(feature::kVacuumProtocolCheck),
      std::string(feature::kTypeWidening),      std::string(feature::kTypeWideningPreview),
  };
  return kSupported;
}

bool IsReaderWriterFeature(std::string_view f) {
  return f == feature::kColumnMapping || f == feature::kDeletionVectors ||
         f == feature::kTimestampNtz || f == "timestampWithoutTimezone" ||
         f == feature::kV2Checkpoint || f == feature::kVacuumProtocolCheck ||
         f == feature::kTypeWidening || f == feature::kTypeWideningPreview ||
         f == feature::kVariantType || f == feature::kVariantTypePreview ||
         f == "variantShredding" || f == "variantShredding-preview" ||
         f == feature::kCatalogManaged || f == feature::kCatalogOwnedPreview;
}

Status ValidateProtocol(const Protocol& p) {
  if (p.min_reader_version < 1 || p.min_reader_version > 3) {
    return Status::InvalidArgument("protocol minReaderVersion {} is not between 1 and 3",
                                   p.min_reader_version);
  }
  if (p.min_writer_version < 1 || p.min_writer_version > 7) {
    return Status::InvalidArgument("protocol minWriterVersion {} is not between 1 and 7",
                                   p.min_writer_version);
  }
  if (p.min_reader_version == 3 && p.min_writer_version != 7) {
    return Status::InvalidArgument("protocol reader version 3 needs writer version 7, not {}",
                                   p.min_writer_version);
  }
  if ((p.min_reader_version == 3) != p.reader_features.has_value()) {
    return Status::InvalidArgument(
        "protocol readerFeatures must be present exactly when minReaderVersion is 3 (reader {})",
        p.min_reader_version);
  }
  if ((p.min_writer_version == 7) != p.writer_features.has_value()) {
    return Status::InvalidArgument(
        "protocol writerFeatures must be present exactly when minWriterVersion is 7 (writer {})",
        p.min_writer_version);
  }
  if (p.reader_features.has_value()) {
    for (const std::string& f : *p.reader_features) {
      if (!Listed(p.writer_features, f)) {
        return Status::InvalidArgument("protocol reader feature '{}' is not a writer feature", f);
      }
    }
  }
  return Status::OK();
}

Status CheckWriteSupported(const Protocol& protocol) {
  SILT_RETURN_NOT_OK(CheckReadSupported(protocol));
  if (protocol.min_writer_version > 7) {
    return Status::Unsupported("the table needs writer version {}; silt writes versions up to 7",
                               protocol.min_writer_version);
  }
  std::vector<std::string> missing;
  if (protocol.min_writer_version == 7 && protocol.writer_features.has_value()) {
    for (const std::string& f : *protocol.writer_features) {
      if (!SupportedWriterFeatures().contains(f)) missing.push_back(f);
    }
  }
  if (!missing.empty()) {
    return Status::Unsupported("the table uses writer feature{} silt does not support: {}",
                               missing.size() == 1 ? "" : "s", fmt::join(missing, ", "));
  }
  return Status::OK();
}

Result<std::vector<std::string>> ActiveTableFeatures(const Metadata& metadata,
                                                     const col::Schema& schema) {
  SILT_ASSIGN_OR_RETURN(std::vector<ActiveFeature> active,
                        ActiveFeaturesWithReasons(metadata, schema));
  std::vector<std::string> out;
  out.reserve(active.size());
  for (ActiveFeature& a : active) out.push_back(std::move(a.feature));
  return out;
}

Status CheckProtocolCovers(const Protocol& protocol, const Metadata& metadata,
                           const col::Schema& schema) {
  SILT_ASSIGN_OR_RETURN(std::vector<ActiveFeature> active,
                        ActiveFeaturesWithReasons(metadata, schema));
  for (const ActiveFeature& a : active) {
    bool enabled = IsFeatureEnabled(protocol, a.feature) ||
                   (a.feature == feature::kTimestampNtz &&
                    IsFeatureEnabled(protocol, "timestampWithoutTimezone"));
    if (!enabled) {
      return Status::InvalidArgument(
          "{} needs table feature {}, which protocol ({},{}) does not enable", a.reason, a.feature,
          protocol.min_reader_version, protocol.min_writer_version);
    }
  }
  return Status::OK();
}

}  // namespace silt::delta
