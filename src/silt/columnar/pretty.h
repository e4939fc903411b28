// JSON-like text of column values, for tests, logs and the CLI. Not a serialization format:
// strings are JSON-quoted and escaped, binary is base64 in quotes, dates "2024-01-31",
// timestamps "2024-01-31T12:00:00.000001Z" (timestamp_ntz without the Z), decimals exact and
// unquoted (12.30), floats shortest round-trip (NaN/Infinity quoted), structs as objects, lists
// as arrays, maps as objects whose keys are the key's text (a string key as is).
#pragma once

#include <cstdint>
#include <string>

#include "silt/columnar/array.h"
#include "silt/columnar/record_batch.h"

namespace silt::columnar {

// Element i ("null" when null). Precondition: 0 <= i < array.length().
std::string ValueToJson(const Array& array, int64_t i);
// "[v0,v1,...]".
std::string ArrayToJson(const Array& array);
// One {"col":value,...} object per row, each line ending in '\n'.
std::string RecordBatchToJsonLines(const RecordBatch& batch);

// "2024-01-31" for days since the epoch.
std::string FormatDate(int32_t days);
// "2024-01-31T12:00:00.000001" (+ "Z" when utc) for microseconds since the epoch.
std::string FormatTimestampMicros(int64_t micros, bool utc);

}  // namespace silt::columnar
