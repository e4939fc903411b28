// Arrays and record batches from JSON text: the inverse of pretty.h, for tests and the CLI.
// Accepted per type: boolean true/false; integers as JSON integers (range-checked); floats as
// numbers or "NaN"/"Infinity"/"-Infinity"; decimals as numbers or strings (exact, no rounding);
// string as JSON strings; binary as base64 strings; date as "YYYY-MM-DD" or an integer day
// count; timestamp/timestamp_ntz as "YYYY-MM-DDTHH:MM:SS[.ffffff][Z]" (or a space instead of
// the T) or integer microseconds; struct as an object (missing members are null, unknown ones
// an error); array as a JSON array; map as an object whose member names are the keys (parsed as
// the key type). null is null anywhere. Errors are kInvalidArgument naming the position.
#pragma once

#include <string_view>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/record_batch.h"

namespace silt::columnar {

// `json` is a JSON array of values of `type`: ArrayFromJson(Int64(), "[1, null, 3]").
Result<ArrayPtr> ArrayFromJson(const TypePtr& type, std::string_view json);

// `json` is a JSON array of objects, one per row: R"([{"a": 1, "b": "x"}, {"a": 2}])".
Result<RecordBatchPtr> RecordBatchFromJson(const SchemaPtr& schema, std::string_view json);

// "2024-01-31" -> days since the epoch.
Result<int32_t> ParseDate(std::string_view text);
// "2024-01-31T12:00:00.000001Z" -> microseconds since the epoch. The Z is accepted and
// ignored (both timestamp kinds count from 1970-01-01T00:00:00 in their own frame).
Result<int64_t> ParseTimestampMicros(std::string_view text);

}  // namespace silt::columnar
