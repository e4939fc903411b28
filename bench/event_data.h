// The event table of the Parquet benchmark, shared by the benchmarks that use the same rows
// (parquet, delta_write, stream):
//
//   id BIGINT, ts TIMESTAMP, user_id INT, event_type STRING (20 distinct values),
//   amount DOUBLE, payload STRING (50 random alphanumeric characters)
//
// Rows are a pure function of their index and one seeded generator, so every benchmark writes
// exactly the same values. EventGenerator yields them batch by batch (nothing needs to be held
// in memory); MakeEvents materializes them.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "silt/base/result.h"
#include "silt/columnar/builder.h"
#include "silt/columnar/record_batch.h"
#include "silt/columnar/schema.h"

namespace silt::bench {

inline constexpr int64_t kEventBatchRows = 64 * 1024;
inline constexpr const char* kEventTypes[20] = {
    "page_view", "click",       "scroll",     "add_to_cart", "remove_from_cart",
    "checkout",  "purchase",    "refund",     "login",       "logout",
    "signup",    "search",      "share",      "like",        "comment",
    "subscribe", "unsubscribe", "video_play", "video_end",   "error"};

inline columnar::SchemaPtr EventSchema() {
  namespace col = columnar;
  return col::Schema::Make(
      {col::Field("id", col::Int64()), col::Field("ts", col::Timestamp()),
       col::Field("user_id", col::Int32()), col::Field("event_type", col::String()),
       col::Field("amount", col::Float64()), col::Field("payload", col::String())});
}

// What a reader saw: an aggregate over every value, equal for equal content.
struct EventChecksum {
  int64_t id = 0, user_id = 0, string_bytes = 0;
  uint64_t ts = 0;  // wraps: a sum of 10^7 timestamps overflows 64 bits
  double amount = 0;
  int64_t data_bytes = 0;
};

// Yields the rows 0..rows-1 in batches of kEventBatchRows, adding them to a checksum.
class EventGenerator {
 public:
  explicit EventGenerator(int64_t rows) : rows_(rows) {}

  int64_t rows() const { return rows_; }

  // The next batch, or nullptr after the last row.
  Result<columnar::RecordBatchPtr> Next(EventChecksum* sum) {
    namespace col = columnar;
    static constexpr char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    if (next_ >= rows_) return columnar::RecordBatchPtr{};
    const int64_t first = next_;
    const int64_t n = std::min(kEventBatchRows, rows_ - first);
    SILT_ASSIGN_OR_RETURN(auto b, col::RecordBatchBuilder::Make(EventSchema()));
    auto* id = b->GetFieldAs<col::Int64Builder>(0);
    auto* ts = b->GetFieldAs<col::TimestampBuilder>(1);
    auto* user = b->GetFieldAs<col::Int32Builder>(2);
    auto* type = b->GetFieldAs<col::StringBuilder>(3);
    auto* amount = b->GetFieldAs<col::Float64Builder>(4);
    auto* text = b->GetFieldAs<col::StringBuilder>(5);
    for (int64_t i = first; i < first + n; ++i) {
      const int64_t t = int64_t{1735689600000000} + i * 1000 + static_cast<int64_t>(rng_() % 1000);
      const auto u = static_cast<int32_t>(rng_() % 1000000);
      const char* e = kEventTypes[rng_() % 20];
      const double a = static_cast<double>(rng_() % 100000) / 100.0;
      for (char& c : payload_) c = kAlphabet[rng_() % 62];
      SILT_RETURN_NOT_OK(id->Append(i));
      SILT_RETURN_NOT_OK(ts->Append(t));
      SILT_RETURN_NOT_OK(user->Append(u));
      SILT_RETURN_NOT_OK(type->Append(e));
      SILT_RETURN_NOT_OK(amount->Append(a));
      SILT_RETURN_NOT_OK(text->Append(payload_));
      sum->id += i;
      sum->ts += static_cast<uint64_t>(t);
      sum->user_id += u;
      sum->amount += a;
      const auto len = static_cast<int64_t>(std::char_traits<char>::length(e)) + 50;
      sum->string_bytes += len;
      sum->data_bytes += 28 + len;
    }
    next_ = first + n;
    return b->Flush();
  }

 private:
  int64_t rows_;
  int64_t next_ = 0;
  std::mt19937_64 rng_{42};
  std::string payload_ = std::string(50, ' ');
};

// All rows in memory.
inline Result<std::vector<columnar::RecordBatchPtr>> MakeEvents(int64_t rows, EventChecksum* sum) {
  EventGenerator gen(rows);
  std::vector<columnar::RecordBatchPtr> batches;
  while (true) {
    SILT_ASSIGN_OR_RETURN(auto batch, gen.Next(sum));
    if (!batch) break;
    batches.push_back(std::move(batch));
  }
  return batches;
}

// User + system CPU seconds of this process so far.
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace silt::bench
