// End-to-end Parquet throughput of silt on one thread: writes N rows of an event table with
// ZSTD and with SNAPPY through FileWriter, then decodes every value of each file with
// FileReader. Driven by bench/run-parquet-bench, which runs DuckDB on the same data and prints
// the ratios; docs/performance.md records the results.
//
//   silt_parquet_benchmark write <dir> <rows> [--costs] [--only zstd|snappy] [--repeat N]
//                                       writes <dir>/silt-{zstd,snappy}.parquet with the default
//                                       WriterOptions; --costs also writes SNAPPY once without
//                                       each of page CRCs, page index and sync on close, and once
//                                       without all three (silt-snappy-no-*.parquet); --only
//                                       writes one codec (for profiling); --repeat writes each
//                                       file N times and reports the fastest (wall clock)
//   silt_parquet_benchmark read <file>...       decodes each file fully
//
// One JSON object per measurement on stdout: engine, op, file, rows, seconds (wall clock),
// cpu_seconds (user + system time of the process: less sensitive to other load), file_bytes,
// data_bytes (the logical size of the values: 8 + 8 + 4 + 8 bytes per row plus the string
// lengths) and a checksum of every value (the same aggregate the DuckDB side computes; the
// timestamp sum modulo 2^64).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "event_data.h"
#include "silt/columnar/builder.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/writer/file_writer.h"

namespace {

namespace col = silt::columnar;
using silt::Result;
using silt::Status;

using silt::bench::CpuSeconds;
using silt::bench::EventSchema;
using silt::bench::MakeEvents;
using Checksum = silt::bench::EventChecksum;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Print(const char* op, const std::string& file, int64_t rows, double seconds,
           double cpu_seconds, int64_t file_bytes, const Checksum& sum) {
  std::printf(
      "{\"engine\":\"silt\",\"op\":\"%s\",\"file\":\"%s\",\"rows\":%lld,\"seconds\":%.4f,"
      "\"cpu_seconds\":%.4f,"
      "\"file_bytes\":%lld,\"data_bytes\":%lld,\"checksum\":{\"id\":%lld,\"ts\":\"%llu\","
      "\"user_id\":%lld,\"amount\":%.2f,\"string_bytes\":%lld}}\n",
      op, file.c_str(), static_cast<long long>(rows), seconds, cpu_seconds,
      static_cast<long long>(file_bytes), static_cast<long long>(sum.data_bytes),
      static_cast<long long>(sum.id), static_cast<unsigned long long>(sum.ts),
      static_cast<long long>(sum.user_id), sum.amount, static_cast<long long>(sum.string_bytes));
  std::fflush(stdout);
}

// One timed write: a file name suffix and the options that differ from the defaults.
struct WriteRun {
  std::string name;  // silt-<name>.parquet
  silt::parquet::CompressionCodec codec;
  bool page_checksum = true;
  bool write_page_index = true;
  bool sync_on_close = true;
};

Status Write(silt::fs::FileSystem& fs, const std::string& dir, int64_t rows, bool costs,
             const std::string& only, int repeat) {
  Checksum sum;
  SILT_ASSIGN_OR_RETURN(auto batches, MakeEvents(rows, &sum));
  using silt::parquet::CompressionCodec;
  std::vector<WriteRun> runs = {{"zstd", CompressionCodec::kZstd},
                                {"snappy", CompressionCodec::kSnappy}};
  if (costs) {
    runs.push_back({"snappy-no-crc", CompressionCodec::kSnappy, false, true, true});
    runs.push_back({"snappy-no-page-index", CompressionCodec::kSnappy, true, false, true});
    runs.push_back({"snappy-no-sync", CompressionCodec::kSnappy, true, true, false});
    runs.push_back({"snappy-no-crc-index-sync", CompressionCodec::kSnappy, false, false, false});
  }
  for (const WriteRun& run : runs) {
    if (!only.empty() && run.name != only) continue;
    const std::string path = dir + "/silt-" + run.name + ".parquet";
    silt::parquet::WriterOptions options;
    options.codec = run.codec;
    options.page_checksum = run.page_checksum;
    options.write_page_index = run.write_page_index;
    options.sync_on_close = run.sync_on_close;
    double best = 0;
    double best_cpu = 0;
    int64_t file_size = 0;
    for (int r = 0; r < repeat; ++r) {
      const double cpu_start = CpuSeconds();
      const auto start = std::chrono::steady_clock::now();
      SILT_ASSIGN_OR_RETURN(auto writer,
                            silt::parquet::FileWriter::Open(fs, path, EventSchema(), options));
      for (const auto& batch : batches) SILT_RETURN_NOT_OK(writer->WriteBatch(*batch));
      SILT_ASSIGN_OR_RETURN(auto written, writer->Close());
      const double seconds = Seconds(start);
      if (r == 0 || seconds < best) {
        best = seconds;
        best_cpu = CpuSeconds() - cpu_start;
      }
      file_size = written.file_size;
    }
    Print("write", path, rows, best, best_cpu, file_size, sum);
  }
  return Status::OK();
}

Status Read(silt::fs::FileSystem& fs, const std::string& path) {
  Checksum sum;
  int64_t rows = 0;
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  SILT_ASSIGN_OR_RETURN(auto reader, silt::parquet::FileReader::Open(fs, path));
  if (reader->schema()->num_fields() != 6) {
    return Status::InvalidArgument("{}: not the event schema", path);
  }
  while (true) {
    SILT_ASSIGN_OR_RETURN(auto next, reader->Next());
    if (!next) break;
    const col::RecordBatch& b = **next;
    const int64_t n = b.num_rows();
    rows += n;
    const auto& id = static_cast<const col::Int64Array&>(*b.column(0));
    const auto& ts = static_cast<const col::TimestampArray&>(*b.column(1));
    const auto& user = static_cast<const col::Int32Array&>(*b.column(2));
    const auto& type = static_cast<const col::StringArray&>(*b.column(3));
    const auto& amount = static_cast<const col::Float64Array&>(*b.column(4));
    const auto& text = static_cast<const col::StringArray&>(*b.column(5));
    for (int64_t i = 0; i < n; ++i) {
      sum.id += id.Value(i);
      sum.ts += static_cast<uint64_t>(ts.Value(i));
      sum.user_id += user.Value(i);
      sum.amount += amount.Value(i);
    }
    const int64_t strings = (type.raw_offsets()[n] - type.raw_offsets()[0]) +
                            (text.raw_offsets()[n] - text.raw_offsets()[0]);
    sum.string_bytes += strings;
    sum.data_bytes += 28 * n + strings;
  }
  const double seconds = Seconds(start);
  const double cpu_seconds = CpuSeconds() - cpu_start;
  SILT_ASSIGN_OR_RETURN(auto info, fs.GetFileInfo(path));
  Print("read", path, rows, seconds, cpu_seconds, info.size, sum);
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  silt::fs::LocalFileSystem fs;
  const std::string mode = argc > 1 ? argv[1] : "";
  Status st;
  if (mode == "write" && argc >= 4) {
    bool costs = false;
    std::string only;
    int repeat = 1;
    for (int i = 4; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--costs") {
        costs = true;
      } else if (arg == "--only" && i + 1 < argc) {
        only = argv[++i];
      } else if (arg == "--repeat" && i + 1 < argc) {
        repeat = std::max(1, std::atoi(argv[++i]));
      } else {
        std::fprintf(stderr, "unknown argument: %s\n", arg.c_str());
        return 2;
      }
    }
    const int64_t rows = std::atoll(argv[3]);
    if (rows <= 0) {
      std::fprintf(stderr, "rows must be positive\n");
      return 2;
    }
    st = Write(fs, argv[2], rows, costs, only, repeat);
  } else if (mode == "read" && argc > 2) {
    for (int i = 2; i < argc && st.ok(); ++i) st = Read(fs, argv[i]);
  } else {
    std::fprintf(stderr,
                 "usage: %s write <dir> <rows> [--costs] [--only zstd|snappy] [--repeat N] | "
                 "read <file>...\n",
                 argv[0]);
    return 2;
  }
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
