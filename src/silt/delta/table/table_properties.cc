#include "silt/delta/table/table_properties.h"

#include <charconv>
#include <limits>
#include <string>
#include <vector>

namespace silt::delta {

namespace {

std::optional<std::string_view> Find(const Metadata& metadata, std::string_view key) {
  auto it = metadata.configuration.find(std::string(key));
  if (it == metadata.configuration.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// Milliseconds per unit as a fraction num/den (nanoseconds and microseconds are below 1 ms).
struct Unit {
  std::string_view name;
  int64_t num;
  int64_t den;
};
constexpr Unit kUnits[] = {
    {"nanosecond", 1, 1000000}, {"microsecond", 1, 1000}, {"millisecond", 1, 1},
    {"second", 1000, 1},        {"minute", 60000, 1},     {"hour", 3600000, 1},
    {"day", kMillisPerDay, 1},  {"week", 7 * kMillisPerDay, 1},
};

Status PropertyError(std::string_view key, std::string_view value, std::string_view expected) {
  return Status::Corruption("table property {} = '{}' is not {}", key, value, expected);
}

}  // namespace

Result<int64_t> ParseIntervalMillis(std::string_view text) {
  std::string lower = Lower(text);
  std::vector<std::string_view> words = Words(lower);
  size_t i = 0;
  if (!words.empty() && words[0] == "interval") i = 1;
  if (i >= words.size() || (words.size() - i) % 2 != 0) {
    return Status::InvalidArgument("'{}' is not an interval such as 'interval 7 days'", text);
  }
  int64_t total = 0;
  for (; i < words.size(); i += 2) {
    int64_t amount = 0;
    std::string_view number = words[i];
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), amount);
    if (error != std::errc() || end != number.data() + number.size() || amount < 0) {
      return Status::InvalidArgument("'{}' is not an interval: '{}' is not a count", text,
                                     number);
    }
    std::string_view unit = words[i + 1];
    if (unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);
    if (unit == "month" || unit == "year") {
      return Status::InvalidArgument("interval '{}' uses {}s, which have no fixed length", text,
                                     unit);
    }
    const Unit* found = nullptr;
    for (const Unit& u : kUnits) {
      if (u.name == unit) found = &u;
    }
    if (found == nullptr) {
      return Status::InvalidArgument("'{}' is not an interval: unknown unit '{}'", text,
                                     words[i + 1]);
    }
    if (amount > std::numeric_limits<int64_t>::max() / found->num) {
      return Status::InvalidArgument("interval '{}' is too long", text);
    }
    int64_t ms = amount * found->num / found->den;
    if (total > std::numeric_limits<int64_t>::max() - ms) {
      return Status::InvalidArgument("interval '{}' is too long", text);
    }
    total += ms;
  }
  return total;
}

Result<bool> GetBoolProperty(const Metadata& metadata, std::string_view key, bool default_value) {
  std::optional<std::string_view> value = Find(metadata, key);
  if (!value.has_value()) return default_value;
  std::string lower = Lower(*value);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return PropertyError(key, *value, "true or false");
}

Result<int64_t> GetIntProperty(const Metadata& metadata, std::string_view key,
                               int64_t default_value) {
  std::optional<std::string_view> value = Find(metadata, key);
  if (!value.has_value()) return default_value;
  int64_t out = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), out);
  if (error != std::errc() || end != value->data() + value->size()) {
    return PropertyError(key, *value, "an integer");
  }
  return out;
}

Result<int64_t> GetIntervalProperty(const Metadata& metadata, std::string_view key,
                                    int64_t default_ms) {
  std::optional<std::string_view> value = Find(metadata, key);
  if (!value.has_value()) return default_ms;
  Result<int64_t> ms = ParseIntervalMillis(*value);
  if (!ms.ok()) return Status::Corruption("table property {}: {}", key, ms.error().message());
  return *ms;
}

Result<int64_t> CheckpointInterval(const Metadata& metadata) {
  SILT_ASSIGN_OR_RETURN(int64_t interval,
                        GetIntProperty(metadata, property::kCheckpointInterval, 10));
  if (interval <= 0) {
    return PropertyError(property::kCheckpointInterval, std::to_string(interval),
                         "a positive integer");
  }
  return interval;
}

Result<int64_t> DeletedFileRetentionMillis(const Metadata& metadata) {
  return GetIntervalProperty(metadata, property::kDeletedFileRetentionDuration,
                             7 * kMillisPerDay);
}

Result<int64_t> LogRetentionMillis(const Metadata& metadata) {
  return GetIntervalProperty(metadata, property::kLogRetentionDuration, 30 * kMillisPerDay);
}

Result<std::optional<int64_t>> SetTransactionRetentionMillis(const Metadata& metadata) {
  if (!Find(metadata, property::kSetTransactionRetentionDuration).has_value()) {
    return std::optional<int64_t>();
  }
  SILT_ASSIGN_OR_RETURN(int64_t ms, GetIntervalProperty(
                                        metadata, property::kSetTransactionRetentionDuration, 0));
  return std::optional<int64_t>(ms);
}

}  // namespace silt::delta
