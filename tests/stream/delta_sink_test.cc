// The Delta streaming sink through the Sink interface and through the engine (memory source to
// Delta, Delta source to Delta).
#include "silt/stream/delta/delta_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "silt/base/time.h"
#include "silt/columnar/array.h"
#include "silt/columnar/from_json.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/write/write_table.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
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
  for (const delta::Add& add : snapshot->files().ToVector()) {
    EXPECT_EQ(add.partition_values.size(), 1u);
    EXPECT_TRUE(add.path.starts_with("day=d")) << add.path;
  }
  EXPECT_EQ(TableIds(root_), (Ids{1, 2, 3}));
}

TEST_F(DeltaSinkTest, TargetFileSizeSplitsABatchIntoFiles) {
  // Four batches of 5,000 rows (~40 KB of ids each) in one micro-batch.
  auto rows = [&] {
    std::vector<col::RecordBatchPtr> batches;
    for (int b = 0; b < 4; ++b) {
      std::string json = "[";
      for (int i = 0; i < 5000; ++i) {
        json += fmt::format(R"({}{{"id":{},"day":"d"}})", i > 0 ? "," : "", b * 5000 + i);
      }
      json += "]";
      batches.push_back(col::RecordBatchFromJson(schema_, json).value());
    }
    return VectorBatchReader(schema_, std::move(batches));
  };
  auto files_of = [&](const std::string& root) -> size_t {
    auto snapshot = delta::Snapshot::Load(*fs_, root);
    EXPECT_TRUE(snapshot.ok()) << snapshot.error();
    return snapshot.ok() ? (*snapshot)->files().size() : 0;
  };
  {
    auto sink = OpenSink(OutputMode::kAppend);
    ASSERT_NE(sink, nullptr);
    VectorBatchReader reader = rows();
    ASSERT_OK(sink->AddBatch(0, reader));
    EXPECT_EQ(files_of(root_), 1u);  // default 128 MiB: one file
  }
  root_ = "/out/small_files";
  auto sink = OpenSink(OutputMode::kAppend, {{"targetFileSize", "16k"}});
  ASSERT_NE(sink, nullptr);
  VectorBatchReader reader = rows();
  ASSERT_OK_AND_ASSIGN(SinkResult r, sink->AddBatch(0, reader));
  EXPECT_EQ(r.num_output_rows, 20000);
  EXPECT_GE(files_of(root_), 2u);
  Ids expected(20000);
  for (int64_t i = 0; i < 20000; ++i) expected[i] = i;
  EXPECT_EQ(TableIds(root_), expected);
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
    SILT_ASSIGN_OR_RETURN(auto source, MakeDeltaSource(fs_, root_, {{"maxFilesPerTrigger", "1"}}));
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

// Each batch is written on the snapshot of the previous batch's commit: no log listing while
// the sink is the only writer; a commit by another writer is noticed and the table reloaded, so
// complete mode still replaces everything; after a failed batch the next one loads the table.
TEST_F(DeltaSinkTest, BatchesChainTheCommittedSnapshot) {
  auto counting = std::make_shared<fs::FaultInjectionFileSystem>(*fs_);
  auto made = MakeDeltaSink(counting, root_, {});
  ASSERT_OK(made);
  std::unique_ptr<Sink> sink = std::move(*made);
  SinkContext context;
  context.fs = fs_.get();
  context.query_id = "query-1";
  context.output_mode = OutputMode::kComplete;
  ASSERT_OK(sink->Open(context));
  ASSERT_OK(Write(*sink, 0, {1, 2}));
  counting->ResetCallCounts();
  ASSERT_OK_AND_ASSIGN(SinkResult r1, Write(*sink, 1, {3}));
  ASSERT_OK_AND_ASSIGN(SinkResult r2, Write(*sink, 2, {4}));
  EXPECT_EQ(r2.metrics["tableVersion"], "2");
  EXPECT_EQ(counting->call_count(fs::FsOp::kList), 0);
  EXPECT_EQ(TableIds(root_), (Ids{4}));

  // Another query appends: the next batch of this one still replaces every row.
  auto other = OpenSink(OutputMode::kAppend, {}, "query-2");
  ASSERT_OK(Write(*other, 0, {100}));
  ASSERT_OK_AND_ASSIGN(SinkResult r3, Write(*sink, 3, {5}));
  EXPECT_EQ(r3.metrics["tableVersion"], "4");
  EXPECT_EQ(r3.metrics["numRemovedFiles"], "2");
  EXPECT_EQ(TableIds(root_), (Ids{5}));

  // A failed commit: nothing is visible, and the retried batch commits once.
  counting->FailNthCall(fs::FsOp::kPutIfAbsent, 1, Status::IOError("injected"));
  EXPECT_FALSE(Write(*sink, 4, {6}).ok());
  counting->ClearFaults();
  EXPECT_EQ(TableIds(root_), (Ids{5}));
  ASSERT_OK_AND_ASSIGN(SinkResult r4, Write(*sink, 4, {6}));
  EXPECT_FALSE(r4.skipped);
  ASSERT_OK_AND_ASSIGN(SinkResult again, Write(*sink, 4, {6}));
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(TableIds(root_), (Ids{6}));
}

// A batch another run of the query committed after this sink's last commit is skipped, and
// nothing is written for it.
TEST_F(DeltaSinkTest, BatchCommittedByAnotherRunAfterOurSnapshotIsSkipped) {
  auto sink = OpenSink(OutputMode::kAppend);
  ASSERT_OK(Write(*sink, 0, {1}));
  auto rerun = OpenSink(OutputMode::kAppend);
  ASSERT_OK(Write(*rerun, 1, {2}));
  // The first sink's snapshot (version 0) is stale; its check of the next commit file sees
  // version 1, so it reloads and skips before writing.
  ASSERT_OK_AND_ASSIGN(SinkResult r, Write(*sink, 1, {2}));
  EXPECT_TRUE(r.skipped);
  EXPECT_EQ(TableIds(root_), (Ids{1, 2}));
  auto files = fs_->List(root_, fs::ListOptions{"", "", true});
  ASSERT_OK(files);
  int64_t data_files = 0;
  for (const auto& f : *files) data_files += f.path.ends_with(".parquet") ? 1 : 0;
  EXPECT_EQ(data_files, 2);
}

// The sink decides "already committed" by WriteToTable's rule: a txn older than
// delta.setTransactionRetentionDuration has expired and is as if absent, so the batch is written
// again; an unexpired txn, or any txn when the property is unset, skips the batch.
TEST_F(DeltaSinkTest, ExpiredTxnDoesNotSkipABatchAsInWriteToTable) {
  // Tables whose only commit holds query-1's txn for batch 5, last updated at `updated_ms`.
  auto make_table = [&](const std::string& root, std::optional<std::string> retention,
                        int64_t updated_ms) -> Status {
    SILT_ASSIGN_OR_RETURN(auto batch,
                          col::RecordBatchFromJson(schema_, R"([{"id":1,"day":"d1"}])"));
    delta::WriteOptions options;
    if (retention.has_value()) {
      options.table_properties["delta.setTransactionRetentionDuration"] = *retention;
    }
    options.app_transaction = delta::AppTransactionId{"query-1", 5};
    options.transaction.clock = [updated_ms] { return updated_ms; };
    return delta::WriteToTable(*fs_, root, delta::WriteInput::FromBatches(schema_, {batch}),
                               options)
        .status();
  };
  const int64_t long_ago = 1'000'000;  // 1970: older than any retention of a day
  struct Case {
    std::string root;
    std::optional<std::string> retention;
    int64_t updated_ms;
    bool skipped;
  };
  for (const Case& c : std::vector<Case>{
           {"/out/expired", "interval 1 days", long_ago, false},
           {"/out/unset", std::nullopt, long_ago, true},
           {"/out/fresh", "interval 1 days", NowMillis(), true},
       }) {
    SCOPED_TRACE(c.root);
    ASSERT_OK(make_table(c.root, c.retention, c.updated_ms));
    root_ = c.root;
    auto sink = OpenSink(OutputMode::kAppend);
    ASSERT_NE(sink, nullptr);
    ASSERT_OK_AND_ASSIGN(SinkResult r, Write(*sink, 3, {2}));
    EXPECT_EQ(r.skipped, c.skipped);
    EXPECT_EQ(TableIds(c.root), c.skipped ? (Ids{1}) : (Ids{1, 2}));
    // WriteToTable on its own agrees (on the table before the sink's write).
    if (c.skipped) {
      ASSERT_OK_AND_ASSIGN(auto batch,
                           col::RecordBatchFromJson(schema_, R"([{"id":9,"day":"d1"}])"));
      delta::WriteOptions options;
      options.app_transaction = delta::AppTransactionId{"query-1", 3};
      ASSERT_OK_AND_ASSIGN(
          delta::WriteResult w,
          delta::WriteToTable(*fs_, c.root, delta::WriteInput::FromBatches(schema_, {batch}),
                              options));
      EXPECT_TRUE(w.commit.skipped_idempotent);
    } else {
      // The rewritten batch's txn is now the query's latest, and fresh: a rerun skips it.
      ASSERT_OK_AND_ASSIGN(SinkResult again, Write(*sink, 3, {2}));
      EXPECT_TRUE(again.skipped);
      EXPECT_EQ(TableIds(c.root), (Ids{1, 2}));
    }
  }
}

}  // namespace
}  // namespace silt::stream
