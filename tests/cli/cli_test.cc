// Runs the `silt` binary as users do and checks its output and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/cli_runner.h"
#include "testing/temp_dir.h"

namespace silt {
namespace {

using testing::CliRun;
using testing::Silt;

std::string Table(const std::string& name) { return testing::ConformanceDir() + "/" + name; }

TEST(CliTest, VersionAndUsage) {
  CliRun v = Silt("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("0.1.0"), std::string::npos);
  CliRun bad = Silt("no-such-command");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  CliRun missing = Silt("describe");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
}

TEST(CliTest, DescribePartitionedTable) {
  CliRun r = Silt("describe " + Table("delta-kernel-rs.data/basic_partitioned"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("version:           1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("partition columns: letter\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("files:             6\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rows:              6\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("|-- number: long (nullable = true)"), std::string::npos) << r.out;

  CliRun json =
      Silt("describe --json --version 0 " + Table("delta-kernel-rs.data/basic_partitioned"));
  ASSERT_EQ(json.exit_code, 0) << json.out;
  EXPECT_NE(json.out.find("\"version\":0"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"numFiles\":3"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"partitionColumns\":[\"letter\"]"), std::string::npos) << json.out;
}

TEST(CliTest, HistoryNewestFirst) {
  CliRun r = Silt("history " + Table("delta-kernel-rs.data/basic_partitioned"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  size_t v1 = r.out.find("\n1 "), v0 = r.out.find("\n0 ");
  ASSERT_NE(v1, std::string::npos) << r.out;
  ASSERT_NE(v0, std::string::npos) << r.out;
  EXPECT_LT(v1, v0);
  EXPECT_NE(r.out.find("WRITE"), std::string::npos);
  CliRun limited =
      Silt("history --limit 1 --json " + Table("delta-kernel-rs.data/basic_partitioned"));
  ASSERT_EQ(limited.exit_code, 0) << limited.out;
  EXPECT_EQ(limited.out.find("\"version\":0"), std::string::npos) << limited.out;
  EXPECT_NE(limited.out.find("\"commitInfo\":{"), std::string::npos) << limited.out;
}

TEST(CliTest, ErrorsAreOneLineWithNonZeroExit) {
  testing::TempDir dir;
  CliRun r = Silt("describe " + dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("silt: NotFound: not a Delta table", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;

  CliRun p = Silt("parquet meta " + Table("delta-kernel-rs.data/basic_partitioned/_delta_log/"
                                          "00000000000000000000.json"));
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_NE(p.out.find("silt: Corruption:"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("not a Parquet file"), std::string::npos) << p.out;
}

TEST(CliTest, ParquetSchemaAndMeta) {
  const std::string file = Table(
      "delta-io-delta.plain-parquet/parquet-basic-row-indexes/"
      "part-00000-4c461819-c86f-4a4b-8efe-8cb90239fa87-c000.snappy.parquet");
  CliRun s = Silt("parquet schema " + file);
  ASSERT_EQ(s.exit_code, 0) << s.out;
  EXPECT_EQ(s.out, "message spark_schema {\n  required INT64 id;\n}\n");
  CliRun m = Silt("parquet meta " + file);
  ASSERT_EQ(m.exit_code, 0) << m.out;
  EXPECT_NE(m.out.find("num_rows: 10\n"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("id: INT64 SNAPPY values=10"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("min=20 max=29"), std::string::npos) << m.out;
}

TEST(CliTest, ParquetCatPrintsJsonLines) {
  const std::string file = Table(
      "delta-io-delta.plain-parquet/parquet-basic-row-indexes/"
      "part-00000-4c461819-c86f-4a4b-8efe-8cb90239fa87-c000.snappy.parquet");
  CliRun all = Silt("parquet cat " + file);
  ASSERT_EQ(all.exit_code, 0) << all.out;
  std::string expected;
  for (int id = 20; id < 30; ++id) expected += "{\"id\":" + std::to_string(id) + "}\n";
  EXPECT_EQ(all.out, expected);
  CliRun some = Silt("parquet cat --limit 2 --columns id " + file);
  ASSERT_EQ(some.exit_code, 0) << some.out;
  EXPECT_EQ(some.out, "{\"id\":20}\n{\"id\":21}\n");
  CliRun bad = Silt("parquet cat --columns nope " + file);
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("nope"), std::string::npos) << bad.out;
}

TEST(CliTest, ScanFormatsFiltersAndTimeTravel) {
  const std::string table = Table("delta-kernel-rs.data/basic_partitioned");
  CliRun all = Silt("scan --format table " + table);
  ASSERT_EQ(all.exit_code, 0) << all.out;
  EXPECT_NE(all.out.find("letter | number | a_float\n"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("(6 rows)\n"), std::string::npos) << all.out;

  CliRun csv = Silt("scan --where \"number > 4\" --columns number,letter --format csv " + table);
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  // The file with the null partition holds 6; ordering follows the snapshot's file order.
  EXPECT_TRUE(csv.out == "number,letter\n6,\n5,e\n" || csv.out == "number,letter\n5,e\n6,\n")
      << csv.out;

  CliRun v0 = Silt("scan --version 0 " + table);
  ASSERT_EQ(v0.exit_code, 0) << v0.out;
  EXPECT_EQ(std::count(v0.out.begin(), v0.out.end(), '\n'), 3) << v0.out;

  CliRun limited = Silt("scan --limit 1 " + table);
  ASSERT_EQ(limited.exit_code, 0) << limited.out;
  EXPECT_EQ(std::count(limited.out.begin(), limited.out.end(), '\n'), 1) << limited.out;

  CliRun bad_column = Silt("scan --where \"nope = 1\" " + table);
  EXPECT_EQ(bad_column.exit_code, 1);
  EXPECT_NE(bad_column.out.find("InvalidArgument"), std::string::npos) << bad_column.out;
  CliRun bad_syntax = Silt("scan --where \"number >\" " + table);
  EXPECT_EQ(bad_syntax.exit_code, 1);
  EXPECT_NE(bad_syntax.out.find("cannot parse expression"), std::string::npos) << bad_syntax.out;
  CliRun too_early = Silt("scan --timestamp 2000-01-01 " + table);
  EXPECT_EQ(too_early.exit_code, 1);
  EXPECT_NE(too_early.out.find("NotFound"), std::string::npos) << too_early.out;
  CliRun both = Silt("scan --version 0 --timestamp 2000-01-01 " + table);
  EXPECT_EQ(both.exit_code, 2) << both.out;
}

TEST(CliTest, ChangesListInsertsPerCommit) {
  const std::string table = Table("delta-kernel-rs.data/basic_partitioned");
  CliRun r = Silt("changes --from 1 " + table);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;
  EXPECT_NE(r.out.find("\"_change_type\":\"insert\",\"_commit_version\":1"), std::string::npos)
      << r.out;
  CliRun missing = Silt("changes " + table);
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
}

}  // namespace
}  // namespace silt
