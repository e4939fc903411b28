// Typed access to table properties, metaData.configuration (PROTOCOL.md "Table Properties";
// digest §18). Values are strings; these helpers parse them with Delta's defaults and report a
// malformed value as kCorruption naming the property.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"

namespace silt::delta {

namespace property {
inline constexpr std::string_view kAppendOnly = "delta.appendOnly";
inline constexpr std::string_view kEnableChangeDataFeed = "delta.enableChangeDataFeed";
inline constexpr std::string_view kEnableDeletionVectors = "delta.enableDeletionVectors";
inline constexpr std::string_view kColumnMappingMode = "delta.columnMapping.mode";
inline constexpr std::string_view kCheckpointInterval = "delta.checkpointInterval";
inline constexpr std::string_view kCheckpointPolicy = "delta.checkpointPolicy";
inline constexpr std::string_view kDeletedFileRetentionDuration =
    "delta.deletedFileRetentionDuration";
inline constexpr std::string_view kLogRetentionDuration = "delta.logRetentionDuration";
inline constexpr std::string_view kSetTransactionRetentionDuration =
    "delta.setTransactionRetentionDuration";
inline constexpr std::string_view kDataSkippingNumIndexedCols = "delta.dataSkippingNumIndexedCols";
inline constexpr std::string_view kDataSkippingStatsColumns = "delta.dataSkippingStatsColumns";
inline constexpr std::string_view kEnableRowTracking = "delta.enableRowTracking";
inline constexpr std::string_view kEnableInCommitTimestamps = "delta.enableInCommitTimestamps";
inline constexpr std::string_view kInCommitTimestampEnablementVersion =
    "delta.inCommitTimestampEnablementVersion";
}  // namespace property

inline constexpr int64_t kMillisPerDay = 24LL * 60 * 60 * 1000;

// Parses a Spark interval as Delta uses them: "interval 7 days", "168 hours", "interval 1 week
// 2 days" (one or more "<integer> <unit>" pairs, optionally after "interval"; units nanosecond
// to week, singular or plural, case-insensitive). Months and years have no fixed length and
// are kInvalidArgument, as in Delta; so is anything malformed or negative.
Result<int64_t> ParseIntervalMillis(std::string_view text);

// The property as a boolean ("true"/"false", case-insensitive), or `default_value` when unset.
Result<bool> GetBoolProperty(const Metadata& metadata, std::string_view key, bool default_value);
// The property as a decimal integer, or `default_value` when unset.
Result<int64_t> GetIntProperty(const Metadata& metadata, std::string_view key,
                               int64_t default_value);
// The property as an interval in milliseconds, or `default_ms` when unset.
Result<int64_t> GetIntervalProperty(const Metadata& metadata, std::string_view key,
                                    int64_t default_ms);

// delta.checkpointInterval: default 10; must be positive.
Result<int64_t> CheckpointInterval(const Metadata& metadata);
// delta.deletedFileRetentionDuration: default 1 week (tombstone lifetime, VACUUM window).
Result<int64_t> DeletedFileRetentionMillis(const Metadata& metadata);
// delta.logRetentionDuration: default 30 days.
Result<int64_t> LogRetentionMillis(const Metadata& metadata);
// delta.setTransactionRetentionDuration: unset means app transactions never expire.
Result<std::optional<int64_t>> SetTransactionRetentionMillis(const Metadata& metadata);

}  // namespace silt::delta
