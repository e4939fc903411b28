// Reconciling the schema of written data with the table schema (Delta "Schema Enforcement" and
// "Schema Evolution" as Spark implements them; PROTOCOL.md "Type Widening"; digest §13.1):
//  - without mergeSchema the data must fit the table: every data column (and nested struct
//    field) exists in the table, with the same type or one that converts safely to it (int
//    into long, ...); missing columns are written as nulls. Otherwise kInvalidArgument listing
//    every difference;
//  - with mergeSchema, new columns and nested struct fields are added (nullable) at the end,
//    and a wider data type replaces the table's type when type widening is enabled
//    (byte->short->int->long, float->double, byte/short/int->double, date->timestamp_ntz,
//    decimal precision/scale increase), recording delta.typeChanges on the field; any other
//    type change is kInvalidArgument naming the column, the table type and the data type.
// Names match case-insensitively (Spark's default); the table's spelling is kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/table/table_features.h"

namespace silt::delta {

inline constexpr std::string_view kTypeChangesKey = "delta.typeChanges";
inline constexpr std::string_view kEnableTypeWideningProperty = "delta.enableTypeWidening";

// True when a column of type `from` may be widened to `to` under the typeWidening feature.
bool IsTypeWidening(const columnar::DataType& from, const columnar::DataType& to);

// OK when data with `data_schema` can be written to a table with `table_schema` as is (see
// above); kInvalidArgument listing the differences otherwise.
Status CheckWriteSchema(const columnar::Schema& table_schema, const columnar::Schema& data_schema);

struct MergedSchema {
  columnar::SchemaPtr schema;
  // Whether anything changed (the table's metadata must be updated).
  bool changed = false;
  // Whether a column's type was widened (the typeWidening feature must be in the protocol).
  bool widened = false;
};

// The table schema evolved to hold `data_schema` (see above). `allow_type_widening`: the table
// has delta.enableTypeWidening=true.
Result<MergedSchema> MergeSchemas(const columnar::Schema& table_schema,
                                  const columnar::Schema& data_schema, bool allow_type_widening);

// Gives every field of `schema` that has no delta.columnMapping.id one (from the table's
// delta.columnMapping.maxColumnId + 1 up) and a physical name "col-<uuid>", and updates
// maxColumnId in `metadata.configuration`.
columnar::SchemaPtr AssignMissingColumnMapping(const columnar::Schema& schema, Metadata& metadata);

// `batch` with the columns of `table_schema`, in its order and with its types: columns matched
// by name (case-insensitive, also inside structs), missing ones as nulls, narrower types
// converted. kInvalidArgument when a column cannot be aligned.
Result<columnar::RecordBatchPtr> AlignBatch(const columnar::RecordBatch& batch,
                                            const columnar::SchemaPtr& table_schema);

// A protocol that additionally supports `feature` (a reader-writer feature when
// `reader_writer`): the feature is added to the lists of a (3,7) / (x,7) protocol, and a legacy
// protocol is upgraded to table features listing what its versions implied.
Protocol ProtocolWithFeature(const Protocol& protocol, std::string_view feature,
                             bool reader_writer);

}  // namespace silt::delta
