/** js reference kernels: unary, binary (broadcasting), where, clip, cast. */
import type { DataArray, DType } from '../../core/dtype.js';
import { outputArray } from '../../core/buffers.js';
import type { Shape } from '../../core/shape.js';
import type { BinaryOp, TensorInfo, UnaryOp } from '../backend.js';
import { forEachBroadcast } from './broadcast.js';
import { erf } from './erf.js';

const unaryFns: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  // NOTE: sign(0) = 0 and sign(NaN) = NaN, as NumPy.
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  tanh: Math.tanh,
  erf,
  reciprocal: (x) => 1 / x,
  // NOTE: relu(NaN) = NaN (the NaN stays visible to TerminateOnNaN and the diagnostics).
  relu: (x) => (x > 0 || x !== x ? x : 0),
};

export function unary(op: UnaryOp, x: TensorInfo, dtype: DType): DataArray {
  const out = outputArray(dtype, x.data.length);
  const f = unaryFns[op];
  const src = x.data;
  switch (op) { // the hot ones get monomorphic loops
    case 'neg': for (let i = 0; i < src.length; i++) out[i] = -src[i]; break;
    case 'exp': for (let i = 0; i < src.length; i++) out[i] = Math.exp(src[i]); break;
    case 'abs': for (let i = 0; i < src.length; i++) out[i] = Math.abs(src[i]); break;
    case 'relu': for (let i = 0; i < src.length; i++) { const v = src[i]; out[i] = v > 0 || v !== v ? v : 0; } break;
    default: for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  }
  return out;
}

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  reluGrad: (dy, y) => (y > 0 ? dy : 0),
};

/** Integer division truncates toward zero for int32 results, as C and TF's truncatediv. */
function binaryFnFor(op: BinaryOp, dtype: DType): (a: number, b: number) => number {
  if (dtype === 'int32' && op === 'div') return (a, b) => Math.trunc(a / b);
  return binaryFns[op];
}

export function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataArray {
  let size = 1;
  for (const d of outShape) size *= d;
  const out = outputArray(dtype, size);
  const A = a.data, B = b.data;
  const f = binaryFnFor(op, dtype);
  if (A.length === size && B.length === size) {
    switch (op) {
      case 'add': for (let i = 0; i < size; i++) out[i] = A[i] + B[i]; return out;
      case 'sub': for (let i = 0; i < size; i++) out[i] = A[i] - B[i]; return out;
      case 'mul': for (let i = 0; i < size; i++) out[i] = A[i] * B[i]; return out;
      default: for (let i = 0; i < size; i++) out[i] = f(A[i], B[i]); return out;
    }
  }
  forEachBroadcast(outShape, [a.shape, b.shape], (start, n, off, st) => {
    let ia = off[0], ib = off[1];
    const sa = st[0], sb = st[1];
    for (let i = 0; i < n; i++, ia += sa, ib += sb) out[start + i] = f(A[ia], B[ib]);
  });
  return out;
}

export function where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataArray {
  let size = 1;
  for (const d of outShape) size *= d;
  const out = outputArray(dtype, size);
  const C = cond.data, A = a.data, B = b.data;
  forEachBroadcast(outShape, [cond.shape, a.shape, b.shape], (start, n, off, st) => {
    let ic = off[0], ia = off[1], ib = off[2];
    for (let i = 0; i < n; i++, ic += st[0], ia += st[1], ib += st[2]) {
      out[start + i] = C[ic] !== 0 ? A[ia] : B[ib];
    }
  });
  return out;
}

export function clip(x: TensorInfo, lo: number, hi: number): DataArray {
  const out = outputArray(x.dtype, x.data.length);
  const src = x.data;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

export function cast(x: TensorInfo, dtype: DType): DataArray {
  const out = outputArray(dtype, x.data.length);
  if (dtype === 'int32' && x.dtype !== 'int32') {
    const src = x.data;
    for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  } else {
    out.set(x.data);
  }
  return out;
}

/**
 * One SGD step in place (Keras 3's update_step). Float32 weights use float32 arithmetic, one
 * rounding per operation as Keras / TensorFlow compute it (lr and μ cast to float32 first);
 * float64 weights use float64. `Math.fround` of a double product or difference of two
 * float32 values is the correctly rounded float32 result, so the C kernel's float loop (no FMA
 * contraction) gives the same bits.
 */
export function sgdUpdate(w: DataArray, g: DataArray, v: DataArray | null, lr: number, mu: number, nesterov: boolean): void {
  if (w instanceof Float32Array) {
    sgdUpdateF32(w, g, v, Math.fround(lr), Math.fround(mu), nesterov);
    return;
  }
  const n = w.length;
  if (v === null) {
    for (let i = 0; i < n; i++) w[i] -= lr * g[i];
  } else if (nesterov) {
    for (let i = 0; i < n; i++) {
      const step = lr * g[i];
      const vi = mu * v[i] - step;
      v[i] = vi;
      w[i] += mu * vi - step;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const vi = mu * v[i] - lr * g[i];
      v[i] = vi;
      w[i] += vi;
    }
  }
}

// w ← w − fl(lr·g); v ← fl(fl(μ·v) − fl(lr·g)); w ← w + v (Nesterov: w ← w + fl(fl(μ·v) − fl(lr·g)))
// Each store into the Float32Array rounds the last operation.
function sgdUpdateF32(w: Float32Array, g: DataArray, v: DataArray | null, lr: number, mu: number, nesterov: boolean): void {
  const f = Math.fround, n = w.length;
  if (v === null) {
    for (let i = 0; i < n; i++) w[i] -= f(lr * g[i]);
  } else if (nesterov) {
    for (let i = 0; i < n; i++) {
      const step = f(lr * g[i]);
      const vi = f(f(mu * v[i]) - step);
      v[i] = vi;
      w[i] += f(f(mu * vi) - step);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const vi = f(f(mu * v[i]) - f(lr * g[i]));
      v[i] = vi;
      w[i] += vi;
    }
  }
}

export function adamUpdate(w: DataArray, g: DataArray, m: DataArray, v: DataArray, vHat: DataArray | null,
  alpha: number, b1: number, b2: number, eps: number): void {
  const c1 = 1 - b1, c2 = 1 - b2, n = w.length;
  if (vHat === null) {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = m[i] + (gi - m[i]) * c1;
      const vi = v[i] + (gi * gi - v[i]) * c2;
      m[i] = mi;
      v[i] = vi;
      w[i] -= (alpha * mi) / (Math.sqrt(vi) + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] + (gi - m[i]) * c1;
    const vi = v[i] + (gi * gi - v[i]) * c2;
    m[i] = mi;
    v[i] = vi;
    // NOTE: the unrounded vi when it is the new maximum (the value of the assignment), as before
    const hi = vi > vHat[i] ? (vHat[i] = vi) : vHat[i];
    w[i] -= (alpha * mi) / (Math.sqrt(hi) + eps);
  }
}

/** Kernels.sumSquares: [Σ a², Σ (a − b)²] in float64, four partial sums (one monomorphic loop per case). */
export function sumSquares(a: DataArray, b: DataArray | null): [number, number] {
  const n = a.length, n4 = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < n4; i += 4) {
    const x0 = a[i], x1 = a[i + 1], x2 = a[i + 2], x3 = a[i + 3];
    s0 += x0 * x0; s1 += x1 * x1; s2 += x2 * x2; s3 += x3 * x3;
  }
  for (let i = n4; i < n; i++) s0 += a[i] * a[i];
  if (b === null) return [(s0 + s1) + (s2 + s3), 0];
  let d0 = 0, d1 = 0;
  for (let i = 0; i + 1 < n; i += 2) { const e0 = a[i] - b[i], e1 = a[i + 1] - b[i + 1]; d0 += e0 * e0; d1 += e1 * e1; }
  if (n % 2 === 1) { const e = a[n - 1] - b[n - 1]; d0 += e * e; }
  return [(s0 + s1) + (s2 + s3), d0 + d1];
}
