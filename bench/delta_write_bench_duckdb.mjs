// DuckDB half of bench/run-delta-write-bench: on one thread (SET threads=1), writes the rows of
// <dir>/events.parquet (silt_delta_write_benchmark bulk wrote them; loaded into a DuckDB table
// first, not timed) as Parquet files partitioned by event_type with
// COPY ... (FORMAT parquet, PARTITION_BY (event_type), COMPRESSION snappy), and counts the rows
// of both engines' outputs with read_parquet. Then prints the whole report.
//
//   node bench/delta_write_bench_duckdb.mjs run <dir> <results.jsonl>  appends DuckDB's result
//   node bench/delta_write_bench_duckdb.mjs report <results.jsonl>     prints the results and
//                                       the bars (exit status 1 when a row count is wrong)
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { loadDuckDb, loadJsonLines, q } from './duckdb_common.mjs';

const DuckDBInstance = await loadDuckDb();

const [mode, ...args] = process.argv.slice(2);
if (!((mode === 'run' && args.length === 2) || (mode === 'report' && args.length === 1))) {
  process.stderr.write('usage: delta_write_bench_duckdb.mjs run <dir> <results.jsonl> | ' +
                       'report <results.jsonl>\n');
  process.exit(2);
}

if (mode === 'run') {
  const [dir, resultsFile] = args;
  for (const r of await runDuckDb(dir)) appendFileSync(resultsFile, JSON.stringify(r) + '\n');
} else {
  process.exit(report(loadJsonLines(args[0])));
}

// Parquet files under `dir` (recursively), skipping _delta_log; count and bytes.
function parquetFiles(dir) {
  let files = 0, bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '_delta_log') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = parquetFiles(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.name.endsWith('.parquet')) {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

async function runDuckDb(dir) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  await conn.run('SET threads=1');

  async function timed(sql) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const reader = await conn.runAndReadAll(sql);
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { seconds, cpu_seconds: (used.user + used.system) / 1e6,
             rows: reader.getRowObjectsJson() };
  }
  const count = async (d) => Number((await timed(
      `SELECT count(*) AS n FROM read_parquet(${q(join(d, '**', '*.parquet'))})`)).rows[0].n);

  // Untimed: the same rows in a DuckDB table.
  await conn.run(`CREATE TABLE events AS SELECT * FROM read_parquet(${q(join(dir, 'events.parquet'))})`);
  const rows = Number((await timed('SELECT count(*) AS n FROM events')).rows[0].n);
  const out = join(dir, 'duckdb-table');
  const { seconds, cpu_seconds } = await timed(
      `COPY (SELECT * FROM events) TO ${q(out)} ` +
      '(FORMAT parquet, PARTITION_BY (event_type), COMPRESSION snappy)');
  const { files, bytes } = parquetFiles(out);
  return [
    { bench: 'bulk', engine: 'duckdb', rows, seconds, cpu_seconds, rows_per_second: rows / seconds,
      files, bytes, table_rows: await count(out) },
    { bench: 'bulk_check', engine: 'duckdb', what: 'silt-table', table_rows:
      await count(join(dir, 'silt-table')) },
  ];
}

function report(results) {
  let failures = 0;
  const pad = (rows) => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
    for (const r of rows) console.log('  ' + r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
  };
  const commit = results.filter((r) => r.bench === 'commit');
  if (commit.length) {
    console.log('small commits (milliseconds, wall clock)');
    pad([['op', 'n', 'p50', 'p99', 'mean', 'min', 'max', 'checkpoints'],
         ...commit.map((r) => [r.op, r.n, r.p50_ms.toFixed(2), r.p99_ms.toFixed(2),
                               r.mean_ms.toFixed(2), r.min_ms.toFixed(2), r.max_ms.toFixed(2),
                               r.checkpoints ?? '-'])]);
    const floor = commit.find((r) => r.op === 'fsync_floor');
    // The bar is for a small append of a writer that holds its snapshot (as the streaming sink
    // does); the unchained row (a snapshot load per write) is reported beside it.
    const write = commit.find((r) => r.op === 'write_to_table_chained') ??
                  commit.find((r) => r.op === 'write_to_table');
    if (floor) {
      console.log('  over the fsync floor (p50 - floor p50): ' + commit
          .filter((r) => r.op !== 'fsync_floor')
          .map((r) => `${r.op} ${(r.p50_ms - floor.p50_ms).toFixed(2)} ms`).join(', '));
      if (write) {
        const over = write.p50_ms - floor.p50_ms;
        console.log(`  bar (${write.op}, WriteToTable of 1,000 rows, under 2 ms over the floor): ` +
                    `${over < 2 ? 'met' : 'MISSED'} (${over.toFixed(2)} ms)`);
      }
    }
  }
  const conc = results.filter((r) => r.bench === 'concurrent');
  if (conc.length) {
    console.log('\nconcurrent blind appends (forked writer processes)');
    pad([['op', 'writers', 'seconds', 'commits', 'commits/s', 'retried commits',
          'lost attempts', 'failures'],
         ...conc.map((r) => [r.op, r.writers, r.seconds, r.commits, r.commits_per_second.toFixed(1),
                             r.retried_commits, r.lost_attempts, r.failures])]);
    failures += conc.reduce((n, r) => n + r.failures, 0);
  }
  const bulk = results.filter((r) => r.bench === 'bulk');
  if (bulk.length) {
    console.log('\nbulk append partitioned by event_type, one thread each');
    pad([['engine', 'rows', 'seconds', 'cpu s', 'Mrows/s', 'files', 'MB', 'rows read back'],
         ...bulk.map((r) => [r.engine, r.rows, r.seconds.toFixed(2), r.cpu_seconds.toFixed(2),
                             (r.rows_per_second / 1e6).toFixed(3), r.files,
                             (r.bytes / 1e6).toFixed(1), r.table_rows])]);
    const silt = bulk.find((r) => r.engine === 'silt');
    const duck = bulk.find((r) => r.engine === 'duckdb');
    const check = results.find((r) => r.bench === 'bulk_check');
    for (const r of bulk) {
      if (r.table_rows !== r.rows) {
        failures++;
        console.log(`  ROW COUNT MISMATCH: ${r.engine} wrote ${r.rows}, read back ${r.table_rows}`);
      }
    }
    if (check && silt) {
      console.log(`  DuckDB counts ${check.table_rows} rows in silt's data files`);
      if (check.table_rows !== silt.rows) failures++;
    }
    if (silt && duck) {
      const ratio = silt.rows_per_second / duck.rows_per_second;
      console.log(`  silt rows/s / DuckDB rows/s: ${ratio.toFixed(2)}; bar (at least DuckDB's ` +
                  `rate): ${ratio >= 1 ? 'met' : 'MISSED'}`);
      // Under other load the wall clock stretches unevenly; CPU time is the steadier measure.
      const cpuRatio = duck.cpu_seconds / silt.cpu_seconds;
      console.log(`  by CPU time (DuckDB cpu s / silt cpu s): ${cpuRatio.toFixed(2)}; bar: ` +
                  `${cpuRatio >= 1 ? 'met' : 'MISSED'}`);
    }
  }
  return failures ? 1 : 0;
}
