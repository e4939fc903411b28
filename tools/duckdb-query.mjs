// Runs SQL statements with DuckDB and prints the rows of the last one as JSON lines.
// Usage: node duckdb-query.mjs "SQL; SQL; ..."   (or the SQL on standard input with "-")
// Values are printed as DuckDB's JSON conversion gives them (DuckDBValue.toJson): big integers
// and decimals as strings, dates and timestamps as ISO strings, nested values as JSON.
// Exit code 1 and the error on stderr when a statement fails.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const arg = process.argv[2];
const sql = arg === '-' || arg === undefined ? readFileSync(0, 'utf8') : arg;

try {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  const statements = await conn.extractStatements(sql);
  const count = statements.count;
  if (count === 0) throw new Error('no SQL statement given');
  for (let i = 0; i < count - 1; i++) await (await statements.prepare(i)).run();
  const reader = await (await statements.prepare(count - 1)).runAndReadAll();
  const rows = reader.getRowObjectsJson();
  const out = rows.map((r) => JSON.stringify(r)).join('\n');
  process.stdout.write(out.length ? out + '\n' : '');
} catch (e) {
  process.stderr.write(`duckdb: ${e.message}\n`);
  process.exit(1);
}
