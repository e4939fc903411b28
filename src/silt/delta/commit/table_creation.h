// The protocol and metadata of a new table (PROTOCOL.md "Protocol Evolution", "Column Mapping",
// "Table Features"; digest §9, §13, §14, §18): the lowest protocol that covers what the table
// properties and the schema ask for, column mapping ids and physical names, validated
// partition columns.
//
//   NewTableOptions options{.schema = schema, .partition_columns = {"day"}};
//   SILT_ASSIGN_OR_RETURN(auto actions, NewTableActions(options, NowMillis()));
//   txn->SetProtocol(actions.first);
//   txn->SetMetadata(actions.second);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"

namespace silt::delta {

struct NewTableOptions {
  columnar::SchemaPtr schema;
  // Top-level columns of a partitionable (primitive) type, in order.
  std::vector<std::string> partition_columns;
  // Table properties. Besides stored ones (delta.appendOnly, delta.columnMapping.mode, ...) the
  // pseudo-properties delta.feature.<name>=supported and delta.minReaderVersion /
  // delta.minWriterVersion are honoured and not stored, as Spark's DDL does. delta.* keys are
  // matched case-insensitively and stored in their canonical spelling when silt knows them.
  StringMap properties;
  std::optional<std::string> name, description;
};

// The protocol and metaData of version 0 of a new table.
//
// Protocol: legacy versions when every active feature has one ((1,2) for a plain table,
// appendOnly/invariants -> writer 2, CHECK constraints -> 3, CDF/generated columns -> 4, column
// mapping -> (2,5), identity columns -> 6); otherwise writer 7 with writerFeatures listing every
// active feature plus the legacy baseline appendOnly and invariants, and reader 3 with
// readerFeatures when a reader-writer feature other than column mapping is active (reader 2
// when column mapping is the only one).
//
// Metadata: a fresh uuid id, createdTime = now_ms, format parquet, the schema (with
// delta.columnMapping.id / physicalName "col-<uuid>" on every field, nested ones included, and
// delta.columnMapping.maxColumnId, when the mode is name or id), partition columns as given
// (spelled as in the schema), the properties.
//
// Errors: kInvalidArgument for no schema, an empty schema, duplicate column names
// (case-insensitive), column names with " ,;{}()\n\t=" without column mapping, a partition
// column that is missing, nested, of a nested type, duplicated, or when every column is a
// partition column, and a malformed value of a known delta.* property (booleans, intervals,
// integers, delta.columnMapping.mode, delta.checkpointPolicy, delta.isolationLevel, CHECK
// constraint expressions, delta.feature.* values); kUnsupported naming the feature for a
// feature silt cannot write (rowTracking, icebergCompat*, unknown delta.feature.* names).
Result<std::pair<Protocol, Metadata>> NewTableActions(const NewTableOptions& options,
                                                      int64_t now_ms);

// The protocol NewTableActions chooses for `features` (ActiveTableFeatures order), with at
// least the given legacy versions (from delta.minReaderVersion / delta.minWriterVersion; 0 for
// none). `explicit_features` forces table features (delta.feature.<name>).
Protocol MinimalProtocol(const std::vector<std::string>& features, bool explicit_features,
                         int32_t min_reader_version = 0, int32_t min_writer_version = 0);

// The schema with column-mapping metadata assigned to every field (ids from `first_id` up, in
// depth-first order; physical names "col-<uuid>"), and the highest id used.
std::pair<columnar::SchemaPtr, int64_t> AssignColumnMapping(const columnar::Schema& schema,
                                                            int64_t first_id = 1);

}  // namespace silt::delta
