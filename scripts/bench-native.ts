/**
 * Kernel measurements for the `native` backend against `wasm` (and `js`): SGEMM GFLOPS on the
 * book MLP's shapes, and the element-wise / reduction kernels of a Dense training step at
 * typical sizes. Used to decide which native kernels to register (src/backend/native/index.ts).
 *
 *   npx tsx scripts/bench-native.ts [--threads N]
 */
import * as gf from '../src/node.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { Kernels, TensorInfo } from '../src/backend/backend.js';
import { nativeAddon } from '../src/backend/native/index.js';
import { nativeKernels } from '../src/backend/native/kernels.js';

const threadsArg = process.argv.indexOf('--threads');
if (threadsArg > 0) gf.setNumThreads(Number(process.argv[threadsArg + 1]));

function random(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Median seconds per call over ~0.3 s of repetitions, after warm-up. */
function median(run: () => void): number {
  for (let i = 0; i < 20; i++) run();
  let t0 = performance.now();
  run();
  const once = Math.max((performance.now() - t0) / 1000, 1e-7);
  const inner = Math.max(1, Math.floor(0.002 / once));
  const samples: number[] = [];
  const deadline = performance.now() + 300;
  while (samples.length < 7 || (performance.now() < deadline && samples.length < 200)) {
    t0 = performance.now();
    for (let i = 0; i < inner; i++) run();
    samples.push((performance.now() - t0) / 1000 / inner);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

const backends = ['native', 'wasm', 'js'].filter((b) => gf.listBackends().includes(b));
const tables: Record<string, Kernels> = Object.fromEntries(backends.map((b) => [b, kernelsFor(b)]));
// the native kernels themselves, whether registered or delegating
const addon0 = nativeAddon();
if (addon0) tables.native = { ...kernelsFor('js'), ...nativeKernels(addon0) };
const info = gf.backendInfo('native');
console.log(`native: ${info.blas} ${info.blasCore ?? ''}, ${info.threads} thread(s); node ${process.version}`);

const addon = nativeAddon();
if (addon) {
  const t = median(() => { for (let i = 0; i < 1000; i++) addon.noop(); }) / 1000;
  console.log(`N-API empty call: ${(t * 1e9).toFixed(0)} ns`);
}

console.log('\nSGEMM GFLOPS (median, output allocation included)');
const shapes: Array<[string, number, number, number, boolean, boolean]> = [
  ['32×784 · 784×300', 32, 300, 784, false, false],
  ['256×784 · 784×300', 256, 300, 784, false, false],
  ['784×32ᵀ · 32×300', 784, 300, 32, true, false],
  ['784×256ᵀ · 256×300', 784, 300, 256, true, false],
  ['32×300 · 784×300ᵀ', 32, 784, 300, false, true],
  ['32×300 · 300×100', 32, 100, 300, false, false],
  ['1024×1024 · 1024×1024', 1024, 1024, 1024, false, false],
];
console.log(['shape', ...backends.filter((b) => b !== 'js')].join(' | '));
for (const [label, M, N, K, ta, tb] of shapes) {
  const a: TensorInfo = { data: random(M * K), shape: ta ? [1, K, M] : [1, M, K], dtype: 'float32' };
  const b: TensorInfo = { data: random(K * N), shape: tb ? [1, N, K] : [1, K, N], dtype: 'float32' };
  const row = [label];
  for (const be of backends.filter((x) => x !== 'js')) {
    const s = median(() => tables[be].matmul(a, b, ta, tb, 'float32'));
    row.push((2 * M * N * K / s / 1e9).toFixed(1));
  }
  console.log(row.join(' | '));
}

console.log('\nelement-wise kernels of a training step: µs per call (median)');
const f32 = (shape: number[]): TensorInfo => ({ data: random(shape.reduce((p, d) => p * d, 1)), shape, dtype: 'float32' });
type Case = [string, (k: Kernels) => unknown];
const cases: Case[] = [];
for (const [rows, cols] of [[32, 300], [256, 300], [32, 100], [256, 100], [32, 10], [256, 10]]) {
  const x = f32([rows, cols]), y = f32([rows, cols]), bias = f32([cols]);
  const s = `[${rows},${cols}]`;
  cases.push([`add bias ${s}`, (k) => k.binary('add', x, bias, [rows, cols], 'float32')]);
  cases.push([`relu ${s}`, (k) => k.unary('relu', x, 'float32')]);
  cases.push([`reluGrad ${s}`, (k) => k.binary('reluGrad', x, y, [rows, cols], 'float32')]);
  cases.push([`mul ${s}`, (k) => k.binary('mul', x, y, [rows, cols], 'float32')]);
  cases.push([`sum axis 0 ${s}`, (k) => k.reduce('sum', x, [0])]);
  cases.push([`max axis 1 ${s}`, (k) => k.reduce('max', x, [1])]);
}
for (const n of [784 * 300, 300 * 100]) {
  const x = f32([n]), y = f32([n]);
  cases.push([`sub [${n}]`, (k) => k.binary('sub', x, y, [n], 'float32')]);
}
console.log(['kernel', ...backends].join(' | '));
for (const [label, run] of cases) {
  console.log([label, ...backends.map((b) => (median(() => run(tables[b])) * 1e6).toFixed(2))].join(' | '));
}
