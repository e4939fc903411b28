// A temporary directory removed (recursively) when the object goes away.
#pragma once

#include <string>

namespace silt::testing {

class TempDir {
 public:
  // Creates a fresh directory under $TMPDIR (or /tmp). Aborts if it cannot: tests cannot run.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Absolute path, without a trailing slash.
  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The source tree root (SILT_SOURCE_DIR, set by ctest), for reading checked-in test data.
std::string SourceDir();
// The shared conformance tables: $SILT_CONFORMANCE_DIR or <source>/../shared/conformance.
std::string ConformanceDir();

}  // namespace silt::testing
