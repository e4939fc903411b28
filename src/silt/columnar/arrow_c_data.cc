#include "silt/columnar/arrow_c_data.h"

#include <charconv>
#include <cstring>
#include <string>
#include <vector>

namespace silt::columnar {

namespace {

// Hostile input could nest without bound; real schemas are far shallower.
constexpr int kMaxDepth = 64;
// Lengths and offsets beyond this are rejected so that byte sizes cannot overflow.
constexpr int64_t kMaxImportLength = int64_t{1} << 48;

// ---------------------------------------------------------------------------------------------
// Export: schema

struct ExportedSchema {
  std::string format;
  std::string name;
  std::string metadata;  // encoded; empty = none
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_pointers;
};

// Children are found through the private data, not the public fields, so a consumer that edits
// the struct cannot make us leak or crash. A child the consumer moved out has release == NULL
// here and is released by its new owner.
void ReleaseExportedSchema(ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) return;
  auto* priv = static_cast<ExportedSchema*>(schema->private_data);
  for (ArrowSchema& child : priv->children) {
    if (child.release != nullptr) child.release(&child);
  }
  delete priv;
  schema->release = nullptr;
}

void AppendInt32(std::string* out, int32_t v) {
  char bytes[4];
  std::memcpy(bytes, &v, 4);  // native endianness, as the spec says
  out->append(bytes, 4);
}

Result<std::string> EncodeMetadata(const KeyValueMetadata& metadata) {
  if (metadata.empty()) return std::string();
  std::string out;
  AppendInt32(&out, static_cast<int32_t>(metadata.size()));
  for (const auto& [key, value] : metadata) {
    if (key.size() > INT32_MAX || value.size() > INT32_MAX) {
      return Status::InvalidArgument("metadata entry too large to export");
    }
    AppendInt32(&out, static_cast<int32_t>(key.size()));
    out += key;
    AppendInt32(&out, static_cast<int32_t>(value.size()));
    out += value;
  }
  return out;
}

std::string FormatOf(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return "b";
    case TypeId::kInt8: return "c";
    case TypeId::kInt16: return "s";
    case TypeId::kInt32: return "i";
    case TypeId::kInt64: return "l";
    case TypeId::kFloat32: return "f";
    case TypeId::kFloat64: return "g";
    case TypeId::kDecimal:
      return fmt::format("d:{},{}", AsDecimal(type).precision(), AsDecimal(type).scale());
    case TypeId::kString: return "u";
    case TypeId::kBinary: return "z";
    case TypeId::kDate: return "tdD";
    case TypeId::kTimestamp: return "tsu:UTC";
    case TypeId::kTimestampNtz: return "tsu:";
    case TypeId::kStruct: return "+s";
    case TypeId::kList: return "+l";
    case TypeId::kMap: return "+m";
  }
  return "";
}

// Fills *out (which the caller owns) from a field; on failure nothing is left allocated.
Status FillSchema(const std::string& name, const DataType& type, bool nullable,
                  const KeyValueMetadata& metadata, ArrowSchema* out) {
  auto priv = std::make_unique<ExportedSchema>();
  priv->format = FormatOf(type);
  priv->name = name;
  SILT_ASSIGN_OR_RETURN(priv->metadata, EncodeMetadata(metadata));

  std::vector<Field> child_fields;
  switch (type.id()) {
    case TypeId::kStruct: child_fields = AsStruct(type).fields(); break;
    case TypeId::kList: child_fields = {AsList(type).element_field()}; break;
    case TypeId::kMap: child_fields = {Field("entries", AsMap(type).entries_type(), false)}; break;
    default: break;
  }
  priv->children.resize(child_fields.size());
  for (size_t i = 0; i < child_fields.size(); ++i) {
    const Field& f = child_fields[i];
    Status st = FillSchema(f.name(), *f.type(), f.nullable(), f.metadata(), &priv->children[i]);
    if (!st.ok()) {
      for (size_t k = 0; k < i; ++k) ReleaseExportedSchema(&priv->children[k]);
      return st;
    }
    priv->child_pointers.push_back(&priv->children[i]);
  }

  out->format = priv->format.c_str();
  out->name = priv->name.c_str();
  out->metadata = priv->metadata.empty() ? nullptr : priv->metadata.data();
  out->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
  out->n_children = static_cast<int64_t>(priv->children.size());
  out->children = priv->child_pointers.empty() ? nullptr : priv->child_pointers.data();
  out->dictionary = nullptr;
  out->release = &ReleaseExportedSchema;
  out->private_data = priv.release();
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// Export: array

struct ExportedArray {
  ArrayDataPtr data;  // keeps every buffer alive
  std::vector<const void*> buffers;
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_pointers;
};

void ReleaseExportedArray(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  auto* priv = static_cast<ExportedArray*>(array->private_data);
  for (ArrowArray& child : priv->children) {
    if (child.release != nullptr) child.release(&child);
  }
  delete priv;
  array->release = nullptr;
}

// Cannot fail: only allocates (and allocation failure is not recoverable in std containers).
void FillArray(const ArrayDataPtr& data, ArrowArray* out) {
  auto priv = std::make_unique<ExportedArray>();
  priv->data = data;
  for (size_t i = 0; i < data->buffers.size(); ++i) {
    const BufferPtr& buffer = data->buffers[i];
    // A validity bitmap without nulls may be omitted, as the spec allows.
    if (i == 0 && data->null_count == 0) {
      priv->buffers.push_back(nullptr);
    } else {
      priv->buffers.push_back(buffer == nullptr ? nullptr : buffer->data());
    }
  }
  priv->children.resize(data->children.size());
  for (size_t i = 0; i < data->children.size(); ++i) {
    FillArray(data->children[i], &priv->children[i]);
    priv->child_pointers.push_back(&priv->children[i]);
  }
  out->length = data->length;
  out->null_count = data->null_count;
  out->offset = data->offset;
  out->n_buffers = static_cast<int64_t>(priv->buffers.size());
  out->n_children = static_cast<int64_t>(priv->children.size());
  out->buffers = priv->buffers.data();
  out->children = priv->child_pointers.empty() ? nullptr : priv->child_pointers.data();
  out->dictionary = nullptr;
  out->release = &ReleaseExportedArray;
  out->private_data = priv.release();
}

// ---------------------------------------------------------------------------------------------
// Import: schema

// Releases a schema when it goes out of scope (import consumes its input either way).
struct SchemaReleaser {
  ArrowSchema* schema;
  ~SchemaReleaser() {
    if (schema != nullptr && schema->release != nullptr) schema->release(schema);
  }
};

Result<int32_t> ParseInt(std::string_view text, std::string_view format) {
  int32_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return Status::InvalidArgument("malformed Arrow format string '{}'", format);
  }
  return value;
}

Result<TypePtr> ParseDecimal(std::string_view format) {
  std::string_view rest = format.substr(2);
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t comma = rest.find(',', start);
    parts.push_back(rest.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() != 2 && parts.size() != 3) {
    return Status::InvalidArgument("malformed Arrow decimal format '{}'", format);
  }
  SILT_ASSIGN_OR_RETURN(int32_t precision, ParseInt(parts[0], format));
  SILT_ASSIGN_OR_RETURN(int32_t scale, ParseInt(parts[1], format));
  if (parts.size() == 3) {
    SILT_ASSIGN_OR_RETURN(int32_t bit_width, ParseInt(parts[2], format));
    if (bit_width == 32 || bit_width == 64 || bit_width == 256) {
      return Status::Unsupported("Arrow decimal{} ('{}') is not supported, only decimal128",
                                 bit_width, format);
    }
    if (bit_width != 128) {
      return Status::InvalidArgument("invalid Arrow decimal bit width in '{}'", format);
    }
  }
  if (precision < 1 || precision > DecimalType::kMaxPrecision) {
    return Status::InvalidArgument("invalid decimal128 precision {} in '{}'", precision, format);
  }
  if (scale < 0 || scale > precision) {
    return Status::Unsupported("decimal scale {} outside [0, precision] in '{}'", scale, format);
  }
  return MakeDecimal(precision, scale);
}

bool IsKnownUnsupportedFormat(std::string_view f) {
  static constexpr std::string_view kExact[] = {
      "n", "C", "S", "I", "L", "e", "Z", "U", "vz", "vu", "tdm", "tts", "ttm", "ttu", "ttn",
      "tDs", "tDm", "tDu", "tDn", "tiM", "tiD", "tin", "+L", "+vl", "+vL", "+r"};
  for (auto e : kExact) {
    if (f == e) return true;
  }
  for (std::string_view prefix : {"w:", "+w:", "+ud:", "+us:", "tss:", "tsm:", "tsn:"}) {
    if (f.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

Result<Field> ImportFieldImpl(const ArrowSchema* schema, int depth);

Result<KeyValueMetadata> DecodeMetadata(const char* metadata) {
  KeyValueMetadata out;
  if (metadata == nullptr) return out;
  auto read_int = [&metadata]() {
    int32_t v;
    std::memcpy(&v, metadata, 4);
    metadata += 4;
    return v;
  };
  int32_t n = read_int();
  if (n < 0) return Status::InvalidArgument("Arrow schema metadata has {} entries", n);
  for (int32_t i = 0; i < n; ++i) {
    int32_t key_len = read_int();
    if (key_len < 0) return Status::InvalidArgument("Arrow schema metadata key length {}", key_len);
    std::string key(metadata, static_cast<size_t>(key_len));
    metadata += key_len;
    int32_t value_len = read_int();
    if (value_len < 0) {
      return Status::InvalidArgument("Arrow schema metadata value length {}", value_len);
    }
    std::string value(metadata, static_cast<size_t>(value_len));
    metadata += value_len;
    out.Set(std::move(key), std::move(value));
  }
  return out;
}

Status CheckChildren(const ArrowSchema* schema, int64_t expected, std::string_view format) {
  if (schema->n_children != expected) {
    return Status::InvalidArgument("Arrow format '{}' needs {} children, the schema has {}",
                                   format, expected, schema->n_children);
  }
  return Status::OK();
}

Result<TypePtr> ImportTypeImpl(const ArrowSchema* schema, int depth) {
  if (depth > kMaxDepth) {
    return Status::InvalidArgument("Arrow schema nested deeper than {} levels", kMaxDepth);
  }
  if (schema->format == nullptr) return Status::InvalidArgument("Arrow schema without a format");
  if (schema->n_children < 0 || (schema->n_children > 0 && schema->children == nullptr)) {
    return Status::InvalidArgument("Arrow schema has {} children but no children array",
                                   schema->n_children);
  }
  for (int64_t i = 0; i < schema->n_children; ++i) {
    if (schema->children[i] == nullptr || schema->children[i]->release == nullptr) {
      return Status::InvalidArgument("Arrow schema child {} is null or released", i);
    }
  }
  std::string_view format(schema->format);
  if (schema->dictionary != nullptr) {
    return Status::Unsupported("dictionary-encoded Arrow arrays are not supported (format '{}')",
                               format);
  }
  TypePtr primitive;
  if (format == "b") primitive = Boolean();
  else if (format == "c") primitive = Int8();
  else if (format == "s") primitive = Int16();
  else if (format == "i") primitive = Int32();
  else if (format == "l") primitive = Int64();
  else if (format == "f") primitive = Float32();
  else if (format == "g") primitive = Float64();
  else if (format == "u") primitive = String();
  else if (format == "z") primitive = Binary();
  else if (format == "tdD") primitive = Date();
  else if (format == "tsu:") primitive = TimestampNtz();
  else if (format.substr(0, 4) == "tsu:") primitive = Timestamp();  // any zone: UTC instants
  if (primitive != nullptr) {
    SILT_RETURN_NOT_OK(CheckChildren(schema, 0, format));
    return primitive;
  }
  if (format.substr(0, 2) == "d:") {
    SILT_RETURN_NOT_OK(CheckChildren(schema, 0, format));
    return ParseDecimal(format);
  }
  if (format == "+s") {
    std::vector<Field> fields;
    for (int64_t i = 0; i < schema->n_children; ++i) {
      SILT_ASSIGN_OR_RETURN(auto field, ImportFieldImpl(schema->children[i], depth + 1));
      fields.push_back(std::move(field));
    }
    return Struct(std::move(fields));
  }
  if (format == "+l") {
    SILT_RETURN_NOT_OK(CheckChildren(schema, 1, format));
    SILT_ASSIGN_OR_RETURN(auto element, ImportFieldImpl(schema->children[0], depth + 1));
    return List(element.type(), element.nullable());
  }
  if (format == "+m") {
    SILT_RETURN_NOT_OK(CheckChildren(schema, 1, format));
    const ArrowSchema* entries = schema->children[0];
    if (entries->format == nullptr || std::string_view(entries->format) != "+s") {
      return Status::InvalidArgument("Arrow map child must be a struct ('+s'), got '{}'",
                                     entries->format ? entries->format : "(null)");
    }
    SILT_ASSIGN_OR_RETURN(auto entries_field, ImportFieldImpl(entries, depth + 1));
    const auto& entries_struct = AsStruct(*entries_field.type());
    if (entries_struct.num_fields() != 2) {
      return Status::InvalidArgument("Arrow map entries need 2 children, got {}",
                                     entries_struct.num_fields());
    }
    return Map(entries_struct.field(0).type(), entries_struct.field(1).type(),
               entries_struct.field(1).nullable());
  }
  if (IsKnownUnsupportedFormat(format)) {
    return Status::Unsupported("Arrow format '{}' is not supported", format);
  }
  return Status::InvalidArgument("unknown Arrow format string '{}'", format);
}

Result<Field> ImportFieldImpl(const ArrowSchema* schema, int depth) {
  SILT_ASSIGN_OR_RETURN(auto type, ImportTypeImpl(schema, depth));
  SILT_ASSIGN_OR_RETURN(auto metadata, DecodeMetadata(schema->metadata));
  return Field(schema->name ? schema->name : "", std::move(type),
               (schema->flags & ARROW_FLAG_NULLABLE) != 0, std::move(metadata));
}

Status CheckLive(const ArrowSchema* schema) {
  if (schema == nullptr) return Status::InvalidArgument("null ArrowSchema");
  if (schema->release == nullptr) return Status::InvalidArgument("ArrowSchema already released");
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// Import: array

// Holds the moved ArrowArray; calls the producer's release exactly once, when the last buffer
// referencing the imported memory goes away.
struct ImportedArray {
  ArrowArray array;
  ~ImportedArray() {
    if (array.release != nullptr) array.release(&array);
  }
};

class ArrayImporter {
 public:
  explicit ArrayImporter(std::shared_ptr<const ImportedArray> owner) : owner_(std::move(owner)) {}

  Result<ArrayDataPtr> Import(const ArrowArray* c, const TypePtr& type, int depth) {
    if (depth > kMaxDepth) {
      return Status::InvalidArgument("Arrow array nested deeper than {} levels", kMaxDepth);
    }
    const std::string type_name = type->ToString();
    if (c == nullptr) return Status::InvalidArgument("{} ArrowArray is null", type_name);
    if (c->length < 0 || c->offset < 0 || c->length > kMaxImportLength ||
        c->offset > kMaxImportLength) {
      return Status::InvalidArgument("{} ArrowArray has invalid length {} or offset {}",
                                     type_name, c->length, c->offset);
    }
    if (c->null_count < -1 || c->null_count > c->length) {
      return Status::InvalidArgument("{} ArrowArray has invalid null_count {}", type_name,
                                     c->null_count);
    }
    if (c->dictionary != nullptr) {
      return Status::Unsupported("dictionary-encoded Arrow arrays are not supported");
    }
    int64_t expected_buffers = type->id() == TypeId::kStruct ? 1
                               : type->is_binary_like()       ? 3
                                                              : 2;
    if (c->n_buffers != expected_buffers) {
      return Status::InvalidArgument("{} ArrowArray needs {} buffers, has {}", type_name,
                                     expected_buffers, c->n_buffers);
    }
    if (c->buffers == nullptr) {
      return Status::InvalidArgument("{} ArrowArray has a null buffers array", type_name);
    }
    int64_t expected_children = 0;
    if (type->id() == TypeId::kStruct) expected_children = AsStruct(*type).num_fields();
    if (type->id() == TypeId::kList || type->id() == TypeId::kMap) expected_children = 1;
    if (c->n_children != expected_children) {
      return Status::InvalidArgument("{} ArrowArray needs {} children, has {}", type_name,
                                     expected_children, c->n_children);
    }
    if (c->n_children > 0 && c->children == nullptr) {
      return Status::InvalidArgument("{} ArrowArray has a null children array", type_name);
    }

    auto data = std::make_shared<ArrayData>();
    data->type = type;
    data->length = c->length;
    data->offset = c->offset;
    data->null_count = c->null_count;
    const int64_t end = c->offset + c->length;

    // Validity: may be null only when there are no nulls.
    if (c->buffers[0] == nullptr) {
      if (c->null_count > 0) {
        return Status::InvalidArgument("{} ArrowArray has {} nulls but no validity bitmap",
                                       type_name, c->null_count);
      }
      data->null_count = 0;
      data->buffers.push_back(nullptr);
    } else {
      data->buffers.push_back(Wrap(c->buffers[0], bit_util::BytesForBits(end), 1));
    }

    switch (type->id()) {
      case TypeId::kBoolean: {
        SILT_ASSIGN_OR_RETURN(auto values,
                              Required(c->buffers[1], bit_util::BytesForBits(end), 1, "values",
                                       type_name));
        data->buffers.push_back(std::move(values));
        break;
      }
      case TypeId::kString:
      case TypeId::kBinary: {
        SILT_ASSIGN_OR_RETURN(auto offsets, Offsets(c, type_name));
        int32_t last = offsets->data_as<int32_t>()[end];
        if (last < 0) {
          return Status::InvalidArgument("{} ArrowArray has a negative last offset {}",
                                         type_name, last);
        }
        SILT_ASSIGN_OR_RETURN(auto bytes, Required(c->buffers[2], last, 1, "data", type_name));
        data->buffers.push_back(std::move(offsets));
        data->buffers.push_back(std::move(bytes));
        break;
      }
      case TypeId::kStruct: {
        const auto& st = AsStruct(*type);
        for (int i = 0; i < st.num_fields(); ++i) {
          SILT_ASSIGN_OR_RETURN(auto child,
                                Import(c->children[i], st.field(i).type(), depth + 1));
          data->children.push_back(std::move(child));
        }
        break;
      }
      case TypeId::kList:
      case TypeId::kMap: {
        SILT_ASSIGN_OR_RETURN(auto offsets, Offsets(c, type_name));
        data->buffers.push_back(std::move(offsets));
        const TypePtr& child_type = type->id() == TypeId::kList ? AsList(*type).element_type()
                                                                : AsMap(*type).entries_type();
        SILT_ASSIGN_OR_RETURN(auto child, Import(c->children[0], child_type, depth + 1));
        data->children.push_back(std::move(child));
        break;
      }
      default: {
        int width = type->byte_width();
        // Decimals are read with memcpy and need no alignment.
        int alignment = type->id() == TypeId::kDecimal ? 1 : width;
        SILT_ASSIGN_OR_RETURN(auto values,
                              Required(c->buffers[1], end * width, alignment, "values",
                                       type_name));
        data->buffers.push_back(std::move(values));
        break;
      }
    }
    return ArrayDataPtr(std::move(data));
  }

 private:
  // Wraps foreign memory, keeping the imported ArrowArray alive; copies it when misaligned
  // (typed access to misaligned memory is undefined behavior).
  BufferPtr Wrap(const void* p, int64_t size, int alignment) {
    if (reinterpret_cast<uintptr_t>(p) % static_cast<uintptr_t>(alignment) != 0) {
      auto copy = Buffer::CopyOf(p, size);
      if (copy.ok()) return *copy;
      copy_status_ = copy.status();
      return nullptr;
    }
    return Buffer::Wrap(p, size, owner_);
  }

  Result<BufferPtr> Required(const void* p, int64_t size, int alignment, const char* what,
                             const std::string& type_name) {
    if (p == nullptr) {
      if (size == 0) return Buffer::Empty();
      return Status::InvalidArgument("{} ArrowArray: {} buffer is null", type_name, what);
    }
    BufferPtr buffer = Wrap(p, size, alignment);
    if (buffer == nullptr) return copy_status_;
    return buffer;
  }

  Result<BufferPtr> Offsets(const ArrowArray* c, const std::string& type_name) {
    const int64_t count = c->offset + c->length + 1;
    if (c->buffers[1] == nullptr) {
      // Allowed for empty arrays only: synthesize zero offsets.
      if (c->length != 0) {
        return Status::InvalidArgument("{} ArrowArray: offsets buffer is null", type_name);
      }
      SILT_ASSIGN_OR_RETURN(auto zeros, MutableBuffer::Allocate(count * 4, true));
      return BufferPtr(std::move(zeros));
    }
    BufferPtr buffer = Wrap(c->buffers[1], count * 4, 4);
    if (buffer == nullptr) return copy_status_;
    return buffer;
  }

  std::shared_ptr<const ImportedArray> owner_;
  Status copy_status_;
};

void ReleaseIfLive(ArrowArray* array) {
  if (array != nullptr && array->release != nullptr) array->release(array);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API

Status ExportType(const DataType& type, ArrowSchema* out) {
  if (out == nullptr) return Status::InvalidArgument("ExportType: null output");
  return FillSchema("", type, true, {}, out);
}

Status ExportField(const Field& field, ArrowSchema* out) {
  if (out == nullptr) return Status::InvalidArgument("ExportField: null output");
  return FillSchema(field.name(), *field.type(), field.nullable(), field.metadata(), out);
}

Status ExportSchema(const Schema& schema, ArrowSchema* out) {
  if (out == nullptr) return Status::InvalidArgument("ExportSchema: null output");
  return FillSchema("", *schema.ToStruct(), false, schema.metadata(), out);
}

Status ExportArray(const ArrayPtr& array, ArrowArray* out, ArrowSchema* out_schema) {
  if (array == nullptr || out == nullptr) {
    return Status::InvalidArgument("ExportArray: null array or output");
  }
  if (out_schema != nullptr) SILT_RETURN_NOT_OK(ExportType(*array->type(), out_schema));
  FillArray(array->data(), out);
  return Status::OK();
}

Status ExportRecordBatch(const RecordBatch& batch, ArrowArray* out, ArrowSchema* out_schema) {
  if (out == nullptr) return Status::InvalidArgument("ExportRecordBatch: null output");
  SILT_ASSIGN_OR_RETURN(auto as_struct, batch.ToStructArray());
  if (out_schema != nullptr) SILT_RETURN_NOT_OK(ExportSchema(*batch.schema(), out_schema));
  FillArray(as_struct->data(), out);
  return Status::OK();
}

Result<TypePtr> ImportType(ArrowSchema* schema) {
  SILT_RETURN_NOT_OK(CheckLive(schema));
  SchemaReleaser releaser{schema};
  return ImportTypeImpl(schema, 0);
}

Result<Field> ImportField(ArrowSchema* schema) {
  SILT_RETURN_NOT_OK(CheckLive(schema));
  SchemaReleaser releaser{schema};
  return ImportFieldImpl(schema, 0);
}

Result<SchemaPtr> ImportSchema(ArrowSchema* schema) {
  SILT_RETURN_NOT_OK(CheckLive(schema));
  SchemaReleaser releaser{schema};
  if (schema->format == nullptr || std::string_view(schema->format) != "+s") {
    return Status::InvalidArgument("a schema must be an Arrow struct ('+s'), got '{}'",
                                   schema->format ? schema->format : "(null)");
  }
  SILT_ASSIGN_OR_RETURN(auto type, ImportTypeImpl(schema, 0));
  SILT_ASSIGN_OR_RETURN(auto metadata, DecodeMetadata(schema->metadata));
  return Schema::FromStruct(*type, std::move(metadata));
}

Result<ArrayPtr> ImportArray(ArrowArray* array, const TypePtr& type) {
  if (array == nullptr) return Status::InvalidArgument("null ArrowArray");
  if (array->release == nullptr) return Status::InvalidArgument("ArrowArray already released");
  // Move the struct (as the spec allows) into a shared owner and mark the source released.
  auto owner = std::make_shared<ImportedArray>();
  owner->array = *array;
  array->release = nullptr;
  if (type == nullptr) return Status::InvalidArgument("ImportArray: null type");
  ArrayImporter importer(owner);
  SILT_ASSIGN_OR_RETURN(auto data, importer.Import(&owner->array, type, 0));
  owner.reset();  // the buffers hold it now (or nothing does, and it is released here)
  SILT_ASSIGN_OR_RETURN(auto result, MakeArray(std::move(data)));
  Status st = result->Validate();
  if (!st.ok()) return st.WithContext("imported Arrow array");
  return result;
}

Result<ArrayPtr> ImportArray(ArrowArray* array, ArrowSchema* schema) {
  auto type = ImportType(schema);
  if (!type.ok()) {
    ReleaseIfLive(array);
    return type.status();
  }
  return ImportArray(array, *type);
}

Result<RecordBatchPtr> ImportRecordBatch(ArrowArray* array, const SchemaPtr& schema) {
  if (schema == nullptr) {
    ReleaseIfLive(array);
    return Status::InvalidArgument("ImportRecordBatch: null schema");
  }
  SILT_ASSIGN_OR_RETURN(auto struct_array, ImportArray(array, schema->ToStruct()));
  return RecordBatch::FromStructArray(struct_array, schema->metadata());
}

Result<RecordBatchPtr> ImportRecordBatch(ArrowArray* array, ArrowSchema* schema) {
  auto imported = ImportSchema(schema);
  if (!imported.ok()) {
    ReleaseIfLive(array);
    return imported.status();
  }
  return ImportRecordBatch(array, *imported);
}

}  // namespace silt::columnar
