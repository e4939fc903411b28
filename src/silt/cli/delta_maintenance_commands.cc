// `silt vacuum`, `silt optimize`, `silt checkpoint` and `silt restore`: Delta table maintenance
// (delta/maintenance/): deleting unreferenced files, compacting small files, writing a
// checkpoint, and making the latest version equal to an earlier one.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "silt/base/calendar.h"
#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/cli/delta_common.h"
#include "silt/delta/maintenance/checkpoint_writer.h"
#include "silt/delta/maintenance/optimize.h"
#include "silt/delta/maintenance/restore.h"
#include "silt/delta/maintenance/vacuum.h"
#include "silt/fs/file_system_registry.h"

namespace silt::cli {
namespace {

struct VacuumArgs {
  std::string table;
  std::optional<double> retain_hours;
  bool dry_run = false;
  bool no_retention_check = false;
};

Status VacuumTable(const VacuumArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  delta::VacuumOptions options;
  options.retention_hours = args.retain_hours;
  options.dry_run = args.dry_run;
  options.enforce_retention_check = !args.no_retention_check;
  SILT_ASSIGN_OR_RETURN(delta::VacuumResult r, delta::Vacuum(*fs, args.table, options));
  for (const std::string& file : r.files) std::printf("%s\n", file.c_str());
  std::printf("%s %lld files (%lld bytes) of %lld scanned, at version %lld, retention %.6g hours\n",
              r.dry_run ? "would delete" : "deleted", static_cast<long long>(r.files.size()),
              static_cast<long long>(r.bytes), static_cast<long long>(r.files_scanned),
              static_cast<long long>(r.version),
              static_cast<double>(r.retention_ms) / (3600.0 * 1000.0));
  return Status::OK();
}

struct OptimizeArgs {
  std::string table;
  std::string where;
  std::optional<std::string> target_size;
  std::optional<std::string> min_size;
};

Status OptimizeTable(const OptimizeArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  delta::OptimizeOptions options;
  options.partition_predicate = args.where;
  if (args.target_size) {
    SILT_ASSIGN_OR_RETURN(options.target_file_size,
                          ParseByteSize("--target-size", *args.target_size));
  }
  if (args.min_size) {
    SILT_ASSIGN_OR_RETURN(options.min_file_size, ParseByteSize("--min-size", *args.min_size));
  }
  SILT_ASSIGN_OR_RETURN(delta::OptimizeResult r, delta::Optimize(*fs, args.table, options));
  if (r.commit.version < 0) {
    std::printf("nothing to optimize\n");
    return Status::OK();
  }
  std::printf(
      "optimized %lld partitions at version %lld: removed %lld files (%lld bytes), added %lld "
      "files (%lld bytes)\n",
      static_cast<long long>(r.partitions_optimized), static_cast<long long>(r.commit.version),
      static_cast<long long>(r.files_removed), static_cast<long long>(r.bytes_removed),
      static_cast<long long>(r.files_added), static_cast<long long>(r.bytes_added));
  return Status::OK();
}

struct CheckpointArgs {
  std::string table;
  std::optional<int64_t> version;
  bool v2 = false;
  bool classic = false;
};

Status CheckpointTable(const CheckpointArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  SILT_ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(*fs, args.table, args.version));
  delta::CheckpointWriteOptions options;
  if (args.v2) options.policy = delta::CheckpointPolicy::kV2;
  if (args.classic) options.policy = delta::CheckpointPolicy::kClassic;
  SILT_ASSIGN_OR_RETURN(delta::CheckpointWriteResult r,
                        delta::WriteCheckpoint(*fs, *snapshot, options));
  std::printf("%s\n", r.checkpoint_path.c_str());
  for (const std::string& sidecar : r.sidecar_files) std::printf("%s\n", sidecar.c_str());
  std::printf(
      "%scheckpoint of version %lld: %lld actions (%lld add, %lld remove), %lld files, %lld "
      "bytes; _last_checkpoint %s\n",
      r.v2 ? "V2 " : "", static_cast<long long>(r.version), static_cast<long long>(r.num_actions),
      static_cast<long long>(r.num_add_files), static_cast<long long>(r.num_tombstones),
      static_cast<long long>(r.files.size()), static_cast<long long>(r.size_in_bytes),
      r.last_checkpoint_updated ? "updated" : "unchanged");
  return Status::OK();
}

struct RestoreArgs {
  std::string table;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
};

Status RestoreTable(const RestoreArgs& args) {
  SILT_ASSIGN_OR_RETURN(auto fs, fs::FileSystemFromUri(args.table));
  delta::RestoreOptions options;
  options.version = args.version;
  if (args.timestamp) {
    SILT_ASSIGN_OR_RETURN(int64_t micros, ParseTimestamp(*args.timestamp));
    options.timestamp_ms = micros / 1000;
  }
  SILT_ASSIGN_OR_RETURN(delta::RestoreResult r, delta::Restore(*fs, args.table, options));
  std::printf(
      "restored version %lld as version %lld: added %lld files (%lld bytes), removed %lld files "
      "(%lld bytes)\n",
      static_cast<long long>(r.restored_version), static_cast<long long>(r.commit.version),
      static_cast<long long>(r.files_added), static_cast<long long>(r.bytes_added),
      static_cast<long long>(r.files_removed), static_cast<long long>(r.bytes_removed));
  return Status::OK();
}

}  // namespace

void RegisterDeltaMaintenanceCommands(CLI::App& app) {
  static VacuumArgs vacuum;
  CLI::App* v = AddCommand(app, "vacuum",
                           "Delete the files of a Delta table that no version within the "
                           "retention needs",
                           [] { return VacuumTable(vacuum); });
  v->add_option("TABLE", vacuum.table, "Table path or URI")->required();
  v->add_option("--retain", vacuum.retain_hours,
                "Retention in hours (default: delta.deletedFileRetentionDuration, 168)")
      ->check(CLI::NonNegativeNumber);
  v->add_flag("--dry-run", vacuum.dry_run, "List the files that would be deleted, delete none");
  v->add_flag("--no-retention-check", vacuum.no_retention_check,
              "Allow a retention shorter than the table's (unsafe while others read or write)");

  static OptimizeArgs optimize;
  CLI::App* o = AddCommand(app, "optimize",
                           "Compact the small files of a Delta table into files of about the "
                           "target size",
                           [] { return OptimizeTable(optimize); });
  o->add_option("TABLE", optimize.table, "Table path or URI")->required();
  o->add_option("--where", optimize.where,
                "Partitions to compact, a predicate over partition columns (e.g. \"day = "
                "'2024-01-31'\")");
  o->add_option("--target-size", optimize.target_size,
                "Size of the files written, bytes or 128m/1g (default: delta.targetFileSize, "
                "else 128m)");
  o->add_option("--min-size", optimize.min_size,
                "Compact files smaller than this (default: the target size)");

  static CheckpointArgs checkpoint;
  CLI::App* c = AddCommand(app, "checkpoint",
                           "Write a checkpoint of a Delta table and update _last_checkpoint",
                           [] { return CheckpointTable(checkpoint); });
  c->add_option("TABLE", checkpoint.table, "Table path or URI")->required();
  c->add_option("--version", checkpoint.version, "Version to checkpoint (default: latest)");
  auto* v2 = c->add_flag("--v2", checkpoint.v2,
                         "UUID-named V2 checkpoint with sidecars (needs the v2Checkpoint "
                         "feature; default: the table's delta.checkpointPolicy)");
  c->add_flag("--classic", checkpoint.classic, "Classic-named checkpoint")->excludes(v2);

  static RestoreArgs restore;
  CLI::App* r = AddCommand(app, "restore",
                           "Make the latest version of a Delta table equal to an earlier one, "
                           "as a new commit",
                           [] { return RestoreTable(restore); });
  r->add_option("TABLE", restore.table, "Table path or URI")->required();
  CLI::Option_group* target = r->add_option_group("target", "The version to restore");
  target->add_option("--version", restore.version, "Version to restore");
  target->add_option("--timestamp", restore.timestamp,
                     "Restore the version current at this time (e.g. '2024-01-31 12:00:00Z')");
  target->require_option(1);
}

}  // namespace silt::cli
