// Delta log actions (PROTOCOL.md "Actions"): the typed form of one line of a commit file or one
// row of a checkpoint. Field names are Delta's, spelled exactly, each in one constant below.
// Optional protocol fields are std::optional (absent and JSON null mean the same); map fields
// whose absence carries no meaning (tags, configuration) are plain maps, empty when absent.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "silt/delta/actions/deletion_vector.h"

namespace silt::delta {

// Top-level keys naming each action on a log line.
inline constexpr std::string_view kProtocolAction = "protocol";
inline constexpr std::string_view kMetadataAction = "metaData";
inline constexpr std::string_view kAddAction = "add";
inline constexpr std::string_view kRemoveAction = "remove";
inline constexpr std::string_view kCdcAction = "cdc";
inline constexpr std::string_view kTxnAction = "txn";
inline constexpr std::string_view kCommitInfoAction = "commitInfo";
inline constexpr std::string_view kDomainMetadataAction = "domainMetadata";
inline constexpr std::string_view kSidecarAction = "sidecar";
inline constexpr std::string_view kCheckpointMetadataAction = "checkpointMetadata";

// Field names inside actions.
namespace field {
// protocol
inline constexpr std::string_view kMinReaderVersion = "minReaderVersion";
inline constexpr std::string_view kMinWriterVersion = "minWriterVersion";
inline constexpr std::string_view kReaderFeatures = "readerFeatures";
inline constexpr std::string_view kWriterFeatures = "writerFeatures";
// metaData
inline constexpr std::string_view kId = "id";
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kDescription = "description";
inline constexpr std::string_view kFormat = "format";
inline constexpr std::string_view kProvider = "provider";
inline constexpr std::string_view kOptions = "options";
inline constexpr std::string_view kSchemaString = "schemaString";
inline constexpr std::string_view kPartitionColumns = "partitionColumns";
inline constexpr std::string_view kConfiguration = "configuration";
inline constexpr std::string_view kCreatedTime = "createdTime";
// add / remove / cdc
inline constexpr std::string_view kPath = "path";
inline constexpr std::string_view kPartitionValues = "partitionValues";
inline constexpr std::string_view kSize = "size";
inline constexpr std::string_view kModificationTime = "modificationTime";
inline constexpr std::string_view kDataChange = "dataChange";
inline constexpr std::string_view kStats = "stats";
inline constexpr std::string_view kTags = "tags";
inline constexpr std::string_view kDeletionVector = "deletionVector";
inline constexpr std::string_view kBaseRowId = "baseRowId";
inline constexpr std::string_view kDefaultRowCommitVersion = "defaultRowCommitVersion";
inline constexpr std::string_view kClusteringProvider = "clusteringProvider";
inline constexpr std::string_view kDeletionTimestamp = "deletionTimestamp";
inline constexpr std::string_view kExtendedFileMetadata = "extendedFileMetadata";
// txn
inline constexpr std::string_view kAppId = "appId";
inline constexpr std::string_view kVersion = "version";
inline constexpr std::string_view kLastUpdated = "lastUpdated";
// commitInfo
inline constexpr std::string_view kTimestamp = "timestamp";
inline constexpr std::string_view kOperation = "operation";
inline constexpr std::string_view kInCommitTimestamp = "inCommitTimestamp";
inline constexpr std::string_view kIsBlindAppend = "isBlindAppend";
inline constexpr std::string_view kTxnId = "txnId";
// domainMetadata
inline constexpr std::string_view kDomain = "domain";
inline constexpr std::string_view kRemoved = "removed";
}  // namespace field

// Partition values: one entry per partition column; std::nullopt is a null value.
using PartitionValues = std::map<std::string, std::optional<std::string>>;
// String-to-string maps (tags, configuration, options). A JSON null value reads as unset.
using StringMap = std::map<std::string, std::string>;

struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  // Present only with reader version 3 / writer version 7.
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;

  bool operator==(const Protocol&) const = default;
};

struct Format {
  std::string provider = "parquet";
  StringMap options;

  bool operator==(const Format&) const = default;
};

struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  Format format;
  // The table schema as Spark's JSON schema text (parsed elsewhere). Empty when the action had
  // none (some Spark-written test tables); serialization always writes the field.
  std::string schema_string;
  std::vector<std::string> partition_columns;
  StringMap configuration;
  std::optional<int64_t> created_time;

  bool operator==(const Metadata&) const = default;
};

// A logical file entering the table. `path` is as written in the log: a URI reference,
// percent-encoded (see path_encoding.h).
struct Add {
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;
  bool data_change = true;
  // Per-file statistics: a JSON document kept as text.
  std::optional<std::string> stats;
  StringMap tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;

  bool operator==(const Add&) const = default;
};

// A logical file leaving the table (a tombstone).
struct Remove {
  std::string path;
  std::optional<int64_t> deletion_timestamp;
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<std::string> stats;
  StringMap tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;

  bool operator==(const Remove&) const = default;
};

// A change-data file of one commit (`cdc`).
struct AddCDCFile {
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  bool data_change = false;
  StringMap tags;

  bool operator==(const AddCDCFile&) const = default;
};

// An application's transaction marker (`txn`), used for idempotent writes.
struct SetTransaction {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;

  bool operator==(const SetTransaction&) const = default;
};

// Provenance of a commit. Free-form: kept whole as raw JSON, plus the few fields silt reads.
// When serialized, `raw_json` is written verbatim if set; otherwise an object is built from the
// typed fields.
struct CommitInfo {
  std::string raw_json;
  std::optional<int64_t> timestamp;
  std::optional<std::string> operation;
  std::optional<int64_t> in_commit_timestamp;
  std::optional<bool> is_blind_append;
  std::optional<std::string> txn_id;

  bool operator==(const CommitInfo&) const = default;
};

struct DomainMetadata {
  std::string domain;
  // Opaque to Delta; usually JSON text owned by the domain.
  std::string configuration;
  bool removed = false;

  bool operator==(const DomainMetadata&) const = default;
};

// A V2 checkpoint's reference to a file of checkpoint file actions (`_delta_log/_sidecars/`).
struct Sidecar {
  std::string path;
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  StringMap tags;

  bool operator==(const Sidecar&) const = default;
};

// The header of a V2 checkpoint.
struct CheckpointMetadata {
  int64_t version = 0;
  StringMap tags;

  bool operator==(const CheckpointMetadata&) const = default;
};

using Action = std::variant<Protocol, Metadata, Add, Remove, AddCDCFile, SetTransaction,
                            CommitInfo, DomainMetadata, Sidecar, CheckpointMetadata>;

// The top-level key of the action ("add", "metaData", ...).
std::string_view ActionName(const Action& action);

}  // namespace silt::delta
