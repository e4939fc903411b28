// What the DuckDB halves of the benchmarks share: DuckDB from the package pinned in tools/
// (installed by scripts/install-deps), SQL string literals, and results as JSON lines.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'tools', 'package.json'));

// The DuckDBInstance class of @duckdb/node-api.
export async function loadDuckDb() {
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  return DuckDBInstance;
}

// `s` as a SQL string literal.
export const q = (s) => `'${s.replaceAll("'", "''")}'`;

// The JSON objects of a JSON-lines file.
export const loadJsonLines = (f) =>
  readFileSync(f, 'utf8').split('\n').filter((l) => l).map(JSON.parse);
