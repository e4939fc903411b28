// Statistics-based skipping: can any row of a file (or row group) satisfy a predicate, given
// per-column min/max/null counts? Used for Delta file skipping (add.stats, partition values)
// and Parquet row-group skipping. Answers are conservative: false only when no row can match.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "silt/expr/expr.h"
#include "silt/expr/value.h"

namespace silt::expr {

struct ColumnStats {
  std::optional<Value> min;  // lower bound of the non-null values, when known
  std::optional<Value> max;  // upper bound of the non-null values, when known (callers widen
                             // millisecond-truncated timestamp maxima by 999 µs before this)
  std::optional<int64_t> null_count;
};

struct StatsView {
  std::optional<int64_t> num_records;
  // Stats of a column; nullopt when the column has none (then nothing is skipped on it).
  std::function<std::optional<ColumnStats>(const std::vector<std::string>& path)> column;
};

// False only when no row described by `stats` can make `predicate` true.
bool MayMatch(const Expr& predicate, const StatsView& stats);

}  // namespace silt::expr
