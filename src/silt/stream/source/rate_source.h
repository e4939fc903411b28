// RateSource: synthetic rows at a chosen rate, Spark's "rate" source (and, with rowsPerBatch,
// its "rate-micro-batch" source), for demos, benchmarks and tests.
//
// Row v (v = 0, 1, 2, ...) is a pure function of v and of the batch's offsets, so re-running a
// batch after a restart yields identical rows. Offsets are JSON {"value":N,"timeMs":T}: the
// first N rows exist, the last batch ended at event time T. Within a batch (start, end] the rows'
// timestamps are spread evenly from start's timeMs to end's timeMs.
//
// Schemas:
//   value  (Spark's):  timestamp TIMESTAMP, value BIGINT
//   clicks (demo):     event_time TIMESTAMP, user_id BIGINT, page STRING, country STRING,
//                      event_date DATE, latency_ms INT
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "silt/stream/source/source.h"

namespace silt::stream {

enum class RateSchema { kValue, kClicks };

struct RateSourceOptions {
  // Rows per second of wall time (Spark's rowsPerSecond), once ramped up.
  int64_t rows_per_second = 1;
  // Seconds to ramp up from 0 to rows_per_second (Spark's rampUpTime).
  int64_t ramp_up_time_seconds = 0;
  // Accepted and ignored (Spark's numPartitions): batches are single streams of rows.
  int64_t num_partitions = 0;
  // > 0: every batch has exactly this many rows, independent of the wall clock (Spark's
  // rate-micro-batch source); event time starts at start_timestamp_ms and advances by
  // advance_millis_per_batch per batch.
  int64_t rows_per_batch = 0;
  int64_t start_timestamp_ms = 0;
  int64_t advance_millis_per_batch = 1000;
  // > 0: the stream ends after this many rows (a finite stream for tests and demos).
  int64_t total_rows = 0;
  RateSchema schema = RateSchema::kValue;
  // Rows per record batch handed to the engine.
  int64_t max_rows_per_record_batch = 4096;
  // Wall clock in milliseconds (tests replace it); NowMillis when empty.
  std::function<int64_t()> clock;

  // From Spark-style options: rowsPerSecond, rampUpTime ("10s", "2m" or seconds), numPartitions,
  // rowsPerBatch, startTimestamp, advanceMillisPerBatch, totalRows, schema (value|clicks).
  // kInvalidArgument naming an unknown key or a bad value.
  static Result<RateSourceOptions> FromMap(const std::map<std::string, std::string>& options);
};

class RateSource final : public Source {
 public:
  explicit RateSource(RateSourceOptions options);

  // "RateSource[schema=value]" / "RateSource[schema=clicks]": the rate itself is not part of the
  // query's shape, it may change between runs.
  std::string description() const override;
  // Records the stream's start time in `<metadata_dir>/start` the first time (rows' timestamps
  // derive from it, so a restart keeps them).
  Status Open(const SourceContext& context) override;
  Result<columnar::SchemaPtr> schema() override { return schema_; }
  Status PrepareForAvailableNow() override;
  Result<std::optional<Offset>> NextBatchEnd(const std::optional<Offset>& start) override;
  Result<std::unique_ptr<BatchReader>> ReadBatch(const std::optional<Offset>& start,
                                                 const Offset& end) override;
  std::optional<Offset> latest_offset() const override;
  std::map<std::string, std::string> Metrics() const override;

  static columnar::SchemaPtr SchemaFor(RateSchema schema);

  struct Position {
    int64_t value = 0;
    int64_t time_ms = 0;
  };
  static Result<Position> ParseOffset(const Offset& offset);
  static Offset FormatOffset(Position position);

 private:
  int64_t Now() const;
  // The position before the first row.
  Position Beginning() const;
  // Rows that exist `elapsed_ms` after the start (rowsPerSecond mode).
  int64_t RowsAfter(int64_t elapsed_ms) const;
  // The position at wall time `now_ms` (rowsPerSecond mode), capped by total_rows.
  Position PositionAt(int64_t now_ms) const;

  RateSourceOptions options_;
  columnar::SchemaPtr schema_;
  int64_t start_time_ms_ = 0;
  std::optional<Position> available_now_limit_;
  std::optional<Position> latest_;
};

}  // namespace silt::stream
