// A minimal column-chunk walker for tests: decodes the footer, then for every column chunk every
// page (decompressing, checking CRCs) and all levels and values, checking the counts against the
// page headers and the column metadata. The column reader grows from it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <vector>

#include "silt/base/status.h"
#include "silt/fs/file_system.h"
#include "silt/parquet/encoding/decoder.h"

namespace silt::parquet::testing {

// What a walk saw, for reports.
struct Tally {
  std::map<std::string, int64_t> codecs;      // column chunks per codec
  std::map<std::string, int64_t> encodings;   // data pages per value encoding
  std::map<std::string, int64_t> page_types;  // data pages per type; chunks with a dictionary
  std::map<std::string, int64_t> types;       // column chunks per physical type
  std::map<std::string, int64_t> writers;     // files per created_by application
  int64_t files = 0, row_groups = 0, chunks = 0, pages = 0, values = 0;
  int64_t offset_indexes = 0, column_indexes = 0;
};

// The decoded content of one leaf column over all row groups.
struct ColumnValues {
  std::vector<int16_t> def_levels;
  std::vector<int16_t> rep_levels;
  std::vector<int64_t> ints;    // BOOLEAN, INT32, INT64 (widened)
  std::vector<double> doubles;  // FLOAT, DOUBLE
  ByteArrayBuffer bytes;        // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96
};

// Decodes every page of every column chunk of the file at `path`; when `values` is given, also
// collects the levels and values of leaf column `leaf_index`.
Status WalkFile(fs::FileSystem& fs, const std::string& path, Tally* tally, int leaf_index = -1,
                ColumnValues* values = nullptr);

// One line per map, for test output.
std::string FormatTally(const Tally& tally);

}  // namespace silt::parquet::testing
