#include "silt/columnar/pretty.h"

#include "silt/base/calendar.h"

#include <cmath>

#include <fmt/format.h>

namespace silt::columnar {

namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          *out += fmt::format("\\u{:04x}", c);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void AppendBase64(std::string_view bytes, std::string* out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out->push_back(kAlphabet[(n >> 18) & 63]);
    out->push_back(kAlphabet[(n >> 12) & 63]);
    out->push_back(kAlphabet[(n >> 6) & 63]);
    out->push_back(kAlphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = at(i) << 16;
    out->push_back(kAlphabet[(n >> 18) & 63]);
    out->push_back(kAlphabet[(n >> 12) & 63]);
    *out += "==";
  } else if (rest == 2) {
    uint32_t n = (at(i) << 16) | (at(i + 1) << 8);
    out->push_back(kAlphabet[(n >> 18) & 63]);
    out->push_back(kAlphabet[(n >> 12) & 63]);
    out->push_back(kAlphabet[(n >> 6) & 63]);
    out->push_back('=');
  }
}

template <typename T>
void AppendFloat(T v, std::string* out) {
  if (std::isnan(v)) {
    *out += "\"NaN\"";
  } else if (std::isinf(v)) {
    *out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    std::string text = fmt::format("{}", v);
    // Keep floats recognizable: 1 -> 1.0 (but not 1e+20).
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    *out += text;
  }
}

void AppendValue(const Array& array, int64_t i, std::string* out);

void AppendMapKey(const Array& keys, int64_t i, std::string* out) {
  std::string text;
  AppendValue(keys, i, &text);
  if (!text.empty() && text[0] == '"') {
    *out += text;
  } else {
    AppendJsonString(text, out);
  }
}

void AppendValue(const Array& array, int64_t i, std::string* out) {
  if (array.IsNull(i)) {
    *out += "null";
    return;
  }
  switch (array.type_id()) {
    case TypeId::kBoolean:
      *out += static_cast<const BooleanArray&>(array).Value(i) ? "true" : "false";
      break;
    case TypeId::kInt8:
      fmt::format_to(std::back_inserter(*out), "{}", static_cast<const Int8Array&>(array).Value(i));
      break;
    case TypeId::kInt16:
      fmt::format_to(std::back_inserter(*out), "{}",
                     static_cast<const Int16Array&>(array).Value(i));
      break;
    case TypeId::kInt32:
      fmt::format_to(std::back_inserter(*out), "{}",
                     static_cast<const Int32Array&>(array).Value(i));
      break;
    case TypeId::kInt64:
      fmt::format_to(std::back_inserter(*out), "{}",
                     static_cast<const Int64Array&>(array).Value(i));
      break;
    case TypeId::kFloat32:
      AppendFloat(static_cast<const Float32Array&>(array).Value(i), out);
      break;
    case TypeId::kFloat64:
      AppendFloat(static_cast<const Float64Array&>(array).Value(i), out);
      break;
    case TypeId::kDecimal: {
      const auto& decimals = static_cast<const DecimalArray&>(array);
      *out += decimals.Value(i).ToString(decimals.scale());
      break;
    }
    case TypeId::kString:
      AppendJsonString(static_cast<const BinaryArray&>(array).GetView(i), out);
      break;
    case TypeId::kBinary:
      out->push_back('"');
      AppendBase64(static_cast<const BinaryArray&>(array).GetView(i), out);
      out->push_back('"');
      break;
    case TypeId::kDate:
      *out += '"' + FormatDate(static_cast<const DateArray&>(array).Value(i)) + '"';
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      *out += '"' +
              FormatTimestampMicros(static_cast<const TimestampArray&>(array).Value(i),
                                    array.type_id() == TypeId::kTimestamp) +
              '"';
      break;
    case TypeId::kStruct: {
      const auto& st = static_cast<const StructArray&>(array);
      const auto& fields = AsStruct(*array.type()).fields();
      out->push_back('{');
      for (int f = 0; f < st.num_fields(); ++f) {
        if (f > 0) out->push_back(',');
        AppendJsonString(fields[f].name(), out);
        out->push_back(':');
        AppendValue(*st.raw_field(f), st.offset() + i, out);
      }
      out->push_back('}');
      break;
    }
    case TypeId::kList: {
      const auto& list = static_cast<const ListArray&>(array);
      out->push_back('[');
      for (int32_t k = list.value_offset(i); k < list.value_offset(i + 1); ++k) {
        if (k > list.value_offset(i)) out->push_back(',');
        AppendValue(*list.values(), k, out);
      }
      out->push_back(']');
      break;
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const MapArray&>(array);
      int64_t base = map.entries()->offset();
      out->push_back('{');
      for (int32_t k = map.value_offset(i); k < map.value_offset(i + 1); ++k) {
        if (k > map.value_offset(i)) out->push_back(',');
        AppendMapKey(*map.keys(), base + k, out);
        out->push_back(':');
        AppendValue(*map.items(), base + k, out);
      }
      out->push_back('}');
      break;
    }
  }
}

}  // namespace

std::string FormatDate(int32_t days) { return ::silt::FormatDate(days); }

std::string FormatTimestampMicros(int64_t micros, bool utc) {
  constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
  int64_t days = micros / kMicrosPerDay;
  int64_t rem = micros % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    days -= 1;
  }
  int64_t secs = rem / 1000000;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:06d}{}", ::silt::FormatDate(days), secs / 3600,
                     secs / 60 % 60, secs % 60, rem % 1000000, utc ? "Z" : "");
}

std::string ValueToJson(const Array& array, int64_t i) {
  std::string out;
  AppendValue(array, i, &out);
  return out;
}

std::string ArrayToJson(const Array& array) {
  std::string out = "[";
  for (int64_t i = 0; i < array.length(); ++i) {
    if (i > 0) out.push_back(',');
    AppendValue(array, i, &out);
  }
  out.push_back(']');
  return out;
}

std::string RecordBatchToJsonLines(const RecordBatch& batch) {
  std::string out;
  const Schema& schema = *batch.schema();
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    out.push_back('{');
    for (int c = 0; c < batch.num_columns(); ++c) {
      if (c > 0) out.push_back(',');
      AppendJsonString(schema.field(c).name(), &out);
      out.push_back(':');
      AppendValue(*batch.column(c), row, &out);
    }
    out += "}\n";
  }
  return out;
}

}  // namespace silt::columnar
