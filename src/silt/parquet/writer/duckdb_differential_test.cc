// Differential test against DuckDB: random schemas (flat and nested, every type, nulls, extreme
// values) and random data from fixed seeds are written with FileWriter (every codec, with and
// without dictionary, small page and row-group limits) through LocalFileSystem, read back with
// DuckDB's read_parquet, and compared value by value in DuckDB's JSON rendering. Column
// statistics (per row group, from parquet_metadata) and field ids (parquet_schema) are checked
// against an independent walk over the written values. Skipped when DuckDB cannot be run.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "silt/columnar/builder.h"
#include "silt/fs/local_file_system.h"
#include "silt/parquet/writer/file_writer.h"
#include "testing/duckdb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::parquet {
namespace {

namespace col = silt::columnar;
using col::TypeId;
using Rng = std::mt19937_64;

// ---------------------------------------------------------------------------------------------
// Rendering in DuckDB's JSON shape (tools/duckdb-query.mjs: DuckDBValue.toJson + JSON.stringify)

void JsonEscape(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

// JavaScript's Number.prototype.toString for a finite double.
std::string JsNumber(double v) {
  if (v == 0) return "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  const bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  const size_t e = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  const int k = static_cast<int>(digits.size());
  const int n = std::atoi(s.c_str() + e + 1) + 1;
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  } else {
    out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return negative ? "-" + out : out;
}

void RenderDouble(double v, std::string* out) {
  if (std::isnan(v)) {
    *out += "\"NaN\"";
  } else if (std::isinf(v)) {
    *out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    *out += JsNumber(v);
  }
}

// DuckDB's date text: "2020-01-31", "0002-12-31 (BC)" for year -1. Year 0 is "0001-.. (BC)"
// in DuckDB's own text (statistics) but "0000-.." in the JSON rendering of the node client.
std::string DateText(int64_t days, bool json = false) {
  // Howard Hinnant's civil_from_days.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  const bool bc = json ? y < 0 : y <= 0;
  if (bc) y = 1 - y;
  std::string s = fmt::format("{:04}-{:02}-{:02}", y, m, d);
  if (bc) s += " (BC)";
  return s;
}

std::string TimestampText(int64_t micros, bool json = false) {
  int64_t days = micros / 86400000000LL;
  int64_t rem = micros % 86400000000LL;
  if (rem < 0) {
    rem += 86400000000LL;
    --days;
  }
  std::string s = DateText(days, json);
  const int64_t secs = rem / 1000000;
  const int64_t frac = rem % 1000000;
  s += fmt::format(" {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
  if (frac != 0) {
    std::string f = fmt::format("{:06}", frac);
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

// DuckDB's blob text; its own VARCHAR cast (statistics) also escapes the backslash, the JSON
// rendering of the node client does not.
std::string BlobText(std::string_view b, bool json = true) {
  std::string s;
  for (char ch : b) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 32 || c >= 127 || c == '"' || c == '\'' || (!json && c == '\\')) {
      s += fmt::format("\\x{:02X}", c);
    } else {
      s.push_back(ch);
    }
  }
  return s;
}

std::string DecimalText(const col::DecimalArray& a, int64_t i) {
  return a.Value(i).ToString(a.scale());
}

void RenderJson(const col::Array& a, int64_t i, std::string* out) {
  if (a.IsNull(i)) {
    *out += "null";
    return;
  }
  switch (a.type_id()) {
    case TypeId::kBoolean:
      *out += static_cast<const col::BooleanArray&>(a).Value(i) ? "true" : "false";
      break;
    case TypeId::kInt8:
      *out += std::to_string(static_cast<const col::Int8Array&>(a).Value(i));
      break;
    case TypeId::kInt16:
      *out += std::to_string(static_cast<const col::Int16Array&>(a).Value(i));
      break;
    case TypeId::kInt32:
      *out += std::to_string(static_cast<const col::Int32Array&>(a).Value(i));
      break;
    case TypeId::kInt64:
      *out += "\"" + std::to_string(static_cast<const col::Int64Array&>(a).Value(i)) + "\"";
      break;
    case TypeId::kFloat32:
      RenderDouble(static_cast<const col::Float32Array&>(a).Value(i), out);
      break;
    case TypeId::kFloat64:
      RenderDouble(static_cast<const col::Float64Array&>(a).Value(i), out);
      break;
    case TypeId::kDecimal:
      JsonEscape(DecimalText(static_cast<const col::DecimalArray&>(a), i), out);
      break;
    case TypeId::kString:
      JsonEscape(static_cast<const col::BinaryArray&>(a).GetView(i), out);
      break;
    case TypeId::kBinary:
      JsonEscape(BlobText(static_cast<const col::BinaryArray&>(a).GetView(i)), out);
      break;
    case TypeId::kDate:
      JsonEscape(DateText(static_cast<const col::DateArray&>(a).Value(i), true), out);
      break;
    case TypeId::kTimestamp:
      JsonEscape(TimestampText(static_cast<const col::TimestampArray&>(a).Value(i), true) + "+00",
                 out);
      break;
    case TypeId::kTimestampNtz:
      JsonEscape(TimestampText(static_cast<const col::TimestampArray&>(a).Value(i), true), out);
      break;
    case TypeId::kStruct: {
      const auto& st = static_cast<const col::StructArray&>(a);
      const auto& type = col::AsStruct(*a.type());
      *out += "{";
      for (int k = 0; k < st.num_fields(); ++k) {
        if (k > 0) *out += ",";
        JsonEscape(type.field(k).name(), out);
        *out += ":";
        RenderJson(*st.field(k), i, out);
      }
      *out += "}";
      break;
    }
    case TypeId::kList: {
      const auto& list = static_cast<const col::ListArray&>(a);
      *out += "[";
      for (int32_t j = list.value_offset(i); j < list.value_offset(i + 1); ++j) {
        if (j > list.value_offset(i)) *out += ",";
        RenderJson(*list.values(), j, out);
      }
      *out += "]";
      break;
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const col::MapArray&>(a);
      const auto& entries = static_cast<const col::StructArray&>(*map.entries());
      *out += "[";
      for (int32_t j = map.value_offset(i); j < map.value_offset(i + 1); ++j) {
        if (j > map.value_offset(i)) *out += ",";
        *out += "{\"key\":";
        RenderJson(*entries.field(0), j, out);
        *out += ",\"value\":";
        RenderJson(*entries.field(1), j, out);
        *out += "}";
      }
      *out += "]";
      break;
    }
  }
}

std::string RenderRow(const col::RecordBatch& batch, int64_t row) {
  std::string out = "{";
  for (int c = 0; c < batch.num_columns(); ++c) {
    if (c > 0) out += ",";
    JsonEscape(batch.schema()->field(c).name(), &out);
    out += ":";
    RenderJson(*batch.column(c), row, &out);
  }
  return out + "}";
}

// ---------------------------------------------------------------------------------------------
// Random schemas and data

int Pick(Rng& rng, int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); }
bool Chance(Rng& rng, int percent) { return Pick(rng, 100) < percent; }

col::TypePtr RandomPrimitive(Rng& rng) {
  switch (Pick(rng, 14)) {
    case 0: return col::Boolean();
    case 1: return col::Int8();
    case 2: return col::Int16();
    case 3: return col::Int32();
    case 4: return col::Int64();
    case 5: return col::Float32();
    case 6: return col::Float64();
    case 7: {
      static const int kPrecisions[] = {1, 4, 9, 10, 18, 19, 27, 38};
      const int p = kPrecisions[Pick(rng, 8)];
      return col::Decimal(p, Pick(rng, p + 1));
    }
    case 8: return col::String();
    case 9: return col::Binary();
    case 10: return col::Date();
    case 11: return col::Timestamp();
    case 12: return col::TimestampNtz();
    default: return col::String();
  }
}

col::TypePtr RandomKeyType(Rng& rng) {
  switch (Pick(rng, 4)) {
    case 0: return col::Int32();
    case 1: return col::Int64();
    case 2: return col::Date();
    default: return col::String();
  }
}

col::TypePtr RandomType(Rng& rng, int depth) {
  if (depth >= 3 || !Chance(rng, 35)) return RandomPrimitive(rng);
  switch (Pick(rng, 3)) {
    case 0: {
      std::vector<col::Field> fields;
      const int n = 1 + Pick(rng, 3);
      for (int k = 0; k < n; ++k) {
        fields.emplace_back("f" + std::to_string(k), RandomType(rng, depth + 1), Chance(rng, 75));
      }
      return col::Struct(std::move(fields));
    }
    case 1:
      return col::List(RandomType(rng, depth + 1), Chance(rng, 70));
    default:
      return col::Map(RandomKeyType(rng), RandomType(rng, depth + 1), Chance(rng, 70));
  }
}

__int128 RandomUnscaled(Rng& rng, int precision) {
  __int128 max = 1;
  for (int k = 0; k < precision; ++k) max *= 10;
  --max;
  if (Chance(rng, 10)) return Chance(rng, 50) ? max : -max;
  const int digits = Pick(rng, precision + 1);
  __int128 v = 0;
  for (int k = 0; k < digits; ++k) v = v * 10 + Pick(rng, 10);
  return Chance(rng, 50) ? -v : v;
}

std::string RandomString(Rng& rng) {
  static const char* kSpecial[] = {"", "é", "中文字", "😀", "a\"b", "back\\slash", "tab\there",
                                   "new\nline", "\x01\x1f\x7f", "'quote'"};
  switch (Pick(rng, 6)) {
    case 0: return kSpecial[Pick(rng, 10)];
    case 1: return "v" + std::to_string(Pick(rng, 20));  // dictionary hits
    case 2: {
      if (!Chance(rng, 10)) return "w" + std::to_string(Pick(rng, 500));
      std::string s(static_cast<size_t>(2000 + Pick(rng, 3000)), 'x');
      for (char& c : s) c = static_cast<char>('a' + Pick(rng, 26));
      return s;
    }
    default: {
      std::string s;
      const int n = Pick(rng, 24);
      for (int k = 0; k < n; ++k) s.push_back(static_cast<char>(32 + Pick(rng, 95)));
      return s;
    }
  }
}

template <typename T>
T RandomInt(Rng& rng) {
  switch (Pick(rng, 5)) {
    case 0: {
      const T kExtremes[] = {std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), 0,
                             static_cast<T>(-1)};
      return kExtremes[Pick(rng, 4)];
    }
    case 1:
    case 2:
      return static_cast<T>(Pick(rng, 50) - 25);
    default:
      return static_cast<T>(rng());
  }
}

template <typename T>
T RandomFloat(Rng& rng) {
  using L = std::numeric_limits<T>;
  switch (Pick(rng, 8)) {
    case 0: {
      const T kSpecial[] = {L::quiet_NaN(), L::infinity(), -L::infinity(), T(-0.0), T(0.0),
                            L::max(),       L::lowest(),   L::min(),       L::denorm_min()};
      return kSpecial[Pick(rng, 9)];
    }
    case 1: {
      // Any bit pattern (NaN payloads included).
      if constexpr (sizeof(T) == 4) {
        const uint32_t bits = static_cast<uint32_t>(rng());
        T v;
        std::memcpy(&v, &bits, 4);
        return v;
      } else {
        const uint64_t bits = rng();
        T v;
        std::memcpy(&v, &bits, 8);
        return v;
      }
    }
    case 2:
      return static_cast<T>(Pick(rng, 10)) / 4;
    default:
      return static_cast<T>(std::uniform_real_distribution<double>(-1e6, 1e6)(rng));
  }
}

Status AppendRandom(col::ArrayBuilder* b, const col::DataType& type, bool nullable, Rng& rng);

// A map key of `type` unique within its map (k = entry number).
Status AppendKey(col::ArrayBuilder* b, const col::DataType& type, int k, Rng& rng) {
  switch (type.id()) {
    case TypeId::kInt32:
      return static_cast<col::Int32Builder*>(b)->Append(k * 1000 + Pick(rng, 1000));
    case TypeId::kInt64:
      return static_cast<col::Int64Builder*>(b)->Append(
          static_cast<int64_t>(rng() >> 8) * 4 + k);
    case TypeId::kDate:
      return static_cast<col::DateBuilder*>(b)->Append(k * 5000 + Pick(rng, 5000) - 10000);
    default:
      return static_cast<col::StringBuilder*>(b)->Append("k" + std::to_string(k) +
                                                         RandomString(rng));
  }
}

Status AppendRandom(col::ArrayBuilder* b, const col::DataType& type, bool nullable, Rng& rng) {
  if (nullable && Chance(rng, 12)) return b->AppendNull();
  switch (type.id()) {
    case TypeId::kBoolean:
      return static_cast<col::BooleanBuilder*>(b)->Append(Chance(rng, 50));
    case TypeId::kInt8:
      return static_cast<col::Int8Builder*>(b)->Append(RandomInt<int8_t>(rng));
    case TypeId::kInt16:
      return static_cast<col::Int16Builder*>(b)->Append(RandomInt<int16_t>(rng));
    case TypeId::kInt32:
      return static_cast<col::Int32Builder*>(b)->Append(RandomInt<int32_t>(rng));
    case TypeId::kInt64:
      return static_cast<col::Int64Builder*>(b)->Append(RandomInt<int64_t>(rng));
    case TypeId::kFloat32:
      return static_cast<col::Float32Builder*>(b)->Append(RandomFloat<float>(rng));
    case TypeId::kFloat64:
      return static_cast<col::Float64Builder*>(b)->Append(RandomFloat<double>(rng));
    case TypeId::kDecimal: {
      const __int128 v = RandomUnscaled(rng, col::AsDecimal(type).precision());
      return static_cast<col::DecimalBuilder*>(b)->Append(
          col::Decimal128(static_cast<int64_t>(v >> 64), static_cast<uint64_t>(v)));
    }
    case TypeId::kString:
      return static_cast<col::StringBuilder*>(b)->Append(RandomString(rng));
    case TypeId::kBinary: {
      std::string s;
      const int n = Pick(rng, 12);
      for (int k = 0; k < n; ++k) s.push_back(static_cast<char>(Pick(rng, 256)));
      return static_cast<col::BinaryBuilder*>(b)->Append(s);
    }
    case TypeId::kDate: {
      const int32_t kExtremes[] = {-2000000, 2932896, 0, -719162, -719528};
      const int32_t v = Chance(rng, 15) ? kExtremes[Pick(rng, 5)]
                                        : static_cast<int32_t>(Pick(rng, 4932896)) - 2000000;
      return static_cast<col::DateBuilder*>(b)->Append(v);
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      const int64_t kMin = -150000000000000000LL;  // ~ 2784 BC
      const int64_t kMax = 253402300799999999LL;   // 9999-12-31 23:59:59.999999
      const int64_t kExtremes[] = {kMin, kMax, 0, -1, -62135596800000000LL};
      const int64_t v =
          Chance(rng, 15)
              ? kExtremes[Pick(rng, 5)]
              : kMin + static_cast<int64_t>(rng() % static_cast<uint64_t>(kMax - kMin));
      return static_cast<col::TimestampBuilder*>(b)->Append(Chance(rng, 30) ? v / 1000000 * 1000000
                                                                            : v);
    }
    case TypeId::kStruct: {
      auto* sb = static_cast<col::StructBuilder*>(b);
      const auto& st = col::AsStruct(type);
      for (int k = 0; k < st.num_fields(); ++k) {
        SILT_RETURN_NOT_OK(AppendRandom(sb->field_builder(k), *st.field(k).type(),
                                        st.field(k).nullable(), rng));
      }
      return sb->Append(true);
    }
    case TypeId::kList: {
      auto* lb = static_cast<col::ListBuilder*>(b);
      const auto& list = col::AsList(type);
      SILT_RETURN_NOT_OK(lb->Append(true));
      const int n = Chance(rng, 15) ? 0 : Pick(rng, 5);
      for (int k = 0; k < n; ++k) {
        SILT_RETURN_NOT_OK(
            AppendRandom(lb->value_builder(), *list.element_type(), list.contains_null(), rng));
      }
      return Status::OK();
    }
    case TypeId::kMap: {
      auto* mb = static_cast<col::MapBuilder*>(b);
      const auto& map = col::AsMap(type);
      SILT_RETURN_NOT_OK(mb->Append(true));
      const int n = Chance(rng, 15) ? 0 : Pick(rng, 4);
      for (int k = 0; k < n; ++k) {
        SILT_RETURN_NOT_OK(AppendKey(mb->key_builder(), *map.key_type(), k, rng));
        SILT_RETURN_NOT_OK(
            AppendRandom(mb->item_builder(), *map.value_type(), map.value_contains_null(), rng));
      }
      return Status::OK();
    }
  }
  return Status::Internal("unhandled type");
}

Result<col::RecordBatchPtr> RandomBatch(const col::SchemaPtr& schema, int64_t rows, Rng& rng) {
  SILT_ASSIGN_OR_RETURN(auto builder, col::RecordBatchBuilder::Make(schema));
  for (int64_t r = 0; r < rows; ++r) {
    for (int c = 0; c < schema->num_fields(); ++c) {
      SILT_RETURN_NOT_OK(AppendRandom(builder->GetField(c), *schema->field(c).type(),
                                      schema->field(c).nullable(), rng));
    }
  }
  return builder->Flush();
}

// ---------------------------------------------------------------------------------------------
// Independent statistics: walk every row down a leaf's columnar path.

struct Bounds {
  int64_t nulls = 0;
  int64_t slots = 0;
  std::optional<expr::Value> min, max;
};

expr::Value LeafValue(const col::Array& a, int64_t i) {
  switch (a.type_id()) {
    case TypeId::kBoolean: return expr::Value::Boolean(static_cast<const col::BooleanArray&>(a).Value(i));
    case TypeId::kInt8: return expr::Value::Int(static_cast<const col::Int8Array&>(a).Value(i));
    case TypeId::kInt16: return expr::Value::Int(static_cast<const col::Int16Array&>(a).Value(i));
    case TypeId::kInt32: return expr::Value::Int(static_cast<const col::Int32Array&>(a).Value(i));
    case TypeId::kInt64: return expr::Value::Int(static_cast<const col::Int64Array&>(a).Value(i));
    case TypeId::kFloat32: return expr::Value::Double(static_cast<const col::Float32Array&>(a).Value(i));
    case TypeId::kFloat64: return expr::Value::Double(static_cast<const col::Float64Array&>(a).Value(i));
    case TypeId::kDecimal: {
      const auto& d = static_cast<const col::DecimalArray&>(a);
      const col::Decimal128 v = d.Value(i);
      const __int128 u = (static_cast<__int128>(v.high()) << 64) | v.low();
      return expr::Value::MakeDecimal(u, d.scale());
    }
    case TypeId::kString: return expr::Value::String(std::string(static_cast<const col::BinaryArray&>(a).GetView(i)));
    case TypeId::kBinary: return expr::Value::Binary(std::string(static_cast<const col::BinaryArray&>(a).GetView(i)));
    case TypeId::kDate: return expr::Value::Date(static_cast<const col::DateArray&>(a).Value(i));
    case TypeId::kTimestamp: return expr::Value::Timestamp(static_cast<const col::TimestampArray&>(a).Value(i));
    case TypeId::kTimestampNtz: return expr::Value::TimestampNtz(static_cast<const col::TimestampArray&>(a).Value(i));
    default: return expr::Value::Null();
  }
}

// a < b in the column's sort order (same kind).
bool OracleLess(const expr::Value& a, const expr::Value& b) {
  switch (a.kind()) {
    case expr::ValueKind::kBoolean: return !a.bool_value() && b.bool_value();
    case expr::ValueKind::kDouble: return a.double_value() < b.double_value();
    case expr::ValueKind::kDecimal: return a.decimal_value().unscaled < b.decimal_value().unscaled;
    case expr::ValueKind::kString:
    case expr::ValueKind::kBinary: {
      const std::string& x = a.string_value();
      const std::string& y = b.string_value();
      return std::lexicographical_compare(
          x.begin(), x.end(), y.begin(), y.end(),
          [](char p, char q) { return static_cast<unsigned char>(p) < static_cast<unsigned char>(q); });
    }
    default: return a.int_value() < b.int_value();
  }
}

void Walk(const col::Array& a, int64_t i, const std::vector<std::string>& path, size_t depth,
          Bounds* out) {
  if (a.IsNull(i)) {
    ++out->nulls;
    ++out->slots;
    return;
  }
  if (depth == path.size()) {
    ++out->slots;
    expr::Value v = LeafValue(a, i);
    if (v.kind() == expr::ValueKind::kDouble && std::isnan(v.double_value())) return;
    if (!out->min || OracleLess(v, *out->min)) out->min = v;
    if (!out->max || OracleLess(*out->max, v)) out->max = v;
    return;
  }
  switch (a.type_id()) {
    case TypeId::kStruct: {
      const auto& st = static_cast<const col::StructArray&>(a);
      const int k = col::AsStruct(*a.type()).GetFieldIndex(path[depth]);
      Walk(*st.field(k), i, path, depth + 1, out);
      return;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      const auto& list = static_cast<const col::ListArray&>(a);
      if (list.value_length(i) == 0) {
        ++out->nulls;
        ++out->slots;
        return;
      }
      const col::Array* child = list.values().get();
      col::ArrayPtr holder;
      if (a.type_id() == TypeId::kMap) {
        holder = static_cast<const col::StructArray&>(*list.values()).field(path[depth] == "key" ? 0 : 1);
        child = holder.get();
      }
      for (int32_t j = list.value_offset(i); j < list.value_offset(i + 1); ++j) {
        Walk(*child, j, path, depth + 1, out);
      }
      return;
    }
    default:
      return;
  }
}

// A zero double bound is -0.0 as a min and +0.0 as a max.
void FixZeros(Bounds* b) {
  if (b->min && b->min->kind() == expr::ValueKind::kDouble && b->min->double_value() == 0) {
    b->min = expr::Value::Double(-0.0);
  }
  if (b->max && b->max->kind() == expr::ValueKind::kDouble && b->max->double_value() == 0) {
    b->max = expr::Value::Double(0.0);
  }
}

// DuckDB's VARCHAR text of a statistics value (parquet_metadata's stats_*_value).
std::string StatText(const expr::Value& v) {
  switch (v.kind()) {
    case expr::ValueKind::kBoolean: return v.bool_value() ? "true" : "false";
    case expr::ValueKind::kInt: return std::to_string(v.int_value());
    case expr::ValueKind::kDecimal: {
      const __int128 u = v.decimal_value().unscaled;
      return col::Decimal128(static_cast<int64_t>(u >> 64), static_cast<uint64_t>(u))
          .ToString(v.decimal_value().scale);
    }
    case expr::ValueKind::kString: return v.string_value();
    case expr::ValueKind::kBinary: return BlobText(v.string_value(), /*json=*/false);
    case expr::ValueKind::kDate: return DateText(v.int_value());
    case expr::ValueKind::kTimestamp: return TimestampText(v.int_value()) + "+00";
    case expr::ValueKind::kTimestampNtz: return TimestampText(v.int_value());
    default: return "?";
  }
}

// Extracts the string value of "key":"..." (or null) from a DuckDB JSON line. Values that
// the metadata queries return are plain strings without escapes other than \" and \\.
std::optional<std::string> JsonField(const std::string& line, const std::string& key) {
  const std::string pattern = "\"" + key + "\":";
  size_t p = line.find(pattern);
  if (p == std::string::npos) return std::nullopt;
  p += pattern.size();
  if (line.compare(p, 4, "null") == 0) return std::nullopt;
  if (line[p] != '"') {
    size_t e = line.find_first_of(",}", p);
    return line.substr(p, e - p);
  }
  std::string out;
  for (size_t k = p + 1; k < line.size(); ++k) {
    if (line[k] == '\\' && k + 1 < line.size()) {
      const char n = line[++k];
      if (n == 'u' && k + 4 < line.size()) {
        out.push_back(static_cast<char>(std::stoi(line.substr(k + 1, 4), nullptr, 16)));
        k += 4;
      } else {
        out.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == 'b' ? '\b'
                      : n == 'f' ? '\f' : n);
      }
    } else if (line[k] == '"') {
      break;
    } else {
      out.push_back(line[k]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

struct Scenario {
  const char* name;
  CompressionCodec codec;
  std::optional<int> level;
  bool dictionary;
  int64_t page_size;
  int64_t dictionary_limit;
  int64_t row_group_rows;
  uint64_t seed;
};

col::SchemaPtr FixedSchema() {
  std::vector<col::Field> fields = {
      col::Field("bool", col::Boolean()),
      col::Field("i8", col::Int8()),
      col::Field("i16", col::Int16(), true, {{"parquet.field.id", "16"}}),
      col::Field("i32", col::Int32(), false),
      col::Field("i64", col::Int64(), true, {{"delta.columnMapping.id", "64"}}),
      col::Field("f32", col::Float32()),
      col::Field("f64", col::Float64()),
      col::Field("dec9", col::Decimal(9, 3)),
      col::Field("dec18", col::Decimal(18, 18)),
      col::Field("dec38", col::Decimal(38, 0)),
      col::Field("dec38s", col::Decimal(38, 12)),
      col::Field("str", col::String()),
      col::Field("bin", col::Binary()),
      col::Field("date", col::Date()),
      col::Field("ts", col::Timestamp()),
      col::Field("ntz", col::TimestampNtz()),
      col::Field("odd name \"é\"", col::Int32()),
      col::Field("tags", col::List(col::String(), true)),
      col::Field("m", col::Map(col::String(), col::Float64(), true)),
      col::Field("s",
                 col::Struct({col::Field("x", col::Int64(), false, {{"parquet.field.id", "100"}}),
                              col::Field("y", col::List(col::Struct({col::Field(
                                                            "z", col::Decimal(20, 2))})))})),
      col::Field("ll", col::List(col::List(col::Int32(), false), true)),
  };
  return col::Schema::Make(std::move(fields));
}

col::SchemaPtr RandomSchema(Rng& rng) {
  std::vector<col::Field> fields;
  const int n = 4 + Pick(rng, 8);
  for (int k = 0; k < n; ++k) {
    fields.emplace_back("c" + std::to_string(k), RandomType(rng, 0), Chance(rng, 80));
  }
  return col::Schema::Make(std::move(fields));
}

class DuckDbDifferentialTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(DuckDbDifferentialTest, DuckDbReadsWhatWasWritten) {
  const Scenario& sc = GetParam();
  Rng rng(sc.seed);
  col::SchemaPtr schema = sc.seed == 1 ? FixedSchema() : RandomSchema(rng);
  SCOPED_TRACE(schema->ToString());

  // Batches of different sizes, one of them a slice (non-zero array offsets).
  std::vector<col::RecordBatchPtr> batches;
  for (int64_t rows : {700, 1, 0, 900}) {
    ASSERT_OK_AND_ASSIGN(auto batch, RandomBatch(schema, rows, rng));
    batches.push_back(batch);
  }
  ASSERT_OK_AND_ASSIGN(auto big, RandomBatch(schema, 500, rng));
  batches.push_back(big->Slice(123, 300));

  silt::testing::TempDir dir;
  const std::string path = dir.Join(std::string(sc.name) + ".parquet");
  fs::LocalFileSystem fs;
  WriterOptions options;
  options.codec = sc.codec;
  options.compression_level = sc.level;
  options.dictionary_enabled = sc.dictionary;
  options.data_page_size = sc.page_size;
  options.dictionary_page_size_limit = sc.dictionary_limit;
  options.max_row_group_rows = sc.row_group_rows;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Open(fs, path, schema, options));
  for (const auto& batch : batches) ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK_AND_ASSIGN(WrittenFile file, writer->Close());

  // Rows in order, and their rendering.
  std::vector<std::pair<const col::RecordBatch*, int64_t>> rows;
  for (const auto& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) rows.emplace_back(batch.get(), r);
  }
  EXPECT_EQ(file.num_rows, static_cast<int64_t>(rows.size()));

  auto result = silt::testing::DuckDbQuery("SET TimeZone='UTC'; SELECT * FROM read_parquet(" +
                                           silt::testing::SqlQuote(path) + ")");
  if (!result.ok()) {
    if (!silt::testing::DuckDbQuery("SELECT 1 AS one").ok()) {
      GTEST_SKIP() << "DuckDB is not available: " << result.status();
    }
    FAIL() << result.status();
  }
  ASSERT_EQ(result->size(), rows.size());
  int mismatches = 0;
  for (size_t r = 0; r < rows.size() && mismatches < 5; ++r) {
    const std::string expected = RenderRow(*rows[r].first, rows[r].second);
    if ((*result)[r] != expected) {
      ++mismatches;
      ADD_FAILURE() << "row " << r << "\n  duckdb: " << (*result)[r].substr(0, 2000)
                    << "\n  wrote:  " << expected.substr(0, 2000);
    }
  }

  // Statistics: per row group from DuckDB, per file from WrittenFile, against the oracle.
  auto meta = silt::testing::DuckDbQuery(
      "SELECT row_group_id, column_id, num_values, stats_null_count, stats_min_value, "
      "stats_max_value, compression FROM parquet_metadata(" + silt::testing::SqlQuote(path) +
      ") ORDER BY row_group_id, column_id");
  ASSERT_OK(meta);
  const size_t num_leaves = file.columns.size();
  const size_t num_groups = file.metadata.row_groups.size();
  ASSERT_EQ(meta->size(), num_leaves * num_groups);
  const int64_t group_rows = sc.row_group_rows;
  ASSERT_EQ(num_groups, (rows.size() + group_rows - 1) / group_rows);
  for (size_t leaf = 0; leaf < num_leaves; ++leaf) {
    const std::vector<std::string>& lpath = file.columns[leaf].path;
    const int top = schema->GetFieldIndex(lpath[0]);
    Bounds whole;
    for (size_t g = 0; g < num_groups; ++g) {
      Bounds b;
      const size_t end = std::min(rows.size(), (g + 1) * group_rows);
      for (size_t r = g * group_rows; r < end; ++r) {
        Walk(*rows[r].first->column(top), rows[r].second, lpath, 1, &b);
      }
      whole.nulls += b.nulls;
      whole.slots += b.slots;
      if (b.min && (!whole.min || OracleLess(*b.min, *whole.min))) whole.min = b.min;
      if (b.max && (!whole.max || OracleLess(*whole.max, *b.max))) whole.max = b.max;
      FixZeros(&b);
      const std::string& line = (*meta)[g * num_leaves + leaf];
      SCOPED_TRACE("row group " + std::to_string(g) + " leaf " + fmt::format("{}", fmt::join(lpath, ".")) + ": " +
                   line.substr(0, 500));
      EXPECT_EQ(JsonField(line, "num_values"), std::to_string(b.slots));
      EXPECT_EQ(JsonField(line, "stats_null_count"), std::to_string(b.nulls));
      EXPECT_EQ(JsonField(line, "compression"), CompressionCodecName(sc.codec));
      for (int which = 0; which < 2; ++which) {
        const std::optional<expr::Value>& expected = which == 0 ? b.min : b.max;
        std::optional<std::string> got =
            JsonField(line, which == 0 ? "stats_min_value" : "stats_max_value");
        // DuckDB does not report infinite float bounds.
        if (expected && expected->kind() == expr::ValueKind::kDouble &&
            std::isinf(expected->double_value()) && !got) {
          continue;
        }
        ASSERT_EQ(got.has_value(), expected.has_value());
        if (!expected) continue;
        if (expected->kind() == expr::ValueKind::kDouble) {
          const double d = std::strtod(got->c_str(), nullptr);
          const double want = expected->double_value();
          if (file.metadata.row_groups[g].columns[leaf].meta_data->type == PhysicalType::kFloat) {
            EXPECT_EQ(static_cast<float>(d), static_cast<float>(want)) << *got;
          } else {
            EXPECT_EQ(d, want) << *got;
          }
          EXPECT_EQ(std::signbit(d), std::signbit(want)) << *got;
        } else {
          // DuckDB prints decimal(p, p) without the leading zero: "-.5".
          std::string text = *got;
          if (expected->kind() == expr::ValueKind::kDecimal) {
            if (text.starts_with(".")) text.insert(0, "0");
            if (text.starts_with("-.")) text.insert(1, "0");
          }
          EXPECT_EQ(text, StatText(*expected));
        }
      }
    }
    FixZeros(&whole);
    EXPECT_EQ(file.columns[leaf].null_count, whole.nulls);
    EXPECT_EQ(file.columns[leaf].num_values, whole.slots);
    EXPECT_EQ(file.columns[leaf].min.has_value(), whole.min.has_value());
    if (whole.min && file.columns[leaf].min) {
      EXPECT_EQ(file.columns[leaf].min->ToString(), whole.min->ToString());
      EXPECT_EQ(file.columns[leaf].max->ToString(), whole.max->ToString());
    }
  }

  // Page index: every data page located, rows ascending, null counts adding up.
  ASSERT_OK_AND_ASSIGN(std::string bytes, fs.ReadFile(path));
  for (const RowGroup& rg : file.metadata.row_groups) {
    for (const ColumnChunk& chunk : rg.columns) {
      ASSERT_TRUE(chunk.offset_index_offset.has_value());
      ASSERT_OK_AND_ASSIGN(auto offsets,
                           DeserializeThrift<OffsetIndex>(std::string_view(bytes).substr(
                               *chunk.offset_index_offset, *chunk.offset_index_length)));
      const auto& pages = offsets.value.page_locations;
      int64_t levels = 0;
      for (size_t p = 0; p < pages.size(); ++p) {
        ASSERT_OK_AND_ASSIGN(auto header, DeserializeThrift<PageHeader>(
                                              std::string_view(bytes).substr(pages[p].offset)));
        ASSERT_EQ(header.value.type, PageType::kDataPage);
        EXPECT_EQ(static_cast<int64_t>(header.size) + header.value.compressed_page_size,
                  pages[p].compressed_page_size);
        levels += header.value.data_page_header->num_values;
        if (p == 0) {
          EXPECT_EQ(pages[p].first_row_index, 0);
        } else {
          EXPECT_GT(pages[p].first_row_index, pages[p - 1].first_row_index);
        }
        EXPECT_LT(pages[p].first_row_index, rg.num_rows);
      }
      EXPECT_EQ(levels, chunk.meta_data->num_values);
      if (chunk.column_index_offset.has_value()) {
        ASSERT_OK_AND_ASSIGN(auto index,
                             DeserializeThrift<ColumnIndex>(std::string_view(bytes).substr(
                                 *chunk.column_index_offset, *chunk.column_index_length)));
        ASSERT_EQ(index.value.null_counts.size(), pages.size());
        int64_t nulls = 0;
        for (int64_t n : index.value.null_counts) nulls += n;
        EXPECT_EQ(nulls, chunk.meta_data->statistics->null_count);
      }
    }
  }

  if (sc.seed == 1) {
    auto ids = silt::testing::DuckDbQuery(
        "SELECT name, field_id FROM parquet_schema(" + silt::testing::SqlQuote(path) +
        ") WHERE field_id IS NOT NULL ORDER BY name");
    ASSERT_OK(ids);
    ASSERT_EQ(ids->size(), 3u);
    EXPECT_EQ(JsonField((*ids)[0], "name"), "i16");
    EXPECT_EQ(JsonField((*ids)[0], "field_id"), "16");
    EXPECT_EQ(JsonField((*ids)[1], "name"), "i64");
    EXPECT_EQ(JsonField((*ids)[1], "field_id"), "64");
    EXPECT_EQ(JsonField((*ids)[2], "name"), "x");
    EXPECT_EQ(JsonField((*ids)[2], "field_id"), "100");
  }
}

using CC = CompressionCodec;
INSTANTIATE_TEST_SUITE_P(
    Scenarios, DuckDbDifferentialTest,
    ::testing::Values(
        Scenario{"fixed_snappy_dict", CC::kSnappy, std::nullopt, true, 1 << 20, 1 << 20, 1 << 20, 1},
        Scenario{"fixed_plain_small", CC::kUncompressed, std::nullopt, false, 300, 1 << 20, 500, 1},
        Scenario{"zstd_dict_small_pages", CC::kZstd, 3, true, 512, 1 << 20, 400, 2},
        Scenario{"gzip_dict_fallback", CC::kGzip, 9, true, 1024, 200, 600, 3},
        Scenario{"lz4raw_plain", CC::kLz4Raw, std::nullopt, false, 256, 1 << 20, 300, 4},
        Scenario{"snappy_tiny_pages", CC::kSnappy, std::nullopt, true, 64, 4096, 128, 5},
        Scenario{"uncompressed_dict", CC::kUncompressed, std::nullopt, true, 4096, 1 << 20, 2000, 6},
        Scenario{"zstd_negative_level", CC::kZstd, -3, false, 8192, 1 << 20, 1000, 7},
        Scenario{"snappy_nested", CC::kSnappy, std::nullopt, true, 2048, 2048, 700, 8}),
    [](const ::testing::TestParamInfo<Scenario>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace silt::parquet
