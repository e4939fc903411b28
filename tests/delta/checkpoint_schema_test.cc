// The Parquet schema of checkpoints silt writes, against checkpoints Spark wrote for tables
// with the same features (conformance corpus), and DuckDB reading a silt checkpoint.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "delta/maintenance_test_table.h"
#include "silt/delta/maintenance/checkpoint_writer.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/thrift/parquet_types.h"
#include "testing/conformance.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

using namespace maintenance_testing;  // NOLINT

// The Parquet schema as one line per node: indentation for depth, repetition, physical type
// (or "group"), name and converted type, e.g. "  optional BYTE_ARRAY path UTF8".
std::vector<std::string> SchemaLines(fs::FileSystem& fs, const std::string& path) {
  std::vector<std::string> out;
  auto reader = parquet::FileReader::Open(fs, path);
  EXPECT_TRUE(reader.ok()) << reader.error();
  if (!reader.ok()) return out;
  const auto& elements = (*reader)->metadata().schema;
  std::vector<int32_t> remaining;  // children left per open group
  for (size_t i = 0; i < elements.size(); ++i) {
    const parquet::SchemaElement& e = elements[i];
    if (i > 0) {
      std::string line(2 * (remaining.size() - 1), ' ');
      switch (e.repetition_type.value_or(parquet::FieldRepetitionType::kRequired)) {
        case parquet::FieldRepetitionType::kRequired:
          line += "required ";
          break;
        case parquet::FieldRepetitionType::kOptional:
          line += "optional ";
          break;
        case parquet::FieldRepetitionType::kRepeated:
          line += "repeated ";
          break;
      }
      line += e.type.has_value() ? parquet::PhysicalTypeName(*e.type) : "group";
      line += " " + e.name;
      if (e.converted_type.has_value()) {
        line += " " + parquet::ConvertedTypeName(*e.converted_type);
      }
      out.push_back(line);
      --remaining.back();
    }
    if (e.num_children.value_or(0) > 0) remaining.push_back(*e.num_children);
    while (!remaining.empty() && remaining.back() == 0) remaining.pop_back();
  }
  return out;
}

// Spark 3.5 (Delta 3.2+) added add.clusteringProvider after defaultRowCommitVersion; older
// Delta 3 checkpoints lack it. Inserts it into such a file's lines.
std::vector<std::string> WithClusteringProvider(std::vector<std::string> lines) {
  bool in_add = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "optional group add") in_add = true;
    if (in_add && lines[i] == "  optional INT64 defaultRowCommitVersion") {
      lines.insert(lines.begin() + static_cast<long>(i) + 1,
                   "  optional BYTE_ARRAY clusteringProvider UTF8");
      break;
    }
  }
  return lines;
}

std::string Corpus(const std::string& relative) {
  return silt::testing::ConformanceDir() + "/" + relative;
}

#define SKIP_WITHOUT_CORPUS()                                            \
  do {                                                                   \
    fs::LocalFileSystem probe;                                           \
    auto there = probe.Exists(silt::testing::ConformanceDir());          \
    if (!there.ok() || !*there) GTEST_SKIP() << "no conformance corpus"; \
  } while (false)

void ExpectSameLines(const std::vector<std::string>& ours, const std::vector<std::string>& spark) {
  EXPECT_EQ(ours.size(), spark.size());
  for (size_t i = 0; i < std::max(ours.size(), spark.size()); ++i) {
    EXPECT_EQ(i < ours.size() ? ours[i] : "<none>", i < spark.size() ? spark[i] : "<none>")
        << "line " << i;
  }
}

constexpr char kIdSchema[] =
    R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";

TEST(CheckpointSchemaTest, ClassicUnpartitionedMatchesSpark) {
  SKIP_WITHOUT_CORPUS();
  TestTable t;
  ASSERT_OK(t.Commit(0, {MakeProtocol(), MakeMetadata({}, {}, kIdSchema)}));
  Add a = MakeAdd("a.parquet", 0, 1, 2);
  a.partition_values.clear();
  ASSERT_OK(t.Commit(1, {a}));
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s));

  fs::LocalFileSystem local;
  std::vector<std::string> spark =
      SchemaLines(local, Corpus("delta-kernel-rs.golden_data/checkpoint/delta/_delta_log/"
                                "00000000000000000010.checkpoint.parquet"));
  ASSERT_FALSE(spark.empty());
  ExpectSameLines(SchemaLines(t.fs(), r.checkpoint_path), WithClusteringProvider(spark));
}

TEST(CheckpointSchemaTest, ClassicPartitionedWithDeletionVectorsMatchesSpark) {
  SKIP_WITHOUT_CORPUS();
  TestTable t;
  constexpr char kSchema[] =
      R"({"type":"struct","fields":[{"name":"part","type":"integer","nullable":true,"metadata":{}},)"
      R"({"name":"col1","type":"integer","nullable":true,"metadata":{}},)"
      R"({"name":"col2","type":"string","nullable":true,"metadata":{}}]})";
  ASSERT_OK(
      t.Commit(0, {MakeProtocol(3, 7, std::vector<std::string>{"deletionVectors"},
                                std::vector<std::string>{"deletionVectors"}),
                   MakeMetadata({{"delta.enableDeletionVectors", "true"}}, {"part"}, kSchema)}));
  Add a;
  a.path = "part=0/a.parquet";
  a.partition_values["part"] = "0";
  a.size = 10;
  ASSERT_OK(t.Commit(1, {a}));
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s));

  fs::LocalFileSystem local;
  std::vector<std::string> spark = SchemaLines(
      local, Corpus("delta-kernel-rs.golden_data/dv-partitioned-with-checkpoint/delta/_delta_log/"
                    "00000000000000000010.checkpoint.parquet"));
  ASSERT_FALSE(spark.empty());
  ExpectSameLines(SchemaLines(t.fs(), r.checkpoint_path), WithClusteringProvider(spark));
}

TEST(CheckpointSchemaTest, V2TopLevelAndSidecarMatchSpark) {
  SKIP_WITHOUT_CORPUS();
  TestTable t;
  ASSERT_OK(t.Commit(
      0, {MakeProtocol(3, 7, std::vector<std::string>{"v2Checkpoint"},
                       std::vector<std::string>{"v2Checkpoint", "appendOnly", "invariants"}),
          MakeMetadata({{"delta.checkpointPolicy", "v2"}}, {}, kIdSchema)}));
  Add a = MakeAdd("a.parquet", 0, 1, 2);
  a.partition_values.clear();
  ASSERT_OK(t.Commit(1, {a}));
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s));
  ASSERT_EQ(r.sidecar_files.size(), 1u);

  const std::string dir =
      Corpus("delta-kernel-rs.data/v2-checkpoints-parquet-with-last-checkpoint/_delta_log/");
  fs::LocalFileSystem local;
  ExpectSameLines(SchemaLines(t.fs(), r.checkpoint_path),
                  SchemaLines(local, dir + "00000000000000000000.checkpoint."
                                           "8516aa94-7099-4e71-92a0-d6d7e7bb3b2c.parquet"));
  ExpectSameLines(
      SchemaLines(t.fs(), r.sidecar_files[0]),
      SchemaLines(local, dir + "_sidecars/00000000000000000000.checkpoint.0000000001."
                               "0000000001.c561300b-ad5f-49d4-a28d-9b3f4bb0331c.parquet"));
}

TEST(CheckpointSchemaTest, DuckDbReadsOurCheckpoint) {
  if (!silt::testing::DuckDbQuery("SELECT 1 AS one").ok())
    GTEST_SKIP() << "DuckDB is not available";
  silt::testing::TempDir dir;
  fs::LocalFileSystem local;
  TestTable t;
  ASSERT_OK(t.Commit(0, {MakeProtocol(), MakeMetadata()}));
  ASSERT_OK(t.Commit(1, {MakeAdd("a.parquet", 1, 0, 9), MakeAdd("b.parquet", 2, 10, 19),
                         SetTransaction{"app", 4, kStartMs}}));
  ASSERT_OK_AND_ASSIGN(auto s, t.Load());
  ASSERT_OK_AND_ASSIGN(CheckpointWriteResult r, WriteCheckpoint(t.fs(), *s));
  ASSERT_OK_AND_ASSIGN(std::string bytes, t.fs().ReadFile(r.checkpoint_path));
  const std::string path = dir.Join("checkpoint.parquet");
  ASSERT_OK(local.Put(path, bytes));
  ASSERT_OK_AND_ASSIGN(
      std::vector<std::string> rows,
      silt::testing::DuckDbQuery(fmt::format(
          "SELECT add.path AS path, add.size AS size, add.partitionValues['p'] AS p, "
          "add.partitionValues_parsed.p AS pp, add.stats AS stats FROM read_parquet({}) "
          "WHERE add IS NOT NULL ORDER BY 1",
          silt::testing::SqlQuote(path))));
  // DuckDB renders BIGINTs as JSON strings.
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].find(R"("path":"p=1/a.parquet")"), std::string::npos) << rows[0];
  EXPECT_NE(rows[0].find(R"("size":"1000")"), std::string::npos) << rows[0];
  EXPECT_NE(rows[0].find(R"("pp":1)"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find(R"("path":"p=2/b.parquet")"), std::string::npos) << rows[1];
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> others,
                       silt::testing::DuckDbQuery(fmt::format(
                           "SELECT count(*) FILTER (WHERE protocol IS NOT NULL) AS protocols, "
                           "count(*) FILTER (WHERE metaData IS NOT NULL) AS metadata, "
                           "max(txn.version) AS txn FROM read_parquet({})",
                           silt::testing::SqlQuote(path))));
  ASSERT_EQ(others.size(), 1u);
  EXPECT_NE(others[0].find(R"("protocols":"1")"), std::string::npos) << others[0];
  EXPECT_NE(others[0].find(R"("metadata":"1")"), std::string::npos) << others[0];
  EXPECT_NE(others[0].find(R"("txn":"4")"), std::string::npos) << others[0];
}

}  // namespace
}  // namespace silt::delta
