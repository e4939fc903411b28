#include "silt/stream/checkpoint/checkpoint.h"

#include <gtest/gtest.h>

#include "silt/base/uuid.h"
#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::stream {
namespace {

OffsetEntry SampleEntry() {
  OffsetEntry entry;
  entry.metadata.batch_watermark_ms = 12;
  entry.metadata.batch_timestamp_ms = 1700000000123;
  entry.metadata.conf = {{"silt.minBatchesToRetain", "100"}, {"k", "v \"quoted\""}};
  entry.offsets = {std::string(R"({"value":10,"timeMs":5})"), std::nullopt};
  return entry;
}

TEST(CheckpointFormat, OffsetEntryRoundTrip) {
  OffsetEntry entry = SampleEntry();
  std::string text = SerializeOffsetEntry(entry);
  EXPECT_EQ(text.substr(0, 3), "v1\n");
  EXPECT_NE(text.find("\n-"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(OffsetEntry back, ParseOffsetEntry(text, "offsets/0"));
  EXPECT_EQ(back.metadata.batch_watermark_ms, 12);
  EXPECT_EQ(back.metadata.batch_timestamp_ms, 1700000000123);
  EXPECT_EQ(back.metadata.conf, entry.metadata.conf);
  EXPECT_EQ(back.offsets, entry.offsets);
  // A trailing newline (a hand-edited file) reads the same.
  ASSERT_OK_AND_ASSIGN(OffsetEntry again, ParseOffsetEntry(text + "\n", "offsets/0"));
  EXPECT_EQ(again.offsets, entry.offsets);
}

TEST(CheckpointFormat, CommitEntryRoundTrip) {
  std::string text = SerializeCommitEntry(CommitEntry{42});
  EXPECT_EQ(text, "v1\n{\"nextBatchWatermarkMs\":42}");
  ASSERT_OK_AND_ASSIGN(CommitEntry back, ParseCommitEntry(text, "commits/0"));
  EXPECT_EQ(back.next_batch_watermark_ms, 42);
}

TEST(CheckpointFormat, MetadataRoundTrip) {
  QueryMetadata metadata{NewUuid(), {{"RateSource[a]", "Other"}, "MemorySink[x]"}};
  ASSERT_OK_AND_ASSIGN(QueryMetadata back,
                       ParseQueryMetadata(SerializeQueryMetadata(metadata), "metadata"));
  EXPECT_EQ(back.id, metadata.id);
  EXPECT_EQ(back.shape.sources, metadata.shape.sources);
  EXPECT_EQ(back.shape.sink, metadata.shape.sink);
  // Spark's metadata file has only the id: it reads with an empty shape.
  ASSERT_OK_AND_ASSIGN(QueryMetadata spark, ParseQueryMetadata(R"({"id":"abc"})", "metadata"));
  EXPECT_EQ(spark.id, "abc");
  EXPECT_TRUE(spark.shape.sources.empty());
}

TEST(CheckpointFormat, CorruptEntriesNameTheFile) {
  const std::string good = SerializeOffsetEntry(SampleEntry());
  struct Case {
    std::string text;
    StatusCode code;
  };
  std::vector<Case> cases = {
      {"", StatusCode::kCorruption},
      {"v1", StatusCode::kCorruption},                          // truncated after the version
      {"v1\n{\"batchWatermarkMs\":", StatusCode::kCorruption},  // truncated metadata
      {"x1\n{}", StatusCode::kCorruption},
      {"v9\n{}", StatusCode::kUnsupported},
      {"v1\n{\"batchWatermarkMs\":\"a\"}", StatusCode::kCorruption},
      {"v1\n{}\n{\"value\":", StatusCode::kCorruption},  // truncated offset
      {good.substr(0, good.size() - 3), StatusCode::kCorruption},
  };
  for (const Case& c : cases) {
    auto parsed = ParseOffsetEntry(c.text, "ck/offsets/7");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), c.code) << c.text << " -> " << parsed.status();
    EXPECT_NE(parsed.status().message().find("ck/offsets/7"), std::string::npos) << parsed.status();
  }
  for (std::string text : {"", "v1", "v1\n{", "v1\n{}\nextra", "v1\n[]"}) {
    auto parsed = ParseCommitEntry(text, "ck/commits/3");
    ASSERT_STATUS_CODE(kCorruption, parsed);
    EXPECT_NE(parsed.status().message().find("ck/commits/3"), std::string::npos);
  }
  auto metadata = ParseQueryMetadata("{\"sources\":[]}", "ck/metadata");
  ASSERT_STATUS_CODE(kCorruption, metadata);
  EXPECT_NE(metadata.status().message().find("ck/metadata"), std::string::npos);
}

TEST(StreamCheckpoint, WritesAndReadsEntries) {
  fs::MemoryFileSystem fs;
  StreamCheckpoint checkpoint(fs, "/ck");
  ASSERT_OK_AND_ASSIGN(auto latest, checkpoint.LatestOffsetsBatchId());
  EXPECT_FALSE(latest.has_value());
  for (int64_t id = 0; id < 12; ++id) {
    OffsetEntry entry = SampleEntry();
    entry.offsets[0] = std::to_string(id);
    ASSERT_OK(checkpoint.WriteOffsets(id, entry));
    if (id < 11) ASSERT_OK(checkpoint.WriteCommit(id, CommitEntry{id}));
  }
  // A temporary file in the folder is not a batch.
  ASSERT_OK(fs.Put("/ck/offsets/.12.tmp", "junk"));
  ASSERT_OK_AND_ASSIGN(latest, checkpoint.LatestOffsetsBatchId());
  EXPECT_EQ(latest, 11);
  ASSERT_OK_AND_ASSIGN(auto latest_commit, checkpoint.LatestCommitBatchId());
  EXPECT_EQ(latest_commit, 10);
  ASSERT_OK_AND_ASSIGN(OffsetEntry e, checkpoint.ReadOffsets(11));
  EXPECT_EQ(e.offsets[0], "11");
  ASSERT_OK_AND_ASSIGN(CommitEntry c, checkpoint.ReadCommit(10));
  EXPECT_EQ(c.next_batch_watermark_ms, 10);
  ASSERT_STATUS_CODE(kNotFound, checkpoint.ReadCommit(11));
  // The exact bytes of the format (docs/streaming.md).
  ASSERT_OK_AND_ASSIGN(std::string raw, fs.ReadFile("/ck/commits/3"));
  EXPECT_EQ(raw, "v1\n{\"nextBatchWatermarkMs\":3}");
}

TEST(StreamCheckpoint, SecondWriterOfABatchGetsConflict) {
  fs::MemoryFileSystem fs;
  StreamCheckpoint a(fs, "/ck");
  StreamCheckpoint b(fs, "/ck");
  ASSERT_OK(a.WriteOffsets(0, SampleEntry()));
  Status st = b.WriteOffsets(0, SampleEntry());
  ASSERT_STATUS_CODE(kConflict, st);
  EXPECT_NE(st.message().find("another query is using this checkpoint"), std::string::npos);
  ASSERT_OK(a.WriteCommit(0, CommitEntry{}));
  ASSERT_STATUS_CODE(kConflict, b.WriteCommit(0, CommitEntry{}));
}

TEST(StreamCheckpoint, CorruptFileOnDiskNamesTheFile) {
  testing::TempDir dir;
  fs::LocalFileSystem fs;
  StreamCheckpoint checkpoint(fs, dir.path());
  ASSERT_OK(checkpoint.WriteOffsets(0, SampleEntry()));
  std::string text = fs.ReadFile(checkpoint.offsets_path(0)).value();
  ASSERT_OK(fs.Put(checkpoint.offsets_path(0), text.substr(0, 10)));
  auto read = checkpoint.ReadOffsets(0);
  ASSERT_STATUS_CODE(kCorruption, read);
  EXPECT_NE(read.status().message().find(checkpoint.offsets_path(0)), std::string::npos)
      << read.status();
}

TEST(StreamCheckpoint, MetadataWrittenOnceAndShapeChecked) {
  fs::MemoryFileSystem fs;
  QueryShape shape{{"RateSource[clicks]"}, "ConsoleSink"};
  std::string id;
  {
    StreamCheckpoint checkpoint(fs, "/ck");
    ASSERT_OK_AND_ASSIGN(QueryMetadata created, checkpoint.LoadOrCreateMetadata(shape));
    EXPECT_TRUE(IsUuid(created.id));
    id = created.id;
  }
  StreamCheckpoint checkpoint(fs, "/ck");
  ASSERT_OK_AND_ASSIGN(QueryMetadata loaded, checkpoint.LoadOrCreateMetadata(shape));
  EXPECT_EQ(loaded.id, id);

  QueryShape other_sink = shape;
  other_sink.sink = "MemorySink[m]";
  auto st = checkpoint.LoadOrCreateMetadata(other_sink);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.status().message().find("sink is ConsoleSink"), std::string::npos) << st.status();
  EXPECT_NE(st.status().message().find("MemorySink[m]"), std::string::npos);

  QueryShape other_source = shape;
  other_source.sources[0] = "DeltaSource[/t]";
  st = checkpoint.LoadOrCreateMetadata(other_source);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.status().message().find("source 0 is RateSource[clicks]"), std::string::npos)
      << st.status();

  QueryShape two_sources = shape;
  two_sources.sources.push_back("X");
  st = checkpoint.LoadOrCreateMetadata(two_sources);
  ASSERT_STATUS_CODE(kInvalidArgument, st);
  EXPECT_NE(st.status().message().find("1 source(s), this query has 2"), std::string::npos)
      << st.status();
  // The stored metadata is untouched by the refused starts.
  ASSERT_OK_AND_ASSIGN(QueryMetadata again, checkpoint.LoadOrCreateMetadata(shape));
  EXPECT_EQ(again.id, id);
}

TEST(StreamCheckpoint, PurgeKeepsTheNewestBatches) {
  fs::MemoryFileSystem fs;
  StreamCheckpoint checkpoint(fs, "/ck");
  for (int64_t id = 0; id < 10; ++id) {
    ASSERT_OK(checkpoint.WriteOffsets(id, SampleEntry()));
    ASSERT_OK(checkpoint.WriteCommit(id, CommitEntry{}));
  }
  ASSERT_OK(checkpoint.Purge(9, 3));
  for (const char* dir : {"/ck/offsets", "/ck/commits"}) {
    ASSERT_OK_AND_ASSIGN(auto entries, fs.List(dir));
    std::vector<std::string> names;
    for (const auto& e : entries) names.emplace_back(fs::BaseName(e.path));
    EXPECT_EQ(names, (std::vector<std::string>{"7", "8", "9"})) << dir;
  }
  ASSERT_STATUS_CODE(kInvalidArgument, checkpoint.Purge(9, 0));
  // Nothing to purge: no error, nothing removed.
  ASSERT_OK(checkpoint.Purge(9, 100));
  ASSERT_OK_AND_ASSIGN(auto latest, checkpoint.LatestOffsetsBatchId());
  EXPECT_EQ(latest, 9);
}

}  // namespace
}  // namespace silt::stream
