#include "silt/delta/checkpoint/checkpoint_reader.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "silt/delta/actions/action_json.h"
#include "silt/delta/actions/path_encoding.h"
#include "silt/delta/checkpoint/checkpoint_actions.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

namespace {

// At least two, so that the parallel path runs (and is tested) on any machine.
int ThreadsForCheckpoints() {
  return static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
}

// Feeds the Parquet file at `path` row by row into the replayer: a batch's actions never exist
// all at once. Sidecar actions go to `sidecars`.
Status FeedWhole(fs::FileSystem& fs, const std::string& path, CheckpointFileDecoder& decoder,
                 LogReplayer& replayer, std::vector<Sidecar>& sidecars) {
  auto feed_one = [&](Action& action) -> Status {
    if (auto* sidecar = std::get_if<Sidecar>(&action)) {
      sidecars.push_back(std::move(*sidecar));
      return Status::OK();
    }
    return replayer.AddCheckpointAction(action);
  };
  return decoder.Decode(fs, path, [&](const columnar::RecordBatch& batch) -> Status {
    return ForEachCheckpointRow(
        batch, [&](const AddFields& add) { return replayer.AddCheckpointAdd(add); }, feed_one);
  });
}

// As FeedWhole, with the file's parts (of `part_rows` rows each) decoded on several threads
// (the caller's among them), each into its own LogReplayer::CheckpointPart; the parts are then
// fed in order, so the result does not depend on which thread read what. The first error in
// part order is returned.
Status FeedParts(fs::FileSystem& fs, const std::string& path,
                 const std::vector<int64_t>& part_rows, CheckpointFileDecoder& decoder,
                 LogReplayer& replayer, std::vector<Sidecar>& sidecars) {
  const int parts = static_cast<int>(part_rows.size());
  const int threads = std::min(parts, ThreadsForCheckpoints());
  struct Part {
    explicit Part(LogReplayer::CheckpointPart p) : replay(std::move(p)) {}
    LogReplayer::CheckpointPart replay;
    std::vector<Sidecar> sidecars;
    Status status;
  };
  std::vector<Part> results;
  results.reserve(static_cast<size_t>(parts));
  for (int i = 0; i < parts; ++i) {
    results.emplace_back(replayer.NewCheckpointPart());
    results.back().replay.Reserve(static_cast<size_t>(std::max<int64_t>(0, part_rows[i])));
  }
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (int i = next++; i < parts && !failed; i = next++) {
      Part& part = results[static_cast<size_t>(i)];
      auto feed_one = [&](Action& action) -> Status {
        if (auto* sidecar = std::get_if<Sidecar>(&action)) {
          part.sidecars.push_back(std::move(*sidecar));
          return Status::OK();
        }
        return part.replay.AddAction(action);
      };
      part.status = decoder.DecodePart(fs, path, i, [&](const columnar::RecordBatch& batch) {
        return ForEachCheckpointRow(
            batch, [&](const AddFields& add) { return part.replay.AddAdd(add); }, feed_one);
      });
      if (part.status.ok()) {
        part.replay.PrepareSort();
      } else {
        failed = true;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(work);
    work();
  }  // joined
  for (Part& part : results) {
    // Parts after a failed one may not have run (their status is OK and they are empty): the
    // failure is returned before they are looked at.
    SILT_RETURN_NOT_OK(part.status);
    SILT_RETURN_NOT_OK(replayer.AddCheckpointPart(std::move(part.replay)));
    for (Sidecar& s : part.sidecars) sidecars.push_back(std::move(s));
  }
  return Status::OK();
}

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
  const std::optional<CheckpointFileLayout> layout = decoder->Inspect(fs, path);
  if (layout.has_value()) replayer.ReserveCheckpointActions(layout->rows);
  const int parts = layout.has_value() ? static_cast<int>(layout->part_rows.size()) : 0;
  Status status = parts > 1 ? FeedParts(fs, path, layout->part_rows, *decoder, replayer, sidecars)
                            : FeedWhole(fs, path, *decoder, replayer, sidecars);
  return status.ok() ? status : status.WithContext(path);
}

}  // namespace

Status CheckpointFileDecoder::DecodePart(
    fs::FileSystem& /*fs*/, const std::string& path, int /*part*/,
    const std::function<Status(const columnar::RecordBatch&)>& /*on_batch*/) {
  return Status::Unsupported("this checkpoint decoder cannot decode parts of '{}'", path);
}

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
