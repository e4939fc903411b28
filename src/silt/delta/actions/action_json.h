// Actions to and from the JSON of commit files (PROTOCOL.md "Delta Log Entries", "Actions").
// A commit file is newline-delimited JSON, one action per line. Reading follows the protocol's
// tolerance rules: unknown fields and unknown action types are ignored, an optional field may be
// absent or null, blank lines (and a missing final newline) are fine. Anything else that is
// wrong is kCorruption naming the file, the 1-based line number and the field.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "silt/base/result.h"
#include "silt/delta/actions/actions.h"
#include "silt/json/json_reader.h"

namespace silt::delta {

// The action held by one parsed log line, or std::nullopt when the line carries only unknown
// action types. A known key whose value is null counts as absent; a line with more than one
// known, non-null action is kCorruption (the protocol allows one). Errors name the field
// ("add.size: expected an integer, got string") but not the line.
Result<std::optional<Action>> ParseAction(const json::Object& line);

// Parses the body of an action named `action_name` ("add", "metaData", ...), as embedded in
// other documents (version checksums, _last_checkpoint). std::nullopt for an unknown name.
Result<std::optional<Action>> ParseActionBody(std::string_view action_name,
                                              const json::Object& body);

// Parses one log line (JSON text without the newline).
Result<std::optional<Action>> ParseActionLine(json::Parser& parser, std::string_view line);

// Parses a whole commit file (or a V2 checkpoint in JSON form). `file_name` is only used in
// error messages: "<file_name> line <n>: <what is wrong>".
Result<std::vector<Action>> ParseCommitFile(std::string_view content, std::string_view file_name);
// As above, reusing the caller's parser (for replaying many files).
Result<std::vector<Action>> ParseCommitFile(json::Parser& parser, std::string_view content,
                                            std::string_view file_name);

// One action as a single JSON line ({"add":{...}}), without the newline. Fields are written in
// the order Spark writes them; optional fields that are unset are omitted, except the ones Delta
// requires (add.partitionValues, metaData.configuration, ...).
std::string ToJsonLine(const Action& action);

// The content of a commit file: each action's line followed by '\n'.
std::string ToCommitFile(std::span<const Action> actions);

}  // namespace silt::delta
