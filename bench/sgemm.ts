/**
 * SGEMM benchmark: median GFLOPS of gradflow wasm / gradflow js / tfjs cpu / tfjs wasm on the
 * shapes of a Fashion-MNIST MLP (forward, and the transposed products of backprop).
 * gradflow numbers go through the public kernel path, including the copy into wasm memory and
 * the copy of the result out. tfjs operands are uploaded once, outside the timing (which favours
 * tfjs); dataSync() forces completion.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '../src/backend/js/index.js';
import '../src/backend/wasm/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { TensorInfo } from '../src/backend/backend.js';

export interface BenchTable {
  readonly columns: string[];
  readonly rows: string[][];
}

interface Shape { label: string; M: number; N: number; K: number; transA: boolean }

const SHAPES: Shape[] = [
  { label: '32×784 · 784×300', M: 32, N: 300, K: 784, transA: false },
  { label: '256×784 · 784×300', M: 256, N: 300, K: 784, transA: false },
  { label: '256×300 · 300×100', M: 256, N: 100, K: 300, transA: false },
  { label: '784×32ᵀ · 32×300', M: 784, N: 300, K: 32, transA: true },
  { label: '784×256ᵀ · 256×300', M: 784, N: 300, K: 256, transA: true },
  { label: '1024×1024 · 1024×1024', M: 1024, N: 1024, K: 1024, transA: false },
];

const IMPLS = ['gradflow wasm', 'gradflow js', 'tfjs cpu', 'tfjs wasm'] as const;
type Impl = (typeof IMPLS)[number];

function random(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Median seconds of `run`: one warm-up call sizes the rep count (≤ maxReps, ~budget seconds). */
function medianSeconds(run: () => void, maxReps: number, budget = 1.5): number {
  let t0 = performance.now();
  run();
  const first = (performance.now() - t0) / 1000;
  const warmups = first < 0.05 ? 5 : 0; // let V8 tier hot code up (Liftoff → TurboFan)
  for (let i = 0; i < warmups; i++) run();
  const reps = Math.max(3, Math.min(maxReps, Math.floor(budget / Math.max(first, 1e-6))));
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    t0 = performance.now();
    run();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

function gradflowRunner(backend: 'wasm' | 'js', s: Shape, A: Float32Array, B: Float32Array): () => void {
  const a: TensorInfo = { data: A, shape: s.transA ? [1, s.K, s.M] : [1, s.M, s.K], dtype: 'float32' };
  const b: TensorInfo = { data: B, shape: [1, s.K, s.N], dtype: 'float32' };
  const kernels = kernelsFor(backend);
  return () => { kernels.matmul(a, b, s.transA, false, 'float32'); };
}

async function tfjsRunner(backend: 'cpu' | 'wasm', s: Shape, A: Float32Array, B: Float32Array) {
  await tf.setBackend(backend);
  await tf.ready();
  const a = tf.tensor2d(A, s.transA ? [s.K, s.M] : [s.M, s.K]);
  const b = tf.tensor2d(B, [s.K, s.N]);
  const run = () => {
    const c = tf.matMul(a, b, s.transA, false);
    c.dataSync();
    c.dispose();
  };
  return { run, dispose: () => { a.dispose(); b.dispose(); } };
}

export async function benchSgemm(log: (line: string) => void = () => {}): Promise<BenchTable> {
  const rows: string[][] = [];
  for (const s of SHAPES) {
    const A = random(s.M * s.K), B = random(s.K * s.N);
    const flops = 2 * s.M * s.N * s.K;
    const row = [s.label];
    for (const impl of IMPLS as readonly Impl[]) {
      let seconds: number;
      if (impl === 'gradflow wasm') seconds = medianSeconds(gradflowRunner('wasm', s, A, B), 20);
      else if (impl === 'gradflow js') seconds = medianSeconds(gradflowRunner('js', s, A, B), 20, 1);
      else {
        const t = await tfjsRunner(impl === 'tfjs cpu' ? 'cpu' : 'wasm', s, A, B);
        seconds = medianSeconds(t.run, 20);
        t.dispose();
      }
      row.push((flops / seconds / 1e9).toFixed(1));
      log(`  ${s.label} ${impl}: ${(flops / seconds / 1e9).toFixed(1)} GFLOPS (${(seconds * 1e3).toFixed(2)} ms)`);
    }
    rows.push(row);
  }
  return { columns: ['shape (op(A) · B)', ...IMPLS.map((i) => `${i} GFLOPS`)], rows };
}
