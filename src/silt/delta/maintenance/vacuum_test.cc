#include "silt/delta/maintenance/vacuum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "delta/maintenance_test_table.h"
#include "testing/status_matchers.h"

namespace silt::delta {
namespace {

using namespace maintenance_testing;  // NOLINT

constexpr char kDvFile[] = "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";

class VacuumTest : public ::testing::Test {
 protected:
  std::string P(const std::string& rel) { return fs::JoinPath(t_.root(), rel); }
  void Put(const std::string& rel, int64_t at_ms, size_t bytes = 10) {
    t_.SetNow(at_ms);
    ASSERT_OK(t_.fs().Put(P(rel), std::string(bytes, 'x')));
  }
  bool Exists(const std::string& rel) {
    auto e = t_.fs().Exists(P(rel));
    return e.ok() && *e;
  }

  // Day 0: files a, b (with a DV file), orphan, hidden ones, change files. Day 1: a removed,
  // c added. Day 9: c removed by a commit with a cdc file.
  void SetUp() override {
    const int64_t d0 = kStartMs;
    Put("p=1/a.parquet", d0);
    Put("p=2/b.parquet", d0);
    Put(kDvFile, d0);
    Put("p=1/c.parquet", d0);
    Put("p=1/orphan.parquet", d0, 7);
    Put("p=1/_SUCCESS", d0);
    Put("_tmp/x.parquet", d0);
    Put(".hidden/y.parquet", d0);
    Put("_x=1/z.parquet", d0);
    Put("_change_data/cdc-kept.parquet", d0);
    Put("_change_data/cdc-old.parquet", d0, 5);
    t_.SetNow(d0);
    ASSERT_OK(t_.Commit(0, {MakeProtocol(3, 7, std::vector<std::string>{"deletionVectors"},
                                         std::vector<std::string>{"deletionVectors"}),
                            MakeMetadata({{"delta.enableDeletionVectors", "true"}})}));
    a_ = MakeAdd("a.parquet", 1, 0, 9);
    Add b = MakeAdd("b.parquet", 2, 10, 19);
    DeletionVectorDescriptor dv;
    dv.storage_type = DvStorageType::kUuidRelative;
    dv.path_or_inline_dv = "vBn[lx{q8@P<9BNH/isA";
    dv.offset = 1;
    dv.size_in_bytes = 36;
    dv.cardinality = 2;
    b.deletion_vector = dv;
    ASSERT_OK(t_.Commit(1, {a_, b}));
    t_.SetNow(d0 + kDayMs);
    c_ = MakeAdd("c.parquet", 1, 20, 29);
    ASSERT_OK(t_.Commit(2, {MakeRemove(a_, d0 + kDayMs), c_}));
    t_.SetNow(d0 + 9 * kDayMs);
    AddCDCFile cdc;
    cdc.path = "_change_data/cdc-kept.parquet";
    cdc.size = 10;
    ASSERT_OK(t_.Commit(3, {MakeRemove(c_, d0 + 9 * kDayMs), cdc}));
    // Written just now by a writer that has not committed yet.
    Put("p=1/new.parquet", d0 + 9 * kDayMs + kDayMs / 2);
  }

  TestTable t_;
  Add a_, c_;
};

TEST_F(VacuumTest, DeletesUnreferencedOldFilesOnly) {
  VacuumOptions options;
  options.now_ms = kStartMs + 10 * kDayMs;  // cutoff: day 3
  options.dry_run = true;
  ASSERT_OK_AND_ASSIGN(VacuumResult dry, Vacuum(t_.fs(), t_.root(), options));
  const std::vector<std::string> expected = {P("_change_data/cdc-old.parquet"), P("p=1/a.parquet"),
                                             P("p=1/orphan.parquet")};
  EXPECT_EQ(dry.files, expected);
  EXPECT_EQ(dry.bytes, 5 + 10 + 7);
  EXPECT_EQ(dry.version, 3);
  EXPECT_EQ(dry.retention_ms, 7 * kDayMs);
  EXPECT_EQ(dry.cutoff_ms, kStartMs + 3 * kDayMs);
  EXPECT_TRUE(Exists("p=1/a.parquet"));  // a dry run deletes nothing

  options.dry_run = false;
  ASSERT_OK_AND_ASSIGN(VacuumResult r, Vacuum(t_.fs(), t_.root(), options));
  EXPECT_EQ(r.files, expected);
  for (const std::string& f : expected) {
    ASSERT_OK_AND_ASSIGN(bool e, t_.fs().Exists(f));
    EXPECT_FALSE(e) << f;
  }
  for (const char* kept :
       {"p=2/b.parquet", kDvFile, "p=1/c.parquet", "p=1/new.parquet", "p=1/_SUCCESS",
        "_tmp/x.parquet", ".hidden/y.parquet", "_x=1/z.parquet", "_change_data/cdc-kept.parquet",
        "_delta_log/00000000000000000000.json"}) {
    EXPECT_TRUE(Exists(kept)) << kept;
  }
  ASSERT_OK_AND_ASSIGN(auto s, t_.Load());
  EXPECT_EQ(s->files().size(), 1u);

  // Nothing more to do.
  ASSERT_OK_AND_ASSIGN(VacuumResult again, Vacuum(t_.fs(), t_.root(), options));
  EXPECT_TRUE(again.files.empty());
}

TEST_F(VacuumTest, ShortRetentionNeedsTheCheckOff) {
  VacuumOptions options;
  options.now_ms = kStartMs + 10 * kDayMs;
  options.retention_hours = 1;
  Result<VacuumResult> refused = Vacuum(t_.fs(), t_.root(), options);
  ASSERT_STATUS_CODE(kInvalidArgument, refused);
  EXPECT_NE(refused.error().message().find("delta.deletedFileRetentionDuration"),
            std::string::npos);
  options.retention_hours = -1;
  options.enforce_retention_check = false;
  ASSERT_STATUS_CODE(kInvalidArgument, Vacuum(t_.fs(), t_.root(), options));

  options.retention_hours = 1;
  ASSERT_OK_AND_ASSIGN(VacuumResult r, Vacuum(t_.fs(), t_.root(), options));
  // c's tombstone and the uncommitted file are now beyond the retention too.
  EXPECT_NE(std::find(r.files.begin(), r.files.end(), P("p=1/c.parquet")), r.files.end());
  EXPECT_NE(std::find(r.files.begin(), r.files.end(), P("p=1/new.parquet")), r.files.end());
  EXPECT_TRUE(Exists("p=2/b.parquet"));
  EXPECT_TRUE(Exists(kDvFile));
}

TEST_F(VacuumTest, TableRetentionPropertyIsTheDefault) {
  Metadata m = MakeMetadata({{"delta.enableDeletionVectors", "true"},
                             {"delta.deletedFileRetentionDuration", "interval 12 hours"}});
  t_.SetNow(kStartMs + 9 * kDayMs);
  ASSERT_OK(t_.Commit(4, {m}));
  VacuumOptions options;
  options.now_ms = kStartMs + 10 * kDayMs;
  options.dry_run = true;
  ASSERT_OK_AND_ASSIGN(VacuumResult r, Vacuum(t_.fs(), t_.root(), options));
  EXPECT_EQ(r.retention_ms, kDayMs / 2);
  EXPECT_NE(std::find(r.files.begin(), r.files.end(), P("p=1/c.parquet")), r.files.end());
  // A retention at least the table's needs no override.
  options.retention_hours = 12;
  ASSERT_OK(Vacuum(t_.fs(), t_.root(), options).status());
}

TEST(VacuumErrorsTest, NotATable) {
  TestTable t;
  ASSERT_STATUS_CODE(kNotFound, Vacuum(t.fs(), t.root()));
}

}  // namespace
}  // namespace silt::delta
