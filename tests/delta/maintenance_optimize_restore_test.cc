// OPTIMIZE and RESTORE on tables written with the write API (write/write_table.h), read back
// with scans: rows are unchanged by OPTIMIZE, concurrent appends do not conflict with it, and
// RESTORE brings back an earlier version's rows (or names the files VACUUM removed).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/delta/commit/transaction.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/maintenance/optimize.h"
#include "silt/delta/maintenance/restore.h"
#include "silt/delta/maintenance/vacuum.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/write/write_table.h"
#include "silt/expr/expr.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

constexpr char kRoot[] = "memory://tables/m";

class MaintenanceWriteTest : public ::testing::Test {
 protected:
  MaintenanceWriteTest() : fs_([this] { return now_ms_; }) {}

  col::SchemaPtr Schema() {
    return col::Schema::Make({col::Field("id", col::Int64()), col::Field("part", col::String())});
  }

  TransactionOptions Txn() {
    TransactionOptions t;
    t.clock = [this] { return now_ms_; };
    t.checkpoint_after_commit = false;
    return t;
  }

  // Appends rows id in [from, to) with part = "a" for even ids and "b" for odd ones.
  Result<WriteResult> Append(int64_t from, int64_t to) {
    std::string json = "[";
    for (int64_t i = from; i < to; ++i) {
      if (i > from) json += ",";
      json += "{\"id\":" + std::to_string(i) + ",\"part\":\"" + (i % 2 == 0 ? "a" : "b") + "\"}";
    }
    json += "]";
    SILT_ASSIGN_OR_RETURN(auto batch, col::RecordBatchFromJson(Schema(), json));
    WriteOptions options;
    options.partition_by = {"part"};
    options.transaction = Txn();
    now_ms_ += 1000;
    return WriteToTable(fs_, kRoot, WriteInput::FromBatches(Schema(), {batch}), options);
  }

  Result<std::shared_ptr<const Snapshot>> Load(std::optional<int64_t> version = std::nullopt) {
    SnapshotOptions options;
    options.version = version;
    options.checkpoint_decoder = DefaultParquetCheckpointDecoder();
    return Snapshot::Load(fs_, kRoot, options);
  }

  // Every row of the latest (or given) version as sorted JSON lines.
  std::vector<std::string> Rows(std::optional<int64_t> version = std::nullopt) {
    std::vector<std::string> out;
    auto snapshot = Load(version);
    EXPECT_TRUE(snapshot.ok()) << snapshot.error();
    if (!snapshot.ok()) return out;
    auto scan = ScanBuilder(*snapshot).Build();
    EXPECT_TRUE(scan.ok());
    auto it = (*scan)->Execute(fs_);
    EXPECT_TRUE(it.ok());
    while (true) {
      auto batch = (*it)->Next();
      EXPECT_TRUE(batch.ok()) << batch.error();
      if (!batch.ok() || !batch->has_value()) break;
      for (int64_t r = 0; r < (**batch)->num_rows(); ++r) {
        std::string row;
        for (int c = 0; c < (**batch)->num_columns(); ++c) {
          row += col::ValueToJson(*(**batch)->column(c), r) + ",";
        }
        out.push_back(row);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  int64_t now_ms_ = 1767225600000;
  fs::MemoryFileSystem fs_;
};

TEST_F(MaintenanceWriteTest, OptimizeCompactsSmallFilesAndKeepsTheRows) {
  for (int i = 0; i < 6; ++i) ASSERT_OK(Append(i * 10, i * 10 + 10).status());
  ASSERT_OK_AND_ASSIGN(auto before, Load());
  ASSERT_EQ(before->files().size(), 12u);  // 6 appends x 2 partitions
  std::vector<std::string> rows = Rows();
  ASSERT_EQ(rows.size(), 60u);

  OptimizeOptions options;
  options.transaction = Txn();
  ASSERT_OK_AND_ASSIGN(OptimizeResult r, Optimize(fs_, kRoot, options));
  EXPECT_EQ(r.files_removed, 12);
  EXPECT_EQ(r.files_added, 2);
  EXPECT_EQ(r.partitions_optimized, 2);
  EXPECT_EQ(r.commit.version, before->version() + 1);
  ASSERT_OK_AND_ASSIGN(auto after, Load());
  EXPECT_EQ(after->files().size(), 2u);
  for (const Add& a : after->files().ToVector()) {
    EXPECT_FALSE(a.data_change);
    ASSERT_TRUE(a.stats.has_value());
  }
  ASSERT_TRUE(after->commit_info().has_value());
  EXPECT_EQ(after->commit_info()->operation, std::optional<std::string>("OPTIMIZE"));
  EXPECT_EQ(Rows(), rows);
  // The removes are dataChange=false tombstones.
  ASSERT_EQ(after->tombstones().size(), 12u);
  for (const Remove& t : after->tombstones()) EXPECT_FALSE(t.data_change);

  // Nothing left to compact: no commit.
  ASSERT_OK_AND_ASSIGN(OptimizeResult again, Optimize(fs_, kRoot, options));
  EXPECT_EQ(again.commit.version, -1);
  ASSERT_OK_AND_ASSIGN(auto still, Load());
  EXPECT_EQ(still->version(), after->version());
}

TEST_F(MaintenanceWriteTest, OptimizeWithPartitionPredicateAndSizes) {
  for (int i = 0; i < 4; ++i) ASSERT_OK(Append(i * 10, i * 10 + 10).status());
  std::vector<std::string> rows = Rows();
  OptimizeOptions options;
  options.transaction = Txn();
  options.partition_predicate = "part = 'a'";
  ASSERT_OK_AND_ASSIGN(OptimizeResult r, Optimize(fs_, kRoot, options));
  EXPECT_EQ(r.files_removed, 4);
  EXPECT_EQ(r.files_added, 1);
  ASSERT_OK_AND_ASSIGN(auto after, Load());
  int b_files = 0;
  for (const Add& a : after->files().ToVector()) b_files += a.partition_values.at("part") == "b";
  EXPECT_EQ(b_files, 4);
  EXPECT_EQ(Rows(), rows);

  options.partition_predicate = "id > 3";
  ASSERT_STATUS_CODE(kInvalidArgument, Optimize(fs_, kRoot, options));

  // A min size below every file: nothing qualifies.
  options.partition_predicate.clear();
  options.min_file_size = 1;
  ASSERT_OK_AND_ASSIGN(OptimizeResult none, Optimize(fs_, kRoot, options));
  EXPECT_EQ(none.commit.version, -1);
}

TEST_F(MaintenanceWriteTest, ConcurrentAppendDoesNotConflictWithOptimize) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(Append(i * 10, i * 10 + 10).status());
  OptimizeOptions options;
  options.transaction = Txn();
  int64_t appended_version = -1;
  options.before_commit = [&]() -> Status {
    SILT_ASSIGN_OR_RETURN(WriteResult w, Append(100, 110));
    appended_version = w.commit.version;
    return Status::OK();
  };
  ASSERT_OK_AND_ASSIGN(OptimizeResult r, Optimize(fs_, kRoot, options));
  EXPECT_EQ(r.commit.version, appended_version + 1);
  EXPECT_GT(r.commit.attempts, 1);
  ASSERT_OK_AND_ASSIGN(auto after, Load());
  // 2 compacted files plus the 2 files of the concurrent append.
  EXPECT_EQ(after->files().size(), 4u);
  EXPECT_EQ(Rows().size(), 40u);
}

TEST_F(MaintenanceWriteTest, ConcurrentDeleteOfACompactedFileConflicts) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(Append(i * 10, i * 10 + 10).status());
  OptimizeOptions options;
  options.transaction = Txn();
  options.before_commit = [&]() -> Status {
    DeleteOptions del;
    del.transaction = Txn();
    return DeleteFromTable(fs_, kRoot, expr::Parse("part = 'a'").value(), del).status();
  };
  ASSERT_STATUS_CODE(kConflict, Optimize(fs_, kRoot, options));
  // The delete stands; the files written by the failed OPTIMIZE are gone.
  EXPECT_EQ(Rows().size(), 15u);
}

TEST_F(MaintenanceWriteTest, RestoreToVersionAndTimestamp) {
  ASSERT_OK(Append(0, 10).status());   // v0
  ASSERT_OK(Append(10, 20).status());  // v1
  const int64_t v1_time = now_ms_;
  std::vector<std::string> v1_rows = Rows();
  DeleteOptions del;
  del.transaction = Txn();
  now_ms_ += 1000;
  ASSERT_OK(DeleteFromTable(fs_, kRoot, expr::Parse("part = 'a'").value(), del).status());  // v2
  ASSERT_OK(Append(20, 30).status());                                                       // v3
  ASSERT_EQ(Rows().size(), 20u);  // the 10 odd ids of v1 and 10 new rows

  RestoreOptions options;
  options.transaction = Txn();
  options.version = 1;
  ASSERT_OK_AND_ASSIGN(RestoreResult r, Restore(fs_, kRoot, options));
  EXPECT_EQ(r.restored_version, 1);
  EXPECT_EQ(r.commit.version, 4);
  EXPECT_EQ(Rows(), v1_rows);
  ASSERT_OK_AND_ASSIGN(auto s, Load());
  EXPECT_EQ(s->commit_info()->operation, std::optional<std::string>("RESTORE"));

  // By timestamp: the latest version committed at or before it (v1), again.
  ASSERT_OK(Append(30, 40).status());  // v5
  RestoreOptions by_time;
  by_time.transaction = Txn();
  by_time.timestamp_ms = v1_time + 500;
  ASSERT_OK_AND_ASSIGN(RestoreResult t, Restore(fs_, kRoot, by_time));
  EXPECT_EQ(t.restored_version, 1);
  EXPECT_EQ(Rows(), v1_rows);

  RestoreOptions bad;
  bad.transaction = Txn();
  ASSERT_STATUS_CODE(kInvalidArgument, Restore(fs_, kRoot, bad));
  bad.version = 99;
  ASSERT_STATUS_CODE(kInvalidArgument, Restore(fs_, kRoot, bad));
}

TEST_F(MaintenanceWriteTest, RestoreNamesFilesVacuumDeleted) {
  ASSERT_OK(Append(0, 10).status());  // v0
  DeleteOptions del;
  del.transaction = Txn();
  ASSERT_OK(DeleteFromTable(fs_, kRoot, expr::Parse("part = 'a'").value(), del).status());  // v1
  now_ms_ += 8LL * 24 * 3600 * 1000;
  VacuumOptions vacuum;
  vacuum.now_ms = now_ms_;
  ASSERT_OK_AND_ASSIGN(VacuumResult v, Vacuum(fs_, kRoot, vacuum));
  ASSERT_EQ(v.files.size(), 1u);
  RestoreOptions options;
  options.transaction = Txn();
  options.version = 0;
  Result<RestoreResult> r = Restore(fs_, kRoot, options);
  ASSERT_STATUS_CODE(kNotFound, r);
  EXPECT_NE(r.error().message().find(v.files[0]), std::string::npos) << r.error();
  ASSERT_OK_AND_ASSIGN(auto s, Load());
  EXPECT_EQ(s->version(), 1);
}

}  // namespace
}  // namespace silt::delta
