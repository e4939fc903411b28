// Row-by-row evaluation of an expr::Expr over a RecordBatch in a table's logical schema, for
// constraints, replaceWhere checks and deletes. Column paths resolve through structs, exactly
// first and then case-insensitively (Spark's default resolution).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/expr/expr.h"

namespace silt::delta {

// Three-valued outcome of a predicate on one row.
enum class Truth : int8_t { kFalse = 0, kTrue = 1, kNull = 2 };

// The predicate's value on every row of `batch`. kInvalidArgument naming the column when a
// referenced column is not in the batch; evaluation errors as returned.
Result<std::vector<Truth>> EvaluateOnBatch(const expr::Expr& predicate,
                                           const columnar::RecordBatch& batch);

// "x = 2, s.y = NULL": the values on row `row` of every column `e` references.
std::string DescribeRow(const expr::Expr& e, const columnar::RecordBatch& batch, int64_t row);

}  // namespace silt::delta
