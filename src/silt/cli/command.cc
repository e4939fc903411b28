#include "silt/cli/command.h"

namespace silt::cli {
namespace {
Status& MutableLastStatus() {
  static Status status;
  return status;
}
}  // namespace

CLI::App* AddCommand(CLI::App& app, const std::string& name, const std::string& description,
                     std::function<Status()> run) {
  CLI::App* sub = app.add_subcommand(name, description);
  sub->callback([run = std::move(run)] { MutableLastStatus() = run(); });
  return sub;
}

const Status& LastCommandStatus() { return MutableLastStatus(); }

}  // namespace silt::cli
