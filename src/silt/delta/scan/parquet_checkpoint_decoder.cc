#include "silt/delta/scan/parquet_checkpoint_decoder.h"

#include <algorithm>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/parquet/reader/file_reader.h"

namespace silt::delta {

namespace {

// Checkpoint batches hold whole actions (stats strings, schema strings): keep them small
// enough that a decoded batch (a few MB) is still in cache while its rows become actions, and
// that its buffers are reused from one batch to the next instead of being fresh memory.
constexpr int64_t kCheckpointBatchRows = 8 * 1024;

// The selection of action column `wanted` in a file whose column is `in_file`: only the fields
// replay reads (CheckpointReadSchema), so that what writers add beside them (add.stats_parsed,
// add.partitionValues_parsed, remove.stats, remove.tags, ...) is never decoded. Fields below
// those (deletionVector's) are read whole. A column that is not a struct, or has none of the
// fields, is read whole, so that replay sees and reports it as before.
parquet::ColumnSelection SelectAction(const columnar::Field& wanted,
                                      const columnar::Field& in_file) {
  parquet::ColumnSelection sel;
  sel.name = wanted.name();
  if (wanted.type()->id() != columnar::TypeId::kStruct ||
      in_file.type()->id() != columnar::TypeId::kStruct) {
    return sel;
  }
  const auto& want_fields = columnar::AsStruct(*wanted.type()).fields();
  const auto& file_fields = columnar::AsStruct(*in_file.type()).fields();
  for (const columnar::Field& f : file_fields) {
    for (const columnar::Field& w : want_fields) {
      if (f.name() == w.name()) {
        sel.fields.push_back({f.name()});
        break;
      }
    }
  }
  if (sel.fields.size() == file_fields.size()) sel.fields.clear();  // all of them: read whole
  return sel;
}

class ParquetCheckpointDecoder final : public CheckpointFileDecoder {
 public:
  Status Decode(fs::FileSystem& fs, const std::string& path,
                const std::function<Status(const columnar::RecordBatch&)>& on_batch) override {
    // Decode the action columns (add.stats and add.path above all) on up to 4 cores.
    const int threads =
        static_cast<int>(std::min(4u, std::max(1u, std::thread::hardware_concurrency())));
    return Read(fs, path, std::nullopt, threads, on_batch);
  }

  Status DecodePart(fs::FileSystem& fs, const std::string& path, int part,
                    const std::function<Status(const columnar::RecordBatch&)>& on_batch) override {
    // Parts are decoded side by side, one per thread: no more threads below.
    return Read(fs, path, std::vector<int>{part}, 1, on_batch);
  }

  std::optional<CheckpointFileLayout> Inspect(fs::FileSystem& fs,
                                              const std::string& path) override {
    parquet::ReadOptions footer_only;
    footer_only.columns = std::vector<parquet::ColumnSelection>{};
    Result<std::unique_ptr<parquet::FileReader>> reader =
        parquet::FileReader::Open(fs, path, footer_only);
    if (!reader.ok()) return std::nullopt;
    CheckpointFileLayout layout;
    for (const auto& group : (*reader)->metadata().row_groups) {
      layout.part_rows.push_back(group.num_rows);
    }
    return layout;
  }

 private:
  static Status Read(fs::FileSystem& fs, const std::string& path,
                     std::optional<std::vector<int>> row_groups, int threads,
                     const std::function<Status(const columnar::RecordBatch&)>& on_batch) {
    // First the footer alone, to learn which action columns this writer produced.
    parquet::ReadOptions footer_only;
    footer_only.columns = std::vector<parquet::ColumnSelection>{};
    SILT_ASSIGN_OR_RETURN(auto probe, parquet::FileReader::Open(fs, path, footer_only));
    std::vector<parquet::ColumnSelection> columns;
    columnar::SchemaPtr wanted = CheckpointReadSchema();
    for (const columnar::Field& field : wanted->fields()) {
      const int index = probe->schema()->GetFieldIndex(field.name());
      if (index >= 0) columns.push_back(SelectAction(field, probe->schema()->field(index)));
    }
    if (columns.empty()) {
      return Status::Corruption("checkpoint file '{}' has none of the action columns", path);
    }
    parquet::ReadOptions options;
    options.columns = std::move(columns);
    options.batch_size = kCheckpointBatchRows;
    options.row_groups = std::move(row_groups);
    options.threads = threads;
    SILT_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(fs, path, options));
    while (true) {
      SILT_ASSIGN_OR_RETURN(std::optional<columnar::RecordBatchPtr> batch, reader->Next());
      if (!batch.has_value()) return Status::OK();
      SILT_RETURN_NOT_OK(on_batch(**batch));
    }
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
