// libFuzzer target: the input is a whole Parquet file. It is stored in a MemoryFileSystem and
// read to the end with FileReader (footer, schema mapping, every page of every column, value
// decoding and validation), without page CRC checks. Any outcome but a crash, a sanitizer report
// or a hang is fine; a file read without error must yield the rows of its row groups.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "silt/fs/memory_file_system.h"
#include "silt/parquet/reader/file_reader.h"

namespace {

constexpr const char* kPath = "/fuzz.parquet";

void ReadFully(silt::fs::FileSystem& fs, silt::parquet::ReadOptions options) {
  auto reader = silt::parquet::FileReader::Open(fs, kPath, std::move(options));
  if (!reader.ok()) return;
  const auto& r = **reader;
  int64_t expected = 0;
  for (int g : r.selected_row_groups()) {
    expected += r.metadata().row_groups[static_cast<size_t>(g)].num_rows;
  }
  int64_t rows = 0;
  while (true) {
    auto batch = (*reader)->Next();
    if (!batch.ok()) return;
    if (!batch->has_value()) break;
    rows += (**batch)->num_rows();
  }
  // Read to the end without an error: the batches must add up to the row groups.
  if (rows != expected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  silt::fs::MemoryFileSystem fs;
  if (!fs.Put(kPath, std::string_view(reinterpret_cast<const char*>(data), size)).ok()) return 0;
  silt::parquet::ReadOptions options;
  options.page_options.verify_crc = false;  // let mutated bodies reach the decoders
  // Small pages of memory: a corrupt header must not make the fuzzer allocate gigabytes.
  options.page_options.max_uncompressed_page_size = 64 << 20;
  options.batch_size = 1000;
  ReadFully(fs, options);
  return 0;
}
