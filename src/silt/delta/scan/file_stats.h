// Per-file statistics (add.stats; PROTOCOL.md "Per-file Statistics"; digest §8) in the terms of
// expr::StatsView, so expr::MayMatch can skip files. Keys in the JSON are physical names under
// column mapping; the result is keyed by logical column paths.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/schema.h"
#include "silt/delta/table/table_features.h"
#include "silt/expr/skipping.h"

namespace silt::delta {

struct FileStats {
  std::optional<int64_t> num_records;
  // Absent means true. False: min/max are bounds only (rows were deleted by a DV).
  bool tight_bounds = true;
  // Leaf columns by logical path.
  std::map<std::vector<std::string>, expr::ColumnStats> columns;
};

// Parses a stats document for a table with `schema` (logical; physical names from its
// column-mapping metadata when `mode` is not kNone). Values are read as their column's type:
// numbers for numeric columns, strings for dates and timestamps (any ISO offset), decimals
// from their JSON number text; timestamp maxima are widened by 999 µs (stats are truncated to
// milliseconds). A value that does not parse as its column's type is dropped (no stats for
// that column), never an error: stats are advisory. kCorruption only when `json` is not a JSON
// object.
Result<FileStats> ParseFileStats(std::string_view json, const columnar::Schema& schema,
                                 ColumnMappingMode mode);

// The view MayMatch takes; `stats` must outlive it.
expr::StatsView ToStatsView(const FileStats& stats);

// The name a field has in files, stats and partition values: its
// delta.columnMapping.physicalName in the mapped modes, else its name.
std::string PhysicalName(const columnar::Field& field, ColumnMappingMode mode);

}  // namespace silt::delta
