// Prints the results of bench/run-stream-bench (JSON lines of silt_stream_benchmark) and checks
// the catch-up bar: the Delta source with Trigger.AvailableNow reads at least the Parquet scan
// rate divided by 1.5 (the scan of the same files in the same run, and the silt SNAPPY read of
// docs/performance.md's Parquet section, 7.11 Mrows/s). Exit status 1 when the catch-up saw
// other values than the scan.
//
//   node bench/stream_bench_report.mjs <results.jsonl>
import { loadJsonLines } from './duckdb_common.mjs';

const kParquetBenchRowsPerSecond = 7.11e6;
const results = loadJsonLines(process.argv[2]);
const find = (bench) => results.find((r) => r.bench === bench);
const m = (x) => (x / 1e6).toFixed(2);
let failures = 0;

const table = find('make_table');
if (table) {
  console.log(`event table: ${table.rows} rows in ${table.files} files, ` +
              `${(table.bytes / 1e6).toFixed(1)} MB (written in ${table.seconds.toFixed(1)} s)`);
}
const scan = find('scan');
const catchUp = find('catch_up');
for (const r of [scan, catchUp].filter((x) => x)) {
  console.log(`${r.bench.padEnd(9)} ${r.rows} rows  ${r.seconds.toFixed(2)} s  ` +
              `cpu ${r.cpu_seconds.toFixed(2)} s  ${m(r.rows_per_second)} Mrows/s  ` +
              `${(r.data_bytes / r.seconds / 1e6).toFixed(0)} MB/s  ` +
              `peak RSS ${r.peak_rss_mib.toFixed(0)} MiB` +
              (r.batches !== undefined ? `  batches ${r.batches}` : ''));
}
if (scan && catchUp) {
  if (JSON.stringify(scan.checksum) !== JSON.stringify(catchUp.checksum) ||
      scan.rows !== catchUp.rows) {
    failures++;
    console.log('CHECKSUM MISMATCH between the scan and the catch-up');
  } else {
    console.log('catch-up saw the same values as the scan');
  }
  const ratio = scan.rows_per_second / catchUp.rows_per_second;
  console.log(`scan rate / catch-up rate: ${ratio.toFixed(2)} (same run); bar (at most 1.5): ` +
              `${ratio <= 1.5 ? 'met' : 'MISSED'}`);
  const docRatio = kParquetBenchRowsPerSecond / catchUp.rows_per_second;
  console.log(`Parquet benchmark's 7.11 Mrows/s / catch-up rate: ${docRatio.toFixed(2)} ` +
              `(wall clock); bar: ${docRatio <= 1.5 ? 'met' : 'MISSED'}`);
  // Under other load the wall clock stretches; rows per CPU second compare with a figure
  // taken on a quiet machine (where wall clock and CPU time were close).
  const cpuRatio = kParquetBenchRowsPerSecond / (catchUp.rows / catchUp.cpu_seconds);
  console.log(`Parquet benchmark's 7.11 Mrows/s / catch-up rows per CPU second ` +
              `(${m(catchUp.rows / catchUp.cpu_seconds)} M): ${cpuRatio.toFixed(2)}; ` +
              `bar: ${cpuRatio <= 1.5 ? 'met' : 'MISSED'}`);
}
const rate = find('rate_sink');
if (rate) {
  console.log(`rate -> Delta sink: ${rate.rows} rows in ${rate.batches} batches of ` +
              `${rate.batch_rows}, ${rate.seconds.toFixed(2)} s, cpu ${rate.cpu_seconds.toFixed(2)} s, ` +
              `${m(rate.rows_per_second)} Mrows/s; sink batch p50 ${rate.sink_batch_p50_ms} ms, ` +
              `p99 ${rate.sink_batch_p99_ms} ms; table version ${rate.table_version}, ` +
              `${rate.table_rows} rows; peak RSS ${rate.peak_rss_mib.toFixed(0)} MiB`);
}
const latency = find('latency');
if (latency) {
  console.log(`commit -> sink latency over ${latency.commits} commits of ` +
              `${latency.rows_per_commit} rows, poll ${latency.poll_ms} ms: p50 ${latency.p50_ms} ms, ` +
              `p99 ${latency.p99_ms} ms (min ${latency.min_ms}, max ${latency.max_ms}); ` +
              `sink batches ${latency.sink_batches}, sink commit p50 ${latency.sink_batch_p50_ms} ms`);
}
process.exit(failures ? 1 : 0);
