// Wall-clock and monotonic time in the units Delta uses (milliseconds since the Unix epoch).
#pragma once

#include <cstdint>
#include <string>

namespace silt {

// Milliseconds since the Unix epoch, wall clock.
int64_t NowMillis();
// Microseconds from a monotonic clock; for durations only.
int64_t MonotonicMicros();
// "2026-11-28T14:30:25.123Z" for a millisecond epoch timestamp (UTC).
std::string FormatTimestampMillis(int64_t millis);

}  // namespace silt
