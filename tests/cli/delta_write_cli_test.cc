// Runs `silt create` as users do and checks the table it leaves.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt {
namespace {

namespace col = silt::columnar;

using testing::CliRun;
using testing::ScanLines;
using testing::Silt;
using testing::WriteText;

TEST(DeltaWriteCliTest, CreateFromDdl) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  CliRun r = Silt("create " + table +
                  " --schema 'id BIGINT NOT NULL, `user name` STRING, day DATE, "
                  "price DECIMAL(10,2), tags ARRAY<STRING>, "
                  "address STRUCT<city: STRING, zip INT>, attrs MAP<STRING, DOUBLE>'"
                  " --partition-by day --property delta.appendOnly=true"
                  " --property delta.columnMapping.mode=name --name events");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("at version 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reader 2, writer 5"), std::string::npos) << r.out;

  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto snapshot, delta::Snapshot::Load(fs, table));
  EXPECT_EQ(snapshot->version(), 0);
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"day"});
  EXPECT_EQ(snapshot->metadata().name, "events");
  EXPECT_EQ(snapshot->Property("delta.appendOnly"), "true");
  EXPECT_EQ(snapshot->column_mapping_mode(), delta::ColumnMappingMode::kName);
  const col::Schema& schema = *snapshot->schema();
  ASSERT_EQ(schema.num_fields(), 7);
  EXPECT_EQ(schema.field(0).name(), "id");
  EXPECT_FALSE(schema.field(0).nullable());
  EXPECT_EQ(schema.field(0).type()->id(), col::TypeId::kInt64);
  EXPECT_EQ(schema.field(1).name(), "user name");
  EXPECT_EQ(schema.field(3).type()->ToString(), "decimal(10,2)");
  EXPECT_EQ(schema.field(4).type()->ToString(), "array<string>");
  EXPECT_EQ(schema.field(5).type()->ToString(), "struct<city:string,zip:int>");
  EXPECT_EQ(schema.field(6).type()->ToString(), "map<string,double>");

  // The commit says what it was.
  CliRun history = Silt("history " + table);
  ASSERT_EQ(history.exit_code, 0) << history.out;
  EXPECT_NE(history.out.find("CREATE TABLE"), std::string::npos) << history.out;

  // A second create fails and leaves the table alone.
  CliRun again = Silt("create " + table + " --schema 'id BIGINT'");
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
}

TEST(DeltaWriteCliTest, CreateFromJsonSchemaWithFeatures) {
  testing::TempDir dir;
  std::string table = dir.Join("t");
  std::string schema =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
      R"({"name":"at","type":"timestamp_ntz","nullable":true,"metadata":{}}]})";
  CliRun r = Silt("create " + table + " --schema '" + schema +
                  "' --property delta.enableDeletionVectors=true");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("reader 3, writer 7; reader features: deletionVectors, timestampNtz"),
            std::string::npos)
      << r.out;
  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto snapshot, delta::Snapshot::Load(fs, table));
  EXPECT_EQ(snapshot->schema()->field(1).type()->id(), col::TypeId::kTimestampNtz);
}

TEST(DeltaWriteCliTest, CreateErrors) {
  testing::TempDir dir;
  std::string table = dir.Join("t");
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"--schema 'id BIGINT,'", "expected a column name"},
           {"--schema 'id WHATEVER'", "unknown type 'WHATEVER'"},
           {"--schema 'id ARRAY<INT'", "expected '>'"},
           {"--schema '{\"type\":\"struct\"'", "not a Delta JSON schema"},
           {"--schema 'id INT' --partition-by nope", "partition column 'nope'"},
           {"--schema 'id INT' --property delta.appendOnly=maybe", "delta.appendOnly='maybe'"},
           {"--schema 'id INT' --property novalue", "is not KEY=VALUE"},
           {"--schema 'id INT' --property delta.enableRowTracking=true", "rowTracking"},
       }) {
    SCOPED_TRACE(c.args);
    CliRun r = Silt("create " + table + " " + c.args);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
  }
  // Nothing was created by the failed attempts.
  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(bool exists, fs.Exists(table + "/_delta_log/00000000000000000000.json"));
  EXPECT_FALSE(exists);
  CliRun usage = Silt("create " + table);
  EXPECT_EQ(usage.exit_code, 2) << usage.out;
}

TEST(DeltaWriteCliTest, AppendJsonCsvParquetThenDelete) {
  testing::TempDir dir;
  std::string table = dir.Join("events");
  WriteText(dir.Join("a.jsonl"),
            "{\"id\": 1, \"name\": \"a\", \"day\": \"d1\", \"score\": 1.5}\n"
            "{\"id\": 2, \"name\": null, \"day\": \"d2\", \"score\": 2}\n");
  CliRun created = Silt("append " + table + " " + dir.Join("a.jsonl") + " --partition-by day");
  ASSERT_EQ(created.exit_code, 0) << created.out;
  EXPECT_NE(created.out.find("created the table and appended 2 rows"), std::string::npos)
      << created.out;

  fs::LocalFileSystem fs;
  ASSERT_OK_AND_ASSIGN(auto snapshot, delta::Snapshot::Load(fs, table));
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"day"});
  EXPECT_EQ(snapshot->schema()->GetFieldByName("id")->type()->id(), col::TypeId::kInt64);
  EXPECT_EQ(snapshot->schema()->GetFieldByName("score")->type()->id(), col::TypeId::kFloat64);

  // CSV rows are read in the table's types.
  WriteText(dir.Join("b.csv"), "id,name,day,score\n3,\"x, y\",d1,3.25\n4,,d2,\n");
  CliRun csv = Silt("append " + table + " " + dir.Join("b.csv"));
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  EXPECT_NE(csv.out.find("appended 2 rows"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("at version 1"), std::string::npos) << csv.out;

  std::vector<std::string> rows = ScanLines(table);
  ASSERT_EQ(rows.size(), 4u);
  auto row_with = [&](const std::string& id) {
    for (const std::string& r : rows) {
      if (r.find("\"id\":" + id + ",") != std::string::npos) return r;
    }
    return std::string();
  };
  for (std::string part : {"\"name\":\"x, y\"", "\"score\":3.25", "\"day\":\"d1\""}) {
    EXPECT_NE(row_with("3").find(part), std::string::npos) << row_with("3");
  }
  for (std::string part : {"\"name\":null", "\"score\":null", "\"day\":\"d2\""}) {
    EXPECT_NE(row_with("4").find(part), std::string::npos) << row_with("4");
  }
  EXPECT_NE(row_with("2").find("\"score\":2"), std::string::npos) << row_with("2");

  // A data file of the table as Parquet input, into a second table.
  ASSERT_OK_AND_ASSIGN(snapshot, delta::Snapshot::Load(fs, table));
  std::string parquet_file = table + "/" + std::string(snapshot->files()[0].path());
  std::string copy = dir.Join("copy");
  CliRun pq = Silt("append " + copy + " " + parquet_file);
  ASSERT_EQ(pq.exit_code, 0) << pq.out;
  EXPECT_NE(pq.out.find("created the table and appended"), std::string::npos) << pq.out;

  CliRun del = Silt("delete " + table + " --where \"id >= 3 OR name IS NULL\"");
  ASSERT_EQ(del.exit_code, 0) << del.out;
  EXPECT_NE(del.out.find("deleted 3 rows at version 2"), std::string::npos) << del.out;
  rows = ScanLines(table);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].find("\"id\":1,"), std::string::npos) << rows[0];
  EXPECT_NE(rows[0].find("\"name\":\"a\""), std::string::npos) << rows[0];
}

TEST(DeltaWriteCliTest, AppendAndDeleteErrors) {
  testing::TempDir dir;
  std::string table = dir.Join("t");
  WriteText(dir.Join("ok.jsonl"), "{\"id\": 1}\n");
  WriteText(dir.Join("bad.jsonl"), "{\"id\": 1}\n[1, 2]\n");
  WriteText(dir.Join("mixed.jsonl"), "{\"id\": 1}\n{\"id\": {\"a\": 1}}\n");
  WriteText(dir.Join("extra.csv"), "id,nope\n1,2\n");
  WriteText(dir.Join("data.txt"), "id\n1\n");
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"append " + table + " " + dir.Join("bad.jsonl"), "input line 2: not a JSON object"},
           {"append " + table + " " + dir.Join("mixed.jsonl"), "different kinds"},
           {"append " + table + " " + dir.Join("data.txt"), "--format"},
           {"append " + table + " " + dir.Join("data.txt") + " --format xml", "xml"},
           {"append " + table + " " + dir.Join("missing.jsonl"), "missing.jsonl"},
           {"delete " + table + " --where \"id = 1\"", "not a Delta table"},
       }) {
    SCOPED_TRACE(c.args);
    CliRun r = Silt(c.args);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
  }
  ASSERT_EQ(Silt("append " + table + " " + dir.Join("ok.jsonl")).exit_code, 0);
  CliRun extra = Silt("append " + table + " " + dir.Join("extra.csv"));
  EXPECT_EQ(extra.exit_code, 1) << extra.out;
  EXPECT_NE(extra.out.find("CSV column 'nope' is not in the table"), std::string::npos)
      << extra.out;
  CliRun bad_where = Silt("delete " + table + " --where \"id = \"");
  EXPECT_EQ(bad_where.exit_code, 1) << bad_where.out;
  EXPECT_EQ(Silt("delete " + table).exit_code, 2);
  EXPECT_EQ(ScanLines(table), std::vector<std::string>{R"({"id":1})"});
}

}  // namespace
}  // namespace silt
