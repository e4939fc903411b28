#include "silt/base/calendar.h"
#include "silt/columnar/from_json.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "silt/columnar/builder.h"

namespace silt::columnar {

namespace {

constexpr int kMaxJsonDepth = 64;

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;  // the number's raw text, or the decoded string
  std::vector<JsonValue> items;  // array elements, or object member values
  std::vector<std::string> names;  // object member names, parallel to items
  size_t position = 0;  // byte offset in the input, for messages
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view input) : in_(input) {}

  Result<JsonValue> ParseDocument() {
    SILT_ASSIGN_OR_RETURN(auto value, ParseValue(0));
    SkipSpace();
    if (pos_ != in_.size()) return Error("trailing characters");
    return value;
  }

 private:
  Status Error(std::string_view what) const {
    return Status::InvalidArgument("invalid JSON at byte {}: {}", pos_, what);
  }

  void SkipSpace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\n' || in_[pos_] == '\r' || in_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view literal) {
    if (in_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  Result<JsonValue> ParseValue(int depth) {
    if (depth > kMaxJsonDepth) return Error("nested too deeply");
    SkipSpace();
    JsonValue value;
    value.position = pos_;
    if (pos_ >= in_.size()) return Error("unexpected end of input");
    char c = in_[pos_];
    if (c == 'n' && Consume("null")) return value;
    if (c == 't' && Consume("true")) {
      value.kind = JsonValue::Kind::kBool;
      value.boolean = true;
      return value;
    }
    if (c == 'f' && Consume("false")) {
      value.kind = JsonValue::Kind::kBool;
      return value;
    }
    if (c == '"') {
      value.kind = JsonValue::Kind::kString;
      SILT_ASSIGN_OR_RETURN(value.text, ParseString());
      return value;
    }
    if (c == '[') {
      value.kind = JsonValue::Kind::kArray;
      ++pos_;
      SkipSpace();
      if (pos_ < in_.size() && in_[pos_] == ']') {
        ++pos_;
        return value;
      }
      while (true) {
        SILT_ASSIGN_OR_RETURN(auto item, ParseValue(depth + 1));
        value.items.push_back(std::move(item));
        SkipSpace();
        if (pos_ < in_.size() && in_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < in_.size() && in_[pos_] == ']') {
          ++pos_;
          return value;
        }
        return Error("expected ',' or ']'");
      }
    }
    if (c == '{') {
      value.kind = JsonValue::Kind::kObject;
      ++pos_;
      SkipSpace();
      if (pos_ < in_.size() && in_[pos_] == '}') {
        ++pos_;
        return value;
      }
      while (true) {
        SkipSpace();
        if (pos_ >= in_.size() || in_[pos_] != '"') return Error("expected a member name");
        SILT_ASSIGN_OR_RETURN(auto name, ParseString());
        SkipSpace();
        if (pos_ >= in_.size() || in_[pos_] != ':') return Error("expected ':'");
        ++pos_;
        SILT_ASSIGN_OR_RETURN(auto member, ParseValue(depth + 1));
        value.names.push_back(std::move(name));
        value.items.push_back(std::move(member));
        SkipSpace();
        if (pos_ < in_.size() && in_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < in_.size() && in_[pos_] == '}') {
          ++pos_;
          return value;
        }
        return Error("expected ',' or '}'");
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      value.kind = JsonValue::Kind::kNumber;
      size_t start = pos_;
      if (in_[pos_] == '-') ++pos_;
      auto digits = [&] {
        size_t before = pos_;
        while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
        return pos_ > before;
      };
      if (!digits()) return Error("malformed number");
      if (pos_ < in_.size() && in_[pos_] == '.') {
        ++pos_;
        if (!digits()) return Error("malformed number");
      }
      if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
        if (!digits()) return Error("malformed number");
      }
      value.text = std::string(in_.substr(start, pos_ - start));
      return value;
    }
    return Error("unexpected character");
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  Result<uint32_t> ParseHex4() {
    if (pos_ + 4 > in_.size()) return Error("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = in_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
      else return Error("bad \\u escape");
    }
    return v;
  }

  Result<std::string> ParseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= in_.size()) return Error("unterminated string");
      char c = in_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= in_.size()) return Error("unterminated escape");
      char e = in_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          SILT_ASSIGN_OR_RETURN(uint32_t cp, ParseHex4());
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!Consume("\\u")) return Error("unpaired surrogate");
            SILT_ASSIGN_OR_RETURN(uint32_t low, ParseHex4());
            if (low < 0xDC00 || low > 0xDFFF) return Error("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Error("unpaired surrogate");
          }
          AppendUtf8(cp, &out);
          break;
        }
        default: return Error("bad escape");
      }
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Scalars

bool ParseFixedDigits(std::string_view text, size_t pos, size_t n, int64_t* out) {
  if (pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Parses "YYYY-MM-DD" at the start of text into days; sets *consumed.
Result<int64_t> ParseDatePrefix(std::string_view text, std::string_view whole) {
  int64_t y, m, d;
  if (!ParseFixedDigits(text, 0, 4, &y) || text.size() < 10 || text[4] != '-' ||
      !ParseFixedDigits(text, 5, 2, &m) || text[7] != '-' || !ParseFixedDigits(text, 8, 2, &d)) {
    return Status::InvalidArgument("invalid date '{}', expected YYYY-MM-DD", whole);
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0)) {
    return Status::InvalidArgument("invalid date '{}': no such day", whole);
  }
  return ::silt::DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

template <typename T>
Result<T> ParseInteger(const JsonValue& v) {
  if (v.kind != JsonValue::Kind::kNumber) {
    return Status::InvalidArgument("expected an integer at byte {}", v.position);
  }
  int64_t parsed = 0;
  auto [ptr, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), parsed);
  if (ec != std::errc() || ptr != v.text.data() + v.text.size() ||
      parsed < std::numeric_limits<T>::min() || parsed > std::numeric_limits<T>::max()) {
    return Status::InvalidArgument("'{}' at byte {} is not an integer in range", v.text,
                                   v.position);
  }
  return static_cast<T>(parsed);
}

Result<double> ParseFloating(const JsonValue& v) {
  if (v.kind == JsonValue::Kind::kString) {
    if (v.text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (v.text == "Infinity") return std::numeric_limits<double>::infinity();
    if (v.text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  if (v.kind != JsonValue::Kind::kNumber) {
    return Status::InvalidArgument("expected a number at byte {}", v.position);
  }
  double parsed = 0;
  auto [ptr, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), parsed);
  if (ec != std::errc() || ptr != v.text.data() + v.text.size()) {
    return Status::InvalidArgument("'{}' at byte {} is not a number in range", v.text,
                                   v.position);
  }
  return parsed;
}

Result<std::string> DecodeBase64(std::string_view text, size_t position) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) {
    return Status::InvalidArgument("invalid base64 at byte {}: length not a multiple of 4",
                                   position);
  }
  std::string out;
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      v[k] = pad > 0 ? -1 : value_of(c);
      if (v[k] < 0) return Status::InvalidArgument("invalid base64 at byte {}", position);
    }
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values into builders

Status AppendJson(ArrayBuilder* builder, const JsonValue& v);

Status ExpectKind(const JsonValue& v, JsonValue::Kind kind, std::string_view what) {
  if (v.kind != kind) {
    return Status::InvalidArgument("expected {} at byte {}", what, v.position);
  }
  return Status::OK();
}

Status AppendMapKey(ArrayBuilder* keys, const std::string& name, size_t position) {
  switch (keys->type()->id()) {
    case TypeId::kString:
      return static_cast<StringBuilder*>(keys)->Append(name);
    default: {
      // Reparse the member name as a JSON value of the key type: "7" -> 7, "2024-01-01" stays
      // a string for dates.
      JsonValue key;
      key.position = position;
      bool numeric = !name.empty() && (name[0] == '-' || (name[0] >= '0' && name[0] <= '9'));
      key.kind = numeric && keys->type()->id() != TypeId::kDate &&
                         keys->type()->id() != TypeId::kTimestamp &&
                         keys->type()->id() != TypeId::kTimestampNtz &&
                         keys->type()->id() != TypeId::kBinary
                     ? JsonValue::Kind::kNumber
                     : JsonValue::Kind::kString;
      if (keys->type()->id() == TypeId::kBoolean && (name == "true" || name == "false")) {
        key.kind = JsonValue::Kind::kBool;
        key.boolean = name == "true";
      }
      key.text = name;
      return AppendJson(keys, key);
    }
  }
}

Status AppendJson(ArrayBuilder* builder, const JsonValue& v) {
  if (v.kind == JsonValue::Kind::kNull) return builder->AppendNull();
  const DataType& type = *builder->type();
  switch (type.id()) {
    case TypeId::kBoolean:
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kBool, "true or false"));
      return static_cast<BooleanBuilder*>(builder)->Append(v.boolean);
    case TypeId::kInt8: {
      SILT_ASSIGN_OR_RETURN(auto x, ParseInteger<int8_t>(v));
      return static_cast<Int8Builder*>(builder)->Append(x);
    }
    case TypeId::kInt16: {
      SILT_ASSIGN_OR_RETURN(auto x, ParseInteger<int16_t>(v));
      return static_cast<Int16Builder*>(builder)->Append(x);
    }
    case TypeId::kInt32: {
      SILT_ASSIGN_OR_RETURN(auto x, ParseInteger<int32_t>(v));
      return static_cast<Int32Builder*>(builder)->Append(x);
    }
    case TypeId::kInt64: {
      SILT_ASSIGN_OR_RETURN(auto x, ParseInteger<int64_t>(v));
      return static_cast<Int64Builder*>(builder)->Append(x);
    }
    case TypeId::kFloat32: {
      SILT_ASSIGN_OR_RETURN(double x, ParseFloating(v));
      return static_cast<Float32Builder*>(builder)->Append(static_cast<float>(x));
    }
    case TypeId::kFloat64: {
      SILT_ASSIGN_OR_RETURN(double x, ParseFloating(v));
      return static_cast<Float64Builder*>(builder)->Append(x);
    }
    case TypeId::kDecimal: {
      if (v.kind != JsonValue::Kind::kNumber && v.kind != JsonValue::Kind::kString) {
        return Status::InvalidArgument("expected a decimal at byte {}", v.position);
      }
      const auto& dec = AsDecimal(type);
      SILT_ASSIGN_OR_RETURN(auto x, Decimal128::FromString(v.text, dec.precision(), dec.scale()));
      return static_cast<DecimalBuilder*>(builder)->Append(x);
    }
    case TypeId::kString:
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kString, "a string"));
      return static_cast<BinaryBuilder*>(builder)->Append(v.text);
    case TypeId::kBinary: {
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kString, "a base64 string"));
      SILT_ASSIGN_OR_RETURN(auto bytes, DecodeBase64(v.text, v.position));
      return static_cast<BinaryBuilder*>(builder)->Append(bytes);
    }
    case TypeId::kDate: {
      if (v.kind == JsonValue::Kind::kNumber) {
        SILT_ASSIGN_OR_RETURN(auto days, ParseInteger<int32_t>(v));
        return static_cast<DateBuilder*>(builder)->Append(days);
      }
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kString, "a date"));
      SILT_ASSIGN_OR_RETURN(auto days, ParseDate(v.text));
      return static_cast<DateBuilder*>(builder)->Append(days);
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      if (v.kind == JsonValue::Kind::kNumber) {
        SILT_ASSIGN_OR_RETURN(auto micros, ParseInteger<int64_t>(v));
        return static_cast<TimestampBuilder*>(builder)->Append(micros);
      }
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kString, "a timestamp"));
      SILT_ASSIGN_OR_RETURN(auto micros, ParseTimestampMicros(v.text));
      return static_cast<TimestampBuilder*>(builder)->Append(micros);
    }
    case TypeId::kStruct: {
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kObject, "an object"));
      auto* st = static_cast<StructBuilder*>(builder);
      const auto& fields = AsStruct(type).fields();
      std::vector<const JsonValue*> by_field(fields.size(), nullptr);
      for (size_t m = 0; m < v.names.size(); ++m) {
        int i = AsStruct(type).GetFieldIndex(v.names[m]);
        if (i < 0) {
          return Status::InvalidArgument("unknown field '{}' at byte {} for {}", v.names[m],
                                         v.items[m].position, type.ToString());
        }
        by_field[i] = &v.items[m];
      }
      for (size_t i = 0; i < fields.size(); ++i) {
        ArrayBuilder* child = st->field_builder(static_cast<int>(i));
        SILT_RETURN_NOT_OK(by_field[i] ? AppendJson(child, *by_field[i]) : child->AppendNull());
      }
      return st->Append();
    }
    case TypeId::kList: {
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kArray, "an array"));
      auto* list = static_cast<ListBuilder*>(builder);
      SILT_RETURN_NOT_OK(list->Append());
      for (const auto& item : v.items) SILT_RETURN_NOT_OK(AppendJson(list->value_builder(), item));
      return Status::OK();
    }
    case TypeId::kMap: {
      SILT_RETURN_NOT_OK(ExpectKind(v, JsonValue::Kind::kObject, "an object"));
      auto* map = static_cast<MapBuilder*>(builder);
      SILT_RETURN_NOT_OK(map->Append());
      for (size_t m = 0; m < v.names.size(); ++m) {
        SILT_RETURN_NOT_OK(AppendMapKey(map->key_builder(), v.names[m], v.items[m].position));
        SILT_RETURN_NOT_OK(AppendJson(map->item_builder(), v.items[m]));
      }
      return Status::OK();
    }
  }
  return Status::Internal("unknown type");
}

}  // namespace

Result<int32_t> ParseDate(std::string_view text) {
  if (text.size() != 10) {
    return Status::InvalidArgument("invalid date '{}', expected YYYY-MM-DD", text);
  }
  SILT_ASSIGN_OR_RETURN(int64_t days, ParseDatePrefix(text, text));
  return static_cast<int32_t>(days);
}

Result<int64_t> ParseTimestampMicros(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "invalid timestamp '{}', expected YYYY-MM-DDTHH:MM:SS[.ffffff][Z]", text);
  };
  SILT_ASSIGN_OR_RETURN(int64_t days, ParseDatePrefix(text, text));
  int64_t h, mi, s;
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') ||
      !ParseFixedDigits(text, 11, 2, &h) || text[13] != ':' ||
      !ParseFixedDigits(text, 14, 2, &mi) || text[16] != ':' ||
      !ParseFixedDigits(text, 17, 2, &s) || h > 23 || mi > 59 || s > 59) {
    return bad();
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits == 6) return bad();  // sub-microsecond precision would be lost
      micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad();
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return bad();
  return ((days * 24 + h) * 60 + mi) * 60 * 1000000 + s * 1000000 + micros;
}

Result<ArrayPtr> ArrayFromJson(const TypePtr& type, std::string_view json) {
  if (type == nullptr) return Status::InvalidArgument("ArrayFromJson: null type");
  SILT_ASSIGN_OR_RETURN(auto doc, JsonParser(json).ParseDocument());
  if (doc.kind != JsonValue::Kind::kArray) {
    return Status::InvalidArgument("ArrayFromJson expects a JSON array");
  }
  SILT_ASSIGN_OR_RETURN(auto builder, MakeBuilder(type));
  for (size_t i = 0; i < doc.items.size(); ++i) {
    Status st = AppendJson(builder.get(), doc.items[i]);
    if (!st.ok()) return st.WithContext(fmt::format("element {}", i));
  }
  return builder->Finish();
}

Result<RecordBatchPtr> RecordBatchFromJson(const SchemaPtr& schema, std::string_view json) {
  if (schema == nullptr) return Status::InvalidArgument("RecordBatchFromJson: null schema");
  SILT_ASSIGN_OR_RETURN(auto rows, ArrayFromJson(schema->ToStruct(), json));
  return RecordBatch::FromStructArray(rows, schema->metadata());
}

}  // namespace silt::columnar
