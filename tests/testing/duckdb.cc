#include "testing/duckdb.h"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "testing/temp_dir.h"

namespace silt::testing {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

}  // namespace

Result<std::vector<std::string>> DuckDbQuery(const std::string& sql) {
  TempDir dir;
  const std::string sql_path = dir.Join("query.sql");
  const std::string err_path = dir.Join("stderr.txt");
  {
    std::ofstream out(sql_path);
    out << sql;
  }
  const std::string script = SourceDir() + "/tools/duckdb-query.mjs";
  const std::string command =
      "node " + ShellQuote(script) + " - < " + ShellQuote(sql_path) + " 2> " + ShellQuote(err_path);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Status::Internal("cannot run node for DuckDB");
  std::string output;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) output.append(buf, n);
  int rc = pclose(pipe);
  if (rc != 0) {
    std::ifstream err(err_path);
    std::stringstream ss;
    ss << err.rdbuf();
    return Status::Internal("DuckDB query failed (exit {}): {}\nSQL: {}", WEXITSTATUS(rc),
                            ss.str(), sql);
  }
  std::vector<std::string> rows;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) rows.push_back(line);
  }
  return rows;
}

std::string SqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else out.push_back(c);
  }
  return out + "'";
}

}  // namespace silt::testing
