// The Delta streaming sink through the Sink interface and through the engine (memory source to
// Delta, Delta source to Delta).
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "silt/columnar/array.h"
#include "silt/columnar/from_json.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/memory_file_system.h"
#include "silt/stream/delta/delta_sink.h"
#include "silt/stream/delta/delta_source.h"
#include "silt/stream/engine/streaming_query.h"
#include "silt/stream/source/memory_source.h"
#include "testing/status_matchers.h"

namespace silt::stream {
namespace {

namespace col = ::silt::columnar;
using Ids = std::vector<int64_t>;

class DeltaSinkTest : public ::testing::Test {
 protected:
  DeltaSinkTest() : fs_(std::make_shared<fs::MemoryFileSystem>()) {
    schema_ = col::Schema::Make({col::Field("id", col::Int64()), col::Field("day", col::String())});
  }

  std::unique_ptr<Sink> OpenSink(OutputMode mode, std::map<std::string, std::string> options = {},
                                 std::string query_id = "query-1") {
    auto sink = MakeDeltaSink(fs_, root_, std::move(options));
    EXPECT_TRUE(sink.ok()) << sink.error();
    if (!sink.ok()) return nullptr;
    SinkContext context;
    context.fs = fs_.get();
    context.query_id = std::move(query_id);
    context.output_mode = mode;
    EXPECT_OK((*sink)->Open(context));
    return std::move(*sink);
  }

  Result<SinkResult> Write(Sink& sink, int64_t batch_id, const Ids& ids) {
    std::string json = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
      json += fmt::format(R"({}{{"id":{},"day":"d{}"}})", i > 0 ? "," : "", ids[i], ids[i] % 2);
    }
    json += "]";
    SILT_ASSIGN_OR_RETURN(auto batch, col::RecordBatchFromJson(schema_, json));
    VectorBatchReader reader(schema_, {batch});
    return sink.AddBatch(batch_id, reader);
  }

  // The table's ids, sorted.
  Ids TableIds(const std::string& root) {
    Ids ids;
    auto snapshot = delta::Snapshot::Load(*fs_, root);
    EXPECT_TRUE(snapshot.ok()) << snapshot.error();
    if (!snapshot.ok()) return ids;
    auto scan = delta::ScanBuilder(*snapshot).WithColumns({"id"}).Build();
    EXPECT_TRUE(scan.ok());
    auto it = (*scan)->Execute(*fs_);
    EXPECT_TRUE(it.ok());
    while (true) {
      auto batch = (*it)->Next();
      EXPECT_TRUE(batch.ok()) << batch.error();
      if (!batch.ok() || !batch->has_value()) break;
      const auto& a = static_cast<const col::Int64Array&>(*(**batch)->column(0));
      for (int64_t r = 0; r < a.length(); ++r) ids.push_back(a.Value(r));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::shared_ptr<fs::MemoryFileSystem> fs_;
  col::SchemaPtr schema_;
  std::string root_ = "/out/table";
};

TEST_F(DeltaSinkTest, AppendCreatesTheTableAndSkipsARerunBatch) {
  auto sink = OpenSink(OutputMode::kAppend);
  ASSERT_NE(sink, nullptr);
  ASSERT_OK_AND_ASSIGN(SinkResult r0, Write(*sink, 0, {1, 2}));
  EXPECT_FALSE(r0.skipped);
  EXPECT_EQ(r0.num_output_rows, 2);
  ASSERT_OK_AND_ASSIGN(SinkResult r1, Write(*sink, 1, {3}));
  EXPECT_EQ(r1.num_output_rows, 1);
  // Batch 1 again (the engine re-runs it after a crash): nothing is written.
  ASSERT_OK_AND_ASSIGN(SinkResult again, Write(*sink, 1, {3}));
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(again.num_output_rows, 0);
  EXPECT_EQ(TableIds(root_), (Ids{1, 2, 3}));

  // The commit is a STREAMING UPDATE with Spark's parameters and the query's txn.
  ASSERT_OK_AND_ASSIGN(auto actions, delta::ReadCommit(*fs_, root_, 1));
  bool found_txn = false;
  bool found_info = false;
  for (const delta::Action& a : actions) {
    if (const auto* t = std::get_if<delta::SetTransaction>(&a)) {
      found_txn = t->app_id == "query-1" && t->version == 1;
    }
    if (const auto* info = std::get_if<delta::CommitInfo>(&a)) {
      found_info = info->operation == "STREAMING UPDATE";
      std::string line = delta::ToJsonLine(a);
      EXPECT_NE(line.find(R"("outputMode":"Append")"), std::string::npos) << line;
      EXPECT_NE(line.find(R"("queryId":"query-1")"), std::string::npos) << line;
      EXPECT_NE(line.find(R"("epochId":"1")"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(found_txn);
  EXPECT_TRUE(found_info);

  // Another query writes its own batch 0.
  auto other = OpenSink(OutputMode::kAppend, {}, "query-2");
  ASSERT_OK_AND_ASSIGN(SinkResult r2, Write(*other, 0, {4}));
  EXPECT_FALSE(r2.skipped);
  EXPECT_EQ(TableIds(root_), (Ids{1, 2, 3, 4}));
}

TEST_F(DeltaSinkTest, CompleteModeReplacesTheTable) {
  auto sink = OpenSink(OutputMode::kComplete);
  ASSERT_NE(sink, nullptr);
  ASSERT_OK(Write(*sink, 0, {1, 2}));
  ASSERT_OK(Write(*sink, 1, {5, 6, 7}));
  EXPECT_EQ(TableIds(root_), (Ids{5, 6, 7}));
  ASSERT_OK_AND_ASSIGN(SinkResult again, Write(*sink, 1, {8}));
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(TableIds(root_), (Ids{5, 6, 7}));
}

TEST_F(DeltaSinkTest, PartitionByPartitionsTheNewTable) {
  auto sink = OpenSink(OutputMode::kAppend, {{"partitionBy", "day"}});
  ASSERT_NE(sink, nullptr);
  ASSERT_OK(Write(*sink, 0, {1, 2, 3}));
  ASSERT_OK_AND_ASSIGN(auto snapshot, delta::Snapshot::Load(*fs_, root_));
  EXPECT_EQ(snapshot->partition_columns(), (std::vector<std::string>{"day"}));
  EXPECT_EQ(snapshot->files().size(), 2u);  // d0 and d1
  for (const delta::Add& add : snapshot->files()) {
    EXPECT_EQ(add.partition_values.size(), 1u);
    EXPECT_TRUE(add.path.starts_with("day=d")) << add.path;
  }
  EXPECT_EQ(TableIds(root_), (Ids{1, 2, 3}));
}

TEST_F(DeltaSinkTest, BadOptionsAreInvalidArgument) {
  auto unknown = MakeDeltaSink(fs_, root_, {{"partitionColumns", "day"}});
  ASSERT_STATUS_CODE(kInvalidArgument, unknown);
  EXPECT_NE(unknown.error().message().find("partitionBy"), std::string::npos);
  EXPECT_STATUS_CODE(kInvalidArgument, MakeDeltaSink(fs_, root_, {{"mergeSchema", "maybe"}}));
  EXPECT_STATUS_CODE(kInvalidArgument, MakeDeltaSink(fs_, root_, {{"targetFileSize", "0"}}));
  EXPECT_STATUS_CODE(kInvalidArgument, MakeDeltaSink(fs_, root_, {{"partitionBy", "a,,b"}}));
}

TEST_F(DeltaSinkTest, SchemaMismatchNeedsMergeSchema) {
  {
    auto sink = OpenSink(OutputMode::kAppend);
    ASSERT_OK(Write(*sink, 0, {1}));
  }
  auto wider = col::Schema::Make({col::Field("id", col::Int64()), col::Field("day", col::String()),
                                  col::Field("extra", col::Int64())});
  ASSERT_OK_AND_ASSIGN(auto batch,
                       col::RecordBatchFromJson(wider, R"([{"id":2,"day":"x","extra":9}])"));
  {
    auto sink = OpenSink(OutputMode::kAppend);
    VectorBatchReader reader(wider, {batch});
    EXPECT_STATUS_CODE(kInvalidArgument, sink->AddBatch(1, reader));
  }
  auto sink = OpenSink(OutputMode::kAppend, {{"mergeSchema", "true"}});
  VectorBatchReader reader(wider, {batch});
  ASSERT_OK(sink->AddBatch(1, reader));
  ASSERT_OK_AND_ASSIGN(auto snapshot, delta::Snapshot::Load(*fs_, root_));
  EXPECT_EQ(snapshot->schema()->num_fields(), 3);
  EXPECT_EQ(TableIds(root_), (Ids{1, 2}));
}

TEST_F(DeltaSinkTest, EngineStreamsMemoryToDeltaAndDeltaToDeltaExactlyOnce) {
  auto stream = std::make_shared<MemoryStream>(schema_);
  ASSERT_OK(stream->AddJson(R"([{"id":1,"day":"a"},{"id":2,"day":"b"}])"));
  ASSERT_OK(stream->AddJson(R"([{"id":3,"day":"a"}])"));
  auto run = [&](std::unique_ptr<Source> source, std::unique_ptr<Sink> sink,
                 const std::string& checkpoint) -> Status {
    QueryOptions options;
    options.checkpoint_fs = fs_.get();
    options.checkpoint_location = checkpoint;
    options.trigger = Trigger::AvailableNow();
    options.sources.push_back(std::move(source));
    options.sink = std::move(sink);
    SILT_ASSIGN_OR_RETURN(auto query, StreamingQuery::Make(std::move(options)));
    SILT_RETURN_NOT_OK(query->Start());
    return query->AwaitTermination();
  };
  ASSERT_OK_AND_ASSIGN(auto sink, MakeDeltaSink(fs_, root_, {}));
  ASSERT_OK(run(std::make_unique<MemorySource>(stream), std::move(sink), "/ckpt/mem"));
  EXPECT_EQ(TableIds(root_), (Ids{1, 2, 3}));

  // Delta to Delta, one file per batch; then new data and a second run from the checkpoint.
  const std::string copy = "/out/copy";
  auto delta_run = [&]() -> Status {
    SILT_ASSIGN_OR_RETURN(auto source,
                          MakeDeltaSource(fs_, root_, {{"maxFilesPerTrigger", "1"}}));
    SILT_ASSIGN_OR_RETURN(auto out, MakeDeltaSink(fs_, copy, {}));
    return run(std::move(source), std::move(out), "/ckpt/copy");
  };
  ASSERT_OK(delta_run());
  EXPECT_EQ(TableIds(copy), (Ids{1, 2, 3}));
  ASSERT_OK(stream->AddJson(R"([{"id":4,"day":"c"}])"));
  ASSERT_OK_AND_ASSIGN(sink, MakeDeltaSink(fs_, root_, {}));
  ASSERT_OK(run(std::make_unique<MemorySource>(stream), std::move(sink), "/ckpt/mem"));
  ASSERT_OK(delta_run());
  EXPECT_EQ(TableIds(root_), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(TableIds(copy), (Ids{1, 2, 3, 4}));
}

}  // namespace
}  // namespace silt::stream
