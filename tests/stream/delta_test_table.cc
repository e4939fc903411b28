#include "stream/delta_test_table.h"

#include <fmt/format.h>

#include "silt/columnar/from_json.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/table/schema.h"
#include "silt/parquet/writer/file_writer.h"

namespace silt::testing {

namespace col = ::silt::columnar;

DeltaTestTable::DeltaTestTable(std::shared_ptr<fs::FileSystem> fs, std::string root)
    : fs_(std::move(fs)), root_(std::move(root)) {
  schema_ = col::Schema::Make({col::Field("id", col::Int64()), col::Field("name", col::String())});
}

delta::Metadata DeltaTestTable::MakeMetadata(delta::StringMap configuration) const {
  delta::Metadata m;
  m.id = table_id_;
  m.schema_string = delta::SchemaToJson(*schema_);
  m.configuration = std::move(configuration);
  m.created_time = 1000;
  return m;
}

Status DeltaTestTable::Commit(std::vector<delta::Action> actions) {
  std::string path = fs::JoinPath(delta::LogDirFor(root_), delta::CommitFileName(version_ + 1));
  SILT_RETURN_NOT_OK(fs_->PutIfAbsent(path, delta::ToCommitFile(actions)));
  ++version_;
  return Status::OK();
}

Status DeltaTestTable::DeleteCommit(int64_t version) {
  return fs_->DeleteFile(fs::JoinPath(delta::LogDirFor(root_), delta::CommitFileName(version)));
}

Result<delta::Add> DeltaTestTable::WriteFile(const std::vector<int64_t>& ids) {
  std::string json = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) json += ",";
    // Columns the current schema has beyond id and name are left null.
    json += fmt::format(R"({{"id":{},"name":"n{}"}})", ids[i], ids[i]);
  }
  json += "]";
  SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr batch, col::RecordBatchFromJson(schema_, json));
  std::string name = fmt::format("{}part-{:05d}.parquet", file_prefix_, file_counter_++);
  SILT_ASSIGN_OR_RETURN(auto writer,
                        parquet::FileWriter::Open(*fs_, fs::JoinPath(root_, name), schema_));
  SILT_RETURN_NOT_OK(writer->WriteBatch(*batch));
  SILT_ASSIGN_OR_RETURN(parquet::WrittenFile written, writer->Close());
  SILT_ASSIGN_OR_RETURN(fs::FileInfo info, fs_->GetFileInfo(written.path));
  delta::Add add;
  add.path = name;
  add.size = written.file_size;
  add.modification_time = info.modification_time_ms;
  add.data_change = true;
  add.stats = fmt::format(R"({{"numRecords":{}}})", ids.size());
  return add;
}

Result<delta::AddCDCFile> DeltaTestTable::WriteChangeFile(
    const std::vector<std::pair<int64_t, std::string>>& rows) {
  std::vector<col::Field> fields = schema_->fields();
  fields.emplace_back("_change_type", col::String());
  col::SchemaPtr schema = col::Schema::Make(std::move(fields));
  std::string json = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) json += ",";
    json += fmt::format(R"({{"id":{},"name":"n{}","_change_type":"{}"}})", rows[i].first,
                        rows[i].first, rows[i].second);
  }
  json += "]";
  SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr batch, col::RecordBatchFromJson(schema, json));
  std::string name =
      fmt::format("_change_data/{}cdc-{:05d}.parquet", file_prefix_, file_counter_++);
  SILT_ASSIGN_OR_RETURN(auto writer,
                        parquet::FileWriter::Open(*fs_, fs::JoinPath(root_, name), schema));
  SILT_RETURN_NOT_OK(writer->WriteBatch(*batch));
  SILT_ASSIGN_OR_RETURN(parquet::WrittenFile written, writer->Close());
  delta::AddCDCFile cdc;
  cdc.path = name;
  cdc.size = written.file_size;
  cdc.data_change = false;
  return cdc;
}

Status DeltaTestTable::Create(const std::vector<std::vector<int64_t>>& files,
                              delta::StringMap configuration) {
  configuration_ = configuration;
  std::vector<delta::Action> actions;
  delta::CommitInfo info;
  info.operation = "CREATE TABLE";
  actions.emplace_back(info);
  actions.emplace_back(delta::Protocol{});
  actions.emplace_back(MakeMetadata(std::move(configuration)));
  for (const auto& ids : files) {
    SILT_ASSIGN_OR_RETURN(delta::Add add, WriteFile(ids));
    actions.emplace_back(std::move(add));
  }
  return Commit(std::move(actions));
}

Result<std::vector<delta::Add>> DeltaTestTable::Append(
    const std::vector<std::vector<int64_t>>& files) {
  std::vector<delta::Action> actions;
  std::vector<delta::Add> adds;
  for (const auto& ids : files) {
    SILT_ASSIGN_OR_RETURN(delta::Add add, WriteFile(ids));
    adds.push_back(add);
    actions.emplace_back(std::move(add));
  }
  SILT_RETURN_NOT_OK(Commit(std::move(actions)));
  return adds;
}

namespace {
delta::Remove RemoveOf(const delta::Add& add, bool data_change) {
  delta::Remove r;
  r.path = add.path;
  r.deletion_timestamp = add.modification_time + 1;
  r.data_change = data_change;
  r.size = add.size;
  r.partition_values = add.partition_values;
  return r;
}
}  // namespace

Status DeltaTestTable::Delete(const std::vector<delta::Add>& files) {
  std::vector<delta::Action> actions;
  for (const delta::Add& a : files) actions.emplace_back(RemoveOf(a, true));
  return Commit(std::move(actions));
}

Result<delta::Add> DeltaTestTable::Update(const delta::Add& old, const std::vector<int64_t>& ids) {
  SILT_ASSIGN_OR_RETURN(delta::Add add, WriteFile(ids));
  SILT_RETURN_NOT_OK(Commit({RemoveOf(old, true), add}));
  return add;
}

Result<delta::Add> DeltaTestTable::Compact(const std::vector<delta::Add>& files,
                                           const std::vector<int64_t>& ids) {
  SILT_ASSIGN_OR_RETURN(delta::Add add, WriteFile(ids));
  add.data_change = false;
  std::vector<delta::Action> actions;
  for (const delta::Add& a : files) actions.emplace_back(RemoveOf(a, false));
  actions.emplace_back(add);
  SILT_RETURN_NOT_OK(Commit(std::move(actions)));
  return add;
}

Status DeltaTestTable::ChangeSchema(columnar::SchemaPtr schema) {
  schema_ = std::move(schema);
  return Commit({MakeMetadata(configuration_)});
}

Status DeltaTestTable::ChangeConfiguration(delta::StringMap configuration,
                                           std::vector<delta::Action> before) {
  configuration_ = std::move(configuration);
  before.emplace_back(MakeMetadata(configuration_));
  return Commit(std::move(before));
}

}  // namespace silt::testing
