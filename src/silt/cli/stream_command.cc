// `silt stream`: runs a streaming query from a source to a sink with a checkpoint folder, until
// its trigger ends it, --max-batches is reached, or SIGINT/SIGTERM stops it cleanly.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/fs/file_system_registry.h"
#include "silt/stream/delta/delta_sink.h"
#include "silt/stream/delta/delta_source.h"
#include "silt/stream/engine/streaming_query.h"
#include "silt/stream/engine/trigger.h"
#include "silt/stream/sink/basic_sinks.h"
#include "silt/stream/source/rate_source.h"

namespace silt::cli {
namespace {

struct StreamArgs {
  std::string from;
  std::string to;
  std::string checkpoint;
  std::vector<std::string> options;
  std::vector<std::string> sink_options;
  std::string trigger = "interval:0";
  std::string progress_log;
  int64_t progress_log_max_records = 0;  // 0: the engine's default
  std::string no_data_progress_interval;
  int64_t max_batches = 0;
  std::string name;
  std::string format = "table";
  int64_t num_rows = 20;
  int64_t min_batches_to_retain = stream::kDefaultMinBatchesToRetain;
};

// "kind:rest" -> {kind, rest}; a spec without ':' is all kind.
std::pair<std::string, std::string> SplitSpec(const std::string& spec) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos) return {spec, ""};
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

Status AddOption(const std::string& kv, std::map<std::string, std::string>* out) {
  size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidArgument("option '{}': expected key=value", kv);
  }
  (*out)[kv.substr(0, eq)] = kv.substr(eq + 1);
  return Status::OK();
}

Result<std::unique_ptr<stream::Source>> MakeSource(const StreamArgs& args) {
  auto [kind, rest] = SplitSpec(args.from);
  std::map<std::string, std::string> options;
  if (kind == "rate") {
    size_t start = 0;
    while (start < rest.size()) {
      size_t comma = rest.find(',', start);
      if (comma == std::string::npos) comma = rest.size();
      if (comma > start) SILT_RETURN_NOT_OK(AddOption(rest.substr(start, comma - start), &options));
      start = comma + 1;
    }
    for (const std::string& kv : args.options) SILT_RETURN_NOT_OK(AddOption(kv, &options));
    SILT_ASSIGN_OR_RETURN(stream::RateSourceOptions rate,
                          stream::RateSourceOptions::FromMap(options));
    return std::unique_ptr<stream::Source>(std::make_unique<stream::RateSource>(std::move(rate)));
  }
  if (kind == "delta") {
    if (rest.empty()) return Status::InvalidArgument("--from delta:PATH needs a table path");
    for (const std::string& kv : args.options) SILT_RETURN_NOT_OK(AddOption(kv, &options));
    SILT_ASSIGN_OR_RETURN(std::shared_ptr<fs::FileSystem> table_fs, fs::FileSystemFromUri(rest));
    return stream::MakeDeltaSource(std::move(table_fs), rest, std::move(options));
  }
  return Status::InvalidArgument("--from '{}': expected rate:[k=v,...] or delta:PATH", args.from);
}

struct SinkParts {
  std::unique_ptr<stream::Sink> sink;
  std::shared_ptr<fs::FileSystem> fs;  // keeps a sink's FileSystem alive
};

Result<SinkParts> MakeSink(const StreamArgs& args) {
  auto [kind, rest] = SplitSpec(args.to);
  SinkParts parts;
  if (kind == "console") {
    stream::ConsoleSinkOptions options;
    if (args.format == "json") {
      options.format = stream::ConsoleFormat::kJsonLines;
    } else if (args.format != "table") {
      return Status::InvalidArgument("--format '{}': expected table or json", args.format);
    }
    options.num_rows = args.num_rows;
    parts.sink = std::make_unique<stream::ConsoleSink>(std::cout, options);
    return parts;
  }
  if (kind == "json") {
    if (rest.empty()) return Status::InvalidArgument("--to json:DIR needs a folder");
    SILT_ASSIGN_OR_RETURN(parts.fs, fs::FileSystemFromUri(rest));
    parts.sink = std::make_unique<stream::JsonFilesSink>(*parts.fs, rest);
    return parts;
  }
  if (kind == "delta") {
    if (rest.empty()) return Status::InvalidArgument("--to delta:PATH needs a table path");
    std::map<std::string, std::string> options;
    for (const std::string& kv : args.sink_options) SILT_RETURN_NOT_OK(AddOption(kv, &options));
    SILT_ASSIGN_OR_RETURN(parts.fs, fs::FileSystemFromUri(rest));
    SILT_ASSIGN_OR_RETURN(parts.sink, stream::MakeDeltaSink(parts.fs, rest, std::move(options)));
    return parts;
  }
  return Status::InvalidArgument("--to '{}': expected console, json:DIR or delta:PATH", args.to);
}

// Runs the query until it ends; SIGINT/SIGTERM stop it. Both signals are blocked in every thread
// and taken synchronously here, so nothing runs in a signal handler.
Status RunQuery(stream::StreamingQuery& query) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  Status started = query.Start();  // the query's thread inherits the blocked mask
  if (started.ok()) {
    while (true) {
      timespec wait{0, 100 * 1000 * 1000};
      int sig = sigtimedwait(&signals, nullptr, &wait);
      if (sig == SIGINT || sig == SIGTERM) {
        std::fprintf(stderr, "silt stream: %s, stopping after the current batch\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
        query.Stop();
        break;
      }
      if (!query.is_active()) break;
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (!started.ok()) return started;
  return query.AwaitTermination();
}

Status RunStream(const StreamArgs& args) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<stream::Source> source, MakeSource(args));
  SILT_ASSIGN_OR_RETURN(SinkParts sink, MakeSink(args));
  SILT_ASSIGN_OR_RETURN(stream::Trigger trigger, stream::Trigger::Parse(args.trigger));
  SILT_ASSIGN_OR_RETURN(std::shared_ptr<fs::FileSystem> checkpoint_fs,
                        fs::FileSystemFromUri(args.checkpoint));
  std::shared_ptr<fs::FileSystem> progress_fs;
  if (!args.progress_log.empty()) {
    SILT_ASSIGN_OR_RETURN(progress_fs, fs::FileSystemFromUri(args.progress_log));
  }

  stream::QueryOptions options;
  options.name = args.name;
  options.checkpoint_fs = checkpoint_fs.get();
  options.checkpoint_location = args.checkpoint;
  options.trigger = trigger;
  options.sources.push_back(std::move(source));
  options.sink = std::move(sink.sink);
  options.progress_log_path = args.progress_log;
  options.progress_log_fs = progress_fs.get();
  if (args.progress_log_max_records > 0) {
    options.progress_log_max_records = args.progress_log_max_records;
  }
  if (!args.no_data_progress_interval.empty()) {
    SILT_ASSIGN_OR_RETURN(options.no_data_progress_interval_ms,
                          stream::ParseDurationMs(args.no_data_progress_interval));
  }
  options.max_batches = args.max_batches;
  options.min_batches_to_retain = args.min_batches_to_retain;
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<stream::StreamingQuery> query,
                        stream::StreamingQuery::Make(std::move(options)));
  Status result = RunQuery(*query);
  std::vector<stream::StreamingQueryProgress> progress = query->recent_progress();
  // Records of triggers that found no data (durationMs without addBatch) are not batches.
  std::erase_if(progress, [](const stream::StreamingQueryProgress& p) {
    return p.duration_ms.count("addBatch") == 0;
  });
  int64_t rows = 0;
  for (const auto& p : progress) rows += p.num_input_rows;
  std::fprintf(
      stderr, "silt stream: %s; next batch %lld%s\n", result.ok() ? "stopped" : "failed",
      static_cast<long long>(query->next_batch_id()),
      progress.empty()
          ? ""
          : fmt::format(" ({} batches, {} rows in this run)", progress.size(), rows).c_str());
  return result;
}

}  // namespace

void RegisterStreamCommands(CLI::App& app) {
  static StreamArgs args;
  CLI::App* s =
      AddCommand(app, "stream", "Run a streaming query from a source to a sink with a checkpoint",
                 [] { return RunStream(args); });
  s->add_option("--from", args.from,
                "Source: rate:[rowsPerSecond=N,rampUpTime=D,rowsPerBatch=N,totalRows=N,"
                "schema=value|clicks,...] or delta:PATH")
      ->required();
  s->add_option("--to", args.to,
                "Sink: console, json:DIR (one JSON-lines file per batch) or "
                "delta:PATH")
      ->required();
  s->add_option("--checkpoint", args.checkpoint, "Checkpoint folder (path or URI)")->required();
  s->add_option("--option", args.options, "Source option key=value (repeatable)");
  s->add_option("--sink-option", args.sink_options,
                "Sink option key=value (repeatable), e.g. partitionBy=event_date for delta");
  s->add_option("--trigger", args.trigger,
                "available-now, once, interval:DURATION (default interval:0) or "
                "continuous[:DURATION]");
  s->add_option("--progress-log", args.progress_log, "Append progress records (JSON lines) here");
  s->add_option("--progress-log-max-records", args.progress_log_max_records,
                "Records per progress log file before it rolls to FILE.1, FILE.2, ... "
                "(default 100)")
      ->check(CLI::PositiveNumber);
  s->add_option("--no-data-progress-interval", args.no_data_progress_interval,
                "While idle, report a no-data progress record this often (default 10s; 0 "
                "turns it off)");
  s->add_option("--max-batches", args.max_batches, "Stop after N batches")
      ->check(CLI::NonNegativeNumber);
  s->add_option("--name", args.name, "Query name for progress records");
  s->add_option("--format", args.format, "Console sink: table (default) or json");
  s->add_option("--num-rows", args.num_rows, "Console sink: rows shown per batch (default 20)")
      ->check(CLI::NonNegativeNumber);
  s->add_option("--min-batches-to-retain", args.min_batches_to_retain,
                "Checkpoint entries kept (default 100)")
      ->check(CLI::PositiveNumber);
}

}  // namespace silt::cli
