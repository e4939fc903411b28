// What silt needs to write a table (PROTOCOL.md "Table Features", "Writer Requirements";
// digest §13, §14, §17.1): the writer features silt honours, the features a table's properties
// and schema make active, and whether a protocol covers them. Used by table creation and by
// every Transaction before it commits.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"

namespace silt::delta {

// Writer features whose obligations silt meets (or that ask nothing of a plain writer).
// Not here: rowTracking, clustering, icebergCompat*, variant*, allowColumnDefaults,
// catalogManaged/catalogOwned-preview and anything unknown.
const std::set<std::string, std::less<>>& SupportedWriterFeatures();

// True for features that also bind readers (listed in readerFeatures with reader version 3).
bool IsReaderWriterFeature(std::string_view feature);

// kInvalidArgument when the protocol action is malformed: versions out of range (reader 1..3,
// writer 1..7), reader 3 without writer 7, feature lists present without reader 3 / writer 7 or
// missing with them, a reader feature not listed as a writer feature.
Status ValidateProtocol(const Protocol& protocol);

// OK when silt may write a table with this protocol: it can read it (CheckReadSupported) and
// supports every writer feature it enables. kUnsupported naming the features otherwise
// ("the table uses writer features silt does not support: rowTracking, clustering").
Status CheckWriteSupported(const Protocol& protocol);

// The table features that the table properties and schema make active, in a fixed order:
// appendOnly (delta.appendOnly=true), invariants (a column with delta.invariants),
// checkConstraints (delta.constraints.*), changeDataFeed (delta.enableChangeDataFeed=true),
// generatedColumns (delta.generationExpression), columnMapping (mode name|id),
// identityColumns (delta.identity.*), deletionVectors (delta.enableDeletionVectors=true),
// timestampNtz (a TIMESTAMP_NTZ column, also nested), inCommitTimestamp
// (delta.enableInCommitTimestamps=true), v2Checkpoint (delta.checkpointPolicy=v2), rowTracking
// and domainMetadata (delta.enableRowTracking=true), typeWidening
// (delta.enableTypeWidening=true), icebergCompatV1/V2 (delta.enableIcebergCompatV1/V2=true).
// kInvalidArgument for a malformed value of one of those properties.
Result<std::vector<std::string>> ActiveTableFeatures(const Metadata& metadata,
                                                     const columnar::Schema& schema);

// OK when `protocol` enables every feature ActiveTableFeatures finds; kInvalidArgument naming
// the property and the missing feature otherwise.
Status CheckProtocolCovers(const Protocol& protocol, const Metadata& metadata,
                           const columnar::Schema& schema);

}  // namespace silt::delta
