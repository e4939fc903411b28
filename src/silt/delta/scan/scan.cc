#include "silt/delta/scan/scan.h"
#include "silt/delta/scan/table_changes.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <utility>

#include <fmt/ranges.h>

#include "silt/base/strings.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/take.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/scan/deletion_vector_reader.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/column_mapping_keys.h"
#include "silt/delta/table/field_lookup.h"
#include "silt/delta/table/schema.h"
#include "silt/expr/skipping.h"
#include "silt/parquet/reader/file_reader.h"
#include "silt/parquet/reader/schema_mapping.h"

namespace silt::delta {

namespace col = ::silt::columnar;

namespace {

std::optional<int64_t> IntMetadata(const col::Field& field, std::string_view key) {
  std::optional<std::string_view> text = field.metadata().Get(key);
  if (!text.has_value()) return std::nullopt;
  Result<std::optional<int64_t>> v = FieldMetadataInt(field, key);
  if (v.ok() && v->has_value()) return **v;
  // parquet.field.id is plain decimal text too; FieldMetadataInt reads JSON, which covers it.
  return std::nullopt;
}

// The field of the file that holds table field `logical`, or -1: by field id in id mode (then
// by physical name for files written without ids), by physical name in name mode, by name
// (case-insensitively, as Spark) otherwise.
int MatchFileField(const std::vector<col::Field>& file_fields, const col::Field& logical,
                   ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kId) {
    std::optional<int64_t> id = IntMetadata(logical, column_mapping_key::kId);
    if (id.has_value()) {
      for (size_t i = 0; i < file_fields.size(); ++i) {
        if (IntMetadata(file_fields[i], parquet::reader::kFieldIdKey) == id) {
          return static_cast<int>(i);
        }
      }
    }
  }
  std::string name = PhysicalName(logical, mode);
  if (mode == ColumnMappingMode::kNone) return ResolveFieldIndex(file_fields, name);
  for (size_t i = 0; i < file_fields.size(); ++i) {
    if (file_fields[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

// `array` (as read from a file) in the shape of the table's `type`: struct members matched as
// MatchFileField does (missing ones null), lists and maps entered, primitives widened when the
// file's type is narrower.
Result<col::ArrayPtr> Reconcile(const col::ArrayPtr& array, const col::TypePtr& type,
                                ColumnMappingMode mode, std::string_view column) {
  const col::DataType& from = *array->type();
  if (type->id() == col::TypeId::kStruct && from.id() == col::TypeId::kStruct) {
    const auto& target = col::AsStruct(*type);
    const auto& source = col::AsStruct(from);
    const auto& s = static_cast<const col::StructArray&>(*array);
    int64_t raw_length = array->offset() + array->length();
    auto data = std::make_shared<col::ArrayData>(*array->data());
    data->type = type;
    data->children.clear();
    for (const col::Field& field : target.fields()) {
      int i = MatchFileField(source.fields(), field, mode);
      col::ArrayPtr child;
      if (i < 0) {
        SILT_ASSIGN_OR_RETURN(child, col::MakeArrayOfNulls(field.type(), raw_length));
      } else {
        SILT_ASSIGN_OR_RETURN(child, Reconcile(s.raw_field(i), field.type(), mode, column));
      }
      data->children.push_back(child->data());
    }
    return col::MakeArray(std::move(data));
  }
  if ((type->id() == col::TypeId::kList && from.id() == col::TypeId::kList) ||
      (type->id() == col::TypeId::kMap && from.id() == col::TypeId::kMap)) {
    const auto& list = static_cast<const col::ListArray&>(*array);
    col::TypePtr child_type = type->id() == col::TypeId::kList ? col::AsList(*type).element_type()
                                                               : col::AsMap(*type).entries_type();
    col::ArrayPtr values = list.values();
    if (type->id() == col::TypeId::kMap) {
      // Entries are matched by position (key, value), whatever the writer named them.
      const auto& entries = static_cast<const col::StructArray&>(*values);
      const auto& target = col::AsStruct(*child_type);
      if (entries.num_fields() != 2) {
        return Status::Corruption("column '{}': map entries with {} fields", column,
                                  entries.num_fields());
      }
      auto data = std::make_shared<col::ArrayData>(*values->data());
      data->type = child_type;
      data->children.clear();
      for (int i = 0; i < 2; ++i) {
        SILT_ASSIGN_OR_RETURN(col::ArrayPtr child, Reconcile(entries.raw_field(i),
                                                             target.field(i).type(), mode,
                                                             column));
        data->children.push_back(child->data());
      }
      SILT_ASSIGN_OR_RETURN(values, col::MakeArray(std::move(data)));
    } else {
      SILT_ASSIGN_OR_RETURN(values, Reconcile(values, child_type, mode, column));
    }
    auto data = std::make_shared<col::ArrayData>(*array->data());
    data->type = type;
    data->children = {values->data()};
    return col::MakeArray(std::move(data));
  }
  if (from.Equals(*type, /*check_metadata=*/false)) return array;
  if (from.id() == type->id() && from.id() != col::TypeId::kDecimal && !type->is_nested()) {
    return col::ArrayWithType(array, type);
  }
  Result<col::ArrayPtr> cast = CastArray(*array, type);
  if (!cast.ok()) {
    return Status::Unsupported("column '{}' has type {} in the file, {} in the table", column,
                               from.ToString(), type->ToString());
  }
  return cast;
}

void FlattenAnd(const expr::ExprPtr& e, std::vector<expr::ExprPtr>& out) {
  if (e->kind() == expr::ExprKind::kAnd) {
    for (const expr::ExprPtr& c : e->children()) FlattenAnd(c, out);
  } else {
    out.push_back(e);
  }
}

// A resolved column reference: the read-field index and the struct members below it.
struct ColumnRef {
  std::vector<std::string> path;
  int read_index = -1;
  std::vector<std::string> members;
};

// Per batch: the arrays along each referenced path, to evaluate a predicate row by row.
class BatchResolver {
 public:
  BatchResolver(const std::vector<ColumnRef>& refs, const std::vector<col::ArrayPtr>& columns) {
    for (const ColumnRef& ref : refs) {
      std::vector<col::ArrayPtr> chain{columns[ref.read_index]};
      for (const std::string& m : ref.members) {
        const col::ArrayPtr& parent = chain.back();
        if (parent->type_id() != col::TypeId::kStruct) {
          chain.clear();
          break;
        }
        const auto& s = static_cast<const col::StructArray&>(*parent);
        int i = ResolveFieldIndex(col::AsStruct(*parent->type()).fields(), m);
        if (i < 0) {
          chain.clear();
          break;
        }
        chain.push_back(s.field(i));
      }
      chains_.emplace_back(ref.path, std::move(chain));
    }
  }

  expr::RowResolver ForRow(int64_t row) const {
    return [this, row](const std::vector<std::string>& path) -> Result<expr::Value> {
      for (const auto& [p, chain] : chains_) {
        if (p != path) continue;
        if (chain.empty()) return Status::NotFound("column {} not found", fmt::join(path, "."));
        for (const col::ArrayPtr& a : chain) {
          if (a->IsNull(row)) return expr::Value::Null();
        }
        return ValueFromArray(*chain.back(), row);
      }
      return Status::NotFound("column {} not found", fmt::join(path, "."));
    };
  }

 private:
  std::vector<std::pair<std::vector<std::string>, std::vector<col::ArrayPtr>>> chains_;
};

using ColumnRewrite = std::function<expr::ExprPtr(const std::vector<std::string>& path)>;

// `e` with every column replaced by what `rewrite` returns for it.
expr::ExprPtr RewriteColumns(const expr::ExprPtr& e, const ColumnRewrite& rewrite) {
  using expr::Expr;
  using expr::ExprKind;
  const auto& c = e->children();
  switch (e->kind()) {
    case ExprKind::kLiteral:
      return e;
    case ExprKind::kColumn:
      return rewrite(e->column_path());
    case ExprKind::kCompare:
      return Expr::Compare(e->op(), RewriteColumns(c[0], rewrite), RewriteColumns(c[1], rewrite));
    case ExprKind::kAnd:
      return Expr::And(RewriteColumns(c[0], rewrite), RewriteColumns(c[1], rewrite));
    case ExprKind::kOr:
      return Expr::Or(RewriteColumns(c[0], rewrite), RewriteColumns(c[1], rewrite));
    case ExprKind::kNot:
      return Expr::Not(RewriteColumns(c[0], rewrite));
    case ExprKind::kIsNull:
      return Expr::IsNull(RewriteColumns(c[0], rewrite));
    case ExprKind::kIsNotNull:
      return Expr::IsNotNull(RewriteColumns(c[0], rewrite));
    case ExprKind::kIn: {
      std::vector<expr::ExprPtr> list;
      for (size_t i = 1; i < c.size(); ++i) list.push_back(RewriteColumns(c[i], rewrite));
      return Expr::In(RewriteColumns(c[0], rewrite), std::move(list));
    }
  }
  return e;
}

struct ScanContext {
  std::shared_ptr<const Snapshot> snapshot;
  col::SchemaPtr read_schema;  // logical, the read fields (nullable)
  std::vector<int> read_fields;
  std::vector<int> output_positions;  // indexes into read_fields
  col::SchemaPtr output_schema;
  expr::ExprPtr predicate;
  std::vector<ColumnRef> refs;
  int64_t batch_size = 0;
  // Change data files: also return the file's _change_type column (last in output_schema).
  bool read_change_type = false;
};

constexpr std::string_view kChangeTypeColumn = "_change_type";

class FileIterator final : public ScanIterator {
 public:
  // With `only_rows` (ascending positions), exactly those rows are returned instead of those
  // the file's deletion vector leaves.
  FileIterator(fs::FileSystem& fs, std::shared_ptr<const ScanContext> ctx, ScanFile file,
               std::optional<std::vector<uint64_t>> only_rows = std::nullopt)
      : fs_(fs), ctx_(std::move(ctx)), file_(std::move(file)), only_rows_(std::move(only_rows)) {}

  Result<std::optional<col::RecordBatchPtr>> Next() override {
    Result<std::optional<col::RecordBatchPtr>> r = NextImpl();
    if (!r.ok()) return r.error().WithContext(file_.path);
    return r;
  }

 private:
  Status Open() {
    opened_ = true;
    const Snapshot& snap = *ctx_->snapshot;
    ColumnMappingMode mode = snap.column_mapping_mode();
    parquet::ReadOptions footer_only;
    footer_only.columns = std::vector<parquet::ColumnSelection>{};
    SILT_ASSIGN_OR_RETURN(auto probe, parquet::FileReader::Open(fs_, file_.path, footer_only));
    total_rows_ = probe->num_rows();
    const std::vector<col::Field>& file_fields = probe->schema()->fields();
    std::vector<parquet::ColumnSelection> selections;
    sources_.assign(ctx_->read_fields.size(), Source{});
    for (size_t i = 0; i < ctx_->read_fields.size(); ++i) {
      const col::Field& field = snap.schema()->field(ctx_->read_fields[i]);
      const auto& parts = snap.partition_columns();
      auto part = std::find(parts.begin(), parts.end(), field.name());
      if (part != parts.end()) {
        sources_[i].partition = static_cast<int>(part - parts.begin());
        continue;
      }
      int f = MatchFileField(file_fields, field, mode);
      if (f < 0) continue;  // absent from this file: nulls
      sources_[i].file_column = static_cast<int>(selections.size());
      parquet::ColumnSelection sel;
      sel.name = file_fields[f].name();
      selections.push_back(std::move(sel));
    }
    if (ctx_->read_change_type) {
      int f = ResolveFieldIndex(file_fields, kChangeTypeColumn);
      if (f >= 0) {
        change_type_column_ = static_cast<int>(selections.size());
        parquet::ColumnSelection sel;
        sel.name = file_fields[f].name();
        selections.push_back(std::move(sel));
      }
    }
    if (!selections.empty()) {
      parquet::ReadOptions options;
      options.columns = std::move(selections);
      options.batch_size = ctx_->batch_size;
      if (ctx_->predicate != nullptr) {
        // Row-group skipping: the predicate in the file's column names, partition columns
        // replaced by this file's values; columns the file lacks resolve to nothing (no skip).
        const col::Schema& schema = *snap.schema();
        ColumnRewrite rewrite = [&](const std::vector<std::string>& path) -> expr::ExprPtr {
          const auto& parts = snap.partition_columns();
          int top = ResolveFieldIndex(schema.fields(), path[0]);
          std::vector<std::string> unknown{"\x01" "absent"};
          if (top < 0) return expr::Expr::Column(unknown);
          const col::Field& field = schema.field(top);
          auto part = std::find(parts.begin(), parts.end(), field.name());
          if (part != parts.end()) {
            if (path.size() != 1) return expr::Expr::Column(unknown);
            return expr::Expr::Literal(file_.partition_values[part - parts.begin()]);
          }
          int f = MatchFileField(file_fields, field, mode);
          if (f < 0) return expr::Expr::Column(unknown);
          std::vector<std::string> physical{file_fields[f].name()};
          const col::Field* current = &field;
          for (size_t i = 1; i < path.size(); ++i) {
            if (current->type()->id() != col::TypeId::kStruct) return expr::Expr::Column(unknown);
            const auto& members = col::AsStruct(*current->type()).fields();
            int m = ResolveFieldIndex(members, path[i]);
            if (m < 0) return expr::Expr::Column(unknown);
            current = &members[m];
            physical.push_back(PhysicalName(*current, mode));
          }
          return expr::Expr::Column(std::move(physical));
        };
        options.predicate = RewriteColumns(ctx_->predicate, rewrite);
      }
      SILT_ASSIGN_OR_RETURN(reader_, parquet::FileReader::Open(fs_, file_.path, options));
      int64_t start = 0;
      for (const auto& rg : reader_->metadata().row_groups) {
        row_group_starts_.push_back(start);
        start += rg.num_rows;
      }
    }
    if (only_rows_.has_value()) {
      keep_listed_ = true;
      deleted_ = std::move(*only_rows_);  // here: the rows to keep
    } else if (file_.add.deletion_vector.has_value()) {
      SILT_ASSIGN_OR_RETURN(deleted_, ReadDeletedRows(fs_, snap.table_root(),
                                                      *file_.add.deletion_vector));
      if (!deleted_.empty() && deleted_.back() >= static_cast<uint64_t>(total_rows_)) {
        return Status::Corruption("deletion vector deletes row {} of a file with {} rows",
                                  deleted_.back(), total_rows_);
      }
    }
    return Status::OK();
  }

  Result<std::optional<col::RecordBatchPtr>> NextImpl() {
    if (!opened_) SILT_RETURN_NOT_OK(Open());
    const Snapshot& snap = *ctx_->snapshot;
    while (true) {
      int64_t rows = 0;
      int64_t start = 0;  // position of the batch's first row in the file
      col::RecordBatchPtr file_batch;
      if (reader_ != nullptr) {
        SILT_ASSIGN_OR_RETURN(std::optional<col::RecordBatchPtr> next, reader_->Next());
        if (!next.has_value()) break;
        file_batch = *next;
        rows = file_batch->num_rows();
        // Batches never span row groups; skipped row groups leave gaps in the positions.
        const std::vector<int>& selected = reader_->selected_row_groups();
        if (group_ >= selected.size()) {
          return Status::Corruption("more rows than the row groups of the footer hold");
        }
        int rg = selected[group_];
        start = row_group_starts_[rg] + in_group_;
        in_group_ += rows;
        if (in_group_ >= reader_->metadata().row_groups[rg].num_rows) {
          ++group_;
          in_group_ = 0;
        }
      } else {
        if (position_ >= total_rows_) break;
        rows = std::min(ctx_->batch_size, total_rows_ - position_);
        start = position_;
        position_ += rows;
      }
      std::vector<col::ArrayPtr> columns;
      columns.reserve(sources_.size());
      for (size_t i = 0; i < sources_.size(); ++i) {
        const col::Field& field = ctx_->read_schema->field(static_cast<int>(i));
        const Source& src = sources_[i];
        col::ArrayPtr column;
        if (src.partition >= 0) {
          SILT_ASSIGN_OR_RETURN(column, ConstantArray(field.type(),
                                                      file_.partition_values[src.partition], rows));
        } else if (src.file_column < 0) {
          SILT_ASSIGN_OR_RETURN(column, col::MakeArrayOfNulls(field.type(), rows));
        } else {
          SILT_ASSIGN_OR_RETURN(column, Reconcile(file_batch->column(src.file_column),
                                                  field.type(), snap.column_mapping_mode(),
                                                  field.name()));
        }
        columns.push_back(std::move(column));
      }
      // Rows kept: not deleted, predicate true.
      std::vector<std::pair<int64_t, int64_t>> runs;
      int64_t kept = 0;
      std::optional<BatchResolver> resolver;
      if (ctx_->predicate != nullptr) resolver.emplace(ctx_->refs, columns);
      for (int64_t r = 0; r < rows; ++r) {
        uint64_t row_index = static_cast<uint64_t>(start + r);
        while (next_deleted_ < deleted_.size() && deleted_[next_deleted_] < row_index) {
          ++next_deleted_;
        }
        bool listed = next_deleted_ < deleted_.size() && deleted_[next_deleted_] == row_index;
        if (listed != keep_listed_) continue;
        if (resolver.has_value()) {
          SILT_ASSIGN_OR_RETURN(bool match,
                                expr::EvaluatePredicate(*ctx_->predicate, resolver->ForRow(r)));
          if (!match) continue;
        }
        if (!runs.empty() && runs.back().first + runs.back().second == r) {
          ++runs.back().second;
        } else {
          runs.emplace_back(r, 1);
        }
        ++kept;
      }
      if (kept == 0) continue;
      std::vector<col::ArrayPtr> out;
      out.reserve(ctx_->output_positions.size());
      for (int p : ctx_->output_positions) {
        if (kept == rows) {
          out.push_back(columns[p]);
        } else {
          SILT_ASSIGN_OR_RETURN(col::ArrayPtr taken, col::TakeRanges(*columns[p], runs));
          out.push_back(std::move(taken));
        }
      }
      if (ctx_->read_change_type) {
        col::ArrayPtr change;
        if (change_type_column_ >= 0) {
          change = file_batch->column(change_type_column_);
          if (change->type_id() != col::TypeId::kString) {
            return Status::Corruption("column _change_type has type {}, expected string",
                                      change->type()->ToString());
          }
          if (kept != rows) {
            SILT_ASSIGN_OR_RETURN(change, col::TakeRanges(*change, runs));
          }
        } else {
          SILT_ASSIGN_OR_RETURN(change, col::MakeArrayOfNulls(col::String(), kept));
        }
        out.push_back(std::move(change));
      }
      SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr batch,
                            col::RecordBatch::Make(ctx_->output_schema, kept, std::move(out)));
      return std::optional<col::RecordBatchPtr>(std::move(batch));
    }
    return std::optional<col::RecordBatchPtr>();
  }

  struct Source {
    int partition = -1;
    int file_column = -1;
  };

  fs::FileSystem& fs_;
  std::shared_ptr<const ScanContext> ctx_;
  ScanFile file_;
  bool opened_ = false;
  int64_t total_rows_ = 0;
  int64_t position_ = 0;  // without a reader (partition columns only)
  std::vector<int64_t> row_group_starts_;
  size_t group_ = 0;      // index into the reader's selected row groups
  int64_t in_group_ = 0;  // rows of that row group returned so far
  std::vector<Source> sources_;
  std::unique_ptr<parquet::FileReader> reader_;
  std::optional<std::vector<uint64_t>> only_rows_;
  int change_type_column_ = -1;
  // deleted_ lists rows to drop (a DV), or, when keep_listed_, the only rows to keep.
  bool keep_listed_ = false;
  std::vector<uint64_t> deleted_;
  size_t next_deleted_ = 0;
};

class FilesIterator final : public ScanIterator {
 public:
  FilesIterator(fs::FileSystem& fs, std::shared_ptr<const ScanContext> ctx,
                std::vector<ScanFile> files)
      : fs_(fs), ctx_(std::move(ctx)), files_(std::move(files)) {}

  Result<std::optional<col::RecordBatchPtr>> Next() override {
    while (true) {
      if (current_ == nullptr) {
        if (next_file_ >= files_.size()) return std::optional<col::RecordBatchPtr>();
        current_ = std::make_unique<FileIterator>(fs_, ctx_, files_[next_file_++]);
      }
      SILT_ASSIGN_OR_RETURN(std::optional<col::RecordBatchPtr> batch, current_->Next());
      if (batch.has_value()) return batch;
      current_.reset();
    }
  }

 private:
  fs::FileSystem& fs_;
  std::shared_ptr<const ScanContext> ctx_;
  std::vector<ScanFile> files_;
  size_t next_file_ = 0;
  std::unique_ptr<FileIterator> current_;
};

}  // namespace

namespace {

// A file of the snapshot's table, with its path resolved and partition values parsed.
// The value of each partition column of the file at `path`, parsed by its type (snapshot
// order). `find(key)` is the file's raw value for a partition key: std::nullopt when absent,
// else the value (itself std::nullopt for null).
template <typename Find>
Result<std::vector<expr::Value>> ParsePartitionValues(const Snapshot& snapshot,
                                                      std::string_view path, const Find& find) {
  std::vector<expr::Value> out;
  const col::Schema& schema = *snapshot.schema();
  ColumnMappingMode mode = snapshot.column_mapping_mode();
  for (const std::string& name : snapshot.partition_columns()) {
    const col::Field* field = schema.GetFieldByName(name);
    if (field == nullptr) {
      return Status::Corruption("partition column '{}' is not in the schema", name);
    }
    std::optional<std::optional<std::string_view>> raw = find(PhysicalName(*field, mode));
    std::optional<std::string> text;
    if (raw.has_value() && raw->has_value()) text = std::string(**raw);
    Result<expr::Value> v = ParsePartitionValue(text, *field->type(), name);
    if (!v.ok()) return v.error().WithContext(fmt::format("file '{}'", path));
    out.push_back(std::move(*v));
  }
  return out;
}

Result<ScanFile> MakeScanFile(const Snapshot& snapshot, const Add& add) {
  ScanFile file;
  file.add = add;
  SILT_ASSIGN_OR_RETURN(file.path, ResolveDataFilePath(snapshot.table_root(), add.path));
  SILT_ASSIGN_OR_RETURN(
      file.partition_values,
      ParsePartitionValues(snapshot, add.path, [&](const std::string& key) {
        std::optional<std::optional<std::string_view>> raw;
        if (auto it = add.partition_values.find(key); it != add.partition_values.end()) {
          raw.emplace(it->second ? std::optional<std::string_view>(*it->second) : std::nullopt);
        }
        return raw;
      }));
  return file;
}

}  // namespace

Result<std::string> ResolveDataFilePath(std::string_view table_root, std::string_view path) {
  SILT_ASSIGN_OR_RETURN(std::string decoded, DecodePath(path));
  if (!IsAbsolutePath(path)) return fs::JoinPath(table_root, decoded);
  std::string_view d = decoded;
  if (d.starts_with("file:")) {
    d.remove_prefix(5);
    if (d.starts_with("///")) {
      d.remove_prefix(2);
    } else if (d.starts_with("//")) {
      // file://host/path: keep the path part.
      size_t slash = d.find('/', 2);
      d = slash == std::string_view::npos ? std::string_view("/") : d.substr(slash);
    }
    return std::string(d);
  }
  return decoded;
}

ScanBuilder::ScanBuilder(std::shared_ptr<const Snapshot> snapshot)
    : snapshot_(std::move(snapshot)) {}

ScanBuilder& ScanBuilder::WithColumns(std::vector<std::string> columns) {
  columns_ = std::move(columns);
  return *this;
}

ScanBuilder& ScanBuilder::WithPredicate(expr::ExprPtr predicate) {
  predicate_ = std::move(predicate);
  return *this;
}

ScanBuilder& ScanBuilder::WithBatchSize(int64_t rows) {
  batch_size_ = rows;
  return *this;
}

Result<std::unique_ptr<Scan>> ScanBuilder::Build() const {
  if (snapshot_ == nullptr) return Status::InvalidArgument("scan of a null snapshot");
  if (batch_size_ < 1) return Status::InvalidArgument("batch size {} < 1", batch_size_);
  const col::Schema& schema = *snapshot_->schema();
  std::unique_ptr<Scan> scan(new Scan());
  scan->snapshot_ = snapshot_;
  scan->predicate_ = predicate_;
  scan->batch_size_ = batch_size_;
  if (columns_.has_value()) {
    for (const std::string& name : *columns_) {
      int i = ResolveFieldIndex(schema.fields(), name);
      if (i < 0) {
        return Status::InvalidArgument("column '{}' is not in the table schema {}", name,
                                       schema.ToString());
      }
      scan->output_fields_.push_back(i);
    }
  } else {
    for (int i = 0; i < schema.num_fields(); ++i) scan->output_fields_.push_back(i);
  }
  scan->read_fields_ = scan->output_fields_;
  std::vector<std::vector<std::string>> referenced;
  if (predicate_ != nullptr) referenced = predicate_->ReferencedColumns();
  for (const auto& path : referenced) {
    if (path.empty() || schema.FindPath(path, /*case_sensitive=*/false).ok() == false) {
      return Status::InvalidArgument("predicate column '{}' is not in the table schema {}",
                                     fmt::join(path, "."), schema.ToString());
    }
    int i = ResolveFieldIndex(schema.fields(), path[0]);
    if (std::find(scan->read_fields_.begin(), scan->read_fields_.end(), i) ==
        scan->read_fields_.end()) {
      scan->read_fields_.push_back(i);
    }
  }
  std::vector<col::Field> out_fields;
  for (int i : scan->output_fields_) out_fields.push_back(schema.field(i).WithNullable(true));
  scan->output_schema_ = col::Schema::Make(std::move(out_fields));

  // Partition columns: their types and the names their values are keyed by.
  ColumnMappingMode mode = snapshot_->column_mapping_mode();
  struct PartitionColumn {
    std::string name;
    std::string key;
    col::TypePtr type;
  };
  std::vector<PartitionColumn> partitions;
  for (const std::string& name : snapshot_->partition_columns()) {
    const col::Field* field = schema.GetFieldByName(name);
    if (field == nullptr) {
      return Status::Corruption("partition column '{}' is not in the schema", name);
    }
    partitions.push_back({name, PhysicalName(*field, mode), field->type()});
  }
  // Conjuncts over partition columns only are decided exactly from the partition values.
  std::vector<expr::ExprPtr> partition_conjuncts;
  if (predicate_ != nullptr) {
    std::vector<expr::ExprPtr> conjuncts;
    FlattenAnd(predicate_, conjuncts);
    for (const expr::ExprPtr& c : conjuncts) {
      bool only_partitions = true;
      for (const auto& path : c->ReferencedColumns()) {
        bool is_partition =
            path.size() == 1 &&
            std::any_of(partitions.begin(), partitions.end(), [&](const PartitionColumn& p) {
              return EqualsIgnoreAsciiCase(p.name, path[0]);
            });
        only_partitions = only_partitions && is_partition;
      }
      if (only_partitions) partition_conjuncts.push_back(c);
    }
  }

  // Files are looked at as views; only those kept become an Add.
  for (const FileRef ref : snapshot_->files()) {
    ScanFile file;
    SILT_ASSIGN_OR_RETURN(file.partition_values,
                          ParsePartitionValues(*snapshot_, ref.path(), [&](const std::string& key) {
                            return ref.FindPartitionValue(key);
                          }));
    auto partition_value = [&](const std::vector<std::string>& path) -> Result<expr::Value> {
      for (size_t i = 0; i < partitions.size(); ++i) {
        if (path.size() == 1 && EqualsIgnoreAsciiCase(partitions[i].name, path[0])) {
          return file.partition_values[i];
        }
      }
      return Status::NotFound("not a partition column: {}", fmt::join(path, "."));
    };
    bool pruned = false;
    for (const expr::ExprPtr& c : partition_conjuncts) {
      Result<bool> match = expr::EvaluatePredicate(*c, partition_value);
      if (match.ok() && !*match) {
        pruned = true;
        break;
      }
    }
    if (pruned) {
      ++scan->files_pruned_;
      continue;
    }
    if (std::optional<std::string_view> text = ref.stats(); text.has_value() && !text->empty()) {
      Result<FileStats> stats = ParseFileStats(*text, schema, mode);
      if (stats.ok()) {
        file.num_records = stats->num_records;
        if (predicate_ != nullptr) {
          for (size_t i = 0; i < partitions.size(); ++i) {
            expr::ColumnStats cs;
            const expr::Value& v = file.partition_values[i];
            if (v.is_null()) {
              if (stats->num_records.has_value()) cs.null_count = stats->num_records;
            } else {
              cs.min = v;
              cs.max = v;
              cs.null_count = 0;
            }
            stats->columns[{partitions[i].name}] = cs;
          }
          if (!expr::MayMatch(*predicate_, ToStatsView(*stats))) {
            ++scan->files_skipped_;
            continue;
          }
        }
      }
    }
    SILT_ASSIGN_OR_RETURN(file.path, ResolveDataFilePath(snapshot_->table_root(), ref.path()));
    file.add = ref.ToAdd();
    scan->files_.push_back(std::move(file));
  }
  return scan;
}

namespace {

Result<std::shared_ptr<const ScanContext>> MakeContext(const Scan& scan,
                                                       const std::vector<int>& read_fields,
                                                       const std::vector<int>& output_fields,
                                                       int64_t batch_size) {
  auto ctx = std::make_shared<ScanContext>();
  ctx->snapshot = scan.snapshot();
  ctx->read_fields = read_fields;
  const col::Schema& schema = *ctx->snapshot->schema();
  std::vector<col::Field> fields;
  for (int i : read_fields) fields.push_back(schema.field(i).WithNullable(true));
  ctx->read_schema = col::Schema::Make(std::move(fields));
  for (int f : output_fields) {
    ctx->output_positions.push_back(static_cast<int>(
        std::find(read_fields.begin(), read_fields.end(), f) - read_fields.begin()));
  }
  ctx->output_schema = scan.output_schema();
  ctx->predicate = scan.predicate();
  ctx->batch_size = batch_size;
  if (ctx->predicate != nullptr) {
    for (const auto& path : ctx->predicate->ReferencedColumns()) {
      ColumnRef ref;
      ref.path = path;
      int top = ResolveFieldIndex(schema.fields(), path[0]);
      ref.read_index = static_cast<int>(std::find(read_fields.begin(), read_fields.end(), top) -
                                        read_fields.begin());
      ref.members.assign(path.begin() + 1, path.end());
      ctx->refs.push_back(std::move(ref));
    }
  }
  return std::shared_ptr<const ScanContext>(std::move(ctx));
}

}  // namespace

Result<std::unique_ptr<ScanIterator>> Scan::Execute(fs::FileSystem& fs) const {
  SILT_ASSIGN_OR_RETURN(auto ctx, MakeContext(*this, read_fields_, output_fields_, batch_size_));
  return std::unique_ptr<ScanIterator>(std::make_unique<FilesIterator>(fs, std::move(ctx), files_));
}

Result<std::unique_ptr<ScanIterator>> Scan::ReadFile(fs::FileSystem& fs,
                                                     const ScanFile& file) const {
  SILT_ASSIGN_OR_RETURN(auto ctx, MakeContext(*this, read_fields_, output_fields_, batch_size_));
  return std::unique_ptr<ScanIterator>(std::make_unique<FileIterator>(fs, std::move(ctx), file));
}

namespace {

// One file's contribution to a table-changes read.
struct ChangeUnit {
  ScanFile file;
  std::optional<std::vector<uint64_t>> only_rows;
  bool from_cdc = false;
  std::string change_type;  // when not from_cdc
  int64_t version = 0;
  int64_t timestamp_us = 0;
};

constexpr std::string_view kInsert = "insert";
constexpr std::string_view kDelete = "delete";

class ChangesIterator final : public ScanIterator {
 public:
  ChangesIterator(fs::FileSystem& fs, std::shared_ptr<const ScanContext> plain,
                  std::shared_ptr<const ScanContext> cdc, col::SchemaPtr schema,
                  std::vector<ChangeUnit> units)
      : fs_(fs), plain_(std::move(plain)), cdc_(std::move(cdc)), schema_(std::move(schema)),
        units_(std::move(units)) {}

  Result<std::optional<col::RecordBatchPtr>> Next() override {
    while (true) {
      if (current_ == nullptr) {
        if (next_ >= units_.size()) return std::optional<col::RecordBatchPtr>();
        const ChangeUnit& unit = units_[next_++];
        current_ = std::make_unique<FileIterator>(fs_, unit.from_cdc ? cdc_ : plain_, unit.file,
                                                  unit.only_rows);
      }
      const ChangeUnit& unit = units_[next_ - 1];
      SILT_ASSIGN_OR_RETURN(std::optional<col::RecordBatchPtr> batch, current_->Next());
      if (!batch.has_value()) {
        current_.reset();
        continue;
      }
      const col::RecordBatch& b = **batch;
      std::vector<col::ArrayPtr> columns = b.columns();
      int64_t n = b.num_rows();
      if (!unit.from_cdc) {
        SILT_ASSIGN_OR_RETURN(col::ArrayPtr change,
                              ConstantArray(col::String(), expr::Value::String(unit.change_type), n));
        columns.push_back(std::move(change));
      }
      SILT_ASSIGN_OR_RETURN(col::ArrayPtr version,
                            ConstantArray(col::Int64(), expr::Value::Int(unit.version), n));
      SILT_ASSIGN_OR_RETURN(col::ArrayPtr ts, ConstantArray(col::Timestamp(),
                                                            expr::Value::Timestamp(unit.timestamp_us), n));
      columns.push_back(std::move(version));
      columns.push_back(std::move(ts));
      SILT_ASSIGN_OR_RETURN(col::RecordBatchPtr out, col::RecordBatch::Make(schema_, n, std::move(columns)));
      return std::optional<col::RecordBatchPtr>(std::move(out));
    }
  }

 private:
  fs::FileSystem& fs_;
  std::shared_ptr<const ScanContext> plain_;
  std::shared_ptr<const ScanContext> cdc_;
  col::SchemaPtr schema_;
  std::vector<ChangeUnit> units_;
  size_t next_ = 0;
  std::unique_ptr<FileIterator> current_;
};

// Positions in `a` that are not in `b` (both ascending).
std::vector<uint64_t> Difference(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Result<std::unique_ptr<ScanIterator>> TableChanges(fs::FileSystem& fs,
                                                   std::string_view table_root,
                                                   int64_t start_version,
                                                   std::optional<int64_t> end_version,
                                                   const TableChangesOptions& options) {
  if (start_version < 0) {
    return Status::InvalidArgument("table changes from version {} < 0", start_version);
  }
  if (end_version.has_value() && *end_version < start_version) {
    return Status::InvalidArgument("table changes from version {} to {}: an empty range",
                                   start_version, *end_version);
  }
  std::shared_ptr<const Snapshot> snapshot = options.snapshot;
  int64_t end = 0;
  if (snapshot != nullptr) {
    if (!end_version.has_value()) {
      return Status::InvalidArgument(
          "table changes from version {} with a given snapshot need an end version",
          start_version);
    }
    end = *end_version;
  } else {
    SnapshotOptions snapshot_options;
    snapshot_options.version = end_version;
    snapshot_options.checkpoint_decoder = options.checkpoint_decoder != nullptr
                                              ? options.checkpoint_decoder
                                              : DefaultParquetCheckpointDecoder();
    SILT_ASSIGN_OR_RETURN(snapshot, Snapshot::Load(fs, table_root, snapshot_options));
    end = snapshot->version();
  }
  if (start_version > end) {
    return Status::InvalidArgument("table changes from version {}: the table's latest version "
                                   "is {}", start_version, end);
  }
  SILT_ASSIGN_OR_RETURN(std::optional<int64_t> ict_start,
                        InCommitTimestampStartVersion(snapshot->metadata()));
  SILT_ASSIGN_OR_RETURN(
      std::vector<CommitTimestamp> timestamps,
      ListCommitTimestamps(fs, snapshot->table_root(), ict_start, start_version, end));
  SILT_ASSIGN_OR_RETURN(auto scan, ScanBuilder(snapshot).WithBatchSize(options.batch_size).Build());
  std::vector<int> all(static_cast<size_t>(snapshot->schema()->num_fields()));
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  SILT_ASSIGN_OR_RETURN(auto plain, MakeContext(*scan, all, all, options.batch_size));
  auto cdc = std::make_shared<ScanContext>(*plain);
  cdc->read_change_type = true;
  std::vector<col::Field> fields = plain->output_schema->fields();
  fields.emplace_back(std::string(kChangeTypeColumnName), col::String());
  cdc->output_schema = col::Schema::Make(fields);
  fields.emplace_back(std::string(kCommitVersionColumnName), col::Int64());
  fields.emplace_back(std::string(kCommitTimestampColumnName), col::Timestamp());
  col::SchemaPtr schema = col::Schema::Make(std::move(fields));

  std::vector<ChangeUnit> units;
  const std::string& root = snapshot->table_root();
  for (int64_t v = start_version; v <= end; ++v) {
    SILT_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommit(fs, root, v));
    // Versions ascend in both; a commit gone from the log failed in ReadCommit above.
    auto ts_it = std::lower_bound(
        timestamps.begin(), timestamps.end(), v,
        [](const CommitTimestamp& c, int64_t version) { return c.version < version; });
    int64_t ts_ms = ts_it != timestamps.end() && ts_it->version == v ? ts_it->timestamp_ms : 0;
    auto unit = [&](ScanFile file, std::string_view type, bool from_cdc,
                    std::optional<std::vector<uint64_t>> only) {
      ChangeUnit u;
      u.file = std::move(file);
      u.only_rows = std::move(only);
      u.from_cdc = from_cdc;
      u.change_type = std::string(type);
      u.version = v;
      u.timestamp_us = ts_ms * 1000;
      units.push_back(std::move(u));
    };
    std::vector<const AddCDCFile*> cdcs;
    std::vector<const Add*> adds;
    std::map<std::string, const Remove*> removes;
    bool has_cdc = false;
    auto excluded = [&](const std::string& path) {
      return options.exclude_path && options.exclude_path(path);
    };
    for (const Action& a : actions) {
      if (const auto* c = std::get_if<AddCDCFile>(&a)) {
        has_cdc = true;
        if (!excluded(c->path)) cdcs.push_back(c);
      }
      if (const auto* add = std::get_if<Add>(&a);
          add != nullptr && add->data_change && !excluded(add->path)) {
        adds.push_back(add);
      }
      if (const auto* r = std::get_if<Remove>(&a);
          r != nullptr && r->data_change && !excluded(r->path)) {
        removes.emplace(r->path, r);
      }
    }
    if (has_cdc) {
      for (const AddCDCFile* c : cdcs) {
        Add as_add;
        as_add.path = c->path;
        as_add.partition_values = c->partition_values;
        SILT_ASSIGN_OR_RETURN(ScanFile file, MakeScanFile(*snapshot, as_add));
        unit(std::move(file), "", true, std::nullopt);
      }
      continue;
    }
    for (const Add* add : adds) {
      auto paired = removes.find(add->path);
      if (paired == removes.end()) {
        SILT_ASSIGN_OR_RETURN(ScanFile file, MakeScanFile(*snapshot, *add));
        unit(std::move(file), kInsert, false, std::nullopt);
        continue;
      }
      // The same file with a new deletion vector: the rows whose deletion changed.
      std::vector<uint64_t> before, after;
      if (paired->second->deletion_vector.has_value()) {
        SILT_ASSIGN_OR_RETURN(before, ReadDeletedRows(fs, root, *paired->second->deletion_vector));
      }
      if (add->deletion_vector.has_value()) {
        SILT_ASSIGN_OR_RETURN(after, ReadDeletedRows(fs, root, *add->deletion_vector));
      }
      Add plain_add = *add;
      plain_add.deletion_vector.reset();
      SILT_ASSIGN_OR_RETURN(ScanFile file, MakeScanFile(*snapshot, plain_add));
      std::vector<uint64_t> deleted = Difference(after, before);
      std::vector<uint64_t> restored = Difference(before, after);
      if (!deleted.empty()) unit(file, kDelete, false, std::move(deleted));
      if (!restored.empty()) unit(file, kInsert, false, std::move(restored));
      removes.erase(paired);
    }
    for (const auto& [path, r] : removes) {
      Add as_add;
      as_add.path = r->path;
      if (r->partition_values.has_value()) as_add.partition_values = *r->partition_values;
      as_add.deletion_vector = r->deletion_vector;
      SILT_ASSIGN_OR_RETURN(ScanFile file, MakeScanFile(*snapshot, as_add));
      unit(std::move(file), kDelete, false, std::nullopt);
    }
  }
  return std::unique_ptr<ScanIterator>(std::make_unique<ChangesIterator>(
      fs, std::move(plain), std::shared_ptr<const ScanContext>(std::move(cdc)), std::move(schema),
      std::move(units)));
}

}  // namespace silt::delta
