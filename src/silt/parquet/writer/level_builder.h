// Shredding of columnar arrays into the repetition and definition levels of one Parquet leaf
// column (Dremel; parquet-format README "Nested Encoding", the writer algorithm of the digest
// §6.9), column at a time: the slots of a top-level array are pushed through the leaf's
// ShredStep list (optional: null stops; repeated: one slot per element, empty stops; struct
// field: descend).
#pragma once

#include <cstdint>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/array.h"
#include "silt/parquet/writer/writer_schema.h"

namespace silt::parquet::writer {

// The levels and values of one leaf for a range of rows. Reused between calls (Clear keeps the
// capacity).
struct LeafLevels {
  std::vector<int16_t> def;  // one per slot; empty when max_def == 0
  std::vector<int16_t> rep;  // one per slot; empty when max_rep == 0
  int64_t num_levels = 0;    // slots (= level entries)
  // The leaf array; value k (k-th slot with def == max_def) is leaf[dense_begin + k] when
  // `dense`, else leaf[value_indices[k]].
  columnar::ArrayPtr leaf;
  bool dense = false;
  int64_t dense_begin = 0;
  int64_t num_values = 0;
  std::vector<int64_t> value_indices;
};

// Scratch space of the generic (nested) path, reused between calls.
struct ShredScratch {
  struct Slot {
    int64_t index;  // index in the current array; -1 once the slot stopped (null/empty)
    int16_t rep;
    int16_t def;
  };
  std::vector<Slot> a, b;
};

// Shreds rows [0, column.length()) of the top-level `column` for `leaf` into `out`.
// kInvalidArgument when the array does not have the shape the steps expect.
Status ShredLeaf(const LeafDescriptor& leaf, const columnar::ArrayPtr& column,
                 ShredScratch* scratch, LeafLevels* out);

}  // namespace silt::parquet::writer
