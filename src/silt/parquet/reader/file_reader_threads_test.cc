// ReadOptions::threads: batches and errors with N threads are those of the calling thread alone
// (flat, nested, maps, lists, nulls, several row groups, projections, small batches, corrupt
// chunks, failing reads), and a reader's worker threads end with it.
#include <dirent.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "silt/columnar/builder.h"
#include "silt/columnar/from_json.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/parquet/file_metadata.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/reader/threads_testing.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/status_matchers.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;
using col::Field;

constexpr int kThreadCounts[] = {2, 3, 8};

col::SchemaPtr NestedSchema() {
  return col::Schema::Make({
      Field("id", col::Int64(), false),
      Field("s", col::String()),
      Field("d", col::Float64()),
      Field("st", col::Struct({Field("a", col::Int32()), Field("b", col::List(col::String())),
                               Field("c", col::String())})),
      Field("m", col::Map(col::String(), col::Struct({Field("x", col::Float64())}))),
      Field("ll", col::List(col::List(col::Int32()))),
      Field("lm", col::List(col::Map(col::Int32(), col::String()))),
      Field("flag", col::Boolean()),
  });
}

std::string NestedRow(int64_t i) {
  auto maybe = [&](int every, const std::string& v) {
    return i % every == 0 ? std::string("null") : v;
  };
  std::string r = "{";
  r += fmt::format("\"id\":{},", i);
  r += fmt::format("\"s\":{},", maybe(4, fmt::format("\"{}\"", std::string(i % 37, 'a' + i % 26))));
  r += fmt::format("\"d\":{},", maybe(5, std::to_string(i * 0.5)));
  r += fmt::format("\"st\":{},",
                   maybe(3, fmt::format("{{\"a\":{},\"b\":{},\"c\":{}}}", maybe(7, std::to_string(i)),
                                        i % 4 == 1   ? "null"
                                        : i % 4 == 2 ? "[]"
                                                     : fmt::format("[\"x{}\",null,\"y\"]", i),
                                        maybe(2, fmt::format("\"c{}\"", i)))));
  r += fmt::format(
      "\"m\":{},",
      maybe(6, i % 3 == 0 ? "{}" : fmt::format("{{\"k{}\":{{\"x\":{}}},\"z\":null}}", i, i * 0.5)));
  r += fmt::format("\"ll\":{},",
                   maybe(7, i % 3 == 0 ? "[[],null,[1,null,3]]" : fmt::format("[[{}]]", i)));
  r += fmt::format("\"lm\":{},",
                   maybe(8, fmt::format("[{{\"{}\":\"v\",\"2000000\":null}},null,{{}}]", i)));
  r += fmt::format("\"flag\":{}", maybe(9, i % 2 ? "true" : "false"));
  r += "}";
  return r;
}

col::RecordBatchPtr Rows(const col::SchemaPtr& schema, int64_t n,
                         std::string (*row)(int64_t)) {
  std::string json = "[";
  for (int64_t i = 0; i < n; ++i) {
    if (i > 0) json += ",";
    json += row(i);
  }
  json += "]";
  return col::RecordBatchFromJson(schema, json).ValueOrDie();
}

void Write(fs::MemoryFileSystem& fs, const std::string& path, const col::RecordBatch& batch,
           int64_t row_group_rows, int64_t page_size,
           CompressionCodec codec = CompressionCodec::kSnappy) {
  WriterOptions wo;
  wo.codec = codec;
  wo.max_row_group_rows = row_group_rows;
  wo.data_page_size = page_size;
  auto w = FileWriter::Open(fs, path, batch.schema(), wo).ValueOrDie();
  ASSERT_OK(w->WriteBatch(batch));
  ASSERT_OK(w->Close());
}

using testing::Outcome;
using testing::ReadAll;

void ExpectSame(const Outcome& want, const Outcome& got, int threads) {
  testing::ExpectSame(want, got, std::to_string(threads) + " threads");
}

// Reads with 1 thread and with each of kThreadCounts; returns the 1-thread outcome.
Outcome ExpectSameWithThreads(fs::FileSystem& fs, const std::string& path,
                              const ReadOptions& options) {
  Outcome want = ReadAll(fs, path, options, 1);
  for (int threads : kThreadCounts) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    ExpectSame(want, ReadAll(fs, path, options, threads), threads);
  }
  return want;
}

int64_t TotalRows(const Outcome& o) {
  int64_t n = 0;
  for (const auto& b : o.batches) n += b->num_rows();
  return n;
}

class ThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = Rows(NestedSchema(), kRows, NestedRow);
    ASSERT_OK(data_->Validate());
    // Several row groups (the last one short), several pages per chunk.
    Write(fs_, "nested.parquet", *data_, 700, 512);
    Write(fs_, "one_group.parquet", *data_, 1 << 20, 1 << 20, CompressionCodec::kZstd);
  }
  static constexpr int64_t kRows = 2000;
  fs::MemoryFileSystem fs_;
  col::RecordBatchPtr data_;
};

TEST_F(ThreadsTest, WholeFileAnyBatchSize) {
  for (const char* file : {"nested.parquet", "one_group.parquet"}) {
    for (int64_t batch_size : {int64_t{1} << 16, int64_t{700}, int64_t{256}, int64_t{7}}) {
      SCOPED_TRACE(fmt::format("{}, batch size {}", file, batch_size));
      ReadOptions options;
      options.batch_size = batch_size;
      Outcome want = ExpectSameWithThreads(fs_, file, options);
      ASSERT_OK(want.error);
      EXPECT_EQ(TotalRows(want), kRows);
      // And they are the data written.
      int64_t offset = 0;
      for (const auto& b : want.batches) {
        EXPECT_TRUE(b->Equals(*data_->Slice(offset, b->num_rows()))) << "at row " << offset;
        offset += b->num_rows();
      }
    }
  }
}

TEST_F(ThreadsTest, Projections) {
  std::vector<std::vector<ColumnSelection>> projections = {
      ReadOptions::Names({"m", "id"}),
      ReadOptions::Names({"s"}),  // one leaf: no worker is needed
      ReadOptions::Names({"lm", "ll", "flag", "d"}),
      // The same column twice, and overlapping parts of one struct: assembled in output order
      // by one task.
      ReadOptions::Names({"s", "st", "s"}),
      {{"st", std::nullopt, nullptr, {{"a"}}},
       {"st", std::nullopt, nullptr, {{"b"}}},
       {"st", std::nullopt, nullptr, {}},
       {"st", std::nullopt, nullptr, {{"c"}, {"a"}}}},
      // Absent columns are all null.
      {{"absent", std::nullopt, col::List(col::Int32()), {}},
       {"id", std::nullopt, nullptr, {}},
       {"absent2", std::nullopt, col::String(), {}}},
      // No column at all.
      {},
  };
  for (size_t p = 0; p < projections.size(); ++p) {
    SCOPED_TRACE(fmt::format("projection {}", p));
    ReadOptions options;
    options.columns = projections[p];
    options.batch_size = 300;
    Outcome want = ExpectSameWithThreads(fs_, "nested.parquet", options);
    ASSERT_OK(want.error);
    EXPECT_EQ(TotalRows(want), kRows);
  }
}

TEST_F(ThreadsTest, SameLeavesInSeveralOutputs) {
  ReadOptions options;
  options.columns = std::vector<ColumnSelection>{{"s", std::nullopt, nullptr, {}},
                                                 {"st", std::nullopt, nullptr, {{"a"}}},
                                                 {"st", std::nullopt, nullptr, {}},
                                                 {"s", std::nullopt, nullptr, {}},
                                                 {"st", std::nullopt, nullptr, {{"b"}, {"a"}}}};
  options.batch_size = 900;
  for (int threads : {1, 3}) {
    Outcome got = ReadAll(fs_, "nested.parquet", options, threads);
    ASSERT_OK(got.error);
    int64_t offset = 0;
    for (const auto& b : got.batches) {
      auto want = data_->Slice(offset, b->num_rows());
      EXPECT_TRUE(b->column(0)->Equals(*want->GetColumnByName("s")));
      EXPECT_TRUE(b->column(2)->Equals(*want->GetColumnByName("st")));
      EXPECT_TRUE(b->column(3)->Equals(*want->GetColumnByName("s")));
      // The pruned structs hold the same children as the whole one.
      const auto& st = static_cast<const col::StructArray&>(*b->column(2));
      const auto& st_a = static_cast<const col::StructArray&>(*b->column(1));
      ASSERT_EQ(st_a.num_fields(), 1);
      EXPECT_EQ(st_a.null_count(), st.null_count());
      EXPECT_TRUE(st_a.field(0)->Equals(*st.field(0))) << threads << " threads, row " << offset;
      const auto& st_ab = static_cast<const col::StructArray&>(*b->column(4));
      ASSERT_EQ(st_ab.num_fields(), 2);
      EXPECT_TRUE(st_ab.field(0)->Equals(*st.field(0)));
      EXPECT_TRUE(st_ab.field(1)->Equals(*st.field(1)));
      offset += b->num_rows();
    }
    EXPECT_EQ(offset, kRows);
  }
}

TEST_F(ThreadsTest, ChosenAndSkippedRowGroups) {
  ReadOptions options;
  options.row_groups = std::vector<int>{2, 0};
  options.batch_size = 500;
  Outcome want = ExpectSameWithThreads(fs_, "nested.parquet", options);
  ASSERT_OK(want.error);
  EXPECT_EQ(TotalRows(want), 600 + 700);
}

// A checkpoint-like shape: one struct holding the large leaves, a mostly null sibling.
std::string ActionRow(int64_t i) {
  if (i % 10 == 9) {
    return fmt::format(R"({{"add":null,"remove":{{"path":"gone-{}","deletionTimestamp":{}}}}})",
                       i, i);
  }
  return fmt::format(
      R"({{"add":{{"path":"part-{:05}-{}.parquet","partitionValues":{{"date":"2024-01-{:02}"}},"size":{},"stats":"{{\"numRecords\":{},\"minValues\":{{\"id\":{}}},\"maxValues\":{{\"id\":{}}}}}"}},"remove":null}})",
      i, std::string(i % 40, 'f'), i % 28 + 1, i * 1000, i, i, i + 999);
}

TEST(ThreadsShapesTest, CheckpointLikeActions) {
  auto schema = col::Schema::Make(
      {Field("add", col::Struct({Field("path", col::String()),
                                 Field("partitionValues", col::Map(col::String(), col::String())),
                                 Field("size", col::Int64()), Field("stats", col::String())})),
       Field("remove", col::Struct({Field("path", col::String()),
                                    Field("deletionTimestamp", col::Int64())}))});
  auto data = Rows(schema, 3000, ActionRow);
  fs::MemoryFileSystem fs;
  Write(fs, "cp.parquet", *data, 1 << 20, 4096);
  ReadOptions options;
  options.columns = std::vector<ColumnSelection>{
      {"add", std::nullopt, nullptr, {{"path"}, {"partitionValues"}, {"size"}, {"stats"}}},
      {"remove", std::nullopt, nullptr, {{"path"}}}};
  options.batch_size = 1024;
  Outcome want = ExpectSameWithThreads(fs, "cp.parquet", options);
  ASSERT_OK(want.error);
  EXPECT_EQ(TotalRows(want), 3000);
}

// Flips a byte in the middle of the data page at `page` bytes past the first data page of
// column chunk `leaf` of row group `row_group` (uncompressed, so the page CRC catches it).
void Garble(std::string* bytes, int row_group, int leaf, int64_t past_first_page) {
  FileMetaData md = ParseFileMetaData(*bytes).ValueOrDie();
  const auto& meta = *md.row_groups[static_cast<size_t>(row_group)]
                          .columns[static_cast<size_t>(leaf)]
                          .meta_data;
  const int64_t at = meta.data_page_offset + past_first_page;
  ASSERT_LT(at, meta.data_page_offset + meta.total_compressed_size);
  (*bytes)[static_cast<size_t>(at)] ^= 0x10;
}

TEST_F(ThreadsTest, CorruptChunksGiveTheSameErrorAtTheSameBatch) {
  fs::MemoryFileSystem fs;
  Write(fs, "plain.parquet", *data_, 700, 512, CompressionCodec::kUncompressed);
  const std::string clean = fs.ReadFile("plain.parquet").ValueOrDie();
  ReadOptions options;
  options.page_options.verify_crc = true;
  options.batch_size = 200;
  struct Damage {
    int row_group;
    int leaf;
    int64_t at;
  };
  // Leaves: 0 id, 1 s, 2 d, 3 st.a, 4 st.b.list.element, 5 st.c, 6.. m, ll, lm, flag.
  const std::vector<std::vector<Damage>> cases = {
      {{0, 0, 40}},
      {{1, 4, 30}},
      // Two damaged chunks: the earlier leaf's error is returned, though the later (and larger)
      // chunk is decoded first with threads.
      {{1, 2, 40}, {1, 1, 30}},
      {{1, 1, 30}, {1, 6, 30}},
      // Damage deep in a chunk: the batches before it are returned first.
      {{2, 0, 2000}},
  };
  for (size_t c = 0; c < cases.size(); ++c) {
    SCOPED_TRACE(fmt::format("case {}", c));
    std::string bytes = clean;
    for (const Damage& d : cases[c]) Garble(&bytes, d.row_group, d.leaf, d.at);
    ASSERT_OK(fs.Put("bad.parquet", bytes));
    Outcome want = ExpectSameWithThreads(fs, "bad.parquet", options);
    EXPECT_EQ(want.error.code(), StatusCode::kCorruption) << want.error;
    EXPECT_LT(TotalRows(want), kRows);
  }
}

TEST_F(ThreadsTest, InvalidStringsFailValidationInOutputOrder) {
  // Two string columns with invalid UTF-8 from row 150 on: the first output's error wins.
  col::StringBuilder a;
  col::StringBuilder b;
  for (int i = 0; i < 400; ++i) {
    ASSERT_OK(a.Append(i >= 150 ? std::string("a\xff") : fmt::format("a{}", i)));
    ASSERT_OK(b.Append(i >= 150 ? std::string("b\xfe") : fmt::format("b{}", i)));
  }
  auto schema = col::Schema::Make({Field("x", col::String()), Field("y", col::String())});
  auto batch =
      col::RecordBatch::Make(schema, 400, {a.Finish().ValueOrDie(), b.Finish().ValueOrDie()})
          .ValueOrDie();
  fs::MemoryFileSystem fs;
  Write(fs, "utf8.parquet", *batch, 1 << 20, 1 << 20);
  for (const auto& names : {std::vector<std::string>{"x", "y"}, {"y", "x"}}) {
    ReadOptions options;
    options.columns = ReadOptions::Names(names);
    options.batch_size = 100;
    Outcome want = ExpectSameWithThreads(fs, "utf8.parquet", options);
    EXPECT_EQ(want.error.code(), StatusCode::kCorruption) << want.error;
    EXPECT_NE(want.error.message().find(fmt::format("column '{}'", names[0])), std::string::npos)
        << want.error;
    EXPECT_EQ(TotalRows(want), 100);
  }
}

TEST_F(ThreadsTest, FailedReadsGiveTheSameError) {
  // With threads the chunks of a row group are read at once, so the n-th read may be another
  // chunk of the same row group: the error is the same (it names the file, not the chunk), and
  // comes at the same batch.
  // The footer takes reads of its own: count from the first column chunk.
  fs::FaultInjectionFileSystem probe(fs_);
  ASSERT_OK_AND_ASSIGN(auto probe_reader, FileReader::Open(probe, "nested.parquet"));
  const int64_t footer_reads = probe.call_count(fs::FsOp::kReadAt);
  const auto chunks = static_cast<int64_t>(probe_reader->metadata().row_groups[0].columns.size());
  ASSERT_EQ(chunks, 12);
  for (int64_t nth : {1, 3, 12, 13, 30}) {
    SCOPED_TRACE(fmt::format("read {}", nth));
    Outcome want;
    for (int threads : {1, 2, 3, 8}) {
      fs::FaultInjectionFileSystem faulty(fs_);
      faulty.FailNthCall(fs::FsOp::kReadAt, footer_reads + nth, Status::IOError("disk on fire"));
      ReadOptions options;
      options.batch_size = 500;
      Outcome got = ReadAll(faulty, "nested.parquet", options, threads);
      if (threads == 1) {
        want = std::move(got);
        EXPECT_EQ(want.error.code(), StatusCode::kIOError) << want.error;
        EXPECT_NE(want.error.message().find("disk on fire"), std::string::npos) << want.error;
        // Row groups of 700 rows: those before the failed read are returned.
        EXPECT_EQ(TotalRows(want), (nth - 1) / chunks * 700) << want.error;
      } else {
        ExpectSame(want, got, threads);
      }
    }
  }
}

TEST_F(ThreadsTest, ThreadsOutOfRange) {
  for (int threads : {0, -1, 257}) {
    ReadOptions options;
    options.threads = threads;
    EXPECT_STATUS_CODE(kInvalidArgument, FileReader::Open(fs_, "nested.parquet", options));
  }
}

// Threads of this process (Linux).
int ThreadCount() {
  int n = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  while (dirent* e = readdir(dir)) n += e->d_name[0] != '.';
  closedir(dir);
  return n;
}

// Waits (a little) for the thread count to come back to `want`; joined threads may linger in
// /proc for a moment after the join returns.
int ThreadCountSettled(int want) {
  int n = ThreadCount();
  for (int i = 0; i < 200 && n != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    n = ThreadCount();
  }
  return n;
}

TEST_F(ThreadsTest, WorkersStartAtTheFirstBatchAndEndWithTheReader) {
  const int before = ThreadCount();
  ASSERT_GT(before, 0);
  {
    ReadOptions options;
    options.batch_size = 100;
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs_, "nested.parquet", options));
    ASSERT_OK_AND_ASSIGN(auto batch, reader->Next());
    ASSERT_TRUE(batch.has_value());
    EXPECT_EQ(ThreadCount(), before);  // one thread: none started
  }
  {
    ReadOptions options;
    options.batch_size = 100;
    options.threads = 4;
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs_, "nested.parquet", options));
    EXPECT_EQ(ThreadCount(), before);  // lazily, at the first batch
    ASSERT_OK_AND_ASSIGN(auto batch, reader->Next());
    ASSERT_TRUE(batch.has_value());
    EXPECT_EQ(ThreadCount(), before + 3);
    ASSERT_OK_AND_ASSIGN(batch, reader->Next());
    ASSERT_TRUE(batch.has_value());
    // Destroyed mid-file, mid-row-group.
  }
  EXPECT_EQ(ThreadCountSettled(before), before);
  {
    // No more workers than leaf columns to share out.
    ReadOptions options;
    options.columns = ReadOptions::Names({"id", "s"});
    options.threads = 8;
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs_, "nested.parquet", options));
    ASSERT_OK_AND_ASSIGN(auto batch, reader->Next());
    ASSERT_TRUE(batch.has_value());
    EXPECT_EQ(ThreadCount(), before + 1);
  }
  EXPECT_EQ(ThreadCountSettled(before), before);
  {
    // Many readers opened and dropped at once, some before any batch.
    std::vector<std::unique_ptr<FileReader>> readers;
    for (int i = 0; i < 6; ++i) {
      ReadOptions options;
      options.threads = 3;
      options.batch_size = 50;
      ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs_, "nested.parquet", options));
      if (i % 2 == 0) ASSERT_OK(reader->Next().status());
      readers.push_back(std::move(reader));
    }
    EXPECT_EQ(ThreadCount(), before + 3 * 2);
  }
  EXPECT_EQ(ThreadCountSettled(before), before);
}

}  // namespace
}  // namespace silt::parquet
