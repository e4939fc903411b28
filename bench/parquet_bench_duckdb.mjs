// DuckDB half of bench/run-parquet-bench: on one thread (SET threads=1), writes the rows of
// silt's ZSTD file again with COPY ... TO (ZSTD and SNAPPY), then decodes every value of every
// file (DuckDB's and silt's) with a checksum aggregate over all columns. Results are JSON lines,
// like silt_parquet_benchmark's (seconds: wall clock; cpu_seconds: user + system time of the
// node process, in which DuckDB runs).
//
//   node bench/parquet_bench_duckdb.mjs run <dir> <results.jsonl>  appends DuckDB's results
//   node bench/parquet_bench_duckdb.mjs report <results.jsonl>     prints both engines, the
//                                       silt/DuckDB ratios, and checks the read checksums
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { loadDuckDb, loadJsonLines, q } from './duckdb_common.mjs';

const DuckDBInstance = await loadDuckDb();

const [mode, ...args] = process.argv.slice(2);
if (!((mode === 'run' && args.length === 2) || (mode === 'report' && args.length === 1))) {
  process.stderr.write('usage: parquet_bench_duckdb.mjs run <dir> <results.jsonl> | ' +
                       'report <results.jsonl>\n');
  process.exit(2);
}

if (mode === 'run') {
  const [dir, resultsFile] = args;
  for (const r of await runDuckDb(dir)) appendFileSync(resultsFile, JSON.stringify(r) + '\n');
} else {
  process.exit(report(loadJsonLines(args[0])));
}

async function runDuckDb(dir) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  await conn.run('SET threads=1');
  await conn.run('SET preserve_insertion_order=true');

  const results = [];
  const siltFile = (codec) => join(dir, `silt-${codec}.parquet`);

  // Wall clock and CPU time (user + system of this process: DuckDB runs in it, on one thread).
  async function timed(sql) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const reader = await conn.runAndReadAll(sql);
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { seconds, cpu_seconds: (used.user + used.system) / 1e6,
             rows: reader.getRowObjectsJson() };
  }

  // Untimed: the same rows in a DuckDB table.
  await conn.run(`CREATE TABLE events AS SELECT * FROM read_parquet(${q(siltFile('zstd'))})`);
  const rowCount = Number((await timed('SELECT count(*) AS n FROM events')).rows[0].n);
  const dataBytes = Number(
    (await timed('SELECT 28 * count(*) + sum(length(event_type)) + sum(length(payload)) AS b ' +
                 'FROM events')).rows[0].b);

  for (const codec of ['zstd', 'snappy']) {
    const file = join(dir, `duckdb-${codec}.parquet`);
    const { seconds, cpu_seconds } = await timed(
      `COPY events TO ${q(file)} (FORMAT parquet, COMPRESSION ${codec})`);
    results.push({ engine: 'duckdb', op: 'write', file, rows: rowCount, seconds, cpu_seconds,
                   file_bytes: statSync(file).size, data_bytes: dataBytes });
  }

  // Every value is decoded: sums over the numbers, lengths of the strings (octet_length needs
  // each string), and count(*) to check the row count.
  const checksumSql = (file) =>
    `SELECT count(*) AS rows, sum(id)::HUGEINT AS id, (sum(epoch_us(ts)::HUGEINT) % 18446744073709551616)::VARCHAR AS ts, ` +
    `sum(user_id)::HUGEINT AS user_id, sum(amount) AS amount, ` +
    `sum(octet_length(event_type::BLOB)) + sum(octet_length(payload::BLOB)) AS string_bytes ` +
    `FROM read_parquet(${q(file)})`;
  const reads = ['zstd', 'snappy'].flatMap((c) => [join(dir, `duckdb-${c}.parquet`), siltFile(c)]);
  await timed(checksumSql(reads[0]));  // warm-up: file cache, extension loading
  for (const file of reads) {
    const { seconds, cpu_seconds, rows } = await timed(checksumSql(file));
    const r = rows[0];
    results.push({ engine: 'duckdb', op: 'read', file, rows: Number(r.rows), seconds, cpu_seconds,
                   file_bytes: statSync(file).size, data_bytes: dataBytes,
                   checksum: { id: Number(r.id), ts: String(r.ts), user_id: Number(r.user_id),
                               amount: Number(r.amount), string_bytes: Number(r.string_bytes) } });
  }
  return results;
}

function report(results) {
  // Checksums: every reader must see the same values in every file.
  const reference = results.find((r) => r.engine === 'silt' && r.op === 'write').checksum;
  const rowCount = results[0].rows;
  const dataBytes = results[0].data_bytes;
  let mismatches = 0;
  for (const r of results.filter((x) => x.op === 'read')) {
    const c = r.checksum;
    const same = r.rows === rowCount && c.id === reference.id && c.user_id === reference.user_id &&
        c.string_bytes === reference.string_bytes &&
        c.ts === reference.ts &&
        Math.abs(c.amount - reference.amount) <= Math.abs(reference.amount) * 1e-9;
    if (!same) {
      mismatches++;
      process.stderr.write(`checksum mismatch: ${r.engine} read ${r.file}: ${JSON.stringify(c)} ` +
                           `!= ${JSON.stringify(reference)}\n`);
    }
  }

  const base = (f) => f.split('/').pop();
  const mb = (b) => b / 1e6;
  console.log(`rows: ${rowCount}, logical data: ${mb(dataBytes).toFixed(1)} MB ` +
              `(MB/s below = logical MB per second), one thread each\n`);
  const header = ['engine', 'op', 'file', 'file MB', 'seconds', 'cpu s', 'Mrows/s', 'MB/s'];
  const lines = results.map((r) => [r.engine, r.op, base(r.file), mb(r.file_bytes).toFixed(1),
                                    r.seconds.toFixed(2),
                                    r.cpu_seconds === undefined ? '-' : r.cpu_seconds.toFixed(2),
                                    (r.rows / r.seconds / 1e6).toFixed(2),
                                    mb(r.data_bytes / r.seconds).toFixed(0)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  for (const l of [header, ...lines]) console.log(l.map((c, i) => c.padEnd(widths[i])).join('  '));

  console.log('\nsilt / DuckDB (time ratio > 1: silt is slower; size ratio > 1: silt is larger)');
  const find = (engine, op, file) =>
    results.find((r) => r.engine === engine && r.op === op && base(r.file) === file);
  for (const codec of ['zstd', 'snappy']) {
    const sw = find('silt', 'write', `silt-${codec}.parquet`);
    const dw = find('duckdb', 'write', `duckdb-${codec}.parquet`);
    const cpu = sw.cpu_seconds !== undefined && dw.cpu_seconds !== undefined
        ? `  cpu time ${(sw.cpu_seconds / dw.cpu_seconds).toFixed(2)}` : '';
    console.log(`  ${codec.padEnd(6)} write time ${(sw.seconds / dw.seconds).toFixed(2)}${cpu}  ` +
                `file size ${(sw.file_bytes / dw.file_bytes).toFixed(2)}`);
    for (const file of [`silt-${codec}.parquet`, `duckdb-${codec}.parquet`]) {
      const s = find('silt', 'read', file);
      const d = find('duckdb', 'read', file);
      if (s && d) {
        console.log(`  ${codec.padEnd(6)} read ${file.padEnd(20)} time ${(s.seconds / d.seconds).toFixed(2)}`);
      }
    }
  }
  // --costs: silt's SNAPPY write with default features switched off, against the default.
  const snappy = find('silt', 'write', 'silt-snappy.parquet');
  const variants = results.filter((r) => r.engine === 'silt' && r.op === 'write' &&
                                         base(r.file).startsWith('silt-snappy-no-'));
  if (snappy && variants.length) {
    const duck = find('duckdb', 'write', 'duckdb-snappy.parquet');
    console.log('\nsilt SNAPPY write without default features (seconds, saved vs default, ' +
                'silt / DuckDB)');
    for (const r of [snappy, ...variants]) {
      const name = base(r.file).replace(/^silt-snappy-?/, '').replace(/\.parquet$/, '');
      console.log(`  ${(name || 'default').padEnd(22)} ${r.seconds.toFixed(2)} s  ` +
                  `${(snappy.seconds - r.seconds).toFixed(2).padStart(5)} s  ` +
                  `${duck ? (r.seconds / duck.seconds).toFixed(2) : '-'}  ` +
                  `(cpu ${r.cpu_seconds.toFixed(2)} s)`);
    }
  }
  if (mismatches) {
    console.log(`\n${mismatches} checksum mismatch(es), see stderr`);
    return 1;
  }
  console.log('\nchecksums: every reader saw the same values in every file');
  return 0;
}
