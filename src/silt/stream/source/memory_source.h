// MemoryStream / MemorySource: a source fed by the test itself (Spark's MemoryStream). The
// stream holds appended record batches; a source reads them with offsets that count batches
// (the JSON integer k: the first k batches). The stream outlives queries, so a test can stop a
// query, append more data, and start another query on the same stream and checkpoint.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "silt/stream/source/source.h"

namespace silt::stream {

class MemoryStream {
 public:
  // Batches must have this schema.
  MemoryStream(columnar::SchemaPtr schema, std::string name = "memory");

  const columnar::SchemaPtr& schema() const { return schema_; }
  const std::string& name() const { return name_; }

  // Appends a batch (empty batches count as a batch too). kInvalidArgument when its schema
  // differs from the stream's. Returns the offset that includes it. Thread-safe.
  Result<Offset> AddBatch(columnar::RecordBatchPtr batch);
  // Rows as a JSON array of objects (columnar::RecordBatchFromJson).
  Result<Offset> AddJson(std::string_view json_rows);

  int64_t num_batches() const;
  std::vector<columnar::RecordBatchPtr> batches(int64_t begin, int64_t end) const;

  // The highest offset a source reported committed (-1: none), for tests.
  int64_t committed() const;
  void set_committed(int64_t count);

 private:
  columnar::SchemaPtr schema_;
  std::string name_;
  mutable std::mutex mu_;
  std::vector<columnar::RecordBatchPtr> batches_;
  int64_t committed_ = -1;
};

class MemorySource final : public Source {
 public:
  // `max_batches_per_trigger` > 0 limits how many appended batches one micro-batch takes.
  explicit MemorySource(std::shared_ptr<MemoryStream> stream, int64_t max_batches_per_trigger = 0);

  // "MemorySource[<name>]".
  std::string description() const override;
  Status Open(const SourceContext& context) override;
  Result<columnar::SchemaPtr> schema() override { return stream_->schema(); }
  Status PrepareForAvailableNow() override;
  Result<std::optional<Offset>> NextBatchEnd(const std::optional<Offset>& start) override;
  Result<std::unique_ptr<BatchReader>> ReadBatch(const std::optional<Offset>& start,
                                                 const Offset& end) override;
  Status Commit(const Offset& end) override;
  std::optional<Offset> latest_offset() const override;

  // The batch count an offset stands for; kCorruption when it is not a non-negative integer.
  static Result<int64_t> ParseOffset(const Offset& offset);

 private:
  std::shared_ptr<MemoryStream> stream_;
  int64_t max_batches_per_trigger_;
  std::optional<int64_t> available_now_limit_;
};

}  // namespace silt::stream
