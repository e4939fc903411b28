// Registration of every `silt` subcommand, one function per group.
#pragma once

#include <CLI/CLI.hpp>

namespace silt::cli {

void RegisterParquetCommands(CLI::App& app);
void RegisterDeltaReadCommands(CLI::App& app);
void RegisterStreamCommands(CLI::App& app);
void RegisterDeltaWriteCommands(CLI::App& app);
void RegisterDeltaMaintenanceCommands(CLI::App& app);

inline void RegisterAllCommands(CLI::App& app) {
  RegisterParquetCommands(app);
  RegisterDeltaReadCommands(app);
  RegisterStreamCommands(app);
  RegisterDeltaWriteCommands(app);
  RegisterDeltaMaintenanceCommands(app);
}

}  // namespace silt::cli
