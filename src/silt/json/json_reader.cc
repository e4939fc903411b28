#include "silt/json/json_reader.h"

#include <cstring>
#include <iterator>
#include <type_traits>
#include <utility>

#include <simdjson.h>

namespace silt::json {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

static_assert(sizeof(element) == sizeof(internal::ElementStorage::bytes),
              "ElementStorage must hold a simdjson::dom::element exactly");
static_assert(std::is_trivially_copyable_v<element>);

element Unwrap(const internal::ElementStorage& storage) {
  element e;
  std::memcpy(static_cast<void*>(&e), storage.bytes.data(), sizeof(e));
  return e;
}

internal::ElementStorage Wrap(const element& e) {
  internal::ElementStorage storage;
  std::memcpy(storage.bytes.data(), static_cast<const void*>(&e), sizeof(e));
  return storage;
}

Type TypeOf(const element& e) {
  switch (e.type()) {
    case element_type::ARRAY: return Type::kArray;
    case element_type::OBJECT: return Type::kObject;
    case element_type::INT64: return Type::kInt;
    case element_type::UINT64: return Type::kInt;
    case element_type::DOUBLE: return Type::kDouble;
    case element_type::STRING: return Type::kString;
    case element_type::BOOL: return Type::kBool;
    case element_type::NULL_VALUE: return Type::kNull;
  }
  return Type::kNull;
}

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return "boolean";
    case Type::kInt: return "integer";
    case Type::kDouble: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
  }
  return "unknown";
}

std::string PathLink::ToString() const {
  std::vector<const PathLink*> links;
  for (const PathLink* link = this; link != nullptr; link = link->parent) {
    if (!link->name.empty() || link->index >= 0) links.push_back(link);
  }
  if (links.empty()) return "<root>";
  std::string out;
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    if ((*it)->index >= 0) {
      // Array indexes attach without a dot.
      fmt::format_to(std::back_inserter(out), "[{}]", (*it)->index);
    } else {
      if (!out.empty()) out.push_back('.');
      out.append((*it)->name);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value

Type Value::type() const { return TypeOf(Unwrap(element_)); }

Status Value::TypeError(std::string_view expected) const {
  return Status::Corruption("{}: expected {}, got {}", path(), expected, TypeName(type()));
}

Result<std::string_view> Value::AsString() const {
  std::string_view out;
  if (Unwrap(element_).get_string().get(out) != simdjson::SUCCESS) return TypeError("a string");
  return out;
}

Result<int64_t> Value::AsInt64() const {
  element e = Unwrap(element_);
  int64_t out = 0;
  if (e.type() == element_type::UINT64) {
    return Status::Corruption("{}: integer {} is out of the 64-bit signed range", path(),
                              ToJson());
  }
  if (e.get_int64().get(out) != simdjson::SUCCESS) return TypeError("an integer");
  return out;
}

Result<double> Value::AsDouble() const {
  double out = 0;
  if (Unwrap(element_).get_double().get(out) != simdjson::SUCCESS) return TypeError("a number");
  return out;
}

Result<bool> Value::AsBool() const {
  bool out = false;
  if (Unwrap(element_).get_bool().get(out) != simdjson::SUCCESS) return TypeError("a boolean");
  return out;
}

Result<Object> Value::AsObject() const {
  if (Unwrap(element_).type() != element_type::OBJECT) return TypeError("an object");
  return Object(element_, link_);
}

Result<size_t> Value::ArraySize() const {
  simdjson::dom::array array;
  if (Unwrap(element_).get_array().get(array) != simdjson::SUCCESS) return TypeError("an array");
  return array.size();
}

Result<std::vector<std::string>> Value::AsStringArray() const {
  simdjson::dom::array array;
  if (Unwrap(element_).get_array().get(array) != simdjson::SUCCESS) {
    return TypeError("an array of strings");
  }
  std::vector<std::string> out;
  out.reserve(array.size());
  size_t index = 0;
  for (element item : array) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) {
      return Status::Corruption("{}[{}]: expected a string, got {}", path(), index,
                                TypeName(TypeOf(item)));
    }
    out.emplace_back(s);
    ++index;
  }
  return out;
}

Result<std::vector<Value>> Value::Elements() const {
  simdjson::dom::array array;
  if (Unwrap(element_).get_array().get(array) != simdjson::SUCCESS) return TypeError("an array");
  std::vector<Value> out;
  out.reserve(array.size());
  int64_t index = 0;
  for (element item : array) {
    out.push_back(Value(Wrap(item), PathLink{&link_, {}, index++}));
  }
  return out;
}

std::string Value::ToJson() const { return simdjson::minify(Unwrap(element_)); }

// ---------------------------------------------------------------------------------------------
// Object

std::optional<Value> Object::Find(std::string_view field) const {
  simdjson::dom::object object;
  if (Unwrap(element_).get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  element child;
  if (object.at_key(field).get(child) != simdjson::SUCCESS) return std::nullopt;
  return Value(Wrap(child), PathLink{&link_, field});
}

std::optional<Value> Object::FindNonNull(std::string_view field) const {
  std::optional<Value> value = Find(field);
  if (value.has_value() && value->is_null()) return std::nullopt;
  return value;
}

bool Object::Has(std::string_view field) const { return FindNonNull(field).has_value(); }

Status Object::Missing(std::string_view field, bool is_null) const {
  return Status::Corruption("{}: required field is {}", FieldPath(field),
                            is_null ? "null" : "missing");
}

#define SILT_JSON_REQUIRED_GETTER(Name, Type, As)                         \
  Result<Type> Object::Get##Name(std::string_view field) const {         \
    std::optional<Value> value = Find(field);                            \
    if (!value.has_value() || value->is_null()) {                        \
      return Missing(field, value.has_value());                          \
    }                                                                    \
    return value->As();                                                  \
  }                                                                      \
  Result<std::optional<Type>> Object::GetOptional##Name(std::string_view field) const { \
    std::optional<Value> value = FindNonNull(field);                     \
    if (!value.has_value()) return std::optional<Type>();                \
    SILT_ASSIGN_OR_RETURN(Type out, value->As());                        \
    return std::optional<Type>(std::move(out));                          \
  }

SILT_JSON_REQUIRED_GETTER(String, std::string_view, AsString)
SILT_JSON_REQUIRED_GETTER(Int64, int64_t, AsInt64)
SILT_JSON_REQUIRED_GETTER(Bool, bool, AsBool)
SILT_JSON_REQUIRED_GETTER(Object, Object, AsObject)
SILT_JSON_REQUIRED_GETTER(StringArray, std::vector<std::string>, AsStringArray)
#undef SILT_JSON_REQUIRED_GETTER

Result<std::map<std::string, std::optional<std::string>>> Object::GetNullableStringMap(
    std::string_view field) const {
  SILT_ASSIGN_OR_RETURN(Object map, GetObject(field));
  std::map<std::string, std::optional<std::string>> out;
  Status status = map.ForEachField([&](std::string_view key, const Value& value) -> Status {
    if (value.is_null()) {
      out.emplace(std::string(key), std::nullopt);
      return Status::OK();
    }
    SILT_ASSIGN_OR_RETURN(std::string_view s, value.AsString());
    out.emplace(std::string(key), std::string(s));
    return Status::OK();
  });
  SILT_RETURN_NOT_OK(status);
  return out;
}

Result<std::map<std::string, std::string>> Object::GetOptionalStringMap(
    std::string_view field) const {
  std::map<std::string, std::string> out;
  SILT_ASSIGN_OR_RETURN(std::optional<Object> map, GetOptionalObject(field));
  if (!map.has_value()) return out;
  Status status = map->ForEachField([&](std::string_view key, const Value& value) -> Status {
    if (value.is_null()) return Status::OK();
    SILT_ASSIGN_OR_RETURN(std::string_view s, value.AsString());
    out.emplace(std::string(key), std::string(s));
    return Status::OK();
  });
  SILT_RETURN_NOT_OK(status);
  return out;
}

size_t Object::size() const {
  simdjson::dom::object object;
  if (Unwrap(element_).get_object().get(object) != simdjson::SUCCESS) return 0;
  return object.size();
}

std::vector<std::pair<std::string_view, Value>> Object::Fields() const {
  std::vector<std::pair<std::string_view, Value>> out;
  simdjson::dom::object object;
  if (Unwrap(element_).get_object().get(object) != simdjson::SUCCESS) return out;
  out.reserve(object.size());
  for (simdjson::dom::key_value_pair kv : object) {
    // The key's bytes live in the parser's document, so the link's name stays valid as long as
    // the value does.
    out.emplace_back(kv.key, Value(Wrap(kv.value), PathLink{&link_, kv.key}));
  }
  return out;
}

std::string Object::ToJson() const { return simdjson::minify(Unwrap(element_)); }

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser::Impl {
  simdjson::dom::parser parser;
};

Parser::Parser() : impl_(std::make_unique<Impl>()) {}
Parser::~Parser() = default;

Result<Value> Parser::Parse(std::string_view json) {
  element root;
  // realloc_if_needed: simdjson copies the input into its own padded buffer (reused across
  // calls), so `json` needs no padding and may be a slice of a larger buffer.
  simdjson::error_code error = impl_->parser.parse(json.data(), json.size(), true).get(root);
  if (error != simdjson::SUCCESS) {
    return Status::Corruption("invalid JSON: {}", simdjson::error_message(error));
  }
  return Value(Wrap(root), PathLink{});
}

Result<Object> Parser::ParseObject(std::string_view json) {
  SILT_ASSIGN_OR_RETURN(Value value, Parse(json));
  if (value.type() != Type::kObject) {
    return Status::Corruption("invalid JSON: expected an object, got {}",
                              TypeName(value.type()));
  }
  return Object(value.element_, PathLink{});
}

}  // namespace silt::json
