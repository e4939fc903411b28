#include "silt/stream/source/memory_source.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "silt/columnar/from_json.h"

namespace silt::stream {

MemoryStream::MemoryStream(columnar::SchemaPtr schema, std::string name)
    : schema_(std::move(schema)), name_(std::move(name)) {}

Result<Offset> MemoryStream::AddBatch(columnar::RecordBatchPtr batch) {
  if (!batch->schema()->Equals(*schema_, /*check_metadata=*/false)) {
    return Status::InvalidArgument("MemoryStream {}: batch schema {} differs from the stream's {}",
                                   name_, batch->schema()->ToString(), schema_->ToString());
  }
  std::lock_guard<std::mutex> lock(mu_);
  batches_.push_back(std::move(batch));
  return std::to_string(batches_.size());
}

Result<Offset> MemoryStream::AddJson(std::string_view json_rows) {
  SILT_ASSIGN_OR_RETURN(columnar::RecordBatchPtr batch,
                        columnar::RecordBatchFromJson(schema_, json_rows));
  return AddBatch(std::move(batch));
}

int64_t MemoryStream::num_batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(batches_.size());
}

std::vector<columnar::RecordBatchPtr> MemoryStream::batches(int64_t begin, int64_t end) const {
  std::lock_guard<std::mutex> lock(mu_);
  end = std::min<int64_t>(end, static_cast<int64_t>(batches_.size()));
  if (begin >= end) return {};
  return {batches_.begin() + begin, batches_.begin() + end};
}

int64_t MemoryStream::committed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_;
}

void MemoryStream::set_committed(int64_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  committed_ = std::max(committed_, count);
}

MemorySource::MemorySource(std::shared_ptr<MemoryStream> stream, int64_t max_batches_per_trigger)
    : stream_(std::move(stream)), max_batches_per_trigger_(max_batches_per_trigger) {}

std::string MemorySource::description() const { return "MemorySource[" + stream_->name() + "]"; }

Status MemorySource::Open(const SourceContext& context) {
  (void)context;
  return Status::OK();
}

Status MemorySource::PrepareForAvailableNow() {
  available_now_limit_ = stream_->num_batches();
  return Status::OK();
}

Result<int64_t> MemorySource::ParseOffset(const Offset& offset) {
  int64_t value = -1;
  auto [ptr, ec] = std::from_chars(offset.data(), offset.data() + offset.size(), value);
  if (ec != std::errc() || ptr != offset.data() + offset.size() || value < 0) {
    return Status::Corruption("MemorySource: offset '{}' is not a batch count", offset);
  }
  return value;
}

Result<std::optional<Offset>> MemorySource::NextBatchEnd(const std::optional<Offset>& start) {
  int64_t begin = 0;
  if (start) {
    SILT_ASSIGN_OR_RETURN(begin, ParseOffset(*start));
  }
  int64_t available = available_now_limit_.value_or(stream_->num_batches());
  int64_t end = available;
  if (max_batches_per_trigger_ > 0) end = std::min(end, begin + max_batches_per_trigger_);
  if (end <= begin) return std::optional<Offset>();
  return std::optional<Offset>(std::to_string(end));
}

Result<std::unique_ptr<BatchReader>> MemorySource::ReadBatch(const std::optional<Offset>& start,
                                                             const Offset& end) {
  int64_t begin = 0;
  if (start) {
    SILT_ASSIGN_OR_RETURN(begin, ParseOffset(*start));
  }
  SILT_ASSIGN_OR_RETURN(int64_t stop, ParseOffset(end));
  if (stop > stream_->num_batches() || stop < begin) {
    return Status::InvalidArgument(
        "MemorySource[{}]: batch ({}, {}] is not in the stream ({} batches)", stream_->name(),
        begin, stop, stream_->num_batches());
  }
  return std::unique_ptr<BatchReader>(
      std::make_unique<VectorBatchReader>(stream_->schema(), stream_->batches(begin, stop)));
}

Status MemorySource::Commit(const Offset& end) {
  SILT_ASSIGN_OR_RETURN(int64_t count, ParseOffset(end));
  stream_->set_committed(count);
  return Status::OK();
}

std::optional<Offset> MemorySource::latest_offset() const {
  return std::to_string(stream_->num_batches());
}

}  // namespace silt::stream
