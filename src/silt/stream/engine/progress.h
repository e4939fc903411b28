// What a streaming query reports about itself, shaped like Spark's StreamingQueryProgress and
// StreamingQueryStatus so that tools reading Spark's progress JSON read ours.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/status.h"

namespace silt::stream {

struct SourceProgress {
  std::string description;
  // Offsets as the source's JSON text; nullopt is written as null.
  std::optional<std::string> start_offset;
  std::optional<std::string> end_offset;
  std::optional<std::string> latest_offset;
  int64_t num_input_rows = 0;
  double input_rows_per_second = 0;
  double processed_rows_per_second = 0;
  // name -> JSON value text
  std::map<std::string, std::string> metrics;
};

struct SinkProgress {
  std::string description;
  int64_t num_output_rows = 0;
  std::map<std::string, std::string> metrics;
};

struct StreamingQueryProgress {
  std::string id;
  std::string run_id;
  std::string name;
  // When the trigger started, "2026-11-28T14:30:25.123Z".
  std::string timestamp;
  int64_t batch_id = 0;
  int64_t num_input_rows = 0;
  // Rows per second since the previous trigger started / during this trigger.
  double input_rows_per_second = 0;
  double processed_rows_per_second = 0;
  // Phases, in milliseconds: latestOffset, walCommit, getBatch, addBatch, commitOffsets,
  // triggerExecution.
  std::map<std::string, int64_t> duration_ms;
  // The batch's watermark (Spark's eventTime.watermark when there is one).
  int64_t batch_watermark_ms = 0;
  std::vector<SourceProgress> sources;
  SinkProgress sink;

  // Compact JSON, Spark's field names: {"id":...,"runId":...,"name":...,"timestamp":...,
  // "batchId":...,"numInputRows":...,"inputRowsPerSecond":...,"processedRowsPerSecond":...,
  // "durationMs":{...},"stateOperators":[],"sources":[...],"sink":{...}}.
  std::string ToJson() const;
};

// Spark's StreamingQueryStatus, plus the error that ended the query.
struct QueryStatus {
  std::string message = "Initializing";
  bool is_active = false;
  bool is_data_available = false;
  bool is_trigger_active = false;
  Status last_error;
};

// Status messages, as Spark words them.
inline constexpr const char* kStatusInitializing = "Initializing sources";
inline constexpr const char* kStatusWaiting = "Waiting for data to arrive";
inline constexpr const char* kStatusWaitingForTrigger = "Waiting for next trigger";
inline constexpr const char* kStatusGettingOffsets = "Getting offsets from sources";
inline constexpr const char* kStatusProcessing = "Processing new data";
inline constexpr const char* kStatusStopped = "Stopped";

}  // namespace silt::stream
