// Triggers: when a streaming query runs its micro-batches (Spark's Trigger).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt::stream {

struct Trigger {
  enum class Kind {
    // A batch every interval_ms (0: as fast as possible); a trigger without new data waits for
    // the next interval (with 0, a short poll delay).
    kProcessingTime,
    // One batch (if there is data), then the query stops.
    kOnce,
    // Everything available at start (Source::PrepareForAvailableNow), in as many batches as the
    // sources' rate limits make, then the query stops.
    kAvailableNow,
    // Batches back to back while there is data; when a trigger finds none, sleep interval_ms
    // (the idle poll interval) and look again.
    kContinuous,
  };
  Kind kind = Kind::kProcessingTime;
  int64_t interval_ms = 0;

  static Trigger ProcessingTime(int64_t interval_ms) {
    return {Kind::kProcessingTime, interval_ms};
  }
  static Trigger Once() { return {Kind::kOnce, 0}; }
  static Trigger AvailableNow() { return {Kind::kAvailableNow, 0}; }
  static Trigger Continuous(int64_t idle_poll_ms = 1000) {
    return {Kind::kContinuous, idle_poll_ms};
  }

  // "ProcessingTime(1000ms)", "Once", "AvailableNow", "Continuous(poll 1000ms)".
  std::string ToString() const;

  // "available-now", "once", "interval:DURATION", "continuous" or "continuous:DURATION", where
  // DURATION is "500ms", "10s", "2m" or a number of milliseconds. kInvalidArgument otherwise.
  static Result<Trigger> Parse(std::string_view text);
};

// "500ms", "10s", "2m", "1h", "250" (milliseconds) -> milliseconds. kInvalidArgument otherwise.
Result<int64_t> ParseDurationMs(std::string_view text);

}  // namespace silt::stream
