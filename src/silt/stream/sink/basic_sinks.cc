#include "silt/stream/sink/basic_sinks.h"

#include <algorithm>
#include <utility>

#include "fmt/format.h"
#include "silt/columnar/pretty.h"

namespace silt::stream {
namespace {

// Text of one cell for the table format: strings unquoted, other scalars as pretty.h prints
// them without quotes, nested values as JSON.
std::string CellText(const columnar::Array& array, int64_t i) {
  if (array.IsNull(i)) return "null";
  if (array.type_id() == columnar::TypeId::kString) {
    return std::string(static_cast<const columnar::BinaryArray&>(array).GetView(i));
  }
  std::string text = columnar::ValueToJson(array, i);
  if (!array.type()->is_nested() && text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------- MemorySinkTable

std::vector<int64_t> MemorySinkTable::batch_ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int64_t> ids;
  for (const auto& [id, batches] : batches_) ids.push_back(id);
  return ids;
}

std::vector<columnar::RecordBatchPtr> MemorySinkTable::batch(int64_t batch_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = batches_.find(batch_id);
  return it == batches_.end() ? std::vector<columnar::RecordBatchPtr>{} : it->second;
}

std::vector<columnar::RecordBatchPtr> MemorySinkTable::all_rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<columnar::RecordBatchPtr> out;
  if (complete_mode_) {
    if (!batches_.empty()) out = batches_.rbegin()->second;
    return out;
  }
  for (const auto& [id, batches] : batches_) out.insert(out.end(), batches.begin(), batches.end());
  return out;
}

int64_t MemorySinkTable::num_rows() const {
  int64_t n = 0;
  for (const auto& batch : all_rows()) n += batch->num_rows();
  return n;
}

std::vector<int64_t> MemorySinkTable::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

// ---------------------------------------------------------------------------- MemorySink

MemorySink::MemorySink(std::string name, std::shared_ptr<MemorySinkTable> table)
    : name_(std::move(name)), table_(std::move(table)) {}

Status MemorySink::Open(const SinkContext& context) {
  mode_ = context.output_mode;
  std::lock_guard<std::mutex> lock(table_->mu_);
  table_->complete_mode_ = mode_ == OutputMode::kComplete;
  return Status::OK();
}

Result<SinkResult> MemorySink::AddBatch(int64_t batch_id, BatchReader& data) {
  {
    std::lock_guard<std::mutex> lock(table_->mu_);
    table_->calls_.push_back(batch_id);
    if (mode_ == OutputMode::kAppend && table_->batches_.count(batch_id) > 0) {
      SinkResult skipped;
      skipped.skipped = true;
      return skipped;
    }
  }
  SILT_ASSIGN_OR_RETURN(std::vector<columnar::RecordBatchPtr> batches, ReadAllBatches(data));
  SinkResult result;
  for (const auto& batch : batches) result.num_output_rows += batch->num_rows();
  std::lock_guard<std::mutex> lock(table_->mu_);
  table_->batches_[batch_id] = std::move(batches);
  return result;
}

// ---------------------------------------------------------------------------- ForEachBatchSink

namespace {
// Counts the rows handed out.
class CountingReader final : public BatchReader {
 public:
  explicit CountingReader(BatchReader& inner) : inner_(inner) {}
  const columnar::SchemaPtr& schema() const override { return inner_.schema(); }
  Result<std::optional<columnar::RecordBatchPtr>> Next() override {
    SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, inner_.Next());
    if (batch) rows_ += (*batch)->num_rows();
    return batch;
  }
  int64_t rows() const { return rows_; }

 private:
  BatchReader& inner_;
  int64_t rows_ = 0;
};
}  // namespace

ForEachBatchSink::ForEachBatchSink(Fn fn, std::string name)
    : fn_(std::move(fn)), name_(std::move(name)) {}

Status ForEachBatchSink::Open(const SinkContext& context) {
  (void)context;
  if (!fn_) return Status::InvalidArgument("ForEachBatchSink[{}]: no function given", name_);
  return Status::OK();
}

Result<SinkResult> ForEachBatchSink::AddBatch(int64_t batch_id, BatchReader& data) {
  CountingReader counting(data);
  SILT_RETURN_NOT_OK(fn_(counting, batch_id));
  SinkResult result;
  result.num_output_rows = counting.rows();
  return result;
}

// ---------------------------------------------------------------------------- ConsoleSink

ConsoleSink::ConsoleSink(std::ostream& out, ConsoleSinkOptions options)
    : out_(out), options_(options) {}

Status ConsoleSink::Open(const SinkContext& context) {
  (void)context;
  if (options_.num_rows < 0) {
    return Status::InvalidArgument("ConsoleSink: numRows must be >= 0, got {}", options_.num_rows);
  }
  return Status::OK();
}

Result<SinkResult> ConsoleSink::AddBatch(int64_t batch_id, BatchReader& data) {
  const columnar::Schema& schema = *data.schema();
  std::vector<std::vector<std::string>> rows;  // at most num_rows, for the table
  std::string json_lines;
  int64_t total = 0;
  while (true) {
    SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> next, data.Next());
    if (!next) break;
    const columnar::RecordBatch& batch = **next;
    const int64_t take = std::clamp<int64_t>(options_.num_rows - total, 0, batch.num_rows());
    if (take > 0) {
      if (options_.format == ConsoleFormat::kJsonLines) {
        json_lines += columnar::RecordBatchToJsonLines(*batch.Slice(0, take));
      } else {
        for (int64_t r = 0; r < take; ++r) {
          std::vector<std::string> cells;
          for (int c = 0; c < batch.num_columns(); ++c) {
            std::string cell = CellText(*batch.column(c), r);
            if (options_.truncate > 0 && static_cast<int64_t>(cell.size()) > options_.truncate) {
              cell = options_.truncate < 4 ? cell.substr(0, options_.truncate)
                                           : cell.substr(0, options_.truncate - 3) + "...";
            }
            cells.push_back(std::move(cell));
          }
          rows.push_back(std::move(cells));
        }
      }
    }
    total += batch.num_rows();
  }

  std::string text = "-------------------------------------------\n";
  text += fmt::format("Batch: {}\n", batch_id);
  text += "-------------------------------------------\n";
  if (options_.format == ConsoleFormat::kJsonLines) {
    text += json_lines;
  } else {
    std::vector<size_t> widths;
    for (const columnar::Field& field : schema.fields()) {
      widths.push_back(std::max<size_t>(3, field.name().size()));
    }
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
        widths[c] = std::max(widths[c], row[c].size());
      }
    }
    std::string rule = "+";
    for (size_t w : widths) rule += std::string(w, '-') + "+";
    rule += "\n";
    auto line = [&](const std::vector<std::string>& cells) {
      std::string s = "|";
      for (size_t c = 0; c < widths.size(); ++c) {
        const std::string& cell = c < cells.size() ? cells[c] : std::string();
        s += std::string(widths[c] - std::min(widths[c], cell.size()), ' ') + cell + "|";
      }
      return s + "\n";
    };
    std::vector<std::string> header;
    for (const columnar::Field& field : schema.fields()) header.push_back(field.name());
    text += rule + line(header) + rule;
    for (const auto& row : rows) text += line(row);
    text += rule;
  }
  if (total > options_.num_rows) {
    text += fmt::format("only showing top {} row{}\n", options_.num_rows,
                        options_.num_rows == 1 ? "" : "s");
  }
  text += "\n";
  out_ << text;
  out_.flush();
  if (!out_)
    return Status::IOError("ConsoleSink: writing batch {} to the console failed", batch_id);
  SinkResult result;
  result.num_output_rows = total;
  return result;
}

// ---------------------------------------------------------------------------- JsonFilesSink

JsonFilesSink::JsonFilesSink(fs::FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

Status JsonFilesSink::Open(const SinkContext& context) {
  (void)context;
  return fs_.CreateDir(dir_);
}

std::string JsonFilesSink::BatchPath(int64_t batch_id) const {
  return fs::JoinPath(dir_, fmt::format("batch-{:020d}.jsonl", batch_id));
}

Result<SinkResult> JsonFilesSink::AddBatch(int64_t batch_id, BatchReader& data) {
  const std::string path = BatchPath(batch_id);
  SILT_ASSIGN_OR_RETURN(bool exists, fs_.Exists(path));
  if (exists) {
    SinkResult skipped;
    skipped.skipped = true;
    return skipped;
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::WritableFile> file, fs_.OpenWritable(path));
  SinkResult result;
  while (true) {
    SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, data.Next());
    if (!batch) break;
    SILT_RETURN_NOT_OK(file->Append(columnar::RecordBatchToJsonLines(**batch)));
    result.num_output_rows += (*batch)->num_rows();
  }
  // Synced before it is published: after a crash the file is either absent or whole.
  SILT_RETURN_NOT_OK(file->Sync());
  SILT_RETURN_NOT_OK(file->Close());
  return result;
}

}  // namespace silt::stream
