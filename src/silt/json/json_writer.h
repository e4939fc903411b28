// JSON writing for the Delta log: a small streaming writer producing compact JSON (no
// whitespace), as one commit line must be. Strings are escaped per RFC 8259: '"' and '\\',
// the short escapes \b \f \n \r \t, every other control character below 0x20 and DEL (0x7F) as
// \u00XX. Other bytes, UTF-8 included, are copied unchanged: callers pass UTF-8 text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silt::json {

// Appends `s` to `out` as a quoted, escaped JSON string.
void AppendQuoted(std::string* out, std::string_view s);
// `s` as a quoted, escaped JSON string.
std::string Quote(std::string_view s);

// Builds one JSON document front to back. The caller is responsible for well-formedness
// (a Key before every value inside an object, balanced Begin/End); separators are inserted
// automatically. Misuse is a programmer error caught by SILT_DCHECK in debug builds.
//
//   Writer w;
//   w.BeginObject().Key("add").BeginObject().Field("path", "a.parquet").Field("size", 10)
//    .EndObject().EndObject();
//   w.str() == R"({"add":{"path":"a.parquet","size":10}})"
class Writer {
 public:
  Writer& BeginObject();
  Writer& EndObject();
  Writer& BeginArray();
  Writer& EndArray();
  Writer& Key(std::string_view key);

  Writer& String(std::string_view value);
  Writer& Int(int64_t value);
  // Shortest representation that reads back to the same double. NaN and infinities have no
  // JSON form and are written as null.
  Writer& Double(double value);
  Writer& Bool(bool value);
  Writer& Null();
  // Inserts already-serialized JSON verbatim (e.g. a commitInfo kept as raw JSON).
  Writer& RawJson(std::string_view json);

  // Key + value in one call.
  Writer& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  Writer& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  Writer& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  Writer& Field(std::string_view key, int value) { return Key(key).Int(value); }
  Writer& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  // An array of strings.
  Writer& Field(std::string_view key, const std::vector<std::string>& values);

  const std::string& str() const { return out_; }
  std::string Release() { return std::move(out_); }
  // True when every Begin has been matched by its End.
  bool complete() const { return stack_.empty() && !out_.empty(); }

 private:
  // Writes the separator owed before a new value (or key) and records the value.
  void BeforeValue();

  enum class Scope : uint8_t { kObject, kArray };
  struct Frame {
    Scope scope;
    bool empty;
  };
  std::vector<Frame> stack_;
  bool after_key_ = false;
  std::string out_;
};

}  // namespace silt::json
