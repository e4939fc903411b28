#include "silt/stream/delta/delta_source.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "silt/base/byte_size.h"
#include "silt/base/logging.h"
#include "silt/base/time.h"
#include "silt/columnar/array.h"
#include "silt/columnar/from_json.h"
#include "silt/delta/log/commit_history.h"
#include "silt/delta/log/commit_range.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/scan/scan.h"
#include "silt/delta/scan/table_changes.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/snapshot.h"
#include "silt/delta/table/table_properties.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"
#include "silt/stream/delta/path_regex.h"

namespace silt::stream {

namespace col = ::silt::columnar;
namespace opt = delta_source_option;
using delta::Action;
using delta::Add;
using delta::AddCDCFile;
using delta::Remove;

// ---------------------------------------------------------------------------------------------
// Offsets

namespace {
constexpr std::string_view kSourceVersionField = "sourceVersion";
constexpr std::string_view kReservoirIdField = "reservoirId";
constexpr std::string_view kReservoirVersionField = "reservoirVersion";
constexpr std::string_view kIndexField = "index";
constexpr std::string_view kIsStartingVersionField = "isStartingVersion";
// Spark's in-memory base index of offset format 3, written as -1 in format 1.
constexpr int64_t kBaseIndexV3 = -100;
}  // namespace

std::string DeltaSourceOffset::ToJson() const {
  json::Writer w;
  w.BeginObject()
      .Field(kSourceVersionField, int64_t{1})
      .Field(kReservoirIdField, reservoir_id)
      .Field(kReservoirVersionField, reservoir_version)
      .Field(kIndexField, index)
      .Field(kIsStartingVersionField, is_starting_version)
      .EndObject();
  return w.Release();
}

Result<DeltaSourceOffset> DeltaSourceOffset::Parse(std::string_view text) {
  json::Parser parser;
  auto bad = [&](const Status& s) {
    return Status::InvalidArgument("not a Delta source offset: {} (offset '{}')", s.message(),
                                   text);
  };
  Result<json::Object> object = parser.ParseObject(text);
  if (!object.ok()) return bad(object.error());
  DeltaSourceOffset o;
  Result<int64_t> source_version = object->GetInt64(kSourceVersionField);
  if (!source_version.ok()) return bad(source_version.error());
  if (*source_version != 1 && *source_version != 3) {
    return Status::InvalidArgument("Delta source offset format {} is not supported (1 and 3 are)",
                                   *source_version);
  }
  Result<std::string_view> id = object->GetString(kReservoirIdField);
  if (!id.ok()) return bad(id.error());
  o.reservoir_id = std::string(*id);
  Result<int64_t> version = object->GetInt64(kReservoirVersionField);
  if (!version.ok()) return bad(version.error());
  o.reservoir_version = *version;
  Result<int64_t> index = object->GetInt64(kIndexField);
  if (!index.ok()) return bad(index.error());
  o.index = *index == kBaseIndexV3 ? kBaseIndex : *index;
  Result<bool> starting = object->GetBool(kIsStartingVersionField);
  if (!starting.ok()) return bad(starting.error());
  o.is_starting_version = *starting;
  if (o.reservoir_version < 0 || o.index < kBaseIndex) {
    return Status::InvalidArgument("Delta source offset '{}' has a negative version or index",
                                   text);
  }
  return o;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Options

struct SourceOptions {
  std::optional<int64_t> starting_version;
  bool starting_latest = false;
  std::optional<int64_t> starting_timestamp_ms;
  std::optional<int64_t> ending_version;
  std::optional<int64_t> max_files;
  std::optional<int64_t> max_bytes;
  bool ignore_deletes = false;
  bool ignore_changes = false;
  bool skip_change_commits = false;
  bool read_change_feed = false;
  std::shared_ptr<const PathRegex> exclude_regex;
  bool fail_on_data_loss = true;
  bool split_commits = true;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<int64_t> ParseNonNegative(std::string_view name, std::string_view value) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size() || v < 0) {
    return Status::InvalidArgument("option {}: '{}' is not a non-negative integer", name, value);
  }
  return v;
}

Result<bool> ParseBool(std::string_view name, std::string_view value) {
  std::string v = Lower(value);
  if (v == "true") return true;
  if (v == "false") return false;
  return Status::InvalidArgument("option {}: '{}' is not true or false", name, value);
}

Result<int64_t> ParseBytes(std::string_view name, std::string_view value) {
  Result<int64_t> bytes = ParseByteSize(value);
  if (!bytes.ok()) return bytes.error().WithContext(fmt::format("option {}", name));
  return bytes;
}

Result<int64_t> ParseTimestampOption(std::string_view name, std::string_view value) {
  if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return ParseNonNegative(name, value);
  }
  Result<int64_t> micros = col::ParseTimestampMicros(value);
  if (micros.ok()) return *micros / 1000;
  Result<int32_t> days = col::ParseDate(value);
  if (days.ok()) return int64_t{*days} * delta::kMillisPerDay;
  return Status::InvalidArgument(
      "option {}: '{}' is not a timestamp (yyyy-mm-dd, yyyy-mm-ddThh:mm:ss[.f][Z] or epoch "
      "milliseconds)",
      name, value);
}

constexpr std::string_view kKnownOptions[] = {
    opt::kStartingVersion,    opt::kStartingTimestamp, opt::kMaxFilesPerTrigger,
    opt::kMaxBytesPerTrigger, opt::kIgnoreDeletes,     opt::kIgnoreChanges,
    opt::kIgnoreFileDeletion, opt::kSkipChangeCommits, opt::kReadChangeFeed,
    opt::kReadChangeData,     opt::kExcludeRegex,      opt::kFailOnDataLoss,
    opt::kEndingVersion,      opt::kSplitCommits};

Result<SourceOptions> ParseOptions(const std::map<std::string, std::string>& options) {
  SourceOptions o;
  for (const auto& [key, value] : options) {
    std::string k = Lower(key);
    auto is = [&](std::string_view name) { return k == Lower(name); };
    if (is(opt::kStartingVersion)) {
      if (Lower(value) == "latest") {
        o.starting_latest = true;
      } else {
        SILT_ASSIGN_OR_RETURN(int64_t v, ParseNonNegative(opt::kStartingVersion, value));
        o.starting_version = v;
      }
    } else if (is(opt::kStartingTimestamp)) {
      SILT_ASSIGN_OR_RETURN(int64_t ts, ParseTimestampOption(opt::kStartingTimestamp, value));
      o.starting_timestamp_ms = ts;
    } else if (is(opt::kEndingVersion)) {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseNonNegative(opt::kEndingVersion, value));
      o.ending_version = v;
    } else if (is(opt::kMaxFilesPerTrigger)) {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseNonNegative(opt::kMaxFilesPerTrigger, value));
      if (v == 0) {
        return Status::InvalidArgument("option {}: must be positive", opt::kMaxFilesPerTrigger);
      }
      o.max_files = v;
    } else if (is(opt::kMaxBytesPerTrigger)) {
      SILT_ASSIGN_OR_RETURN(int64_t v, ParseBytes(opt::kMaxBytesPerTrigger, value));
      o.max_bytes = v;
    } else if (is(opt::kIgnoreDeletes)) {
      SILT_ASSIGN_OR_RETURN(o.ignore_deletes, ParseBool(opt::kIgnoreDeletes, value));
    } else if (is(opt::kIgnoreChanges) || is(opt::kIgnoreFileDeletion)) {
      SILT_ASSIGN_OR_RETURN(bool b, ParseBool(key, value));
      o.ignore_changes = o.ignore_changes || b;
    } else if (is(opt::kSkipChangeCommits)) {
      SILT_ASSIGN_OR_RETURN(o.skip_change_commits, ParseBool(opt::kSkipChangeCommits, value));
    } else if (is(opt::kReadChangeFeed) || is(opt::kReadChangeData)) {
      SILT_ASSIGN_OR_RETURN(bool b, ParseBool(key, value));
      o.read_change_feed = o.read_change_feed || b;
    } else if (is(opt::kExcludeRegex)) {
      Result<std::shared_ptr<const PathRegex>> re = PathRegex::Compile(value);
      if (!re.ok()) return re.error().WithContext(fmt::format("option {}", opt::kExcludeRegex));
      o.exclude_regex = *re;
    } else if (is(opt::kFailOnDataLoss)) {
      SILT_ASSIGN_OR_RETURN(o.fail_on_data_loss, ParseBool(opt::kFailOnDataLoss, value));
    } else if (is(opt::kSplitCommits)) {
      SILT_ASSIGN_OR_RETURN(o.split_commits, ParseBool(opt::kSplitCommits, value));
    } else {
      return Status::InvalidArgument("unknown Delta source option '{}'; known options: {}", key,
                                     fmt::join(kKnownOptions, ", "));
    }
  }
  int starts = (o.starting_version.has_value() || o.starting_latest ? 1 : 0) +
               (o.starting_timestamp_ms.has_value() ? 1 : 0);
  if (starts > 1) {
    return Status::InvalidArgument("options {} and {} cannot both be set", opt::kStartingVersion,
                                   opt::kStartingTimestamp);
  }
  if (o.ending_version.has_value() && o.starting_version.has_value() &&
      *o.ending_version < *o.starting_version) {
    return Status::InvalidArgument("option {} ({}) is before {} ({})", opt::kEndingVersion,
                                   *o.ending_version, opt::kStartingVersion, *o.starting_version);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Indexed files: Spark's IndexedFile, one position of the stream.

struct IndexedFile {
  int64_t version = 0;
  int64_t index = DeltaSourceOffset::kBaseIndex;
  bool is_last = false;
  bool is_snapshot = false;  // from the initial snapshot of `version`
  int64_t timestamp_ms = 0;
  std::optional<Add> add;
  std::optional<Remove> remove;
  std::optional<AddCDCFile> cdc;
  // Set on the base entry of a commit whose metadata the stream cannot read with its schema.
  std::optional<Status> schema_error;

  bool has_file() const { return add.has_value() || remove.has_value() || cdc.has_value(); }
  int64_t size() const {
    if (add) return add->size;
    if (remove) return remove->size.value_or(0);
    if (cdc) return cdc->size;
    return 0;
  }
  const std::string* path() const {
    if (add) return &add->path;
    if (remove) return &remove->path;
    if (cdc) return &cdc->path;
    return nullptr;
  }
};

// The position a walk starts after.
struct Position {
  int64_t version = 0;
  int64_t index = DeltaSourceOffset::kBaseIndex;
  bool is_starting_version = false;
};

bool SameType(const col::DataType& a, const col::DataType& b) {
  return a.Equals(b, /*check_metadata=*/false);
}

class DeltaSource;

// Walks the stream's indexed files after a position: the initial snapshot (when the position is
// in one), then each commit, read one at a time.
class Walker {
 public:
  Walker(DeltaSource& source, Position from, std::optional<DeltaSourceOffset> bound)
      : source_(source), from_(from), bound_(std::move(bound)) {}

  // The next indexed file after the start position and within the bound; nullopt at the end.
  Result<std::optional<IndexedFile>> Next();

 private:
  Status Fill();

  DeltaSource& source_;
  Position from_;
  std::optional<DeltaSourceOffset> bound_;
  bool started_ = false;
  std::deque<IndexedFile> pending_;
  std::unique_ptr<delta::CommitRange> range_;
  bool done_ = false;
};

// ---------------------------------------------------------------------------------------------
// The source

class DeltaSource final : public Source {
 public:
  DeltaSource(std::shared_ptr<fs::FileSystem> fs, std::string table_path, SourceOptions options)
      : fs_owner_(std::move(fs)),
        table_path_(std::move(table_path)),
        options_(std::move(options)) {}

  std::string description() const override { return fmt::format("DeltaSource[{}]", table_path_); }

  Status Open(const SourceContext& context) override;
  Result<col::SchemaPtr> schema() override {
    if (schema_ == nullptr) return Status::InvalidArgument("{}: not open", description());
    return schema_;
  }
  Status PrepareForAvailableNow() override {
    available_now_ = true;
    return Status::OK();
  }
  Result<std::optional<Offset>> NextBatchEnd(const std::optional<Offset>& start) override;
  Result<std::unique_ptr<BatchReader>> ReadBatch(const std::optional<Offset>& start,
                                                 const Offset& end) override;
  Status Commit(const Offset& end) override;
  std::optional<Offset> latest_offset() const override { return latest_offset_; }
  std::map<std::string, std::string> Metrics() const override { return metrics_; }

  // For the walker.
  fs::FileSystem& fs() { return *fs_; }
  const std::string& table_path() const { return table_path_; }
  const SourceOptions& options() const { return options_; }
  Result<std::shared_ptr<const std::vector<IndexedFile>>> SnapshotFiles(int64_t version);
  Result<std::unique_ptr<delta::CommitRange>> OpenCommits(int64_t from, std::optional<int64_t> to);
  // nullptr when `to` (or endingVersion) is before `from`.
  // Turns one commit into its indexed files (base entry first); validates it.
  Result<std::vector<IndexedFile>> IndexCommit(const delta::CommitActions& commit);
  Status DataLossError(std::string what) const;

  // Reading files, for the batch reader.
  Result<std::unique_ptr<delta::ScanIterator>> ReadFile(const Add& add);
  // The change feed of commits [first, last], without the files excludeRegex matches.
  Result<std::unique_ptr<delta::ScanIterator>> ReadChanges(int64_t first, int64_t last);
  const delta::Scan& scan() const { return *scan_; }
  const col::SchemaPtr& output_schema() const { return schema_; }

 private:
  Result<DeltaSourceOffset> ParseOffset(const Offset& text) const;
  Result<Position> InitialPosition();
  Result<std::optional<DeltaSourceOffset>> PlanEnd(Position from,
                                                   const std::optional<DeltaSourceOffset>& bound,
                                                   bool limited);
  DeltaSourceOffset OffsetAfter(const IndexedFile& file, const Position& from) const;
  // True for a file whose path excludeRegex matches.
  bool Excluded(const IndexedFile& file) const {
    const std::string* path = file.path();
    return options_.exclude_regex != nullptr && path != nullptr &&
           options_.exclude_regex->Search(*path);
  }
  Status CheckSchema(const delta::Metadata& metadata, int64_t version) const;
  void UpdateMetrics(const DeltaSourceOffset& position);

  std::shared_ptr<fs::FileSystem> fs_owner_;
  fs::FileSystem* fs_ = nullptr;
  std::string table_path_;
  SourceOptions options_;
  std::string metadata_dir_;

  std::shared_ptr<const delta::Snapshot> snapshot_;  // at Open: schema, table id
  std::unique_ptr<delta::Scan> scan_;
  col::SchemaPtr schema_;
  std::string table_id_;
  std::optional<Position> initial_;
  bool available_now_ = false;
  std::optional<std::optional<DeltaSourceOffset>> available_now_bound_;

  // The initial snapshot's files in stream order (one version cached).
  int64_t snapshot_files_version_ = -1;
  std::shared_ptr<const std::vector<IndexedFile>> snapshot_files_;
  // Per version: (data files, bytes, timestamp) of commits already read, for the backlog.
  struct VersionSummary {
    int64_t files = 0;
    int64_t bytes = 0;
    int64_t timestamp_ms = 0;
  };
  std::map<int64_t, VersionSummary> summaries_;
  std::optional<Offset> latest_offset_;
  std::map<std::string, std::string> metrics_;
  bool retention_warned_ = false;
  // The change feed is read with snapshot_ (the stream's schema) rather than a snapshot loaded
  // per read, except from the first version whose metadata changes how commit timestamps are
  // found (in-commit timestamps enabled or disabled) on.
  std::optional<int64_t> own_change_snapshot_from_;

  friend class Walker;
};

Status DeltaSource::Open(const SourceContext& context) {
  if (fs_owner_ != nullptr) {
    fs_ = fs_owner_.get();
  } else {
    fs_ = context.fs;
  }
  if (fs_ == nullptr) return Status::InvalidArgument("{}: no file system", description());
  metadata_dir_ = context.metadata_dir;
  delta::SnapshotOptions snapshot_options;
  snapshot_options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  SILT_ASSIGN_OR_RETURN(snapshot_, delta::Snapshot::Load(*fs_, table_path_, snapshot_options));
  if (options_.ending_version.has_value() && *options_.ending_version < snapshot_->version()) {
    snapshot_options.version = options_.ending_version;
    SILT_ASSIGN_OR_RETURN(snapshot_, delta::Snapshot::Load(*fs_, table_path_, snapshot_options));
  }
  table_id_ = snapshot_->metadata().id;
  SILT_ASSIGN_OR_RETURN(scan_, delta::ScanBuilder(snapshot_).Build());
  schema_ = scan_->output_schema();
  if (options_.read_change_feed) {
    std::vector<col::Field> fields = schema_->fields();
    fields.emplace_back(std::string(delta::kChangeTypeColumnName), col::String());
    fields.emplace_back(std::string(delta::kCommitVersionColumnName), col::Int64());
    fields.emplace_back(std::string(delta::kCommitTimestampColumnName), col::Timestamp());
    schema_ = col::Schema::Make(std::move(fields));
  }
  return Status::OK();
}

Result<DeltaSourceOffset> DeltaSource::ParseOffset(const Offset& text) const {
  SILT_ASSIGN_OR_RETURN(DeltaSourceOffset o, DeltaSourceOffset::Parse(text));
  if (o.reservoir_id != table_id_) {
    return Status::InvalidArgument(
        "{}: the query's offsets were written for the Delta table with id '{}', but the table "
        "at '{}' has id '{}' (it was replaced or the path points elsewhere); start a new query "
        "with a new checkpoint",
        description(), o.reservoir_id, table_path_, table_id_);
  }
  return o;
}

Status DeltaSource::DataLossError(std::string what) const {
  const delta::Metadata& m = snapshot_->metadata();
  auto prop = [&](std::string_view key, std::string_view def) {
    auto it = m.configuration.find(std::string(key));
    return it == m.configuration.end() ? fmt::format("{} (default)", def) : it->second;
  };
  return Status::NotFound(
      "{}: {}. The stream fell behind the table's retention: {} = {}, {} = {}. Set option {}="
      "false to skip ahead (losing that data), or restart the query from a new checkpoint",
      description(), what, delta::property::kLogRetentionDuration,
      prop(delta::property::kLogRetentionDuration, "interval 30 days"),
      delta::property::kDeletedFileRetentionDuration,
      prop(delta::property::kDeletedFileRetentionDuration, "interval 1 week"),
      opt::kFailOnDataLoss);
}

Result<std::unique_ptr<delta::CommitRange>> DeltaSource::OpenCommits(int64_t from,
                                                                     std::optional<int64_t> to) {
  delta::CommitRangeOptions range_options;
  range_options.end_version = to;
  if (options_.ending_version.has_value() && (!to.has_value() || *to > *options_.ending_version)) {
    range_options.end_version = options_.ending_version;
  }
  if (range_options.end_version.has_value() && *range_options.end_version < from) {
    return std::unique_ptr<delta::CommitRange>();  // nothing: the range ends before `from`
  }
  range_options.allow_missing_start = !options_.fail_on_data_loss;
  Result<std::unique_ptr<delta::CommitRange>> range =
      delta::CommitRange::Open(*fs_, table_path_, from, range_options);
  if (!range.ok()) {
    if (range.error().IsNotFound()) return DataLossError(range.error().message());
    return range.error();
  }
  if ((*range)->missing_versions().has_value()) {
    auto [a, b] = *(*range)->missing_versions();
    SILT_LOG_WARN(
        "{}: versions {}..{} were cleaned up from the log before the stream read "
        "them; skipping ahead to version {} ({}=false)",
        description(), a, b - 1, b, opt::kFailOnDataLoss);
    metrics_["numVersionsSkippedOnDataLoss"] = std::to_string(b - a);
  }
  return range;
}

Result<std::shared_ptr<const std::vector<IndexedFile>>> DeltaSource::SnapshotFiles(
    int64_t version) {
  if (snapshot_files_ != nullptr && snapshot_files_version_ == version) return snapshot_files_;
  std::shared_ptr<const delta::Snapshot> snap = snapshot_;
  if (snap->version() != version) {
    delta::SnapshotOptions snapshot_options;
    snapshot_options.version = version;
    snapshot_options.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
    Result<std::shared_ptr<const delta::Snapshot>> loaded =
        delta::Snapshot::Load(*fs_, table_path_, snapshot_options);
    if (!loaded.ok()) {
      if (loaded.error().IsNotFound()) {
        return DataLossError(fmt::format("the initial snapshot at version {} cannot be read: {}",
                                         version, loaded.error().message()));
      }
      return loaded.error();
    }
    snap = *loaded;
  }
  const delta::FileList& live = snap->files();
  std::vector<size_t> order(live.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // By (modification time, path), as Spark orders a first snapshot, then deletion vector id: an
  // order of the files alone, whatever order the snapshot holds them in (offsets index it).
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const int64_t ta = live[a].modification_time(), tb = live[b].modification_time();
    if (ta != tb) return ta < tb;
    if (live[a].path() != live[b].path()) return live[a].path() < live[b].path();
    return live[a].dv_unique_id() < live[b].dv_unique_id();
  });
  auto files = std::make_shared<std::vector<IndexedFile>>();
  files->reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    IndexedFile f;
    f.version = version;
    f.index = static_cast<int64_t>(i);
    f.is_last = i + 1 == order.size();
    f.is_snapshot = true;
    f.timestamp_ms = snap->timestamp_ms();
    f.add = live[order[i]].ToAdd();
    f.add->stats.reset();  // not needed to read; keeps the list small
    files->push_back(std::move(f));
  }
  snapshot_files_ = std::move(files);
  snapshot_files_version_ = version;
  return snapshot_files_;
}

// A description of how `table` (a schema of the table at some version) differs from `stream`:
// added, dropped and retyped columns, renames when column mapping tells them apart.
struct SchemaDiff {
  std::vector<std::string> added;
  std::vector<std::string> dropped;
  std::vector<std::string> changed;
  bool equal() const { return added.empty() && dropped.empty() && changed.empty(); }
};

const col::Field* FindField(const std::vector<col::Field>& fields, std::string_view name) {
  for (const col::Field& f : fields) {
    if (f.name() == name) return &f;
  }
  return nullptr;
}

void DiffFields(const std::vector<col::Field>& stream, const std::vector<col::Field>& table,
                const std::string& prefix, SchemaDiff& d);

// Struct fields are compared one by one (a new nested field is an addition), through list
// elements and map values too; any other difference is a type change of `path`.
void DiffTypes(const col::DataType& stream, const col::DataType& table, const std::string& path,
               SchemaDiff& d) {
  if (SameType(stream, table)) return;
  if (stream.id() == col::TypeId::kStruct && table.id() == col::TypeId::kStruct) {
    DiffFields(col::AsStruct(stream).fields(), col::AsStruct(table).fields(), path + ".", d);
    return;
  }
  if (stream.id() == col::TypeId::kList && table.id() == col::TypeId::kList) {
    DiffTypes(*col::AsList(stream).element_field().type(),
              *col::AsList(table).element_field().type(), path + ".element", d);
    return;
  }
  if (stream.id() == col::TypeId::kMap && table.id() == col::TypeId::kMap) {
    const col::MapType& sm = col::AsMap(stream);
    const col::MapType& tm = col::AsMap(table);
    if (SameType(*sm.key_type(), *tm.key_type())) {
      DiffTypes(*sm.value_type(), *tm.value_type(), path + ".value", d);
      return;
    }
  }
  d.changed.push_back(fmt::format("{} ({} -> {})", path, stream.ToString(), table.ToString()));
}

void DiffFields(const std::vector<col::Field>& stream, const std::vector<col::Field>& table,
                const std::string& prefix, SchemaDiff& d) {
  for (const col::Field& f : stream) {
    const col::Field* t = FindField(table, f.name());
    if (t == nullptr) {
      d.dropped.push_back(prefix + f.name());
    } else {
      DiffTypes(*f.type(), *t->type(), prefix + f.name(), d);
    }
  }
  for (const col::Field& f : table) {
    if (FindField(stream, f.name()) == nullptr) d.added.push_back(prefix + f.name());
  }
}

SchemaDiff DiffSchemas(const col::Schema& stream, const col::Schema& table) {
  SchemaDiff d;
  DiffFields(stream.fields(), table.fields(), "", d);
  return d;
}

Status DeltaSource::CheckSchema(const delta::Metadata& metadata, int64_t version) const {
  SILT_ASSIGN_OR_RETURN(col::SchemaPtr table, delta::ParseSchemaString(metadata.schema_string));
  const col::Schema& stream = *snapshot_->schema();
  SchemaDiff d = DiffSchemas(stream, *table);
  bool partitioning_changed = metadata.partition_columns != snapshot_->partition_columns();
  if (d.equal() && !partitioning_changed) return Status::OK();
  bool later = version > snapshot_->version();
  if (!later && d.dropped.empty() && d.changed.empty() && !partitioning_changed) {
    // An older schema with fewer columns: its files read with the newer schema (nulls).
    return Status::OK();
  }
  if (later && d.dropped.empty() && d.changed.empty() && !partitioning_changed) {
    return Status::Unsupported(
               "{}: version {} added column(s) {} to the table; the stream reads with the "
               "schema of version {}. Restart the query to read the new columns",
               description(), version, fmt::join(d.added, ", "), snapshot_->version())
        .WithRetryable(true);
  }
  std::vector<std::string> what;
  if (!d.dropped.empty() && !d.added.empty()) {
    what.push_back(fmt::format("column(s) {} dropped or renamed (now also {})",
                               fmt::join(d.dropped, ", "), fmt::join(d.added, ", ")));
  } else if (!d.dropped.empty()) {
    what.push_back(fmt::format("column(s) {} dropped", fmt::join(d.dropped, ", ")));
  } else if (!d.added.empty()) {
    what.push_back(fmt::format("column(s) {} added", fmt::join(d.added, ", ")));
  }
  if (!d.changed.empty()) {
    what.push_back(fmt::format("type of {} changed", fmt::join(d.changed, ", ")));
  }
  if (partitioning_changed) {
    what.push_back(fmt::format("partition columns [{}] -> [{}]",
                               fmt::join(snapshot_->partition_columns(), ", "),
                               fmt::join(metadata.partition_columns, ", ")));
  }
  return Status::Unsupported(
      "{}: the schema changed incompatibly at version {} ({}) against the stream's schema of "
      "version {}; the stream cannot continue. Start a new query (new checkpoint) with {} "
      "after version {} to read the table from there",
      description(), version, fmt::join(what, "; "), snapshot_->version(), opt::kStartingVersion,
      version);
}

Result<std::vector<IndexedFile>> DeltaSource::IndexCommit(const delta::CommitActions& commit) {
  std::vector<IndexedFile> out;
  IndexedFile base;
  base.version = commit.version;
  base.timestamp_ms = commit.timestamp_ms;
  VersionSummary summary;
  summary.timestamp_ms = commit.timestamp_ms;

  const std::string* removed_path = nullptr;
  bool seen_add = false;
  bool has_cdc = false;
  for (const Action& a : commit.actions) {
    if (const auto* add = std::get_if<Add>(&a); add != nullptr && add->data_change) {
      seen_add = true;
    } else if (const auto* r = std::get_if<Remove>(&a); r != nullptr && r->data_change) {
      if (removed_path == nullptr) removed_path = &r->path;
    } else if (const auto* m = std::get_if<delta::Metadata>(&a)) {
      Status s = CheckSchema(*m, commit.version);
      if (!s.ok()) base.schema_error = s;
      Result<std::optional<int64_t>> ict = delta::InCommitTimestampStartVersion(*m);
      Result<std::optional<int64_t>> stream_ict =
          delta::InCommitTimestampStartVersion(snapshot_->metadata());
      if (!ict.ok() || !stream_ict.ok() || *ict != *stream_ict) {
        own_change_snapshot_from_ =
            std::min(own_change_snapshot_from_.value_or(commit.version), commit.version);
      }
    } else if (std::holds_alternative<AddCDCFile>(a)) {
      has_cdc = true;
    }
  }
  std::vector<IndexedFile> files;
  auto push = [&](IndexedFile f) {
    f.version = commit.version;
    f.timestamp_ms = commit.timestamp_ms;
    f.index = static_cast<int64_t>(files.size());
    ++summary.files;
    summary.bytes += f.size();
    files.push_back(std::move(f));
  };
  if (options_.read_change_feed) {
    for (const Action& a : commit.actions) {
      IndexedFile f;
      if (has_cdc) {
        if (const auto* c = std::get_if<AddCDCFile>(&a)) f.cdc = *c;
      } else if (const auto* add = std::get_if<Add>(&a); add != nullptr && add->data_change) {
        f.add = *add;
      } else if (const auto* r = std::get_if<Remove>(&a); r != nullptr && r->data_change) {
        f.remove = *r;
      }
      if (f.has_file()) push(std::move(f));
    }
  } else {
    bool skip = false;
    if (removed_path != nullptr) {
      bool allow_changes = options_.ignore_changes || options_.skip_change_commits;
      bool allow_deletes = allow_changes || options_.ignore_deletes;
      if (seen_add && !allow_changes) {
        return Status::Unsupported(
            "{}: version {} of the table updated or rewrote data (removed '{}' and added files). "
            "A stream only reads appends; set option {}=true to skip such commits, or {}=true "
            "to read their added files again (rows may repeat)",
            description(), commit.version, *removed_path, opt::kSkipChangeCommits,
            opt::kIgnoreChanges);
      }
      if (!seen_add && !allow_deletes) {
        return Status::Unsupported(
            "{}: version {} of the table deleted data (removed '{}'). A stream only reads "
            "appends; set option {}=true to ignore deletes, or {}=true to skip every commit "
            "that removes data",
            description(), commit.version, *removed_path, opt::kIgnoreDeletes,
            opt::kSkipChangeCommits);
      }
      skip = options_.skip_change_commits;
    }
    if (!skip) {
      for (const Action& a : commit.actions) {
        if (const auto* add = std::get_if<Add>(&a); add != nullptr && add->data_change) {
          IndexedFile f;
          f.add = *add;
          f.add->stats.reset();
          push(std::move(f));
        }
      }
    }
  }
  if (!files.empty()) files.back().is_last = true;
  out.reserve(files.size() + 1);
  out.push_back(std::move(base));
  for (IndexedFile& f : files) out.push_back(std::move(f));
  summaries_[commit.version] = summary;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Walker

Status Walker::Fill() {
  if (!started_) {
    started_ = true;
    if (from_.is_starting_version) {
      SILT_ASSIGN_OR_RETURN(auto files, source_.SnapshotFiles(from_.version));
      for (const IndexedFile& f : *files) {
        if (f.index > from_.index) pending_.push_back(f);
      }
    }
    int64_t first = from_.is_starting_version ? from_.version + 1 : from_.version;
    std::optional<int64_t> last;
    if (bound_.has_value()) last = bound_->reservoir_version;
    if (!last.has_value() || *last >= first) {
      SILT_ASSIGN_OR_RETURN(range_, source_.OpenCommits(first, last));
    }
    if (!pending_.empty()) return Status::OK();
  }
  while (pending_.empty() && range_ != nullptr) {
    SILT_ASSIGN_OR_RETURN(std::optional<delta::CommitActions> commit, range_->Next());
    if (!commit.has_value()) {
      range_.reset();
      break;
    }
    SILT_ASSIGN_OR_RETURN(std::vector<IndexedFile> files, source_.IndexCommit(*commit));
    for (IndexedFile& f : files) {
      // A commit the stream cannot read stops it wherever the position is inside it.
      if (f.version > from_.version || f.index > from_.index || f.schema_error.has_value()) {
        pending_.push_back(std::move(f));
      }
    }
  }
  return Status::OK();
}

Result<std::optional<IndexedFile>> Walker::Next() {
  if (done_) return std::optional<IndexedFile>();
  if (pending_.empty()) SILT_RETURN_NOT_OK(Fill());
  if (pending_.empty()) {
    done_ = true;
    return std::optional<IndexedFile>();
  }
  IndexedFile f = std::move(pending_.front());
  pending_.pop_front();
  if (bound_.has_value()) {
    bool within = f.version < bound_->reservoir_version ||
                  (f.version == bound_->reservoir_version && f.index <= bound_->index);
    if (!within) {
      done_ = true;
      pending_.clear();
      range_.reset();
      return std::optional<IndexedFile>();
    }
  }
  return std::optional<IndexedFile>(std::move(f));
}

// ---------------------------------------------------------------------------------------------
// Planning

namespace {
constexpr std::string_view kStartFileName = "delta_source_start.json";
constexpr std::string_view kStartVersionField = "startVersion";
}  // namespace

Result<Position> DeltaSource::InitialPosition() {
  if (initial_.has_value()) return *initial_;
  bool explicit_start = options_.starting_latest || options_.starting_version.has_value() ||
                        options_.starting_timestamp_ms.has_value();
  // An explicit start ("latest", a timestamp) is resolved once per query and kept in the
  // source's checkpoint folder, so that a first batch re-run after a restart reads the same
  // commits even though the table moved on.
  std::string start_file;
  if (explicit_start && !metadata_dir_.empty()) {
    start_file = fs::JoinPath(metadata_dir_, kStartFileName);
    Result<std::string> stored = fs_->ReadFile(start_file);
    if (stored.ok()) {
      json::Parser parser;
      Result<json::Object> object = parser.ParseObject(*stored);
      Result<int64_t> version =
          object.ok() ? object->GetInt64(kStartVersionField) : Result<int64_t>(object.error());
      if (!version.ok() || *version < 0) {
        return Status::Corruption("{}: '{}' is not a start position: {}", description(), start_file,
                                  version.ok() ? "negative" : version.error().message());
      }
      initial_ = Position{*version, DeltaSourceOffset::kBaseIndex, false};
      return *initial_;
    }
    if (!stored.error().IsNotFound()) return stored.error();
  }
  Position p;
  if (options_.starting_latest) {
    SILT_ASSIGN_OR_RETURN(auto latest, delta::BuildLogSegment(*fs_, table_path_));
    p.version = latest.version + 1;
  } else if (options_.starting_version.has_value()) {
    SILT_ASSIGN_OR_RETURN(auto latest, delta::BuildLogSegment(*fs_, table_path_));
    if (*options_.starting_version > latest.version) {
      return Status::InvalidArgument("option {}: version {} is after the table's latest version {}",
                                     opt::kStartingVersion, *options_.starting_version,
                                     latest.version);
    }
    p.version = *options_.starting_version;
  } else if (options_.starting_timestamp_ms.has_value()) {
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> ict,
                          delta::InCommitTimestampStartVersion(snapshot_->metadata()));
    SILT_ASSIGN_OR_RETURN(std::vector<delta::CommitTimestamp> commits,
                          delta::ListCommitTimestamps(*fs_, table_path_, ict));
    int64_t ts = *options_.starting_timestamp_ms;
    std::optional<int64_t> found;
    for (const delta::CommitTimestamp& c : commits) {
      if (c.timestamp_ms >= ts) {
        found = c.version;
        break;
      }
    }
    if (!found.has_value()) {
      return Status::InvalidArgument("option {}: {} is after the latest commit (version {} at {})",
                                     opt::kStartingTimestamp, FormatTimestampMillis(ts),
                                     commits.back().version,
                                     FormatTimestampMillis(commits.back().timestamp_ms));
    }
    p.version = *found;
  } else {
    p.version = snapshot_->version();
    p.is_starting_version = true;
  }
  if (!start_file.empty()) {
    json::Writer w;
    w.BeginObject()
        .Field(kReservoirIdField, table_id_)
        .Field(kStartVersionField, p.version)
        .EndObject();
    Status put = fs_->PutIfAbsent(start_file, w.str());
    if (put.code() == StatusCode::kAlreadyExists) {
      initial_.reset();
      return InitialPosition();  // another run wrote it first: use that one
    }
    SILT_RETURN_NOT_OK(put);
  }
  initial_ = p;
  return p;
}

DeltaSourceOffset DeltaSource::OffsetAfter(const IndexedFile& file, const Position& from) const {
  DeltaSourceOffset o;
  o.reservoir_id = table_id_;
  if (file.is_last) {
    o.reservoir_version = file.version + 1;
    o.index = DeltaSourceOffset::kBaseIndex;
    o.is_starting_version = false;
  } else {
    o.reservoir_version = file.version;
    o.index = file.index;
    o.is_starting_version = file.version == from.version && from.is_starting_version;
  }
  return o;
}

Result<std::optional<DeltaSourceOffset>> DeltaSource::PlanEnd(
    Position from, const std::optional<DeltaSourceOffset>& bound, bool limited) {
  Walker walker(*this, from, bound);
  bool have_max_files = options_.max_files.has_value() || !options_.max_bytes.has_value();
  int64_t files_left = !limited || !have_max_files
                           ? std::numeric_limits<int64_t>::max()
                           : options_.max_files.value_or(kDefaultMaxFilesPerTrigger);
  int64_t bytes_left = limited && options_.max_bytes.has_value()
                           ? *options_.max_bytes
                           : std::numeric_limits<int64_t>::max();
  bool whole_commits = options_.read_change_feed || !options_.split_commits;
  std::optional<IndexedFile> last;
  bool admitted_file = false;
  auto has_capacity = [&] { return files_left > 0 && bytes_left > 0; };
  std::optional<IndexedFile> held;  // read ahead, not yet admitted
  while (true) {
    std::optional<IndexedFile> f;
    if (held.has_value()) {
      f = std::move(held);
      held.reset();
    } else {
      SILT_ASSIGN_OR_RETURN(f, walker.Next());
    }
    if (!f.has_value()) break;
    if (f->schema_error.has_value()) {
      // Deliver what comes before the change first; fail when it is next.
      if (last.has_value()) break;
      return *f->schema_error;
    }
    if (!whole_commits || f->is_snapshot) {
      // Files excludeRegex leaves out take no room in the batch (as in Spark, where they are
      // filtered out before admission).
      const bool excluded = Excluded(*f);
      if (!has_capacity() && !excluded) break;
      if (f->has_file() && !excluded) {
        files_left -= 1;
        bytes_left -= f->size();
        admitted_file = true;
      }
      last = std::move(f);
      continue;
    }
    // A whole commit: its base entry, then its files up to the last one.
    if (!has_capacity()) break;
    std::vector<IndexedFile> commit{std::move(*f)};
    int64_t version = commit.front().version;
    while (true) {
      SILT_ASSIGN_OR_RETURN(std::optional<IndexedFile> next, walker.Next());
      if (!next.has_value()) break;
      if (next->version != version) {
        held = std::move(next);
        break;
      }
      commit.push_back(std::move(*next));
    }
    int64_t n = 0;
    int64_t bytes = 0;
    for (const IndexedFile& c : commit) {
      if (c.has_file() && !Excluded(c)) {
        ++n;
        bytes += c.size();
      }
    }
    bool fits = files_left - n >= 0 && bytes_left - bytes >= 0;
    if (n > 0 && admitted_file && !fits) break;
    files_left -= n;
    bytes_left -= bytes;
    if (n > 0) admitted_file = true;
    last = std::move(commit.back());
  }
  if (!last.has_value()) return std::optional<DeltaSourceOffset>();
  return std::optional<DeltaSourceOffset>(OffsetAfter(*last, from));
}

Result<std::optional<Offset>> DeltaSource::NextBatchEnd(const std::optional<Offset>& start) {
  if (snapshot_ == nullptr) return Status::InvalidArgument("{}: not open", description());
  Position from;
  if (start.has_value()) {
    SILT_ASSIGN_OR_RETURN(DeltaSourceOffset s, ParseOffset(*start));
    from = Position{s.reservoir_version, s.index, s.is_starting_version};
  } else {
    SILT_ASSIGN_OR_RETURN(from, InitialPosition());
  }
  std::optional<DeltaSourceOffset> bound;
  if (available_now_) {
    if (!available_now_bound_.has_value()) {
      SILT_ASSIGN_OR_RETURN(std::optional<DeltaSourceOffset> all,
                            PlanEnd(from, std::nullopt, /*limited=*/false));
      available_now_bound_ = all;
    }
    if (!available_now_bound_->has_value()) return std::optional<Offset>();
    bound = **available_now_bound_;
  }
  SILT_ASSIGN_OR_RETURN(std::optional<DeltaSourceOffset> end, PlanEnd(from, bound, true));
  DeltaSourceOffset at{table_id_, from.version, from.index, from.is_starting_version};
  if (end.has_value()) at = *end;
  UpdateMetrics(at);
  if (!end.has_value()) return std::optional<Offset>();
  if (end->reservoir_version == from.version && end->index == from.index &&
      end->is_starting_version == from.is_starting_version) {
    return std::optional<Offset>();
  }
  latest_offset_ = end->ToJson();
  return std::optional<Offset>(end->ToJson());
}

Status DeltaSource::Commit(const Offset& end) {
  SILT_ASSIGN_OR_RETURN(DeltaSourceOffset o, ParseOffset(end));
  // Commits before the committed one are never read again.
  summaries_.erase(summaries_.begin(), summaries_.lower_bound(o.reservoir_version));
  if (!o.is_starting_version) {
    snapshot_files_.reset();
    snapshot_files_version_ = -1;
  }
  return Status::OK();
}

void DeltaSource::UpdateMetrics(const DeltaSourceOffset& position) {
  // Backlog after `position`: versions, files and bytes not yet admitted, and the age of the
  // oldest of them. Commit summaries are cached, so each commit is read once for this.
  Result<std::vector<delta::LogFile>> listed =
      delta::ListLogFiles(*fs_, delta::LogDirFor(table_path_), position.reservoir_version);
  if (!listed.ok()) return;
  int64_t latest = position.reservoir_version - 1;
  for (const delta::LogFile& f : *listed) {
    if (f.type == delta::LogFileType::kCommit) latest = std::max(latest, f.version);
  }
  if (options_.ending_version.has_value()) latest = std::min(latest, *options_.ending_version);
  int64_t files = 0;
  int64_t bytes = 0;
  std::optional<int64_t> oldest_ms;
  if (position.is_starting_version && snapshot_files_ != nullptr &&
      snapshot_files_version_ == position.reservoir_version) {
    for (const IndexedFile& f : *snapshot_files_) {
      if (f.index > position.index) {
        ++files;
        bytes += f.size();
        if (!oldest_ms.has_value()) oldest_ms = f.timestamp_ms;
      }
    }
  }
  int64_t first = position.reservoir_version + (position.is_starting_version ? 1 : 0);
  for (int64_t v = first; v <= latest; ++v) {
    auto it = summaries_.find(v);
    if (it == summaries_.end()) {
      delta::CommitRangeOptions one;
      one.end_version = v;
      Result<std::unique_ptr<delta::CommitRange>> range =
          delta::CommitRange::Open(*fs_, table_path_, v, one);
      if (!range.ok()) return;
      Result<std::optional<delta::CommitActions>> commit = (*range)->Next();
      if (!commit.ok() || !commit->has_value()) return;
      Result<std::vector<IndexedFile>> indexed = IndexCommit(**commit);
      if (!indexed.ok()) {
        // The error surfaces when the stream reaches this commit; count its files as is.
        VersionSummary s;
        s.timestamp_ms = (*commit)->timestamp_ms;
        summaries_[v] = s;
      }
      it = summaries_.find(v);
      if (it == summaries_.end()) return;
    }
    int64_t f = it->second.files;
    int64_t b = it->second.bytes;
    if (v == position.reservoir_version && position.index >= 0 && f > 0) {
      // Part of this commit was read; bytes are prorated.
      int64_t remaining = std::max<int64_t>(0, f - (position.index + 1));
      b = b * remaining / f;
      f = remaining;
    }
    files += f;
    bytes += b;
    if (!oldest_ms.has_value()) oldest_ms = it->second.timestamp_ms;
  }
  int64_t versions = std::max<int64_t>(0, latest - first + 1);
  int64_t age_s =
      oldest_ms.has_value() ? std::max<int64_t>(0, (NowMillis() - *oldest_ms) / 1000) : 0;
  metrics_["numVersionsOutstanding"] = std::to_string(versions);
  metrics_["numFilesOutstanding"] = std::to_string(files);
  metrics_["numBytesOutstanding"] = std::to_string(bytes);
  metrics_["secondsBehindLatest"] = std::to_string(age_s);
  Result<int64_t> log_ms = delta::LogRetentionMillis(snapshot_->metadata());
  Result<int64_t> file_ms = delta::DeletedFileRetentionMillis(snapshot_->metadata());
  bool warn = false;
  if (log_ms.ok() && file_ms.ok() && oldest_ms.has_value()) {
    int64_t retention = std::min(*log_ms, *file_ms);
    warn = (NowMillis() - *oldest_ms) * 10 >= retention * 8;
    if (warn && !retention_warned_) {
      SILT_LOG_WARN(
          "{}: the oldest unread commit is {} s old, past 80% of the table's "
          "retention ({} s: {} / {}); data may be cleaned up before the stream reads "
          "it",
          description(), age_s, retention / 1000, delta::property::kLogRetentionDuration,
          delta::property::kDeletedFileRetentionDuration);
    }
  }
  retention_warned_ = warn;
  metrics_["retentionWarning"] = warn ? "true" : "false";
}

// ---------------------------------------------------------------------------------------------
// Reading

Result<std::unique_ptr<delta::ScanIterator>> DeltaSource::ReadFile(const Add& add) {
  delta::ScanFile file;
  file.add = add;
  SILT_ASSIGN_OR_RETURN(file.path, delta::ResolveDataFilePath(table_path_, add.path));
  const col::Schema& schema = *snapshot_->schema();
  for (const std::string& name : snapshot_->partition_columns()) {
    const col::Field* field = schema.GetFieldByName(name);
    if (field == nullptr) {
      return Status::Corruption("partition column '{}' is not in the schema", name);
    }
    auto it =
        add.partition_values.find(delta::PhysicalName(*field, snapshot_->column_mapping_mode()));
    std::optional<std::string> text;
    if (it != add.partition_values.end()) text = it->second;
    Result<expr::Value> v = delta::ParsePartitionValue(text, *field->type(), name);
    if (!v.ok()) return v.error().WithContext(fmt::format("file '{}'", add.path));
    file.partition_values.push_back(std::move(*v));
  }
  return scan_->ReadFile(*fs_, file);
}

Result<std::unique_ptr<delta::ScanIterator>> DeltaSource::ReadChanges(int64_t first, int64_t last) {
  delta::TableChangesOptions changes;
  changes.checkpoint_decoder = delta::DefaultParquetCheckpointDecoder();
  if ((!own_change_snapshot_from_.has_value() || last < *own_change_snapshot_from_)) {
    changes.snapshot = snapshot_;
  }
  changes.exclude_path = [this, first, last](std::string_view path) {
    if (options_.exclude_regex != nullptr && options_.exclude_regex->Search(path)) return true;
    if (options_.fail_on_data_loss) return false;
    // failOnDataLoss=false: a file cleaned up under the stream is skipped, as in the plain read.
    Result<std::string> resolved = delta::ResolveDataFilePath(table_path_, path);
    if (!resolved.ok()) return false;
    Result<bool> exists = fs_->Exists(*resolved);
    if (!exists.ok() || *exists) return false;
    SILT_LOG_WARN("{}: file '{}' of versions {}..{} is gone; skipped ({}=false)", description(),
                  path, first, last, opt::kFailOnDataLoss);
    return true;
  };
  Result<std::unique_ptr<delta::ScanIterator>> it =
      delta::TableChanges(*fs_, table_path_, first, last, changes);
  if (!it.ok() && it.error().IsNotFound() && options_.fail_on_data_loss) {
    return DataLossError(fmt::format("the change feed of versions {}..{} cannot be read ({})",
                                     first, last, it.error().message()));
  }
  return it;
}

// Casts or fills `batch` into `schema` by column name (missing columns are null).
Result<col::RecordBatchPtr> Conform(const col::RecordBatchPtr& batch,
                                    const col::SchemaPtr& schema) {
  std::vector<col::ArrayPtr> columns;
  for (const col::Field& f : schema->fields()) {
    col::ArrayPtr c = batch->GetColumnByName(f.name());
    if (c == nullptr || !SameType(*c->type(), *f.type())) {
      if (c != nullptr) {
        Result<col::ArrayPtr> cast = delta::CastArray(*c, f.type());
        if (cast.ok()) {
          columns.push_back(*cast);
          continue;
        }
      }
      SILT_ASSIGN_OR_RETURN(c, col::MakeArrayOfNulls(f.type(), batch->num_rows()));
    }
    columns.push_back(std::move(c));
  }
  return col::RecordBatch::Make(schema, batch->num_rows(), std::move(columns));
}

// A unit of a batch: one data file (optionally as CDF inserts of the snapshot) or a range of
// commits read as a change feed.
struct ReadUnit {
  std::optional<Add> add;
  bool snapshot_insert = false;
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  // Change feed of commits [first, last].
  std::optional<std::pair<int64_t, int64_t>> changes;
};

class DeltaBatchReader final : public BatchReader {
 public:
  DeltaBatchReader(DeltaSource& source, std::vector<ReadUnit> units)
      : source_(source), schema_(source.output_schema()), units_(std::move(units)) {}

  const col::SchemaPtr& schema() const override { return schema_; }

  Result<std::optional<col::RecordBatchPtr>> Next() override {
    while (true) {
      if (current_ == nullptr) {
        if (next_ >= units_.size()) return std::optional<col::RecordBatchPtr>();
        const ReadUnit& unit = units_[next_++];
        if (unit.changes.has_value()) {
          SILT_ASSIGN_OR_RETURN(current_,
                                source_.ReadChanges(unit.changes->first, unit.changes->second));
        } else {
          SILT_ASSIGN_OR_RETURN(current_, source_.ReadFile(*unit.add));
        }
      }
      const ReadUnit& unit = units_[next_ - 1];
      Result<std::optional<col::RecordBatchPtr>> batch = current_->Next();
      if (!batch.ok() && batch.error().IsNotFound() && unit.changes.has_value()) {
        // Files that vanished before they were read (failOnDataLoss=false skipped those gone
        // when the read began).
        return source_.DataLossError(
            fmt::format("a file of the change feed of versions {}..{} is gone ({})",
                        unit.changes->first, unit.changes->second, batch.error().message()));
      }
      if (!batch.ok()) {
        if (batch.error().IsNotFound() && unit.add.has_value()) {
          if (source_.options().fail_on_data_loss) {
            return source_.DataLossError(fmt::format("data file '{}' of version {} is gone ({})",
                                                     unit.add->path, unit.version,
                                                     batch.error().message()));
          }
          SILT_LOG_WARN("{}: data file '{}' of version {} is gone; skipped ({}=false)",
                        source_.description(), unit.add->path, unit.version, opt::kFailOnDataLoss);
          current_.reset();
          continue;
        }
        return batch.error();
      }
      if (!batch->has_value()) {
        current_.reset();
        continue;
      }
      col::RecordBatchPtr b = std::move(**batch);
      if (unit.changes.has_value()) {
        SILT_ASSIGN_OR_RETURN(b, Conform(b, schema_));
      } else if (unit.snapshot_insert) {
        int64_t n = b->num_rows();
        std::vector<col::ArrayPtr> columns = b->columns();
        SILT_ASSIGN_OR_RETURN(
            col::ArrayPtr type,
            delta::ConstantArray(col::String(), expr::Value::String("insert"), n));
        SILT_ASSIGN_OR_RETURN(
            col::ArrayPtr version,
            delta::ConstantArray(col::Int64(), expr::Value::Int(unit.version), n));
        SILT_ASSIGN_OR_RETURN(
            col::ArrayPtr ts,
            delta::ConstantArray(col::Timestamp(), expr::Value::Timestamp(unit.timestamp_ms * 1000),
                                 n));
        columns.push_back(std::move(type));
        columns.push_back(std::move(version));
        columns.push_back(std::move(ts));
        SILT_ASSIGN_OR_RETURN(b, col::RecordBatch::Make(schema_, n, std::move(columns)));
      }
      if (b->num_rows() == 0) continue;
      return std::optional<col::RecordBatchPtr>(std::move(b));
    }
  }

 private:
  DeltaSource& source_;
  col::SchemaPtr schema_;
  std::vector<ReadUnit> units_;
  size_t next_ = 0;
  std::unique_ptr<delta::ScanIterator> current_;
};

Result<std::unique_ptr<BatchReader>> DeltaSource::ReadBatch(const std::optional<Offset>& start,
                                                            const Offset& end_text) {
  if (snapshot_ == nullptr) return Status::InvalidArgument("{}: not open", description());
  SILT_ASSIGN_OR_RETURN(DeltaSourceOffset end, ParseOffset(end_text));
  Position from;
  if (start.has_value()) {
    SILT_ASSIGN_OR_RETURN(DeltaSourceOffset s, ParseOffset(*start));
    from = Position{s.reservoir_version, s.index, s.is_starting_version};
    if (s == end) {
      return std::unique_ptr<BatchReader>(
          std::make_unique<DeltaBatchReader>(*this, std::vector<ReadUnit>{}));
    }
  } else {
    SILT_ASSIGN_OR_RETURN(Position initial, InitialPosition());
    if (!initial.is_starting_version) {
      from = initial;
    } else if (end.is_starting_version) {
      // Spark's rule: the batch's snapshot version follows from its end offset alone, so a
      // first batch re-run after a restart reads the same snapshot.
      from = Position{end.reservoir_version, DeltaSourceOffset::kBaseIndex, true};
    } else {
      from = Position{std::max<int64_t>(0, end.reservoir_version - 1),
                      DeltaSourceOffset::kBaseIndex, true};
    }
  }
  Walker walker(*this, from, end);
  std::vector<ReadUnit> units;
  // A commit the stream cannot read fails the batch only when the batch reads its files (an
  // end offset at its base index reads none).
  std::optional<IndexedFile> unreadable;
  while (true) {
    SILT_ASSIGN_OR_RETURN(std::optional<IndexedFile> f, walker.Next());
    if (!f.has_value()) break;
    if (f->schema_error.has_value()) {
      unreadable = std::move(f);
      continue;
    }
    if (!f->has_file()) continue;
    if (unreadable.has_value() && unreadable->version == f->version) {
      return *unreadable->schema_error;
    }
    if (options_.read_change_feed && !f->is_snapshot) {
      // Whole commits: one change-feed read for the batch's commits. The walk visits every
      // version in order, so the commits between two with files (none of theirs to read) can
      // join the read: they add no rows.
      if (!units.empty() && units.back().changes.has_value()) {
        units.back().changes->second = f->version;
      } else {
        ReadUnit u;
        u.changes = std::make_pair(f->version, f->version);
        units.push_back(std::move(u));
      }
      continue;
    }
    if (!f->add.has_value()) continue;
    if (options_.exclude_regex != nullptr && options_.exclude_regex->Search(f->add->path)) {
      continue;
    }
    ReadUnit u;
    u.add = std::move(f->add);
    u.version = f->version;
    u.timestamp_ms = f->timestamp_ms;
    u.snapshot_insert = options_.read_change_feed && f->is_snapshot;
    units.push_back(std::move(u));
  }
  return std::unique_ptr<BatchReader>(std::make_unique<DeltaBatchReader>(*this, std::move(units)));
}

}  // namespace

Result<std::unique_ptr<Source>> MakeDeltaSource(std::shared_ptr<fs::FileSystem> fs,
                                                std::string table_path,
                                                std::map<std::string, std::string> options) {
  if (table_path.empty()) return Status::InvalidArgument("Delta source: empty table path");
  SILT_ASSIGN_OR_RETURN(SourceOptions parsed, ParseOptions(options));
  table_path.resize(fs::StripTrailingSlashes(table_path).size());
  return std::unique_ptr<Source>(
      std::make_unique<DeltaSource>(std::move(fs), std::move(table_path), std::move(parsed)));
}

}  // namespace silt::stream
