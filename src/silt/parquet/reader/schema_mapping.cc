#include "silt/parquet/reader/schema_mapping.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <utility>

namespace silt::parquet::reader {
namespace {

using columnar::Field;
using columnar::TypePtr;

// The schema as a tree of element indices (ComputeLeafColumns has validated its shape).
struct PNode {
  int index = 0;
  std::vector<PNode> children;
};

Status BuildTree(const std::vector<SchemaElement>& els, size_t* cursor, int depth, PNode* out) {
  if (*cursor >= els.size() || depth > 200) {
    return Status::Corruption("malformed schema tree");
  }
  out->index = static_cast<int>(*cursor);
  const SchemaElement& el = els[*cursor];
  ++*cursor;
  const int32_t n = el.num_children.value_or(0);
  if (n < 0 || static_cast<size_t>(n) > els.size()) {
    return Status::Corruption("malformed schema tree");
  }
  out->children.resize(static_cast<size_t>(n));
  for (auto& child : out->children) {
    SILT_RETURN_NOT_OK(BuildTree(els, cursor, depth + 1, &child));
  }
  return Status::OK();
}

struct LeafType {
  TypePtr type;
  Conversion conversion = Conversion::kNone;
};

class Mapper {
 public:
  Mapper(const std::vector<SchemaElement>& els, std::string_view file, ReaderSchema* out)
      : els_(els), file_(file), out_(out) {}

  // `def`/`rep`: levels of the parent; `slot_def`/`slot_rep`: the slot condition of this node.
  // `as_required`: the node is a repeated node consumed as the element of a list.
  Result<ReaderNode> Convert(const PNode& p, int16_t def, int16_t rep, int16_t slot_def,
                             int16_t slot_rep, bool as_required, const std::string& out_name) {
    const SchemaElement& el = els_[static_cast<size_t>(p.index)];
    FieldRepetitionType rt = as_required
                                 ? FieldRepetitionType::kRequired
                                 : el.repetition_type.value_or(FieldRepetitionType::kRequired);
    columnar::KeyValueMetadata metadata;
    if (el.field_id.has_value() && !as_required) {
      metadata.Set(std::string(kFieldIdKey), std::to_string(*el.field_id));
    }
    if (rt == FieldRepetitionType::kRepeated) {
      // A repeated field outside a LIST/MAP group: a required list of required elements.
      ReaderNode list;
      list.kind = NodeKind::kList;
      list.def_level = def;
      list.slot_def = slot_def;
      list.slot_rep = slot_rep;
      list.child_def = static_cast<int16_t>(def + 1);
      list.child_rep = static_cast<int16_t>(rep + 1);
      list.first_leaf = next_leaf_;
      path_.push_back(out_name);
      auto elem = Convert(p, list.child_def, list.child_rep, list.child_def, list.child_rep,
                          /*as_required=*/true, "element");
      path_.pop_back();
      SILT_RETURN_NOT_OK(elem.status());
      list.field =
          Field(out_name, columnar::List(elem->field.type(), false), false, std::move(metadata));
      list.children.push_back(std::move(*elem));
      list.leaf_end = next_leaf_;
      return list;
    }
    const bool nullable = rt == FieldRepetitionType::kOptional;
    ReaderNode node;
    node.def_level = static_cast<int16_t>(def + (nullable ? 1 : 0));
    node.slot_def = slot_def;
    node.slot_rep = slot_rep;
    node.first_leaf = next_leaf_;
    const int16_t d = node.def_level;

    if (p.children.empty() && el.type.has_value()) {
      path_.push_back(out_name);
      auto status = MapLeaf(el, &node);
      path_.pop_back();
      SILT_RETURN_NOT_OK(status);
      node.field = Field(out_name, out_->leaf_types.back(), nullable, std::move(metadata));
      node.leaf_end = next_leaf_;
      return node;
    }
    if (p.children.empty()) {
      return Status::Unsupported("{}: column '{}' is a group without fields", file_,
                                 Dotted(out_name));
    }

    const bool is_list = (el.logical_type && el.logical_type->kind == LogicalType::Kind::kList) ||
                         el.converted_type == ConvertedType::kList;
    const bool is_map = (el.logical_type && el.logical_type->kind == LogicalType::Kind::kMap) ||
                        el.converted_type == ConvertedType::kMap ||
                        el.converted_type == ConvertedType::kMapKeyValue;
    path_.push_back(out_name);
    Status status;
    if (is_list && !as_required) {
      status = MapList(p, el, d, rep, &node);
    } else if (is_map && !as_required) {
      status = MapMap(p, d, rep, &node);
    } else {
      status = MapStruct(p, d, rep, slot_def, slot_rep, &node);
    }
    path_.pop_back();
    SILT_RETURN_NOT_OK(status);
    node.field = Field(out_name, node.field.type(), nullable, std::move(metadata));
    node.leaf_end = next_leaf_;
    return node;
  }

 private:
  std::string Dotted(const std::string& last) const {
    if (path_.empty()) return last;
    return fmt::format("{}.{}", fmt::join(path_, "."), last);
  }
  std::string Here() const { return fmt::format("{}", fmt::join(path_, ".")); }

  Status MapStruct(const PNode& p, int16_t d, int16_t rep, int16_t slot_def, int16_t slot_rep,
                   ReaderNode* node) {
    node->kind = NodeKind::kStruct;
    std::vector<Field> fields;
    for (const PNode& c : p.children) {
      const SchemaElement& cel = els_[static_cast<size_t>(c.index)];
      SILT_ASSIGN_OR_RETURN(ReaderNode child,
                            Convert(c, d, rep, slot_def, slot_rep, false, cel.name));
      fields.push_back(child.field);
      node->children.push_back(std::move(child));
    }
    node->field = Field("", columnar::Struct(std::move(fields)));
    return Status::OK();
  }

  // LogicalTypes.md "Lists", backward-compatibility rules (digest §6.6).
  Status MapList(const PNode& p, const SchemaElement& el, int16_t d, int16_t rep,
                 ReaderNode* node) {
    if (p.children.size() != 1) {
      return Status::Unsupported("{}: LIST column '{}' has {} children, expected 1", file_, Here(),
                                 p.children.size());
    }
    const PNode& r = p.children[0];
    const SchemaElement& rel = els_[static_cast<size_t>(r.index)];
    if (rel.repetition_type != FieldRepetitionType::kRepeated) {
      // Not a list shape at all; read it as the struct it is.
      return MapStruct(p, d, rep, node->slot_def, node->slot_rep, node);
    }
    node->kind = NodeKind::kList;
    node->child_def = static_cast<int16_t>(d + 1);
    node->child_rep = static_cast<int16_t>(rep + 1);
    bool repeated_is_element = false;
    if (r.children.empty()) {
      repeated_is_element = true;  // rule 1: repeated primitive
    } else if (r.children.size() > 1) {
      repeated_is_element = true;  // rule 2
    } else {
      const SchemaElement& only = els_[static_cast<size_t>(r.children[0].index)];
      if (only.repetition_type == FieldRepetitionType::kRepeated) {
        repeated_is_element = true;  // rule 3
      } else if (rel.name == "array" || rel.name == el.name + "_tuple") {
        repeated_is_element = true;  // rule 4
      }
    }
    Result<ReaderNode> elem = repeated_is_element
                                  ? Convert(r, node->child_def, node->child_rep, node->child_def,
                                            node->child_rep, true, "element")
                                  : Convert(r.children[0], node->child_def, node->child_rep,
                                            node->child_def, node->child_rep, false, "element");
    SILT_RETURN_NOT_OK(elem.status());
    node->field = Field("", columnar::List(elem->field.type(), elem->field.nullable()));
    node->children.push_back(std::move(*elem));
    return Status::OK();
  }

  // LogicalTypes.md "Maps" (digest §6.7): any names, key first, value second.
  Status MapMap(const PNode& p, int16_t d, int16_t rep, ReaderNode* node) {
    if (p.children.size() != 1) {
      return Status::Unsupported("{}: MAP column '{}' has {} children, expected 1", file_, Here(),
                                 p.children.size());
    }
    const PNode& kv = p.children[0];
    const SchemaElement& kvel = els_[static_cast<size_t>(kv.index)];
    if (kvel.repetition_type != FieldRepetitionType::kRepeated || kv.children.empty()) {
      return Status::Unsupported("{}: MAP column '{}' does not hold a repeated key/value group",
                                 file_, Here());
    }
    if (kv.children.size() == 1) {
      return Status::Unsupported("{}: MAP column '{}' has keys but no values", file_, Here());
    }
    if (kv.children.size() > 2) {
      return Status::Unsupported("{}: MAP column '{}' has {} fields per entry, expected 2", file_,
                                 Here(), kv.children.size());
    }
    node->kind = NodeKind::kMap;
    node->child_def = static_cast<int16_t>(d + 1);
    node->child_rep = static_cast<int16_t>(rep + 1);
    auto key = Convert(kv.children[0], node->child_def, node->child_rep, node->child_def,
                       node->child_rep, false, "key");
    SILT_RETURN_NOT_OK(key.status());
    auto value = Convert(kv.children[1], node->child_def, node->child_rep, node->child_def,
                         node->child_rep, false, "value");
    SILT_RETURN_NOT_OK(value.status());
    node->field =
        Field("", columnar::Map(key->field.type(), value->field.type(), value->field.nullable()));
    node->children.push_back(std::move(*key));
    node->children.push_back(std::move(*value));
    return Status::OK();
  }

  Status MapLeaf(const SchemaElement& el, ReaderNode* node) {
    node->kind = NodeKind::kLeaf;
    node->leaf_index = next_leaf_;
    if (static_cast<size_t>(next_leaf_) >= out_->leaves.size() ||
        out_->leaves[static_cast<size_t>(next_leaf_)].schema_index !=
            static_cast<int32_t>(&el - els_.data())) {
      return Status::Corruption("{}: leaf column '{}' out of order", file_, Here());
    }
    const LeafColumn& leaf = out_->leaves[static_cast<size_t>(next_leaf_)];
    if (leaf.max_definition_level != node->def_level) {
      return Status::Internal("{}: column '{}': definition level {} != {}", file_, Here(),
                              leaf.max_definition_level, node->def_level);
    }
    SILT_ASSIGN_OR_RETURN(LeafType lt, MapPrimitive(el));
    node->conversion = lt.conversion;
    out_->leaf_paths.push_back(path_);
    out_->leaf_top_level.push_back(top_level_);
    out_->leaf_repeated.push_back(leaf.max_repetition_level > 0);
    out_->leaf_conversions.push_back(lt.conversion);
    out_->leaf_types.push_back(lt.type);
    ++next_leaf_;
    return Status::OK();
  }

  Status Mismatch(const SchemaElement& el, std::string_view annotation) const {
    return Status::Corruption("{}: column '{}' is annotated {} on physical type {}", file_, Here(),
                              annotation, PhysicalTypeName(*el.type));
  }

  Result<LeafType> Decimal(const SchemaElement& el, int32_t precision, int32_t scale) {
    if (precision > columnar::DecimalType::kMaxPrecision) {
      return Status::Unsupported("{}: column '{}' is decimal({},{}): precision above 38", file_,
                                 Here(), precision, scale);
    }
    auto type = columnar::MakeDecimal(precision, scale);
    if (!type.ok()) {
      return Status::Corruption("{}: column '{}': invalid decimal({},{})", file_, Here(), precision,
                                scale);
    }
    switch (*el.type) {
      case PhysicalType::kInt32:
        return LeafType{*type, Conversion::kInt32ToDecimal};
      case PhysicalType::kInt64:
        return LeafType{*type, Conversion::kInt64ToDecimal};
      case PhysicalType::kByteArray:
      case PhysicalType::kFixedLenByteArray:
        return LeafType{*type, Conversion::kBytesToDecimal};
      default:
        return Mismatch(el, "DECIMAL");
    }
  }

  Result<LeafType> Expect(const SchemaElement& el, PhysicalType physical, std::string_view name,
                          LeafType lt) {
    if (*el.type != physical) return Mismatch(el, name);
    return lt;
  }

  Result<LeafType> MapPrimitive(const SchemaElement& el) {
    const PhysicalType pt = *el.type;
    using LK = LogicalType::Kind;
    if (el.logical_type.has_value() && el.logical_type->kind != LK::kUnrecognized &&
        el.logical_type->kind != LK::kUnknown) {
      const LogicalType& lt = *el.logical_type;
      switch (lt.kind) {
        case LK::kString:
        case LK::kEnum:
        case LK::kJson:
          return Expect(el, PhysicalType::kByteArray, "STRING",
                        {columnar::String(), Conversion::kByteArray});
        case LK::kBson:
          return Expect(el, PhysicalType::kByteArray, "BSON",
                        {columnar::Binary(), Conversion::kByteArray});
        case LK::kUuid:
          return Expect(el, PhysicalType::kFixedLenByteArray, "UUID",
                        {columnar::Binary(), Conversion::kFixedToBinary});
        case LK::kDecimal:
          return Decimal(el, lt.precision, lt.scale);
        case LK::kDate:
          return Expect(el, PhysicalType::kInt32, "DATE", {columnar::Date(), Conversion::kNone});
        case LK::kTime:
          if (lt.unit == TimeUnit::kMillis) {
            return Expect(el, PhysicalType::kInt32, "TIME(MILLIS)",
                          {columnar::Int64(), Conversion::kInt32MillisToMicros});
          }
          return Expect(
              el, PhysicalType::kInt64, "TIME",
              {columnar::Int64(),
               lt.unit == TimeUnit::kNanos ? Conversion::kInt64NanosToMicros : Conversion::kNone});
        case LK::kTimestamp: {
          TypePtr t = lt.is_adjusted_to_utc ? columnar::Timestamp() : columnar::TimestampNtz();
          Conversion c = lt.unit == TimeUnit::kMillis  ? Conversion::kInt64MillisToMicros
                         : lt.unit == TimeUnit::kNanos ? Conversion::kInt64NanosToMicros
                                                       : Conversion::kNone;
          return Expect(el, PhysicalType::kInt64, "TIMESTAMP", {t, c});
        }
        case LK::kInteger:
          return Integer(el, lt.bit_width, lt.is_signed);
        case LK::kFloat16:
          if (pt != PhysicalType::kFixedLenByteArray || el.type_length.value_or(0) != 2) {
            return Mismatch(el, "FLOAT16");
          }
          return LeafType{columnar::Float32(), Conversion::kFloat16ToFloat32};
        default:
          break;  // geometry, variant, ...: the physical type
      }
    } else if (el.converted_type.has_value()) {
      switch (*el.converted_type) {
        case ConvertedType::kUtf8:
        case ConvertedType::kEnum:
        case ConvertedType::kJson:
          return Expect(el, PhysicalType::kByteArray, "UTF8",
                        {columnar::String(), Conversion::kByteArray});
        case ConvertedType::kDecimal:
          return Decimal(el, el.precision.value_or(0), el.scale.value_or(0));
        case ConvertedType::kDate:
          return Expect(el, PhysicalType::kInt32, "DATE", {columnar::Date(), Conversion::kNone});
        case ConvertedType::kTimeMillis:
          return Expect(el, PhysicalType::kInt32, "TIME_MILLIS",
                        {columnar::Int64(), Conversion::kInt32MillisToMicros});
        case ConvertedType::kTimeMicros:
          return Expect(el, PhysicalType::kInt64, "TIME_MICROS",
                        {columnar::Int64(), Conversion::kNone});
        case ConvertedType::kTimestampMillis:
          return Expect(el, PhysicalType::kInt64, "TIMESTAMP_MILLIS",
                        {columnar::Timestamp(), Conversion::kInt64MillisToMicros});
        case ConvertedType::kTimestampMicros:
          return Expect(el, PhysicalType::kInt64, "TIMESTAMP_MICROS",
                        {columnar::Timestamp(), Conversion::kNone});
        case ConvertedType::kUint8:
          return Integer(el, 8, false);
        case ConvertedType::kUint16:
          return Integer(el, 16, false);
        case ConvertedType::kUint32:
          return Integer(el, 32, false);
        case ConvertedType::kUint64:
          return Integer(el, 64, false);
        case ConvertedType::kInt8:
          return Integer(el, 8, true);
        case ConvertedType::kInt16:
          return Integer(el, 16, true);
        case ConvertedType::kInt32:
          return Integer(el, 32, true);
        case ConvertedType::kInt64:
          return Integer(el, 64, true);
        default:
          break;  // BSON, INTERVAL: the physical type (binary)
      }
    }
    switch (pt) {
      case PhysicalType::kBoolean:
        return LeafType{columnar::Boolean(), Conversion::kNone};
      case PhysicalType::kInt32:
        return LeafType{columnar::Int32(), Conversion::kNone};
      case PhysicalType::kInt64:
        return LeafType{columnar::Int64(), Conversion::kNone};
      case PhysicalType::kInt96:
        return LeafType{columnar::Timestamp(), Conversion::kInt96ToMicros};
      case PhysicalType::kFloat:
        return LeafType{columnar::Float32(), Conversion::kNone};
      case PhysicalType::kDouble:
        return LeafType{columnar::Float64(), Conversion::kNone};
      case PhysicalType::kByteArray:
        return LeafType{columnar::Binary(), Conversion::kByteArray};
      case PhysicalType::kFixedLenByteArray:
        return LeafType{columnar::Binary(), Conversion::kFixedToBinary};
    }
    return Status::Unsupported("{}: column '{}' has unknown physical type {}", file_, Here(),
                               static_cast<int32_t>(pt));
  }

  Result<LeafType> Integer(const SchemaElement& el, int bit_width, bool is_signed) {
    const PhysicalType pt = *el.type;
    if (bit_width == 64) {
      if (pt != PhysicalType::kInt64) return Mismatch(el, "INT(64)");
      if (is_signed) return LeafType{columnar::Int64(), Conversion::kNone};
      return LeafType{columnar::Decimal(20, 0), Conversion::kUint64ToDecimal};
    }
    if (pt != PhysicalType::kInt32) return Mismatch(el, fmt::format("INT({})", bit_width));
    switch (bit_width) {
      case 8:
        return is_signed ? LeafType{columnar::Int8(), Conversion::kInt32ToInt8}
                         : LeafType{columnar::Int16(), Conversion::kUint8ToInt16};
      case 16:
        return is_signed ? LeafType{columnar::Int16(), Conversion::kInt32ToInt16}
                         : LeafType{columnar::Int32(), Conversion::kUint16ToInt32};
      case 32:
        return is_signed ? LeafType{columnar::Int32(), Conversion::kNone}
                         : LeafType{columnar::Int64(), Conversion::kUint32ToInt64};
      default:
        return Status::Corruption("{}: column '{}' has integer bit width {}", file_, Here(),
                                  bit_width);
    }
  }

 public:
  int top_level_ = 0;

 private:
  const std::vector<SchemaElement>& els_;
  std::string_view file_;
  ReaderSchema* out_;
  int next_leaf_ = 0;
  std::vector<std::string> path_;  // columnar path of the node being mapped (its parents)
};

}  // namespace

Result<ReaderSchema> MapSchema(const FileMetaData& metadata, std::string_view file) {
  ReaderSchema out;
  auto leaves = ComputeLeafColumns(metadata.schema);
  if (!leaves.ok()) return leaves.status().WithContext(file);
  out.leaves = std::move(*leaves);
  PNode root;
  size_t cursor = 0;
  SILT_RETURN_NOT_OK(BuildTree(metadata.schema, &cursor, 0, &root).WithContext(file));
  Mapper mapper(metadata.schema, file, &out);
  std::vector<Field> fields;
  for (size_t i = 0; i < root.children.size(); ++i) {
    mapper.top_level_ = static_cast<int>(i);
    const PNode& c = root.children[i];
    const SchemaElement& el = metadata.schema[static_cast<size_t>(c.index)];
    SILT_ASSIGN_OR_RETURN(ReaderNode node, mapper.Convert(c, 0, 0, 0, 0, false, el.name));
    fields.push_back(node.field);
    out.fields.push_back(std::move(node));
  }
  if (out.leaf_types.size() != out.leaves.size()) {
    return Status::Corruption("{}: {} leaf columns mapped, the schema has {}", file,
                              out.leaf_types.size(), out.leaves.size());
  }
  out.schema = columnar::Schema::Make(std::move(fields));
  return out;
}

}  // namespace silt::parquet::reader
