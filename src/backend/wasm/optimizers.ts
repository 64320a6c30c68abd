/**
 * wasm optimizer kernels: the in-place SGD and Adam steps (assembly/optimizers.ts), float32
 * weights. The weights, gradient and state are copied into linear memory, updated there and
 * copied back: three memcpys and a SIMD loop cost less than half of the js loop, which V8 runs
 * one scalar element at a time (~1.7 ns per float32 weight; 0.4 ms per step for the book MLP's
 * first layer). Same bits as the js reference kernels; float64 and small arrays go to them.
 */
import type { DataArray } from '../../core/dtype.js';
import { kernelsFor } from '../registry.js';
import { arenaAlloc, arenaReset, getWasm, heapF32 } from './module.js';

// Below this many weights the js loop wins (no copies).
const MIN_ELEMENTS = 256;

const f32 = (a: DataArray | null): a is Float32Array => a instanceof Float32Array;

export function sgdUpdate(w: DataArray, g: DataArray, v: DataArray | null, lr: number, mu: number, nesterov: boolean): void {
  const n = w.length;
  if (!f32(w) || !f32(g) || (v !== null && !f32(v)) || n < MIN_ELEMENTS || g.length !== n || (v !== null && v.length !== n)) {
    kernelsFor('js').sgdUpdate(w, g, v, lr, mu, nesterov);
    return;
  }
  const m = getWasm();
  arenaReset();
  const pw = arenaAlloc(n * 4), pg = arenaAlloc(n * 4), pv = v ? arenaAlloc(n * 4) : 0;
  const heap = heapF32(); // after the last alloc: growth replaces the buffer
  heap.set(w, pw / 4);
  heap.set(g, pg / 4);
  if (v) heap.set(v, pv / 4);
  m.sgdF32(pw, pg, pv, n, Math.fround(lr), Math.fround(mu), nesterov ? 1 : 0);
  w.set(heap.subarray(pw / 4, pw / 4 + n));
  if (v) v.set(heap.subarray(pv / 4, pv / 4 + n));
}

export function adamUpdate(w: DataArray, g: DataArray, mo: DataArray, v: DataArray, vHat: DataArray | null,
  alpha: number, b1: number, b2: number, eps: number): void {
  const n = w.length;
  if (!f32(w) || !f32(g) || !f32(mo) || !f32(v) || (vHat !== null && !f32(vHat)) || n < MIN_ELEMENTS ||
    g.length !== n || mo.length !== n || v.length !== n || (vHat !== null && vHat.length !== n)) {
    kernelsFor('js').adamUpdate(w, g, mo, v, vHat, alpha, b1, b2, eps);
    return;
  }
  const m = getWasm();
  arenaReset();
  const pw = arenaAlloc(n * 4), pg = arenaAlloc(n * 4), pm = arenaAlloc(n * 4), pv = arenaAlloc(n * 4);
  const ph = vHat ? arenaAlloc(n * 4) : 0;
  const heap = heapF32();
  heap.set(w, pw / 4);
  heap.set(g, pg / 4);
  heap.set(mo, pm / 4);
  heap.set(v, pv / 4);
  if (vHat) heap.set(vHat, ph / 4);
  m.adamF32(pw, pg, pm, pv, ph, n, alpha, 1 - b1, 1 - b2, eps);
  w.set(heap.subarray(pw / 4, pw / 4 + n));
  mo.set(heap.subarray(pm / 4, pm / 4 + n));
  v.set(heap.subarray(pv / 4, pv / 4 + n));
  if (vHat) vHat.set(heap.subarray(ph / 4, ph / 4 + n));
}
