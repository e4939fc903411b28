// Parquet footer schema elements for tests that build or expect a flattened schema.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "silt/parquet/thrift/parquet_types.h"

namespace silt::testing {

// A group with `children` fields (`rep` is unset on the root).
inline parquet::SchemaElement ParquetGroup(std::string name, int children,
                                           std::optional<parquet::FieldRepetitionType> rep) {
  parquet::SchemaElement e;
  e.name = std::move(name);
  e.num_children = children;
  e.repetition_type = rep;
  return e;
}

inline parquet::SchemaElement ParquetLeaf(std::string name, parquet::PhysicalType type,
                                          parquet::FieldRepetitionType rep) {
  parquet::SchemaElement e;
  e.name = std::move(name);
  e.type = type;
  e.repetition_type = rep;
  return e;
}

}  // namespace silt::testing
