/**
 * wasm batch normalization kernels (assembly/batch-norm.ts): float32 x with float64 statistics,
 * the js reference's bits. The js loops run one scalar element at a time (~2–3 ns per element
 * and pass), which made BatchNormalization cost a third of a wasm training step at batch 32; in
 * wasm the columns go two at a time through f64x2. Other dtypes, and empty inputs, go to js.
 */
import type { BatchNormGrads, BatchNormStats, TensorInfo } from '../backend.js';
import { columnsOf } from '../js/batch-norm.js';
import { kernelsFor } from '../registry.js';
import { arenaAlloc, arenaReset, copyOutF32, getWasm, heapF32, heapF64 } from './module.js';

const f32 = (t: TensorInfo | null): boolean => t === null || t.data instanceof Float32Array;

export function batchNorm(x: TensorInfo, gamma: TensorInfo | null, beta: TensorInfo | null, epsilon: number): BatchNormStats {
  const [rows, cols] = columnsOf(x);
  if (!f32(x) || !f32(gamma) || !f32(beta) || rows < 1 || cols < 1) return kernelsFor('js').batchNorm(x, gamma, beta, epsilon);
  const m = getWasm();
  arenaReset();
  const n = rows * cols;
  const px = arenaAlloc(n * 4), py = arenaAlloc(n * 4);
  const pg = gamma ? arenaAlloc(cols * 4) : 0, pb = beta ? arenaAlloc(cols * 4) : 0;
  const pmean = arenaAlloc(cols * 8), pvar = arenaAlloc(cols * 8), ps1 = arenaAlloc(cols * 8), ps2 = arenaAlloc(cols * 8);
  const heap = heapF32();
  heap.set(x.data as Float32Array, px / 4);
  if (gamma) heap.set(gamma.data as Float32Array, pg / 4);
  if (beta) heap.set(beta.data as Float32Array, pb / 4);
  m.batchNormF32(px, pg, pb, py, pmean, pvar, ps1, ps2, rows, cols, epsilon);
  const f64 = heapF64();
  return { y: copyOutF32(py, n), mean: f64.slice(pmean / 8, pmean / 8 + cols), variance: f64.slice(pvar / 8, pvar / 8 + cols) };
}

export function batchNormGrad(x: TensorInfo, gamma: TensorInfo | null, mean: Float64Array, variance: Float64Array,
  dy: TensorInfo, epsilon: number, needs: { x: boolean; gamma: boolean; beta: boolean }): BatchNormGrads {
  const [rows, cols] = columnsOf(x);
  if (!f32(x) || !f32(gamma) || !f32(dy) || rows < 1 || cols < 1 || dy.data.length !== x.data.length) {
    return kernelsFor('js').batchNormGrad(x, gamma, mean, variance, dy, epsilon, needs);
  }
  const m = getWasm();
  arenaReset();
  const n = rows * cols;
  const px = arenaAlloc(n * 4), pdy = arenaAlloc(n * 4), pdx = needs.x ? arenaAlloc(n * 4) : 0;
  const pg = gamma ? arenaAlloc(cols * 4) : 0;
  const pdg = needs.gamma ? arenaAlloc(cols * 4) : 0, pdb = needs.beta ? arenaAlloc(cols * 4) : 0;
  const pmean = arenaAlloc(cols * 8), pvar = arenaAlloc(cols * 8), work = arenaAlloc(cols * 40);
  const heap = heapF32();
  heap.set(x.data as Float32Array, px / 4);
  heap.set(dy.data as Float32Array, pdy / 4);
  if (gamma) heap.set(gamma.data as Float32Array, pg / 4);
  const f64 = heapF64();
  f64.set(mean, pmean / 8);
  f64.set(variance, pvar / 8);
  m.batchNormGradF32(px, pg, pmean, pvar, pdy, pdx, pdg, pdb, work, rows, cols, epsilon);
  return {
    dx: needs.x ? copyOutF32(pdx, n) : null,
    dgamma: needs.gamma ? copyOutF32(pdg, cols) : null,
    dbeta: needs.beta ? copyOutF32(pdb, cols) : null,
  };
}
