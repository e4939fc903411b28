// Round trips of silt's Delta writes: tables written through a LocalFileSystem are read back
// with silt's Scan and, independently, with DuckDB replaying the log itself (read_ndjson_objects
// over _delta_log/*.json: live adds minus removes, partition values from the log) and reading
// the data files with read_parquet. DuckDB's delta extension (delta_scan) is not used: it is not
// available offline, and the point is an oracle that shares no code with silt's reader.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "silt/columnar/from_json.h"
#include "silt/columnar/pretty.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/write/write_table.h"
#include "silt/fs/local_file_system.h"
#include "silt/json/json_reader.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::delta {
namespace {

namespace col = silt::columnar;
using testing::DuckDbQuery;
using testing::SqlQuote;

// A partition column and the DuckDB type its log values are cast to.
struct PartitionCast {
  std::string column;  // logical name, also the key in partitionValues without column mapping
  std::string duck_type;
  std::string key;  // partitionValues key (physical name); empty: the column name
};

class WriteRoundTripTest : public ::testing::Test {
 public:
  testing::TempDir dir_;
  fs::LocalFileSystem fs_;
  std::string root_ = dir_.Join("table");

  WriteInput Input(const col::SchemaPtr& schema, std::string_view json) {
    auto batch = col::RecordBatchFromJson(schema, json);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return WriteInput::FromBatches(schema, {*batch});
  }

  // silt's view: every row of the latest snapshot as JSON lines, sorted.
  std::vector<std::string> ScanRows() {
    auto snapshot = Snapshot::Load(fs_, root_);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    if (!snapshot.ok()) return {};
    auto scan = ScanBuilder(*snapshot).Build();
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    auto it = (*scan)->Execute(fs_);
    EXPECT_TRUE(it.ok()) << it.status().ToString();
    std::vector<std::string> rows;
    while (true) {
      auto batch = (*it)->Next();
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || !batch->has_value()) break;
      std::string lines = col::RecordBatchToJsonLines(***batch);
      for (size_t start = 0; start < lines.size();) {
        size_t end = lines.find('\n', start);
        rows.push_back(lines.substr(start, end - start));
        start = end + 1;
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // DuckDB's replay of the log as SQL: per live data file its decoded path (relative), full path
  // and partitionValues JSON.
  std::string LiveFilesSql() {
    return fmt::format(R"(
      WITH lines AS (
        SELECT json, filename FROM read_ndjson_objects({}, filename = true)),
      acts AS (
        SELECT CAST(regexp_extract(filename, '(\d{{20}})\.json$', 1) AS BIGINT) AS v,
               coalesce(json_extract_string(json, '$.add.path'),
                        json_extract_string(json, '$.remove.path')) AS path,
               json_extract(json, '$.add') IS NOT NULL AS is_add,
               json_extract(json, '$.add.partitionValues') AS pv
        FROM lines
        WHERE json_extract(json, '$.add') IS NOT NULL
           OR json_extract(json, '$.remove') IS NOT NULL),
      latest AS (
        SELECT path, arg_max(is_add, v) AS live, arg_max(pv, v) AS pv FROM acts GROUP BY path)
      SELECT url_decode(path) AS path, {} || '/' || url_decode(path) AS full_path,
             CAST(pv AS VARCHAR) AS pv
      FROM latest WHERE live ORDER BY path)",
                       SqlQuote(root_ + "/_delta_log/*.json"), SqlQuote(root_));
  }

  // The live files as DuckDB sees them: (decoded relative path, partitionValues JSON).
  std::vector<std::pair<std::string, std::string>> DuckLiveFiles() {
    auto rows = DuckDbQuery(LiveFilesSql());
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::pair<std::string, std::string>> out;
    if (!rows.ok()) return out;
    json::Parser parser;
    for (const std::string& row : *rows) {
      auto obj = parser.ParseObject(row);
      EXPECT_TRUE(obj.ok());
      out.emplace_back(std::string(*obj->GetString("path")), std::string(*obj->GetString("pv")));
    }
    return out;
  }

  // DuckDB reading every live file in one query: `select` over the rows of the files, each
  // with its partition columns cast from the log's partitionValues, ordered by `order_by`.
  std::vector<std::string> DuckRows(const std::string& select,
                                    const std::vector<PartitionCast>& partitions,
                                    const std::string& order_by = "id") {
    std::string cols;
    for (const PartitionCast& p : partitions) {
      std::string key = p.key.empty() ? p.column : p.key;
      cols += fmt::format(", CAST(json_extract_string(live.pv, {}) AS {}) AS \"{}\"",
                          SqlQuote("$.\"" + key + "\""), p.duck_type, p.column);
    }
    std::string sql = fmt::format(
        "CREATE TEMP TABLE live AS {};"
        "SET VARIABLE files = (SELECT list(full_path) FROM live);"
        "SELECT {} FROM (SELECT d.*{} FROM read_parquet(getvariable('files'), filename = true, "
        "hive_partitioning = false, union_by_name = true) d JOIN live ON d.filename = "
        "live.full_path) "
        "ORDER BY {}",
        LiveFilesSql(), select, cols, order_by);
    auto rows = DuckDbQuery(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::string>{};
  }

  std::vector<Action> Commit(int64_t version) {
    auto text = fs_.ReadFile(root_ + "/_delta_log/" + CommitFileName(version));
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    if (!text.ok()) return {};
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
};

// Partitioned by a string (with characters Hive escapes), a date and a boolean, including
// nulls; then append, replaceWhere, delete and a failed write, checking rows after each step.
TEST_F(WriteRoundTripTest, PartitionedTableThroughEveryOperation) {
  auto schema = col::Schema::Make({
      {"id", col::Int64()},
      {"region", col::String()},
      {"day", col::Date()},
      {"flag", col::Boolean()},
      {"ts", col::Timestamp()},
      {"amount", col::Decimal(10, 2)},
      {"note", col::String()},
  });
  WriteOptions create;
  create.partition_by = {"region", "day", "flag"};
  create.table_properties = {{"delta.constraints.non_negative", "amount >= 0"}};
  ASSERT_OK_AND_ASSIGN(WriteResult created, WriteToTable(fs_, root_, Input(schema, R"([
    {"id": 1, "region": "US/East", "day": "2024-01-01", "flag": true,
     "ts": "2024-01-01T10:00:00.123456Z", "amount": "1.50", "note": "a"},
    {"id": 2, "region": "x=y#%:z", "day": "2024-01-02", "flag": false,
     "ts": "1969-12-31T23:59:59Z", "amount": "20.00", "note": null},
    {"id": 3, "region": null, "day": null, "flag": null,
     "ts": null, "amount": null, "note": "c"},
    {"id": 4, "region": "a b", "day": "2024-01-01", "flag": true,
     "ts": "2024-06-15T19:30:45Z", "amount": "0.01", "note": "d"}
  ])"),
                                                         create));
  EXPECT_TRUE(created.created_table);
  EXPECT_EQ(created.num_files, 4);
  const std::string select =
      "id, region, CAST(day AS VARCHAR) AS day, flag, CAST(ts AT TIME ZONE 'UTC' AS VARCHAR) AS "
      "ts, CAST(amount AS VARCHAR) AS amount, note";
  const std::vector<PartitionCast> casts = {
      {"region", "VARCHAR", ""}, {"day", "DATE", ""}, {"flag", "BOOLEAN", ""}};
  std::vector<std::string> expected_duck = {
      R"({"id":"1","region":"US/East","day":"2024-01-01","flag":true,"ts":"2024-01-01 10:00:00.123456","amount":"1.50","note":"a"})",
      R"({"id":"2","region":"x=y#%:z","day":"2024-01-02","flag":false,"ts":"1969-12-31 23:59:59","amount":"20.00","note":null})",
      R"({"id":"3","region":null,"day":null,"flag":null,"ts":null,"amount":null,"note":"c"})",
      R"({"id":"4","region":"a b","day":"2024-01-01","flag":true,"ts":"2024-06-15 19:30:45","amount":"0.01","note":"d"})",
  };
  EXPECT_EQ(DuckRows(select, casts), expected_duck);
  EXPECT_EQ(
      ScanRows(),
      (std::vector<std::string>{
          R"({"id":1,"region":"US/East","day":"2024-01-01","flag":true,"ts":"2024-01-01T10:00:00.123456Z","amount":1.50,"note":"a"})",
          R"({"id":2,"region":"x=y#%:z","day":"2024-01-02","flag":false,"ts":"1969-12-31T23:59:59.000000Z","amount":20.00,"note":null})",
          R"({"id":3,"region":null,"day":null,"flag":null,"ts":null,"amount":null,"note":"c"})",
          R"({"id":4,"region":"a b","day":"2024-01-01","flag":true,"ts":"2024-06-15T19:30:45.000000Z","amount":0.01,"note":"d"})",
      }));
  // The folders are Hive-escaped and add.path is that, URI-encoded.
  bool saw_escaped = false;
  for (const Add& add : ActionsOf<Add>(0)) {
    if (add.partition_values.at("region") == std::optional<std::string>("x=y#%:z")) {
      EXPECT_EQ(add.path.substr(0, 46), "region=x%253Dy%2523%2525%253Az/day=2024-01-02/")
          << add.path;
      saw_escaped = true;
    }
  }
  EXPECT_TRUE(saw_escaped);

  // Append.
  ASSERT_OK(WriteToTable(fs_, root_, Input(schema, R"([
    {"id": 5, "region": "US/East", "day": "2024-01-01", "flag": true,
     "ts": null, "amount": "7.00", "note": "e"}])")));
  expected_duck.push_back(
      R"({"id":"5","region":"US/East","day":"2024-01-01","flag":true,"ts":null,"amount":"7.00","note":"e"})");
  EXPECT_EQ(DuckRows(select, casts), expected_duck);
  EXPECT_EQ(ActionsOf<Add>(1).size(), 1u);
  EXPECT_TRUE(ActionsOf<Remove>(1).empty());

  // replaceWhere on a partition column: the 2024-01-01 partitions (ids 1, 4, 5) are replaced.
  WriteOptions replace;
  replace.mode = WriteMode::kOverwrite;
  replace.replace_where = "day = DATE '2024-01-01'";
  ASSERT_OK_AND_ASSIGN(WriteResult replaced, WriteToTable(fs_, root_, Input(schema, R"([
    {"id": 6, "region": "eu", "day": "2024-01-01", "flag": false,
     "ts": null, "amount": "3.00", "note": "f"}])"),
                                                          replace));
  EXPECT_EQ(replaced.num_removed_files, 3);
  EXPECT_EQ(ActionsOf<Remove>(2).size(), 3u);
  for (const Remove& r : ActionsOf<Remove>(2)) {
    EXPECT_EQ(r.partition_values->at("day"), std::optional<std::string>("2024-01-01"));
  }
  expected_duck = {
      R"({"id":"2","region":"x=y#%:z","day":"2024-01-02","flag":false,"ts":"1969-12-31 23:59:59","amount":"20.00","note":null})",
      R"({"id":"3","region":null,"day":null,"flag":null,"ts":null,"amount":null,"note":"c"})",
      R"({"id":"6","region":"eu","day":"2024-01-01","flag":false,"ts":null,"amount":"3.00","note":"f"})",
  };
  EXPECT_EQ(DuckRows(select, casts), expected_duck);

  // Delete on a data column: id 2 goes (its file is removed whole).
  ASSERT_OK_AND_ASSIGN(auto predicate, expr::Parse("amount > 10"));
  ASSERT_OK_AND_ASSIGN(DeleteResult deleted, DeleteFromTable(fs_, root_, predicate));
  EXPECT_EQ(deleted.num_deleted_rows, 1);
  EXPECT_EQ(deleted.num_removed_files, 1);
  expected_duck.erase(expected_duck.begin());
  EXPECT_EQ(DuckRows(select, casts), expected_duck);
  EXPECT_EQ(ActionsOf<Remove>(3).size(), 1u);

  // A CHECK violation commits nothing; the table keeps exactly the committed rows.
  Result<WriteResult> bad = WriteToTable(fs_, root_, Input(schema, R"([
    {"id": 7, "region": "eu", "day": "2024-01-03", "flag": true, "ts": null, "amount": "1.00",
     "note": null},
    {"id": 8, "region": "eu", "day": "2024-01-03", "flag": true, "ts": null, "amount": "-1.00",
     "note": null}])"));
  ASSERT_STATUS_CODE(kInvalidArgument, bad);
  EXPECT_EQ(bad.status().message(),
            "CHECK constraint non_negative (amount >= 0) violated by row with values: amount = "
            "-1.00");
  EXPECT_EQ(DuckRows(select, casts), expected_duck);
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs_, root_));
  EXPECT_EQ(snapshot->version(), 3);
}

// Partition values of numeric and temporal types: serialized in the log as Spark does and read
// back by both readers.
TEST_F(WriteRoundTripTest, PartitionedByNumericAndTemporalTypes) {
  auto schema = col::Schema::Make({
      {"id", col::Int64()},
      {"n", col::Int32()},
      {"d", col::Decimal(6, 2)},
      {"ts", col::Timestamp()},
      {"ntz", col::TimestampNtz()},
      {"x", col::Float64()},
  });
  WriteOptions create;
  create.partition_by = {"n", "d", "ts", "ntz", "x"};
  ASSERT_OK(WriteToTable(fs_, root_, Input(schema, R"([
    {"id": 1, "n": -7, "d": "-1.50", "ts": "2024-06-15T19:30:45Z",
     "ntz": "2013-07-05T17:01:00.123456", "x": 0.25},
    {"id": 2, "n": null, "d": null, "ts": null, "ntz": null, "x": null},
    {"id": 3, "n": 2147483647, "d": "9999.99", "ts": "1970-01-01T00:00:00.000001Z",
     "ntz": "2000-01-01T00:00:00", "x": 1e10}
  ])"),
                         create));
  std::map<int64_t, PartitionValues> by_rows;
  for (const Add& add : ActionsOf<Add>(0)) {
    ASSERT_TRUE(add.stats.has_value());
    if (add.partition_values.at("n") == std::optional<std::string>("-7")) {
      EXPECT_EQ(add.partition_values, (PartitionValues{{"n", "-7"},
                                                       {"d", "-1.50"},
                                                       {"ts", "2024-06-15T19:30:45.000000Z"},
                                                       {"ntz", "2013-07-05 17:01:00.123456"},
                                                       {"x", "0.25"}}));
      // The digest's observed Spark form: Hive-escaped folder, then URI-encoded once more.
      EXPECT_EQ(add.path.substr(0, 94),
                "n=-7/d=-1.50/ts=2024-06-15%2019%253A30%253A45/ntz=2013-07-05%20"
                "17%253A01%253A00.123456/x=0.25/");
    }
    if (add.partition_values.at("n") == std::optional<std::string>("2147483647")) {
      EXPECT_EQ(add.partition_values.at("x"), std::optional<std::string>("1.0E10"));
      EXPECT_EQ(add.partition_values.at("ntz"), std::optional<std::string>("2000-01-01 00:00:00"));
    }
  }
  EXPECT_EQ(
      DuckRows("id, n, CAST(d AS VARCHAR) AS d, CAST(ts AT TIME ZONE 'UTC' AS VARCHAR) AS ts, "
               "CAST(ntz AS VARCHAR) AS ntz, x",
               {{"n", "INTEGER", ""},
                {"d", "DECIMAL(6,2)", ""},
                {"ts", "TIMESTAMPTZ", ""},
                {"ntz", "TIMESTAMP", ""},
                {"x", "DOUBLE", ""}}),
      (std::vector<std::string>{
          R"({"id":"1","n":-7,"d":"-1.50","ts":"2024-06-15 19:30:45","ntz":"2013-07-05 17:01:00.123456","x":0.25})",
          R"({"id":"2","n":null,"d":null,"ts":null,"ntz":null,"x":null})",
          R"({"id":"3","n":2147483647,"d":"9999.99","ts":"1970-01-01 00:00:00.000001","ntz":"2000-01-01 00:00:00","x":10000000000})",
      }));
  EXPECT_EQ(
      ScanRows(),
      (std::vector<std::string>{
          R"({"id":1,"n":-7,"d":-1.50,"ts":"2024-06-15T19:30:45.000000Z","ntz":"2013-07-05T17:01:00.123456","x":0.25})",
          R"({"id":2,"n":null,"d":null,"ts":null,"ntz":null,"x":null})",
          R"({"id":3,"n":2147483647,"d":9999.99,"ts":"1970-01-01T00:00:00.000001Z","ntz":"2000-01-01T00:00:00.000000","x":10000000000.0})",
      }));
  // Pruning by a timestamp partition value deletes exactly one file.
  ASSERT_OK_AND_ASSIGN(auto predicate, expr::Parse("ts = TIMESTAMP '2024-06-15 19:30:45Z'"));
  ASSERT_OK_AND_ASSIGN(DeleteResult deleted, DeleteFromTable(fs_, root_, predicate));
  EXPECT_EQ(deleted.num_removed_files, 1);
  EXPECT_EQ(deleted.num_deleted_rows, 1);
  EXPECT_EQ(ScanRows().size(), 2u);
}

TEST_F(WriteRoundTripTest, NestedSchemaAndRowLevelDelete) {
  auto schema = col::Schema::Make({
      {"id", col::Int32()},
      {"s", col::Struct({{"x", col::Int64()}, {"y", col::Struct({{"z", col::String()}})}})},
      {"tags", col::List(col::String())},
      {"m", col::Map(col::String(), col::Float64())},
      {"ntz", col::TimestampNtz()},
  });
  ASSERT_OK(WriteToTable(fs_, root_, Input(schema, R"([
    {"id": 1, "s": {"x": 10, "y": {"z": "p"}}, "tags": ["a", null], "m": {"k": 1.5},
     "ntz": "2013-07-05T17:01:00.123456"},
    {"id": 2, "s": null, "tags": null, "m": null, "ntz": null},
    {"id": 3, "s": {"x": null, "y": null}, "tags": [], "m": {}, "ntz": "2000-01-01T00:00:00"}
  ])")));
  const std::string select =
      "id, to_json(s) AS s, to_json(tags) AS tags, to_json(m) AS m, CAST(ntz AS VARCHAR) AS ntz";
  std::vector<std::string> expected = {
      R"({"id":1,"s":"{\"x\":10,\"y\":{\"z\":\"p\"}}","tags":"[\"a\",null]","m":"{\"k\":1.5}","ntz":"2013-07-05 17:01:00.123456"})",
      R"({"id":2,"s":null,"tags":null,"m":null,"ntz":null})",
      R"({"id":3,"s":"{\"x\":null,\"y\":null}","tags":"[]","m":"{}","ntz":"2000-01-01 00:00:00"})",
  };
  EXPECT_EQ(DuckRows(select, {}), expected);
  // Stats are nested objects keyed like the schema.
  auto adds = ActionsOf<Add>(0);
  ASSERT_EQ(adds.size(), 1u);
  EXPECT_NE(adds[0].stats->find(R"("minValues":{"id":1,"s":{"x":10,"y":{"z":"p"}},)"),
            std::string::npos)
      << *adds[0].stats;
  EXPECT_NE(adds[0].stats->find(R"("nullCount":{"id":0,"s":{"x":2,"y":{"z":2}},"tags":1,"m":1,)"),
            std::string::npos)
      << *adds[0].stats;

  ASSERT_OK_AND_ASSIGN(auto predicate, expr::Parse("s.x = 10"));
  ASSERT_OK_AND_ASSIGN(DeleteResult deleted, DeleteFromTable(fs_, root_, predicate));
  EXPECT_EQ(deleted.num_deleted_rows, 1);
  EXPECT_EQ(deleted.num_removed_files, 1);
  EXPECT_EQ(deleted.num_added_files, 1);
  EXPECT_EQ(deleted.num_copied_rows, 2);
  expected.erase(expected.begin());
  EXPECT_EQ(DuckRows(select, {}), expected);
  EXPECT_EQ(
      ScanRows(),
      (std::vector<std::string>{
          R"({"id":2,"s":null,"tags":null,"m":null,"ntz":null})",
          R"({"id":3,"s":{"x":null,"y":null},"tags":[],"m":{},"ntz":"2000-01-01T00:00:00.000000"})",
      }));
}

// Column mapping: files use physical names (and field ids); partition values are keyed by
// physical name. DuckDB maps the physical columns back with the names from the log's schema.
void ColumnMappingRoundTrip(WriteRoundTripTest* t, fs::FileSystem& fs, const std::string& root,
                            const std::string& mode) {
  auto schema = col::Schema::Make({
      {"id", col::Int64()},
      {"name", col::String()},
      {"p", col::Int32()},
  });
  WriteOptions create;
  create.partition_by = {"p"};
  create.table_properties = {{"delta.columnMapping.mode", mode}};
  auto batch = col::RecordBatchFromJson(schema, R"([
    {"id": 1, "name": "a", "p": 1}, {"id": 2, "name": "b", "p": 2}, {"id": 3, "name": null,
     "p": null}])");
  ASSERT_OK(batch);
  ASSERT_OK(WriteToTable(fs, root, WriteInput::FromBatches(schema, {*batch}), create));
  ASSERT_OK_AND_ASSIGN(auto snapshot, Snapshot::Load(fs, root));
  ASSERT_NE(snapshot->column_mapping_mode(), ColumnMappingMode::kNone);
  std::map<std::string, std::string> physical;
  for (const col::Field& f : snapshot->schema()->fields()) {
    physical[f.name()] = PhysicalName(f, snapshot->column_mapping_mode());
    EXPECT_NE(physical[f.name()], f.name());
  }
  auto rows =
      t->DuckRows(fmt::format("\"{}\" AS id, \"{}\" AS name, p", physical["id"], physical["name"]),
                  {{"p", "INTEGER", physical["p"]}}, "1");
  EXPECT_EQ(rows, (std::vector<std::string>{R"({"id":"1","name":"a","p":1})",
                                            R"({"id":"2","name":"b","p":2})",
                                            R"({"id":"3","name":null,"p":null})"}));
  // Field ids in the files are the column mapping ids.
  auto files = t->DuckLiveFiles();
  ASSERT_FALSE(files.empty());
  auto ids =
      DuckDbQuery(fmt::format("SELECT name, field_id FROM parquet_schema({}) WHERE name = {}",
                              SqlQuote(root + "/" + files[0].first), SqlQuote(physical["id"])));
  ASSERT_OK(ids);
  ASSERT_EQ(ids->size(), 1u);
  EXPECT_NE((*ids)[0].find(R"("field_id":"1")"), std::string::npos) << (*ids)[0];
}

TEST_F(WriteRoundTripTest, ColumnMappingName) { ColumnMappingRoundTrip(this, fs_, root_, "name"); }
TEST_F(WriteRoundTripTest, ColumnMappingId) { ColumnMappingRoundTrip(this, fs_, root_, "id"); }

TEST_F(WriteRoundTripTest, DeletionVectorsAndChangeData) {
  auto schema = col::Schema::Make({{"id", col::Int64()}, {"v", col::String()}});
  WriteOptions create;
  create.table_properties = {{"delta.enableDeletionVectors", "true"},
                             {"delta.enableChangeDataFeed", "true"}};
  std::string rows = "[";
  for (int i = 0; i < 100; ++i) {
    rows += fmt::format("{}{{\"id\": {}, \"v\": \"r{}\"}}", i == 0 ? "" : ",", i, i);
  }
  rows += "]";
  ASSERT_OK(WriteToTable(fs_, root_, Input(schema, rows), create));
  ASSERT_OK_AND_ASSIGN(auto tail, expr::Parse("id >= 90 OR id = 7"));
  ASSERT_OK_AND_ASSIGN(DeleteResult deleted, DeleteFromTable(fs_, root_, tail));
  EXPECT_EQ(deleted.num_deleted_rows, 11);
  EXPECT_EQ(deleted.num_deletion_vectors_added, 1);
  EXPECT_EQ(deleted.num_added_change_files, 1);
  auto scanned = ScanRows();
  EXPECT_EQ(scanned.size(), 89u);
  EXPECT_EQ(std::count(scanned.begin(), scanned.end(), R"({"id":7,"v":"r7"})"), 0);
  // The data file is untouched (DuckDB still sees all 100 physical rows); the change file
  // holds exactly the deleted rows.
  auto adds = ActionsOf<Add>(1);
  ASSERT_EQ(adds.size(), 1u);
  ASSERT_TRUE(adds[0].deletion_vector.has_value());
  EXPECT_EQ(adds[0].deletion_vector->cardinality, 11);
  auto count = DuckDbQuery(fmt::format("SELECT count(*) AS n FROM read_parquet({})",
                                       SqlQuote(root_ + "/" + adds[0].path)));
  ASSERT_OK(count);
  EXPECT_EQ((*count)[0], R"({"n":"100"})");
  auto cdc = ActionsOf<AddCDCFile>(1);
  ASSERT_EQ(cdc.size(), 1u);
  auto changes = DuckDbQuery(fmt::format(
      "SELECT min(id) AS lo, count(*) AS n, min(_change_type) AS t FROM read_parquet({}) "
      "WHERE id >= 90",
      SqlQuote(root_ + "/" + cdc[0].path)));
  ASSERT_OK(changes);
  EXPECT_EQ((*changes)[0], R"({"lo":"90","n":"10","t":"delete"})");
}

}  // namespace
}  // namespace silt::delta
