#include "testing/conformance.h"

#include <map>

#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace silt::testing {

Result<std::vector<ConformanceTable>> ListConformanceTables(fs::FileSystem& fs,
                                                            const std::string& corpus) {
  std::vector<ConformanceTable> out;
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> sources, fs.List(corpus));
  for (const fs::FileInfo& source : sources) {
    if (!source.is_dir) continue;
    SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> tables, fs.List(source.path));
    for (const fs::FileInfo& dir : tables) {
      if (!dir.is_dir) continue;
      Result<std::string> expected = fs.ReadFile(fs::JoinPath(dir.path, "EXPECTED.md"));
      if (!expected.ok()) continue;
      out.push_back({dir.path, std::move(expected).value()});
    }
  }
  return out;
}

Result<std::vector<fs::FileInfo>> ListConformanceParquetFiles(fs::FileSystem& fs) {
  fs::ListOptions options;
  options.recursive = true;
  SILT_ASSIGN_OR_RETURN(std::vector<fs::FileInfo> entries, fs.List(ConformanceDir(), options));
  std::erase_if(entries,
                [](const fs::FileInfo& e) { return e.is_dir || !e.path.ends_with(".parquet"); });
  return entries;
}

namespace {

// "['a', 'b']" (a Python list of simple names) -> {"a", "b"}.
std::optional<std::vector<std::string>> ParseNameList(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  std::vector<std::string> out;
  size_t pos = 1;
  while (true) {
    size_t open = text.find('\'', pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find('\'', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    out.emplace_back(text.substr(open + 1, close - open - 1));
    pos = close + 1;
  }
  return out;
}

std::optional<int64_t> NumberAfter(std::string_view line, std::string_view marker) {
  size_t at = line.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  at += marker.size();
  size_t end = at;
  while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
  if (end == at) return std::nullopt;
  return std::stoll(std::string(line.substr(at, end - at)));
}

std::string Between(std::string_view line, std::string_view open, std::string_view close) {
  size_t a = line.find(open);
  if (a == std::string_view::npos) return {};
  a += open.size();
  size_t b = line.find(close, a);
  if (b == std::string_view::npos) return {};
  return std::string(line.substr(a, b - a));
}

// The text after `prefix` when `line` starts with it.
std::optional<std::string_view> After(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix)) return std::nullopt;
  return line.substr(prefix.size());
}

void ApplyFact(ExpectedTable& t, std::string_view line) {
  if (line.starts_with("- Latest version")) {
    t.latest_version = NumberAfter(line, "checkpoints): ");
    size_t present = line.find("versions present: ");
    if (present != std::string_view::npos) {
      std::string_view rest = line.substr(present);
      t.first_commit = NumberAfter(rest, "versions present: ");
      t.commit_files = NumberAfter(rest, " (");
    }
    t.has_gaps = line.find("gaps:") != std::string_view::npos;
  } else if (line.starts_with("- Checkpoints:")) {
    t.has_checkpoint = !line.starts_with("- Checkpoints: none");
  } else if (line.starts_with("- Active files after replay:")) {
    t.active_files = NumberAfter(line, "replay: ");
  } else if (auto protocol = After(line, "- Protocol (latest by replay): ")) {
    t.protocol_json = std::string(*protocol);
  } else if (auto columns = After(line, "- Partition columns: ")) {
    t.partition_columns = ParseNameList(*columns);
  } else if (auto properties = After(line, "- Table properties:")) {
    t.table_properties = std::string(*properties);
  } else if (line.starts_with("- Actions in commit JSONs: ")) {
    t.commit_adds = NumberAfter(line, "add=");
    t.commit_removes = NumberAfter(line, "remove=");
    t.commit_cdcs = NumberAfter(line, "cdc=");
    t.commit_dv_adds = NumberAfter(line, "adds with DV=");
  } else if (line.starts_with("- Computed latest row count")) {
    size_t colon = line.rfind("): ");
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 3);
    if (!value.empty() && value[0] >= '0' && value[0] <= '9') {
      t.row_count = NumberAfter(value, "");
    } else {
      t.rows_unknown = true;
    }
  } else if (line.starts_with("- No `_delta_log` directory")) {
    t.no_delta_log = true;
  }
}

}  // namespace

std::vector<ExpectedTable> ParseExpectedMd(std::string_view text, const std::string& corpus) {
  std::map<std::string, ExpectedTable> by_key;  // "" for a single-table file
  std::vector<std::string> order;
  auto table = [&](const std::string& key) -> ExpectedTable& {
    if (!by_key.contains(key)) order.push_back(key);
    return by_key[key];
  };
  std::string sub_table;                 // current "## Sub-table" section
  std::optional<std::string> facts_for;  // current facts block
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("## Sub-table `")) {
      sub_table = Between(line, "## Sub-table `", "`");
      facts_for.reset();
    } else if (line.starts_with("### Facts computed by the inventory scan for ")) {
      facts_for = Between(line, "inventory scan for ", " (");
    } else if (line.starts_with("### Facts computed by the inventory scan")) {
      facts_for = "";
    } else if (line.starts_with("#")) {
      facts_for.reset();  // another section ("What the source asserts", ...): no facts
    } else if (line.starts_with("- Table root (relative to this corpus): `./")) {
      ExpectedTable& t = table(sub_table);
      t.name = Between(line, "`./", "`");
      t.root = corpus + "/" + t.name;
    } else if (facts_for.has_value()) {
      ApplyFact(table(*facts_for), line);
    }
  }
  std::vector<ExpectedTable> out;
  for (const std::string& key : order) {
    if (!by_key[key].root.empty()) out.push_back(std::move(by_key[key]));
  }
  return out;
}

void ConformanceCorpusTest::SetUp() {
  corpus_ = ConformanceDir();
  Result<bool> exists = fs_.Exists(corpus_);
  if (!exists.ok() || !*exists) GTEST_SKIP() << "no conformance corpus at " << corpus_;
  ASSERT_OK_AND_ASSIGN(auto listed, ListConformanceTables(fs_, corpus_));
  for (const ConformanceTable& table : listed) {
    for (ExpectedTable& t : ParseExpectedMd(table.expected_md, corpus_)) {
      tables_.push_back(std::move(t));
    }
  }
  ASSERT_FALSE(tables_.empty()) << "no EXPECTED.md found under " << corpus_;
}

}  // namespace silt::testing
