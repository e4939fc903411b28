// RecordBatch: a schema plus one array per field, all of num_rows length. Immutable, shared as
// RecordBatchPtr, thread-safe. RecordBatchBuilder fills one builder per field.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/schema.h"

namespace silt::columnar {

class RecordBatch;
using RecordBatchPtr = std::shared_ptr<const RecordBatch>;

class RecordBatch {
 public:
  // kInvalidArgument if the column count, a column's length or type (metadata ignored) does not
  // match the schema, or a non-nullable field has nulls.
  static Result<RecordBatchPtr> Make(SchemaPtr schema, int64_t num_rows,
                                     std::vector<ArrayPtr> columns);
  // The fields of a struct array become the columns; the struct's validity is dropped
  // (kInvalidArgument if it has nulls).
  static Result<RecordBatchPtr> FromStructArray(const ArrayPtr& array,
                                                KeyValueMetadata schema_metadata = {});

  const SchemaPtr& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const ArrayPtr& column(int i) const { return columns_[i]; }
  const std::vector<ArrayPtr>& columns() const { return columns_; }
  // Column with this exact field name, or nullptr.
  ArrayPtr GetColumnByName(std::string_view name) const;

  // Zero-copy rows [offset, offset + length), clamped.
  RecordBatchPtr Slice(int64_t offset, int64_t length) const;
  RecordBatchPtr Slice(int64_t offset) const { return Slice(offset, num_rows_ - offset); }

  // Zero-copy projections. kInvalidArgument for an index out of range (duplicates are allowed).
  Result<RecordBatchPtr> SelectColumns(const std::vector<int>& indices) const;
  Result<RecordBatchPtr> RemoveColumn(int i) const;
  // Inserts a column before position i (i == num_columns() appends); the same checks as Make.
  Result<RecordBatchPtr> AddColumn(int i, Field field, ArrayPtr column) const;

  // The same columns (zero-copy, see ArrayWithType) under a schema with the same layout but
  // possibly other field names, nullability and metadata; the Make checks apply.
  Result<RecordBatchPtr> WithSchema(SchemaPtr schema) const;

  // A struct array with one child per column, no nulls.
  Result<ArrayPtr> ToStructArray() const;

  // Validates every column (Array::Validate) and the batch invariants.
  Status Validate() const;
  // ValidateNullability for every column against its schema field (nested NOT NULL included).
  Status ValidateNullability() const;
  // Same schema (metadata ignored) and equal columns.
  bool Equals(const RecordBatch& other) const;
  // One JSON object per row, newline-separated (see pretty.h).
  std::string ToString() const;

 private:
  RecordBatch(SchemaPtr schema, int64_t num_rows, std::vector<ArrayPtr> columns)
      : schema_(std::move(schema)), num_rows_(num_rows), columns_(std::move(columns)) {}
  SchemaPtr schema_;
  int64_t num_rows_;
  std::vector<ArrayPtr> columns_;
};

// Builds a batch row by row or column by column:
//   auto b = RecordBatchBuilder::Make(schema).value();
//   b->GetFieldAs<Int64Builder>(0)->Append(1); ...; auto batch = b->Flush();
class RecordBatchBuilder {
 public:
  static Result<std::unique_ptr<RecordBatchBuilder>> Make(SchemaPtr schema);
  const SchemaPtr& schema() const { return schema_; }
  int num_fields() const { return static_cast<int>(builders_.size()); }
  ArrayBuilder* GetField(int i) { return builders_[i].get(); }
  template <typename B>
  B* GetFieldAs(int i) { return static_cast<B*>(builders_[i].get()); }

  // Finishes every builder into a batch (kInvalidArgument if their lengths differ) and resets.
  Result<RecordBatchPtr> Flush();

 private:
  RecordBatchBuilder(SchemaPtr schema, std::vector<std::unique_ptr<ArrayBuilder>> builders)
      : schema_(std::move(schema)), builders_(std::move(builders)) {}
  SchemaPtr schema_;
  std::vector<std::unique_ptr<ArrayBuilder>> builders_;
};

}  // namespace silt::columnar
