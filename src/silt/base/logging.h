// Logging through spdlog. One process-wide logger named "silt", writing to stderr.
#pragma once

#include <spdlog/spdlog.h>

namespace silt {

// The process-wide logger; created on first use. Thread-safe.
spdlog::logger& Log();

}  // namespace silt

#define SILT_LOG_DEBUG(...) ::silt::Log().debug(__VA_ARGS__)
#define SILT_LOG_INFO(...) ::silt::Log().info(__VA_ARGS__)
#define SILT_LOG_WARN(...) ::silt::Log().warn(__VA_ARGS__)
#define SILT_LOG_ERROR(...) ::silt::Log().error(__VA_ARGS__)
