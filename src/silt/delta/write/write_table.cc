#include "silt/delta/write/write_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "silt/base/strings.h"
#include "silt/columnar/take.h"
#include "silt/delta/commit/table_creation.h"
#include "silt/delta/scan/deletion_vector_reader.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_properties.h"
#include "silt/delta/write/batch_predicate.h"
#include "silt/delta/write/constraints.h"
#include "silt/delta/write/data_writer.h"
#include "silt/delta/write/deletion_vector_writer.h"
#include "silt/delta/write/schema_evolution.h"
#include "silt/delta/write/stats.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

constexpr std::string_view kChangeTypeColumn = "_change_type";
constexpr std::string_view kChangeDataDir = "_change_data";

std::string JsonStringArray(const std::vector<std::string>& values) {
  json::Writer w;
  w.BeginArray();
  for (const std::string& v : values) w.String(v);
  w.EndArray();
  return w.Release();
}

// Whether a failed commit certainly wrote nothing, so that its data files may be deleted.
bool CertainlyNotCommitted(const Status& st) {
  return st.code() == StatusCode::kConflict || st.code() == StatusCode::kInvalidArgument ||
         st.code() == StatusCode::kUnsupported;
}

Status CheckAppendOnly(const Metadata& metadata, std::string_view operation) {
  SILT_ASSIGN_OR_RETURN(bool append_only, GetBoolProperty(metadata, property::kAppendOnly, false));
  if (append_only) {
    return Status::InvalidArgument(
        "This table is configured to only allow appends ({}=true): {} is not allowed",
        property::kAppendOnly, operation);
  }
  return Status::OK();
}

// The transaction of a write: on `read_snapshot` when the caller holds one (it must be of
// `table_root`), else on the latest snapshot.
Result<std::unique_ptr<Transaction>> BeginWrite(
    fs::FileSystem& fs, const std::string& table_root,
    const std::shared_ptr<const Snapshot>& read_snapshot, const TransactionOptions& options) {
  if (read_snapshot == nullptr) return Transaction::Begin(fs, table_root, options);
  if (fs::StripTrailingSlashes(read_snapshot->table_root()) !=
      fs::StripTrailingSlashes(table_root)) {
    return Status::InvalidArgument(
        "write to {}: the read snapshot is of another table ({}, version {})", table_root,
        read_snapshot->table_root(), read_snapshot->version());
  }
  return Transaction::BeginAt(fs, read_snapshot, options);
}

int64_t LiveRecords(const Add& add, const Snapshot& snapshot) {
  if (!add.stats.has_value()) return 0;
  Result<FileStats> stats =
      ParseFileStats(*add.stats, *snapshot.schema(), snapshot.column_mapping_mode());
  if (!stats.ok() || !stats->num_records.has_value()) return 0;
  int64_t deleted = add.deletion_vector.has_value() ? add.deletion_vector->cardinality : 0;
  return *stats->num_records - deleted;
}

// Files written while staging a delete, for cleanup when the operation fails.
struct WrittenFiles {
  std::string table_root;
  std::vector<std::string> paths;  // relative, unencoded

  void DeleteAll(fs::FileSystem& fs) {
    for (const std::string& p : paths) fs.DeleteFile(fs::JoinPath(table_root, p)).IgnoreError();
    paths.clear();
  }
};

struct DeleteCounts {
  int64_t deleted_rows = 0;
  int64_t removed_files = 0;
  int64_t added_files = 0;
  int64_t added_change_files = 0;
  int64_t dvs_added = 0;
  int64_t copied_rows = 0;
};

// Stages in `txn` the removal of the rows of `snapshot` matching `predicate` (nullptr: all).
class DeleteStager {
 public:
  DeleteStager(fs::FileSystem& fs, Transaction& txn, std::shared_ptr<const Snapshot> snapshot,
               std::optional<int64_t> target_file_size, bool allow_cdc, WrittenFiles& written)
      : fs_(fs),
        txn_(txn),
        snapshot_(std::move(snapshot)),
        target_file_size_(target_file_size),
        allow_cdc_(allow_cdc),
        written_(written) {}

  Status Run(const expr::ExprPtr& predicate, DeleteCounts& counts) {
    now_ = txn_.NowMillis();
    if (predicate == nullptr) {
      txn_.ReadWholeTable();
      for (const FileRef add : snapshot_->files()) RemoveWhole(add.ToAdd(), counts);
      return Status::OK();
    }
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<Scan> scan,
                          ScanBuilder(snapshot_).WithPredicate(predicate).Build());
    txn_.ReadPredicate(predicate);
    std::vector<Add> read;
    for (const ScanFile& f : scan->files()) read.push_back(f.add);
    txn_.ReadFiles(read);
    if (OnlyPartitionColumns(*predicate)) return RemovePartitions(*scan, *predicate, counts);
    return DeleteRows(*scan, *predicate, counts);
  }

 private:
  bool OnlyPartitionColumns(const expr::Expr& predicate) const {
    for (const auto& path : predicate.ReferencedColumns()) {
      if (path.size() != 1) return false;
      bool found = false;
      for (const std::string& p : snapshot_->partition_columns()) {
        if (EqualsIgnoreAsciiCase(p, path[0])) found = true;
      }
      if (!found) return false;
    }
    return true;
  }

  void RemoveWhole(const Add& add, DeleteCounts& counts) {
    counts.deleted_rows += LiveRecords(add, *snapshot_);
    ++counts.removed_files;
    txn_.RemoveFile(RemoveFromAdd(add, now_));
  }

  Status RemovePartitions(const Scan& scan, const expr::Expr& predicate, DeleteCounts& counts) {
    const auto& partitions = snapshot_->partition_columns();
    for (const ScanFile& file : scan.files()) {
      SILT_ASSIGN_OR_RETURN(
          bool match,
          expr::EvaluatePredicate(predicate,
                                  [&](const std::vector<std::string>& path) -> Result<expr::Value> {
                                    for (size_t i = 0; i < partitions.size(); ++i) {
                                      if (EqualsIgnoreAsciiCase(partitions[i], path[0]))
                                        return file.partition_values[i];
                                    }
                                    return Status::NotFound("column {} not found", path[0]);
                                  }));
      if (match) RemoveWhole(file.add, counts);
    }
    return Status::OK();
  }

  Status DeleteRows(const Scan& scan, const expr::Expr& predicate, DeleteCounts& counts) {
    SILT_ASSIGN_OR_RETURN(std::unique_ptr<Scan> reader, ScanBuilder(snapshot_).Build());
    const Metadata& metadata = snapshot_->metadata();
    SILT_ASSIGN_OR_RETURN(bool dv_enabled,
                          GetBoolProperty(metadata, property::kEnableDeletionVectors, false));
    bool use_dvs = dv_enabled && IsFeatureEnabled(snapshot_->protocol(), feature::kDeletionVectors);
    SILT_ASSIGN_OR_RETURN(bool cdf,
                          GetBoolProperty(metadata, property::kEnableChangeDataFeed, false));
    cdf = cdf && allow_cdc_;
    SILT_ASSIGN_OR_RETURN(TableLayout layout, TableLayout::FromSnapshot(*snapshot_));
    DeletionVectorFileWriter dv_writer(fs_, snapshot_->table_root());
    std::unique_ptr<DataFileWriter> rewriter;
    std::unique_ptr<DataFileWriter> cdc_writer;

    for (const ScanFile& file : scan.files()) {
      std::vector<uint64_t> old_deleted;
      if (file.add.deletion_vector.has_value()) {
        SILT_ASSIGN_OR_RETURN(
            old_deleted, ReadDeletedRows(fs_, snapshot_->table_root(), *file.add.deletion_vector));
      }
      ScanFile physical = file;
      physical.add.deletion_vector.reset();
      // Pass 1: the live rows matching the predicate (and their change data).
      std::vector<uint64_t> matched;
      int64_t total_rows = 0;
      {
        SILT_ASSIGN_OR_RETURN(auto it, reader->ReadFile(fs_, physical));
        size_t old_pos = 0;
        while (true) {
          SILT_ASSIGN_OR_RETURN(auto batch, it->Next());
          if (!batch) break;
          SILT_ASSIGN_OR_RETURN(std::vector<Truth> truth, EvaluateOnBatch(predicate, **batch));
          std::vector<std::pair<int64_t, int64_t>> runs;
          for (int64_t r = 0; r < (*batch)->num_rows(); ++r) {
            auto pos = static_cast<uint64_t>(total_rows + r);
            while (old_pos < old_deleted.size() && old_deleted[old_pos] < pos) ++old_pos;
            bool was_deleted = old_pos < old_deleted.size() && old_deleted[old_pos] == pos;
            if (was_deleted || truth[r] != Truth::kTrue) continue;
            matched.push_back(pos);
            if (!runs.empty() && runs.back().first + runs.back().second == r) {
              ++runs.back().second;
            } else {
              runs.push_back({r, 1});
            }
          }
          if (cdf && !runs.empty()) {
            if (cdc_writer == nullptr) {
              SILT_ASSIGN_OR_RETURN(cdc_writer, MakeCdcWriter(layout));
            }
            SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr deleted, col::TakeRanges(**batch, runs));
            SILT_RETURN_NOT_OK(WriteChanges(*cdc_writer, *deleted, "delete"));
          }
          total_rows += (*batch)->num_rows();
        }
      }
      if (matched.empty()) continue;
      counts.deleted_rows += static_cast<int64_t>(matched.size());
      int64_t live = total_rows - static_cast<int64_t>(old_deleted.size());
      if (static_cast<int64_t>(matched.size()) == live) {
        ++counts.removed_files;
        txn_.RemoveFile(RemoveFromAdd(file.add, now_));
        continue;
      }
      if (use_dvs) {
        std::vector<uint64_t> all;
        std::merge(old_deleted.begin(), old_deleted.end(), matched.begin(), matched.end(),
                   std::back_inserter(all));
        SILT_ASSIGN_OR_RETURN(DeletionVectorDescriptor dv, dv_writer.Add(all));
        txn_.RemoveFile(RemoveFromAdd(file.add, now_));
        Add updated = file.add;
        updated.deletion_vector = dv;
        SILT_ASSIGN_OR_RETURN(updated.stats, WithLooseBounds(file.add.stats));
        txn_.AddFile(std::move(updated));
        ++counts.dvs_added;
        continue;
      }
      // Pass 2: copy the surviving rows into new files.
      if (rewriter == nullptr) {
        DataWriterOptions options;
        options.target_file_size = target_file_size_;
        options.clock = [this] { return txn_.NowMillis(); };
        SILT_ASSIGN_OR_RETURN(rewriter, DataFileWriter::Make(fs_, layout, options));
      }
      std::vector<uint64_t> gone;
      std::merge(old_deleted.begin(), old_deleted.end(), matched.begin(), matched.end(),
                 std::back_inserter(gone));
      SILT_ASSIGN_OR_RETURN(auto it, reader->ReadFile(fs_, physical));
      int64_t base = 0;
      size_t gone_pos = 0;
      while (true) {
        SILT_ASSIGN_OR_RETURN(auto batch, it->Next());
        if (!batch) break;
        std::vector<std::pair<int64_t, int64_t>> keep;
        for (int64_t r = 0; r < (*batch)->num_rows(); ++r) {
          auto pos = static_cast<uint64_t>(base + r);
          while (gone_pos < gone.size() && gone[gone_pos] < pos) ++gone_pos;
          if (gone_pos < gone.size() && gone[gone_pos] == pos) continue;
          if (!keep.empty() && keep.back().first + keep.back().second == r) {
            ++keep.back().second;
          } else {
            keep.push_back({r, 1});
          }
        }
        if (!keep.empty()) {
          SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr survivors, col::TakeRanges(**batch, keep));
          counts.copied_rows += survivors->num_rows();
          Status st = rewriter->Write(*survivors);
          if (!st.ok()) {
            Collect(*rewriter);
            return st;
          }
        }
        base += (*batch)->num_rows();
      }
      ++counts.removed_files;
      txn_.RemoveFile(RemoveFromAdd(file.add, now_));
    }

    if (rewriter != nullptr) {
      Result<std::vector<Add>> adds = rewriter->Finish();
      Collect(*rewriter);
      if (!adds.ok()) return adds.status();
      for (Add& a : *adds) {
        ++counts.added_files;
        txn_.AddFile(std::move(a));
      }
    }
    if (cdc_writer != nullptr) {
      Result<std::vector<Add>> adds = cdc_writer->Finish();
      Collect(*cdc_writer);
      if (!adds.ok()) return adds.status();
      for (Add& a : *adds) {
        AddCDCFile cdc;
        cdc.path = std::move(a.path);
        cdc.partition_values = std::move(a.partition_values);
        cdc.size = a.size;
        cdc.data_change = false;
        ++counts.added_change_files;
        txn_.AddCdcFile(std::move(cdc));
      }
    }
    if (!dv_writer.empty()) {
      written_.paths.push_back(dv_writer.relative_path());
      SILT_RETURN_NOT_OK(dv_writer.Close());
    }
    return Status::OK();
  }

  void Collect(const DataFileWriter& writer) {
    for (const std::string& p : writer.written_paths()) written_.paths.push_back(p);
  }

  Result<std::unique_ptr<DataFileWriter>> MakeCdcWriter(const TableLayout& table) {
    TableLayout layout = table;
    std::vector<col::Field> fields = table.schema->fields();
    fields.emplace_back(std::string(kChangeTypeColumn), col::String(), true);
    layout.schema = col::Schema::Make(std::move(fields));
    DataWriterOptions options;
    options.directory = std::string(kChangeDataDir);
    options.file_prefix = "cdc";
    options.collect_stats = false;
    options.data_change = false;
    options.target_file_size = target_file_size_;
    options.clock = [this] { return txn_.NowMillis(); };
    return DataFileWriter::Make(fs_, std::move(layout), options);
  }

  Status WriteChanges(DataFileWriter& writer, const col::RecordBatch& rows,
                      std::string_view change_type) {
    SILT_ASSIGN_OR_RETURN(
        col::ArrayPtr type,
        ConstantArray(col::String(), expr::Value::String(std::string(change_type)),
                      rows.num_rows()));
    SILT_ASSIGN_OR_RETURN(
        col::RecordBatchPtr with_type,
        rows.AddColumn(rows.num_columns(),
                       col::Field(std::string(kChangeTypeColumn), col::String(), true), type));
    Status st = writer.Write(*with_type);
    if (!st.ok()) Collect(writer);
    return st;
  }

  fs::FileSystem& fs_;
  Transaction& txn_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::optional<int64_t> target_file_size_;
  bool allow_cdc_;
  WrittenFiles& written_;
  int64_t now_ = 0;
};

}  // namespace

WriteInput WriteInput::FromBatches(col::SchemaPtr schema,
                                   std::vector<col::RecordBatchPtr> batches) {
  auto state =
      std::make_shared<std::pair<std::vector<col::RecordBatchPtr>, size_t>>(std::move(batches), 0);
  WriteInput input;
  input.schema = std::move(schema);
  input.next = [state]() -> Result<std::optional<col::RecordBatchPtr>> {
    if (state->second >= state->first.size()) return std::optional<col::RecordBatchPtr>();
    return std::optional<col::RecordBatchPtr>(state->first[state->second++]);
  };
  return input;
}

Result<WriteResult> WriteToTable(fs::FileSystem& fs, const std::string& table_root,
                                 WriteInput input, const WriteOptions& options) {
  if (input.schema == nullptr || !input.next) {
    return Status::InvalidArgument("write to {}: the input has no schema or no batches",
                                   table_root);
  }
  if (options.replace_where.has_value() && options.mode != WriteMode::kOverwrite) {
    return Status::InvalidArgument("replaceWhere '{}' needs the overwrite mode",
                                   *options.replace_where);
  }
  expr::ExprPtr replace_where;
  if (options.replace_where.has_value()) {
    SILT_ASSIGN_OR_RETURN(replace_where, expr::Parse(*options.replace_where));
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                        BeginWrite(fs, table_root, options.read_snapshot, options.transaction));
  std::shared_ptr<const Snapshot> snapshot = txn->read_snapshot();
  WriteResult result;

  if (options.app_transaction.has_value()) {
    const AppTransactionId& app = *options.app_transaction;
    if (snapshot != nullptr) {
      SILT_ASSIGN_OR_RETURN(std::optional<int64_t> done,
                            snapshot->AppTransactionVersion(app.app_id, txn->NowMillis()));
      if (done.has_value() && *done >= app.version) {
        result.commit.version = snapshot->version();
        result.commit.skipped_idempotent = true;
        result.commit.snapshot = snapshot;
        return result;
      }
    }
    txn->SetAppTransaction(app.app_id, app.version);
  }

  Protocol protocol;
  Metadata metadata;
  if (snapshot == nullptr) {
    NewTableOptions create;
    create.schema = input.schema;
    create.partition_columns = options.partition_by;
    create.properties = options.table_properties;
    create.name = options.name;
    create.description = options.description;
    SILT_ASSIGN_OR_RETURN(auto actions, NewTableActions(create, txn->NowMillis()));
    protocol = actions.first;
    metadata = actions.second;
    txn->SetProtocol(protocol);
    txn->SetMetadata(metadata);
    result.created_table = true;
  } else {
    protocol = snapshot->protocol();
    metadata = snapshot->metadata();
    if (!options.partition_by.empty()) {
      const auto& table_parts = snapshot->partition_columns();
      bool same = table_parts.size() == options.partition_by.size();
      for (size_t i = 0; same && i < table_parts.size(); ++i) {
        same = EqualsIgnoreAsciiCase(table_parts[i], options.partition_by[i]);
      }
      if (!same) {
        return Status::InvalidArgument(
            "partition columns {} do not match the partition columns of the table {}: {}",
            JsonStringArray(options.partition_by), table_root, JsonStringArray(table_parts));
      }
    }
    if (options.mode == WriteMode::kOverwrite) {
      SILT_RETURN_NOT_OK(CheckAppendOnly(metadata, "overwrite"));
    }
    if (options.merge_schema) {
      SILT_ASSIGN_OR_RETURN(bool widening,
                            GetBoolProperty(metadata, kEnableTypeWideningProperty, false));
      SILT_ASSIGN_OR_RETURN(MergedSchema merged,
                            MergeSchemas(*snapshot->schema(), *input.schema, widening));
      if (merged.changed) {
        col::SchemaPtr schema = merged.schema;
        if (snapshot->column_mapping_mode() != ColumnMappingMode::kNone) {
          schema = AssignMissingColumnMapping(*schema, metadata);
        }
        metadata.schema_string = SchemaToJson(*schema);
        txn->SetMetadata(metadata);
        if (merged.widened && !IsFeatureEnabled(protocol, feature::kTypeWidening) &&
            !IsFeatureEnabled(protocol, feature::kTypeWideningPreview)) {
          protocol = ProtocolWithFeature(protocol, feature::kTypeWidening, true);
          txn->SetProtocol(protocol);
        }
      }
    } else {
      SILT_RETURN_NOT_OK(CheckWriteSchema(*snapshot->schema(), *input.schema));
    }
  }

  SILT_ASSIGN_OR_RETURN(TableLayout layout,
                        TableLayout::FromActions(table_root, protocol, metadata));
  const col::SchemaPtr table_schema = layout.schema;
  SILT_ASSIGN_OR_RETURN(TableConstraints constraints,
                        TableConstraints::Make(table_schema, metadata));
  DataWriterOptions writer_options;
  writer_options.target_file_size = options.target_file_size;
  writer_options.max_open_writers = options.max_open_writers;
  writer_options.parquet.codec = options.codec;
  writer_options.parquet.sync_on_close = true;  // see the durability order at the commit below
  Transaction* txn_ptr = txn.get();
  writer_options.clock = [txn_ptr] { return txn_ptr->NowMillis(); };
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<DataFileWriter> writer,
                        DataFileWriter::Make(fs, layout, writer_options));

  WrittenFiles written{table_root, {}};
  auto fail = [&](Status st) -> Status {
    writer->Abort();
    written.DeleteAll(fs);
    return st;
  };

  // Rows: aligned to the table schema, checked, written.
  while (true) {
    Result<std::optional<col::RecordBatchPtr>> next = input.next();
    if (!next.ok()) return fail(next.status());
    if (!next->has_value()) break;
    const col::RecordBatchPtr& batch = **next;
    if (!batch->schema()->Equals(*input.schema, /*check_metadata=*/false)) {
      Status st = CheckWriteSchema(*table_schema, *batch->schema());
      if (!st.ok()) return fail(st);
    }
    Result<col::RecordBatchPtr> aligned = AlignBatch(*batch, table_schema);
    if (!aligned.ok()) return fail(aligned.status());
    Status st = constraints.Check(**aligned);
    if (!st.ok()) return fail(st);
    if (replace_where != nullptr) {
      Result<std::vector<Truth>> truth = EvaluateOnBatch(*replace_where, **aligned);
      if (!truth.ok()) return fail(truth.status());
      for (int64_t r = 0; r < (*aligned)->num_rows(); ++r) {
        if ((*truth)[r] == Truth::kTrue) continue;
        return fail(Status::InvalidArgument(
            "Data written out does not match replaceWhere '{}': row with values {}",
            *options.replace_where, DescribeRow(*replace_where, **aligned, r)));
      }
    }
    st = writer->Write(**aligned);
    if (!st.ok()) return fail(st);
  }
  result.num_output_rows = writer->num_rows();
  Result<std::vector<Add>> adds = writer->Finish();
  if (!adds.ok()) return fail(adds.status());
  for (const std::string& p : writer->written_paths()) written.paths.push_back(p);
  for (Add& add : *adds) {
    ++result.num_files;
    result.num_output_bytes += add.size;
    txn->AddFile(std::move(add));
  }

  // What an overwrite replaces.
  if (options.mode == WriteMode::kOverwrite && snapshot != nullptr) {
    if (replace_where == nullptr) {
      txn->ReadWholeTable();
      int64_t now = txn->NowMillis();
      for (const FileRef add : snapshot->files()) {
        txn->RemoveFile(RemoveFromAdd(add.ToAdd(), now));
        ++result.num_removed_files;
      }
    } else {
      DeleteStager stager(fs, *txn, snapshot, options.target_file_size, /*allow_cdc=*/false,
                          written);
      DeleteCounts counts;
      Status st = stager.Run(replace_where, counts);
      if (!st.ok()) return fail(st);
      result.num_removed_files = counts.removed_files;
      result.num_deleted_rows = counts.deleted_rows;
      result.num_files += counts.added_files;
    }
  }

  std::map<std::string, std::string> parameters;
  std::string operation = options.operation;
  if (operation.empty()) {
    operation = "WRITE";
    parameters["mode"] = options.mode == WriteMode::kAppend ? "\"Append\"" : "\"Overwrite\"";
    parameters["partitionBy"] = json::Quote(JsonStringArray(layout.partition_columns));
    if (options.replace_where.has_value()) {
      parameters["predicate"] = json::Quote(JsonStringArray({*options.replace_where}));
    }
  }
  for (const auto& [k, v] : options.operation_parameters) parameters[k] = v;
  std::map<std::string, std::string> metrics = {
      {"numFiles", std::to_string(result.num_files)},
      {"numOutputRows", std::to_string(result.num_output_rows)},
      {"numOutputBytes", std::to_string(result.num_output_bytes)},
  };
  txn->SetOperation(operation, std::move(parameters), std::move(metrics));
  for (const auto& [k, v] : options.commit_info_fields) txn->SetCommitInfoField(k, v);

  // Durability order: each data file is durable before the commit that references it can be
  // seen. The Parquet writer syncs every file on close (WriterOptions::sync_on_close) and a
  // synced WritableFile's Close() publishes it and fsyncs its directory, all before Finish()
  // above returned; only then does Commit() PutIfAbsent the log entry (itself fsynced with its
  // directory). A crash can leave unreferenced data files, never a commit without its files.
  Result<CommitResult> commit = txn->Commit();
  if (!commit.ok()) {
    if (CertainlyNotCommitted(commit.status())) {
      written.DeleteAll(fs);
    }
    return commit.status();
  }
  if (commit->skipped_idempotent) {
    // A concurrent writer (seen at commit time, after a stale read snapshot) committed this
    // app transaction already: ours was never written, so its files are unreferenced.
    written.DeleteAll(fs);
    WriteResult skipped;
    skipped.commit = std::move(*commit);
    return skipped;
  }
  result.commit = std::move(*commit);
  return result;
}

Result<DeleteResult> DeleteFromTable(fs::FileSystem& fs, const std::string& table_root,
                                     expr::ExprPtr predicate, const DeleteOptions& options) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                        BeginWrite(fs, table_root, options.read_snapshot, options.transaction));
  std::shared_ptr<const Snapshot> snapshot = txn->read_snapshot();
  if (snapshot == nullptr) {
    return Status::NotFound("DELETE: {} is not a Delta table", table_root);
  }
  SILT_RETURN_NOT_OK(CheckAppendOnly(snapshot->metadata(), "DELETE"));
  DeleteResult result;
  if (options.app_transaction.has_value()) {
    const AppTransactionId& app = *options.app_transaction;
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> done,
                          snapshot->AppTransactionVersion(app.app_id, txn->NowMillis()));
    if (done.has_value() && *done >= app.version) {
      result.commit.version = snapshot->version();
      result.commit.skipped_idempotent = true;
      result.commit.snapshot = snapshot;
      return result;
    }
    txn->SetAppTransaction(app.app_id, app.version);
  }
  WrittenFiles written{table_root, {}};
  DeleteStager stager(fs, *txn, snapshot, options.target_file_size, /*allow_cdc=*/true, written);
  DeleteCounts counts;
  Status st = stager.Run(predicate, counts);
  if (!st.ok()) {
    written.DeleteAll(fs);
    return st;
  }
  std::map<std::string, std::string> parameters;
  parameters["predicate"] = json::Quote(
      JsonStringArray(predicate == nullptr ? std::vector<std::string>{}
                                           : std::vector<std::string>{predicate->ToString()}));
  std::map<std::string, std::string> metrics = {
      {"numDeletedRows", std::to_string(counts.deleted_rows)},
      {"numRemovedFiles", std::to_string(counts.removed_files)},
      {"numAddedFiles", std::to_string(counts.added_files)},
      {"numAddedChangeFiles", std::to_string(counts.added_change_files)},
      {"numDeletionVectorsAdded", std::to_string(counts.dvs_added)},
      {"numCopiedRows", std::to_string(counts.copied_rows)},
  };
  txn->SetOperation("DELETE", std::move(parameters), std::move(metrics));
  for (const auto& [k, v] : options.commit_info_fields) txn->SetCommitInfoField(k, v);
  Result<CommitResult> commit = txn->Commit();
  if (!commit.ok()) {
    if (CertainlyNotCommitted(commit.status())) written.DeleteAll(fs);
    return commit.status();
  }
  if (commit->skipped_idempotent) {
    written.DeleteAll(fs);
    DeleteResult skipped;
    skipped.commit = std::move(*commit);
    return skipped;
  }
  result.commit = std::move(*commit);
  result.num_deleted_rows = counts.deleted_rows;
  result.num_removed_files = counts.removed_files;
  result.num_added_files = counts.added_files;
  result.num_added_change_files = counts.added_change_files;
  result.num_deletion_vectors_added = counts.dvs_added;
  result.num_copied_rows = counts.copied_rows;
  return result;
}

}  // namespace silt::delta
