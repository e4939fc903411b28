#include "silt/delta/scan/parquet_checkpoint_decoder.h"

#include <string>
#include <vector>

#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/parquet/reader/file_reader.h"

namespace silt::delta {

namespace {

// Checkpoint batches hold whole actions (stats strings, schema strings): keep them small
// enough that a decoded batch (a few MB) is still in cache while its rows become actions, and
// that its buffers are reused from one batch to the next instead of being fresh memory.
constexpr int64_t kCheckpointBatchRows = 8 * 1024;

class ParquetCheckpointDecoder final : public CheckpointFileDecoder {
 public:
  Status Decode(fs::FileSystem& fs, const std::string& path,
                const std::function<Status(const columnar::RecordBatch&)>& on_batch) override {
    // First the footer alone, to learn which action columns this writer produced.
    parquet::ReadOptions footer_only;
    footer_only.columns = std::vector<parquet::ColumnSelection>{};
    SILT_ASSIGN_OR_RETURN(auto probe, parquet::FileReader::Open(fs, path, footer_only));
    std::vector<std::string> names;
    columnar::SchemaPtr wanted = CheckpointReadSchema();
    for (const columnar::Field& field : wanted->fields()) {
      if (probe->schema()->GetFieldIndex(field.name()) >= 0) names.push_back(field.name());
    }
    if (names.empty()) {
      return Status::Corruption("checkpoint file '{}' has none of the action columns", path);
    }
    parquet::ReadOptions options;
    options.columns = parquet::ReadOptions::Names(names);
    options.batch_size = kCheckpointBatchRows;
    SILT_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(fs, path, options));
    while (true) {
      SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, reader->Next());
      if (!batch.has_value()) return Status::OK();
      SILT_RETURN_NOT_OK(on_batch(**batch));
    }
  }

  std::optional<int64_t> CountRows(fs::FileSystem& fs, const std::string& path) override {
    parquet::ReadOptions footer_only;
    footer_only.columns = std::vector<parquet::ColumnSelection>{};
    Result<std::unique_ptr<parquet::FileReader>> reader =
        parquet::FileReader::Open(fs, path, footer_only);
    if (!reader.ok()) return std::nullopt;
    return (*reader)->num_rows();
  }
};

}  // namespace

std::unique_ptr<CheckpointFileDecoder> MakeParquetCheckpointDecoder() {
  return std::make_unique<ParquetCheckpointDecoder>();
}

CheckpointFileDecoder* DefaultParquetCheckpointDecoder() {
  static ParquetCheckpointDecoder* const decoder = new ParquetCheckpointDecoder();
  return decoder;
}

}  // namespace silt::delta
