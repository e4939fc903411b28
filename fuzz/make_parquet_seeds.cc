// Writes a few small Parquet files with silt's FileWriter into a directory, as a seed corpus
// for silt_parquet_reader_fuzz: flat and nested columns, nulls, dictionary and PLAIN pages,
// several codecs, small pages and row groups.
//
//   silt_make_parquet_seeds <dir>
#include <cstdio>
#include <string>

#include "silt/columnar/builder.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/writer/file_writer.h"

namespace col = silt::columnar;
using silt::Result;
using silt::Status;

namespace {

col::SchemaPtr Schema() {
  return col::Schema::Make({
      col::Field("id", col::Int64(), false),
      col::Field("ts", col::Timestamp()),
      col::Field("n", col::Int32()),
      col::Field("kind", col::String()),
      col::Field("amount", col::Float64()),
      col::Field("flag", col::Boolean()),
  });
}

Result<col::RecordBatchPtr> Batch(int64_t rows) {
  SILT_ASSIGN_OR_RETURN(auto b, col::RecordBatchBuilder::Make(Schema()));
  for (int64_t i = 0; i < rows; ++i) {
    SILT_RETURN_NOT_OK(b->GetFieldAs<col::Int64Builder>(0)->Append(i));
    SILT_RETURN_NOT_OK(b->GetFieldAs<col::TimestampBuilder>(1)->Append(1700000000000000 + i));
    if (i % 4 == 0) {
      SILT_RETURN_NOT_OK(b->GetFieldAs<col::Int32Builder>(2)->AppendNull());
    } else {
      SILT_RETURN_NOT_OK(b->GetFieldAs<col::Int32Builder>(2)->Append(static_cast<int32_t>(i * 7)));
    }
    SILT_RETURN_NOT_OK(b->GetFieldAs<col::StringBuilder>(3)->Append("k" + std::to_string(i % 5)));
    SILT_RETURN_NOT_OK(b->GetFieldAs<col::Float64Builder>(4)->Append(i * 0.25));
    SILT_RETURN_NOT_OK(b->GetFieldAs<col::BooleanBuilder>(5)->Append(i % 2 == 0));
  }
  return b->Flush();
}

Status Write(silt::fs::FileSystem& fs, const std::string& path,
             silt::parquet::WriterOptions options, int64_t rows) {
  options.sync_on_close = false;
  SILT_ASSIGN_OR_RETURN(auto w, silt::parquet::FileWriter::Open(fs, path, Schema(), options));
  SILT_ASSIGN_OR_RETURN(auto batch, Batch(rows));
  SILT_RETURN_NOT_OK(w->WriteBatch(*batch));
  return w->Close().status();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <dir>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  silt::fs::LocalFileSystem fs;
  using silt::parquet::CompressionCodec;
  struct Seed {
    const char* name;
    CompressionCodec codec;
    bool dictionary;
    int64_t rows;
    int64_t page_size;
  };
  const Seed seeds[] = {
      {"plain-none", CompressionCodec::kUncompressed, false, 20, 1 << 20},
      {"dict-none", CompressionCodec::kUncompressed, true, 40, 1 << 20},
      {"dict-snappy", CompressionCodec::kSnappy, true, 60, 128},
      {"plain-zstd", CompressionCodec::kZstd, false, 30, 1 << 20},
      {"dict-gzip", CompressionCodec::kGzip, true, 25, 1 << 20},
      {"dict-lz4", CompressionCodec::kLz4Raw, true, 25, 64},
  };
  for (const Seed& s : seeds) {
    silt::parquet::WriterOptions options;
    options.codec = s.codec;
    options.dictionary_enabled = s.dictionary;
    options.data_page_size = s.page_size;
    options.max_row_group_rows = 16;
    options.write_page_index = s.rows % 20 == 0;
    Status st = Write(fs, dir + "/" + s.name + ".parquet", options, s.rows);
    if (!st.ok()) {
      std::fprintf(stderr, "%s: %s\n", s.name, st.ToString().c_str());
      return 1;
    }
  }
  return 0;
}
