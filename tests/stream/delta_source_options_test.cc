// The Delta streaming source through the Source interface (NextBatchEnd / ReadBatch / Commit),
// option by option, on tables the tests write.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "silt/base/time.h"
#include "silt/columnar/array.h"
#include "silt/delta/scan/table_changes.h"
#include "silt/fs/memory_file_system.h"
#include "silt/stream/delta/delta_source.h"
#include "stream/delta_test_table.h"
#include "testing/status_matchers.h"

namespace silt::stream {
namespace {

namespace col = ::silt::columnar;
using Ids = std::vector<int64_t>;

struct Batch {
  DeltaSourceOffset end;
  Ids ids;
  std::vector<std::string> change_types;  // readChangeFeed only
  Ids versions;                           // readChangeFeed only: _commit_version
  Ids timestamps_us;                      // readChangeFeed only: _commit_timestamp
};

class DeltaSourceTest : public ::testing::Test {
 protected:
  DeltaSourceTest()
      : fs_(std::make_shared<fs::MemoryFileSystem>([this] { return now_ms_ += 1000; })),
        table_(fs_, "/tables/events") {}

  std::unique_ptr<Source> Open(std::map<std::string, std::string> options = {}) {
    auto source = MakeDeltaSource(fs_, table_.root(), std::move(options));
    EXPECT_TRUE(source.ok()) << source.error();
    if (!source.ok()) return nullptr;
    SourceContext context;
    context.fs = fs_.get();
    Status s = (*source)->Open(context);
    EXPECT_TRUE(s.ok()) << s;
    return std::move(*source);
  }

  // The ids (and change types) of the rows ReadBatch returns.
  static Result<Batch> Read(Source& source, const std::optional<Offset>& start, const Offset& end) {
    Batch b;
    SILT_ASSIGN_OR_RETURN(b.end, DeltaSourceOffset::Parse(end));
    SILT_ASSIGN_OR_RETURN(auto reader, source.ReadBatch(start, end));
    SILT_ASSIGN_OR_RETURN(auto batches, ReadAllBatches(*reader));
    for (const auto& batch : batches) {
      EXPECT_TRUE(batch->schema()->Equals(*reader->schema(), false));
      const auto& ids = static_cast<const col::Int64Array&>(*batch->GetColumnByName("id"));
      col::ArrayPtr types = batch->GetColumnByName(std::string(delta::kChangeTypeColumnName));
      col::ArrayPtr versions = batch->GetColumnByName(std::string(delta::kCommitVersionColumnName));
      for (int64_t r = 0; r < batch->num_rows(); ++r) {
        b.ids.push_back(ids.Value(r));
        if (types != nullptr) {
          b.change_types.push_back(
              std::string(static_cast<const col::StringArray&>(*types).GetView(r)));
        }
        if (versions != nullptr) {
          b.versions.push_back(static_cast<const col::Int64Array&>(*versions).Value(r));
          col::ArrayPtr ts = batch->GetColumnByName(std::string(delta::kCommitTimestampColumnName));
          b.timestamps_us.push_back(static_cast<const col::TimestampArray&>(*ts).Value(r));
        }
      }
    }
    return b;
  }

  // Runs batches as the engine does until the source has nothing new (or an error).
  Result<std::vector<Batch>> Drain(Source& source, std::optional<Offset>* position,
                                   int max_batches = 50) {
    std::vector<Batch> out;
    for (int i = 0; i < max_batches; ++i) {
      SILT_ASSIGN_OR_RETURN(std::optional<Offset> end, source.NextBatchEnd(*position));
      if (!end.has_value()) break;
      SILT_ASSIGN_OR_RETURN(Batch b, Read(source, *position, *end));
      SILT_RETURN_NOT_OK(source.Commit(*end));
      out.push_back(std::move(b));
      *position = *end;
    }
    return out;
  }

  static Ids AllIds(const std::vector<Batch>& batches) {
    Ids ids;
    for (const Batch& b : batches) ids.insert(ids.end(), b.ids.begin(), b.ids.end());
    return ids;
  }

  DeltaSourceOffset Off(int64_t version, int64_t index, bool starting) const {
    return DeltaSourceOffset{table_.table_id(), version, index, starting};
  }

  int64_t now_ms_ = NowMillis() - 3'600'000;
  std::shared_ptr<fs::MemoryFileSystem> fs_;
  testing::DeltaTestTable table_;
};

// (id, change type, commit version) of every row, sorted.
using ChangeRows = std::vector<std::tuple<int64_t, std::string, int64_t>>;
ChangeRows ChangesOf(const std::vector<Batch>& batches) {
  ChangeRows rows;
  for (const Batch& b : batches) {
    for (size_t i = 0; i < b.ids.size(); ++i) {
      rows.emplace_back(b.ids[i], b.change_types.at(i), b.versions.at(i));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

delta::Remove RemoveOf(const delta::Add& add) {
  delta::Remove r;
  r.path = add.path;
  r.deletion_timestamp = add.modification_time + 1;
  r.data_change = true;
  r.size = add.size;
  return r;
}

TEST_F(DeltaSourceTest, InitialSnapshotThenChangesWithSparkOffsets) {
  ASSERT_OK(table_.Create({{1, 2}, {3}}));
  ASSERT_OK(table_.Append({{4}}).status());  // version 1: the snapshot holds 3 files
  auto source = Open({{"maxFilesPerTrigger", "2"}});
  ASSERT_NE(source, nullptr);
  ASSERT_OK_AND_ASSIGN(auto schema, source->schema());
  EXPECT_EQ(schema->num_fields(), 2);

  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_EQ(batches.size(), 2u);
  // Snapshot files in (modificationTime, path) order, two per batch.
  EXPECT_EQ(batches[0].end, Off(1, 1, true));
  EXPECT_EQ(batches[0].ids, (Ids{1, 2, 3}));
  // The snapshot's last file moves the offset to the next version's start.
  EXPECT_EQ(batches[1].end, Off(2, -1, false));
  EXPECT_EQ(batches[1].ids, (Ids{4}));

  // New commits: one file per commit, three commits.
  ASSERT_OK(table_.Append({{5}, {6}, {7}}).status());  // version 2, three files
  ASSERT_OK(table_.Append({{8}}).status());            // version 3
  ASSERT_OK_AND_ASSIGN(batches, Drain(*source, &position));
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].end, Off(2, 1, false));
  EXPECT_EQ(batches[0].ids, (Ids{5, 6}));
  EXPECT_EQ(batches[1].end, Off(4, -1, false));
  EXPECT_EQ(batches[1].ids, (Ids{7, 8}));
  ASSERT_OK_AND_ASSIGN(auto none, source->NextBatchEnd(position));
  EXPECT_FALSE(none.has_value());
}

TEST_F(DeltaSourceTest, MaxFilesPerTriggerDefaultsToAThousand) {
  std::vector<Ids> files;
  for (int64_t i = 0; i < 1001; ++i) files.push_back({i});
  ASSERT_OK(table_.Create(files));
  auto source = Open();
  ASSERT_NE(source, nullptr);
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> first, source->NextBatchEnd(std::nullopt));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(DeltaSourceOffset::Parse(*first).value(), Off(0, 999, true));
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> second, source->NextBatchEnd(first));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(DeltaSourceOffset::Parse(*second).value(), Off(1, -1, false));
}

TEST_F(DeltaSourceTest, InitialSnapshotIsOrderedByModificationTimeThenPath) {
  table_.set_file_prefix("b/");
  ASSERT_OK_AND_ASSIGN(delta::Add b, table_.WriteFile({1}));  // the oldest
  table_.set_file_prefix("a/");
  ASSERT_OK_AND_ASSIGN(delta::Add a, table_.WriteFile({2}));  // newer, yet first by path
  table_.set_file_prefix("d/");
  ASSERT_OK_AND_ASSIGN(delta::Add d, table_.WriteFile({4}));
  table_.set_file_prefix("c/");
  ASSERT_OK_AND_ASSIGN(delta::Add c, table_.WriteFile({3}));
  c.modification_time = d.modification_time;  // a tie: the path decides
  ASSERT_LT(b.modification_time, a.modification_time);
  ASSERT_LT(a.modification_time, d.modification_time);
  ASSERT_OK(table_.Create());
  ASSERT_OK(table_.Commit({d, c, a, b}));  // log order is neither
  auto source = Open({{"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  std::vector<Ids> ids;
  for (const Batch& batch : batches) ids.push_back(batch.ids);
  EXPECT_EQ(ids, (std::vector<Ids>{{1}, {2}, {3}, {4}}));
}

TEST_F(DeltaSourceTest, ReadBatchIsDeterministicAcrossRestarts) {
  ASSERT_OK(table_.Create({{1}, {2}, {3}}));
  auto source = Open({{"maxFilesPerTrigger", "2"}});
  ASSERT_NE(source, nullptr);
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> end1, source->NextBatchEnd(std::nullopt));
  ASSERT_TRUE(end1.has_value());
  ASSERT_OK_AND_ASSIGN(Batch first, Read(*source, std::nullopt, *end1));
  EXPECT_EQ(first.ids, (Ids{1, 2}));
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> end2, source->NextBatchEnd(end1));
  ASSERT_TRUE(end2.has_value());
  ASSERT_OK_AND_ASSIGN(Batch second, Read(*source, end1, *end2));
  EXPECT_EQ(second.ids, (Ids{3}));

  // The table moves on; a restarted source re-runs both batches with the same rows.
  ASSERT_OK(table_.Append({{10}}).status());
  auto restarted = Open({{"maxFilesPerTrigger", "2"}});
  ASSERT_NE(restarted, nullptr);
  ASSERT_OK_AND_ASSIGN(Batch again1, Read(*restarted, std::nullopt, *end1));
  EXPECT_EQ(again1.ids, first.ids);
  ASSERT_OK_AND_ASSIGN(Batch again2, Read(*restarted, end1, *end2));
  EXPECT_EQ(again2.ids, second.ids);
  std::optional<Offset> position = end2;
  ASSERT_OK_AND_ASSIGN(auto rest, Drain(*restarted, &position));
  EXPECT_EQ(AllIds(rest), (Ids{10}));
}

TEST_F(DeltaSourceTest, DifferentTableIdIsAClearError) {
  ASSERT_OK(table_.Create({{1}}));
  auto source = Open();
  ASSERT_NE(source, nullptr);
  DeltaSourceOffset other{"another-table", 0, 0, true};
  auto r = source->NextBatchEnd(other.ToJson());
  ASSERT_STATUS_CODE(kInvalidArgument, r);
  EXPECT_NE(r.error().message().find("another-table"), std::string::npos) << r.error();
  EXPECT_NE(r.error().message().find(table_.table_id()), std::string::npos) << r.error();
}

TEST_F(DeltaSourceTest, StartingVersionReadsOnlyChangesFromThere) {
  ASSERT_OK(table_.Create({{1}}));
  ASSERT_OK(table_.Append({{2}}).status());
  ASSERT_OK(table_.Append({{3}}).status());
  auto source = Open({{"startingVersion", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].ids, (Ids{2, 3}));
  EXPECT_EQ(batches[0].end, Off(3, -1, false));

  auto too_late = MakeDeltaSource(fs_, table_.root(), {{"startingVersion", "9"}});
  ASSERT_OK(too_late);
  SourceContext context;
  ASSERT_OK((*too_late)->Open(context));
  auto r = (*too_late)->NextBatchEnd(std::nullopt);
  ASSERT_STATUS_CODE(kInvalidArgument, r);
  EXPECT_NE(r.error().message().find("startingVersion"), std::string::npos);
}

TEST_F(DeltaSourceTest, StartingVersionLatestWaitsForNewCommits) {
  ASSERT_OK(table_.Create({{1}}));
  auto source = Open({{"startingVersion", "latest"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_TRUE(batches.empty());
  ASSERT_OK(table_.Append({{2}}).status());
  ASSERT_OK_AND_ASSIGN(batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{2}));
}

TEST_F(DeltaSourceTest, StartingTimestampPicksTheFirstCommitAtOrAfterIt) {
  ASSERT_OK(table_.Create({{1}}));
  ASSERT_OK(table_.Append({{2}}).status());
  int64_t between = now_ms_ + 500;
  ASSERT_OK(table_.Append({{3}}).status());
  ASSERT_OK(table_.Append({{4}}).status());
  auto source = Open({{"startingTimestamp", std::to_string(between)}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{3, 4}));

  auto future = MakeDeltaSource(fs_, table_.root(), {{"startingTimestamp", "2999-01-01"}});
  ASSERT_OK(future);
  SourceContext context;
  ASSERT_OK((*future)->Open(context));
  ASSERT_STATUS_CODE(kInvalidArgument, (*future)->NextBatchEnd(std::nullopt));
}

TEST_F(DeltaSourceTest, MaxBytesPerTriggerIsSoftAndTakesAtLeastOneFile) {
  ASSERT_OK(table_.Create({{1}, {2}, {3}, {4}}));
  auto source = Open({{"maxBytesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_EQ(batches.size(), 4u);
  for (const Batch& b : batches) EXPECT_EQ(b.ids.size(), 1u);
  EXPECT_EQ(AllIds(batches), (Ids{1, 2, 3, 4}));
}

TEST_F(DeltaSourceTest, DeletesFailByDefaultAndIgnoreDeletesSkipsThem) {
  ASSERT_OK(table_.Create());
  ASSERT_OK_AND_ASSIGN(auto added, table_.Append({{1}, {2}}));  // version 1
  ASSERT_OK(table_.Delete({added[0]}));                         // version 2
  ASSERT_OK(table_.Append({{3}}).status());                     // version 3
  {
    auto source = Open({{"startingVersion", "1"}});
    ASSERT_NE(source, nullptr);
    std::optional<Offset> position;
    auto r = Drain(*source, &position);
    ASSERT_STATUS_CODE(kUnsupported, r);
    EXPECT_NE(r.error().message().find("version 2"), std::string::npos) << r.error();
    EXPECT_NE(r.error().message().find(added[0].path), std::string::npos) << r.error();
    EXPECT_NE(r.error().message().find("ignoreDeletes"), std::string::npos) << r.error();
  }
  // ignoreDeletes, and the broader ignoreChanges and skipChangeCommits, all pass a commit that
  // only deletes, emitting nothing of it.
  for (const char* option : {"ignoreDeletes", "ignoreChanges", "skipChangeCommits"}) {
    auto source = Open({{"startingVersion", "1"}, {option, "true"}});
    ASSERT_NE(source, nullptr);
    std::optional<Offset> position;
    ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
    EXPECT_EQ(AllIds(batches), (Ids{1, 2, 3})) << option;
  }
}

TEST_F(DeltaSourceTest, UpdatesNeedIgnoreChangesOrSkipChangeCommits) {
  ASSERT_OK(table_.Create());
  ASSERT_OK_AND_ASSIGN(auto added, table_.Append({{1}, {2}}));  // version 1
  ASSERT_OK(table_.Update(added[0], {11}).status());            // version 2
  ASSERT_OK(table_.Append({{3}}).status());                     // version 3
  {
    auto source = Open({{"startingVersion", "1"}, {"ignoreDeletes", "true"}});
    ASSERT_NE(source, nullptr);
    std::optional<Offset> position;
    auto r = Drain(*source, &position);
    ASSERT_STATUS_CODE(kUnsupported, r);
    EXPECT_NE(r.error().message().find("ignoreChanges"), std::string::npos) << r.error();
  }
  {
    auto source = Open({{"startingVersion", "1"}, {"ignoreChanges", "true"}});
    ASSERT_NE(source, nullptr);
    std::optional<Offset> position;
    ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
    EXPECT_EQ(AllIds(batches), (Ids{1, 2, 11, 3}));
  }
  auto source = Open({{"startingVersion", "1"}, {"skipChangeCommits", "true"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1, 2, 3}));
}

TEST_F(DeltaSourceTest, DataChangeFalseRewritesAreNeverEmitted) {
  ASSERT_OK(table_.Create());
  ASSERT_OK_AND_ASSIGN(auto added, table_.Append({{1}, {2}}));  // version 1
  auto source = Open();
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1, 2}));
  ASSERT_OK(table_.Compact(added, {1, 2}).status());  // version 2
  ASSERT_OK(table_.Append({{3}}).status());           // version 3
  ASSERT_OK_AND_ASSIGN(batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{3}));
}

TEST_F(DeltaSourceTest, DataChangeFalseRewritesAreNotInTheChangeFeed) {
  ASSERT_OK(table_.Create({}, {{"delta.enableChangeDataFeed", "true"}}));
  ASSERT_OK_AND_ASSIGN(auto added, table_.Append({{1}, {2}}));  // version 1
  ASSERT_OK(table_.Compact(added, {1, 2}).status());            // version 2: OPTIMIZE
  ASSERT_OK(table_.Append({{3}}).status());                     // version 3
  auto source = Open({{"readChangeFeed", "true"}, {"startingVersion", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(ChangesOf(batches), (ChangeRows{{1, "insert", 1}, {2, "insert", 1}, {3, "insert", 3}}));
}

TEST_F(DeltaSourceTest, ChangeFeedCommitTimestampsFollowInCommitTimestampsEnabledLater) {
  ASSERT_OK(table_.Create({}, {{"delta.enableChangeDataFeed", "true"}}));
  ASSERT_OK(table_.Append({{1}}).status());  // version 1
  auto source = Open({{"readChangeFeed", "true"}, {"startingVersion", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(batches[0].timestamps_us.size(), 1u);
  // Version 1's time is its commit file's modification time (the test clock, in seconds).
  ASSERT_OK_AND_ASSIGN(fs::FileInfo v1, fs_->GetFileInfo("/tables/events/_delta_log/"
                                                         "00000000000000000001.json"));
  EXPECT_EQ(batches[0].timestamps_us[0], v1.modification_time_ms * 1000);

  // Version 2 enables in-commit timestamps; version 3 carries one far from its file time.
  constexpr int64_t kIct = 1'700'000'000'123;
  delta::CommitInfo info2;
  info2.in_commit_timestamp = kIct - 1000;
  ASSERT_OK(table_.ChangeConfiguration({{"delta.enableChangeDataFeed", "true"},
                                        {"delta.enableInCommitTimestamps", "true"},
                                        {"delta.inCommitTimestampEnablementVersion", "2"}},
                                       {info2}));
  ASSERT_OK_AND_ASSIGN(delta::Add add, table_.WriteFile({2}));
  delta::CommitInfo info3;
  info3.in_commit_timestamp = kIct;
  ASSERT_OK(table_.Commit({info3, add}));
  ASSERT_OK_AND_ASSIGN(batches, Drain(*source, &position));
  Ids versions, timestamps;
  for (const Batch& b : batches) {
    versions.insert(versions.end(), b.versions.begin(), b.versions.end());
    timestamps.insert(timestamps.end(), b.timestamps_us.begin(), b.timestamps_us.end());
  }
  EXPECT_EQ(AllIds(batches), (Ids{2}));
  EXPECT_EQ(versions, (Ids{3}));
  EXPECT_EQ(timestamps, (Ids{kIct * 1000}));
}

TEST_F(DeltaSourceTest, ExcludeRegexSkipsMatchingFiles) {
  ASSERT_OK(table_.Create({{1}, {2}, {3}}));  // part-00000 .. part-00002
  auto source = Open({{"excludeRegex", "part-0000[1]"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1, 3}));
}

TEST_F(DeltaSourceTest, ExcludedFilesTakeNoRoomInABatch) {
  ASSERT_OK(table_.Create({{1}, {2}, {3}, {4}}));  // part-00000 .. part-00003
  ASSERT_OK(table_.Append({{5}, {6}}).status());   // part-00004, part-00005
  auto source = Open({{"excludeRegex", "part-0000[124]"}, {"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  std::vector<Ids> ids;
  for (const Batch& b : batches) ids.push_back(b.ids);
  EXPECT_EQ(ids, (std::vector<Ids>{{1}, {4}, {6}}));
}

TEST_F(DeltaSourceTest, CleanedUpLogFailsNamingVersionsAndRetentionOrSkipsAhead) {
  ASSERT_OK(table_.Create({{1}}, {{"delta.logRetentionDuration", "interval 2 days"}}));
  auto source = Open({{"startingVersion", "0"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1}));
  // Opened before the cleanup: its table snapshot is already loaded.
  auto lenient = Open({{"startingVersion", "0"}, {"failOnDataLoss", "false"}});
  ASSERT_NE(lenient, nullptr);
  ASSERT_OK(table_.Append({{2}}).status());  // 1
  ASSERT_OK(table_.Append({{3}}).status());  // 2
  ASSERT_OK(table_.Append({{4}}).status());  // 3
  // Log cleanup (with a checkpoint it would leave) removes versions 1 and 2.
  ASSERT_OK(table_.DeleteCommit(1));
  ASSERT_OK(table_.DeleteCommit(2));
  auto r = source->NextBatchEnd(position);
  ASSERT_STATUS_CODE(kNotFound, r);
  EXPECT_NE(r.error().message().find("versions 1..2"), std::string::npos) << r.error();
  EXPECT_NE(r.error().message().find("interval 2 days"), std::string::npos) << r.error();
  EXPECT_NE(r.error().message().find("failOnDataLoss"), std::string::npos) << r.error();

  ASSERT_OK_AND_ASSIGN(batches, Drain(*lenient, &position));
  EXPECT_EQ(AllIds(batches), (Ids{4}));
}

TEST_F(DeltaSourceTest, DeletedDataFileFailsOrIsSkipped) {
  ASSERT_OK(table_.Create({{1}, {2}}));
  ASSERT_OK(fs_->DeleteFile(table_.root() + "/part-00000.parquet"));
  {
    auto source = Open();
    ASSERT_NE(source, nullptr);
    std::optional<Offset> position;
    auto r = Drain(*source, &position);
    ASSERT_STATUS_CODE(kNotFound, r);
    EXPECT_NE(r.error().message().find("part-00000.parquet"), std::string::npos) << r.error();
    EXPECT_NE(r.error().message().find("deletedFileRetentionDuration"), std::string::npos);
  }
  auto source = Open({{"failOnDataLoss", "false"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{2}));
}

TEST_F(DeltaSourceTest, DeletedFileOfTheChangeFeedFailsOrIsSkipped) {
  ASSERT_OK(table_.Create({}, {{"delta.enableChangeDataFeed", "true"}}));
  ASSERT_OK(table_.Append({{1}, {2}}).status());  // version 1: part-00000, part-00001
  ASSERT_OK(fs_->DeleteFile(table_.root() + "/part-00000.parquet"));
  std::map<std::string, std::string> options{{"readChangeFeed", "true"}, {"startingVersion", "1"}};
  {
    auto source = Open(options);
    ASSERT_NE(source, nullptr);
    std::optional<Offset> position;
    auto r = Drain(*source, &position);
    ASSERT_STATUS_CODE(kNotFound, r);
    EXPECT_NE(r.error().message().find("part-00000.parquet"), std::string::npos) << r.error();
    EXPECT_NE(r.error().message().find("deletedFileRetentionDuration"), std::string::npos)
        << r.error();
  }
  options["failOnDataLoss"] = "false";
  auto source = Open(options);
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(ChangesOf(batches), (ChangeRows{{2, "insert", 1}}));
}

TEST_F(DeltaSourceTest, ReadChangeFeedEmitsWholeCommitsWithChangeColumns) {
  ASSERT_OK(table_.Create({{1}}));  // the snapshot: inserts
  auto source = Open({{"readChangeFeed", "true"}, {"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  ASSERT_OK_AND_ASSIGN(auto schema, source->schema());
  ASSERT_EQ(schema->num_fields(), 5);
  EXPECT_EQ(schema->field(2).name(), "_change_type");
  EXPECT_EQ(schema->field(3).name(), "_commit_version");
  EXPECT_EQ(schema->field(4).name(), "_commit_timestamp");
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1}));
  ASSERT_OK_AND_ASSIGN(auto added, table_.Append({{2}, {3}}));  // version 1: two files
  ASSERT_OK(table_.Delete({added[0]}));                         // version 2
  ASSERT_OK_AND_ASSIGN(batches, Drain(*source, &position));
  // maxFilesPerTrigger=1, yet version 1's two files stay in one batch.
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].ids, (Ids{2, 3}));
  EXPECT_EQ(batches[0].change_types, (std::vector<std::string>{"insert", "insert"}));
  EXPECT_EQ(batches[0].end, Off(2, -1, false));
  EXPECT_EQ(batches[1].ids, (Ids{2}));
  EXPECT_EQ(batches[1].change_types, (std::vector<std::string>{"delete"}));
}

TEST_F(DeltaSourceTest, ExcludeRegexFiltersTheChangeFeedOfLaterCommitsToo) {
  // Files under keep/ are read, files under skip/ (data and change files) are not.
  table_.set_file_prefix("keep/");
  ASSERT_OK_AND_ASSIGN(delta::Add keep0, table_.WriteFile({1, 2}));
  table_.set_file_prefix("skip/");
  ASSERT_OK_AND_ASSIGN(delta::Add skip0, table_.WriteFile({3}));
  ASSERT_OK(table_.Create({}, {{"delta.enableChangeDataFeed", "true"}}));
  ASSERT_OK(table_.Commit({keep0, skip0}));  // version 1: the initial snapshot's files
  std::map<std::string, std::string> options{{"readChangeFeed", "true"},
                                             {"maxFilesPerTrigger", "1"}};
  auto all = Open(options);
  options["excludeRegex"] = "^(_change_data/)?skip/";
  auto kept = Open(options);
  ASSERT_NE(all, nullptr);
  ASSERT_NE(kept, nullptr);
  std::optional<Offset> all_position, kept_position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*all, &all_position));
  EXPECT_EQ(ChangesOf(batches), (ChangeRows{{1, "insert", 1}, {2, "insert", 1}, {3, "insert", 1}}));
  ASSERT_OK_AND_ASSIGN(batches, Drain(*kept, &kept_position));
  EXPECT_EQ(ChangesOf(batches), (ChangeRows{{1, "insert", 1}, {2, "insert", 1}}));

  // Version 2, an append: one file of each.
  table_.set_file_prefix("keep/");
  ASSERT_OK_AND_ASSIGN(delta::Add keep4, table_.WriteFile({4}));
  table_.set_file_prefix("skip/");
  ASSERT_OK_AND_ASSIGN(delta::Add skip5, table_.WriteFile({5}));
  ASSERT_OK(table_.Commit({keep4, skip5}));
  // Version 3, a delete without change files: both removed.
  ASSERT_OK(table_.Commit({RemoveOf(keep4), RemoveOf(skip5)}));
  // Version 4, an update with change files: each half rewrites its file.
  table_.set_file_prefix("keep/");
  ASSERT_OK_AND_ASSIGN(delta::Add keep1, table_.WriteFile({1, 20}));
  ASSERT_OK_AND_ASSIGN(delta::AddCDCFile keep_cdc,
                       table_.WriteChangeFile({{2, "update_preimage"}, {20, "update_postimage"}}));
  table_.set_file_prefix("skip/");
  ASSERT_OK_AND_ASSIGN(delta::Add skip1, table_.WriteFile({30}));
  ASSERT_OK_AND_ASSIGN(delta::AddCDCFile skip_cdc,
                       table_.WriteChangeFile({{3, "update_preimage"}, {30, "update_postimage"}}));
  ASSERT_OK(table_.Commit({RemoveOf(keep0), keep1, keep_cdc, RemoveOf(skip0), skip1, skip_cdc}));
  // Version 5, a delete with a change file under skip/ only: nothing of it is read.
  ASSERT_OK_AND_ASSIGN(delta::AddCDCFile skip_delete, table_.WriteChangeFile({{30, "delete"}}));
  ASSERT_OK(table_.Commit({RemoveOf(skip1), skip_delete}));

  ASSERT_OK_AND_ASSIGN(batches, Drain(*all, &all_position));
  EXPECT_EQ(ChangesOf(batches), (ChangeRows{{2, "update_preimage", 4},
                                            {3, "update_preimage", 4},
                                            {4, "delete", 3},
                                            {4, "insert", 2},
                                            {5, "delete", 3},
                                            {5, "insert", 2},
                                            {20, "update_postimage", 4},
                                            {30, "delete", 5},
                                            {30, "update_postimage", 4}}));
  ASSERT_OK_AND_ASSIGN(batches, Drain(*kept, &kept_position));
  EXPECT_EQ(ChangesOf(batches), (ChangeRows{{2, "update_preimage", 4},
                                            {4, "delete", 3},
                                            {4, "insert", 2},
                                            {20, "update_postimage", 4}}));
  EXPECT_EQ(kept_position, all_position);
}

TEST_F(DeltaSourceTest, SplitCommitsFalseKeepsACommitInOneBatch) {
  ASSERT_OK(table_.Create());
  ASSERT_OK(table_.Append({{1}, {2}, {3}}).status());  // version 1
  ASSERT_OK(table_.Append({{4}}).status());            // version 2
  auto source =
      Open({{"startingVersion", "1"}, {"maxFilesPerTrigger", "2"}, {"splitCommits", "false"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].ids, (Ids{1, 2, 3}));
  EXPECT_EQ(batches[0].end, Off(2, -1, false));
  EXPECT_EQ(batches[1].ids, (Ids{4}));
}

TEST_F(DeltaSourceTest, EndingVersionBoundsTheStream) {
  ASSERT_OK(table_.Create({{1}}));
  ASSERT_OK(table_.Append({{2}}).status());  // 1
  ASSERT_OK(table_.Append({{3}}).status());  // 2
  auto source = Open({{"startingVersion", "0"}, {"endingVersion", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1, 2}));
  ASSERT_OK(table_.Append({{4}}).status());
  ASSERT_OK_AND_ASSIGN(batches, Drain(*source, &position));
  EXPECT_TRUE(batches.empty());
}

TEST_F(DeltaSourceTest, AvailableNowStopsAtWhatWasThereAtTheStart) {
  ASSERT_OK(table_.Create({{1}, {2}, {3}}));
  auto source = Open({{"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  ASSERT_OK(source->PrepareForAvailableNow());
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> end, source->NextBatchEnd(position));
  ASSERT_TRUE(end.has_value());
  ASSERT_OK(table_.Append({{4}}).status());  // arrives after the run started
  ASSERT_OK_AND_ASSIGN(Batch first, Read(*source, position, *end));
  position = end;
  ASSERT_OK_AND_ASSIGN(auto rest, Drain(*source, &position));
  Ids ids = first.ids;
  for (const Batch& b : rest) ids.insert(ids.end(), b.ids.begin(), b.ids.end());
  EXPECT_EQ(ids, (Ids{1, 2, 3}));
  EXPECT_EQ(rest.size(), 2u);  // still one file per batch
}

TEST_F(DeltaSourceTest, AdditiveSchemaChangeStopsAfterEarlierDataAndRestartReadsIt) {
  ASSERT_OK(table_.Create({{1}}));
  auto source = Open();
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_OK(table_.Append({{2}}).status());  // 1
  auto wider = col::Schema::Make({col::Field("id", col::Int64()), col::Field("name", col::String()),
                                  col::Field("extra", col::Int32())});
  ASSERT_OK(table_.ChangeSchema(wider));     // 2
  ASSERT_OK(table_.Append({{3}}).status());  // 3
  // Version 1 comes first, then the stream stops at the change.
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> end, source->NextBatchEnd(position));
  ASSERT_TRUE(end.has_value());
  ASSERT_OK_AND_ASSIGN(Batch b, Read(*source, position, *end));
  EXPECT_EQ(b.ids, (Ids{2}));
  position = end;
  auto stopped = source->NextBatchEnd(position);
  ASSERT_STATUS_CODE(kUnsupported, stopped);
  EXPECT_TRUE(stopped.error().retryable());
  EXPECT_NE(stopped.error().message().find("extra"), std::string::npos) << stopped.error();
  // A restart reads with the new schema.
  auto restarted = Open();
  ASSERT_NE(restarted, nullptr);
  ASSERT_OK_AND_ASSIGN(auto schema, restarted->schema());
  EXPECT_EQ(schema->num_fields(), 3);
  auto after = Drain(*restarted, &position);
  ASSERT_TRUE(after.ok()) << after.error();
  batches = *after;
  EXPECT_EQ(AllIds(batches), (Ids{3}));
}

TEST_F(DeltaSourceTest, NestedFieldAdditionIsAdditiveAndNestedRetypeIsNot) {
  auto with_struct = [](std::vector<col::Field> nested) {
    return col::Schema::Make({col::Field("id", col::Int64()), col::Field("name", col::String()),
                              col::Field("s", col::Struct(std::move(nested)))});
  };
  ASSERT_OK(table_.Create({{1}}));
  ASSERT_OK(table_.ChangeSchema(with_struct({col::Field("a", col::Int32())})));  // 1
  auto source = Open();
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_EQ(AllIds(batches), (Ids{1}));
  // A field added inside the struct: the stream stops, retryably, naming it.
  ASSERT_OK(table_.ChangeSchema(
      with_struct({col::Field("a", col::Int32()), col::Field("b", col::String())})));  // 2
  ASSERT_OK(table_.Append({{2}}).status());                                            // 3
  auto stopped = source->NextBatchEnd(position);
  ASSERT_STATUS_CODE(kUnsupported, stopped);
  EXPECT_TRUE(stopped.error().retryable()) << stopped.error();
  EXPECT_NE(stopped.error().message().find("s.b"), std::string::npos) << stopped.error();
  // A restart reads on with the wider struct (older files have it as null).
  auto restarted = Open();
  ASSERT_NE(restarted, nullptr);
  auto after = Drain(*restarted, &position);
  ASSERT_TRUE(after.ok()) << after.error();
  EXPECT_EQ(AllIds(*after), (Ids{2}));
  // A nested type change is not additive: it names the nested path.
  ASSERT_OK(table_.ChangeSchema(
      with_struct({col::Field("a", col::Int64()), col::Field("b", col::String())})));  // 4
  auto retyped = restarted->NextBatchEnd(position);
  ASSERT_STATUS_CODE(kUnsupported, retyped);
  EXPECT_FALSE(retyped.error().retryable());
  EXPECT_NE(retyped.error().message().find("s.a (int -> bigint)"), std::string::npos)
      << retyped.error();
}

TEST_F(DeltaSourceTest, DroppedOrRetypedColumnStopsTheStreamSayingWhat) {
  ASSERT_OK(table_.Create({{1}}));
  auto source = Open();
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_OK(table_.ChangeSchema(col::Schema::Make({col::Field("id", col::Int64())})));
  auto r = source->NextBatchEnd(position);
  ASSERT_STATUS_CODE(kUnsupported, r);
  EXPECT_FALSE(r.error().retryable());
  EXPECT_NE(r.error().message().find("name"), std::string::npos) << r.error();
  EXPECT_NE(r.error().message().find("dropped"), std::string::npos) << r.error();
}

TEST_F(DeltaSourceTest, StartingVersionLatestIsKeptInTheSourceFolderAcrossRestarts) {
  ASSERT_OK(table_.Create({{1}}));
  auto open = [&]() -> std::unique_ptr<Source> {
    auto source = MakeDeltaSource(fs_, table_.root(), {{"startingVersion", "latest"}});
    EXPECT_TRUE(source.ok());
    SourceContext context;
    context.fs = fs_.get();
    context.metadata_dir = "/ckpt/sources/0";
    EXPECT_OK((*source)->Open(context));
    return std::move(*source);
  };
  auto source = open();
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  EXPECT_TRUE(batches.empty());  // resolves "latest" = after version 0
  ASSERT_OK(table_.Append({{2}}).status());
  // A restart before any batch: still from version 1, not from the new latest.
  auto restarted = open();
  ASSERT_OK_AND_ASSIGN(batches, Drain(*restarted, &position));
  EXPECT_EQ(AllIds(batches), (Ids{2}));
  ASSERT_OK_AND_ASSIGN(bool stored, fs_->Exists("/ckpt/sources/0/delta_source_start.json"));
  EXPECT_TRUE(stored);
}

TEST_F(DeltaSourceTest, LagNearRetentionRaisesTheWarningMetric) {
  ASSERT_OK(table_.Create({{1}}, {{"delta.logRetentionDuration", "interval 60 seconds"}}));
  ASSERT_OK(table_.Append({{2}}).status());
  ASSERT_OK(table_.Append({{3}}).status());
  // The commits are about an hour old (the test clock), far past 80% of 60 s.
  auto source = Open({{"startingVersion", "0"}, {"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> end, source->NextBatchEnd(std::nullopt));
  ASSERT_TRUE(end.has_value());
  auto metrics = source->Metrics();
  EXPECT_EQ(metrics["retentionWarning"], "true");
  EXPECT_EQ(metrics["numVersionsOutstanding"], "2");
  EXPECT_GE(std::stoll(metrics["secondsBehindLatest"]), 60);
}

TEST_F(DeltaSourceTest, MetricsReportTheBacklog) {
  ASSERT_OK(table_.Create({{1}}));
  auto source = Open({{"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  std::optional<Offset> position;
  ASSERT_OK_AND_ASSIGN(auto batches, Drain(*source, &position));
  ASSERT_OK(table_.Append({{2}}).status());       // 1
  ASSERT_OK(table_.Append({{3}, {4}}).status());  // 2
  ASSERT_OK_AND_ASSIGN(std::optional<Offset> end, source->NextBatchEnd(position));
  ASSERT_TRUE(end.has_value());
  auto metrics = source->Metrics();
  // After this batch (version 1): version 2 with two files is outstanding.
  EXPECT_EQ(metrics["numVersionsOutstanding"], "1");
  EXPECT_EQ(metrics["numFilesOutstanding"], "2");
  EXPECT_NE(metrics["numBytesOutstanding"], "0");
  EXPECT_EQ(metrics["retentionWarning"], "false");
  EXPECT_EQ(source->latest_offset(), end);
}

}  // namespace
}  // namespace silt::stream
