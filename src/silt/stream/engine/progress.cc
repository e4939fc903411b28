#include "silt/stream/engine/progress.h"

#include "silt/json/json_writer.h"

namespace silt::stream {
namespace {

void WriteOptionalRaw(json::Writer& w, std::string_view key,
                      const std::optional<std::string>& json) {
  w.Key(key);
  if (json) {
    w.RawJson(*json);
  } else {
    w.Null();
  }
}

void WriteMetrics(json::Writer& w, const std::map<std::string, std::string>& metrics) {
  w.Key("metrics").BeginObject();
  for (const auto& [name, value] : metrics) w.Key(name).RawJson(value);
  w.EndObject();
}

}  // namespace

std::string StreamingQueryProgress::ToJson() const {
  json::Writer w;
  w.BeginObject()
      .Field("id", id)
      .Field("runId", run_id)
      .Field("name", name)
      .Field("timestamp", timestamp)
      .Field("batchId", batch_id)
      .Field("numInputRows", num_input_rows);
  w.Key("inputRowsPerSecond").Double(input_rows_per_second);
  w.Key("processedRowsPerSecond").Double(processed_rows_per_second);
  w.Key("durationMs").BeginObject();
  for (const auto& [phase, ms] : duration_ms) w.Field(phase, ms);
  w.EndObject();
  w.Key("eventTime").BeginObject().Field("watermark", batch_watermark_ms).EndObject();
  w.Key("stateOperators").BeginArray().EndArray();
  w.Key("sources").BeginArray();
  for (const SourceProgress& source : sources) {
    w.BeginObject().Field("description", source.description);
    WriteOptionalRaw(w, "startOffset", source.start_offset);
    WriteOptionalRaw(w, "endOffset", source.end_offset);
    WriteOptionalRaw(w, "latestOffset", source.latest_offset);
    w.Field("numInputRows", source.num_input_rows);
    w.Key("inputRowsPerSecond").Double(source.input_rows_per_second);
    w.Key("processedRowsPerSecond").Double(source.processed_rows_per_second);
    WriteMetrics(w, source.metrics);
    w.EndObject();
  }
  w.EndArray();
  w.Key("sink").BeginObject().Field("description", sink.description);
  w.Field("numOutputRows", sink.num_output_rows);
  WriteMetrics(w, sink.metrics);
  w.EndObject();
  w.EndObject();
  return w.Release();
}

}  // namespace silt::stream
