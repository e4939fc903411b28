// The `silt` command: argument parsing only; every subcommand calls the library.
// Each group of subcommands registers itself on the CLI11 app; its callback runs the command and
// turns a failed Status into a one-line error on stderr and a non-zero exit code.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "silt/base/status.h"

namespace silt::cli {

// Exit codes: 0 success, 1 a failed command (the Status is printed), 2 bad usage (CLI11).
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Registers `name` on `app` with a callback that runs `run` and records its Status.
CLI::App* AddCommand(CLI::App& app, const std::string& name, const std::string& description,
                     std::function<Status()> run);

// The Status of the command that ran (OK when none failed).
const Status& LastCommandStatus();

}  // namespace silt::cli
