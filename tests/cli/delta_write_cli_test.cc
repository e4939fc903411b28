// Runs `silt create` as users do and checks the table it leaves.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "silt/delta/table/schema.h"
#include "silt/delta/table/snapshot.h"
#include "silt/fs/local_file_system.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt {
namespace {

namespace col = silt::columnar;

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CliRun Silt(const std::string& args) {
  CliRun r;
  std::string command = std::string(SILT_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

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

}  // namespace
}  // namespace silt
