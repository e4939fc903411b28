// Transaction: one atomic change to a Delta table (PROTOCOL.md "Optimistic Concurrency Control",
// "Writer Requirements"; digest writer sections). Actions are staged, then Commit() writes them
// as the next version with fs::FileSystem::PutIfAbsent; when another writer won that version,
// the winning commits are re-read and checked against Spark's conflict rules, and the commit is
// retried at the next version (bounded) or fails with a typed conflict.
//
//   SILT_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(fs, "/data/events"));
//   txn->AddFile(add);
//   txn->SetOperation("WRITE", {{"mode", "\"Append\""}});
//   SILT_ASSIGN_OR_RETURN(CommitResult r, txn->Commit());
//
// Thread safety: a Transaction is used by one thread; any number of transactions (in any number
// of processes) may commit to one table concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"
#include "silt/delta/table/snapshot.h"
#include "silt/expr/expr.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

class CheckpointFileDecoder;

// Why a commit lost against a concurrent one (Spark's ConcurrentModificationException kinds).
// Commit() returns these as Status kConflict whose message starts with the Spark exception name
// (e.g. "ConcurrentAppendException: ...") and names the winning version.
enum class ConflictKind {
  kProtocolChanged,         // ProtocolChangedException
  kMetadataChanged,         // MetadataChangedException
  kConcurrentAppend,        // ConcurrentAppendException: files added that we would have read
  kConcurrentDeleteRead,    // ConcurrentDeleteReadException: a file we read was removed
  kConcurrentDeleteDelete,  // ConcurrentDeleteDeleteException: a file we remove was removed
  kConcurrentTransaction,   // ConcurrentTransactionException: same txn appId committed
};
std::string_view ConflictKindName(ConflictKind kind);
// The kind of a conflict status produced by Commit(); nullopt for any other status.
std::optional<ConflictKind> ConflictKindOf(const Status& status);

struct TransactionOptions {
  // commitInfo.engineInfo.
  std::string engine_info;  // empty: "silt/<version>"
  // Attempts at the next free version before giving up with the last conflict/IO error.
  int max_attempts = 100;
  // Milliseconds since the epoch for commitInfo.timestamp, txn.lastUpdated, remove
  // deletionTimestamp and in-commit timestamps; the wall clock when empty (tests pin it).
  std::function<int64_t()> clock;
  // Decodes Parquet checkpoints when loading snapshots; nullptr: the built-in one.
  CheckpointFileDecoder* checkpoint_decoder = nullptr;
  // Write a checkpoint after committing a version that is a multiple of
  // delta.checkpointInterval (default 10), and clean up expired log files after it.
  bool checkpoint_after_commit = true;
};

struct CommitResult {
  // The version written; for a skipped idempotent write, the table version it was checked at.
  int64_t version = -1;
  // True when the transaction's (appId, version) was already committed: nothing was written.
  bool skipped_idempotent = false;
  // PutIfAbsent attempts made (1 when there was no contention).
  int attempts = 0;
  // Whether a checkpoint was written after the commit.
  bool checkpoint_written = false;
  // The table as of `version` (the read snapshot rebased on the winning commits and this one),
  // built without re-reading the log; start the next transaction on it with BeginAt. For a
  // write skipped at Begin, the read snapshot. nullptr when it could not be built (the commit
  // itself succeeded; the reason is logged) or when a concurrent commit turned out to hold
  // this write already.
  std::shared_ptr<const Snapshot> snapshot;
};

class Transaction {
 public:
  // Starts on the latest snapshot of `table_root`. When the table does not exist yet the
  // transaction creates it: SetProtocol and SetMetadata are then required before Commit().
  // Errors: those of Snapshot::Load other than "not a Delta table".
  static Result<std::unique_ptr<Transaction>> Begin(fs::FileSystem& fs, std::string table_root,
                                                    TransactionOptions options = {});
  // As Begin, on a snapshot the caller already loaded (its table root and version), e.g. the
  // previous CommitResult::snapshot. It may be stale: Commit() checks and rebases over the
  // commits made since as over any concurrent writer. When the snapshot is older than
  // delta.logRetentionDuration, Commit() lists the log once, and fails with kConflict if the
  // commits right after it were cleaned up.
  static Result<std::unique_ptr<Transaction>> BeginAt(fs::FileSystem& fs,
                                                      std::shared_ptr<const Snapshot> snapshot,
                                                      TransactionOptions options = {});

  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // The snapshot the transaction reads; nullptr when it creates the table.
  const std::shared_ptr<const Snapshot>& read_snapshot() const;
  // read_snapshot()'s version, -1 when creating.
  int64_t read_version() const;
  const std::string& table_root() const;
  fs::FileSystem& file_system() const;
  // The clock of TransactionOptions (or the wall clock).
  int64_t NowMillis() const;

  // Staged actions, written in this order: commitInfo, protocol, metaData, txn, domains,
  // removes, adds, cdc.
  void SetProtocol(Protocol protocol);
  void SetMetadata(Metadata metadata);
  void AddFile(Add add);
  void RemoveFile(Remove remove);
  void AddCdcFile(AddCDCFile cdc);
  void SetDomainMetadata(DomainMetadata domain);
  // Makes the commit idempotent: when `app_id` already committed `version` (or a later one)
  // Commit() writes nothing and reports skipped_idempotent. The txn action is written with
  // lastUpdated = now.
  void SetAppTransaction(std::string app_id, int64_t version);
  // commitInfo.operation, operationParameters (values are JSON text, as Spark writes them:
  // "\"Append\"", "[]") and operationMetrics (values are strings of numbers).
  void SetOperation(std::string operation, std::map<std::string, std::string> parameters = {},
                    std::map<std::string, std::string> metrics = {});
  // Extra commitInfo fields (JSON text per key), e.g. Spark streaming's queryId/epochId.
  void SetCommitInfoField(std::string key, std::string json_value);

  // The read set, for conflict detection: the rows of the table the transaction's outcome
  // depends on. A predicate over partition columns and/or data columns (nullptr = the whole
  // table); files read are the live files the transaction looked at. A transaction that
  // declares neither is a blind append.
  void ReadPredicate(expr::ExprPtr predicate);
  void ReadFiles(std::span<const Add> files);
  void ReadWholeTable();

  // Writes the staged actions as the next version. Errors: kConflict (see ConflictKind, not
  // retried further), kInvalidArgument for a transaction that is not valid (no metadata on a new
  // table, an add without a partition value for a partition column, a protocol the writer does
  // not support), kUnsupported for a table whose writer features silt lacks, IO errors after
  // the retries. Commit() may be called once.
  Result<CommitResult> Commit();

 private:
  struct Impl;
  explicit Transaction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A remove for a live file (dataChange as given, deletionTimestamp, the file's partition
// values, size, stats, tags and deletion vector), as Spark writes one.
Remove RemoveFromAdd(const Add& add, int64_t deletion_timestamp, bool data_change = true);

}  // namespace silt::delta
