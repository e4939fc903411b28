#include "testing/temp_dir.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace silt::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/silt-test-XXXXXX";
  char* made = mkdtemp(templ.data());
  if (made == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SourceDir() {
  const char* dir = std::getenv("SILT_SOURCE_DIR");
  return dir ? dir : ".";
}

std::string ConformanceDir() {
  const char* dir = std::getenv("SILT_CONFORMANCE_DIR");
  if (dir && *dir) return dir;
  return SourceDir() + "/../shared/conformance";
}

}  // namespace silt::testing
