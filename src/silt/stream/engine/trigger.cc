#include "silt/stream/engine/trigger.h"

#include <charconv>

#include "fmt/format.h"

namespace silt::stream {

std::string Trigger::ToString() const {
  switch (kind) {
    case Kind::kProcessingTime:
      return fmt::format("ProcessingTime({}ms)", interval_ms);
    case Kind::kOnce:
      return "Once";
    case Kind::kAvailableNow:
      return "AvailableNow";
    case Kind::kContinuous:
      return fmt::format("Continuous(poll {}ms)", interval_ms);
  }
  return "?";
}

Result<int64_t> ParseDurationMs(std::string_view text) {
  std::string_view digits = text;
  int64_t unit = 1;
  auto ends_with = [&](std::string_view suffix) {
    return digits.size() > suffix.size() && digits.substr(digits.size() - suffix.size()) == suffix;
  };
  if (ends_with("ms")) {
    digits.remove_suffix(2);
  } else if (ends_with("s")) {
    unit = 1000;
    digits.remove_suffix(1);
  } else if (ends_with("m")) {
    unit = 60 * 1000;
    digits.remove_suffix(1);
  } else if (ends_with("h")) {
    unit = 3600 * 1000;
    digits.remove_suffix(1);
  }
  int64_t value = -1;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || value < 0 ||
      value > (int64_t{1} << 40)) {
    return Status::InvalidArgument(
        "bad duration '{}': expected e.g. 500ms, 10s, 2m, 1h or milliseconds", text);
  }
  return value * unit;
}

Result<Trigger> Trigger::Parse(std::string_view text) {
  if (text == "available-now" || text == "availableNow") return AvailableNow();
  if (text == "once") return Once();
  if (text == "continuous") return Continuous();
  auto with_duration = [&](std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
  };
  if (with_duration("interval:")) {
    SILT_ASSIGN_OR_RETURN(int64_t ms, ParseDurationMs(text.substr(9)));
    return ProcessingTime(ms);
  }
  if (with_duration("continuous:")) {
    SILT_ASSIGN_OR_RETURN(int64_t ms, ParseDurationMs(text.substr(11)));
    return Continuous(ms);
  }
  return Status::InvalidArgument(
      "unknown trigger '{}': expected available-now, once, interval:DURATION, continuous or "
      "continuous:DURATION",
      text);
}

}  // namespace silt::stream
