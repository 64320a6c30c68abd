/**
 * The wasm backend on 2 threads, as extra columns of the SGEMM table (bench/sgemm.ts): GFLOPS on
 * 2 threads, and the speedup over 1 thread measured A/B interleaved (rounds alternate 1 and 2
 * threads, medians of each), which a busy machine distorts far less than two separate runs.
 * Same path as the 1-thread column: public kernel, copies into wasm memory and out included.
 */
import '../src/backend/js/index.js';
import '../src/backend/wasm/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { TensorInfo } from '../src/backend/backend.js';
import { setWasmThreadOptions, setWasmThreads, wasmThreadsReady, WASM_THREAD_DEFAULTS } from '../src/backend/wasm/index.js';
import type { BenchTable } from './sgemm.js';

const THREADS = 2;

/** Shape from a label of bench/sgemm.ts: 'M×K · K×N', or 'M×Kᵀ · K×N' for a transposed A. */
function parseLabel(label: string): { M: number; N: number; K: number; transA: boolean } {
  const m = /^(\d+)×(\d+)(ᵀ?) · (\d+)×(\d+)$/.exec(label);
  if (!m) throw new Error(`bench sgemm-threads: cannot read the shape label '${label}'`);
  return { M: Number(m[1]), K: Number(m[2]), transA: m[3] === 'ᵀ', N: Number(m[5]) };
}

const median = (x: number[]): number => [...x].sort((a, b) => a - b)[x.length >> 1];

/** Appends the 2-thread columns to the SGEMM table. */
export async function withWasmThreadColumns(table: BenchTable, log: (line: string) => void = () => {}): Promise<BenchTable> {
  setWasmThreads(THREADS);
  await wasmThreadsReady();
  const matmul = kernelsFor('wasm').matmul;
  const rows: string[][] = [];
  for (const row of table.rows) {
    const { M, N, K, transA } = parseLabel(row[0]);
    const random = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
    const a: TensorInfo = { data: random(M * K), shape: transA ? [1, K, M] : [1, M, K], dtype: 'float32' };
    const b: TensorInfo = { data: random(K * N), shape: [1, K, N], dtype: 'float32' };
    const flops = 2 * M * N * K;
    const run = () => matmul(a, b, transA, false, 'float32');
    const reps = Math.max(2, Math.min(40, Math.round(1e8 / flops)));
    const one: number[] = [], two: number[] = [];
    for (let round = 0; round < 21; round++) {
      for (const threaded of [false, true]) {
        // 1 thread = the pool stays up but nothing is split (the 2-thread column's own warm state)
        setWasmThreadOptions({ gemmMinFlops: threaded ? WASM_THREAD_DEFAULTS.gemmMinFlops : Infinity });
        run();
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) run();
        (threaded ? two : one).push((performance.now() - t0) / 1000 / reps);
      }
    }
    setWasmThreadOptions(WASM_THREAD_DEFAULTS);
    const gflops = flops / median(two) / 1e9, speedup = median(one) / median(two);
    log(`  ${row[0]} gradflow wasm ${THREADS} threads: ${gflops.toFixed(1)} GFLOPS (${(median(two) * 1e3).toFixed(2)} ms; ` +
      `1 thread ${(median(one) * 1e3).toFixed(2)} ms interleaved: ×${speedup.toFixed(2)})`);
    rows.push([...row, gflops.toFixed(1), `×${speedup.toFixed(2)}`]);
  }
  setWasmThreads(1);
  return { columns: [...table.columns, `gradflow wasm ${THREADS} threads GFLOPS`, `wasm ${THREADS} vs 1 thread (A/B)`], rows };
}
