// Sinks for demos, custom code and tests:
//   MemorySink        records each batch in a MemorySinkTable, idempotent per batch id (tests)
//   ForEachBatchSink  hands each batch to a callback with its batch id (Spark's foreachBatch)
//   ConsoleSink       prints each batch to a stream as a table or JSON lines (Spark's console)
//   JsonFilesSink     one JSON-lines file per batch through a FileSystem, exactly once
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "silt/stream/sink/sink.h"

namespace silt::stream {

// The rows a MemorySink committed, by batch id. Outlives queries so that a test can restart a
// query on the same table. Thread-safe.
class MemorySinkTable {
 public:
  // Every committed batch id, ascending.
  std::vector<int64_t> batch_ids() const;
  // The record batches of one committed batch (empty when unknown).
  std::vector<columnar::RecordBatchPtr> batch(int64_t batch_id) const;
  // All rows in batch id order (complete mode: the last batch only).
  std::vector<columnar::RecordBatchPtr> all_rows() const;
  int64_t num_rows() const;
  // Every AddBatch call's batch id in call order, skipped re-runs included.
  std::vector<int64_t> calls() const;

 private:
  friend class MemorySink;
  mutable std::mutex mu_;
  std::map<int64_t, std::vector<columnar::RecordBatchPtr>> batches_;
  std::vector<int64_t> calls_;
  bool complete_mode_ = false;
};

class MemorySink final : public Sink {
 public:
  explicit MemorySink(std::string name = "memory",
                      std::shared_ptr<MemorySinkTable> table = std::make_shared<MemorySinkTable>());
  const std::shared_ptr<MemorySinkTable>& table() const { return table_; }

  // "MemorySink[<name>]".
  std::string description() const override { return "MemorySink[" + name_ + "]"; }
  Status Open(const SinkContext& context) override;
  // Reads all of `data`, then records it under batch_id in one step (nothing on error). A batch
  // id already recorded is skipped (append mode) or replaced (complete mode).
  Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) override;

 private:
  std::string name_;
  std::shared_ptr<MemorySinkTable> table_;
  OutputMode mode_ = OutputMode::kAppend;
};

// Calls `fn(data, batch_id)` for each batch; `fn` reads the rows from `data` (it may leave some
// unread). The batch id lets the callback write idempotently: a batch can be handed over again
// after a crash. An error from `fn` fails the query.
class ForEachBatchSink final : public Sink {
 public:
  using Fn = std::function<Status(BatchReader& data, int64_t batch_id)>;
  explicit ForEachBatchSink(Fn fn, std::string name = "foreachBatch");

  std::string description() const override { return "ForEachBatchSink[" + name_ + "]"; }
  Status Open(const SinkContext& context) override;
  // numOutputRows counts the rows `fn` read.
  Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) override;

 private:
  Fn fn_;
  std::string name_;
};

enum class ConsoleFormat { kTable, kJsonLines };

struct ConsoleSinkOptions {
  ConsoleFormat format = ConsoleFormat::kTable;
  // Rows printed per batch (Spark's numRows, default 20); the rest are counted, not printed.
  int64_t num_rows = 20;
  // Table cells longer than this are cut with "..." (Spark's truncate); 0: never.
  int64_t truncate = 20;
};

// Prints, per batch:
//   -------------------------------------------
//   Batch: 3
//   -------------------------------------------
// then the rows as a table (Spark's show()) or as JSON lines, and "only showing top N rows"
// when rows were left out. Rows beyond num_rows are read and dropped (memory stays bounded).
class ConsoleSink final : public Sink {
 public:
  // `out` must outlive the sink.
  explicit ConsoleSink(std::ostream& out, ConsoleSinkOptions options = {});

  std::string description() const override { return "ConsoleSink"; }
  Status Open(const SinkContext& context) override;
  Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) override;

 private:
  std::ostream& out_;
  ConsoleSinkOptions options_;
};

// Writes batch N to `<dir>/batch-<N padded to 20 digits>.jsonl` (pretty.h's JSON lines),
// streaming the rows into the file, which is published on Close. A batch whose file exists
// already is skipped, so every row lands exactly once however often a batch is re-run.
class JsonFilesSink final : public Sink {
 public:
  // `fs` must outlive the sink.
  JsonFilesSink(fs::FileSystem& fs, std::string dir);

  std::string description() const override { return "JsonFilesSink[" + dir_ + "]"; }
  Status Open(const SinkContext& context) override;
  Result<SinkResult> AddBatch(int64_t batch_id, BatchReader& data) override;

  std::string BatchPath(int64_t batch_id) const;

 private:
  fs::FileSystem& fs_;
  std::string dir_;
};

}  // namespace silt::stream
