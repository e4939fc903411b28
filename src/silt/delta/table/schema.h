// Table schemas: metaData.schemaString (PROTOCOL.md "Schema Serialization Format"; digest §7)
// to and from columnar::Schema.
//
// Field metadata values may be any JSON (numbers for delta.columnMapping.id, strings for
// delta.columnMapping.physicalName, arrays for delta.typeChanges, ...). They are kept in the
// field's KeyValueMetadata as their compact JSON text ("5", "\"col-1a\"", "[...]"), so that a
// schema written back is the schema read; FieldMetadataString / FieldMetadataInt decode them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "silt/base/result.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/schema.h"

namespace silt::delta {

// Parses a schemaString. An empty string (a metaData without schemaString) is the empty schema.
// Errors:
//  - kCorruption when the text is not JSON, the top level is not a struct, or a field or type
//    is malformed; the message names the place ("fields[1].type.elementType: ...");
//  - kUnsupported for a type silt cannot represent yet (variant, void, interval, udt), naming
//    the column.
Result<columnar::SchemaPtr> ParseSchemaString(std::string_view schema_string);

// A data type in Delta's JSON form: "long", "decimal(10,2)" (as JSON strings) or
// {"type":"struct",...}, {"type":"array",...}, {"type":"map",...}.
std::string TypeToJson(const columnar::DataType& type);

// The schemaString of a schema, as Spark writes it: every field with name, type, nullable and
// metadata, in that order. Metadata values are written as the JSON text they hold; a value that
// is not valid JSON is written as a JSON string.
std::string SchemaToJson(const columnar::Schema& schema);

// The string value of metadata `key`; std::nullopt when absent; kCorruption when the value is
// not a JSON string.
Result<std::optional<std::string>> FieldMetadataString(const columnar::Field& field,
                                                       std::string_view key);
// The integer value of metadata `key`; std::nullopt when absent; kCorruption when the value is
// not a JSON integer.
Result<std::optional<int64_t>> FieldMetadataInt(const columnar::Field& field,
                                                std::string_view key);

}  // namespace silt::delta
