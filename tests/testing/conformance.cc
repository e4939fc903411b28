#include "testing/conformance.h"

namespace silt::testing {

Result<std::vector<ConformanceTable>> ListConformanceTables(fs::FileSystem& fs,
                                                            const std::string& corpus) {
  std::vector<ConformanceTable> out;
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> sources, fs.List(corpus));
  for (const fs::FileInfo& source : sources) {
    if (!source.is_dir) continue;
    SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> tables, fs.List(source.path));
    for (const fs::FileInfo& dir : tables) {
      if (!dir.is_dir) continue;
      Result<std::string> expected = fs.ReadFile(fs::JoinPath(dir.path, "EXPECTED.md"));
      if (!expected.ok()) continue;
      out.push_back({dir.path, std::move(expected).value()});
    }
  }
  return out;
}

}  // namespace silt::testing
