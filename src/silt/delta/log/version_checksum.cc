#include "silt/delta/log/version_checksum.h"

#include <utility>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/log/log_path.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace {

constexpr std::string_view kTableSizeBytes = "tableSizeBytes";
constexpr std::string_view kNumFiles = "numFiles";
constexpr std::string_view kNumMetadata = "numMetadata";
constexpr std::string_view kNumProtocol = "numProtocol";
constexpr std::string_view kInCommitTimestampOpt = "inCommitTimestampOpt";
constexpr std::string_view kSetTransactions = "setTransactions";
constexpr std::string_view kDomainMetadataList = "domainMetadata";
constexpr std::string_view kMetadata = "metadata";
constexpr std::string_view kProtocol = "protocol";
constexpr std::string_view kNumDeletedRecordsOpt = "numDeletedRecordsOpt";
constexpr std::string_view kNumDeletionVectorsOpt = "numDeletionVectorsOpt";
constexpr std::string_view kAllFiles = "allFiles";

// The body of an action of a known type.
template <typename T>
Result<T> ParseTyped(std::string_view action_name, const json::Object& body) {
  SILT_ASSIGN_OR_RETURN(std::optional<Action> action, ParseActionBody(action_name, body));
  T* typed = action.has_value() ? std::get_if<T>(&*action) : nullptr;
  if (typed == nullptr) {
    return Status::Internal("'{}' did not parse as the expected action", action_name);
  }
  return std::move(*typed);
}

// A list of actions of one type, e.g. "setTransactions": [{txn}, ...].
template <typename T>
Result<std::optional<std::vector<T>>> ParseActionList(const json::Object& o,
                                                      std::string_view field,
                                                      std::string_view action_name) {
  std::optional<json::Value> list = o.Find(field);
  if (!list.has_value() || list->is_null()) return std::optional<std::vector<T>>();
  std::vector<T> out;
  SILT_RETURN_NOT_OK(list->ForEachElement([&](size_t, const json::Value& element) -> Status {
    SILT_ASSIGN_OR_RETURN(json::Object body, element.AsObject());
    SILT_ASSIGN_OR_RETURN(T parsed, ParseTyped<T>(action_name, body));
    out.push_back(std::move(parsed));
    return Status::OK();
  }));
  return std::optional<std::vector<T>>(std::move(out));
}

template <typename T>
Result<std::optional<T>> ParseEmbedded(const json::Object& o, std::string_view field,
                                       std::string_view action_name) {
  SILT_ASSIGN_OR_RETURN(std::optional<json::Object> body, o.GetOptionalObject(field));
  if (!body.has_value()) return std::optional<T>();
  SILT_ASSIGN_OR_RETURN(T parsed, ParseTyped<T>(action_name, *body));
  return std::optional<T>(std::move(parsed));
}

}  // namespace

Result<VersionChecksum> ParseVersionChecksum(std::string_view content) {
  json::Parser parser;
  SILT_ASSIGN_OR_RETURN(json::Object o, parser.ParseObject(content));
  VersionChecksum c;
  SILT_ASSIGN_OR_RETURN(auto txn_id, o.GetOptionalString(field::kTxnId));
  if (txn_id.has_value()) c.txn_id = std::string(*txn_id);
  SILT_ASSIGN_OR_RETURN(c.table_size_bytes, o.GetInt64(kTableSizeBytes));
  SILT_ASSIGN_OR_RETURN(c.num_files, o.GetInt64(kNumFiles));
  SILT_ASSIGN_OR_RETURN(auto num_metadata, o.GetOptionalInt64(kNumMetadata));
  c.num_metadata = num_metadata.value_or(1);
  SILT_ASSIGN_OR_RETURN(auto num_protocol, o.GetOptionalInt64(kNumProtocol));
  c.num_protocol = num_protocol.value_or(1);
  SILT_ASSIGN_OR_RETURN(c.in_commit_timestamp, o.GetOptionalInt64(kInCommitTimestampOpt));
  SILT_ASSIGN_OR_RETURN(c.set_transactions,
                        ParseActionList<SetTransaction>(o, kSetTransactions, kTxnAction));
  SILT_ASSIGN_OR_RETURN(c.domain_metadata, ParseActionList<DomainMetadata>(
                                               o, kDomainMetadataList, kDomainMetadataAction));
  SILT_ASSIGN_OR_RETURN(c.metadata, ParseEmbedded<Metadata>(o, kMetadata, kMetadataAction));
  SILT_ASSIGN_OR_RETURN(c.protocol, ParseEmbedded<Protocol>(o, kProtocol, kProtocolAction));
  SILT_ASSIGN_OR_RETURN(c.num_deleted_records, o.GetOptionalInt64(kNumDeletedRecordsOpt));
  SILT_ASSIGN_OR_RETURN(c.num_deletion_vectors, o.GetOptionalInt64(kNumDeletionVectorsOpt));
  SILT_ASSIGN_OR_RETURN(c.all_files, ParseActionList<Add>(o, kAllFiles, kAddAction));
  return c;
}

Result<std::optional<VersionChecksum>> ReadVersionChecksum(fs::FileSystem& fs,
                                                           std::string_view log_dir,
                                                           int64_t version) {
  std::string path = fs::JoinPath(log_dir, ChecksumFileName(version));
  Result<std::string> content = fs.ReadFile(path);
  if (!content.ok()) {
    if (content.error().IsNotFound()) return std::optional<VersionChecksum>();
    return content.error();
  }
  Result<VersionChecksum> checksum = ParseVersionChecksum(*content);
  if (!checksum.ok()) return checksum.error().WithContext(path);
  return std::optional<VersionChecksum>(std::move(*checksum));
}

}  // namespace silt::delta
