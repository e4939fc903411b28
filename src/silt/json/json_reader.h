// JSON reading for the Delta log: one document per call (a commit line, _last_checkpoint, a
// stats string), parsed with simdjson's DOM API through its error-code interface (never its
// exceptions). Typed accessors turn every shape problem into a kCorruption Status whose message
// names the offending field by its dotted path, e.g. "add.deletionVector.offset: expected an
// integer, got string".
//
// simdjson stays out of this header: Value and Object carry the 16-byte DOM element by value in
// opaque storage, so including this header costs nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/base/status.h"

namespace silt::json {

enum class Type : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

// "null", "boolean", "integer", "number", "string", "array", "object".
std::string_view TypeName(Type type);

class Object;

namespace internal {
// Opaque storage for a simdjson::dom::element (a document pointer and a tape index).
struct ElementStorage {
  alignas(8) std::array<std::byte, 16> bytes{};
};
}  // namespace internal

// Where a value sits in its document, for error messages: a chain of field names up to the
// root. Each link lives in the Object that handed out the child, so a Value or Object must not
// outlive the Object it was obtained from (nor the Parser that produced the document).
struct PathLink {
  const PathLink* parent = nullptr;
  std::string_view name;
  // For array elements: the index, rendered "[i]" (name is unused then).
  int64_t index = -1;
  // Renders "a.b[2].c"; "<root>" for the document itself.
  std::string ToString() const;
};

// One JSON value inside a parsed document. Cheap to copy. Valid while the Parser that produced
// it neither parses again nor is destroyed, and while the Object it came from is alive.
class Value {
 public:
  Type type() const;
  bool is_null() const { return type() == Type::kNull; }

  // Each conversion fails with kCorruption "<path>: expected <what>, got <type>".
  Result<std::string_view> AsString() const;
  // Exact 64-bit integer; a fraction, an exponent form or a value beyond int64 is an error.
  Result<int64_t> AsInt64() const;
  // Any JSON number.
  Result<double> AsDouble() const;
  Result<bool> AsBool() const;
  Result<Object> AsObject() const;
  // An array whose elements are all strings.
  Result<std::vector<std::string>> AsStringArray() const;
  // Number of elements of an array (kCorruption when not an array).
  Result<size_t> ArraySize() const;
  // Calls fn(index, element) for each element of an array, in order; stops at the first error
  // it returns. kCorruption when this is not an array. Elements' paths read "<path>[i]".
  template <typename Fn>
  Status ForEachElement(Fn&& fn) const;

  // The value re-serialized as compact JSON (numbers in simdjson's shortest round-trip form).
  std::string ToJson() const;

  // The dotted path of this value, for messages.
  std::string path() const { return link_.ToString(); }

 private:
  friend class Object;
  friend class Parser;
  Value(internal::ElementStorage element, PathLink link) : element_(element), link_(link) {}
  Status TypeError(std::string_view expected) const;
  // The elements of an array (their links point at this value's link).
  Result<std::vector<Value>> Elements() const;

  internal::ElementStorage element_;
  PathLink link_;
};

// A JSON object. Field accessors come in two kinds:
//   Get*(field)          the field is required: absent or null -> kCorruption
//                        "<path>.<field>: required field is missing" (or "... is null");
//   GetOptional*(field)  absent or null -> std::nullopt (Delta treats both the same).
// A present field of the wrong type is always kCorruption naming the field and both types.
// Field lookup is a linear scan (action objects have a handful of fields); with duplicate keys
// the first one wins.
class Object {
 public:
  // True when the field is present and not null.
  bool Has(std::string_view field) const;
  // The field as a Value; std::nullopt when absent (null is returned as a null Value).
  std::optional<Value> Find(std::string_view field) const;

  Result<std::string_view> GetString(std::string_view field) const;
  Result<std::optional<std::string_view>> GetOptionalString(std::string_view field) const;
  Result<int64_t> GetInt64(std::string_view field) const;
  Result<std::optional<int64_t>> GetOptionalInt64(std::string_view field) const;
  Result<bool> GetBool(std::string_view field) const;
  Result<std::optional<bool>> GetOptionalBool(std::string_view field) const;
  Result<Object> GetObject(std::string_view field) const;
  Result<std::optional<Object>> GetOptionalObject(std::string_view field) const;
  Result<std::vector<std::string>> GetStringArray(std::string_view field) const;
  Result<std::optional<std::vector<std::string>>> GetOptionalStringArray(
      std::string_view field) const;

  // An object of string (or null) values, e.g. add.partitionValues: null values are kept as
  // std::nullopt. Required: absent or null is kCorruption.
  Result<std::map<std::string, std::optional<std::string>>> GetNullableStringMap(
      std::string_view field) const;
  // An object of string values, e.g. metaData.configuration or add.tags. Absent or null gives an
  // empty map; a key whose value is null is left out (Delta reads it as unset).
  Result<std::map<std::string, std::string>> GetOptionalStringMap(std::string_view field) const;

  // Number of fields, and the i-th field's key and value in document order.
  size_t size() const;
  // Calls fn(key, value) for each field in document order; stops at the first error it returns.
  template <typename Fn>
  Status ForEachField(Fn&& fn) const;

  // The object re-serialized as compact JSON.
  std::string ToJson() const;
  std::string path() const { return link_.ToString(); }
  // The dotted path of a field of this object ("add.size"), for messages.
  std::string FieldPath(std::string_view field) const {
    return PathLink{&link_, field}.ToString();
  }

 private:
  friend class Value;
  friend class Parser;
  Object(internal::ElementStorage element, PathLink link) : element_(element), link_(link) {}

  // The field's value, or nullopt when absent or null.
  std::optional<Value> FindNonNull(std::string_view field) const;
  Status Missing(std::string_view field, bool is_null) const;
  // Fields as (key, value) pairs in document order.
  std::vector<std::pair<std::string_view, Value>> Fields() const;

  internal::ElementStorage element_;
  PathLink link_;
};

template <typename Fn>
Status Value::ForEachElement(Fn&& fn) const {
  SILT_ASSIGN_OR_RETURN(std::vector<Value> elements, Elements());
  for (size_t i = 0; i < elements.size(); ++i) {
    Status s = fn(i, elements[i]);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

template <typename Fn>
Status Object::ForEachField(Fn&& fn) const {
  for (auto& [key, value] : Fields()) {
    Status s = fn(key, value);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

// Parses JSON documents. Reuses its buffers across calls, so keep one per thread and call it
// for every line of a file. Not thread-safe. Values handed out by one Parse call become invalid
// at the next call.
class Parser {
 public:
  Parser();
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // kCorruption "invalid JSON: <reason>" when `json` is not exactly one well-formed JSON value
  // (surrounding whitespace allowed). Invalid UTF-8 inside strings is kCorruption too.
  Result<Value> Parse(std::string_view json);
  // As Parse, and the document must be an object (kCorruption otherwise).
  Result<Object> ParseObject(std::string_view json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace silt::json
