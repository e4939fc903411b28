#include "silt/delta/checkpoint/checkpoint_reader.h"

#include <utility>
#include <vector>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace {

// Reads one checkpoint or sidecar file; sidecar actions found in it are appended to
// `sidecars` instead of being replayed.
Status FeedFile(fs::FileSystem& fs, const std::string& path, bool is_json,
                CheckpointFileDecoder* decoder, LogReplayer& replayer,
                std::vector<Sidecar>& sidecars) {
  auto feed = [&](std::vector<Action> actions) -> Status {
    std::vector<Action> kept;
    kept.reserve(actions.size());
    for (Action& action : actions) {
      if (auto* sidecar = std::get_if<Sidecar>(&action)) {
        sidecars.push_back(std::move(*sidecar));
      } else {
        kept.push_back(std::move(action));
      }
    }
    return replayer.AddCheckpointActions(std::move(kept));
  };
  if (is_json) {
    SILT_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(path));
    SILT_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseCommitFile(content, path));
    Status status = feed(std::move(actions));
    return status.ok() ? status : status.WithContext(path);
  }
  if (decoder == nullptr) {
    return Status::Unsupported("reading Parquet checkpoints is not supported yet: '{}'", path);
  }
  if (std::optional<int64_t> rows = decoder->CountRows(fs, path); rows.has_value()) {
    replayer.ReserveCheckpointActions(*rows);
  }
  // Row by row into the replayer: a batch's actions never exist all at once.
  auto feed_one = [&](Action& action) -> Status {
    if (auto* sidecar = std::get_if<Sidecar>(&action)) {
      sidecars.push_back(std::move(*sidecar));
      return Status::OK();
    }
    return replayer.AddCheckpointAction(action);
  };
  Status status = decoder->Decode(fs, path, [&](const columnar::RecordBatch& batch) -> Status {
    return ForEachCheckpointRow(
        batch, [&](const AddFields& add) { return replayer.AddCheckpointAdd(add); }, feed_one);
  });
  return status.ok() ? status : status.WithContext(path);
}

}  // namespace

Result<std::string> SidecarFilePath(std::string_view log_dir, const Sidecar& sidecar) {
  SILT_ASSIGN_OR_RETURN(std::string decoded, DecodePath(sidecar.path));
  if (IsAbsolutePath(sidecar.path)) return decoded;
  return fs::JoinPath(fs::JoinPath(log_dir, kSidecarDirName), decoded);
}

Status FeedCheckpoint(fs::FileSystem& fs, const LogSegment& segment,
                      CheckpointFileDecoder* decoder, LogReplayer& replayer) {
  std::vector<Sidecar> sidecars;
  for (const LogFile& file : segment.checkpoint_files) {
    SILT_RETURN_NOT_OK(FeedFile(fs, file.path, file.is_json, decoder, replayer, sidecars));
  }
  for (const Sidecar& sidecar : sidecars) {
    SILT_ASSIGN_OR_RETURN(std::string path, SidecarFilePath(segment.log_dir, sidecar));
    std::vector<Sidecar> nested;
    SILT_RETURN_NOT_OK(FeedFile(fs, path, /*is_json=*/false, decoder, replayer, nested));
    if (!nested.empty()) {
      return Status::Corruption("sidecar '{}' references further sidecars", path);
    }
  }
  return Status::OK();
}

}  // namespace silt::delta
