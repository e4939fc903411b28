#include "silt/delta/log/log_replay.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "silt/delta/actions/action_json.h"
#include "silt/fs/memory_file_system.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using ::testing::HasSubstr;

Protocol P(int reader = 1, int writer = 2) { return Protocol{reader, writer, {}, {}}; }

Metadata M(std::string id = "table-id") {
  Metadata m;
  m.id = std::move(id);
  m.schema_string = R"({"type":"struct","fields":[]})";
  return m;
}

Add A(std::string path, int64_t size = 1, std::optional<std::string> dv = std::nullopt) {
  Add a;
  a.path = std::move(path);
  a.size = size;
  if (dv.has_value()) {
    a.deletion_vector = DeletionVectorDescriptor{DvStorageType::kUuidRelative, *dv, 1, 10, 1, {}};
  }
  return a;
}

Remove R(std::string path, std::optional<std::string> dv = std::nullopt) {
  Remove r;
  r.path = std::move(path);
  r.deletion_timestamp = 100;
  if (dv.has_value()) {
    r.deletion_vector = DeletionVectorDescriptor{DvStorageType::kUuidRelative, *dv, 1, 10, 1, {}};
  }
  return r;
}

// Out of line: GCC 12 reports a false -Wmaybe-uninitialized for optional<string> members
// assigned in an inlined body.
[[gnu::noinline]] CommitInfo Info(std::string_view operation,
                                  std::optional<int64_t> in_commit_timestamp = std::nullopt) {
  CommitInfo info;
  info.operation = std::string(operation);
  info.in_commit_timestamp = in_commit_timestamp;
  return info;
}

std::vector<std::string> Paths(const FileList& files) {
  std::vector<std::string> out;
  for (const FileRef f : files) out.push_back(std::string(f.path()));
  return out;
}

std::vector<std::string> Paths(const std::vector<Remove>& files) {
  std::vector<std::string> out;
  for (const Remove& f : files) out.push_back(f.path);
  return out;
}

// Replays commits given oldest first (as they would be written).
Result<LogState> Replay(std::vector<std::vector<Action>> commits) {
  int64_t version = static_cast<int64_t>(commits.size()) - 1;
  LogReplayer replayer(version, "/t/_delta_log");
  for (int64_t v = version; v >= 0; --v) {
    SILT_RETURN_NOT_OK(replayer.AddCommit(v, std::move(commits[v]), 1000 + v));
  }
  return std::move(replayer).Finish();
}

TEST(LogReplayTest, AddsAndRemoves) {
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({
                                       {P(), M(), A("a"), A("b"), A("c")},
                                       {R("b"), A("d")},
                                       {R("c"), A("c", 7)},  // re-added in the same commit
                                   }));
  EXPECT_EQ(s.version, 2);
  // Log order: a re-added file sits where its newest add is.
  EXPECT_EQ(Paths(s.files), (std::vector<std::string>{"a", "d", "c"}));
  EXPECT_EQ(Paths(s.tombstones), (std::vector<std::string>{"b"}));
  // The live "c" is the newest add.
  EXPECT_EQ(s.files[2].size(), 7);
  EXPECT_EQ(s.metadata.id, "table-id");
  EXPECT_EQ(s.protocol, P());
}

TEST(LogReplayTest, RemoveThenReAdd) {
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({
                                       {P(), M(), A("a")},
                                       {R("a")},
                                       {A("a", 5)},
                                   }));
  EXPECT_EQ(Paths(s.files), std::vector<std::string>{"a"});
  EXPECT_EQ(s.files[0].size(), 5);
  EXPECT_TRUE(s.tombstones.empty());
}

TEST(LogReplayTest, RestatingAFileKeepsTheNewestAdd) {
  Add restated = A("a");
  restated.stats = R"({"numRecords":3})";
  restated.data_change = false;
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({{P(), M(), A("a")}, {restated}}));
  ASSERT_EQ(s.files.size(), 1u);
  EXPECT_EQ(s.files[0].stats(), restated.stats);
}

TEST(LogReplayTest, DeletionVectorsArePartOfTheFileIdentity) {
  // A DV-based DELETE: remove(path, no DV) + add(path, DV1); then another: remove(path, DV1) +
  // add(path, DV2).
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({
                                       {P(3, 7), M(), A("f"), A("g")},
                                       {R("f"), A("f", 1, "dv1")},
                                       {R("f", "dv1"), A("f", 1, "dv2")},
                                   }));
  ASSERT_EQ(s.files.size(), 2u);
  EXPECT_EQ(s.files[0].path(), "g");
  EXPECT_EQ(s.files[1].path(), "f");
  ASSERT_TRUE(s.files[1].deletion_vector().has_value());
  EXPECT_EQ(s.files[1].deletion_vector()->path_or_inline_dv, "dv2");
  ASSERT_EQ(s.tombstones.size(), 2u);  // (f, none) and (f, dv1)
  EXPECT_FALSE(s.tombstones[0].deletion_vector.has_value());
  EXPECT_EQ(s.tombstones[1].deletion_vector->path_or_inline_dv, "dv1");
}

TEST(LogReplayTest, PathsAreComparedDecoded) {
  // Spark writes non-ASCII raw, kernel percent-encodes; a space is always encoded.
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({
                                       {P(), M(), A("c=%C3%A9/a%20b.parquet"), A("x.parquet")},
                                       {R("c=\xc3\xa9/a%20b.parquet")},
                                   }));
  EXPECT_EQ(Paths(s.files), std::vector<std::string>{"x.parquet"});
  ASSERT_EQ(s.tombstones.size(), 1u);
  Result<LogState> bad = Replay({{P(), M(), A("bad%zz")}});
  ASSERT_STATUS_CODE(kCorruption, bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("00000000000000000000.json"));
  EXPECT_THAT(bad.error().message(), HasSubstr("invalid percent escape"));
}

TEST(LogReplayTest, FileKeysAreCanonical) {
  auto key = [](std::string path, std::string_view root = "/t") {
    return FileKeyOf(path, std::nullopt, root).value().path;
  };
  EXPECT_EQ(key("a%20b.parquet"), "a b.parquet");
  EXPECT_EQ(key("/t/a.parquet"), "a.parquet");
  EXPECT_EQ(key("file:/t/a.parquet"), "a.parquet");
  EXPECT_EQ(key("file:///t/d%3D1/a.parquet"), "d=1/a.parquet");
  EXPECT_EQ(key("file://localhost/t/a.parquet"), "a.parquet");
  EXPECT_EQ(key("file:/elsewhere/a.parquet"), "/elsewhere/a.parquet");
  EXPECT_EQ(key("file://otherhost/t/a.parquet"), "file://otherhost/t/a.parquet");
  EXPECT_EQ(key("s3://bucket/t/a.parquet", "s3://bucket/t"), "a.parquet");
  EXPECT_EQ(key("s3://bucket/t2/a.parquet", "s3://bucket/t"), "s3://bucket/t2/a.parquet");
  EXPECT_EQ(key("/t/a.parquet", "file:///t/"), "a.parquet");
  EXPECT_EQ(key("/tx/a.parquet"), "/tx/a.parquet");
  EXPECT_EQ(key("/t/a.parquet", ""), "/t/a.parquet");
}

TEST(LogReplayTest, RemoveWithAnAbsoluteUriMatchesARelativeAdd) {
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({
                                       {P(), M(), A("a%20b.parquet"), A("/elsewhere/x")},
                                       {R("file:/t/a%20b.parquet"), R("file:///elsewhere/x")},
                                   }));
  EXPECT_TRUE(s.files.empty());
  EXPECT_EQ(s.tombstones.size(), 2u);
}

TEST(LogReplayTest, LatestProtocolMetadataTxnAndDomains) {
  ASSERT_OK_AND_ASSIGN(
      LogState s,
      Replay({
          {P(1, 2), M("first"), SetTransaction{"app1", 1, 10}, SetTransaction{"app2", 5, {}},
           DomainMetadata{"delta.rowTracking", R"({"rowIdHighWaterMark":1})", false},
           DomainMetadata{"gone", "x", false}, DomainMetadata{"back", "old", false}},
          {P(3, 7), SetTransaction{"app1", 2, 20}, DomainMetadata{"gone", "x", true},
           DomainMetadata{"back", "old", true}},
          {M("second"), DomainMetadata{"back", "new", false},
           DomainMetadata{"delta.rowTracking", R"({"rowIdHighWaterMark":9})", false}},
      }));
  EXPECT_EQ(s.protocol.min_reader_version, 3);
  EXPECT_EQ(s.metadata.id, "second");
  ASSERT_EQ(s.app_transactions.size(), 2u);
  EXPECT_EQ(s.app_transactions.at("app1").version, 2);
  EXPECT_EQ(s.app_transactions.at("app1").last_updated, std::optional<int64_t>(20));
  EXPECT_EQ(s.app_transactions.at("app2").version, 5);
  ASSERT_EQ(s.domain_metadata.size(), 2u);
  EXPECT_EQ(s.domain_metadata.at("delta.rowTracking").configuration,
            R"({"rowIdHighWaterMark":9})");
  EXPECT_EQ(s.domain_metadata.at("back").configuration, "new");
  EXPECT_FALSE(s.domain_metadata.contains("gone"));
}

TEST(LogReplayTest, MissingProtocolOrMetadataIsCorruption) {
  Result<LogState> no_protocol = Replay({{M(), A("a")}});
  ASSERT_STATUS_CODE(kCorruption, no_protocol);
  EXPECT_THAT(no_protocol.error().message(), HasSubstr("no protocol action"));
  Result<LogState> no_metadata = Replay({{P(), A("a")}, {A("b")}});
  ASSERT_STATUS_CODE(kCorruption, no_metadata);
  EXPECT_THAT(no_metadata.error().message(), HasSubstr("no metaData action"));
  EXPECT_THAT(no_metadata.error().message(), HasSubstr("version 1"));
}

TEST(LogReplayTest, CommitInfoAndTimestampsComeFromTheLatestCommit) {
  CommitInfo old_info = Info("CREATE TABLE", 111);
  CommitInfo latest_info = Info("WRITE");
  ASSERT_OK_AND_ASSIGN(LogState no_ict, Replay({{old_info, P(), M()}, {latest_info, A("a")}}));
  ASSERT_TRUE(no_ict.commit_info.has_value());
  EXPECT_EQ(no_ict.commit_info->operation, std::optional<std::string>("WRITE"));
  EXPECT_FALSE(no_ict.in_commit_timestamp.has_value());
  EXPECT_EQ(no_ict.timestamp_ms, 1001);  // the commit file's modification time

  latest_info.in_commit_timestamp = 222;
  ASSERT_OK_AND_ASSIGN(LogState ict, Replay({{old_info, P(), M()}, {latest_info, A("a")}}));
  EXPECT_EQ(ict.in_commit_timestamp, std::optional<int64_t>(222));
  EXPECT_EQ(ict.timestamp_ms, 222);

  ASSERT_OK_AND_ASSIGN(LogState none, Replay({{old_info, P(), M()}, {A("a")}}));
  EXPECT_FALSE(none.commit_info.has_value());
  EXPECT_EQ(none.timestamp_ms, 1001);
}

TEST(LogReplayTest, CdcAndCheckpointOnlyActionsDoNotChangeState) {
  AddCDCFile cdc;
  cdc.path = "_change_data/c.parquet";
  ASSERT_OK_AND_ASSIGN(LogState s, Replay({{P(), M(), A("a")},
                                           {cdc, Sidecar{"s.parquet", 1, 1, {}},
                                            CheckpointMetadata{1, {}}}}));
  EXPECT_EQ(Paths(s.files), std::vector<std::string>{"a"});
}

TEST(LogReplayTest, CommitsMustComeNewestFirst) {
  LogReplayer replayer(5, "/t/_delta_log");
  ASSERT_STATUS_CODE(kInvalidArgument, replayer.AddCommit(6, {}));
  ASSERT_OK(replayer.AddCommit(5, {}));
  ASSERT_STATUS_CODE(kInvalidArgument, replayer.AddCommit(5, {}));
  ASSERT_OK(replayer.AddCommit(3, {}));
  ASSERT_OK(replayer.AddCheckpointActions({}));
  ASSERT_STATUS_CODE(kInvalidArgument, replayer.AddCommit(2, {}));
}

TEST(LogReplayTest, CheckpointActionsAreShadowedByCommits) {
  LogReplayer replayer(12, "/t/_delta_log");
  ASSERT_OK(replayer.AddCommit(12, {A("new"), R("old1")}));
  ASSERT_OK(replayer.AddCommit(11, {P(3, 7), A("old2", 99)}));
  // The checkpoint at version 10.
  ASSERT_OK(replayer.AddCheckpointActions({P(1, 2), M("cp")}));
  ASSERT_OK(replayer.AddCheckpointActions({A("old1"), A("old2", 1), A("old3"), R("gone")}));
  ASSERT_OK_AND_ASSIGN(LogState s, std::move(replayer).Finish());
  EXPECT_EQ(s.protocol.min_reader_version, 3);
  EXPECT_EQ(s.metadata.id, "cp");
  // The checkpoint's files first, then the commits' in the order they were committed.
  EXPECT_EQ(Paths(s.files), (std::vector<std::string>{"old3", "old2", "new"}));
  EXPECT_EQ(s.files[1].size(), 99);
  EXPECT_EQ(Paths(s.tombstones), (std::vector<std::string>{"gone", "old1"}));
}

TEST(LogReplayTest, LargeShuffledCheckpointComesOutInLogOrderAndIntact) {
  // Checkpoint files in no path order, in parts: every file must land once, in the
  // checkpoint's order (the parts' in turn), with its own fields, the commit's after them.
  constexpr int kFiles = 5000;
  std::vector<int> order(kFiles);
  for (int i = 0; i < kFiles; ++i) order[i] = i;
  std::mt19937 rng(7);
  std::shuffle(order.begin(), order.end(), rng);
  auto path = [](int i) { return fmt::format("d={}/part-{:05}.parquet", i % 7, i); };
  LogReplayer replayer(2, "/t/_delta_log");
  ASSERT_OK(replayer.AddCommit(2, {A(path(kFiles), kFiles), R(path(order[0]))}));
  ASSERT_OK(replayer.AddCheckpointActions({P(), M()}));
  // Three parts, as three row groups read on three threads would be, adds fed as actions and
  // as views.
  std::vector<LogReplayer::CheckpointPart> parts;
  for (int p = 0; p < 3; ++p) parts.push_back(replayer.NewCheckpointPart());
  for (int k = 0; k < kFiles; ++k) {
    const int i = order[k];
    LogReplayer::CheckpointPart& part = parts[static_cast<size_t>(k * 3 / kFiles)];
    Add add = A(path(i), i);
    add.partition_values["d"] = std::to_string(i % 7);
    add.stats = fmt::format(R"({{"numRecords":{}}})", i);
    if (k % 2 == 0) {
      Action action(std::move(add));
      ASSERT_OK(part.AddAction(action));
    } else {
      // Views into an add the part keeps alive, as into a decoded checkpoint column.
      auto held = std::make_shared<const Add>(std::move(add));
      part.HoldBytes(held);
      std::vector<PartitionValueRef> values;
      AddExtras extras;
      ASSERT_OK(part.AddAddViews(FieldsOf(*held, values, extras)));
    }
  }
  for (auto& part : parts) ASSERT_OK(replayer.AddCheckpointPart(std::move(part)));
  ASSERT_OK_AND_ASSIGN(LogState s, std::move(replayer).Finish());
  ASSERT_EQ(s.files.size(), static_cast<size_t>(kFiles));  // one removed, one added
  std::vector<int64_t> expected(order.begin() + 1, order.end());  // order[0] was removed
  expected.push_back(kFiles);                                     // the commit's add
  std::vector<int64_t> sizes;
  for (const Add& f : s.files.ToVector()) {
    const int64_t i = f.size;
    sizes.push_back(i);
    EXPECT_EQ(f.path, path(static_cast<int>(i)));
    if (i == kFiles) continue;
    EXPECT_EQ(f.partition_values.at("d"), std::to_string(i % 7));
    EXPECT_EQ(f.stats, fmt::format(R"({{"numRecords":{}}})", i));
  }
  EXPECT_EQ(sizes, expected);
}

TEST(LogReplayTest, RepeatedCheckpointFileKeepsReplayOrder) {
  // A checkpoint should hold each file once; one that does not keeps both, in replay order.
  LogReplayer replayer(1, "/t/_delta_log");
  ASSERT_OK(replayer.AddCommit(1, {}));
  ASSERT_OK(replayer.AddCheckpointActions({P(), M(), A("b", 1), A("a", 2), A("b", 3)}));
  ASSERT_OK_AND_ASSIGN(LogState s, std::move(replayer).Finish());
  EXPECT_EQ(Paths(s.files), (std::vector<std::string>{"b", "a", "b"}));
  EXPECT_EQ(s.files[0].size(), 1);
  EXPECT_EQ(s.files[2].size(), 3);
}

// ---------------------------------------------------------------------------------------------
// Replaying a log segment through a FileSystem.

class ReplayLogSegmentTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, std::string_view content) {
    ASSERT_OK(fs_.Put("/t/_delta_log/" + name, content));
  }
  void Commit(int64_t version, const std::vector<Action>& actions) {
    Write(CommitFileName(version), ToCommitFile(actions));
  }
  Result<LogState> Load(LogSegmentOptions options = {}) {
    SILT_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(fs_, "/t", options));
    return ReplayLogSegment(fs_, segment);
  }

  fs::MemoryFileSystem fs_{[] { return int64_t{1234}; }};
};

TEST_F(ReplayLogSegmentTest, ReplaysCommitFiles) {
  Commit(0, {P(), M(), A("a"), A("b")});
  Commit(1, {R("a"), A("c")});
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(Paths(s.files), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(s.timestamp_ms, 1234);
  ASSERT_OK_AND_ASSIGN(LogState v0, Load({.version = 0}));
  EXPECT_EQ(Paths(v0.files), (std::vector<std::string>{"a", "b"}));
}

TEST_F(ReplayLogSegmentTest, CorruptLineNamesFileAndLine) {
  Commit(0, {P(), M(), A("a")});
  Write(CommitFileName(1), "{\"add\":{\"path\":\"b\",\"partitionValues\":{},\"size\":1,"
                           "\"modificationTime\":1,\"dataChange\":true}}\n{\"remove\":{\"pa");
  Result<LogState> r = Load();
  ASSERT_STATUS_CODE(kCorruption, r);
  EXPECT_THAT(r.error().message(),
              HasSubstr("/t/_delta_log/00000000000000000001.json line 2: invalid JSON"));
}

// Commits are parsed a window at a time on two threads; errors still come in replay order
// (newest first): of several corrupt commits the newest is reported, in any window.
TEST_F(ReplayLogSegmentTest, OfSeveralCorruptCommitsTheNewestIsReported) {
  Commit(0, {P(), M()});
  for (int64_t v = 1; v < 300; ++v) Commit(v, {A(fmt::format("f{}", v))});
  const std::string bad = "{\"add\":{\"path\"";
  auto corrupt = [&](int64_t v) { Write(CommitFileName(v), bad); };
  auto fix = [&](int64_t v) {
    ASSERT_OK(fs_.DeleteFile("/t/_delta_log/" + CommitFileName(v)));
    Commit(v, {A(fmt::format("f{}", v))});
  };
  corrupt(250);
  corrupt(180);
  corrupt(50);
  for (int64_t expected : {250, 180, 50}) {
    Result<LogState> r = Load();
    ASSERT_STATUS_CODE(kCorruption, r);
    EXPECT_THAT(r.error().message(), HasSubstr(CommitFileName(expected))) << r.error();
    fix(expected);
  }
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(s.files.size(), 299u);
}

TEST_F(ReplayLogSegmentTest, JsonV2Checkpoint) {
  Commit(0, {P(3, 7), M(), A("a"), A("b")});
  Commit(1, {R("a")});
  Commit(2, {A("c")});
  // The checkpoint of version 1, then commit 0 cleaned up.
  Write(UuidCheckpointFileName(1, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "json"),
        ToCommitFile(std::vector<Action>{CheckpointMetadata{1, {}}, P(3, 7), M(), A("b"),
                                         R("a")}));
  ASSERT_OK(fs_.DeleteFile("/t/_delta_log/" + CommitFileName(0)));
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  EXPECT_EQ(s.version, 2);
  EXPECT_EQ(Paths(s.files), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(Paths(s.tombstones), (std::vector<std::string>{"a"}));
}

TEST_F(ReplayLogSegmentTest, ParquetCheckpointsAndSidecarsAreUnsupportedForNow) {
  Commit(0, {P(), M(), A("a")});
  Commit(1, {A("b")});
  Write(CheckpointFileName(1), "PAR1...PAR1");
  Result<LogState> r = Load();
  ASSERT_STATUS_CODE(kUnsupported, r);
  EXPECT_THAT(r.error().message(), HasSubstr("00000000000000000001.checkpoint.parquet"));
  // With every commit still present, the checkpoint can be skipped.
  ASSERT_OK_AND_ASSIGN(LogState s, Load({.version = std::nullopt, .ignore_checkpoints = true}));
  EXPECT_EQ(Paths(s.files), (std::vector<std::string>{"a", "b"}));

  Write(UuidCheckpointFileName(1, "3a0d65cd-4056-49b8-937b-95f9e3ee90e5", "json"),
        ToCommitFile(std::vector<Action>{CheckpointMetadata{1, {}}, P(), M(),
                                         Sidecar{"x.parquet", 1, 1, {}}}));
  ASSERT_OK(fs_.DeleteFile("/t/_delta_log/" + CheckpointFileName(1)));
  Result<LogState> sidecar = Load();
  ASSERT_STATUS_CODE(kUnsupported, sidecar);
  EXPECT_THAT(sidecar.error().message(), HasSubstr("/t/_delta_log/_sidecars/x.parquet"));
}

TEST_F(ReplayLogSegmentTest, TenThousandCommitsLoadFast) {
  constexpr int64_t kCommits = 10000;
  Commit(0, {P(), M()});
  for (int64_t v = 1; v < kCommits; ++v) {
    CommitInfo info = Info("WRITE");
    info.timestamp = 1700000000000 + v;
    std::vector<Action> actions{info, A(fmt::format("part-{:05d}.parquet", v), v)};
    // Every tenth commit compacts the previous file away.
    if (v % 10 == 0) actions.push_back(R(fmt::format("part-{:05d}.parquet", v - 1)));
    actions.push_back(SetTransaction{"stream", v, {}});
    Commit(v, actions);
  }
  auto start = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(LogState s, Load());
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.version, kCommits - 1);
  EXPECT_EQ(s.files.size(), static_cast<size_t>(kCommits - 1 - (kCommits - 1) / 10));
  EXPECT_EQ(s.tombstones.size(), static_cast<size_t>((kCommits - 1) / 10));
  EXPECT_EQ(s.app_transactions.at("stream").version, kCommits - 1);
  double seconds = std::chrono::duration<double>(elapsed).count();
  RecordProperty("load_seconds", fmt::format("{:.3f}", seconds));
  // Generous even for sanitizer builds on a loaded machine; a release build takes ~50 ms.
  EXPECT_LT(seconds, 20.0);
}

}  // namespace
}  // namespace silt::delta
