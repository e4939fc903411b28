// Rate and memory sources, console / foreach-batch / JSON-files sinks, trigger parsing.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/fs/memory_file_system.h"
#include "silt/stream/engine/streaming_query.h"
#include "silt/stream/engine/trigger.h"
#include "silt/stream/sink/basic_sinks.h"
#include "silt/stream/source/memory_source.h"
#include "silt/stream/source/rate_source.h"
#include "stream/stream_test_util.h"
#include "testing/status_matchers.h"

namespace silt::stream {
namespace {

using testing::IdBatch;
using testing::IdSchema;
using testing::Int64Values;

std::string AllJsonLines(BatchReader& reader) {
  std::string out;
  auto batches = ReadAllBatches(reader);
  EXPECT_TRUE(batches.ok()) << batches.status();
  if (!batches.ok()) return out;
  for (const auto& batch : *batches) out += columnar::RecordBatchToJsonLines(*batch);
  return out;
}

TEST(TriggerTest, Parse) {
  ASSERT_OK_AND_ASSIGN(Trigger t, Trigger::Parse("available-now"));
  EXPECT_EQ(t.kind, Trigger::Kind::kAvailableNow);
  ASSERT_OK_AND_ASSIGN(t, Trigger::Parse("once"));
  EXPECT_EQ(t.kind, Trigger::Kind::kOnce);
  ASSERT_OK_AND_ASSIGN(t, Trigger::Parse("interval:10s"));
  EXPECT_EQ(t.kind, Trigger::Kind::kProcessingTime);
  EXPECT_EQ(t.interval_ms, 10000);
  ASSERT_OK_AND_ASSIGN(t, Trigger::Parse("interval:0"));
  EXPECT_EQ(t.interval_ms, 0);
  ASSERT_OK_AND_ASSIGN(t, Trigger::Parse("continuous:250ms"));
  EXPECT_EQ(t.kind, Trigger::Kind::kContinuous);
  EXPECT_EQ(t.interval_ms, 250);
  ASSERT_OK_AND_ASSIGN(t, Trigger::Parse("continuous"));
  EXPECT_EQ(t.interval_ms, 1000);
  EXPECT_EQ(ParseDurationMs("2m").value(), 120000);
  for (const char* bad :
       {"", "sometimes", "interval:", "interval:-1s", "interval:5x", "continuous:ms"}) {
    SCOPED_TRACE(bad);
    EXPECT_STATUS_CODE(kInvalidArgument, Trigger::Parse(bad));
  }
}

TEST(RateSourceTest, OptionsFromMap) {
  ASSERT_OK_AND_ASSIGN(RateSourceOptions o, RateSourceOptions::FromMap({{"rowsPerSecond", "50"},
                                                                        {"rampUpTime", "2m"},
                                                                        {"numPartitions", "4"},
                                                                        {"schema", "clicks"}}));
  EXPECT_EQ(o.rows_per_second, 50);
  EXPECT_EQ(o.ramp_up_time_seconds, 120);
  EXPECT_EQ(o.schema, RateSchema::kClicks);
  auto unknown = RateSourceOptions::FromMap({{"rowsPerSec", "5"}});
  ASSERT_STATUS_CODE(kInvalidArgument, unknown);
  EXPECT_NE(unknown.status().message().find("rowsPerSec"), std::string::npos);
  EXPECT_STATUS_CODE(kInvalidArgument, RateSourceOptions::FromMap({{"rowsPerSecond", "0"}}));
  EXPECT_STATUS_CODE(kInvalidArgument, RateSourceOptions::FromMap({{"rowsPerSecond", "ten"}}));
  EXPECT_STATUS_CODE(kInvalidArgument, RateSourceOptions::FromMap({{"schema", "wide"}}));
}

TEST(RateSourceTest, RowsFollowTheClockAndAreDeterministic) {
  fs::MemoryFileSystem fs;
  int64_t now = 1'700'000'000'000;
  RateSourceOptions options;
  options.rows_per_second = 100;
  options.clock = [&] { return now; };
  options.max_rows_per_record_batch = 7;
  RateSource source(options);
  ASSERT_OK(source.Open(SourceContext{&fs, "/ck/sources/0", "q", "r"}));
  ASSERT_OK_AND_ASSIGN(auto none, source.NextBatchEnd(std::nullopt));
  EXPECT_FALSE(none.has_value());
  now += 250;  // 25 rows
  ASSERT_OK_AND_ASSIGN(auto end, source.NextBatchEnd(std::nullopt));
  ASSERT_TRUE(end.has_value());
  ASSERT_OK_AND_ASSIGN(RateSource::Position p, RateSource::ParseOffset(*end));
  EXPECT_EQ(p.value, 25);
  EXPECT_EQ(p.time_ms, now);
  ASSERT_OK_AND_ASSIGN(auto reader, source.ReadBatch(std::nullopt, *end));
  ASSERT_OK_AND_ASSIGN(auto batches, ReadAllBatches(*reader));
  ASSERT_EQ(batches.size(), 4u);  // 7 + 7 + 7 + 4
  std::vector<int64_t> values = Int64Values(batches, 1);
  ASSERT_EQ(values.size(), 25u);
  for (int64_t i = 0; i < 25; ++i) EXPECT_EQ(values[i], i);
  // The last row of the batch is at the end offset's time; timestamps never decrease.
  std::vector<int64_t> ts = Int64Values(batches, 0);
  EXPECT_EQ(ts.back(), now * 1000);
  EXPECT_TRUE(std::is_sorted(ts.begin(), ts.end()));
  EXPECT_GT(ts.front(), (now - 250) * 1000);

  // A restarted source (later, other rate) reads the same rows for the same offsets.
  now += 10'000;
  RateSourceOptions other = options;
  other.rows_per_second = 7;
  RateSource restarted(other);
  ASSERT_OK(restarted.Open(SourceContext{&fs, "/ck/sources/0", "q", "r2"}));
  ASSERT_OK_AND_ASSIGN(auto again, restarted.ReadBatch(std::nullopt, *end));
  ASSERT_OK_AND_ASSIGN(auto first, source.ReadBatch(std::nullopt, *end));
  EXPECT_EQ(AllJsonLines(*again), AllJsonLines(*first));
  EXPECT_EQ(restarted.description(), source.description());
}

TEST(RateSourceTest, RampUpStartsSlow) {
  int64_t now = 1'000'000;
  RateSourceOptions options;
  options.rows_per_second = 100;
  options.ramp_up_time_seconds = 10;
  options.clock = [&] { return now; };
  RateSource source(options);
  ASSERT_OK(source.Open(SourceContext{}));
  now += 1000;  // 100 * 1^2 / (2 * 10) = 5 rows
  ASSERT_OK_AND_ASSIGN(auto end, source.NextBatchEnd(std::nullopt));
  EXPECT_EQ(RateSource::ParseOffset(*end)->value, 5);
  now += 19'000;  // 20 s: 100 * 10 / 2 + 100 * 10 = 1500 rows
  ASSERT_OK_AND_ASSIGN(end, source.NextBatchEnd(end));
  EXPECT_EQ(RateSource::ParseOffset(*end)->value, 1500);
}

TEST(RateSourceTest, RowsPerBatchClicksAndTotalRows) {
  ASSERT_OK_AND_ASSIGN(RateSourceOptions options,
                       RateSourceOptions::FromMap({{"rowsPerBatch", "10"},
                                                   {"totalRows", "25"},
                                                   {"startTimestamp", "86400000"},
                                                   {"advanceMillisPerBatch", "3600000"},
                                                   {"schema", "clicks"}}));
  RateSource source(options);
  ASSERT_OK(source.Open(SourceContext{}));
  ASSERT_OK_AND_ASSIGN(columnar::SchemaPtr schema, source.schema());
  EXPECT_EQ(schema->ToString(),
            "struct<event_time:timestamp,user_id:bigint,page:string,country:string,"
            "event_date:date,latency_ms:int>");
  std::optional<Offset> position;
  std::vector<int64_t> sizes;
  std::string all;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto end, source.NextBatchEnd(position));
    if (!end) break;
    ASSERT_OK_AND_ASSIGN(auto reader, source.ReadBatch(position, *end));
    ASSERT_OK_AND_ASSIGN(auto batches, ReadAllBatches(*reader));
    int64_t rows = 0;
    for (const auto& b : batches) {
      ASSERT_OK(b->Validate());
      rows += b->num_rows();
      all += columnar::RecordBatchToJsonLines(*b);
    }
    sizes.push_back(rows);
    position = end;
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{10, 10, 5}));
  // Batch k's rows are at startTimestamp + k hours, on 1970-01-02.
  EXPECT_NE(all.find("\"event_time\":\"1970-01-02T00:00:00.000000Z\""), std::string::npos) << all;
  EXPECT_NE(all.find("\"event_time\":\"1970-01-02T02:00:00.000000Z\""), std::string::npos) << all;
  EXPECT_NE(all.find("\"event_date\":\"1970-01-02\""), std::string::npos);
  // The same offsets give the same rows in a fresh source.
  RateSource fresh(options);
  ASSERT_OK(fresh.Open(SourceContext{}));
  ASSERT_OK_AND_ASSIGN(auto r1, fresh.ReadBatch(std::nullopt, R"({"value":25,"timeMs":0})"));
  EXPECT_EQ(AllJsonLines(*r1), all);
  // Available-now with an endless rowsPerBatch stream is refused.
  RateSourceOptions endless = options;
  endless.total_rows = 0;
  RateSource endless_source(endless);
  EXPECT_STATUS_CODE(kInvalidArgument, endless_source.PrepareForAvailableNow());
}

TEST(RateSourceTest, BadOffsetIsCorruption) {
  RateSource source(RateSourceOptions{});
  ASSERT_OK(source.Open(SourceContext{}));
  EXPECT_STATUS_CODE(kCorruption, source.ReadBatch(std::nullopt, "{\"value\":\"x\"}"));
  EXPECT_STATUS_CODE(kCorruption, source.NextBatchEnd(std::string("[1]")));
}

TEST(MemorySourceTest, OffsetsCountBatches) {
  auto stream = std::make_shared<MemoryStream>(IdSchema(), "m");
  ASSERT_OK_AND_ASSIGN(Offset o1, stream->AddBatch(IdBatch(0, 2)));
  EXPECT_EQ(o1, "1");
  ASSERT_OK(stream->AddJson(R"([{"id": 5}, {"id": 6}])"));
  MemorySource source(stream, 1);
  ASSERT_OK_AND_ASSIGN(auto end, source.NextBatchEnd(std::nullopt));
  EXPECT_EQ(end, "1");
  ASSERT_OK_AND_ASSIGN(end, source.NextBatchEnd(std::string("1")));
  EXPECT_EQ(end, "2");
  ASSERT_OK_AND_ASSIGN(end, source.NextBatchEnd(std::string("2")));
  EXPECT_FALSE(end.has_value());
  ASSERT_OK_AND_ASSIGN(auto reader, source.ReadBatch(std::string("1"), "2"));
  ASSERT_OK_AND_ASSIGN(auto batches, ReadAllBatches(*reader));
  EXPECT_EQ(Int64Values(batches), (std::vector<int64_t>{5, 6}));
  EXPECT_STATUS_CODE(kCorruption, source.ReadBatch(std::nullopt, "x"));
  EXPECT_STATUS_CODE(kInvalidArgument, source.ReadBatch(std::nullopt, "9"));
  auto other_schema = columnar::Schema::Make({columnar::Field("s", columnar::String())});
  EXPECT_STATUS_CODE(kInvalidArgument,
                     stream->AddBatch(columnar::RecordBatchFromJson(other_schema, "[]").value()));
}

TEST(ConsoleSinkTest, TableFormatLikeSparkShow) {
  std::ostringstream out;
  ConsoleSinkOptions options;
  options.num_rows = 2;
  options.truncate = 8;
  ConsoleSink sink(out, options);
  ASSERT_OK(sink.Open(SinkContext{}));
  auto schema = columnar::Schema::Make(
      {columnar::Field("id", columnar::Int64()), columnar::Field("name", columnar::String())});
  auto batch = columnar::RecordBatchFromJson(
                   schema, R"([{"id":1,"name":"ann"},{"id":22,"name":"a very long name"},
                              {"id":3,"name":null}])")
                   .value();
  VectorBatchReader reader(schema, {batch});
  ASSERT_OK_AND_ASSIGN(SinkResult result, sink.AddBatch(4, reader));
  EXPECT_EQ(result.num_output_rows, 3);
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 4\n"
            "-------------------------------------------\n"
            "+---+--------+\n"
            "| id|    name|\n"
            "+---+--------+\n"
            "|  1|     ann|\n"
            "| 22|a ver...|\n"
            "+---+--------+\n"
            "only showing top 2 rows\n"
            "\n");
}

TEST(ConsoleSinkTest, JsonLinesFormat) {
  std::ostringstream out;
  ConsoleSinkOptions options;
  options.format = ConsoleFormat::kJsonLines;
  ConsoleSink sink(out, options);
  ASSERT_OK(sink.Open(SinkContext{}));
  VectorBatchReader reader(IdSchema(), {IdBatch(0, 2), IdBatch(2, 3)});
  ASSERT_OK_AND_ASSIGN(SinkResult result, sink.AddBatch(0, reader));
  EXPECT_EQ(result.num_output_rows, 3);
  EXPECT_NE(out.str().find("Batch: 0\n-------------------------------------------\n"
                           "{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n"),
            std::string::npos)
      << out.str();
  EXPECT_EQ(out.str().find("only showing"), std::string::npos);
}

TEST(ForEachBatchSinkTest, GetsRowsAndBatchId) {
  std::vector<std::pair<int64_t, std::vector<int64_t>>> seen;
  ForEachBatchSink sink([&](BatchReader& data, int64_t batch_id) -> Status {
    SILT_ASSIGN_OR_RETURN(auto batches, ReadAllBatches(data));
    seen.emplace_back(batch_id, Int64Values(batches));
    if (batch_id == 9) return Status::Internal("custom code failed");
    return Status::OK();
  });
  ASSERT_OK(sink.Open(SinkContext{}));
  VectorBatchReader reader(IdSchema(), {IdBatch(0, 3)});
  ASSERT_OK_AND_ASSIGN(SinkResult result, sink.AddBatch(7, reader));
  EXPECT_EQ(result.num_output_rows, 3);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].first, 7);
  EXPECT_EQ(seen[0].second, (std::vector<int64_t>{0, 1, 2}));
  VectorBatchReader more(IdSchema(), {IdBatch(3, 4)});
  EXPECT_STATUS_CODE(kInternal, sink.AddBatch(9, more));
  ForEachBatchSink empty(nullptr);
  EXPECT_STATUS_CODE(kInvalidArgument, empty.Open(SinkContext{}));
}

TEST(JsonFilesSinkTest, OneFilePerBatchExactlyOnce) {
  fs::MemoryFileSystem fs;
  JsonFilesSink sink(fs, "/out");
  ASSERT_OK(sink.Open(SinkContext{}));
  VectorBatchReader reader(IdSchema(), {IdBatch(0, 2)});
  ASSERT_OK_AND_ASSIGN(SinkResult result, sink.AddBatch(3, reader));
  EXPECT_EQ(result.num_output_rows, 2);
  EXPECT_FALSE(result.skipped);
  ASSERT_OK_AND_ASSIGN(std::string text, fs.ReadFile("/out/batch-00000000000000000003.jsonl"));
  EXPECT_EQ(text, "{\"id\":0}\n{\"id\":1}\n");
  VectorBatchReader again(IdSchema(), {IdBatch(5, 9)});
  ASSERT_OK_AND_ASSIGN(result, sink.AddBatch(3, again));
  EXPECT_TRUE(result.skipped);
  EXPECT_EQ(result.num_output_rows, 0);
  ASSERT_OK_AND_ASSIGN(text, fs.ReadFile("/out/batch-00000000000000000003.jsonl"));
  EXPECT_EQ(text, "{\"id\":0}\n{\"id\":1}\n");
}

TEST(MemorySinkTest, CompleteModeReplaces) {
  auto table = std::make_shared<MemorySinkTable>();
  MemorySink sink("m", table);
  SinkContext context;
  context.output_mode = OutputMode::kComplete;
  ASSERT_OK(sink.Open(context));
  VectorBatchReader a(IdSchema(), {IdBatch(0, 2)});
  ASSERT_OK(sink.AddBatch(0, a));
  VectorBatchReader b(IdSchema(), {IdBatch(0, 3)});
  ASSERT_OK(sink.AddBatch(1, b));
  EXPECT_EQ(Int64Values(table->all_rows()), (std::vector<int64_t>{0, 1, 2}));
}

// The rate source end to end through the engine, with the clicks schema into a console sink.
TEST(RateSourceTest, RunsInAQuery) {
  fs::MemoryFileSystem fs;
  std::ostringstream out;
  ASSERT_OK_AND_ASSIGN(RateSourceOptions rate,
                       RateSourceOptions::FromMap(
                           {{"rowsPerBatch", "4"}, {"totalRows", "8"}, {"schema", "clicks"}}));
  QueryOptions options;
  options.checkpoint_fs = &fs;
  options.checkpoint_location = "/ck";
  options.trigger = Trigger::AvailableNow();
  options.sources.push_back(std::make_unique<RateSource>(rate));
  ConsoleSinkOptions console;
  console.format = ConsoleFormat::kJsonLines;
  options.sink = std::make_unique<ConsoleSink>(out, console);
  ASSERT_OK_AND_ASSIGN(auto query, StreamingQuery::Make(std::move(options)));
  ASSERT_OK(query->Start());
  ASSERT_OK(query->AwaitTermination());
  const std::string text = out.str();
  EXPECT_NE(text.find("Batch: 1\n"), std::string::npos);
  EXPECT_EQ(text.find("Batch: 2\n"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2 * 4 + 8);
  ASSERT_TRUE(fs.Exists("/ck/sources/0/start").value());
  EXPECT_EQ(query->last_progress()->sources[0].end_offset, R"({"value":8,"timeMs":1000})");
}

}  // namespace
}  // namespace silt::stream
