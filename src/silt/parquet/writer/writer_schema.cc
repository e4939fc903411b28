#include "silt/parquet/writer/writer_schema.h"

#include <charconv>
#include <cmath>
#include <utility>

namespace silt::parquet::writer {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;

Result<std::optional<int32_t>> FieldId(const Field& field) {
  for (std::string_view key : {kParquetFieldIdKey, kDeltaColumnMappingIdKey}) {
    std::optional<std::string_view> text = field.metadata().Get(key);
    if (!text.has_value()) continue;
    int32_t id = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, id);
    if (ec != std::errc() || ptr != end || text->empty()) {
      return Status::InvalidArgument("field '{}': metadata {} = '{}' is not a 32-bit integer",
                                     field.name(), key, *text);
    }
    return std::optional<int32_t>(id);
  }
  return std::optional<int32_t>();
}

LogicalType MakeLogical(LogicalType::Kind kind) {
  LogicalType t;
  t.kind = kind;
  return t;
}

// Fills type/annotations of a primitive leaf.
Status SetPrimitive(const DataType& type, SchemaElement* e, LeafDescriptor* leaf) {
  switch (type.id()) {
    case TypeId::kBoolean:
      e->type = PhysicalType::kBoolean;
      break;
    case TypeId::kInt8:
    case TypeId::kInt16: {
      e->type = PhysicalType::kInt32;
      LogicalType t = MakeLogical(LogicalType::Kind::kInteger);
      t.bit_width = type.id() == TypeId::kInt8 ? 8 : 16;
      t.is_signed = true;
      e->logical_type = t;
      e->converted_type = type.id() == TypeId::kInt8 ? ConvertedType::kInt8 : ConvertedType::kInt16;
      break;
    }
    case TypeId::kInt32:
      e->type = PhysicalType::kInt32;
      break;
    case TypeId::kInt64:
      e->type = PhysicalType::kInt64;
      break;
    case TypeId::kFloat32:
      e->type = PhysicalType::kFloat;
      break;
    case TypeId::kFloat64:
      e->type = PhysicalType::kDouble;
      break;
    case TypeId::kDecimal: {
      const auto& dec = columnar::AsDecimal(type);
      if (dec.precision() <= 9) {
        e->type = PhysicalType::kInt32;
      } else if (dec.precision() <= 18) {
        e->type = PhysicalType::kInt64;
      } else {
        e->type = PhysicalType::kFixedLenByteArray;
        e->type_length = DecimalByteWidth(dec.precision());
      }
      LogicalType t = MakeLogical(LogicalType::Kind::kDecimal);
      t.precision = dec.precision();
      t.scale = dec.scale();
      e->logical_type = t;
      e->converted_type = ConvertedType::kDecimal;
      e->precision = dec.precision();
      e->scale = dec.scale();
      break;
    }
    case TypeId::kString:
      e->type = PhysicalType::kByteArray;
      e->logical_type = MakeLogical(LogicalType::Kind::kString);
      e->converted_type = ConvertedType::kUtf8;
      break;
    case TypeId::kBinary:
      e->type = PhysicalType::kByteArray;
      break;
    case TypeId::kDate:
      e->type = PhysicalType::kInt32;
      e->logical_type = MakeLogical(LogicalType::Kind::kDate);
      e->converted_type = ConvertedType::kDate;
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      e->type = PhysicalType::kInt64;
      LogicalType t = MakeLogical(LogicalType::Kind::kTimestamp);
      t.is_adjusted_to_utc = type.id() == TypeId::kTimestamp;
      t.unit = TimeUnit::kMicros;
      e->logical_type = t;
      e->converted_type = ConvertedType::kTimestampMicros;
      break;
    }
    default:
      return Status::Internal("not a primitive type: {}", type.ToString());
  }
  leaf->physical_type = *e->type;
  leaf->type_length = e->type_length.value_or(0);
  return Status::OK();
}

class Converter {
 public:
  explicit Converter(WriterSchema* out) : out_(out) {}

  // Appends the elements of a node named `name` of `type` (and its leaves).
  Status Node(const std::string& name, const columnar::TypePtr& type, FieldRepetitionType rep,
              std::optional<int32_t> field_id, const std::string& columnar_name) {
    const size_t index = out_->elements.size();
    {
      SchemaElement e;
      e.name = name;
      e.repetition_type = rep;
      e.field_id = field_id;
      out_->elements.push_back(std::move(e));
    }
    parquet_path_.push_back(name);
    if (!columnar_name.empty()) columnar_path_.push_back(columnar_name);
    const size_t saved_steps = steps_.size();
    const int16_t saved_def = def_;
    const int16_t saved_rep = rep_;
    if (rep == FieldRepetitionType::kOptional) {
      steps_.push_back({ShredStep::Kind::kOptional});
      ++def_;
    }

    Status st = Body(index, type);

    steps_.resize(saved_steps);
    def_ = saved_def;
    rep_ = saved_rep;
    parquet_path_.pop_back();
    if (!columnar_name.empty()) columnar_path_.pop_back();
    return st;
  }

  int top_level_field = 0;

 private:
  static FieldRepetitionType Rep(bool nullable) {
    return nullable ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
  }

  Status Body(size_t index, const columnar::TypePtr& type) {
    switch (type->id()) {
      case TypeId::kStruct: {
        const auto& st = columnar::AsStruct(*type);
        if (st.num_fields() == 0) {
          return Status::Unsupported("column '{}': Parquet cannot store a struct without fields",
                                     Dotted());
        }
        out_->elements[index].num_children = st.num_fields();
        for (int i = 0; i < st.num_fields(); ++i) {
          const Field& f = st.field(i);
          SILT_ASSIGN_OR_RETURN(std::optional<int32_t> id, FieldId(f));
          steps_.push_back({ShredStep::Kind::kStructField, i});
          SILT_RETURN_NOT_OK(Node(f.name(), f.type(), Rep(f.nullable()), id, f.name()));
          steps_.pop_back();
        }
        return Status::OK();
      }
      case TypeId::kList: {
        const auto& list = columnar::AsList(*type);
        out_->elements[index].num_children = 1;
        out_->elements[index].converted_type = ConvertedType::kList;
        out_->elements[index].logical_type = MakeLogical(LogicalType::Kind::kList);
        return Repeated("list", [&]() -> Status {
          return Node("element", list.element_type(), Rep(list.contains_null()), std::nullopt,
                      "element");
        });
      }
      case TypeId::kMap: {
        const auto& map = columnar::AsMap(*type);
        out_->elements[index].num_children = 1;
        out_->elements[index].converted_type = ConvertedType::kMap;
        out_->elements[index].logical_type = MakeLogical(LogicalType::Kind::kMap);
        return Repeated("key_value", [&]() -> Status {
          out_->elements.back().num_children = 2;
          steps_.push_back({ShredStep::Kind::kStructField, 0});
          SILT_RETURN_NOT_OK(Node("key", map.key_type(), FieldRepetitionType::kRequired,
                                  std::nullopt, "key"));
          steps_.back().field_index = 1;
          SILT_RETURN_NOT_OK(Node("value", map.value_type(), Rep(map.value_contains_null()),
                                  std::nullopt, "value"));
          steps_.pop_back();
          return Status::OK();
        });
      }
      default: {
        LeafDescriptor leaf;
        SILT_RETURN_NOT_OK(SetPrimitive(*type, &out_->elements[index], &leaf));
        leaf.top_level_field = top_level_field;
        leaf.parquet_path = parquet_path_;
        leaf.columnar_path = columnar_path_;
        leaf.type = type;
        leaf.max_def = def_;
        leaf.max_rep = rep_;
        leaf.steps = steps_;
        out_->leaves.push_back(std::move(leaf));
        return Status::OK();
      }
    }
  }

  // The middle `repeated group <name>` of a LIST or MAP; `children` appends what is inside.
  template <typename Fn>
  Status Repeated(const char* name, Fn children) {
    SchemaElement e;
    e.name = name;
    e.repetition_type = FieldRepetitionType::kRepeated;
    e.num_children = 1;
    out_->elements.push_back(std::move(e));
    parquet_path_.push_back(name);
    ++def_;
    ++rep_;
    steps_.push_back({ShredStep::Kind::kRepeated, 0, rep_});
    Status st = children();
    steps_.pop_back();
    --def_;
    --rep_;
    parquet_path_.pop_back();
    return st;
  }

  std::string Dotted() const {
    std::string s;
    for (const std::string& p : columnar_path_) {
      if (!s.empty()) s += '.';
      s += p;
    }
    return s;
  }

  WriterSchema* out_;
  std::vector<std::string> parquet_path_;
  std::vector<std::string> columnar_path_;
  std::vector<ShredStep> steps_;
  int16_t def_ = 0;
  int16_t rep_ = 0;
};

}  // namespace

int32_t DecimalByteWidth(int32_t precision) {
  // Smallest n with 2^(8n - 1) > 10^precision - 1.
  for (int32_t n = 1; n < 16; ++n) {
    if (static_cast<double>(8 * n - 1) * std::log10(2.0) >= precision) return n;
  }
  return 16;
}

Result<WriterSchema> ToParquetSchema(const columnar::Schema& schema) {
  if (schema.num_fields() == 0) {
    return Status::Unsupported("Parquet cannot store a schema without columns");
  }
  WriterSchema out;
  SchemaElement root;
  root.name = "schema";
  root.num_children = schema.num_fields();
  out.elements.push_back(std::move(root));
  Converter converter(&out);
  for (int i = 0; i < schema.num_fields(); ++i) {
    const Field& f = schema.field(i);
    SILT_ASSIGN_OR_RETURN(std::optional<int32_t> id, FieldId(f));
    converter.top_level_field = i;
    SILT_RETURN_NOT_OK(converter.Node(
        f.name(), f.type(),
        f.nullable() ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired, id,
        f.name()));
  }
  return out;
}

}  // namespace silt::parquet::writer
