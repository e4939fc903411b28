// Builds small flat Parquet files from our own encoders, codecs and Thrift writer, for tests
// that check what we write against an independent reader (DuckDB) and against our own walker.
// Only flat (non-nested) columns; one row group. Not the file writer: a test fixture.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/parquet/thrift/parquet_types.h"

namespace silt::parquet::testing {

struct TestColumn {
  std::string name;
  PhysicalType type = PhysicalType::kInt64;
  int32_t type_length = 0;
  bool optional = false;
  std::optional<LogicalType> logical_type;
  std::optional<ConvertedType> converted_type;
  // Value encoding of the data pages: PLAIN, RLE (booleans), RLE_DICTIONARY, DELTA_*,
  // BYTE_STREAM_SPLIT.
  Encoding encoding = Encoding::kPlain;
  // One entry per row when optional: true = a value is present.
  std::vector<bool> present;
  // The present values, by type: ints (BOOLEAN, INT32, INT64), doubles (FLOAT, DOUBLE),
  // strings (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::vector<std::string> strings;
};

struct TestFileOptions {
  CompressionCodec codec = CompressionCodec::kSnappy;
  bool v2_pages = false;
  int64_t rows_per_page = 1000;
  bool page_crc = true;
};

Result<std::string> BuildTestFile(const std::vector<TestColumn>& columns, int64_t num_rows,
                                  const TestFileOptions& options);

}  // namespace silt::parquet::testing
