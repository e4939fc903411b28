// Walking the shared conformance corpus: <corpus>/<source>/<table>/EXPECTED.md.
#pragma once

#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"

namespace silt::testing {

struct ConformanceTable {
  std::string dir;          // the table's folder
  std::string expected_md;  // its EXPECTED.md
};

// Every table folder two levels below `corpus` that has an EXPECTED.md, in path order.
Result<std::vector<ConformanceTable>> ListConformanceTables(fs::FileSystem& fs,
                                                            const std::string& corpus);

}  // namespace silt::testing
