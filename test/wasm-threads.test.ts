/**
 * The wasm thread pool: results bit for bit equal to one thread for 2 and 3 threads (GEMM in
 * every transpose form and odd sizes, element-wise ops, reductions, a few training steps),
 * workers really run chunks, memory growth, errors, shutdown, and a process with idle workers
 * exits. The split thresholds are set to 0 so that small shapes split too.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as gf from '../src/index.js';
import { getBackendInfo, kernelsFor } from '../src/backend/registry.js';
import {
  getWasmThreads, setWasmThreadOptions, setWasmThreads, wasmThreadsReady, wasmThreadStats,
  WASM_THREAD_DEFAULTS, type WasmBackendInfo,
} from '../src/backend/wasm/index.js';
import { elementwiseSplit } from '../src/backend/wasm/threads.js';
import type { BinaryOp, ReduceOp, TensorInfo, UnaryOp } from '../src/backend/backend.js';
import type { DataArray } from '../src/core/dtype.js';

const wasm = kernelsFor('wasm');

after(() => {
  setWasmThreads(1);
  setWasmThreadOptions(WASM_THREAD_DEFAULTS);
});

function rand(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

const f32 = (shape: number[], seed: number): TensorInfo =>
  ({ data: rand(shape.reduce((p, d) => p * d, 1), seed), shape, dtype: 'float32' });

/** Runs every case on `threads` threads (all workers online), by default with splitting forced. */
async function runAll(threads: number, cases: (() => DataArray)[], gemmMinFlops = 0): Promise<DataArray[]> {
  setWasmThreads(threads);
  assert.equal(await wasmThreadsReady(), threads);
  setWasmThreadOptions({ gemmMinFlops, elementwiseMinElements: 0 });
  const out = cases.map((run) => run());
  if (threads > 1) assert.equal(wasmThreadStats().length, threads);
  return out;
}

function assertSameBits(got: DataArray[], want: DataArray[], label: string): void {
  assert.equal(got.length, want.length);
  for (let c = 0; c < want.length; c++) {
    const g = new Uint32Array(new Float32Array(got[c]).buffer), w = new Uint32Array(new Float32Array(want[c]).buffer);
    assert.equal(g.length, w.length, `${label} case ${c}: length`);
    for (let i = 0; i < w.length; i++) {
      if (g[i] !== w[i]) assert.fail(`${label} case ${c}: element ${i} is ${got[c][i]}, one thread gives ${want[c][i]}`);
    }
  }
}

async function sameOnEveryThreadCount(cases: (() => DataArray)[], gemmMinFlops = 0): Promise<void> {
  const one = await runAll(1, cases, gemmMinFlops);
  for (const threads of [2, 3]) assertSameBits(await runAll(threads, cases, gemmMinFlops), one, `${threads} threads`);
}

test('matmul: 2 and 3 threads give the bits of 1 thread (odd sizes, transposes, batches)', async () => {
  const cases: (() => DataArray)[] = [];
  const shapes: [number, number, number][] = [
    [1, 1, 1], [3, 5, 7], [5, 9, 300], [17, 3, 513], [33, 65, 17], [130, 70, 260], [7, 301, 33],
    [32, 300, 784], [257, 300, 129], [64, 64, 1000], [20, 1100, 300], [600, 40, 70],
  ];
  for (const [M, N, K] of shapes) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = f32(tA ? [1, K, M] : [1, M, K], M * 31 + K), b = f32(tB ? [1, N, K] : [1, K, N], N * 17 + K);
      cases.push(() => wasm.matmul(a, b, tA, tB, 'float32'));
    }
  }
  for (const [ba, bb] of [[3, 3], [1, 4], [5, 1]]) {
    const a = f32([ba, 19, 37], ba), b = f32([bb, 37, 23], bb + 10);
    cases.push(() => wasm.matmul(a, b, false, false, 'float32'));
  }
  await sameOnEveryThreadCount(cases);
});

test('batched matmul with small items splits by batch item, with the bits of 1 thread', async () => {
  const cases: (() => DataArray)[] = [];
  for (const [ba, bb] of [[5, 5], [1, 6], [7, 1]]) {
    const a = f32([ba, 19, 37], ba + 3), b = f32([bb, 37, 23], bb + 13);
    cases.push(() => wasm.matmul(a, b, false, false, 'float32'));
    const at = f32([ba, 37, 19], ba + 5), bt = f32([bb, 23, 37], bb + 7);
    cases.push(() => wasm.matmul(at, bt, true, true, 'float32'));
  }
  // one item is 32,338 flops: below the threshold, the batch above it
  await sameOnEveryThreadCount(cases, 100_000);
});

test('element-wise and reductions: 2 and 3 threads give the bits of 1 thread', async () => {
  const cases: (() => DataArray)[] = [];
  const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'greater', 'reluGrad'];
  for (const [rows, cols] of [[1, 1000], [37, 129], [256, 300], [3, 4099]]) {
    const x = f32([rows, cols], rows + cols), y = f32([rows, cols], rows * cols);
    const row = f32([cols], cols), s = f32([], 7);
    for (const op of binaryOps) {
      cases.push(() => wasm.binary(op, x, y, [rows, cols], 'float32'));
      cases.push(() => wasm.binary(op, x, row, [rows, cols], 'float32'));
      cases.push(() => wasm.binary(op, row, x, [rows, cols], 'float32'));
      cases.push(() => wasm.binary(op, s, x, [rows, cols], 'float32'));
      cases.push(() => wasm.binary(op, x, s, [rows, cols], 'float32'));
    }
    for (const op of ['neg', 'abs', 'sqrt', 'reciprocal', 'sign', 'relu'] as UnaryOp[]) cases.push(() => wasm.unary(op, x, 'float32'));
  }
  for (const shape of [[1001], [37, 129], [256, 300], [4, 33, 65], [2, 3, 5, 7]]) {
    const x = f32(shape, shape.length * 100 + shape[0]);
    for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
      for (let first = 0; first < shape.length; first++) {
        for (let last = first; last < shape.length; last++) {
          const axes = Array.from({ length: last - first + 1 }, (_, i) => first + i);
          cases.push(() => wasm.reduce(op, x, axes));
        }
      }
    }
  }
  await sameOnEveryThreadCount(cases);
});

test('a few training steps give the same weights on 1 and 3 threads', async () => {
  async function train(threads: number): Promise<Float32Array[]> {
    setWasmThreads(threads);
    await wasmThreadsReady();
    setWasmThreadOptions({ gemmMinFlops: 0, elementwiseMinElements: 0 });
    const previous = gf.getBackend();
    gf.setBackend('wasm');
    try {
      gf.setSeed(3);
      const x = gf.randomUniform([96, 20]);
      const y = gf.tensor(Int32Array.from({ length: 96 }, (_, i) => (i * 7) % 5));
      const model = new gf.Sequential([
        new gf.layers.Dense(33, { activation: 'relu', inputShape: [20] }),
        new gf.layers.Dense(17, { activation: 'relu' }),
        new gf.layers.Dense(5, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
      await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, shuffle: false });
      return model.getWeights().map((w) => new Float32Array(w.dataSync() as Float32Array));
    } finally {
      gf.setBackend(previous);
    }
  }
  const one = await train(1);
  assertSameBits(await train(3), one, 'training on 3 threads');
});

test('workers run chunks; shared memory grows between jobs; the pool shuts down', async () => {
  setWasmThreads(2);
  await wasmThreadsReady();
  setWasmThreadOptions({ gemmMinFlops: 0, elementwiseMinElements: 0 });
  const a = f32([1, 128, 96], 1), b = f32([1, 96, 128], 2);
  // A worker that is slow to wake just claims fewer chunks; over many jobs it claims some.
  for (let i = 0; i < 5000 && wasmThreadStats()[1] === 0; i++) wasm.matmul(a, b, false, false, 'float32');
  const [mainChunks, workerChunks] = wasmThreadStats();
  assert.ok(mainChunks > 0 && workerChunks > 0, `chunks by thread: ${wasmThreadStats()}`);
  // 16 MiB operands force the shared memory to grow while the workers are alive
  const big = f32([1, 1024, 1024], 5), big2 = f32([1, 1024, 512], 6);
  const threaded = wasm.matmul(big, big2, false, false, 'float32');
  setWasmThreads(1);
  assert.deepEqual(wasmThreadStats(), [], 'the pool is gone');
  assert.equal(getWasmThreads(), 1);
  assertSameBits([threaded], [wasm.matmul(big, big2, false, false, 'float32')], 'after growth');
});

test('a chunk that fails raises an error instead of hanging the pool', async () => {
  setWasmThreads(2);
  await wasmThreadsReady();
  setWasmThreadOptions({ elementwiseMinElements: 0 });
  const split = elementwiseSplit(1);
  assert.ok(split);
  split.heap.reset();
  const job = split.heap.alloc(16);
  split.heap.u32().set([99], job / 4); // no such job kind: runChunk traps
  assert.throws(() => split.pool.run(job, 8), /unreachable|failed/);
  assert.throws(() => split.pool.run(job, 0), /chunk count 0 outside 1\.\.32767/);
  // the pool still works afterwards
  const x = f32([300], 9);
  assertSameBits([wasm.unary('neg', x, 'float32')], [Float32Array.from(x.data as Float32Array, (v) => -v)], 'after an error');
});

test('setNumThreads validates its argument; describe() reports the threads', () => {
  const info = getBackendInfo('wasm') as WasmBackendInfo;
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => info.setNumThreads(bad), { name: 'RangeError', message: `setNumThreads: expected a positive integer, got ${bad}` });
  }
  assert.throws(() => info.setNumThreads('2' as unknown as number), /expected a positive integer, got 2/);
  assert.throws(() => info.setNumThreads(65), /at most 64 threads, got 65/);
  info.setNumThreads(3);
  assert.equal(info.getNumThreads(), 3);
  assert.equal(info.describe?.().threads, 3);
  info.setNumThreads(1);
  assert.equal(info.getNumThreads(), 1);
  assert.throws(() => setWasmThreadOptions({ spinMicros: -1 }), /spinMicros must be a number ≥ 0/);
  assert.throws(() => setWasmThreadOptions({ spin: 1 } as never), /unknown option 'spin'/);
});

test('a process with idle workers exits on its own', () => {
  const script = `
    import { kernelsFor } from './src/backend/registry.js';
    import { setWasmThreads, wasmThreadsReady, wasmThreadStats, setWasmThreadOptions } from './src/backend/wasm/index.js';
    import './src/backend/js/index.js';
    setWasmThreads(3);
    await wasmThreadsReady();
    setWasmThreadOptions({ gemmMinFlops: 0 });
    const x = { data: new Float32Array(64 * 64).fill(1), shape: [1, 64, 64], dtype: 'float32' };
    const y = kernelsFor('wasm').matmul(x, x, false, false, 'float32');
    console.log('done', y[0], wasmThreadStats().length);
  `;
  const root = fileURLToPath(new URL('..', import.meta.url));
  // The timeout only guards against a hang; it says nothing about speed.
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.signal, null, `the process did not exit by itself: ${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /done 64 3/);
});
