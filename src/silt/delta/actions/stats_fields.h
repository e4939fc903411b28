// Keys of the per-file statistics document (add.stats; PROTOCOL.md "Per-file Statistics";
// digest §8) and of the checkpoint's stats_parsed struct, which mirrors it.
#pragma once

#include <string_view>

namespace silt::delta::stats_field {

inline constexpr std::string_view kNumRecords = "numRecords";
inline constexpr std::string_view kMinValues = "minValues";
inline constexpr std::string_view kMaxValues = "maxValues";
inline constexpr std::string_view kNullCount = "nullCount";
inline constexpr std::string_view kTightBounds = "tightBounds";

}  // namespace silt::delta::stats_field
