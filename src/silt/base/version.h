// The silt version, in one place.
#pragma once

#include <string_view>

namespace silt {
inline constexpr std::string_view kVersionString = "0.1.0";
// What silt writes as Parquet created_by and Delta engineInfo.
inline constexpr std::string_view kCreatedBy = "silt version 0.1.0";
}  // namespace silt
