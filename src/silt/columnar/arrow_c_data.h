// The Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html):
// zero-copy exchange of schemas and arrays with other Arrow implementations in the process.
//
// Supported formats: "b" "c" "s" "i" "l" "f" "g" "d:P,S" (and "d:P,S,128") "u" "z" "tdD"
// "tsu:<zone>" (timestamp; any zone, the values are UTC instants) "tsu:" (timestamp_ntz) "+s"
// "+l" "+m". Other valid Arrow formats (large types, other units, dictionaries, ...) are
// kUnsupported on import; malformed input is kInvalidArgument.
//
// Ownership follows the spec. Export*: on success the caller owns *out and must call
// out->release exactly once; on failure *out is untouched. Import*: always takes ownership of
// the input structs: on success they are moved into the result (the producer's release is called
// once, when the last array/buffer referencing the data is destroyed), on failure they are
// released; either way the input structs are marked released on return.
#pragma once

#include <cstdint>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifdef __cplusplus
}
#endif

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"

namespace silt::columnar {

// A type as an unnamed, nullable field.
Status ExportType(const DataType& type, ArrowSchema* out);
// Name, nullability (ARROW_FLAG_NULLABLE) and metadata; maps with sorted keys are not tracked,
// so ARROW_FLAG_MAP_KEYS_SORTED is never set.
Status ExportField(const Field& field, ArrowSchema* out);
// A "+s" struct whose children are the fields, with the schema metadata.
Status ExportSchema(const Schema& schema, ArrowSchema* out);

// The array's buffers are shared, not copied; they stay alive until out->release. If
// out_schema is not null, the array's type is exported there too (as ExportType).
Status ExportArray(const ArrayPtr& array, ArrowArray* out, ArrowSchema* out_schema = nullptr);
// As a non-null "+s" struct array of the columns; out_schema (optional) gets ExportSchema.
Status ExportRecordBatch(const RecordBatch& batch, ArrowArray* out,
                         ArrowSchema* out_schema = nullptr);

Result<TypePtr> ImportType(ArrowSchema* schema);
Result<Field> ImportField(ArrowSchema* schema);
// schema must be a "+s" struct; its children become the fields.
Result<SchemaPtr> ImportSchema(ArrowSchema* schema);

// Imports and fully validates (Array::Validate) the array; buffers are not copied unless they
// are misaligned for their value type. Both structs are consumed (see the top of the file).
Result<ArrayPtr> ImportArray(ArrowArray* array, ArrowSchema* schema);
Result<ArrayPtr> ImportArray(ArrowArray* array, const TypePtr& type);
// The array must be a struct array without nulls at the top level.
Result<RecordBatchPtr> ImportRecordBatch(ArrowArray* array, ArrowSchema* schema);
Result<RecordBatchPtr> ImportRecordBatch(ArrowArray* array, const SchemaPtr& schema);

}  // namespace silt::columnar
