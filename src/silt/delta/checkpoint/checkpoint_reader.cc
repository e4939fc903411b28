#include "silt/delta/checkpoint/checkpoint_reader.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
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

// A piece of checkpoint read on its own: one part (row group) of a Parquet file, or the whole
// file when the decoder cannot tell its layout (part -1).
struct Unit {
  std::string path;
  int part = -1;
  int64_t rows = 0;
};

// Feeds the Parquet files at `paths` (classic checkpoint parts, a V2 manifest, or sidecars) in
// order. The pieces of all of them are decoded on several threads (the caller's among them),
// each into its own LogReplayer::CheckpointPart; the parts are then fed in order, so the result
// does not depend on which thread read what. The first error in that order is returned, naming
// its file. Sidecar actions go to `sidecars`; with `sidecars` null they are kCorruption (a
// sidecar naming further sidecars).
Status FeedParquetFiles(fs::FileSystem& fs, const std::vector<std::string>& paths,
                        CheckpointFileDecoder& decoder, LogReplayer& replayer,
                        std::vector<Sidecar>* sidecars) {
  std::vector<Unit> units;
  for (const std::string& path : paths) {
    std::optional<CheckpointFileLayout> layout = decoder.Inspect(fs, path);
    if (!layout.has_value() || layout->part_rows.empty()) {
      units.push_back({path, -1, 0});
      continue;
    }
    for (size_t i = 0; i < layout->part_rows.size(); ++i) {
      units.push_back({path, static_cast<int>(i), layout->part_rows[i]});
    }
  }

  struct Part {
    explicit Part(LogReplayer::CheckpointPart p) : replay(std::move(p)) {}
    LogReplayer::CheckpointPart replay;
    std::vector<Sidecar> sidecars;
    Status status;
  };
  std::vector<Part> results;
  results.reserve(units.size());
  for (const Unit& unit : units) {
    results.emplace_back(replayer.NewCheckpointPart());
    results.back().replay.Reserve(static_cast<size_t>(std::max<int64_t>(0, unit.rows)));
  }
  const int count = static_cast<int>(units.size());
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (int i = next++; i < count && !failed; i = next++) {
      const Unit& unit = units[static_cast<size_t>(i)];
      Part& part = results[static_cast<size_t>(i)];
      // Row by row into the part: a batch's actions never exist all at once.
      auto feed_one = [&](Action& action) -> Status {
        if (auto* sidecar = std::get_if<Sidecar>(&action)) {
          part.sidecars.push_back(std::move(*sidecar));
          return Status::OK();
        }
        return part.replay.AddAction(action);
      };
      auto on_batch = [&](const columnar::RecordBatch& batch) {
        // The adds' paths, stats and partition values stay in the decoded column, which the
        // part keeps alive, instead of being copied (most of a large snapshot's bytes).
        part.replay.HoldBytes(batch.GetColumnByName(kAddAction));
        return ForEachCheckpointRow(
            batch, [&](const AddFields& add) { return part.replay.AddAddViews(add); }, feed_one);
      };
      // A lone piece is its whole file: Decode may spread its columns over threads instead.
      part.status = unit.part < 0 || count == 1
                        ? decoder.Decode(fs, unit.path, on_batch)
                        : decoder.DecodePart(fs, unit.path, unit.part, on_batch);
      if (!part.status.ok()) {
        part.status = part.status.WithContext(unit.path);
        failed = true;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    for (int t = 1; t < std::min(count, ThreadsForCheckpoints()); ++t) workers.emplace_back(work);
    work();
  }  // joined
  for (size_t i = 0; i < results.size(); ++i) {
    Part& part = results[i];
    // Parts after a failed one may not have run (their status is OK and they are empty): the
    // failure is returned before they are looked at.
    SILT_RETURN_NOT_OK(part.status);
    if (!part.sidecars.empty() && sidecars == nullptr) {
      return Status::Corruption("sidecar '{}' references further sidecars", units[i].path);
    }
    SILT_RETURN_NOT_OK(replayer.AddCheckpointPart(std::move(part.replay)));
    for (Sidecar& s : part.sidecars) sidecars->push_back(std::move(s));
  }
  return Status::OK();
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
  std::vector<std::string> parquet_files;
  for (const LogFile& file : segment.checkpoint_files) {
    if (!file.is_json) {
      parquet_files.push_back(file.path);
      continue;
    }
    // A JSON V2 manifest: its actions, and the sidecars to read next.
    SILT_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(file.path));
    SILT_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseCommitFile(content, file.path));
    std::vector<Action> kept;
    kept.reserve(actions.size());
    for (Action& action : actions) {
      if (auto* sidecar = std::get_if<Sidecar>(&action)) {
        sidecars.push_back(std::move(*sidecar));
      } else {
        kept.push_back(std::move(action));
      }
    }
    Status status = replayer.AddCheckpointActions(std::move(kept));
    if (!status.ok()) return status.WithContext(file.path);
  }
  if (!parquet_files.empty()) {
    if (decoder == nullptr) {
      return Status::Unsupported("reading Parquet checkpoints is not supported yet: '{}'",
                                 parquet_files[0]);
    }
    // Classic parts, or a Parquet V2 manifest naming its sidecars in its rows.
    SILT_RETURN_NOT_OK(FeedParquetFiles(fs, parquet_files, *decoder, replayer, &sidecars));
  }
  if (sidecars.empty()) return Status::OK();
  std::vector<std::string> sidecar_files;
  for (const Sidecar& sidecar : sidecars) {
    SILT_ASSIGN_OR_RETURN(std::string path, SidecarFilePath(segment.log_dir, sidecar));
    sidecar_files.push_back(std::move(path));
  }
  if (decoder == nullptr) {
    return Status::Unsupported("reading Parquet checkpoints is not supported yet: '{}'",
                               sidecar_files[0]);
  }
  return FeedParquetFiles(fs, sidecar_files, *decoder, replayer, /*sidecars=*/nullptr);
}

}  // namespace silt::delta
