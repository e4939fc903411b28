// A regular expression over file paths (the Delta source's excludeRegex), ECMAScript syntax,
// matched anywhere in the path as Java's Matcher.find does. Wraps std::regex at its edge: a bad
// pattern is a Status, never an exception.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt::stream {

class PathRegex {
 public:
  // kInvalidArgument naming the pattern when it does not compile.
  static Result<std::shared_ptr<const PathRegex>> Compile(const std::string& pattern);
  ~PathRegex();
  PathRegex(const PathRegex&) = delete;
  PathRegex& operator=(const PathRegex&) = delete;

  // True when the pattern matches somewhere in `path`.
  bool Search(std::string_view path) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Impl;
  PathRegex(std::string pattern, std::unique_ptr<Impl> impl);
  std::string pattern_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace silt::stream
