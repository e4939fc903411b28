#include "silt/base/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace silt {

spdlog::logger& Log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("silt");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    return l;
  }();
  return *logger;
}

}  // namespace silt
