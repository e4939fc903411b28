#include "silt/stream/source/rate_source.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "silt/base/time.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/record_batch.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::stream {
namespace {

constexpr std::string_view kValueName = "value";
constexpr std::string_view kTimeMsName = "timeMs";
constexpr std::string_view kStartTimeMsName = "startTimeMs";
constexpr std::string_view kStartFile = "start";

constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

constexpr std::array<std::string_view, 8> kPages = {"/",         "/search",  "/product", "/cart",
                                                    "/checkout", "/account", "/help",    "/blog"};
constexpr std::array<std::string_view, 10> kCountries = {"US", "DE", "FR", "GB", "JP",
                                                         "BR", "IN", "CA", "AU", "NL"};

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Result<int64_t> ParseInt(const std::string& key, const std::string& text, int64_t min) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min) {
    return Status::InvalidArgument("rate source option {}: expected an integer >= {}, got '{}'",
                                   key, min, text);
  }
  return value;
}

// "10", "10s", "2m", "1h" -> seconds.
Result<int64_t> ParseSeconds(const std::string& key, const std::string& text) {
  std::string digits = text;
  int64_t unit = 1;
  if (!digits.empty()) {
    char last = digits.back();
    if (last == 's' || last == 'm' || last == 'h') {
      unit = last == 's' ? 1 : last == 'm' ? 60 : 3600;
      digits.pop_back();
    }
  }
  SILT_ASSIGN_OR_RETURN(int64_t value, ParseInt(key, digits, 0));
  return value * unit;
}

// Generates rows [begin, end) of a batch in record batches of bounded size.
class RateBatchReader final : public BatchReader {
 public:
  RateBatchReader(columnar::SchemaPtr schema, const RateSourceOptions& options, int64_t begin,
                  int64_t end, int64_t begin_time_ms, int64_t end_time_ms)
      : schema_(std::move(schema)),
        kind_(options.schema),
        rows_per_batch_(options.rows_per_batch),
        start_timestamp_ms_(options.start_timestamp_ms),
        advance_ms_(options.advance_millis_per_batch),
        chunk_(std::max<int64_t>(1, options.max_rows_per_record_batch)),
        begin_(begin),
        end_(end),
        next_(begin),
        begin_time_ms_(begin_time_ms),
        end_time_ms_(end_time_ms) {}

  const columnar::SchemaPtr& schema() const override { return schema_; }

  Result<std::optional<columnar::RecordBatchPtr>> Next() override {
    if (next_ >= end_) return std::optional<columnar::RecordBatchPtr>();
    const int64_t stop = std::min(end_, next_ + chunk_);
    SILT_ASSIGN_OR_RETURN(auto builder, columnar::RecordBatchBuilder::Make(schema_));
    for (int64_t v = next_; v < stop; ++v) {
      const int64_t ts = TimestampMicros(v);
      if (kind_ == RateSchema::kValue) {
        SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::TimestampBuilder>(0)->Append(ts));
        SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::Int64Builder>(1)->Append(v));
        continue;
      }
      const uint64_t h = SplitMix64(static_cast<uint64_t>(v));
      SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::TimestampBuilder>(0)->Append(ts));
      SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::Int64Builder>(1)->Append(
          static_cast<int64_t>(1 + h % 10000)));
      SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::StringBuilder>(2)->Append(
          kPages[(h >> 16) % kPages.size()]));
      SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::StringBuilder>(3)->Append(
          kCountries[(h >> 24) % kCountries.size()]));
      SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::DateBuilder>(4)->Append(
          static_cast<int32_t>(FloorDiv(ts, kMicrosPerDay))));
      SILT_RETURN_NOT_OK(builder->GetFieldAs<columnar::Int32Builder>(5)->Append(
          static_cast<int32_t>(5 + (h >> 32) % 995)));
    }
    next_ = stop;
    SILT_ASSIGN_OR_RETURN(columnar::RecordBatchPtr batch, builder->Flush());
    return std::optional<columnar::RecordBatchPtr>(std::move(batch));
  }

 private:
  int64_t TimestampMicros(int64_t v) const {
    if (rows_per_batch_ > 0) {
      return (start_timestamp_ms_ + (v / rows_per_batch_) * advance_ms_) * 1000;
    }
    // Spread evenly over (begin_time, end_time]; the last row of the batch is at end_time.
    const __int128 span_us = static_cast<__int128>(end_time_ms_ - begin_time_ms_) * 1000;
    return begin_time_ms_ * 1000 +
           static_cast<int64_t>(span_us * (v - begin_ + 1) / (end_ - begin_));
  }

  columnar::SchemaPtr schema_;
  RateSchema kind_;
  int64_t rows_per_batch_;
  int64_t start_timestamp_ms_;
  int64_t advance_ms_;
  int64_t chunk_;
  int64_t begin_, end_, next_;
  int64_t begin_time_ms_, end_time_ms_;
};

}  // namespace

Result<RateSourceOptions> RateSourceOptions::FromMap(
    const std::map<std::string, std::string>& options) {
  RateSourceOptions out;
  for (const auto& [key, value] : options) {
    if (key == "rowsPerSecond") {
      SILT_ASSIGN_OR_RETURN(out.rows_per_second, ParseInt(key, value, 1));
    } else if (key == "rampUpTime") {
      SILT_ASSIGN_OR_RETURN(out.ramp_up_time_seconds, ParseSeconds(key, value));
    } else if (key == "numPartitions") {
      SILT_ASSIGN_OR_RETURN(out.num_partitions, ParseInt(key, value, 1));
    } else if (key == "rowsPerBatch") {
      SILT_ASSIGN_OR_RETURN(out.rows_per_batch, ParseInt(key, value, 1));
    } else if (key == "startTimestamp") {
      SILT_ASSIGN_OR_RETURN(out.start_timestamp_ms, ParseInt(key, value, 0));
    } else if (key == "advanceMillisPerBatch") {
      SILT_ASSIGN_OR_RETURN(out.advance_millis_per_batch, ParseInt(key, value, 0));
    } else if (key == "totalRows") {
      SILT_ASSIGN_OR_RETURN(out.total_rows, ParseInt(key, value, 1));
    } else if (key == "schema") {
      if (value == "value") {
        out.schema = RateSchema::kValue;
      } else if (value == "clicks") {
        out.schema = RateSchema::kClicks;
      } else {
        return Status::InvalidArgument(
            "rate source option schema: expected 'value' or 'clicks', got '{}'", value);
      }
    } else {
      return Status::InvalidArgument(
          "unknown rate source option '{}' (known: rowsPerSecond, rampUpTime, numPartitions, "
          "rowsPerBatch, startTimestamp, advanceMillisPerBatch, totalRows, schema)",
          key);
    }
  }
  return out;
}

RateSource::RateSource(RateSourceOptions options)
    : options_(std::move(options)), schema_(SchemaFor(options_.schema)) {}

columnar::SchemaPtr RateSource::SchemaFor(RateSchema schema) {
  using namespace columnar;  // NOLINT(google-build-using-namespace)
  if (schema == RateSchema::kValue) {
    return Schema::Make({Field("timestamp", Timestamp()), Field("value", Int64())});
  }
  return Schema::Make({Field("event_time", Timestamp()), Field("user_id", Int64()),
                       Field("page", String()), Field("country", String()),
                       Field("event_date", Date()), Field("latency_ms", Int32())});
}

std::string RateSource::description() const {
  return options_.schema == RateSchema::kValue ? "RateSource[schema=value]"
                                               : "RateSource[schema=clicks]";
}

RateSource::Position RateSource::Beginning() const {
  return Position{0, options_.rows_per_batch > 0 ? options_.start_timestamp_ms : start_time_ms_};
}

int64_t RateSource::Now() const { return options_.clock ? options_.clock() : NowMillis(); }

Status RateSource::Open(const SourceContext& context) {
  start_time_ms_ = Now();
  if (context.fs == nullptr || context.metadata_dir.empty()) return Status::OK();
  const std::string path = fs::JoinPath(context.metadata_dir, kStartFile);
  auto text = context.fs->ReadFile(path);
  if (text.status().IsNotFound()) {
    json::Writer w;
    w.BeginObject().Field(kStartTimeMsName, start_time_ms_).EndObject();
    Status put = context.fs->PutIfAbsent(path, w.str());
    if (put.ok()) return Status::OK();
    if (!put.IsAlreadyExists()) return put;
    text = context.fs->ReadFile(path);
  }
  if (!text.ok()) return text.status();
  json::Parser parser;
  auto obj = parser.ParseObject(*text);
  if (!obj.ok()) return obj.status().WithContext(path);
  auto start = obj->GetInt64(kStartTimeMsName);
  if (!start.ok()) return start.status().WithContext(path);
  start_time_ms_ = *start;
  return Status::OK();
}

int64_t RateSource::RowsAfter(int64_t elapsed_ms) const {
  if (elapsed_ms <= 0) return 0;
  const long double r = static_cast<long double>(options_.rows_per_second);
  const long double e = static_cast<long double>(elapsed_ms);
  const long double ramp_ms = static_cast<long double>(options_.ramp_up_time_seconds) * 1000;
  long double rows;
  if (ramp_ms > 0 && e < ramp_ms) {
    // The rate grows linearly from 0 to r over the ramp: rows = r t^2 / (2 R).
    rows = r * e * e / (2 * ramp_ms * 1000);
  } else {
    rows = r * (e - ramp_ms / 2) / 1000;
  }
  return static_cast<int64_t>(rows);
}

RateSource::Position RateSource::PositionAt(int64_t now_ms) const {
  Position p{RowsAfter(now_ms - start_time_ms_), now_ms};
  if (options_.total_rows > 0) p.value = std::min(p.value, options_.total_rows);
  return p;
}

Status RateSource::PrepareForAvailableNow() {
  if (options_.rows_per_batch > 0) {
    if (options_.total_rows <= 0) {
      return Status::InvalidArgument(
          "RateSource: the available-now trigger needs totalRows with rowsPerBatch (the stream "
          "is otherwise endless)");
    }
    available_now_limit_ = Position{options_.total_rows, 0};
  } else {
    available_now_limit_ = PositionAt(Now());
  }
  return Status::OK();
}

Result<RateSource::Position> RateSource::ParseOffset(const Offset& offset) {
  json::Parser parser;
  auto obj = parser.ParseObject(offset);
  if (!obj.ok()) return obj.status().WithContext("RateSource offset");
  Position p;
  auto value = obj->GetInt64(kValueName);
  if (!value.ok()) return value.status().WithContext("RateSource offset");
  auto time = obj->GetInt64(kTimeMsName);
  if (!time.ok()) return time.status().WithContext("RateSource offset");
  if (*value < 0) return Status::Corruption("RateSource offset: negative value {}", *value);
  p.value = *value;
  p.time_ms = *time;
  return p;
}

Offset RateSource::FormatOffset(Position position) {
  json::Writer w;
  w.BeginObject().Field(kValueName, position.value).Field(kTimeMsName, position.time_ms);
  w.EndObject();
  return w.Release();
}

Result<std::optional<Offset>> RateSource::NextBatchEnd(const std::optional<Offset>& start) {
  Position from = Beginning();
  if (start) {
    SILT_ASSIGN_OR_RETURN(from, ParseOffset(*start));
  }
  Position to;
  if (options_.rows_per_batch > 0) {
    to.value = from.value + options_.rows_per_batch;
    if (options_.total_rows > 0) to.value = std::min(to.value, options_.total_rows);
    if (available_now_limit_) to.value = std::min(to.value, available_now_limit_->value);
    to.time_ms = options_.start_timestamp_ms +
                 ((std::max<int64_t>(to.value, 1) - 1) / options_.rows_per_batch) *
                     options_.advance_millis_per_batch;
  } else {
    to = available_now_limit_ ? *available_now_limit_ : PositionAt(Now());
  }
  latest_ = to;
  if (to.value <= from.value) return std::optional<Offset>();
  to.time_ms = std::max(to.time_ms, from.time_ms);
  return std::optional<Offset>(FormatOffset(to));
}

Result<std::unique_ptr<BatchReader>> RateSource::ReadBatch(const std::optional<Offset>& start,
                                                           const Offset& end) {
  Position from = Beginning();
  if (start) {
    SILT_ASSIGN_OR_RETURN(from, ParseOffset(*start));
  }
  SILT_ASSIGN_OR_RETURN(Position to, ParseOffset(end));
  if (to.value < from.value) {
    return Status::InvalidArgument("RateSource: batch end {} is before its start {}", end,
                                   start.value_or("(beginning)"));
  }
  return std::unique_ptr<BatchReader>(std::make_unique<RateBatchReader>(
      schema_, options_, from.value, to.value, from.time_ms, to.time_ms));
}

std::optional<Offset> RateSource::latest_offset() const {
  if (!latest_) return std::nullopt;
  return FormatOffset(*latest_);
}

std::map<std::string, std::string> RateSource::Metrics() const {
  return {{"rowsPerSecond", std::to_string(options_.rows_per_second)}};
}

}  // namespace silt::stream
