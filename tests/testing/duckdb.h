// DuckDB as an independent oracle in tests: runs SQL through tools/duckdb-query.mjs (the pinned
// @duckdb/node-api, installed by scripts/install-deps) and returns the last statement's rows.
#pragma once

#include <string>
#include <vector>

#include "silt/base/result.h"

namespace silt::testing {

// One JSON object per row, in DuckDB's JSON rendering (see tools/duckdb-query.mjs).
// kInternal with DuckDB's message when the query fails or node cannot be run.
Result<std::vector<std::string>> DuckDbQuery(const std::string& sql);

// Single-quoted SQL string literal for a path or value.
std::string SqlQuote(const std::string& s);

}  // namespace silt::testing
