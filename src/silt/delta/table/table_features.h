// Protocol versions and table features (PROTOCOL.md "Table Features", "Protocol Evolution";
// digest §13, §14): which features a protocol enables, and whether silt may read a table.
#pragma once

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/delta/actions/actions.h"

namespace silt::delta {

namespace feature {
inline constexpr std::string_view kAppendOnly = "appendOnly";
inline constexpr std::string_view kInvariants = "invariants";
inline constexpr std::string_view kCheckConstraints = "checkConstraints";
inline constexpr std::string_view kChangeDataFeed = "changeDataFeed";
inline constexpr std::string_view kGeneratedColumns = "generatedColumns";
inline constexpr std::string_view kColumnMapping = "columnMapping";
inline constexpr std::string_view kIdentityColumns = "identityColumns";
inline constexpr std::string_view kDeletionVectors = "deletionVectors";
inline constexpr std::string_view kRowTracking = "rowTracking";
inline constexpr std::string_view kTimestampNtz = "timestampNtz";
inline constexpr std::string_view kDomainMetadata = "domainMetadata";
inline constexpr std::string_view kV2Checkpoint = "v2Checkpoint";
inline constexpr std::string_view kIcebergCompatV1 = "icebergCompatV1";
inline constexpr std::string_view kIcebergCompatV2 = "icebergCompatV2";
inline constexpr std::string_view kClustering = "clustering";
inline constexpr std::string_view kVacuumProtocolCheck = "vacuumProtocolCheck";
inline constexpr std::string_view kInCommitTimestamp = "inCommitTimestamp";
inline constexpr std::string_view kTypeWidening = "typeWidening";
inline constexpr std::string_view kTypeWideningPreview = "typeWidening-preview";
inline constexpr std::string_view kVariantType = "variantType";
inline constexpr std::string_view kVariantTypePreview = "variantType-preview";
inline constexpr std::string_view kCatalogManaged = "catalogManaged";
inline constexpr std::string_view kCatalogOwnedPreview = "catalogOwned-preview";
}  // namespace feature

// The seven features that legacy (pre-table-features) writer versions imply, in the order of
// the version that first implies them: appendOnly and invariants (2), checkConstraints (3),
// changeDataFeed and generatedColumns (4), columnMapping (5), identityColumns (6).
inline constexpr std::array<std::string_view, 7> kLegacyWriterFeatures{
    feature::kAppendOnly,     feature::kInvariants,       feature::kCheckConstraints,
    feature::kChangeDataFeed, feature::kGeneratedColumns, feature::kColumnMapping,
    feature::kIdentityColumns};

// The legacy writer version that first implies `feature` (appendOnly -> 2, ...,
// identityColumns -> 6); 0 for features that exist only as table features.
int32_t LegacyWriterVersionOf(std::string_view feature);

// The features of kLegacyWriterFeatures that writer version `writer_version` implies (those
// whose LegacyWriterVersionOf is at most it), in kLegacyWriterFeatures order: none for 1, all
// seven for 6 and above.
std::vector<std::string> LegacyWriterFeaturesOf(int32_t writer_version);

// The highest reader version silt knows.
inline constexpr int32_t kMaxReaderVersion = 3;

// The reader features silt reads correctly.
const std::set<std::string, std::less<>>& SupportedReaderFeatures();

// True when the protocol enables `feature`: listed in readerFeatures or writerFeatures (reader
// 3 / writer 7), or implied by a legacy version (columnMapping by reader 2 and writer 5,
// appendOnly and invariants by writer 2, ...).
bool IsFeatureEnabled(const Protocol& protocol, std::string_view feature);

// OK when silt can read a table with this protocol, checked before reading any data:
//  - kUnsupported when minReaderVersion is beyond kMaxReaderVersion, or when a reader feature
//    is not in `supported` (the message lists every such feature);
//  - kCorruption for a version below 1.
Status CheckReadSupported(const Protocol& protocol,
                          const std::set<std::string, std::less<>>& supported =
                              SupportedReaderFeatures());

enum class ColumnMappingMode : uint8_t { kNone, kName, kId };

// delta.columnMapping.mode of the table: "none" (or unset), "name" or "id". Honoured only when
// the protocol enables columnMapping; kCorruption for another value.
Result<ColumnMappingMode> GetColumnMappingMode(const Protocol& protocol, const Metadata& metadata);

}  // namespace silt::delta
