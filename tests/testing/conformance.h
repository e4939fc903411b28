// Walking the shared conformance corpus: <corpus>/<source>/<table>/EXPECTED.md, and the facts
// each EXPECTED.md states about its table (or sub-tables).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"
#include "silt/fs/local_file_system.h"

namespace silt::testing {

struct ConformanceTable {
  std::string dir;          // the table's folder
  std::string expected_md;  // its EXPECTED.md
};

// Every table folder two levels below `corpus` that has an EXPECTED.md, in path order.
Result<std::vector<ConformanceTable>> ListConformanceTables(fs::FileSystem& fs,
                                                            const std::string& corpus);

// Every Parquet file anywhere below ConformanceDir(), in path order (empty without a corpus).
Result<std::vector<fs::FileInfo>> ListConformanceParquetFiles(fs::FileSystem& fs);

// What an EXPECTED.md states about one table: its "Facts computed by the inventory scan".
// Unstated facts are nullopt (or empty / false).
struct ExpectedTable {
  std::string name;  // relative to the corpus, e.g. "delta-rs.test-data/simple_table"
  std::string root;  // absolute
  bool no_delta_log = false;
  // "- Latest version ...: N; commit JSON versions present: F..L (C files)[; gaps: ...]"
  std::optional<int64_t> latest_version;
  std::optional<int64_t> first_commit;
  std::optional<int64_t> commit_files;
  bool has_gaps = false;
  std::optional<bool> has_checkpoint;
  std::optional<int64_t> active_files;
  std::string protocol_json;  // "Protocol (latest by replay)", a JSON object
  std::optional<std::vector<std::string>> partition_columns;
  std::string table_properties;  // "- Table properties: k=v, ..." as written
  // "Actions in commit JSONs": counts over every commit file in the log.
  std::optional<int64_t> commit_adds, commit_removes, commit_cdcs, commit_dv_adds;
  // "Computed latest row count": a number, or unknown ("n/a (files missing ...)").
  std::optional<int64_t> row_count;
  bool rows_unknown = false;

  // Every commit since version 0 is in the log.
  bool commits_from_zero() const { return first_commit == 0 && !has_gaps; }
  bool change_data_feed() const {
    return table_properties.find("delta.enableChangeDataFeed=true") != std::string::npos;
  }
};

// The tables one EXPECTED.md describes: a single table, or several "## Sub-table `k`" sections
// whose facts come in "### Facts computed by the inventory scan for k" blocks. Tables without a
// "Table root" line are left out; `corpus` is prefixed to the roots.
std::vector<ExpectedTable> ParseExpectedMd(std::string_view text, const std::string& corpus);

// A fixture over the whole corpus (ConformanceDir()): skips the test when the corpus is absent,
// else fills tables_ from every EXPECTED.md (fails when there is none).
class ConformanceCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override;

  std::string corpus_;
  fs::LocalFileSystem fs_;
  std::vector<ExpectedTable> tables_;
};

}  // namespace silt::testing
