// Per-file statistics of the data files silt writes (add.stats; PROTOCOL.md "Per-file
// Statistics"; digest §8), as Spark writes them:
//   {"numRecords":3,"minValues":{...},"maxValues":{...},"nullCount":{...},"tightBounds":true}
// Column trees mirror the schema (nested structs as nested objects) and use physical names under
// column mapping. Which leaves: SelectStatsLeaves, the one rule shared with the checkpoint's
// stats_parsed type (StatsStructType). An array or map column is one leaf and has only a nullCount;
// boolean and binary leaves have only a nullCount; strings are cut to 32 characters (the max
// with a tie-breaker so that it stays an upper bound); timestamps are written with millisecond
// precision (min truncated down, max rounded up).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/table/table_features.h"
#include "silt/expr/value.h"
#include "silt/parquet/writer/file_writer.h"

namespace silt::delta {

// Characters (code points) kept of a string min/max.
inline constexpr int kStatsStringPrefixLength = 32;

// A leaf column that gets statistics.
struct StatsLeaf {
  std::vector<std::string> logical_path;
  std::vector<std::string> physical_path;
  columnar::TypePtr type;
  // Index of the top-level column in the data schema.
  int top_level = 0;
};

// The leaves of `data_schema` (logical, with column-mapping metadata; partition columns already
// removed) that get statistics under the table's configuration, in schema order, as Spark's
// StatisticsCollection picks them:
//   - delta.dataSkippingStatsColumns set: the leaves at or below each listed column (a
//     comma-separated list of dotted names, back-quoted parts may hold dots or commas, matched
//     case-insensitively; naming a struct selects all its leaves). A name that matches no column
//     (say, one dropped by another writer) selects nothing; the list's order does not matter.
//     An empty or blank list selects no leaf.
//   - else the first delta.dataSkippingNumIndexedCols leaves (default 32, -1 = all).
// A struct is not a leaf (its fields are); an array or map is one leaf. kCorruption for a
// malformed property (a count that is not an integer >= -1, an unbalanced back quote or an
// empty name in the list).
Result<std::vector<StatsLeaf>> SelectStatsLeaves(const columnar::Schema& data_schema,
                                                 ColumnMappingMode mode, const Metadata& metadata);

// Checks delta.dataSkippingStatsColumns in `configuration` (when set) against the table, as
// Spark does when the property is set (SelectStatsLeaves ignores what this rejects): OK, or
// kInvalidArgument for a malformed list, a listed partition column, or a listed name that is
// no column of `schema` (logical; partition columns included) or of its structs.
Status ValidateStatsColumns(const columnar::Schema& schema,
                            const std::vector<std::string>& partition_columns,
                            const StringMap& configuration);

// Whether stats carry minValues/maxValues for a leaf of this type (numbers, decimals, strings,
// dates, timestamps); every leaf has a nullCount.
bool HasStatsMinMax(const columnar::DataType& type);

// The typed form of the stats documents StatsCollector writes for `leaves`:
//   struct<numRecords: long, minValues, maxValues, nullCount[, tightBounds: boolean]>
// minValues and maxValues are structs of the HasStatsMinMax leaves with their types, nullCount a
// struct of every leaf as long, nested by physical path in leaf order. A member without any leaf
// is left out (Parquet groups need a field). This is the checkpoint's stats_parsed type.
columnar::TypePtr StatsStructType(const std::vector<StatsLeaf>& leaves, bool with_tight_bounds);

// String min/max truncation: the first 32 code points; the max then gets U+007F appended when
// the first cut character is ASCII below 0x7F, else U+10FFFF. Shorter strings are unchanged.
std::string TruncateStatsMin(std::string_view s);
std::string TruncateStatsMax(std::string_view s);

// Accumulates the statistics of one data file while its batches are written and renders them
// once the file is closed. The batches are in the logical data schema.
class StatsCollector {
 public:
  explicit StatsCollector(std::vector<StatsLeaf> leaves);

  // Counts null arrays/maps (the only per-batch work; other leaves come from the Parquet
  // writer's column summaries).
  void Observe(const columnar::RecordBatch& batch);

  // The stats JSON of the file, from its column summaries (keyed by physical paths).
  std::string ToJson(const parquet::WrittenFile& file) const;

 private:
  std::vector<StatsLeaf> leaves_;
  std::vector<int64_t> nested_null_counts_;  // per leaf; used for array/map leaves
};

// The stats JSON value of one min/max, or an empty string when the value has no JSON form in
// stats (NaN, infinities, unsupported kinds). `is_max` selects the rounding of timestamps and
// the truncation of strings.
std::string StatsValueJson(const expr::Value& value, const columnar::DataType& type, bool is_max);

// A stats document with "tightBounds" set to false (after rows were deleted by a deletion
// vector), every other field kept; nullopt stays nullopt. kCorruption when `stats` is not a
// JSON object.
Result<std::optional<std::string>> WithLooseBounds(const std::optional<std::string>& stats);

}  // namespace silt::delta
