#include "silt/columnar/record_batch.h"

#include <algorithm>

#include "silt/columnar/pretty.h"

namespace silt::columnar {

Result<RecordBatchPtr> RecordBatch::Make(SchemaPtr schema, int64_t num_rows,
                                         std::vector<ArrayPtr> columns) {
  if (schema == nullptr) return Status::InvalidArgument("record batch without a schema");
  if (num_rows < 0) return Status::InvalidArgument("negative record batch row count {}", num_rows);
  if (static_cast<int>(columns.size()) != schema->num_fields()) {
    return Status::InvalidArgument("record batch has {} columns but the schema has {} fields",
                                   columns.size(), schema->num_fields());
  }
  for (int i = 0; i < schema->num_fields(); ++i) {
    const Field& field = schema->field(i);
    const ArrayPtr& column = columns[i];
    if (column == nullptr) {
      return Status::InvalidArgument("record batch column '{}' is null", field.name());
    }
    if (column->length() != num_rows) {
      return Status::InvalidArgument("record batch column '{}' has {} rows, expected {}",
                                     field.name(), column->length(), num_rows);
    }
    if (!column->type()->Equals(*field.type(), /*check_metadata=*/false)) {
      return Status::InvalidArgument("record batch column '{}' has type {}, the schema says {}",
                                     field.name(), column->type()->ToString(),
                                     field.type()->ToString());
    }
    if (!field.nullable() && column->null_count() > 0) {
      return Status::InvalidArgument("record batch column '{}' is not nullable but has {} nulls",
                                     field.name(), column->null_count());
    }
  }
  return RecordBatchPtr(new RecordBatch(std::move(schema), num_rows, std::move(columns)));
}

Result<RecordBatchPtr> RecordBatch::FromStructArray(const ArrayPtr& array,
                                                    KeyValueMetadata schema_metadata) {
  if (array == nullptr || array->type_id() != TypeId::kStruct) {
    return Status::InvalidArgument("a record batch needs a struct array, got {}",
                                   array ? array->type()->ToString() : "null");
  }
  if (array->null_count() > 0) {
    return Status::InvalidArgument("a struct array with {} top-level nulls is not a record batch",
                                   array->null_count());
  }
  const auto& st = static_cast<const StructArray&>(*array);
  std::vector<ArrayPtr> columns;
  for (int i = 0; i < st.num_fields(); ++i) columns.push_back(st.field(i));
  return Make(Schema::FromStruct(*array->type(), std::move(schema_metadata)), array->length(),
              std::move(columns));
}

ArrayPtr RecordBatch::GetColumnByName(std::string_view name) const {
  int i = schema_->GetFieldIndex(name);
  return i < 0 ? nullptr : columns_[i];
}

RecordBatchPtr RecordBatch::Slice(int64_t offset, int64_t length) const {
  offset = std::clamp<int64_t>(offset, 0, num_rows_);
  length = std::clamp<int64_t>(length, 0, num_rows_ - offset);
  std::vector<ArrayPtr> columns;
  columns.reserve(columns_.size());
  for (const auto& column : columns_) columns.push_back(column->Slice(offset, length));
  return RecordBatchPtr(new RecordBatch(schema_, length, std::move(columns)));
}

Result<RecordBatchPtr> RecordBatch::SelectColumns(const std::vector<int>& indices) const {
  std::vector<Field> fields;
  std::vector<ArrayPtr> columns;
  for (int i : indices) {
    if (i < 0 || i >= num_columns()) {
      return Status::InvalidArgument("column index {} out of range [0, {})", i, num_columns());
    }
    fields.push_back(schema_->field(i));
    columns.push_back(columns_[i]);
  }
  return RecordBatchPtr(new RecordBatch(Schema::Make(std::move(fields), schema_->metadata()),
                                        num_rows_, std::move(columns)));
}

Result<RecordBatchPtr> RecordBatch::RemoveColumn(int i) const {
  if (i < 0 || i >= num_columns()) {
    return Status::InvalidArgument("column index {} out of range [0, {})", i, num_columns());
  }
  std::vector<int> keep;
  for (int k = 0; k < num_columns(); ++k) {
    if (k != i) keep.push_back(k);
  }
  return SelectColumns(keep);
}

Result<RecordBatchPtr> RecordBatch::AddColumn(int i, Field field, ArrayPtr column) const {
  if (i < 0 || i > num_columns()) {
    return Status::InvalidArgument("column position {} out of range [0, {}]", i, num_columns());
  }
  std::vector<Field> fields = schema_->fields();
  std::vector<ArrayPtr> columns = columns_;
  fields.insert(fields.begin() + i, std::move(field));
  columns.insert(columns.begin() + i, std::move(column));
  return Make(Schema::Make(std::move(fields), schema_->metadata()), num_rows_,
              std::move(columns));
}

Result<RecordBatchPtr> RecordBatch::WithSchema(SchemaPtr schema) const {
  if (schema == nullptr) return Status::InvalidArgument("WithSchema: null schema");
  if (schema->num_fields() != num_columns()) {
    return Status::InvalidArgument("WithSchema: {} fields for {} columns", schema->num_fields(),
                                   num_columns());
  }
  std::vector<ArrayPtr> columns;
  for (int i = 0; i < num_columns(); ++i) {
    auto column = ArrayWithType(columns_[i], schema->field(i).type());
    if (!column.ok()) {
      return column.status().WithContext(fmt::format("column '{}'", schema_->field(i).name()));
    }
    columns.push_back(*std::move(column));
  }
  return Make(std::move(schema), num_rows_, std::move(columns));
}

Result<ArrayPtr> RecordBatch::ToStructArray() const {
  return MakeStructArray(schema_->ToStruct(), num_rows_, columns_);
}

Status RecordBatch::Validate() const {
  for (int i = 0; i < num_columns(); ++i) {
    Status st = columns_[i]->Validate();
    if (!st.ok()) return st.WithContext(fmt::format("column '{}'", schema_->field(i).name()));
  }
  return Status::OK();
}

Status RecordBatch::ValidateNullability() const {
  for (int i = 0; i < num_columns(); ++i) {
    SILT_RETURN_NOT_OK(columnar::ValidateNullability(*columns_[i], schema_->field(i)));
  }
  return Status::OK();
}

bool RecordBatch::Equals(const RecordBatch& other) const {
  if (num_rows_ != other.num_rows_ || !schema_->Equals(*other.schema_, false)) return false;
  for (int i = 0; i < num_columns(); ++i) {
    if (!columns_[i]->Equals(*other.columns_[i])) return false;
  }
  return true;
}

std::string RecordBatch::ToString() const { return RecordBatchToJsonLines(*this); }

Result<std::unique_ptr<RecordBatchBuilder>> RecordBatchBuilder::Make(SchemaPtr schema) {
  if (schema == nullptr) return Status::InvalidArgument("RecordBatchBuilder without a schema");
  std::vector<std::unique_ptr<ArrayBuilder>> builders;
  for (const Field& field : schema->fields()) {
    SILT_ASSIGN_OR_RETURN(auto builder, MakeBuilder(field.type()));
    builders.push_back(std::move(builder));
  }
  return std::unique_ptr<RecordBatchBuilder>(
      new RecordBatchBuilder(std::move(schema), std::move(builders)));
}

Result<RecordBatchPtr> RecordBatchBuilder::Flush() {
  int64_t rows = builders_.empty() ? 0 : builders_[0]->length();
  std::vector<ArrayPtr> columns;
  Status status;
  for (size_t i = 0; i < builders_.size(); ++i) {
    if (status.ok() && builders_[i]->length() != rows) {
      status = Status::InvalidArgument("RecordBatchBuilder: column '{}' has {} rows, column '{}' "
                                       "has {}",
                                       schema_->field(static_cast<int>(i)).name(),
                                       builders_[i]->length(), schema_->field(0).name(), rows);
    }
    auto column = builders_[i]->Finish();  // always finish, so every builder is reset
    if (status.ok() && !column.ok()) status = column.status();
    if (column.ok()) columns.push_back(*column);
  }
  SILT_RETURN_NOT_OK(status);
  return RecordBatch::Make(schema_, rows, std::move(columns));
}

}  // namespace silt::columnar
