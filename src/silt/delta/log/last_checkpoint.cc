#include "silt/delta/log/last_checkpoint.h"

#include <limits>

#include "silt/delta/actions/actions.h"
#include "silt/delta/log/log_path.h"
#include "silt/json/json_reader.h"
#include "silt/json/json_writer.h"

namespace silt::delta {

namespace {
constexpr std::string_view kLastCheckpointContext = kLastCheckpointFileName;
}  // namespace

Result<LastCheckpoint> ParseLastCheckpoint(std::string_view content) {
  json::Parser parser;
  Result<json::Object> parsed = parser.ParseObject(content);
  if (!parsed.ok()) return parsed.error().WithContext(kLastCheckpointContext);
  const json::Object& o = *parsed;
  LastCheckpoint hint;
  Status status = [&]() -> Status {
    SILT_ASSIGN_OR_RETURN(hint.version, o.GetInt64(field::kVersion));
    if (hint.version < 0) return Status::Corruption("version: {} is negative", hint.version);
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> size, o.GetOptionalInt64(field::kSize));
    hint.size = size.value_or(0);
    SILT_ASSIGN_OR_RETURN(std::optional<int64_t> parts, o.GetOptionalInt64(field::kParts));
    if (parts.has_value()) {
      if (*parts < 1 || *parts > std::numeric_limits<int32_t>::max()) {
        return Status::Corruption("parts: {} is not a valid part count", *parts);
      }
      hint.parts = static_cast<int32_t>(*parts);
    }
    SILT_ASSIGN_OR_RETURN(hint.size_in_bytes, o.GetOptionalInt64(field::kSizeInBytes));
    SILT_ASSIGN_OR_RETURN(hint.num_of_add_files, o.GetOptionalInt64(field::kNumOfAddFiles));
    return Status::OK();
  }();
  if (!status.ok()) return status.WithContext(kLastCheckpointContext);
  return hint;
}

std::string ToJson(const LastCheckpoint& hint) {
  json::Writer w;
  w.BeginObject();
  w.Field(field::kVersion, hint.version);
  w.Field(field::kSize, hint.size);
  if (hint.parts.has_value()) w.Field(field::kParts, int64_t{*hint.parts});
  if (hint.size_in_bytes.has_value()) w.Field(field::kSizeInBytes, *hint.size_in_bytes);
  if (hint.num_of_add_files.has_value()) w.Field(field::kNumOfAddFiles, *hint.num_of_add_files);
  w.EndObject();
  return w.Release();
}

Result<std::optional<LastCheckpoint>> ReadLastCheckpoint(fs::FileSystem& fs,
                                                         std::string_view log_dir) {
  std::string path = fs::JoinPath(log_dir, kLastCheckpointFileName);
  Result<std::string> content = fs.ReadFile(path);
  if (!content.ok()) {
    if (content.error().IsNotFound()) return std::optional<LastCheckpoint>();
    return content.error();
  }
  Result<LastCheckpoint> hint = ParseLastCheckpoint(*content);
  if (!hint.ok()) return hint.error();
  return std::optional<LastCheckpoint>(*hint);
}

}  // namespace silt::delta
