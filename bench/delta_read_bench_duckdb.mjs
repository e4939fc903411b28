// DuckDB half of bench/run-delta-read-bench: the live file list of a Delta table's latest
// version computed in SQL, on the files silt_delta_read_benchmark generated. read_json reads the
// commits after the checkpoint, read_parquet the checkpoint. Every add and remove is keyed by
// (path, deletion-vector id): among the commits the newest action per key wins (row_number by
// version), and a checkpoint add is live unless some commit acts on its key (anti join), which
// is how Delta readers reconcile a checkpoint. The live adds, with all their fields (partition
// values, size, modification time, data change, stats, tags, deletion vector), are materialized
// into a temporary table. One untimed warm-up run, then <runs> timed runs of that statement
// plus count(*) and sum(size) over the result; wall-clock and CPU seconds (of this process:
// node and DuckDB's threads) are recorded.
//
//   node bench/delta_read_bench_duckdb.mjs run <table> <runs> <threads> <results.jsonl>
//   node bench/delta_read_bench_duckdb.mjs report <results.jsonl>
//       prints the silt and DuckDB timings side by side with their ratio, and fails (exit 1)
//       unless silt, DuckDB and the generator agree on each table's live file count and bytes.
//
// Simplifications that the generated tables allow: paths carry no percent-encoding (so no
// path canonicalization is needed) and no commit adds and removes the same file.
import { appendFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { loadDuckDb, loadJsonLines, q } from './duckdb_common.mjs';

const [mode, ...args] = process.argv.slice(2);
if (!((mode === 'run' && args.length === 4) || (mode === 'report' && args.length === 1))) {
  process.stderr.write('usage: delta_read_bench_duckdb.mjs run <table> <runs> <threads> ' +
                       '<results.jsonl> | report <results.jsonl>\n');
  process.exit(2);
}

if (mode === 'run') {
  const [table, runs, threads, resultsFile] = args;
  const result = await runDuckDb(table, Number(runs), Number(threads));
  appendFileSync(resultsFile, JSON.stringify(result) + '\n');
} else {
  process.exit(report(loadJsonLines(args[0])));
}

function reconciliationSql(table) {
  const log = join(table, '_delta_log');
  const names = readdirSync(log);
  // The newest single-file checkpoint, if any (the generated tables have at most one).
  const checkpoints = names.filter((n) => /^\d{20}\.checkpoint\.parquet$/.test(n)).sort();
  const checkpoint = checkpoints.length ? checkpoints[checkpoints.length - 1] : null;
  const checkpointVersion = checkpoint ? Number(checkpoint.slice(0, 20)) : -1;

  const dv = 'STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, ' +
             'sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)';
  const addType = `STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, ` +
                  `modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, ` +
                  `tags MAP(VARCHAR, VARCHAR), deletionVector ${dv}, baseRowId BIGINT, ` +
                  `defaultRowCommitVersion BIGINT)`;
  const removeType = `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, ` +
                     `deletionVector ${dv})`;
  // Delta's deletion-vector unique id: storageType || pathOrInlineDv [|| '@' || offset].
  const dvId = (d) => `CASE WHEN ${d} IS NULL THEN '' ELSE ${d}.storageType || ` +
                      `${d}.pathOrInlineDv || coalesce('@' || ${d}."offset", '') END`;
  const addRow = (version) =>
    `${version} AS version, add.path AS path, ${dvId('add.deletionVector')} AS dv, ` +
    `true AS is_add, add.partitionValues AS partition_values, add.size AS size, ` +
    `add.modificationTime AS modification_time, add.dataChange AS data_change, ` +
    `add.stats AS stats, add.tags AS tags, add.deletionVector AS deletion_vector`;
  const removeRow = (version) =>
    `${version} AS version, remove.path AS path, ${dvId('remove.deletionVector')} AS dv, ` +
    `false AS is_add, NULL, NULL, NULL, NULL, NULL, NULL, NULL`;

  const fields = 'partition_values, size, modification_time, data_change, stats, tags, ' +
                 'deletion_vector';
  const ctes = [];
  const live = [];
  if (names.some((n) => /^\d{20}\.json$/.test(n))) {
    // The commits after the checkpoint: the newest action per logical file decides.
    ctes.push(`commits AS (SELECT * FROM (
        SELECT CAST(regexp_extract(filename, '(\\d{20})\\.json$', 1) AS BIGINT) AS version,
               add, remove
        FROM read_json(${q(join(log, '*.json'))}, format = 'newline_delimited',
                       filename = true, columns = {add: '${addType}', remove: '${removeType}'}))
      WHERE version > ${checkpointVersion})`);
    ctes.push(`commit_actions AS (
        SELECT ${addRow('version')} FROM commits WHERE add IS NOT NULL
        UNION ALL
        SELECT ${removeRow('version')} FROM commits WHERE remove IS NOT NULL)`);
    live.push(`SELECT path, ${fields} FROM (
        SELECT *, row_number() OVER (PARTITION BY path, dv ORDER BY version DESC) AS newest
        FROM commit_actions)
      WHERE newest = 1 AND is_add`);
  }
  if (checkpoint) {
    // The checkpoint is reconciled already (one action per logical file): its adds are live
    // unless a later commit has an action for the same file.
    ctes.push(`checkpoint_adds AS (
        SELECT ${addRow(checkpointVersion)} FROM read_parquet(${q(join(log, checkpoint))})
        WHERE add IS NOT NULL)`);
    live.push(ctes.some((c) => c.startsWith('commit_actions'))
      ? `SELECT c.path, ${fields.split(', ').map((f) => 'c.' + f).join(', ')}
         FROM checkpoint_adds c ANTI JOIN commit_actions a ON c.path = a.path AND c.dv = a.dv`
      : `SELECT path, ${fields} FROM checkpoint_adds`);
  }
  return `CREATE OR REPLACE TEMP TABLE live AS
    WITH ${ctes.join(',\n')}
    ${live.join('\nUNION ALL\n')}`;
}

async function runDuckDb(table, runs, threads) {
  const DuckDBInstance = await loadDuckDb();
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  await conn.run(`SET threads=${threads}`);
  const sql = reconciliationSql(table);
  const seconds = [];
  const cpuSeconds = [];
  let counts;
  for (let run = -1; run < runs; run++) {  // run -1: warm-up (file cache, JSON extension)
    const cpuStart = process.cpuUsage();  // this process: node and DuckDB's threads
    const start = performance.now();
    await conn.run(sql);
    const reader = await conn.runAndReadAll(
      'SELECT count(*) AS n, coalesce(sum(size), 0)::BIGINT AS bytes FROM live');
    const elapsed = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    counts = reader.getRowObjectsJson()[0];
    if (run >= 0) {
      seconds.push(elapsed);
      cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { engine: 'duckdb', threads, table: basename(table), live_files: Number(counts.n),
           live_bytes: Number(counts.bytes), seconds, median: median(seconds),
           cpu_seconds: cpuSeconds, cpu_median: median(cpuSeconds) };
}

function report(results) {
  const tables = results.filter((r) => !r.engine);  // the generator's own counts
  const header = ['table', 'version', 'live files', 'silt s', 'DuckDB 1 thread s',
                  'DuckDB/silt', 'DuckDB all threads s', 'DuckDB/silt'];
  const lines = [];
  let mismatches = 0;
  for (const t of tables) {
    const silt = results.find((r) => r.engine === 'silt' && r.table === t.table);
    const duck = results.filter((r) => r.engine === 'duckdb' && r.table === t.table)
                        .sort((a, b) => a.threads - b.threads);
    for (const r of [silt, ...duck]) {
      if (!r || r.live_files !== t.live_files || r.live_bytes !== t.live_bytes) {
        mismatches++;
        process.stderr.write(`${t.table}: ${r ? r.engine + ' (' + (r.threads ?? 1) + ' threads)' : 'a result'} ` +
                             `${r ? `found ${r.live_files} live files, ${r.live_bytes} bytes` : 'is missing'}; ` +
                             `the generator wrote ${t.live_files} files, ${t.live_bytes} bytes\n`);
      }
    }
    if (!silt) continue;
    const row = [t.table, String(silt.version), String(t.live_files), silt.median.toFixed(3)];
    for (const d of duck) row.push(d.median.toFixed(3), (d.median / silt.median).toFixed(2) + 'x');
    lines.push(row);
  }
  const runs = results.find((r) => r.engine === 'silt')?.seconds.length ?? 0;
  console.log(`latest snapshot (live file list), median of ${runs} runs after a warm-up; ` +
              `DuckDB/silt > 1: silt is faster\n`);
  const width = (i) => Math.max(header[i].length, ...lines.map((l) => (l[i] ?? '').length));
  for (const l of [header, ...lines]) {
    console.log(l.map((c, i) => (c ?? '').padEnd(width(i))).join('  '));
  }
  if (mismatches) {
    console.log(`\n${mismatches} disagreement(s) on the live files, see stderr`);
    return 1;
  }
  console.log('\nlive files: silt, DuckDB and the generator agree on every table (count and bytes)');
  return 0;
}
