#include "silt/stream/delta/path_regex.h"

#include <regex>

namespace silt::stream {

struct PathRegex::Impl {
  std::regex regex;
};

PathRegex::PathRegex(std::string pattern, std::unique_ptr<Impl> impl)
    : pattern_(std::move(pattern)), impl_(std::move(impl)) {}

PathRegex::~PathRegex() = default;

Result<std::shared_ptr<const PathRegex>> PathRegex::Compile(const std::string& pattern) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->regex = std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument("'{}' is not a regular expression: {}", pattern, e.what());
  }
  return std::shared_ptr<const PathRegex>(new PathRegex(pattern, std::move(impl)));
}

bool PathRegex::Search(std::string_view path) const {
  return std::regex_search(path.begin(), path.end(), impl_->regex);
}

}  // namespace silt::stream
