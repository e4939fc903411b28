#include "silt/delta/write/write_table.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/scan/table_changes.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

constexpr char kRoot[] = "/t";

class WriteTableTest : public ::testing::Test {
 protected:
  col::SchemaPtr schema_ =
      col::Schema::Make({{"id", col::Int64()}, {"part", col::String()}, {"value", col::Float64()}});

  WriteInput Input(std::string_view json, col::SchemaPtr schema = nullptr) {
    if (schema == nullptr) schema = schema_;
    auto batch = col::RecordBatchFromJson(schema, json);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return WriteInput::FromBatches(schema, {*batch});
  }

  // Every row of the latest snapshot as JSON lines, sorted.
  std::vector<std::string> Rows() {
    auto snapshot = Snapshot::Load(fs_, kRoot);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    if (!snapshot.ok()) return {};
    auto scan = ScanBuilder(*snapshot).Build();
    EXPECT_TRUE(scan.ok());
    auto it = (*scan)->Execute(fs_);
    EXPECT_TRUE(it.ok());
    std::vector<std::string> rows;
    while (true) {
      auto batch = (*it)->Next();
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || !batch->has_value()) break;
      std::string lines = col::RecordBatchToJsonLines(***batch);
      size_t start = 0;
      while (start < lines.size()) {
        size_t end = lines.find('\n', start);
        rows.push_back(lines.substr(start, end - start));
        start = end + 1;
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::vector<Action> Commit(int64_t version) {
    auto text = fs_.ReadFile(std::string(kRoot) + "/_delta_log/" + CommitFileName(version));
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    auto actions = ParseCommitFile(*text, CommitFileName(version));
    EXPECT_TRUE(actions.ok()) << actions.status().ToString();
    return actions.ok() ? *actions : std::vector<Action>{};
  }

  template <typename T>
  std::vector<T> ActionsOf(int64_t version) {
    std::vector<T> out;
    for (const Action& a : Commit(version)) {
      if (const T* t = std::get_if<T>(&a)) out.push_back(*t);
    }
    return out;
  }

  std::string CommitInfoJson(int64_t version) {
    auto infos = ActionsOf<CommitInfo>(version);
    return infos.empty() ? "" : infos[0].raw_json;
  }

  int64_t DataFileCount() {
    auto files = fs_.List(kRoot, fs::ListOptions{"", "", true});
    int64_t n = 0;
    for (const auto& f : *files) {
      if (f.path.find("_delta_log") == std::string::npos) ++n;
    }
    return n;
  }

  fs::MemoryFileSystem fs_;
};

TEST_F(WriteTableTest, AppendCreatesThenAppends) {
  WriteOptions options;
  options.partition_by = {"part"};
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1.5}, {"id": 2, "part": "b", "value": null}])"),
                                                   options));
  EXPECT_TRUE(r.created_table);
  EXPECT_EQ(r.commit.version, 0);
  EXPECT_EQ(r.num_files, 2);
  EXPECT_EQ(r.num_output_rows, 2);
  EXPECT_GT(r.num_output_bytes, 0);
  ASSERT_OK_AND_ASSIGN(WriteResult r2, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 3, "part": "a", "value": 2.5}])")));
  EXPECT_FALSE(r2.created_table);
  EXPECT_EQ(r2.commit.version, 1);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.5})",
                                              R"({"id":2,"part":"b","value":null})",
                                              R"({"id":3,"part":"a","value":2.5})"}));
  std::string info = CommitInfoJson(1);
  EXPECT_NE(info.find(R"("operation":"WRITE")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("mode":"Append")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("partitionBy":"[\"part\"]")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("numOutputRows":"1")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("numFiles":"1")"), std::string::npos) << info;
  auto adds = ActionsOf<Add>(1);
  ASSERT_EQ(adds.size(), 1u);
  EXPECT_EQ(adds[0].partition_values, (PartitionValues{{"part", "a"}}));
  EXPECT_EQ(adds[0].path.substr(0, 7), "part=a/");
  EXPECT_TRUE(ActionsOf<Remove>(1).empty());
}

TEST_F(WriteTableTest, OverwriteReplacesEverything) {
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a", "value": 1}])")));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "b", "value": 2}])")));
  WriteOptions options;
  options.mode = WriteMode::kOverwrite;
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 9, "part": "z", "value": 9}])"),
                                                   options));
  EXPECT_EQ(r.num_removed_files, 2);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":9,"part":"z","value":9.0})"}));
  EXPECT_EQ(ActionsOf<Remove>(2).size(), 2u);
  EXPECT_NE(CommitInfoJson(2).find(R"("mode":"Overwrite")"), std::string::npos);
}

TEST_F(WriteTableTest, ReplaceWhereOnPartitions) {
  WriteOptions create;
  create.partition_by = {"part"};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}, {"id": 2, "part": "b", "value": 2}])"),
                         create));
  WriteOptions options;
  options.mode = WriteMode::kOverwrite;
  options.replace_where = "part = 'a'";
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 10, "part": "a", "value": 10}])"),
                                                   options));
  EXPECT_EQ(r.num_removed_files, 1);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":10,"part":"a","value":10.0})",
                                              R"({"id":2,"part":"b","value":2.0})"}));
  auto removes = ActionsOf<Remove>(1);
  ASSERT_EQ(removes.size(), 1u);
  EXPECT_EQ(removes[0].partition_values, (PartitionValues{{"part", "a"}}));
  EXPECT_NE(CommitInfoJson(1).find(R"("predicate":"[\"part = 'a'\"]")"), std::string::npos)
      << CommitInfoJson(1);
  // Rows outside the predicate are refused and nothing is committed.
  Result<WriteResult> bad = WriteToTable(fs_, kRoot, Input(R"([
    {"id": 11, "part": "a", "value": 1}, {"id": 12, "part": "c", "value": 1}])"),
                                         options);
  ASSERT_STATUS_CODE(kInvalidArgument, bad);
  EXPECT_NE(bad.status().message().find("does not match replaceWhere 'part = 'a''"),
            std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("part = 'c'"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, kRoot));
  EXPECT_EQ(snapshot->version(), 1);
  EXPECT_EQ(DataFileCount(), 3);  // the two live files and the one removed at version 1
}

TEST_F(WriteTableTest, ReplaceWhereOnDataColumnsRewritesFiles) {
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}, {"id": 2, "part": "a", "value": 2},
    {"id": 3, "part": "a", "value": 3}])")));
  WriteOptions options;
  options.mode = WriteMode::kOverwrite;
  options.replace_where = "id >= 2";
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 20, "part": "x", "value": 20}])"),
                                                   options));
  EXPECT_EQ(r.num_deleted_rows, 2);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.0})",
                                              R"({"id":20,"part":"x","value":20.0})"}));
}

TEST_F(WriteTableTest, DeleteByPartitionRemovesWholeFiles) {
  WriteOptions create;
  create.partition_by = {"part"};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}, {"id": 2, "part": "b", "value": 2},
    {"id": 3, "part": null, "value": 3}])"),
                         create));
  ASSERT_OK_AND_ASSIGN(auto predicate, expr::Parse("part = 'a' OR part IS NULL"));
  ASSERT_OK_AND_ASSIGN(DeleteResult r, DeleteFromTable(fs_, kRoot, predicate));
  EXPECT_EQ(r.num_removed_files, 2);
  EXPECT_EQ(r.num_deleted_rows, 2);
  EXPECT_EQ(r.num_added_files, 0);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":2,"part":"b","value":2.0})"}));
  std::string info = CommitInfoJson(1);
  EXPECT_NE(info.find(R"("operation":"DELETE")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("numDeletedRows":"2")"), std::string::npos) << info;
  EXPECT_TRUE(ActionsOf<Add>(1).empty());
}

TEST_F(WriteTableTest, DeleteRowsRewritesSurvivors) {
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}, {"id": 2, "part": "a", "value": 2},
    {"id": 3, "part": "a", "value": null}])")));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 4, "part": "b", "value": 4}])")));
  ASSERT_OK_AND_ASSIGN(auto predicate, expr::Parse("value < 3 AND id <> 1"));
  ASSERT_OK_AND_ASSIGN(DeleteResult r, DeleteFromTable(fs_, kRoot, predicate));
  EXPECT_EQ(r.num_deleted_rows, 1);
  EXPECT_EQ(r.num_removed_files, 1);
  EXPECT_EQ(r.num_added_files, 1);
  EXPECT_EQ(r.num_copied_rows, 2);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.0})",
                                              R"({"id":3,"part":"a","value":null})",
                                              R"({"id":4,"part":"b","value":4.0})"}));
  // Deleting everything that is left, then nothing.
  ASSERT_OK_AND_ASSIGN(DeleteResult all, DeleteFromTable(fs_, kRoot, nullptr));
  EXPECT_EQ(all.num_removed_files, 2);
  EXPECT_EQ(all.num_deleted_rows, 3);
  EXPECT_TRUE(Rows().empty());
  ASSERT_OK_AND_ASSIGN(DeleteResult none, DeleteFromTable(fs_, kRoot, predicate));
  EXPECT_EQ(none.num_deleted_rows, 0);
  EXPECT_EQ(none.commit.version, 4);
}

TEST_F(WriteTableTest, DeleteWithDeletionVectorsAndChangeData) {
  WriteOptions create;
  create.table_properties = {{"delta.enableDeletionVectors", "true"},
                             {"delta.enableChangeDataFeed", "true"}};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}, {"id": 2, "part": "a", "value": 2},
    {"id": 3, "part": "a", "value": 3}])"),
                         create));
  ASSERT_OK_AND_ASSIGN(auto predicate, expr::Parse("id = 2"));
  ASSERT_OK_AND_ASSIGN(DeleteResult r, DeleteFromTable(fs_, kRoot, predicate));
  EXPECT_EQ(r.num_deletion_vectors_added, 1);
  EXPECT_EQ(r.num_added_change_files, 1);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.0})",
                                              R"({"id":3,"part":"a","value":3.0})"}));
  auto adds = ActionsOf<Add>(1);
  auto removes = ActionsOf<Remove>(1);
  ASSERT_EQ(adds.size(), 1u);
  ASSERT_EQ(removes.size(), 1u);
  EXPECT_EQ(adds[0].path, removes[0].path);
  ASSERT_TRUE(adds[0].deletion_vector.has_value());
  EXPECT_EQ(adds[0].deletion_vector->cardinality, 1);
  EXPECT_FALSE(removes[0].deletion_vector.has_value());
  EXPECT_NE(adds[0].stats->find(R"("tightBounds":false)"), std::string::npos);
  auto cdc = ActionsOf<AddCDCFile>(1);
  ASSERT_EQ(cdc.size(), 1u);
  EXPECT_EQ(cdc[0].path.substr(0, 17), "_change_data/cdc-");
  // A second delete on the same file extends the vector.
  ASSERT_OK_AND_ASSIGN(auto second, expr::Parse("id = 3"));
  ASSERT_OK_AND_ASSIGN(DeleteResult r2, DeleteFromTable(fs_, kRoot, second));
  EXPECT_EQ(r2.num_deleted_rows, 1);
  auto adds2 = ActionsOf<Add>(2);
  ASSERT_EQ(adds2.size(), 1u);
  EXPECT_EQ(adds2[0].deletion_vector->cardinality, 2);
  EXPECT_EQ(ActionsOf<Remove>(2)[0].deletion_vector, adds[0].deletion_vector);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.0})"}));
}

TEST_F(WriteTableTest, ConstraintViolationCommitsNothing) {
  WriteOptions create;
  create.table_properties = {{"delta.constraints.positive", "value > 0"}};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a", "value": 1}])"), create));
  int64_t files_before = DataFileCount();
  Result<WriteResult> bad = WriteToTable(fs_, kRoot, Input(R"([
    {"id": 2, "part": "a", "value": 5}, {"id": 3, "part": "a", "value": -1}])"));
  ASSERT_STATUS_CODE(kInvalidArgument, bad);
  EXPECT_EQ(bad.status().message(),
            "CHECK constraint positive (value > 0) violated by row with values: value = -1");
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.0})"}));
  EXPECT_EQ(DataFileCount(), files_before);
}

TEST_F(WriteTableTest, NotNullViolationInALaterBatchDeletesWrittenFiles) {
  auto strict =
      col::Schema::Make({col::Field("id", col::Int64(), false), col::Field("part", col::String())});
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a"}])", strict)));
  auto relaxed = col::Schema::Make({{"id", col::Int64()}, {"part", col::String()}});
  ASSERT_OK_AND_ASSIGN(auto good, col::RecordBatchFromJson(relaxed, R"([{"id": 2, "part": "a"}])"));
  ASSERT_OK_AND_ASSIGN(auto bad,
                       col::RecordBatchFromJson(relaxed, R"([{"id": null, "part": "b"}])"));
  WriteOptions options;
  options.max_open_writers = 1;
  options.target_file_size = 1;  // the first batch's file is closed before the second arrives
  int64_t files_before = DataFileCount();
  Result<WriteResult> r =
      WriteToTable(fs_, kRoot, WriteInput::FromBatches(relaxed, {good, bad}), options);
  ASSERT_STATUS_CODE(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find("NOT NULL constraint violated for column 'id'"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(DataFileCount(), files_before);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a"})"}));
}

// A fault in any FileSystem call of a write leaves the table as it was or with the whole write
// committed, never with part of it; files of a write that failed before its commit are gone.
TEST_F(WriteTableTest, FaultsNeverCommitPartialWrites) {
  WriteOptions create;
  create.partition_by = {"part"};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a", "value": 1}])"), create));
  const std::vector<std::string> before = Rows();
  int64_t version = 0;
  const fs::FsOp ops[] = {fs::FsOp::kOpenWritable, fs::FsOp::kAppend,      fs::FsOp::kSync,
                          fs::FsOp::kClose,        fs::FsOp::kPutIfAbsent, fs::FsOp::kList,
                          fs::FsOp::kReadFile};
  int failures = 0;
  for (fs::FsOp op : ops) {
    for (int n = 1; n <= 3; ++n) {
      fs::FaultInjectionFileSystem faulty(fs_);
      faulty.FailNthCall(op, n);
      Result<WriteResult> r = WriteToTable(faulty, kRoot, Input(R"([
        {"id": 2, "part": "b", "value": 2}, {"id": 3, "part": "c", "value": 3}])"));
      std::vector<std::string> rows = Rows();
      if (r.ok()) {
        ++version;
        EXPECT_EQ(rows.size(), before.size() + 2 * version) << fs::FsOpName(op) << " #" << n;
        continue;
      }
      ++failures;
      ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, kRoot));
      // Either nothing was committed, or the commit landed although its call reported an error.
      int64_t committed = snapshot->version() - version;
      ASSERT_TRUE(committed == 0 || committed == 1) << fs::FsOpName(op) << " #" << n;
      version = snapshot->version();
      EXPECT_EQ(rows.size(), before.size() + 2 * version) << fs::FsOpName(op) << " #" << n;
    }
  }
  EXPECT_GT(failures, 0);
}

TEST_F(WriteTableTest, SchemaMismatchAndMerge) {
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a", "value": 1}])")));
  auto wider = col::Schema::Make({{"id", col::Int64()}, {"extra", col::String()}});
  Result<WriteResult> refused =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "extra": "x"}])", wider));
  ASSERT_STATUS_CODE(kInvalidArgument, refused);
  EXPECT_NE(refused.status().message().find("column 'extra' (string) is not in the table"),
            std::string::npos)
      << refused.status().message();
  WriteOptions merge;
  merge.merge_schema = true;
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "extra": "x"}])", wider), merge));
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, kRoot));
  EXPECT_EQ(snapshot->schema()->ToString(),
            "struct<id:bigint,part:string,value:double,extra:string>");
  EXPECT_EQ(ActionsOf<Metadata>(1).size(), 1u);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1,"part":"a","value":1.0,"extra":null})",
                                              R"({"id":2,"part":null,"value":null,"extra":"x"})"}));
  // A narrowing change is refused even with merge.
  auto narrow = col::Schema::Make({{"id", col::String()}});
  Result<WriteResult> incompatible =
      WriteToTable(fs_, kRoot, Input(R"([{"id": "x"}])", narrow), merge);
  ASSERT_STATUS_CODE(kInvalidArgument, incompatible);
  EXPECT_NE(incompatible.status().message().find("'id'"), std::string::npos);
}

TEST_F(WriteTableTest, TypeWideningWithMergeSchema) {
  auto ints = col::Schema::Make({{"id", col::Int32()}});
  WriteOptions create;
  create.table_properties = {{"delta.enableTypeWidening", "true"}};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1}])", ints), create));
  auto longs = col::Schema::Make({{"id", col::Int64()}});
  WriteOptions merge;
  merge.merge_schema = true;
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 5000000000}])", longs), merge));
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, kRoot));
  EXPECT_EQ(snapshot->schema()->field(0).type()->id(), col::TypeId::kInt64);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":1})", R"({"id":5000000000})"}));
}

TEST_F(WriteTableTest, AppTransactionMakesWritesIdempotent) {
  WriteOptions options;
  options.app_transaction = AppTransactionId{"stream-1", 0};
  options.operation = "STREAMING UPDATE";
  options.operation_parameters = {
      {"outputMode", "\"Append\""}, {"queryId", "\"q-1\""}, {"epochId", "\"0\""}};
  ASSERT_OK_AND_ASSIGN(WriteResult first, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])"),
                                                       options));
  EXPECT_FALSE(first.commit.skipped_idempotent);
  std::string info = CommitInfoJson(0);
  EXPECT_NE(info.find(R"("operation":"STREAMING UPDATE")"), std::string::npos) << info;
  EXPECT_NE(info.find(R"("epochId":"0")"), std::string::npos) << info;
  EXPECT_EQ(info.find(R"("mode")"), std::string::npos) << info;
  ASSERT_OK_AND_ASSIGN(WriteResult again, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])"),
                                                       options));
  EXPECT_TRUE(again.commit.skipped_idempotent);
  EXPECT_EQ(Rows().size(), 1u);
  EXPECT_EQ(DataFileCount(), 1);
  options.app_transaction->version = 1;
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "a", "value": 1}])"), options));
  EXPECT_EQ(Rows().size(), 2u);
}

// Paths of a snapshot's live files, sorted.
std::vector<std::string> Paths(const Snapshot& snapshot) {
  std::vector<std::string> paths;
  for (const Add& a : snapshot.files().ToVector()) paths.push_back(a.path);
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST_F(WriteTableTest, ChainedWritesStartFromTheReturnedSnapshot) {
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])")));
  fs::FaultInjectionFileSystem counting(fs_);
  for (int64_t i = 2; i <= 4; ++i) {
    ASSERT_NE(r.commit.snapshot, nullptr);
    WriteOptions options;
    options.read_snapshot = r.commit.snapshot;
    ASSERT_OK_AND_ASSIGN(
        r,
        WriteToTable(counting, kRoot,
                     Input(fmt::format(R"([{{"id": {}, "part": "a", "value": 1}}])", i)), options));
    EXPECT_EQ(r.commit.version, i - 1);
    EXPECT_EQ(r.commit.attempts, 1);
  }
  // Nothing of the log was listed or read.
  EXPECT_EQ(counting.call_count(fs::FsOp::kList), 0);
  EXPECT_EQ(counting.call_count(fs::FsOp::kReadFile), 0);
  ASSERT_OK_AND_ASSIGN(auto loaded, Snapshot::Load(fs_, kRoot));
  EXPECT_EQ(r.commit.snapshot->version(), loaded->version());
  EXPECT_EQ(Paths(*r.commit.snapshot), Paths(*loaded));
  EXPECT_EQ(Rows().size(), 4u);
  // A trailing slash names the same table; another table's snapshot is refused.
  WriteOptions slash;
  slash.read_snapshot = r.commit.snapshot;
  ASSERT_OK(WriteToTable(fs_, "/t/", Input(R"([{"id": 5, "part": "a", "value": 1}])"), slash));
  ASSERT_OK(WriteToTable(fs_, "/other", Input(R"([{"id": 1, "part": "a", "value": 1}])")));
  Result<WriteResult> wrong =
      WriteToTable(fs_, "/other", Input(R"([{"id": 2, "part": "a", "value": 1}])"), slash);
  ASSERT_STATUS_CODE(kInvalidArgument, wrong);
  EXPECT_NE(wrong.status().message().find("another table"), std::string::npos)
      << wrong.status().message();
  DeleteOptions del;
  del.read_snapshot = r.commit.snapshot;
  ASSERT_STATUS_CODE(kInvalidArgument, DeleteFromTable(fs_, "/other", nullptr, del));
  ASSERT_OK_AND_ASSIGN(auto other, Snapshot::Load(fs_, "/other"));
  EXPECT_EQ(other->version(), 0);
}

TEST_F(WriteTableTest, BlindAppendFromAStaleSnapshotIsRebased) {
  ASSERT_OK_AND_ASSIGN(WriteResult first, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])")));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "b", "value": 2}])")));
  ASSERT_OK(DeleteFromTable(fs_, kRoot, nullptr));  // removes both files
  WriteOptions stale;
  stale.read_snapshot = first.commit.snapshot;  // version 0
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 3, "part": "c", "value": 3}])"),
                                                   stale));
  EXPECT_EQ(r.commit.version, 3);
  EXPECT_EQ(r.commit.attempts, 2);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":3,"part":"c","value":3.0})"}));
  EXPECT_NE(CommitInfoJson(3).find(R"("readVersion":0)"), std::string::npos) << CommitInfoJson(3);
  // The returned snapshot holds the winners' changes and ours, as a fresh load does.
  ASSERT_NE(r.commit.snapshot, nullptr);
  ASSERT_OK_AND_ASSIGN(auto loaded, Snapshot::Load(fs_, kRoot));
  EXPECT_EQ(r.commit.snapshot->version(), 3);
  EXPECT_EQ(Paths(*r.commit.snapshot), Paths(*loaded));
  EXPECT_EQ(r.commit.snapshot->tombstones().size(), loaded->tombstones().size());
}

// Spark's rules for a transaction that read the table, whatever made its snapshot stale: under
// Serializable (the default) any file added that the read would have included conflicts; under
// WriteSerializable files of blind appends do not; a file read that was removed always does.
TEST_F(WriteTableTest, OverwriteFromAStaleSnapshotConflictsAsSpark) {
  ASSERT_OK_AND_ASSIGN(WriteResult first, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])")));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "b", "value": 2}])")));
  const int64_t files_before = DataFileCount();
  WriteOptions overwrite;
  overwrite.mode = WriteMode::kOverwrite;
  overwrite.read_snapshot = first.commit.snapshot;
  Result<WriteResult> r =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 9, "part": "z", "value": 9}])"), overwrite);
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_EQ(ConflictKindOf(r.status()), ConflictKind::kConcurrentAppend) << r.status().ToString();
  EXPECT_EQ(DataFileCount(), files_before);  // the overwrite's file was deleted

  // A removal of a file the overwrite read.
  ASSERT_OK_AND_ASSIGN(auto at1, Snapshot::Load(fs_, kRoot));
  ASSERT_OK_AND_ASSIGN(auto only_a, expr::Parse("id = 1"));
  ASSERT_OK(DeleteFromTable(fs_, kRoot, only_a));
  overwrite.read_snapshot = at1;
  r = WriteToTable(fs_, kRoot, Input(R"([{"id": 9, "part": "z", "value": 9}])"), overwrite);
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_EQ(ConflictKindOf(r.status()), ConflictKind::kConcurrentDeleteRead)
      << r.status().ToString();
}

TEST_F(WriteTableTest, OverwriteFromAStaleSnapshotKeepsBlindAppendsUnderWriteSerializable) {
  WriteOptions create;
  create.table_properties = {{"delta.isolationLevel", "WriteSerializable"}};
  ASSERT_OK_AND_ASSIGN(WriteResult first, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])"),
                                                       create));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "b", "value": 2}])")));
  WriteOptions overwrite;
  overwrite.mode = WriteMode::kOverwrite;
  overwrite.read_snapshot = first.commit.snapshot;
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 9, "part": "z", "value": 9}])"),
                                                   overwrite));
  EXPECT_EQ(r.commit.version, 2);
  EXPECT_EQ(r.num_removed_files, 1);
  // The concurrent append was not seen, so it is not replaced.
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":2,"part":"b","value":2.0})",
                                              R"({"id":9,"part":"z","value":9.0})"}));
}

TEST_F(WriteTableTest, ReplaceWhereAndDeleteFromAStaleSnapshot) {
  WriteOptions create;
  create.partition_by = {"part"};
  ASSERT_OK_AND_ASSIGN(WriteResult first, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}, {"id": 2, "part": "b", "value": 2}])"),
                                                       create));
  // A concurrent append outside the predicate does not conflict...
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 3, "part": "c", "value": 3}])")));
  WriteOptions replace;
  replace.mode = WriteMode::kOverwrite;
  replace.replace_where = "part = 'a'";
  replace.read_snapshot = first.commit.snapshot;
  ASSERT_OK_AND_ASSIGN(WriteResult r, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 10, "part": "a", "value": 10}])"),
                                                   replace));
  EXPECT_EQ(r.commit.version, 2);
  EXPECT_EQ(Rows(), (std::vector<std::string>{R"({"id":10,"part":"a","value":10.0})",
                                              R"({"id":2,"part":"b","value":2.0})",
                                              R"({"id":3,"part":"c","value":3.0})"}));
  // ...one inside it does.
  std::shared_ptr<const Snapshot> at2 = r.commit.snapshot;
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 11, "part": "a", "value": 1}])")));
  replace.read_snapshot = at2;
  Result<WriteResult> conflict =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 12, "part": "a", "value": 1}])"), replace);
  ASSERT_STATUS_CODE(kConflict, conflict);
  EXPECT_EQ(ConflictKindOf(conflict.status()), ConflictKind::kConcurrentAppend);

  // Delete: the same rules, and a file deleted under it conflicts.
  ASSERT_OK_AND_ASSIGN(auto at3, Snapshot::Load(fs_, kRoot));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 4, "part": "d", "value": 4}])")));
  ASSERT_OK_AND_ASSIGN(auto part_b, expr::Parse("part = 'b'"));
  DeleteOptions del;
  del.read_snapshot = at3;
  ASSERT_OK_AND_ASSIGN(DeleteResult d, DeleteFromTable(fs_, kRoot, part_b, del));
  EXPECT_EQ(d.num_removed_files, 1);
  EXPECT_EQ(d.commit.version, 5);
  ASSERT_OK_AND_ASSIGN(auto part_c, expr::Parse("part = 'c'"));
  ASSERT_OK(DeleteFromTable(fs_, kRoot, part_c));
  del.read_snapshot = d.commit.snapshot;  // version 5, before the delete of part c
  ASSERT_OK_AND_ASSIGN(auto part_c_or_d, expr::Parse("part = 'c' OR part = 'd'"));
  Result<DeleteResult> lost = DeleteFromTable(fs_, kRoot, part_c_or_d, del);
  ASSERT_STATUS_CODE(kConflict, lost);
  EXPECT_EQ(ConflictKindOf(lost.status()), ConflictKind::kConcurrentDeleteRead)
      << lost.status().ToString();
}

TEST_F(WriteTableTest, StaleSnapshotSeesMetadataAndAppTransactionsCommittedSince) {
  WriteOptions app;
  app.app_transaction = AppTransactionId{"q", 0};
  ASSERT_OK_AND_ASSIGN(WriteResult first, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 1, "part": "a", "value": 1}])"),
                                                       app));
  // Batch 1 committed by another run of the query: a write of it from the stale snapshot is
  // skipped at commit time and leaves no file behind.
  app.app_transaction->version = 1;
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "a", "value": 1}])"), app));
  const int64_t files = DataFileCount();
  app.read_snapshot = first.commit.snapshot;
  ASSERT_OK_AND_ASSIGN(WriteResult again, WriteToTable(fs_, kRoot, Input(R"([
    {"id": 2, "part": "a", "value": 1}])"),
                                                       app));
  EXPECT_TRUE(again.commit.skipped_idempotent);
  EXPECT_EQ(again.commit.version, 1);
  EXPECT_EQ(again.num_files, 0);
  EXPECT_EQ(DataFileCount(), files);
  EXPECT_EQ(Rows().size(), 2u);
  // A later batch of the same application from the stale snapshot conflicts (it read the
  // application's version before the winner changed it).
  app.app_transaction->version = 2;
  Result<WriteResult> r =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 3, "part": "a", "value": 1}])"), app);
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_EQ(ConflictKindOf(r.status()), ConflictKind::kConcurrentTransaction);
  EXPECT_EQ(DataFileCount(), files);

  // mergeSchema on a stale snapshot: a metaData change since conflicts; plain appends since
  // are rebased over, and the merged schema is the table's after the commit.
  ASSERT_OK_AND_ASSIGN(auto at1, Snapshot::Load(fs_, kRoot));
  WriteOptions merge;
  merge.merge_schema = true;
  auto extra = col::Schema::Make({{"id", col::Int64()}, {"extra", col::String()}});
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 4, "extra": "x"}])", extra), merge));
  auto other = col::Schema::Make({{"id", col::Int64()}, {"other", col::String()}});
  merge.read_snapshot = at1;
  Result<WriteResult> merged =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 5, "other": "y"}])", other), merge);
  ASSERT_STATUS_CODE(kConflict, merged);
  EXPECT_EQ(ConflictKindOf(merged.status()), ConflictKind::kMetadataChanged);
  ASSERT_OK_AND_ASSIGN(auto at2, Snapshot::Load(fs_, kRoot));
  ASSERT_OK(
      WriteToTable(fs_, kRoot, Input(R"([{"id": 6}])", col::Schema::Make({{"id", col::Int64()}}))));
  merge.read_snapshot = at2;
  ASSERT_OK_AND_ASSIGN(WriteResult ok, WriteToTable(fs_, kRoot,
                                                    Input(R"([
    {"id": 7, "other": "z"}])",
                                                          other),
                                                    merge));
  ASSERT_NE(ok.commit.snapshot, nullptr);
  EXPECT_EQ(ok.commit.snapshot->schema()->ToString(),
            "struct<id:bigint,part:string,value:double,extra:string,other:string>");
  ASSERT_OK_AND_ASSIGN(auto loaded, Snapshot::Load(fs_, kRoot));
  EXPECT_EQ(Paths(*ok.commit.snapshot), Paths(*loaded));
  EXPECT_EQ(Rows().size(), 5u);
}

TEST_F(WriteTableTest, AppendOnlyRefusesOverwriteAndDelete) {
  WriteOptions create;
  create.table_properties = {{"delta.appendOnly", "true"}};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a", "value": 1}])"), create));
  WriteOptions overwrite;
  overwrite.mode = WriteMode::kOverwrite;
  Result<WriteResult> r =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "a", "value": 1}])"), overwrite);
  ASSERT_STATUS_CODE(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find("delta.appendOnly"), std::string::npos);
  ASSERT_STATUS_CODE(kInvalidArgument, DeleteFromTable(fs_, kRoot, nullptr));
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 3, "part": "a", "value": 1}])")));
  EXPECT_EQ(Rows().size(), 2u);
}

TEST_F(WriteTableTest, PartitionByMustMatchTheTable) {
  WriteOptions create;
  create.partition_by = {"part"};
  ASSERT_OK(WriteToTable(fs_, kRoot, Input(R"([{"id": 1, "part": "a", "value": 1}])"), create));
  WriteOptions other;
  other.partition_by = {"id"};
  Result<WriteResult> r =
      WriteToTable(fs_, kRoot, Input(R"([{"id": 2, "part": "a", "value": 1}])"), other);
  ASSERT_STATUS_CODE(kInvalidArgument, r);
  EXPECT_NE(r.status().message().find(R"(["id"])"), std::string::npos) << r.status().message();
  ASSERT_STATUS_CODE(kNotFound, DeleteFromTable(fs_, "/missing", nullptr));
  ASSERT_OK_AND_ASSIGN(auto unknown, expr::Parse("nope = 1"));
  ASSERT_STATUS_CODE(kInvalidArgument, DeleteFromTable(fs_, kRoot, unknown));
}

}  // namespace
}  // namespace silt::delta
