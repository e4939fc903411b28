#include "silt/delta/maintenance/optimize.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "silt/base/strings.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/table/table_properties.h"
#include "silt/delta/write/data_writer.h"
#include "silt/expr/expr.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace {

// Best-effort removal of files written for a commit that did not happen.
void DeleteWritten(fs::FileSystem& fs, const std::string& root, const std::vector<Add>& adds) {
  for (const Add& a : adds) {
    Result<std::string> path = ResolveDataFilePath(root, a.path);
    if (path.ok()) fs.DeleteFile(*path).IgnoreError();
  }
}

}  // namespace

Result<OptimizeResult> Optimize(fs::FileSystem& fs, const std::string& table_root,
                                const OptimizeOptions& options) {
  SILT_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(fs, table_root, options.transaction));
  const std::shared_ptr<const Snapshot>& snapshot = txn->read_snapshot();
  if (snapshot == nullptr) return Status::NotFound("'{}' is not a Delta table", table_root);

  SILT_ASSIGN_OR_RETURN(TableLayout layout, TableLayout::FromSnapshot(*snapshot));
  int64_t target = 0;
  if (options.target_file_size.has_value()) {
    target = *options.target_file_size;
  } else {
    SILT_ASSIGN_OR_RETURN(target, GetIntProperty(snapshot->metadata(), kTargetFileSizeProperty,
                                                 kDefaultTargetFileSize));
  }
  const int64_t min_size = options.min_file_size.value_or(target);
  if (target < 1 || min_size < 0) {
    return Status::InvalidArgument(
        "OPTIMIZE needs a positive target file size and a "
        "non-negative minimum file size (got {} and {})",
        target, min_size);
  }

  ScanBuilder builder(snapshot);
  expr::ExprPtr predicate;
  if (!options.partition_predicate.empty()) {
    SILT_ASSIGN_OR_RETURN(predicate, expr::Parse(options.partition_predicate));
    for (const auto& path : predicate->ReferencedColumns()) {
      bool is_partition = false;
      for (const std::string& p : snapshot->partition_columns()) {
        if (path.size() == 1 && EqualsIgnoreAsciiCase(path[0], p)) is_partition = true;
      }
      if (!is_partition) {
        return Status::InvalidArgument(
            "OPTIMIZE predicate '{}' may only use partition columns, but uses '{}'",
            options.partition_predicate, path.empty() ? "" : path[0]);
      }
    }
    builder.WithPredicate(predicate);
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Scan> scan, builder.Build());

  // Candidates per partition (ordered by partition values, then by size).
  std::map<PartitionValues, std::vector<const ScanFile*>> by_partition;
  for (const ScanFile& f : scan->files()) {
    if (f.add.size < min_size || f.add.deletion_vector.has_value()) {
      by_partition[f.add.partition_values].push_back(&f);
    }
  }

  // Bins of at most `target` bytes, smallest files first.
  std::vector<std::vector<const ScanFile*>> bins;
  OptimizeResult result;
  for (auto& [values, files] : by_partition) {
    std::stable_sort(files.begin(), files.end(), [](const ScanFile* a, const ScanFile* b) {
      return a->add.size < b->add.size;
    });
    std::vector<std::vector<const ScanFile*>> partition_bins;
    std::vector<const ScanFile*> current;
    int64_t current_size = 0;
    for (const ScanFile* f : files) {
      if (!current.empty() && current_size + f->add.size > target) {
        partition_bins.push_back(std::move(current));
        current.clear();
        current_size = 0;
      }
      current.push_back(f);
      current_size += f->add.size;
    }
    if (!current.empty()) partition_bins.push_back(std::move(current));
    bool any = false;
    for (auto& bin : partition_bins) {
      if (bin.size() == 1 && !bin[0]->add.deletion_vector.has_value()) continue;
      bins.push_back(std::move(bin));
      any = true;
    }
    if (any) ++result.partitions_optimized;
  }
  if (bins.empty()) {
    result.commit.version = -1;
    return result;
  }

  const int64_t now = txn->NowMillis();
  std::vector<Add> written;
  std::vector<Add> compacted;
  auto rewrite = [&]() -> Status {
    for (const auto& bin : bins) {
      DataWriterOptions writer_options;
      writer_options.target_file_size = target;
      writer_options.data_change = false;
      writer_options.clock = [&txn] { return txn->NowMillis(); };
      SILT_ASSIGN_OR_RETURN(auto writer, DataFileWriter::Make(fs, layout, writer_options));
      Status s;
      for (const ScanFile* f : bin) {
        Result<std::unique_ptr<ScanIterator>> it = scan->ReadFile(fs, *f);
        if (!it.ok()) {
          s = it.error();
          break;
        }
        while (s.ok()) {
          Result<std::optional<columnar::RecordBatchPtr>> batch = (*it)->Next();
          if (!batch.ok()) {
            s = batch.error();
          } else if (!batch->has_value()) {
            break;
          } else {
            s = writer->Write(***batch);
          }
        }
        if (!s.ok()) break;
        compacted.push_back(f->add);
      }
      if (!s.ok()) {
        writer->Abort();
        return s;
      }
      SILT_ASSIGN_OR_RETURN(std::vector<Add> adds, writer->Finish());
      for (Add& a : adds) written.push_back(std::move(a));
    }
    return Status::OK();
  };
  Status s = rewrite();
  if (!s.ok()) {
    DeleteWritten(fs, table_root, written);
    return s;
  }

  txn->ReadFiles(compacted);
  for (const Add& a : compacted) {
    txn->RemoveFile(RemoveFromAdd(a, now, /*data_change=*/false));
    result.bytes_removed += a.size;
  }
  for (const Add& a : written) {
    txn->AddFile(a);
    result.bytes_added += a.size;
  }
  result.files_removed = static_cast<int64_t>(compacted.size());
  result.files_added = static_cast<int64_t>(written.size());
  std::string predicate_json = "[";
  if (predicate != nullptr) predicate_json += json::Quote(predicate->ToString());
  predicate_json += "]";
  txn->SetOperation("OPTIMIZE",
                    {{"predicate", json::Quote(predicate_json)},
                     {"zOrderBy", json::Quote("[]")},
                     {"auto", "false"}},
                    {{"numRemovedFiles", std::to_string(result.files_removed)},
                     {"numAddedFiles", std::to_string(result.files_added)},
                     {"numRemovedBytes", std::to_string(result.bytes_removed)},
                     {"numAddedBytes", std::to_string(result.bytes_added)},
                     {"partitionsOptimized", std::to_string(result.partitions_optimized)}});
  if (options.before_commit) {
    Status hook = options.before_commit();
    if (!hook.ok()) {
      DeleteWritten(fs, table_root, written);
      return hook;
    }
  }
  Result<CommitResult> commit = txn->Commit();
  if (!commit.ok()) {
    DeleteWritten(fs, table_root, written);
    return commit.error();
  }
  result.commit = *commit;
  return result;
}

}  // namespace silt::delta
