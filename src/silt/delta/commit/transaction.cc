#include "silt/delta/commit/transaction.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <unordered_set>
#include <utility>

#include "silt/base/logging.h"
#include "silt/base/time.h"
#include "silt/base/uuid.h"
#include "silt/base/version.h"
#include "silt/delta/actions/action_json.h"
#include "silt/delta/commit/protocol_support.h"
#include "silt/delta/log/log_path.h"
#include "silt/delta/log/log_replay.h"
#include "silt/delta/log/log_segment.h"
#include "silt/delta/maintenance/checkpoint_writer.h"
#include "silt/delta/maintenance/log_cleanup.h"
#include "silt/delta/scan/file_stats.h"
#include "silt/delta/scan/parquet_checkpoint_decoder.h"
#include "silt/delta/scan/values.h"
#include "silt/delta/table/schema.h"
#include "silt/delta/table/table_features.h"
#include "silt/delta/table/table_properties.h"
#include "silt/expr/skipping.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace col = silt::columnar;

namespace {

constexpr std::array<std::pair<ConflictKind, std::string_view>, 6> kConflictNames{{
    {ConflictKind::kProtocolChanged, "ProtocolChangedException"},
    {ConflictKind::kMetadataChanged, "MetadataChangedException"},
    {ConflictKind::kConcurrentAppend, "ConcurrentAppendException"},
    {ConflictKind::kConcurrentDeleteRead, "ConcurrentDeleteReadException"},
    {ConflictKind::kConcurrentDeleteDelete, "ConcurrentDeleteDeleteException"},
    {ConflictKind::kConcurrentTransaction, "ConcurrentTransactionException"},
}};

constexpr std::string_view kSerializable = "Serializable";
constexpr std::string_view kWriteSerializable = "WriteSerializable";
constexpr std::string_view kSnapshotIsolation = "SnapshotIsolation";
constexpr std::string_view kIsolationLevelProperty = "delta.isolationLevel";
constexpr std::string_view kIctEnablementTimestampProperty =
    "delta.inCommitTimestampEnablementTimestamp";

template <typename... Args>
Status ConflictError(ConflictKind kind, fmt::format_string<Args...> format, Args&&... args) {
  return Status(StatusCode::kConflict,
                fmt::format("{}: {}", ConflictKindName(kind),
                            fmt::format(format, std::forward<Args>(args)...)));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string JsonString(std::string_view s) {
  json::Writer w;
  w.String(s);
  return w.Release();
}

// Every feature a protocol enables among those silt knows, legacy ones included.
std::vector<std::string> EnabledFeatures(const Protocol& p) {
  std::vector<std::string> out;
  for (std::string_view f : {feature::kAppendOnly, feature::kInvariants, feature::kCheckConstraints,
                             feature::kChangeDataFeed, feature::kGeneratedColumns,
                             feature::kColumnMapping, feature::kIdentityColumns}) {
    if (IsFeatureEnabled(p, f)) out.emplace_back(f);
  }
  if (p.writer_features.has_value()) {
    for (const std::string& f : *p.writer_features) {
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
  }
  if (p.reader_features.has_value()) {
    for (const std::string& f : *p.reader_features) {
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
  }
  return out;
}

bool IctEnabled(const Metadata& metadata) {
  auto it = metadata.configuration.find(std::string(property::kEnableInCommitTimestamps));
  return it != metadata.configuration.end() && Lower(it->second) == "true";
}

// The parts of a winning commit the conflict checks look at.
struct WinnerSummary {
  const Protocol* protocol = nullptr;
  const Metadata* metadata = nullptr;
  const CommitInfo* commit_info = nullptr;
  std::vector<const Add*> adds;
  std::vector<const Remove*> removes;
  std::vector<const SetTransaction*> txns;
  std::vector<const DomainMetadata*> domains;
};

WinnerSummary Summarize(const std::vector<Action>& actions) {
  WinnerSummary s;
  for (const Action& a : actions) {
    if (const auto* p = std::get_if<Protocol>(&a)) s.protocol = p;
    if (const auto* m = std::get_if<Metadata>(&a)) s.metadata = m;
    if (const auto* c = std::get_if<CommitInfo>(&a)) s.commit_info = c;
    if (const auto* add = std::get_if<Add>(&a)) s.adds.push_back(add);
    if (const auto* r = std::get_if<Remove>(&a)) s.removes.push_back(r);
    if (const auto* t = std::get_if<SetTransaction>(&a)) s.txns.push_back(t);
    if (const auto* d = std::get_if<DomainMetadata>(&a)) s.domains.push_back(d);
  }
  return s;
}

// The file name of a path: what follows its last '/'.
std::string_view FileName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// `base` (copied) without the entries `shadowed` rejects, then `fresh` (moved): log order, as
// FileList::Merge keeps it for live files.
template <typename Shadowed>
Result<std::vector<Remove>> MergeTombstones(const std::vector<Remove>& base,
                                            std::vector<Remove> fresh, const Shadowed& shadowed) {
  std::vector<Remove> out;
  out.reserve(base.size() + fresh.size());
  for (const Remove& b : base) {
    SILT_ASSIGN_OR_RETURN(bool skip, shadowed(b));
    if (!skip) out.push_back(b);
  }
  for (Remove& r : fresh) out.push_back(std::move(r));
  return out;
}

}  // namespace

std::string_view ConflictKindName(ConflictKind kind) {
  for (const auto& [k, name] : kConflictNames) {
    if (k == kind) return name;
  }
  return "ConcurrentModificationException";
}

std::optional<ConflictKind> ConflictKindOf(const Status& status) {
  if (!status.IsConflict()) return std::nullopt;
  // The name starts the message; context added later (WithContext) may precede it.
  for (const auto& [kind, name] : kConflictNames) {
    if (status.message().find(fmt::format("{}: ", name)) != std::string::npos) return kind;
  }
  return std::nullopt;
}

Remove RemoveFromAdd(const Add& add, int64_t deletion_timestamp, bool data_change) {
  Remove r;
  r.path = add.path;
  r.deletion_timestamp = deletion_timestamp;
  r.data_change = data_change;
  r.extended_file_metadata = true;
  r.partition_values = add.partition_values;
  r.size = add.size;
  r.stats = add.stats;
  r.tags = add.tags;
  r.deletion_vector = add.deletion_vector;
  r.base_row_id = add.base_row_id;
  r.default_row_commit_version = add.default_row_commit_version;
  return r;
}

struct Transaction::Impl {
  Impl(fs::FileSystem& file_system, std::string root, TransactionOptions opts)
      : fs(file_system), table_root(std::move(root)), options(std::move(opts)) {}

  fs::FileSystem& fs;
  std::string table_root;
  TransactionOptions options;
  std::shared_ptr<const Snapshot> snapshot;
  // Whether the caller gave the snapshot (BeginAt): it may be older than the latest version.
  bool snapshot_from_caller = false;
  std::string txn_id = NewUuid();

  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::vector<Add> adds;
  std::vector<Remove> removes;
  std::vector<AddCDCFile> cdcs;
  std::vector<DomainMetadata> domains;
  std::optional<SetTransaction> app_txn;
  std::string operation;
  std::map<std::string, std::string> operation_parameters;
  std::map<std::string, std::string> operation_metrics;
  std::vector<std::pair<std::string, std::string>> extra_commit_info;

  std::vector<expr::ExprPtr> read_predicates;
  std::unordered_set<std::string> read_files;  // canonical paths
  bool read_whole_table = false;
  bool committed = false;

  // Derived at Commit().
  Protocol effective_protocol;
  Metadata effective_metadata;
  col::SchemaPtr schema;
  ColumnMappingMode mapping = ColumnMappingMode::kNone;
  std::set<std::string> removed_paths;  // canonical
  std::string isolation_level;
  bool blind_append = false;
  bool ict = false;
  bool ict_newly_enabled = false;
  json::Parser parser;

  int64_t Now() const { return options.clock ? options.clock() : ::silt::NowMillis(); }
  int64_t read_version() const { return snapshot ? snapshot->version() : -1; }
  std::string CommitPath(int64_t version) const {
    return fs::JoinPath(LogDirFor(table_root), CommitFileName(version));
  }
  std::string Canonical(const std::string& path) const {
    Result<FileKey> key = FileKeyOf(path, std::nullopt, table_root);
    return key.ok() ? key->path : path;
  }

  Status Validate();
  // kConflict when commits after the read snapshot's version are gone from the log (log
  // cleanup): committing at the next version would then write below a checkpoint, unseen.
  Status CheckLogStillHoldsNextVersion();
  std::string JsonValue(const std::string& text);
  std::vector<Action> BuildActions(int64_t version, int64_t timestamp,
                                   std::optional<int64_t> ict_value);
  Result<bool> FileMatchesReadSet(const Add& add);
  // Checks one winning commit; `skip` is set when it already holds our idempotent write.
  Status CheckWinner(int64_t version, const std::vector<Action>& actions, bool& skip);
  Result<std::shared_ptr<const Snapshot>> PostCommitSnapshot(
      int64_t version, const std::vector<Action>& ours, int64_t our_size,
      const std::vector<std::pair<int64_t, std::vector<Action>>>& winners,
      const std::vector<int64_t>& winner_sizes);
  // After `version` was written: the post-commit snapshot, then the checkpoint hook.
  void Finish(int64_t version, const std::vector<Action>& ours, int64_t our_size,
              const std::vector<std::pair<int64_t, std::vector<Action>>>& winners,
              const std::vector<int64_t>& winner_sizes, CommitResult& result);
  // Writes a checkpoint of `version` when it is due, then cleans up expired log files. Errors
  // are logged, never returned: the commit has happened.
  bool CheckpointIfDue(int64_t version, std::shared_ptr<const Snapshot> post);
};

Transaction::Transaction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transaction::~Transaction() = default;

Result<std::unique_ptr<Transaction>> Transaction::Begin(fs::FileSystem& fs, std::string table_root,
                                                        TransactionOptions options) {
  SnapshotOptions snapshot_options;
  snapshot_options.checkpoint_decoder = options.checkpoint_decoder != nullptr
                                            ? options.checkpoint_decoder
                                            : DefaultParquetCheckpointDecoder();
  Result<std::shared_ptr<const Snapshot>> snapshot =
      Snapshot::Load(fs, table_root, snapshot_options);
  auto impl = std::make_unique<Impl>(fs, std::move(table_root), std::move(options));
  if (snapshot.ok()) {
    impl->snapshot = std::move(*snapshot);
  } else if (snapshot.error().IsNotFound()) {
    // Only an empty (or absent) log means a new table; anything else is the load's error.
    SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files,
                          ListLogFiles(fs, LogDirFor(impl->table_root)));
    if (!files.empty()) return snapshot.error();
  } else {
    return snapshot.error();
  }
  return std::unique_ptr<Transaction>(new Transaction(std::move(impl)));
}

Result<std::unique_ptr<Transaction>> Transaction::BeginAt(fs::FileSystem& fs,
                                                          std::shared_ptr<const Snapshot> snapshot,
                                                          TransactionOptions options) {
  if (snapshot == nullptr) {
    return Status::InvalidArgument("Transaction::BeginAt needs a snapshot");
  }
  auto impl = std::make_unique<Impl>(fs, snapshot->table_root(), std::move(options));
  impl->snapshot = std::move(snapshot);
  impl->snapshot_from_caller = true;
  return std::unique_ptr<Transaction>(new Transaction(std::move(impl)));
}

const std::shared_ptr<const Snapshot>& Transaction::read_snapshot() const {
  return impl_->snapshot;
}
int64_t Transaction::read_version() const { return impl_->read_version(); }
const std::string& Transaction::table_root() const { return impl_->table_root; }
fs::FileSystem& Transaction::file_system() const { return impl_->fs; }
int64_t Transaction::NowMillis() const { return impl_->Now(); }

void Transaction::SetProtocol(Protocol protocol) { impl_->protocol = std::move(protocol); }
void Transaction::SetMetadata(Metadata metadata) { impl_->metadata = std::move(metadata); }
void Transaction::AddFile(Add add) { impl_->adds.push_back(std::move(add)); }
void Transaction::RemoveFile(Remove remove) {
  if (!remove.deletion_timestamp.has_value()) remove.deletion_timestamp = impl_->Now();
  impl_->removes.push_back(std::move(remove));
}
void Transaction::AddCdcFile(AddCDCFile cdc) { impl_->cdcs.push_back(std::move(cdc)); }
void Transaction::SetDomainMetadata(DomainMetadata domain) {
  impl_->domains.push_back(std::move(domain));
}
void Transaction::SetAppTransaction(std::string app_id, int64_t version) {
  impl_->app_txn = SetTransaction{std::move(app_id), version, std::nullopt};
}
void Transaction::SetOperation(std::string operation, std::map<std::string, std::string> parameters,
                               std::map<std::string, std::string> metrics) {
  impl_->operation = std::move(operation);
  impl_->operation_parameters = std::move(parameters);
  impl_->operation_metrics = std::move(metrics);
}
void Transaction::SetCommitInfoField(std::string key, std::string json_value) {
  for (auto& [k, v] : impl_->extra_commit_info) {
    if (k == key) {
      v = std::move(json_value);
      return;
    }
  }
  impl_->extra_commit_info.emplace_back(std::move(key), std::move(json_value));
}
void Transaction::ReadPredicate(expr::ExprPtr predicate) {
  if (predicate == nullptr) {
    impl_->read_whole_table = true;
  } else {
    impl_->read_predicates.push_back(std::move(predicate));
  }
}
void Transaction::ReadFiles(std::span<const Add> files) {
  for (const Add& add : files) impl_->read_files.insert(impl_->Canonical(add.path));
}
void Transaction::ReadWholeTable() { impl_->read_whole_table = true; }

Status Transaction::Impl::Validate() {
  const std::string& root = table_root;
  if (snapshot == nullptr && (!protocol.has_value() || !metadata.has_value())) {
    return Status::InvalidArgument(
        "table '{}' does not exist yet: creating it needs a protocol and a metaData action "
        "(SetProtocol and SetMetadata)",
        root);
  }
  effective_protocol = protocol.has_value() ? *protocol : snapshot->protocol();
  effective_metadata = metadata.has_value() ? *metadata : snapshot->metadata();

  if (protocol.has_value()) {
    SILT_RETURN_NOT_OK(ValidateProtocol(*protocol).WithContext(fmt::format("table '{}'", root)));
    if (snapshot != nullptr) {
      const Protocol& old = snapshot->protocol();
      if (protocol->min_reader_version < old.min_reader_version ||
          protocol->min_writer_version < old.min_writer_version) {
        return Status::InvalidArgument(
            "table '{}': protocol ({},{}) would downgrade the table's protocol ({},{})", root,
            protocol->min_reader_version, protocol->min_writer_version, old.min_reader_version,
            old.min_writer_version);
      }
      for (const std::string& f : EnabledFeatures(old)) {
        if (!IsFeatureEnabled(*protocol, f)) {
          return Status::InvalidArgument(
              "table '{}': the new protocol drops table feature '{}' (features cannot be "
              "dropped by a commit)",
              root, f);
        }
      }
    }
  }
  SILT_RETURN_NOT_OK(CheckWriteSupported(effective_protocol)
                         .WithContext(fmt::format("cannot write table '{}'", root)));

  if (metadata.has_value()) {
    if (metadata->id.empty()) {
      return Status::InvalidArgument("table '{}': metaData.id is empty", root);
    }
    Result<col::SchemaPtr> parsed = ParseSchemaString(metadata->schema_string);
    if (!parsed.ok()) {
      return Status::InvalidArgument("table '{}': metaData.schemaString: {}", root,
                                     parsed.error().message());
    }
    schema = std::move(*parsed);
    for (const std::string& c : metadata->partition_columns) {
      if (schema->GetFieldIndex(c) < 0) {
        return Status::InvalidArgument(
            "table '{}': partition column '{}' is not a top-level column of the schema", root, c);
      }
    }
  } else {
    schema = snapshot->schema();
  }
  if (protocol.has_value() || metadata.has_value()) {
    SILT_RETURN_NOT_OK(CheckProtocolCovers(effective_protocol, effective_metadata, *schema)
                           .WithContext(fmt::format("table '{}'", root)));
  }
  Result<ColumnMappingMode> mode = GetColumnMappingMode(effective_protocol, effective_metadata);
  if (!mode.ok()) {
    return Status::InvalidArgument("table '{}': {}", root, mode.error().message());
  }
  mapping = *mode;

  // File actions.
  std::vector<std::string> partition_keys;
  for (const std::string& c : effective_metadata.partition_columns) {
    const col::Field* field = schema->GetFieldByName(c);
    partition_keys.push_back(field != nullptr ? PhysicalName(*field, mapping) : c);
  }
  bool dv_enabled = IsFeatureEnabled(effective_protocol, feature::kDeletionVectors);
  std::unordered_set<FileKey, FileKeyHash> seen;
  for (const Add& add : adds) {
    if (add.path.empty()) return Status::InvalidArgument("table '{}': an add has no path", root);
    if (add.size < 0) {
      return Status::InvalidArgument("table '{}': add '{}' has a negative size", root, add.path);
    }
    for (const std::string& key : partition_keys) {
      if (!add.partition_values.contains(key)) {
        return Status::InvalidArgument(
            "table '{}': add '{}' has no value for partition column '{}'", root, add.path, key);
      }
    }
    for (const auto& [key, value] : add.partition_values) {
      if (std::find(partition_keys.begin(), partition_keys.end(), key) == partition_keys.end()) {
        return Status::InvalidArgument(
            "table '{}': add '{}' has a value for '{}', which is not a partition column", root,
            add.path, key);
      }
    }
    if (add.deletion_vector.has_value() && !dv_enabled) {
      return Status::InvalidArgument(
          "table '{}': add '{}' has a deletion vector but the protocol does not enable "
          "deletionVectors",
          root, add.path);
    }
    Result<FileKey> key = FileKeyOf(add.path, add.deletion_vector, table_root);
    if (!key.ok()) {
      return Status::InvalidArgument("table '{}': add '{}': {}", root, add.path,
                                     key.error().message());
    }
    if (!seen.insert(*key).second) {
      return Status::InvalidArgument("table '{}': the file '{}' is added twice", root, add.path);
    }
  }
  bool append_only = false;
  const Metadata* read_metadata = snapshot != nullptr ? &snapshot->metadata() : nullptr;
  for (const Metadata* m : std::array<const Metadata*, 2>{&effective_metadata, read_metadata}) {
    if (m == nullptr) continue;
    auto it = m->configuration.find(std::string(property::kAppendOnly));
    if (it != m->configuration.end() && Lower(it->second) == "true") append_only = true;
  }
  seen.clear();
  removed_paths.clear();
  for (const Remove& r : removes) {
    if (r.path.empty()) return Status::InvalidArgument("table '{}': a remove has no path", root);
    if (append_only && r.data_change) {
      return Status::InvalidArgument(
          "table '{}' is appendOnly (delta.appendOnly=true): cannot remove '{}' with "
          "dataChange=true",
          root, r.path);
    }
    Result<FileKey> key = FileKeyOf(r.path, r.deletion_vector, table_root);
    if (!key.ok()) {
      return Status::InvalidArgument("table '{}': remove '{}': {}", root, r.path,
                                     key.error().message());
    }
    if (!seen.insert(*key).second) {
      return Status::InvalidArgument("table '{}': the file '{}' is removed twice", root, r.path);
    }
    removed_paths.insert(key->path);
  }
  if (!domains.empty() && !IsFeatureEnabled(effective_protocol, feature::kDomainMetadata)) {
    return Status::InvalidArgument(
        "table '{}': domain metadata needs table feature domainMetadata, which the protocol "
        "does not enable",
        root);
  }
  std::set<std::string> domain_names;
  for (const DomainMetadata& d : domains) {
    if (!domain_names.insert(d.domain).second) {
      return Status::InvalidArgument("table '{}': domain '{}' is set twice", root, d.domain);
    }
  }
  if (app_txn.has_value() && app_txn->app_id.empty()) {
    return Status::InvalidArgument("table '{}': the app transaction id is empty", root);
  }

  // Isolation level and blind append, as Spark decides them.
  bool has_file_actions = !adds.empty() || !removes.empty();
  bool all_no_data_change =
      has_file_actions &&
      std::all_of(adds.begin(), adds.end(), [](const Add& a) { return !a.data_change; }) &&
      std::all_of(removes.begin(), removes.end(), [](const Remove& r) { return !r.data_change; });
  if (all_no_data_change) {
    isolation_level = std::string(kSnapshotIsolation);
  } else {
    auto it = effective_metadata.configuration.find(std::string(kIsolationLevelProperty));
    isolation_level = it != effective_metadata.configuration.end() &&
                              Lower(it->second) == Lower(kWriteSerializable)
                          ? std::string(kWriteSerializable)
                          : std::string(kSerializable);
  }
  blind_append =
      removes.empty() && read_predicates.empty() && read_files.empty() && !read_whole_table;
  ict = IctEnabled(effective_metadata);
  ict_newly_enabled = ict && snapshot != nullptr && !IctEnabled(snapshot->metadata());
  if (ict && !IsFeatureEnabled(effective_protocol, feature::kInCommitTimestamp)) {
    return Status::InvalidArgument(
        "table '{}': delta.enableInCommitTimestamps=true needs table feature inCommitTimestamp",
        root);
  }
  return Status::OK();
}

Status Transaction::Impl::CheckLogStillHoldsNextVersion() {
  // Log cleanup only deletes commits older than delta.logRetentionDuration, and commits after
  // the snapshot's version are newer than it: a younger snapshot needs no check (no listing).
  Result<int64_t> retention = LogRetentionMillis(snapshot->metadata());
  if (retention.ok() && snapshot->timestamp_ms() >= Now() - *retention) return Status::OK();
  SILT_ASSIGN_OR_RETURN(std::vector<LogFile> files,
                        ListLogFiles(fs, LogDirFor(table_root), read_version() + 1));
  bool next_commit = false;
  bool newer = false;
  for (const LogFile& f : files) {
    if (f.version <= read_version()) continue;
    newer = true;
    if (f.type == LogFileType::kCommit && f.version == read_version() + 1) next_commit = true;
  }
  if (newer && !next_commit) {
    return Status(StatusCode::kConflict,
                  fmt::format("table '{}': commit {} after the read snapshot (version {}) was "
                              "cleaned up from the log; start from a newer snapshot",
                              table_root, read_version() + 1, read_version()));
  }
  return Status::OK();
}

std::string Transaction::Impl::JsonValue(const std::string& text) {
  // Values are JSON text; anything that is not is taken as a plain string.
  if (!text.empty() && parser.Parse(text).ok()) return text;
  return JsonString(text);
}

std::vector<Action> Transaction::Impl::BuildActions(int64_t version, int64_t timestamp,
                                                    std::optional<int64_t> ict_value) {
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back(field::kTimestamp, std::to_string(timestamp));
  if (ict_value.has_value()) {
    fields.emplace_back(field::kInCommitTimestamp, std::to_string(*ict_value));
  }
  std::string op = !operation.empty()    ? operation
                   : snapshot == nullptr ? std::string("CREATE TABLE")
                                         : std::string("WRITE");
  fields.emplace_back(field::kOperation, JsonString(op));
  {
    json::Writer w;
    w.BeginObject();
    for (const auto& [k, v] : operation_parameters) w.Key(k).RawJson(JsonValue(v));
    w.EndObject();
    fields.emplace_back("operationParameters", w.Release());
  }
  if (snapshot != nullptr) fields.emplace_back("readVersion", std::to_string(read_version()));
  fields.emplace_back("isolationLevel", JsonString(isolation_level));
  fields.emplace_back(field::kIsBlindAppend, blind_append ? "true" : "false");
  if (!operation_metrics.empty()) {
    json::Writer w;
    w.BeginObject();
    for (const auto& [k, v] : operation_metrics) w.Field(k, std::string_view(v));
    w.EndObject();
    fields.emplace_back("operationMetrics", w.Release());
  }
  std::string engine =
      options.engine_info.empty() ? fmt::format("silt/{}", kVersionString) : options.engine_info;
  fields.emplace_back("engineInfo", JsonString(engine));
  fields.emplace_back(field::kTxnId, JsonString(txn_id));
  for (const auto& [k, v] : extra_commit_info) {
    std::string value = JsonValue(v);
    auto it =
        std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == k; });
    if (it != fields.end()) {
      it->second = std::move(value);
    } else {
      fields.emplace_back(k, std::move(value));
    }
  }
  json::Writer w;
  w.BeginObject();
  for (const auto& [k, v] : fields) w.Key(k).RawJson(v);
  w.EndObject();

  CommitInfo info;
  info.raw_json = w.Release();
  info.timestamp = timestamp;
  info.operation = op;
  info.in_commit_timestamp = ict_value;
  info.is_blind_append = blind_append;
  info.txn_id = txn_id;

  std::vector<Action> actions;
  actions.reserve(4 + domains.size() + removes.size() + adds.size() + cdcs.size());
  actions.emplace_back(std::move(info));
  if (protocol.has_value()) actions.emplace_back(*protocol);
  if (metadata.has_value()) {
    Metadata m = *metadata;
    if (ict_newly_enabled && ict_value.has_value()) {
      m.configuration[std::string(property::kInCommitTimestampEnablementVersion)] =
          std::to_string(version);
      m.configuration[std::string(kIctEnablementTimestampProperty)] = std::to_string(*ict_value);
    }
    actions.emplace_back(std::move(m));
  }
  if (app_txn.has_value()) {
    SetTransaction t = *app_txn;
    t.last_updated = timestamp;
    actions.emplace_back(std::move(t));
  }
  for (const DomainMetadata& d : domains) actions.emplace_back(d);
  for (const Remove& r : removes) actions.emplace_back(r);
  for (const Add& a : adds) actions.emplace_back(a);
  for (const AddCDCFile& c : cdcs) actions.emplace_back(c);
  return actions;
}

Result<bool> Transaction::Impl::FileMatchesReadSet(const Add& add) {
  if (read_whole_table) return true;
  if (read_predicates.empty()) return false;
  // Partition values are exact bounds; stats (when present) bound the data columns. A file
  // with neither may match anything.
  std::map<std::vector<std::string>, expr::ColumnStats> columns;
  std::optional<int64_t> num_records;
  if (add.stats.has_value() && !add.stats->empty()) {
    Result<FileStats> stats = ParseFileStats(*add.stats, *schema, mapping);
    if (stats.ok()) {
      columns = std::move(stats->columns);
      num_records = stats->num_records;
    }
  }
  for (const std::string& c : effective_metadata.partition_columns) {
    const col::Field* field = schema->GetFieldByName(c);
    if (field == nullptr) continue;
    auto it = add.partition_values.find(PhysicalName(*field, mapping));
    if (it == add.partition_values.end()) continue;
    Result<expr::Value> value = ParsePartitionValue(it->second, *field->type(), c);
    if (!value.ok()) continue;
    expr::ColumnStats cs;
    if (value->is_null()) {
      if (num_records.has_value()) cs.null_count = num_records;
    } else {
      cs.min = *value;
      cs.max = *value;
      cs.null_count = 0;
    }
    columns[{c}] = std::move(cs);
  }
  expr::StatsView view;
  view.num_records = num_records;
  view.column =
      [&columns](const std::vector<std::string>& path) -> std::optional<expr::ColumnStats> {
    auto it = columns.find(path);
    if (it != columns.end()) return it->second;
    // Spark resolves column names case-insensitively.
    for (const auto& [p, s] : columns) {
      if (p.size() != path.size()) continue;
      bool same = true;
      for (size_t i = 0; i < p.size() && same; ++i) same = Lower(p[i]) == Lower(path[i]);
      if (same) return s;
    }
    return std::nullopt;
  };
  for (const expr::ExprPtr& predicate : read_predicates) {
    if (expr::MayMatch(*predicate, view)) return true;
  }
  return false;
}

Status Transaction::Impl::CheckWinner(int64_t version, const std::vector<Action>& actions,
                                      bool& skip) {
  WinnerSummary w = Summarize(actions);
  // Our idempotent write was already committed by someone (a retried batch): nothing to do.
  if (app_txn.has_value()) {
    for (const SetTransaction* t : w.txns) {
      if (t->app_id == app_txn->app_id && t->version >= app_txn->version) {
        skip = true;
        return Status::OK();
      }
    }
  }
  if (w.protocol != nullptr) {
    SILT_RETURN_NOT_OK(CheckWriteSupported(*w.protocol)
                           .WithContext(fmt::format(
                               "table '{}': a concurrent update (version {}) changed the protocol",
                               table_root, version)));
    if (protocol.has_value()) {
      return ConflictError(ConflictKind::kProtocolChanged,
                           "the protocol of table '{}' was changed by a concurrent update "
                           "(version {})",
                           table_root, version);
    }
    effective_protocol = *w.protocol;
  }
  if (w.metadata != nullptr) {
    return ConflictError(ConflictKind::kMetadataChanged,
                         "the metadata of table '{}' was changed by a concurrent update "
                         "(version {})",
                         table_root, version);
  }
  for (const DomainMetadata* d : w.domains) {
    for (const DomainMetadata& ours : domains) {
      if (ours.domain == d->domain) {
        return ConflictError(ConflictKind::kConcurrentTransaction,
                             "a concurrent update (version {}) of table '{}' changed the "
                             "domain '{}' that this transaction changes",
                             version, table_root, d->domain);
      }
    }
  }
  // Files the winner added that this transaction should have read.
  if (isolation_level != kSnapshotIsolation && (read_whole_table || !read_predicates.empty())) {
    bool winner_blind = w.commit_info != nullptr && w.commit_info->is_blind_append == true;
    bool skip_blind = isolation_level == kWriteSerializable && !metadata.has_value();
    if (!(winner_blind && skip_blind)) {
      for (const Add* add : w.adds) {
        if (!add->data_change) continue;
        SILT_ASSIGN_OR_RETURN(bool match, FileMatchesReadSet(*add));
        if (match) {
          return ConflictError(ConflictKind::kConcurrentAppend,
                               "a concurrent update (version {}) added the file '{}' to table "
                               "'{}', which this transaction's read would have included",
                               version, add->path, table_root);
        }
      }
    }
  }
  for (const Remove* r : w.removes) {
    std::string path = Canonical(r->path);
    if (read_whole_table || read_files.contains(path)) {
      return ConflictError(ConflictKind::kConcurrentDeleteRead,
                           "a concurrent update (version {}) removed the file '{}' of table "
                           "'{}', which this transaction read",
                           version, r->path, table_root);
    }
  }
  for (const Remove* r : w.removes) {
    if (removed_paths.contains(Canonical(r->path))) {
      return ConflictError(ConflictKind::kConcurrentDeleteDelete,
                           "a concurrent update (version {}) removed the file '{}' of table "
                           "'{}', which this transaction removes too",
                           version, r->path, table_root);
    }
  }
  if (app_txn.has_value()) {
    for (const SetTransaction* t : w.txns) {
      if (t->app_id == app_txn->app_id) {
        return ConflictError(ConflictKind::kConcurrentTransaction,
                             "a concurrent update (version {}) of table '{}' committed "
                             "version {} of application '{}', which this transaction commits "
                             "as version {}",
                             version, table_root, t->version, t->app_id, app_txn->version);
      }
    }
  }
  return Status::OK();
}

Result<std::shared_ptr<const Snapshot>> Transaction::Impl::PostCommitSnapshot(
    int64_t version, const std::vector<Action>& ours, int64_t our_size,
    const std::vector<std::pair<int64_t, std::vector<Action>>>& winners,
    const std::vector<int64_t>& winner_sizes) {
  std::string log_dir = LogDirFor(table_root);
  LogSegment segment;
  if (snapshot != nullptr) {
    segment = snapshot->log_segment();
  } else {
    segment.log_dir = log_dir;
  }
  int64_t now = Now();
  auto commit_file = [&](int64_t v, int64_t size) {
    LogFile f;
    f.type = LogFileType::kCommit;
    f.version = v;
    f.is_json = true;
    f.path = fs::JoinPath(log_dir, CommitFileName(v));
    f.size = size;
    f.modification_time_ms = now;
    return f;
  };
  for (size_t i = 0; i < winners.size(); ++i) {
    segment.commits.push_back(commit_file(winners[i].first, winner_sizes[i]));
  }
  segment.commits.push_back(commit_file(version, our_size));
  segment.version = version;
  segment.last_commit_modification_time_ms = now;

  // Replay of the commits since the read snapshot only (ours, then the winners, newest first),
  // on top of the read snapshot's protocol, metadata, app transactions and domains: what they
  // decide, in Delta's reconciliation rules.
  LogReplayer replayer(version, log_dir);
  SILT_RETURN_NOT_OK(replayer.AddCommit(version, ours, now));
  for (auto it = winners.rbegin(); it != winners.rend(); ++it) {
    SILT_RETURN_NOT_OK(replayer.AddCommit(it->first, it->second, now));
  }
  if (snapshot == nullptr) {
    SILT_ASSIGN_OR_RETURN(LogState state, std::move(replayer).Finish());
    return Snapshot::Make(table_root, std::move(segment), std::move(state));
  }
  std::vector<Action> base;
  base.reserve(2 + snapshot->app_transactions().size() + snapshot->domain_metadata().size());
  base.emplace_back(snapshot->protocol());
  base.emplace_back(snapshot->metadata());
  for (const auto& [id, t] : snapshot->app_transactions()) base.emplace_back(t);
  for (const auto& [name, d] : snapshot->domain_metadata()) base.emplace_back(d);
  SILT_RETURN_NOT_OK(replayer.AddCheckpointActions(std::move(base)));
  SILT_ASSIGN_OR_RETURN(LogState state, std::move(replayer).Finish());

  // The read snapshot's files and tombstones stand in for everything before the winners: each
  // one the new commits did not decide is kept, in its place, and the new commits' follow (log
  // order, see LogState): one copy per file instead of a replay of the whole table.
  // Keys as the replayer makes them (relative to the log's parent).
  const std::string_view replay_root = fs::ParentPath(log_dir);
  std::unordered_set<FileKey, FileKeyHash, FileKeyEqual> decided;
  std::unordered_set<std::string_view> decided_names;  // their file names, a cheap first test
  auto decide = [&](const std::string& path,
                    const std::optional<DeletionVectorDescriptor>& dv) -> Status {
    SILT_ASSIGN_OR_RETURN(FileKey key, FileKeyOf(path, dv, replay_root));
    decided.insert(std::move(key));
    return Status::OK();
  };
  auto decide_all = [&](const std::vector<Action>& actions) -> Status {
    for (const Action& a : actions) {
      if (const auto* add = std::get_if<Add>(&a))
        SILT_RETURN_NOT_OK(decide(add->path, add->deletion_vector));
      if (const auto* r = std::get_if<Remove>(&a))
        SILT_RETURN_NOT_OK(decide(r->path, r->deletion_vector));
    }
    return Status::OK();
  };
  SILT_RETURN_NOT_OK(decide_all(ours));
  for (const auto& [v, actions] : winners) SILT_RETURN_NOT_OK(decide_all(actions));
  for (const FileKey& key : decided) decided_names.insert(FileName(key.path));
  // Whether the new commits decided the logical file of a base action. A canonical path is the
  // raw one percent-decoded with its prefix made relative, so its file name is the raw file name
  // when that holds no '%': only files whose name matches (or may) are canonicalized.
  auto shadowed_path = [&](std::string_view path,
                           const std::optional<DeletionVectorDescriptor>& dv) -> Result<bool> {
    if (decided.empty()) return false;
    std::string_view name = FileName(path);
    if (name.find('%') == std::string_view::npos && !decided_names.contains(name)) return false;
    SILT_ASSIGN_OR_RETURN(FileKey key, FileKeyOf(path, dv, replay_root));
    return decided.contains(key);
  };
  SILT_ASSIGN_OR_RETURN(
      state.files, FileList::Merge(
                       snapshot->files(),
                       [&](const FileRef& f) { return shadowed_path(f.path(), f.deletion_vector()); },
                       state.files));
  SILT_ASSIGN_OR_RETURN(
      state.tombstones,
      MergeTombstones(snapshot->tombstones(), std::move(state.tombstones),
                      [&](const Remove& r) { return shadowed_path(r.path, r.deletion_vector); }));
  return Snapshot::Make(table_root, std::move(segment), std::move(state));
}

void Transaction::Impl::Finish(int64_t version, const std::vector<Action>& ours, int64_t our_size,
                               const std::vector<std::pair<int64_t, std::vector<Action>>>& winners,
                               const std::vector<int64_t>& winner_sizes, CommitResult& result) {
  result.version = version;
  Result<std::shared_ptr<const Snapshot>> post =
      PostCommitSnapshot(version, ours, our_size, winners, winner_sizes);
  if (post.ok()) {
    result.snapshot = std::move(*post);
  } else {
    SILT_LOG_WARN("table '{}': committed version {} but could not build its snapshot: {}",
                  table_root, version, post.error().ToString());
  }
  if (options.checkpoint_after_commit) {
    result.checkpoint_written = CheckpointIfDue(version, result.snapshot);
  }
}

bool Transaction::Impl::CheckpointIfDue(int64_t version, std::shared_ptr<const Snapshot> post) {
  // As Spark: every delta.checkpointInterval versions, never for version 0.
  const Metadata& m = post != nullptr ? post->metadata() : effective_metadata;
  Result<int64_t> interval = CheckpointInterval(m);
  if (!interval.ok()) {
    SILT_LOG_WARN("table '{}': no checkpoint after version {}: {}", table_root, version,
                  interval.error().ToString());
    return false;
  }
  if (version == 0 || version % *interval != 0) return false;
  if (post == nullptr) {
    SnapshotOptions snapshot_options;
    snapshot_options.version = version;
    snapshot_options.checkpoint_decoder = options.checkpoint_decoder != nullptr
                                              ? options.checkpoint_decoder
                                              : DefaultParquetCheckpointDecoder();
    Result<std::shared_ptr<const Snapshot>> loaded =
        Snapshot::Load(fs, table_root, snapshot_options);
    if (!loaded.ok()) {
      SILT_LOG_WARN("table '{}': no checkpoint after version {}: {}", table_root, version,
                    loaded.error().ToString());
      return false;
    }
    post = std::move(*loaded);
  }
  CheckpointWriteOptions checkpoint_options;
  checkpoint_options.now_ms = Now();
  Result<CheckpointWriteResult> written = WriteCheckpoint(fs, *post, checkpoint_options);
  if (!written.ok()) {
    SILT_LOG_WARN("table '{}': checkpoint of version {} failed: {}", table_root, version,
                  written.error().ToString());
    return false;
  }
  Result<LogCleanupResult> cleaned = CleanUpExpiredLogs(fs, *post, Now());
  if (!cleaned.ok()) {
    SILT_LOG_WARN("table '{}': log cleanup after the checkpoint of version {} failed: {}",
                  table_root, version, cleaned.error().ToString());
  }
  return true;
}

Result<CommitResult> Transaction::Commit() {
  Impl& t = *impl_;
  if (t.committed) {
    return Status::InvalidArgument("table '{}': Transaction::Commit() may be called once",
                                   t.table_root);
  }
  t.committed = true;
  CommitResult result;
  result.version = t.read_version();

  if (t.app_txn.has_value() && t.snapshot != nullptr) {
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> done,
                          t.snapshot->AppTransactionVersion(t.app_txn->app_id, t.Now()));
    if (done.has_value() && *done >= t.app_txn->version) {
      result.skipped_idempotent = true;
      result.snapshot = t.snapshot;
      return result;
    }
  }
  SILT_RETURN_NOT_OK(t.Validate());
  if (t.snapshot_from_caller) SILT_RETURN_NOT_OK(t.CheckLogStillHoldsNextVersion());

  // The previous commit's timestamp, for in-commit timestamps (its ICT, or its file time).
  int64_t previous_timestamp = t.snapshot != nullptr ? t.snapshot->timestamp_ms() : -1;
  int64_t version = t.read_version() + 1;
  std::vector<std::pair<int64_t, std::vector<Action>>> winners;
  std::vector<int64_t> winner_sizes;
  int max_attempts = std::max(1, t.options.max_attempts);
  Status last_error;
  // Contents of puts that failed without saying whether they happened, by version.
  std::map<int64_t, std::vector<std::string>> ambiguous;
  while (true) {
    if (result.attempts >= max_attempts) {
      return last_error.WithContext(
          fmt::format("table '{}': no commit after {} attempts", t.table_root, result.attempts));
    }
    ++result.attempts;
    int64_t now = t.Now();
    std::optional<int64_t> ict_value;
    int64_t timestamp = now;
    if (t.ict) {
      ict_value = std::max(now, previous_timestamp + 1);
      timestamp = *ict_value;
    }
    std::vector<Action> actions = t.BuildActions(version, timestamp, ict_value);
    std::string content = ToCommitFile(actions);
    Status put = t.fs.PutIfAbsent(t.CommitPath(version), content);
    if (put.ok()) {
      t.Finish(version, actions, static_cast<int64_t>(content.size()), winners, winner_sizes,
               result);
      return result;
    }
    if (!put.IsAlreadyExists()) {
      // The put may or may not have happened (a timeout after the write): retry the same
      // version; finding our own txnId there below means it did.
      if (!put.retryable()) return put.WithContext(fmt::format("table '{}'", t.table_root));
      ambiguous[version].push_back(std::move(content));
      last_error = put;
      continue;
    }
    last_error = Status(StatusCode::kConflict,
                        fmt::format("version {} was taken by a concurrent commit", version),
                        /*retryable=*/true);
    // Lost the race: read every commit that won, check it against ours, rebase.
    while (true) {
      Result<std::string> winner = t.fs.ReadFile(t.CommitPath(version));
      if (!winner.ok()) {
        if (winner.error().IsNotFound()) break;
        return winner.error().WithContext(fmt::format("table '{}'", t.table_root));
      }
      SILT_ASSIGN_OR_RETURN(std::vector<Action> winner_actions,
                            ParseCommitFile(t.parser, *winner, t.CommitPath(version)));
      WinnerSummary summary = Summarize(winner_actions);
      auto mine = ambiguous.find(version);
      if (mine != ambiguous.end() &&
          std::find(mine->second.begin(), mine->second.end(), *winner) != mine->second.end()) {
        // An earlier attempt of ours did land though its put reported an error: the bytes
        // (which hold our txnId and timestamps) are exactly those we sent.
        t.Finish(version, winner_actions, static_cast<int64_t>(winner->size()), winners,
                 winner_sizes, result);
        return result;
      }
      bool skip = false;
      SILT_RETURN_NOT_OK(t.CheckWinner(version, winner_actions, skip));
      if (skip) {
        result.version = version;
        result.skipped_idempotent = true;
        return result;
      }
      if (summary.commit_info != nullptr && summary.commit_info->in_commit_timestamp.has_value()) {
        previous_timestamp = *summary.commit_info->in_commit_timestamp;
      }
      winner_sizes.push_back(static_cast<int64_t>(winner->size()));
      winners.emplace_back(version, std::move(winner_actions));
      ++version;
    }
  }
}

}  // namespace silt::delta
