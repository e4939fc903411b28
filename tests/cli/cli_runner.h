// Runs the `silt` binary (SILT_BINARY, set by tests/cli/CMakeLists.txt) as a user would.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace silt::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// `silt <args>` through the shell; exit_code is -1 when it did not exit normally.
inline CliRun Silt(const std::string& args) {
  CliRun r;
  std::string command = std::string(SILT_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace silt::testing
