// Version checksum files, "<version>.crc" (PROTOCOL.md "Version Checksum File"; digest §16.5):
// optional per-version summaries of the table state that writers may leave behind. Readers
// must work without them; silt reads them to cross-check replay and for cheap table stats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"
#include "silt/fs/file_system.h"

namespace silt::delta {

struct VersionChecksum {
  std::optional<std::string> txn_id;
  // Sum of the sizes of the live files.
  int64_t table_size_bytes = 0;
  // Number of live files.
  int64_t num_files = 0;
  int64_t num_metadata = 1;
  int64_t num_protocol = 1;
  std::optional<int64_t> in_commit_timestamp;
  std::optional<std::vector<SetTransaction>> set_transactions;
  // Live domains.
  std::optional<std::vector<DomainMetadata>> domain_metadata;
  // Absent in checksums of some writers.
  std::optional<Metadata> metadata;
  std::optional<Protocol> protocol;
  std::optional<int64_t> num_deleted_records;
  std::optional<int64_t> num_deletion_vectors;
  // Every live file, when the writer included them.
  std::optional<std::vector<Add>> all_files;
};

// Parses the content of a .crc file. kCorruption naming the field when it is not a JSON object
// with integer tableSizeBytes and numFiles, or an embedded action is malformed. Unknown fields
// (histograms, ...) are ignored.
Result<VersionChecksum> ParseVersionChecksum(std::string_view content);

// Reads "<log_dir>/<version>.crc": std::nullopt when it does not exist.
Result<std::optional<VersionChecksum>> ReadVersionChecksum(fs::FileSystem& fs,
                                                           std::string_view log_dir,
                                                           int64_t version);

}  // namespace silt::delta
