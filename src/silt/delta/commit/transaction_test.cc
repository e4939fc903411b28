#include "silt/delta/commit/transaction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "silt/base/uuid.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/commit/table_creation.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/fs/fault_injection_file_system.h"
#include "silt/fs/memory_file_system.h"
#include "silt/json/json_reader.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;

constexpr char kRoot[] = "/tables/events";

class TransactionTest : public ::testing::Test {
 protected:
  TransactionOptions Options() {
    TransactionOptions o;
    o.clock = [this] { return clock_; };
    o.checkpoint_after_commit = false;
    return o;
  }

  col::SchemaPtr Schema() {
    return col::Schema::Make({col::Field("id", col::Int64()), col::Field("part", col::String())});
  }

  // Creates the table (version 0), partitioned by `part` unless `partitioned` is false.
  void CreateTable(StringMap properties = {}, bool partitioned = true) {
    NewTableOptions options;
    options.schema = Schema();
    if (partitioned) options.partition_columns = {"part"};
    options.properties = std::move(properties);
    ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, clock_));
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs_, kRoot, Options()));
    EXPECT_EQ(txn->read_snapshot(), nullptr);
    EXPECT_EQ(txn->read_version(), -1);
    txn->SetProtocol(actions.first);
    txn->SetMetadata(actions.second);
    ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
    ASSERT_EQ(r.version, 0);
  }

  Add MakeAdd(const std::string& path, std::optional<std::string> part = "a",
              std::optional<std::string> stats = std::nullopt) {
    Add add;
    add.path = path;
    add.partition_values = {{"part", std::move(part)}};
    add.size = 100;
    add.modification_time = clock_;
    add.stats = std::move(stats);
    return add;
  }

  std::unique_ptr<Transaction> Begin() {
    auto txn = Transaction::Begin(fs_, kRoot, Options());
    EXPECT_OK(txn);
    return txn.ok() ? std::move(*txn) : nullptr;
  }

  // Commits a blind append of `paths`.
  int64_t Append(std::vector<std::string> paths, std::string part = "a") {
    auto txn = Begin();
    for (const std::string& p : paths) txn->AddFile(MakeAdd(p, part));
    auto r = txn->Commit();
    EXPECT_OK(r);
    return r.ok() ? r->version : -1;
  }

  std::shared_ptr<const Snapshot> Load() {
    auto s = Snapshot::Load(fs_, kRoot);
    EXPECT_OK(s);
    return s.ok() ? *s : nullptr;
  }

  std::vector<std::string> LivePaths() {
    std::vector<std::string> out;
    std::shared_ptr<const Snapshot> snapshot = Load();
    for (const Add& a : snapshot->files().ToVector()) out.push_back(a.path);
    return out;
  }

  std::string CommitText(int64_t version) {
    auto text = fs_.ReadFile(fs::JoinPath(LogDirFor(kRoot), CommitFileName(version)));
    EXPECT_OK(text);
    return text.ok() ? *text : "";
  }

  int64_t clock_ = 1'700'000'000'000;
  fs::MemoryFileSystem fs_{[this] { return clock_; }};
};

TEST_F(TransactionTest, CreateThenAppend) {
  CreateTable();
  auto snapshot = Load();
  EXPECT_EQ(snapshot->version(), 0);
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"part"});
  EXPECT_TRUE(snapshot->files().empty());

  auto txn = Begin();
  EXPECT_EQ(txn->read_version(), 0);
  txn->AddFile(MakeAdd("part=a/f1.parquet"));
  txn->AddFile(MakeAdd("part=b/f2.parquet", "b"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_FALSE(r.skipped_idempotent);
  EXPECT_EQ(LivePaths(), (std::vector<std::string>{"part=a/f1.parquet", "part=b/f2.parquet"}));

  // The post-commit snapshot equals a fresh load.
  ASSERT_NE(r.snapshot, nullptr);
  EXPECT_EQ(r.snapshot->version(), 1);
  EXPECT_EQ(r.snapshot->files(), Load()->files());
  EXPECT_EQ(r.snapshot->metadata(), Load()->metadata());

  // Commit() may be called once.
  ASSERT_STATUS_CODE(kInvalidArgument, txn->Commit());
}

TEST_F(TransactionTest, CommitFileLayoutAndCommitInfo) {
  CreateTable();
  // Version 0: commitInfo, protocol, metaData, in that order.
  {
    std::string text = CommitText(0);
    ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ParseCommitFile(text, "0.json"));
    ASSERT_EQ(actions.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<CommitInfo>(actions[0]));
    EXPECT_TRUE(std::holds_alternative<Protocol>(actions[1]));
    EXPECT_TRUE(std::holds_alternative<Metadata>(actions[2]));
    EXPECT_EQ(std::get<CommitInfo>(actions[0]).operation, "CREATE TABLE");
  }
  clock_ += 5000;
  auto txn = Begin();
  txn->AddFile(MakeAdd("part=a/f1.parquet"));
  txn->SetAppTransaction("stream-1", 7);
  txn->SetOperation("STREAMING UPDATE",
                    {{"outputMode", "\"Append\""}, {"epochId", "7"}, {"queryId", "not json"}},
                    {{"numAddedFiles", "1"}, {"numOutputRows", "10"}});
  txn->SetCommitInfoField("userMetadata", "\"nightly\"");
  txn->SetCommitInfoField("engineInfo", "\"custom-engine\"");  // replaces the standard field
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  ASSERT_EQ(r.version, 1);

  std::string text = CommitText(1);
  std::string first_line = text.substr(0, text.find('\n'));
  json::Parser parser;
  ASSERT_OK_AND_ASSIGN(json::Object line, parser.ParseObject(first_line));
  ASSERT_OK_AND_ASSIGN(json::Object info, line.GetObject("commitInfo"));
  EXPECT_EQ(*info.GetInt64("timestamp"), clock_);
  EXPECT_EQ(*info.GetString("operation"), "STREAMING UPDATE");
  ASSERT_OK_AND_ASSIGN(json::Object params, info.GetObject("operationParameters"));
  EXPECT_EQ(*params.GetString("outputMode"), "Append");
  EXPECT_EQ(*params.GetInt64("epochId"), 7);
  EXPECT_EQ(*params.GetString("queryId"), "not json");
  ASSERT_OK_AND_ASSIGN(json::Object metrics, info.GetObject("operationMetrics"));
  EXPECT_EQ(*metrics.GetString("numAddedFiles"), "1");
  EXPECT_EQ(*metrics.GetString("numOutputRows"), "10");
  EXPECT_EQ(*info.GetInt64("readVersion"), 0);
  EXPECT_EQ(*info.GetString("isolationLevel"), "Serializable");
  EXPECT_EQ(*info.GetBool("isBlindAppend"), true);
  EXPECT_EQ(*info.GetString("engineInfo"), "custom-engine");
  EXPECT_EQ(*info.GetString("userMetadata"), "nightly");
  EXPECT_TRUE(IsUuid(*info.GetString("txnId")));
  EXPECT_FALSE(info.Has("inCommitTimestamp"));
  EXPECT_EQ(info.ToJson().find("\"engineInfo\""), info.ToJson().rfind("\"engineInfo\""));

  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ParseCommitFile(text, "1.json"));
  ASSERT_EQ(actions.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<SetTransaction>(actions[1]));
  EXPECT_EQ(std::get<SetTransaction>(actions[1]), (SetTransaction{"stream-1", 7, clock_}));
  EXPECT_TRUE(std::holds_alternative<Add>(actions[2]));
  EXPECT_EQ(Load()->AppTransactionVersion("stream-1"), 7);
}

TEST_F(TransactionTest, DefaultEngineInfoAndNonBlindCommitInfo) {
  CreateTable();
  Append({"part=a/f1.parquet"});
  auto txn = Begin();
  txn->ReadPredicate(*expr::Parse("part = 'a'"));
  txn->RemoveFile(RemoveFromAdd(txn->read_snapshot()->files()[0].ToAdd(), clock_));
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(fs_, kRoot, 2));
  const CommitInfo& info = std::get<CommitInfo>(actions[0]);
  EXPECT_EQ(info.is_blind_append, false);
  EXPECT_NE(info.raw_json.find("\"engineInfo\":\"silt/0.1.0\""), std::string::npos)
      << info.raw_json;
  EXPECT_NE(info.raw_json.find("\"operation\":\"WRITE\""), std::string::npos);
  EXPECT_TRUE(LivePaths().empty());
}

TEST_F(TransactionTest, RemovesGetTheDeletionTimestampFromTheClock) {
  CreateTable();
  Append({"part=a/f1.parquet"});
  clock_ += 123;
  auto txn = Begin();
  Remove r;
  r.path = "part=a/f1.parquet";
  txn->RemoveFile(r);
  ASSERT_OK(txn->Commit());
  auto snapshot = Load();
  ASSERT_EQ(snapshot->tombstones().size(), 1u);
  EXPECT_EQ(snapshot->tombstones()[0].deletion_timestamp, clock_);
}

TEST_F(TransactionTest, InCommitTimestampsAreMonotonic) {
  CreateTable({{"delta.enableInCommitTimestamps", "true"}});
  int64_t t0 = clock_;
  EXPECT_EQ(Load()->timestamp_ms(), t0);
  // The clock goes backwards: the next ICT is still one past the previous one.
  clock_ -= 10'000;
  Append({"part=a/f1.parquet"});
  EXPECT_EQ(Load()->timestamp_ms(), t0 + 1);
  clock_ = t0 + 50'000;
  Append({"part=a/f2.parquet"});
  EXPECT_EQ(Load()->timestamp_ms(), t0 + 50'000);
  for (int64_t v = 0; v <= 2; ++v) {
    std::string text = CommitText(v);
    EXPECT_TRUE(text.starts_with("{\"commitInfo\":{")) << text;
    ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(fs_, kRoot, v));
    const CommitInfo& info = std::get<CommitInfo>(actions[0]);
    ASSERT_TRUE(info.in_commit_timestamp.has_value());
    EXPECT_EQ(info.timestamp, info.in_commit_timestamp);
  }
  // Rebased on a winner: one past the winner's ICT.
  clock_ = t0 + 60'000;
  auto loser = Begin();
  clock_ = t0 + 90'000;
  Append({"part=a/f3.parquet"});
  clock_ = t0 + 70'000;
  loser->AddFile(MakeAdd("part=a/f4.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, loser->Commit());
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(Load()->timestamp_ms(), t0 + 90'001);
}

TEST_F(TransactionTest, EnablingInCommitTimestampsRecordsTheEnablement) {
  CreateTable();
  Append({"part=a/f1.parquet"});
  auto txn = Begin();
  Metadata m = txn->read_snapshot()->metadata();
  m.configuration["delta.enableInCommitTimestamps"] = "true";
  Protocol p = txn->read_snapshot()->protocol();
  p.min_writer_version = 7;
  p.writer_features = std::vector<std::string>{"appendOnly", "invariants", "inCommitTimestamp"};
  txn->SetProtocol(p);
  txn->SetMetadata(m);
  clock_ += 1000;
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_EQ(r.version, 2);
  auto snapshot = Load();
  EXPECT_EQ(snapshot->Property("delta.inCommitTimestampEnablementVersion"), "2");
  EXPECT_EQ(snapshot->Property("delta.inCommitTimestampEnablementTimestamp"),
            std::to_string(clock_));
  EXPECT_EQ(snapshot->timestamp_ms(), clock_);
}

TEST_F(TransactionTest, BlindAppendsNeverConflictAndLandAtDenseVersions) {
  CreateTable();
  std::vector<std::unique_ptr<Transaction>> txns;
  for (int i = 0; i < 5; ++i) {
    txns.push_back(Begin());
    txns.back()->AddFile(MakeAdd("part=a/f" + std::to_string(i) + ".parquet"));
  }
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(CommitResult r, txns[i]->Commit());
    EXPECT_EQ(r.version, i + 1);
    EXPECT_EQ(r.attempts, i == 0 ? 1 : 2);  // one failed put, then straight to the free version
    ASSERT_NE(r.snapshot, nullptr);
    EXPECT_EQ(r.snapshot->files().size(), static_cast<size_t>(i + 1));
    EXPECT_EQ(r.snapshot->files(), Load()->files());
  }
  EXPECT_EQ(Load()->version(), 5);
  EXPECT_EQ(LivePaths().size(), 5u);
}

// The snapshot returned after a rebase over winners equals a fresh load: the read snapshot's
// files merged with what the winners and this commit decided, paths matched canonically (a
// remove by absolute path or file: URI, percent-encoded names).
TEST_F(TransactionTest, RebasedPostCommitSnapshotEqualsAFreshLoad) {
  CreateTable();
  Append({"part=a/f1.parquet", "part=a/f%20two.parquet", "part=a/z9.parquet"});
  Append({"part=b/f3.parquet"}, "b");
  std::shared_ptr<const Snapshot> stale = Load();
  {
    auto txn = Begin();
    Remove r = RemoveFromAdd(MakeAdd("part=a/f1.parquet"), clock_);
    r.path = "file:///tables/events/part=a/f1.parquet";
    txn->RemoveFile(r);
    txn->AddFile(MakeAdd("part=a/a0.parquet"));
    ASSERT_OK(txn->Commit());
  }
  {
    auto txn = Begin();
    Remove r = RemoveFromAdd(MakeAdd("part=a/f%20two.parquet"), clock_);
    r.path = "/tables/events/part=a/f two.parquet";
    txn->RemoveFile(r);
    txn->AddFile(MakeAdd("part=a/f1.parquet"));  // re-added: no longer a tombstone
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::BeginAt(fs_, stale, Options()));
  std::vector<Add> read = {stale->files().back().ToAdd()};
  ASSERT_EQ(read[0].path, "part=b/f3.parquet");
  txn->ReadFiles(read);
  txn->RemoveFile(RemoveFromAdd(read[0], clock_));
  txn->AddFile(MakeAdd("part=c/f4.parquet", "c"));
  txn->AddFile(MakeAdd("part=a/0first.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_EQ(r.version, 5);
  EXPECT_EQ(r.attempts, 2);
  ASSERT_NE(r.snapshot, nullptr);
  std::shared_ptr<const Snapshot> loaded = Load();
  EXPECT_EQ(r.snapshot->version(), loaded->version());
  EXPECT_EQ(r.snapshot->files(), loaded->files());
  EXPECT_EQ(r.snapshot->tombstones(), loaded->tombstones());
  EXPECT_EQ(r.snapshot->protocol(), loaded->protocol());
  EXPECT_EQ(r.snapshot->metadata(), loaded->metadata());
  std::vector<std::string> paths;
  for (const Add& a : r.snapshot->files().ToVector()) paths.push_back(a.path);
  // Log order: each file where its newest add is, this commit's in the order it added them.
  EXPECT_EQ(paths, (std::vector<std::string>{"part=a/z9.parquet", "part=a/a0.parquet",
                                             "part=a/f1.parquet", "part=c/f4.parquet",
                                             "part=a/0first.parquet"}));
  EXPECT_EQ(r.snapshot->tombstones().size(), 2u);  // f two and f3
}

// A snapshot held past delta.logRetentionDuration: committing on it is fine while the log still
// holds the versions after it, and kConflict (nothing written) once they were cleaned up.
TEST_F(TransactionTest, BeginAtASnapshotWhoseNextCommitsWereCleanedUp) {
  CreateTable();
  std::shared_ptr<const Snapshot> old = Load();
  clock_ += 31LL * 24 * 3600 * 1000;  // past the default 30 days
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::BeginAt(fs_, old, Options()));
    txn->AddFile(MakeAdd("part=a/1.parquet"));
    ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());  // the table was idle: version 1
    EXPECT_EQ(r.version, 1);
  }
  Append({"part=a/2.parquet"});
  Append({"part=a/3.parquet"});
  clock_ += 31LL * 24 * 3600 * 1000;
  {
    // Versions 1 and 2 are still there: a rebase over them.
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::BeginAt(fs_, old, Options()));
    txn->AddFile(MakeAdd("part=a/4.parquet"));
    ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
    EXPECT_EQ(r.version, 4);
  }
  // Log cleanup after a checkpoint at 4 removed commits 0 to 3.
  ASSERT_OK(fs_.Put(fs::JoinPath(LogDirFor(kRoot), CheckpointFileName(4)), ""));
  for (int64_t v = 0; v < 4; ++v) {
    ASSERT_OK(fs_.DeleteFile(fs::JoinPath(LogDirFor(kRoot), CommitFileName(v))));
  }
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::BeginAt(fs_, old, Options()));
  txn->AddFile(MakeAdd("part=a/5.parquet"));
  Result<CommitResult> r = txn->Commit();
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_NE(r.status().message().find("cleaned up"), std::string::npos) << r.status().message();
  ASSERT_FALSE(fs_.Exists(fs::JoinPath(LogDirFor(kRoot), CommitFileName(1))).value());
}

TEST_F(TransactionTest, RetriesAreBounded) {
  CreateTable();
  TransactionOptions options = Options();
  options.max_attempts = 1;
  ASSERT_OK_AND_ASSIGN(auto loser, Transaction::Begin(fs_, kRoot, options));
  loser->AddFile(MakeAdd("part=a/late.parquet"));
  Append({"part=a/f1.parquet"});
  auto r = loser->Commit();
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_TRUE(r.error().retryable());
  EXPECT_EQ(ConflictKindOf(r.error()), std::nullopt);
  EXPECT_NE(r.error().message().find("1 attempts"), std::string::npos) << r.error();
  EXPECT_EQ(Load()->version(), 1);
}

// Two transactions on the same read version; `winner` commits first.
class ConflictTest : public TransactionTest {
 protected:
  void SetUp() override {
    CreateTable();
    Append({"part=a/f1.parquet"});
    Append({"part=b/f2.parquet"}, "b");
    winner_ = Begin();
    loser_ = Begin();
  }

  Add File(const std::string& path) {
    for (const FileRef a : loser_->read_snapshot()->files()) {
      if (a.path() == path) return a.ToAdd();
    }
    ADD_FAILURE() << "no file " << path;
    return loser_->read_snapshot()->files()[0].ToAdd();
  }

  // Commits the winner, then the loser; returns the loser's result.
  Result<CommitResult> Race() {
    auto w = winner_->Commit();
    EXPECT_OK(w);
    return loser_->Commit();
  }

  void ExpectConflict(ConflictKind kind) {
    auto r = Race();
    ASSERT_STATUS_CODE(kConflict, r);
    EXPECT_EQ(ConflictKindOf(r.error()), kind) << r.error();
    EXPECT_TRUE(r.error().message().starts_with(ConflictKindName(kind))) << r.error();
    EXPECT_NE(r.error().message().find("(version 3)"), std::string::npos) << r.error();
    EXPECT_EQ(Load()->version(), 3);
  }

  std::unique_ptr<Transaction> winner_;
  std::unique_ptr<Transaction> loser_;
};

TEST_F(ConflictTest, ProtocolChanged) {
  winner_->SetProtocol(Protocol{1, 3, std::nullopt, std::nullopt});
  loser_->SetProtocol(Protocol{1, 4, std::nullopt, std::nullopt});
  ExpectConflict(ConflictKind::kProtocolChanged);
}

TEST_F(ConflictTest, ProtocolUpgradeByWinnerAloneIsNoConflict) {
  winner_->SetProtocol(Protocol{1, 3, std::nullopt, std::nullopt});
  loser_->AddFile(MakeAdd("part=a/new.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, Race());
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(Load()->protocol().min_writer_version, 3);
}

TEST_F(ConflictTest, MetadataChanged) {
  Metadata m = winner_->read_snapshot()->metadata();
  m.configuration["user.note"] = "x";
  winner_->SetMetadata(m);
  loser_->AddFile(MakeAdd("part=a/new.parquet"));
  ExpectConflict(ConflictKind::kMetadataChanged);
}

TEST_F(ConflictTest, ConcurrentAppendIntoTheReadPartition) {
  winner_->AddFile(MakeAdd("part=a/new.parquet"));
  loser_->ReadPredicate(*expr::Parse("part = 'a'"));
  loser_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  ExpectConflict(ConflictKind::kConcurrentAppend);
}

TEST_F(ConflictTest, AppendOutsideTheReadPartitionIsNoConflict) {
  winner_->AddFile(MakeAdd("part=c/new.parquet", "c"));
  loser_->ReadPredicate(*expr::Parse("part = 'a'"));
  loser_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  ASSERT_OK_AND_ASSIGN(CommitResult r, Race());
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(LivePaths(), (std::vector<std::string>{"part=b/f2.parquet", "part=c/new.parquet"}));
}

TEST_F(ConflictTest, DataPredicateUsesTheWinnersStats) {
  // id > 100 cannot match a file whose ids are 1..10.
  winner_->AddFile(MakeAdd("part=a/small.parquet", "a",
                           R"({"numRecords":10,"minValues":{"id":1},"maxValues":{"id":10},)"
                           R"("nullCount":{"id":0}})"));
  loser_->ReadPredicate(*expr::Parse("id > 100"));
  loser_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  ASSERT_OK(Race());
}

TEST_F(ConflictTest, DataPredicateWithoutStatsConflicts) {
  winner_->AddFile(MakeAdd("part=a/nostats.parquet"));
  loser_->ReadPredicate(*expr::Parse("id > 100"));
  loser_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  ExpectConflict(ConflictKind::kConcurrentAppend);
}

TEST_F(ConflictTest, WholeTableReadConflictsWithAnyAppend) {
  winner_->AddFile(MakeAdd("part=z/new.parquet", "z"));
  loser_->ReadWholeTable();
  loser_->AddFile(MakeAdd("part=a/new2.parquet"));
  ExpectConflict(ConflictKind::kConcurrentAppend);
}

TEST_F(ConflictTest, BlindAppendWinnerIgnoredUnderWriteSerializable) {
  // Switch the table to WriteSerializable first, then race again.
  auto txn = Begin();
  Metadata m = txn->read_snapshot()->metadata();
  m.configuration["delta.isolationLevel"] = "WriteSerializable";
  txn->SetMetadata(m);
  ASSERT_OK(txn->Commit());
  winner_ = Begin();
  loser_ = Begin();
  winner_->AddFile(MakeAdd("part=a/new.parquet"));
  loser_->ReadPredicate(*expr::Parse("part = 'a'"));
  loser_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  ASSERT_OK_AND_ASSIGN(CommitResult r, Race());
  EXPECT_EQ(r.version, 5);
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(fs_, kRoot, 5));
  EXPECT_NE(std::get<CommitInfo>(actions[0]).raw_json.find("\"WriteSerializable\""),
            std::string::npos);
}

TEST_F(ConflictTest, CompactionUnderSnapshotIsolationIgnoresAppends) {
  winner_->AddFile(MakeAdd("part=a/new.parquet"));
  loser_->ReadPredicate(*expr::Parse("part = 'a'"));
  loser_->ReadFiles(std::vector<Add>{File("part=a/f1.parquet")});
  loser_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_, /*data_change=*/false));
  Add compacted = MakeAdd("part=a/compacted.parquet");
  compacted.data_change = false;
  loser_->AddFile(compacted);
  ASSERT_OK_AND_ASSIGN(CommitResult r, Race());
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(fs_, kRoot, r.version));
  EXPECT_NE(std::get<CommitInfo>(actions[0]).raw_json.find("\"SnapshotIsolation\""),
            std::string::npos);
}

TEST_F(ConflictTest, ConcurrentDeleteRead) {
  winner_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  loser_->ReadFiles(std::vector<Add>{File("part=a/f1.parquet")});
  loser_->AddFile(MakeAdd("part=a/rewritten.parquet"));
  ExpectConflict(ConflictKind::kConcurrentDeleteRead);
}

TEST_F(ConflictTest, ConcurrentDeleteDelete) {
  winner_->RemoveFile(RemoveFromAdd(File("part=b/f2.parquet"), clock_));
  loser_->RemoveFile(RemoveFromAdd(File("part=b/f2.parquet"), clock_));
  ExpectConflict(ConflictKind::kConcurrentDeleteDelete);
}

TEST_F(ConflictTest, DeletesOfDifferentFilesDoNotConflict) {
  winner_->RemoveFile(RemoveFromAdd(File("part=a/f1.parquet"), clock_));
  loser_->ReadFiles(std::vector<Add>{File("part=b/f2.parquet")});
  loser_->RemoveFile(RemoveFromAdd(File("part=b/f2.parquet"), clock_));
  ASSERT_OK(Race());
  EXPECT_TRUE(LivePaths().empty());
}

TEST_F(ConflictTest, ConcurrentTransactionWithTheSameAppId) {
  winner_->SetAppTransaction("app", 5);
  winner_->AddFile(MakeAdd("part=a/w.parquet"));
  loser_->SetAppTransaction("app", 6);
  loser_->AddFile(MakeAdd("part=a/l.parquet"));
  ExpectConflict(ConflictKind::kConcurrentTransaction);
}

TEST_F(ConflictTest, WinnerAlreadyCommittedOurIdempotentWrite) {
  winner_->SetAppTransaction("app", 6);
  winner_->AddFile(MakeAdd("part=a/w.parquet"));
  loser_->SetAppTransaction("app", 6);
  loser_->AddFile(MakeAdd("part=a/l.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, Race());
  EXPECT_TRUE(r.skipped_idempotent);
  EXPECT_EQ(r.version, 3);
  EXPECT_EQ(Load()->version(), 3);
  std::vector<std::string> live = LivePaths();
  EXPECT_EQ(std::count(live.begin(), live.end(), "part=a/l.parquet"), 0);
}

TEST_F(ConflictTest, OtherAppIdsDoNotConflict) {
  winner_->SetAppTransaction("app-1", 6);
  winner_->AddFile(MakeAdd("part=a/w.parquet"));
  loser_->SetAppTransaction("app-2", 1);
  loser_->AddFile(MakeAdd("part=a/l.parquet"));
  ASSERT_OK(Race());
  auto snapshot = Load();
  EXPECT_EQ(snapshot->AppTransactionVersion("app-1"), 6);
  EXPECT_EQ(snapshot->AppTransactionVersion("app-2"), 1);
}

TEST_F(ConflictTest, ConcurrentCreateOfTheSameTable) {
  // Two creators of an empty directory: the second sees a ProtocolChangedException.
  const std::string root = "/tables/fresh";
  NewTableOptions options;
  options.schema = Schema();
  std::vector<std::unique_ptr<Transaction>> creators;
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs_, root, Options()));
    ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, clock_));
    txn->SetProtocol(actions.first);
    txn->SetMetadata(actions.second);
    creators.push_back(std::move(txn));
  }
  ASSERT_OK(creators[0]->Commit());
  auto r = creators[1]->Commit();
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_EQ(ConflictKindOf(r.error()), ConflictKind::kProtocolChanged);
}

TEST_F(TransactionTest, ConcurrentChangesOfTheSameDomain) {
  CreateTable({{"delta.feature.domainMetadata", "supported"}});
  auto winner = Begin();
  auto loser = Begin();
  auto other = Begin();
  winner->SetDomainMetadata(DomainMetadata{"app.settings", R"({"v":1})", false});
  loser->SetDomainMetadata(DomainMetadata{"app.settings", R"({"v":2})", false});
  other->SetDomainMetadata(DomainMetadata{"app.other", "{}", false});
  ASSERT_OK(winner->Commit());
  auto r = loser->Commit();
  ASSERT_STATUS_CODE(kConflict, r);
  EXPECT_EQ(ConflictKindOf(r.error()), ConflictKind::kConcurrentTransaction) << r.error();
  EXPECT_NE(r.error().message().find("app.settings"), std::string::npos) << r.error();
  ASSERT_OK(other->Commit());  // another domain: no conflict
  auto snapshot = Load();
  EXPECT_EQ(snapshot->domain_metadata().at("app.settings").configuration, R"({"v":1})");
  EXPECT_TRUE(snapshot->domain_metadata().contains("app.other"));
}

TEST_F(TransactionTest, IdempotentWritesAreAppliedOnce) {
  CreateTable();
  auto write = [&](const std::string& app, int64_t version, const std::string& path) {
    auto txn = Begin();
    txn->SetAppTransaction(app, version);
    txn->AddFile(MakeAdd(path));
    auto r = txn->Commit();
    EXPECT_OK(r);
    return r.ok() ? *r : CommitResult{};
  };
  CommitResult first = write("app", 1, "part=a/b1.parquet");
  EXPECT_FALSE(first.skipped_idempotent);
  EXPECT_EQ(first.version, 1);
  CommitResult again = write("app", 1, "part=a/b1-retry.parquet");
  EXPECT_TRUE(again.skipped_idempotent);
  EXPECT_EQ(again.version, 1);
  EXPECT_EQ(again.attempts, 0);
  CommitResult lower = write("app", 0, "part=a/b0.parquet");
  EXPECT_TRUE(lower.skipped_idempotent);
  CommitResult next = write("app", 2, "part=a/b2.parquet");
  EXPECT_FALSE(next.skipped_idempotent);
  EXPECT_EQ(next.version, 2);
  EXPECT_EQ(LivePaths(), (std::vector<std::string>{"part=a/b1.parquet", "part=a/b2.parquet"}));
}

TEST_F(TransactionTest, ExpiredAppTransactionsNoLongerSkip) {
  CreateTable({{"delta.setTransactionRetentionDuration", "interval 1 hour"}});
  auto txn = Begin();
  txn->SetAppTransaction("app", 1);
  txn->AddFile(MakeAdd("part=a/b1.parquet"));
  ASSERT_OK(txn->Commit());
  clock_ += 2 * 3600 * 1000;
  txn = Begin();
  txn->SetAppTransaction("app", 1);
  txn->AddFile(MakeAdd("part=a/b1-again.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_FALSE(r.skipped_idempotent);
}

TEST_F(TransactionTest, ValidationErrors) {
  // A new table needs protocol and metadata.
  {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs_, "/tables/none", Options()));
    txn->AddFile(MakeAdd("f.parquet"));
    auto r = txn->Commit();
    ASSERT_STATUS_CODE(kInvalidArgument, r);
    EXPECT_NE(r.error().message().find("SetMetadata"), std::string::npos) << r.error();
    ASSERT_OK_AND_ASSIGN(bool exists, fs_.Exists("/tables/none/_delta_log/" + CommitFileName(0)));
    EXPECT_FALSE(exists);
  }
  CreateTable({{"delta.appendOnly", "true"}});
  Append({"part=a/f1.parquet"});
  struct Case {
    std::string label;
    std::function<void(Transaction&)> stage;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"missing partition value",
       [&](Transaction& t) {
         Add add = MakeAdd("x.parquet");
         add.partition_values.clear();
         t.AddFile(add);
       },
       StatusCode::kInvalidArgument, "no value for partition column 'part'"},
      {"unknown partition key",
       [&](Transaction& t) {
         Add add = MakeAdd("x.parquet");
         add.partition_values["id"] = "1";
         t.AddFile(add);
       },
       StatusCode::kInvalidArgument, "'id', which is not a partition column"},
      {"append-only remove",
       [&](Transaction& t) { t.RemoveFile(RemoveFromAdd(t.read_snapshot()->files()[0].ToAdd(), clock_)); },
       StatusCode::kInvalidArgument, "appendOnly"},
      {"file added twice",
       [&](Transaction& t) {
         t.AddFile(MakeAdd("x.parquet"));
         t.AddFile(MakeAdd("x.parquet"));
       },
       StatusCode::kInvalidArgument, "added twice"},
      {"protocol downgrade",
       [&](Transaction& t) {
         t.SetProtocol(Protocol{1, 1, std::nullopt, std::nullopt});
       },
       StatusCode::kInvalidArgument, "downgrade"},
      {"malformed protocol",
       [&](Transaction& t) {
         t.SetProtocol(Protocol{3, 7, std::nullopt, std::nullopt});
       },
       StatusCode::kInvalidArgument, "readerFeatures"},
      {"unsupported writer feature",
       [&](Transaction& t) {
         t.SetProtocol(Protocol{1, 7, std::nullopt,
                                std::vector<std::string>{"appendOnly", "invariants", "rowTracking",
                                                         "domainMetadata"}});
       },
       StatusCode::kUnsupported, "rowTracking"},
      {"property without its feature",
       [&](Transaction& t) {
         Metadata m = t.read_snapshot()->metadata();
         m.configuration["delta.enableDeletionVectors"] = "true";
         t.SetMetadata(m);
       },
       StatusCode::kInvalidArgument, "deletionVectors"},
      {"schema without the partition column",
       [&](Transaction& t) {
         Metadata m = t.read_snapshot()->metadata();
         m.partition_columns = {"nope"};
         t.SetMetadata(m);
       },
       StatusCode::kInvalidArgument, "partition column 'nope'"},
      {"domain metadata without the feature",
       [&](Transaction& t) {
         t.SetDomainMetadata(DomainMetadata{"my.domain", "{}", false});
       },
       StatusCode::kInvalidArgument, "domainMetadata"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto txn = Begin();
    c.stage(*txn);
    auto r = txn->Commit();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), c.code) << r.error();
    EXPECT_NE(r.error().message().find(c.message), std::string::npos) << r.error();
    EXPECT_NE(r.error().message().find(kRoot), std::string::npos) << r.error();
  }
  EXPECT_EQ(Load()->version(), 1);
  // dataChange=false removes (compaction) are fine on an append-only table.
  auto txn = Begin();
  txn->RemoveFile(RemoveFromAdd(txn->read_snapshot()->files()[0].ToAdd(), clock_, false));
  Add compacted = MakeAdd("part=a/compacted.parquet");
  compacted.data_change = false;
  txn->AddFile(compacted);
  ASSERT_OK(txn->Commit());
}

TEST_F(TransactionTest, RefusesTablesWithUnsupportedWriterFeatures) {
  // A table written by another engine with a writer feature silt cannot honour.
  NewTableOptions options;
  options.schema = Schema();
  ASSERT_OK_AND_ASSIGN(auto actions, NewTableActions(options, clock_));
  Protocol p{3, 7, std::vector<std::string>{"deletionVectors"},
             std::vector<std::string>{"deletionVectors", "rowTracking", "domainMetadata"}};
  std::vector<Action> v0{p, actions.second};
  ASSERT_OK(fs_.PutIfAbsent(fs::JoinPath(LogDirFor(kRoot), CommitFileName(0)), ToCommitFile(v0)));
  auto txn = Begin();
  ASSERT_NE(txn, nullptr);
  Add add = MakeAdd("f.parquet");
  add.partition_values.clear();
  txn->AddFile(add);
  auto r = txn->Commit();
  ASSERT_STATUS_CODE(kUnsupported, r);
  EXPECT_NE(r.error().message().find("rowTracking"), std::string::npos) << r.error();
}

TEST_F(TransactionTest, CheckpointsEveryIntervalAfterCommit) {
  CreateTable({{"delta.checkpointInterval", "3"}});
  TransactionOptions options = Options();
  options.checkpoint_after_commit = true;
  std::string log = LogDirFor(kRoot);
  for (int64_t v = 1; v <= 7; ++v) {
    ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs_, kRoot, options));
    txn->AddFile(MakeAdd("part=a/f" + std::to_string(v) + ".parquet"));
    ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
    ASSERT_EQ(r.version, v);
    EXPECT_EQ(r.checkpoint_written, v % 3 == 0) << v;
    ASSERT_OK_AND_ASSIGN(bool exists, fs_.Exists(fs::JoinPath(log, CheckpointFileName(v))));
    EXPECT_EQ(exists, v % 3 == 0) << v;
  }
  ASSERT_OK_AND_ASSIGN(std::string hint, fs_.ReadFile(fs::JoinPath(log, "_last_checkpoint")));
  EXPECT_NE(hint.find("\"version\":6"), std::string::npos) << hint;
  // A load from the checkpoint sees what replaying every commit sees.
  SnapshotOptions from_checkpoint;
  from_checkpoint.checkpoint_decoder = DefaultParquetCheckpointDecoder();
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, kRoot, from_checkpoint));
  EXPECT_EQ(snapshot->log_segment().checkpoint_version, 6);
  EXPECT_EQ(snapshot->files().size(), 7u);
}

TEST_F(TransactionTest, NoCheckpointWhenDisabledOrForVersionZero) {
  CreateTable({{"delta.checkpointInterval", "1"}});
  ASSERT_OK_AND_ASSIGN(bool v0, fs_.Exists(fs::JoinPath(LogDirFor(kRoot), CheckpointFileName(0))));
  EXPECT_FALSE(v0);
  // Options() turns the hook off.
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(fs_, kRoot, Options()));
  txn->AddFile(MakeAdd("part=a/f.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_FALSE(r.checkpoint_written);
  ASSERT_OK_AND_ASSIGN(bool v1, fs_.Exists(fs::JoinPath(LogDirFor(kRoot), CheckpointFileName(1))));
  EXPECT_FALSE(v1);
}

TEST_F(TransactionTest, AFailedCheckpointDoesNotFailTheCommit) {
  CreateTable({{"delta.checkpointInterval", "1"}});
  fs::FaultInjectionFileSystem faulty(fs_);
  faulty.FailAllCalls(fs::FsOp::kOpenWritable);
  faulty.FailAllCalls(fs::FsOp::kPut);
  TransactionOptions options = Options();
  options.checkpoint_after_commit = true;
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(faulty, kRoot, options));
  txn->AddFile(MakeAdd("part=a/f.parquet"));
  ASSERT_OK_AND_ASSIGN(CommitResult r, txn->Commit());
  EXPECT_EQ(r.version, 1);
  EXPECT_FALSE(r.checkpoint_written);
  EXPECT_GT(faulty.injected_failures(), 0);
  EXPECT_EQ(LivePaths(), std::vector<std::string>{"part=a/f.parquet"});
}

TEST(ConflictKindTest, NamesRoundTrip) {
  for (ConflictKind kind :
       {ConflictKind::kProtocolChanged, ConflictKind::kMetadataChanged,
        ConflictKind::kConcurrentAppend, ConflictKind::kConcurrentDeleteRead,
        ConflictKind::kConcurrentDeleteDelete, ConflictKind::kConcurrentTransaction}) {
    Status s = Status::Conflict("{}: something (version 3)", ConflictKindName(kind));
    EXPECT_EQ(ConflictKindOf(s), kind);
    EXPECT_EQ(ConflictKindOf(s.WithContext("writing batch 7")), kind);
    EXPECT_EQ(ConflictKindOf(Status::IOError("{}: x", ConflictKindName(kind))), std::nullopt);
  }
  EXPECT_EQ(ConflictKindName(ConflictKind::kConcurrentAppend), "ConcurrentAppendException");
  EXPECT_EQ(ConflictKindOf(Status::Conflict("something else")), std::nullopt);
  EXPECT_EQ(ConflictKindOf(Status::OK()), std::nullopt);
}

}  // namespace
}  // namespace silt::delta
