#include "silt/json/json_writer.h"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "silt/base/macros.h"

namespace silt::json {

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    const char* escape = nullptr;
    switch (c) {
      case '"': escape = "\\\""; break;
      case '\\': escape = "\\\\"; break;
      case '\b': escape = "\\b"; break;
      case '\f': escape = "\\f"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      case '\t': escape = "\\t"; break;
      default:
        if (c >= 0x20 && c != 0x7F) continue;
        break;
    }
    out->append(s.substr(run_start, i - run_start));
    if (escape != nullptr) {
      out->append(escape);
    } else {
      char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(buf, sizeof(buf));
    }
    run_start = i + 1;
  }
  out->append(s.substr(run_start));
  out->push_back('"');
}

std::string Quote(std::string_view s) {
  std::string out;
  AppendQuoted(&out, s);
  return out;
}

void Writer::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) {
    SILT_DCHECK(out_.empty());  // one document per writer
    return;
  }
  Frame& frame = stack_.back();
  SILT_DCHECK(frame.scope == Scope::kArray);  // inside an object, a value needs a Key first
  if (!frame.empty) out_.push_back(',');
  frame.empty = false;
}

Writer& Writer::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  stack_.push_back({Scope::kObject, true});
  return *this;
}

Writer& Writer::EndObject() {
  SILT_DCHECK(!stack_.empty() && stack_.back().scope == Scope::kObject && !after_key_);
  stack_.pop_back();
  out_.push_back('}');
  return *this;
}

Writer& Writer::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  stack_.push_back({Scope::kArray, true});
  return *this;
}

Writer& Writer::EndArray() {
  SILT_DCHECK(!stack_.empty() && stack_.back().scope == Scope::kArray);
  stack_.pop_back();
  out_.push_back(']');
  return *this;
}

Writer& Writer::Key(std::string_view key) {
  SILT_DCHECK(!stack_.empty() && stack_.back().scope == Scope::kObject && !after_key_);
  Frame& frame = stack_.back();
  if (!frame.empty) out_.push_back(',');
  frame.empty = false;
  AppendQuoted(&out_, key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

Writer& Writer::String(std::string_view value) {
  BeforeValue();
  AppendQuoted(&out_, value);
  return *this;
}

Writer& Writer::Int(int64_t value) {
  BeforeValue();
  fmt::format_to(std::back_inserter(out_), "{}", value);
  return *this;
}

Writer& Writer::Double(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    out_.append("null");
  } else {
    // fmt's default is the shortest round-trip form ("1.5", "1e+300", "0.1").
    fmt::format_to(std::back_inserter(out_), "{}", value);
  }
  return *this;
}

Writer& Writer::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
  return *this;
}

Writer& Writer::Null() {
  BeforeValue();
  out_.append("null");
  return *this;
}

Writer& Writer::RawJson(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

Writer& Writer::Field(std::string_view key, const std::vector<std::string>& values) {
  Key(key).BeginArray();
  for (const std::string& v : values) String(v);
  return EndArray();
}

}  // namespace silt::json
