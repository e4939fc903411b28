#include "silt/delta/write/stats.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "silt/base/calendar.h"
#include "silt/base/strings.h"
#include "silt/delta/actions/stats_fields.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/table/table_properties.h"
#include "silt/delta/write/partition_path.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

void CollectLeaves(const col::Field& field, ColumnMappingMode mode, int top_level,
                   std::vector<std::string> logical, std::vector<std::string> physical,
                   std::vector<StatsLeaf>& out) {
  logical.push_back(field.name());
  physical.push_back(PhysicalName(field, mode));
  if (field.type()->id() == col::TypeId::kStruct) {
    for (const col::Field& child : col::AsStruct(*field.type()).fields()) {
      CollectLeaves(child, mode, top_level, logical, physical, out);
    }
    return;
  }
  out.push_back({std::move(logical), std::move(physical), field.type(), top_level});
}

// "a, b.c, `x.y`.z" -> {{"a"}, {"b","c"}, {"x.y","z"}}; "" and blanks -> {}. Spaces around
// names are dropped; inside back quotes they are kept (and "``" is one back quote).
Result<std::vector<std::vector<std::string>>> ParseColumnList(std::string_view text) {
  auto malformed = [&](std::string_view why) {
    return Status::Corruption("table property {}: {} in '{}'", property::kDataSkippingStatsColumns,
                              why, text);
  };
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> path;
  std::string part;
  bool has_name = false;     // the current part has a character (or a quoted name)
  bool space_after = false;  // an unquoted space followed it
  bool any = false;          // anything but spaces since the start
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t') {
      space_after = has_name;
      continue;
    }
    any = true;
    if (c == '.' || c == ',') {
      if (!has_name) return malformed("empty column name");
      path.push_back(std::move(part));
      part.clear();
      has_name = space_after = false;
      if (c == ',') {
        out.push_back(std::move(path));
        path.clear();
      }
      continue;
    }
    if (space_after) return malformed("space inside an unquoted column name");
    has_name = true;
    if (c != '`') {
      part.push_back(c);
      continue;
    }
    for (++i;; ++i) {
      if (i >= text.size()) return malformed("unbalanced back quote");
      if (text[i] != '`') {
        part.push_back(text[i]);
      } else if (i + 1 < text.size() && text[i + 1] == '`') {
        part.push_back('`');
        ++i;
      } else {
        break;
      }
    }
  }
  if (!any) return out;
  if (!has_name) return malformed("empty column name");
  path.push_back(std::move(part));
  out.push_back(std::move(path));
  return out;
}

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for invalid lead bytes).
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// Byte length of the first `n` code points of `s` (all of it when shorter).
size_t PrefixBytes(std::string_view s, int n) {
  size_t pos = 0;
  for (int i = 0; i < n && pos < s.size(); ++i) {
    pos += Utf8Length(static_cast<unsigned char>(s[pos]));
  }
  return std::min(pos, s.size());
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::string MillisTimestamp(int64_t micros, bool is_max, bool utc) {
  int64_t millis = FloorDiv(micros, 1000);
  if (is_max && millis * 1000 != micros) ++millis;
  int64_t days = FloorDiv(millis, 86400000);
  int64_t rem = millis - days * 86400000;
  int64_t secs = rem / 1000;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:03d}{}", FormatDate(days), secs / 3600,
                     secs / 60 % 60, secs % 60, rem % 1000, utc ? "Z" : "");
}

}  // namespace

bool HasStatsMinMax(const col::DataType& type) {
  switch (type.id()) {
    case col::TypeId::kInt8:
    case col::TypeId::kInt16:
    case col::TypeId::kInt32:
    case col::TypeId::kInt64:
    case col::TypeId::kFloat32:
    case col::TypeId::kFloat64:
    case col::TypeId::kDecimal:
    case col::TypeId::kString:
    case col::TypeId::kDate:
    case col::TypeId::kTimestamp:
    case col::TypeId::kTimestampNtz:
      return true;
    default:
      return false;
  }
}

namespace {

std::vector<StatsLeaf> AllLeaves(const col::Schema& schema, ColumnMappingMode mode) {
  std::vector<StatsLeaf> all;
  for (int i = 0; i < schema.num_fields(); ++i) {
    CollectLeaves(schema.field(i), mode, i, {}, {}, all);
  }
  return all;
}

// Whether the listed `column` selects the leaf at `path`: it is the path or a prefix of it (a
// listed struct), ignoring case.
bool Selects(const std::vector<std::string>& column, const std::vector<std::string>& path) {
  return column.size() <= path.size() &&
         std::equal(column.begin(), column.end(), path.begin(), EqualsIgnoreAsciiCase);
}

}  // namespace

Result<std::vector<StatsLeaf>> SelectStatsLeaves(const col::Schema& data_schema,
                                                 ColumnMappingMode mode, const Metadata& metadata) {
  std::vector<StatsLeaf> all = AllLeaves(data_schema, mode);
  auto it = metadata.configuration.find(std::string(property::kDataSkippingStatsColumns));
  if (it != metadata.configuration.end()) {
    SILT_ASSIGN_OR_RETURN(auto columns, ParseColumnList(it->second));
    std::vector<StatsLeaf> out;
    for (StatsLeaf& leaf : all) {
      if (std::any_of(columns.begin(), columns.end(),
                      [&](const auto& column) { return Selects(column, leaf.logical_path); })) {
        out.push_back(std::move(leaf));
      }
    }
    return out;
  }
  SILT_ASSIGN_OR_RETURN(int64_t n,
                        GetIntProperty(metadata, property::kDataSkippingNumIndexedCols, 32));
  if (n < -1) {
    return Status::Corruption("table property {} must be -1 or a non-negative count, got {}",
                              property::kDataSkippingNumIndexedCols, n);
  }
  if (n >= 0 && static_cast<size_t>(n) < all.size()) all.resize(static_cast<size_t>(n));
  return all;
}

Status ValidateStatsColumns(const col::Schema& schema,
                            const std::vector<std::string>& partition_columns,
                            const StringMap& configuration) {
  auto it = configuration.find(std::string(property::kDataSkippingStatsColumns));
  if (it == configuration.end()) return Status::OK();
  Result<std::vector<std::vector<std::string>>> columns = ParseColumnList(it->second);
  if (!columns.ok()) return Status::InvalidArgument("{}", columns.error().message());
  const std::vector<StatsLeaf> all = AllLeaves(schema, ColumnMappingMode::kNone);
  for (const std::vector<std::string>& column : *columns) {
    const std::string name = fmt::format("{}", fmt::join(column, "."));
    for (const std::string& p : partition_columns) {
      if (column.size() == 1 && EqualsIgnoreAsciiCase(column[0], p)) {
        return Status::InvalidArgument("{}: '{}' is a partition column; it has no statistics",
                                       property::kDataSkippingStatsColumns, name);
      }
    }
    if (std::none_of(all.begin(), all.end(),
                     [&](const StatsLeaf& leaf) { return Selects(column, leaf.logical_path); })) {
      return Status::InvalidArgument("{}: '{}' is not a column of the table",
                                     property::kDataSkippingStatsColumns, name);
    }
  }
  return Status::OK();
}

namespace {

// One stats section (minValues, ...) as a tree of physical paths, children in first-insertion
// order (the order of the leaves, so schema order), with a `Value` on each leaf.
template <typename Value>
struct PathTree {
  Value value;  // on leaves, when children is empty
  std::vector<std::pair<std::string, PathTree>> children;

  void Insert(const std::vector<std::string>& path, Value leaf_value) {
    PathTree* node = this;
    for (const std::string& name : path) {
      auto it = std::find_if(node->children.begin(), node->children.end(),
                             [&](const auto& child) { return child.first == name; });
      if (it == node->children.end()) {
        node->children.emplace_back(name, PathTree{});
        it = std::prev(node->children.end());
      }
      node = &it->second;
    }
    node->value = std::move(leaf_value);
  }
};

// The struct type of a tree of leaf types; nullptr for a tree without leaves.
col::TypePtr ToType(const PathTree<col::TypePtr>& node) {
  if (node.children.empty()) return node.value;
  std::vector<col::Field> fields;
  for (const auto& [name, child] : node.children) {
    if (col::TypePtr t = ToType(child)) fields.emplace_back(name, std::move(t));
  }
  if (fields.empty()) return nullptr;
  return col::Struct(std::move(fields));
}

// The JSON object of a tree of rendered leaf values.
void Render(const PathTree<std::string>& node, json::Writer& w) {
  w.BeginObject();
  for (const auto& [name, child] : node.children) {
    w.Key(name);
    if (child.children.empty()) {
      w.RawJson(child.value);
    } else {
      Render(child, w);
    }
  }
  w.EndObject();
}

}  // namespace

col::TypePtr StatsStructType(const std::vector<StatsLeaf>& leaves, bool with_tight_bounds) {
  PathTree<col::TypePtr> min_max, null_count;
  for (const StatsLeaf& leaf : leaves) {
    if (HasStatsMinMax(*leaf.type)) min_max.Insert(leaf.physical_path, leaf.type);
    null_count.Insert(leaf.physical_path, col::Int64());
  }
  std::vector<col::Field> fields;
  fields.emplace_back(std::string(stats_field::kNumRecords), col::Int64());
  if (col::TypePtr t = ToType(min_max)) {
    fields.emplace_back(std::string(stats_field::kMinValues), t);
    fields.emplace_back(std::string(stats_field::kMaxValues), t);
  }
  if (col::TypePtr t = ToType(null_count)) {
    fields.emplace_back(std::string(stats_field::kNullCount), std::move(t));
  }
  if (with_tight_bounds) {
    fields.emplace_back(std::string(stats_field::kTightBounds), col::Boolean());
  }
  return col::Struct(std::move(fields));
}

std::string TruncateStatsMin(std::string_view s) {
  return std::string(s.substr(0, PrefixBytes(s, kStatsStringPrefixLength)));
}

std::string TruncateStatsMax(std::string_view s) {
  size_t cut = PrefixBytes(s, kStatsStringPrefixLength);
  if (cut >= s.size()) return std::string(s);
  std::string out(s.substr(0, cut));
  auto next = static_cast<unsigned char>(s[cut]);
  if (next < 0x7F) {
    out.push_back('\x7F');
  } else {
    out += "\xF4\x8F\xBF\xBF";  // U+10FFFF
  }
  return out;
}

std::string StatsValueJson(const expr::Value& value, const col::DataType& type, bool is_max) {
  using expr::ValueKind;
  switch (value.kind()) {
    case ValueKind::kInt:
      if (type.id() == col::TypeId::kFloat32 || type.id() == col::TypeId::kFloat64) {
        return JavaFloatingString(static_cast<double>(value.int_value()),
                                  type.id() == col::TypeId::kFloat32);
      }
      return std::to_string(value.int_value());
    case ValueKind::kDouble: {
      double v = value.double_value();
      if (std::isnan(v) || std::isinf(v)) return "";
      return JavaFloatingString(v, type.id() == col::TypeId::kFloat32);
    }
    case ValueKind::kDecimal:
      return expr::FormatDecimal(value.decimal_value());
    case ValueKind::kString:
      return json::Quote(is_max ? TruncateStatsMax(value.string_value())
                                : TruncateStatsMin(value.string_value()));
    case ValueKind::kDate:
      return json::Quote(FormatDate(value.int_value()));
    case ValueKind::kTimestamp:
      return json::Quote(MillisTimestamp(value.int_value(), is_max, /*utc=*/true));
    case ValueKind::kTimestampNtz:
      return json::Quote(MillisTimestamp(value.int_value(), is_max, /*utc=*/false));
    default:
      return "";
  }
}

StatsCollector::StatsCollector(std::vector<StatsLeaf> leaves)
    : leaves_(std::move(leaves)), nested_null_counts_(leaves_.size(), 0) {}

void StatsCollector::Observe(const col::RecordBatch& batch) {
  for (size_t l = 0; l < leaves_.size(); ++l) {
    const StatsLeaf& leaf = leaves_[l];
    col::TypeId id = leaf.type->id();
    if (id != col::TypeId::kList && id != col::TypeId::kMap) continue;
    // The chain of arrays from the top-level column down to the leaf.
    std::vector<col::ArrayPtr> chain{batch.column(leaf.top_level)};
    for (size_t k = 1; k < leaf.logical_path.size(); ++k) {
      const auto& parent = static_cast<const col::StructArray&>(*chain.back());
      int idx = col::AsStruct(*parent.type()).GetFieldIndex(leaf.logical_path[k]);
      if (idx < 0) return;
      chain.push_back(parent.field(idx));
    }
    int64_t nulls = 0;
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      for (const col::ArrayPtr& a : chain) {
        if (a->IsNull(r)) {
          ++nulls;
          break;
        }
      }
    }
    nested_null_counts_[l] += nulls;
  }
}

std::string StatsCollector::ToJson(const parquet::WrittenFile& file) const {
  std::map<std::vector<std::string>, const parquet::ColumnSummary*> by_path;
  for (const parquet::ColumnSummary& c : file.columns) by_path[c.path] = &c;
  PathTree<std::string> min, max, nulls;
  for (size_t l = 0; l < leaves_.size(); ++l) {
    const StatsLeaf& leaf = leaves_[l];
    col::TypeId id = leaf.type->id();
    if (id == col::TypeId::kList || id == col::TypeId::kMap) {
      nulls.Insert(leaf.physical_path, std::to_string(nested_null_counts_[l]));
      continue;
    }
    auto it = by_path.find(leaf.physical_path);
    if (it == by_path.end()) continue;
    const parquet::ColumnSummary& s = *it->second;
    nulls.Insert(leaf.physical_path, std::to_string(s.null_count));
    if (!HasStatsMinMax(*leaf.type)) continue;
    if (s.min.has_value()) {
      std::string v = StatsValueJson(*s.min, *leaf.type, /*is_max=*/false);
      if (!v.empty()) min.Insert(leaf.physical_path, std::move(v));
    }
    if (s.max.has_value()) {
      std::string v = StatsValueJson(*s.max, *leaf.type, /*is_max=*/true);
      if (!v.empty()) max.Insert(leaf.physical_path, std::move(v));
    }
  }
  json::Writer w;
  w.BeginObject().Field(stats_field::kNumRecords, file.num_rows);
  w.Key(stats_field::kMinValues);
  Render(min, w);
  w.Key(stats_field::kMaxValues);
  Render(max, w);
  w.Key(stats_field::kNullCount);
  Render(nulls, w);
  w.Field(stats_field::kTightBounds, true);
  w.EndObject();
  return w.Release();
}

Result<std::optional<std::string>> WithLooseBounds(const std::optional<std::string>& stats) {
  if (!stats.has_value()) return std::optional<std::string>();
  json::Parser parser;
  SILT_ASSIGN_OR_RETURN(json::Object obj, parser.ParseObject(*stats));
  json::Writer w;
  w.BeginObject();
  SILT_RETURN_NOT_OK(obj.ForEachField([&](std::string_view key, const json::Value& value) {
    if (key != stats_field::kTightBounds) w.Key(key).RawJson(value.ToJson());
    return Status::OK();
  }));
  w.Field(stats_field::kTightBounds, false);
  w.EndObject();
  return std::optional<std::string>(w.Release());
}

}  // namespace silt::delta
