#include "silt/parquet/schema.h"

namespace silt::parquet {

namespace {

constexpr int kMaxSchemaDepth = 100;

struct Walker {
  const std::vector<SchemaElement>& schema;
  std::vector<LeafColumn>* leaves;
  size_t next = 1;
  std::vector<std::string> path;

  Status Visit(int depth, int16_t def, int16_t rep) {
    if (depth > kMaxSchemaDepth) {
      return Status::Corruption("Parquet schema is nested deeper than {} levels", kMaxSchemaDepth);
    }
    if (next >= schema.size()) {
      return Status::Corruption("Parquet schema ends early: element {} is missing", next);
    }
    size_t index = next++;
    const SchemaElement& e = schema[index];
    FieldRepetitionType rep_type = e.repetition_type.value_or(FieldRepetitionType::kOptional);
    if (!e.repetition_type.has_value()) {
      return Status::Corruption("Parquet schema element {} ('{}') has no repetition type", index,
                                e.name);
    }
    if (rep_type == FieldRepetitionType::kOptional) ++def;
    if (rep_type == FieldRepetitionType::kRepeated) {
      ++def;
      ++rep;
    } else if (rep_type != FieldRepetitionType::kRequired &&
               rep_type != FieldRepetitionType::kOptional) {
      return Status::Corruption("Parquet schema element '{}' has unknown repetition type {}",
                                e.name, static_cast<int32_t>(rep_type));
    }
    path.push_back(e.name);
    // num_children decides between group and leaf (a stray type on a group is ignored).
    if (e.num_children.has_value() && *e.num_children > 0) {
      for (int32_t i = 0; i < *e.num_children; ++i) SILT_RETURN_NOT_OK(Visit(depth + 1, def, rep));
    } else {
      if (!e.type.has_value()) {
        // A group with no children (num_children 0) is legal but holds no column.
        if (e.num_children.has_value()) {
          path.pop_back();
          return Status::OK();
        }
        return Status::Corruption("Parquet schema leaf '{}' has no physical type", e.name);
      }
      LeafColumn leaf;
      leaf.path = path;
      leaf.schema_index = static_cast<int32_t>(index);
      leaf.type = *e.type;
      leaf.type_length = e.type_length.value_or(0);
      leaf.max_definition_level = def;
      leaf.max_repetition_level = rep;
      if (leaf.type == PhysicalType::kFixedLenByteArray && leaf.type_length <= 0) {
        return Status::Corruption("FIXED_LEN_BYTE_ARRAY column '{}' has type_length {}", e.name,
                                  leaf.type_length);
      }
      leaves->push_back(std::move(leaf));
    }
    path.pop_back();
    return Status::OK();
  }
};

}  // namespace

Result<std::vector<LeafColumn>> ComputeLeafColumns(const std::vector<SchemaElement>& schema) {
  if (schema.empty()) return Status::Corruption("Parquet schema has no root element");
  const SchemaElement& root = schema[0];
  int32_t children = root.num_children.value_or(0);
  if (children < 0 || static_cast<size_t>(children) >= schema.size() + 1) {
    return Status::Corruption("Parquet schema root claims {} children but the schema has {} "
                              "elements",
                              children, schema.size());
  }
  std::vector<LeafColumn> leaves;
  Walker walker{schema, &leaves, 1, {}};
  for (int32_t i = 0; i < children; ++i) SILT_RETURN_NOT_OK(walker.Visit(1, 0, 0));
  if (walker.next != schema.size()) {
    return Status::Corruption("Parquet schema has {} elements but the tree uses only {}",
                              schema.size(), walker.next);
  }
  return leaves;
}

}  // namespace silt::parquet
