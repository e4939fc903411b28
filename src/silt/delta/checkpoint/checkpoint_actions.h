// Checkpoint rows to actions (PROTOCOL.md "Checkpoint Schema"; digest §15). A checkpoint (or V2
// sidecar) is a table with one struct column per action type (txn, add, remove, metaData,
// protocol, domainMetadata, checkpointMetadata, sidecar) and one non-null action per row. This
// turns decoded rows, as columnar::RecordBatch, into the actions LogReplayer takes, so a
// checkpoint reader only has to decode Parquet into batches.
//
// Columns and struct fields are found by name, never by position; a missing column or field
// reads as null (writers differ: Spark, delta-rs and pyarrow drop different optional ones).
// Integer fields accept any integer width (int32 or int64 in the file); strings accept string
// or binary columns. Extra columns (stats_parsed, partitionValues_parsed, ...) are ignored.
#pragma once

#include <functional>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/log/file_list.h"

namespace silt::delta {

// The actions of every row of `batch`, in row order; rows whose action columns are all null
// are skipped. kCorruption names the row and the field when a required field is null or a
// column has a type that cannot hold it, and when a row holds more than one action.
Result<std::vector<Action>> ActionsFromCheckpointBatch(const columnar::RecordBatch& batch);

// The same actions, one at a time: calls `on_action` for each, in row order, and stops at the
// first error (a decoding error as above, or on_action's own). `on_action` may move the action
// out; the object is reused for the next row. Avoids holding a batch's actions all at once.
Status ForEachCheckpointAction(const columnar::RecordBatch& batch,
                               const std::function<Status(Action&)>& on_action);

// As ForEachCheckpointAction, except that adds go to `on_add` as views into `batch` (valid
// during the call; fields.extras may be moved from), so that no Add is built for them.
Status ForEachCheckpointRow(const columnar::RecordBatch& batch,
                            const std::function<Status(const AddFields&)>& on_add,
                            const std::function<Status(Action&)>& on_action);

// The columns a checkpoint reader needs to decode (a projection of the checkpoint schema
// Spark writes, without stats_parsed and partitionValues_parsed).
columnar::SchemaPtr CheckpointReadSchema();

}  // namespace silt::delta
