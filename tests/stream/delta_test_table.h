// A small Delta table writer for the streaming tests: Parquet data files through
// parquet::FileWriter and commits as JSON actions through the FileSystem, one version at a
// time (appends, deletes, updates, dataChange=false rewrites, schema changes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/schema.h"
#include "silt/delta/actions/actions.h"
#include "silt/fs/memory_file_system.h"

namespace silt::testing {

class DeltaTestTable {
 public:
  // A table at `root` of `fs` with columns id (long) and name (string); the clock of `fs`
  // should be the one given here so that file times are deterministic.
  DeltaTestTable(std::shared_ptr<fs::FileSystem> fs, std::string root);

  const std::string& root() const { return root_; }
  const std::string& table_id() const { return table_id_; }
  int64_t version() const { return version_; }
  const columnar::SchemaPtr& schema() const { return schema_; }

  // Version 0: protocol and metadata (with `configuration`), and one file per entry of `files`.
  Status Create(const std::vector<std::vector<int64_t>>& files = {},
                delta::StringMap configuration = {});
  // A data file holding rows with these ids (name = "n<id>"), not yet committed.
  Result<delta::Add> WriteFile(const std::vector<int64_t>& ids);
  // Data and change files written from now on are named "<prefix>part-NNNNN.parquet" and
  // "_change_data/<prefix>cdc-NNNNN.parquet" (prefix may hold folders, e.g. "skip/").
  void set_file_prefix(std::string prefix) { file_prefix_ = std::move(prefix); }
  // A change data file with rows (id, change type), not yet committed.
  Result<delta::AddCDCFile> WriteChangeFile(
      const std::vector<std::pair<int64_t, std::string>>& rows);
  // One commit adding one file per entry.
  Result<std::vector<delta::Add>> Append(const std::vector<std::vector<int64_t>>& files);
  // One commit removing these files (dataChange=true): a DELETE.
  Status Delete(const std::vector<delta::Add>& files);
  // One commit removing `old` and adding a file with `ids`: an UPDATE.
  Result<delta::Add> Update(const delta::Add& old, const std::vector<int64_t>& ids);
  // One commit rewriting `files` into one file with dataChange=false: an OPTIMIZE.
  Result<delta::Add> Compact(const std::vector<delta::Add>& files, const std::vector<int64_t>& ids);
  // One commit with a new metaData of `schema` (same table id).
  Status ChangeSchema(columnar::SchemaPtr schema);
  // One commit with a new metaData of `configuration` (same schema), after `before` actions.
  Status ChangeConfiguration(delta::StringMap configuration,
                             std::vector<delta::Action> before = {});
  // Commits `actions` as the next version.
  Status Commit(std::vector<delta::Action> actions);
  // Deletes the commit file of `version` (log cleanup).
  Status DeleteCommit(int64_t version);

 private:
  delta::Metadata MakeMetadata(delta::StringMap configuration) const;

  std::shared_ptr<fs::FileSystem> fs_;
  std::string root_;
  std::string table_id_ = "5b3e1f3c-0d6a-4c1e-9a57-7d2b0d7e9e01";
  columnar::SchemaPtr schema_;
  delta::StringMap configuration_;
  int64_t version_ = -1;
  int file_counter_ = 0;
  std::string file_prefix_;
};

}  // namespace silt::testing
