#include "silt/parquet/writer/level_builder.h"

#include <utility>

namespace silt::parquet::writer {
namespace {

using columnar::Array;
using columnar::ArrayPtr;
using columnar::TypeId;

void ClearOutput(LeafLevels* out) {
  out->def.clear();
  out->rep.clear();
  out->value_indices.clear();
  out->num_levels = 0;
  out->num_values = 0;
  out->dense = false;
  out->dense_begin = 0;
  out->leaf = nullptr;
}

// A top-level optional primitive: definition levels straight from the validity bitmap.
void ShredFlatOptional(const ArrayPtr& column, LeafLevels* out) {
  const int64_t n = column->length();
  out->leaf = column;
  out->num_levels = n;
  out->def.resize(static_cast<size_t>(n));
  int16_t* def = out->def.data();
  if (column->null_count() == 0) {
    for (int64_t i = 0; i < n; ++i) def[i] = 1;
    out->dense = true;
    out->num_values = n;
    return;
  }
  const uint8_t* bitmap = column->null_bitmap_data();
  const int64_t offset = column->offset();
  out->value_indices.reserve(static_cast<size_t>(n - column->null_count()));
  for (int64_t i = 0; i < n; ++i) {
    const bool valid = columnar::bit_util::GetBit(bitmap, offset + i);
    def[i] = valid ? 1 : 0;
    if (valid) out->value_indices.push_back(i);
  }
  out->num_values = static_cast<int64_t>(out->value_indices.size());
}

}  // namespace

Status ShredLeaf(const LeafDescriptor& leaf, const ArrayPtr& column, ShredScratch* scratch,
                 LeafLevels* out) {
  ClearOutput(out);
  const int64_t n = column->length();
  if (leaf.steps.empty()) {
    out->leaf = column;
    out->num_levels = n;
    out->dense = true;
    out->num_values = n;
    return Status::OK();
  }
  if (leaf.steps.size() == 1 && leaf.steps[0].kind == ShredStep::Kind::kOptional) {
    ShredFlatOptional(column, out);
    return Status::OK();
  }

  using Slot = ShredScratch::Slot;
  std::vector<Slot>& slots = scratch->a;
  std::vector<Slot>& next = scratch->b;
  slots.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) slots[static_cast<size_t>(i)] = Slot{i, 0, 0};

  ArrayPtr cur = column;
  for (const ShredStep& step : leaf.steps) {
    switch (step.kind) {
      case ShredStep::Kind::kOptional: {
        if (cur->null_count() == 0) {
          for (Slot& s : slots) {
            if (s.index >= 0) ++s.def;
          }
        } else {
          for (Slot& s : slots) {
            if (s.index < 0) continue;
            if (cur->IsNull(s.index)) {
              s.index = -1;
            } else {
              ++s.def;
            }
          }
        }
        break;
      }
      case ShredStep::Kind::kStructField: {
        if (cur->type_id() != TypeId::kStruct) {
          return Status::InvalidArgument("column '{}': expected a struct array, got {}",
                                         leaf.columnar_path.front(), cur->type()->ToString());
        }
        const auto& st = static_cast<const columnar::StructArray&>(*cur);
        if (step.field_index >= st.num_fields()) {
          return Status::InvalidArgument("column '{}': struct array has {} fields",
                                         leaf.columnar_path.front(), st.num_fields());
        }
        cur = st.field(step.field_index);
        break;
      }
      case ShredStep::Kind::kRepeated: {
        if (cur->type_id() != TypeId::kList && cur->type_id() != TypeId::kMap) {
          return Status::InvalidArgument("column '{}': expected a list or map array, got {}",
                                         leaf.columnar_path.front(), cur->type()->ToString());
        }
        const auto& list = static_cast<const columnar::ListArray&>(*cur);
        const int32_t* offsets = list.raw_offsets();
        next.clear();
        next.reserve(slots.size());
        for (const Slot& s : slots) {
          if (s.index < 0) {
            next.push_back(s);
            continue;
          }
          const int64_t begin = offsets[s.index];
          const int64_t end = offsets[s.index + 1];
          if (begin == end) {
            next.push_back(Slot{-1, s.rep, s.def});
            continue;
          }
          const int16_t def = static_cast<int16_t>(s.def + 1);
          next.push_back(Slot{begin, s.rep, def});
          for (int64_t j = begin + 1; j < end; ++j) next.push_back(Slot{j, step.rep_depth, def});
        }
        std::swap(slots, next);
        cur = list.values();
        break;
      }
    }
  }

  const size_t count = slots.size();
  out->leaf = cur;
  out->num_levels = static_cast<int64_t>(count);
  if (leaf.max_def > 0) out->def.resize(count);
  if (leaf.max_rep > 0) out->rep.resize(count);
  for (size_t k = 0; k < count; ++k) {
    const Slot& s = slots[k];
    if (leaf.max_def > 0) out->def[k] = s.def;
    if (leaf.max_rep > 0) out->rep[k] = s.rep;
    if (s.index >= 0) out->value_indices.push_back(s.index);
  }
  out->num_values = static_cast<int64_t>(out->value_indices.size());
  return Status::OK();
}

}  // namespace silt::parquet::writer
