// Runs the `silt` binary (SILT_BINARY, set by tests/cli/CMakeLists.txt) as a user would, and
// the small file and output helpers the CLI tests share.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

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

// Writes `text` to a new file at `path` (replacing it).
inline void WriteText(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

// The lines `silt scan --format jsonl` prints for the table (with `extra` options), sorted;
// the scan must succeed.
inline std::vector<std::string> ScanLines(const std::string& table, const std::string& extra = "") {
  CliRun r = Silt("scan --format jsonl " + (extra.empty() ? "" : extra + " ") + table);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t end = r.out.find('\n', pos);
    if (end == std::string::npos) end = r.out.size();
    if (end > pos) lines.push_back(r.out.substr(pos, end - pos));
    pos = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace silt::testing
