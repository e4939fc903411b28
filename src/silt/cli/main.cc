// silt: Delta Lake streaming sources and sinks, as one command.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "silt/cli/command.h"
#include "silt/cli/commands.h"
#include "silt/base/version.h"

int main(int argc, char** argv) {
  // The one catch-all of the project: the library does not throw, CLI11 does on bad usage.
  try {
    CLI::App app{"silt: Delta Lake streaming sources and sinks"};
    app.set_version_flag("--version", std::string(silt::kVersionString));
    app.require_subcommand(1);
    silt::cli::RegisterAllCommands(app);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // Help and --version exit 0; any usage error exits 2 (CLI11 prints the message).
      return app.exit(e) == 0 ? 0 : silt::cli::kExitUsage;
    }
    const silt::Status& status = silt::cli::LastCommandStatus();
    if (!status.ok()) {
      std::fprintf(stderr, "silt: %s\n", status.ToString().c_str());
      return silt::cli::kExitFailure;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "silt: internal error: %s\n", e.what());
    return silt::cli::kExitFailure;
  }
}
