// The columnar module in one include: logical types (data_type.h, schema.h), Arrow-layout
// arrays and buffers (array.h, buffer.h, bit_util.h, decimal.h), builders (builder.h), record
// batches (record_batch.h), JSON-like printing and parsing (pretty.h, from_json.h),
// concatenation (concatenate.h) and the Arrow C Data Interface (arrow_c_data.h).
#pragma once

#include "silt/columnar/array.h"
#include "silt/columnar/arrow_c_data.h"
#include "silt/columnar/bit_util.h"
#include "silt/columnar/buffer.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/concatenate.h"
#include "silt/columnar/data_type.h"
#include "silt/columnar/decimal.h"
#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
