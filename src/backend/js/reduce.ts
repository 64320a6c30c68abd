/** js reference reductions: sum / max / min over axes, argmax / argmin along one axis. */
import type { DataArray } from '../../core/dtype.js';
import { outputArray } from '../../core/buffers.js';
import type { ReduceOp, TensorInfo } from '../backend.js';

/**
 * Views x as [outer, reduced..., inner] blocks when the reduced axes are contiguous; the
 * general case transposes the reduced axes to the end first (see reduceGeneral).
 */
export function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataArray {
  const shape = x.shape;
  const rank = shape.length;
  const outSize = shape.reduce((p, d, i) => (axes.includes(i) ? p : p * d), 1);
  // sums accumulate in float64 for float32 inputs: exactness matters more than speed here,
  // and the wasm backend provides the fast path.
  const out = outputArray(x.dtype, outSize);
  const contiguous = axes.length === 0 || axes[axes.length - 1] - axes[0] === axes.length - 1;
  if (!contiguous) return reduceGeneral(op, x, axes, out);
  const first = axes.length ? axes[0] : rank;
  const last = axes.length ? axes[axes.length - 1] : rank - 1;
  let outer = 1, red = 1, inner = 1;
  for (let i = 0; i < rank; i++) {
    if (i < first) outer *= shape[i];
    else if (i <= last) red *= shape[i];
    else inner *= shape[i];
  }
  reduceBlocks(op, x.data, out, outer, red, inner);
  return out;
}

function initial(op: ReduceOp): number {
  return op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
}

function reduceBlocks(op: ReduceOp, src: DataArray, out: DataArray, outer: number, red: number, inner: number): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(initial(op));
    const base = o * red * inner;
    for (let r = 0; r < red; r++) {
      const row = base + r * inner;
      if (op === 'sum') {
        for (let i = 0; i < inner; i++) acc[i] += src[row + i];
      } else if (op === 'max') {
        // NOTE: NaN propagates, as NumPy's max.
        for (let i = 0; i < inner; i++) { const v = src[row + i]; if (v > acc[i] || Number.isNaN(v)) acc[i] = v; }
      } else {
        for (let i = 0; i < inner; i++) { const v = src[row + i]; if (v < acc[i] || Number.isNaN(v)) acc[i] = v; }
      }
    }
    for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i];
  }
}

function reduceGeneral(op: ReduceOp, x: TensorInfo, axes: readonly number[], out: DataArray): DataArray {
  const rank = x.shape.length;
  const kept = [...Array(rank).keys()].filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const data = transposeData(x, perm);
  const outer = kept.reduce((p, i) => p * x.shape[i], 1);
  const red = axes.reduce((p, i) => p * x.shape[i], 1);
  reduceBlocks(op, data, out, outer, red, 1);
  return out;
}

export function argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number): Int32Array {
  const shape = x.shape;
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const n = shape[axis];
  const out = new Int32Array(outer * inner);
  const src = x.data;
  const better = op === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0, bestVal = src[base];
      for (let r = 1; r < n; r++) {
        const v = src[base + r * inner];
        if (better(v, bestVal)) { best = r; bestVal = v; }
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

/** Row-major permutation (also used by the transpose kernel). */
export function transposeData(x: TensorInfo, perm: readonly number[]): DataArray {
  const shape = x.shape;
  const rank = shape.length;
  const src = x.data;
  const out = outputArray(x.dtype, src.length);
  if (src.length === 0) return out;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) { inStrides[i] = s; s *= shape[i]; }
  const outShape = perm.map((p) => shape[p]);
  const stepStrides = perm.map((p) => inStrides[p]);
  if (rank === 2 && perm[0] === 1) {
    const [r, c] = shape;
    // blocked 2-D transpose: keeps both sides in cache
    const T = 32;
    for (let i0 = 0; i0 < r; i0 += T) {
      for (let j0 = 0; j0 < c; j0 += T) {
        const iMax = Math.min(i0 + T, r), jMax = Math.min(j0 + T, c);
        for (let i = i0; i < iMax; i++) for (let j = j0; j < jMax; j++) out[j * r + i] = src[i * c + j];
      }
    }
    return out;
  }
  const index = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const n = rank ? outShape[last] : 1;
  const st = rank ? stepStrides[last] : 0;
  let offset = 0;
  for (let o = 0; o < src.length; o += n) {
    for (let i = 0, p = offset; i < n; i++, p += st) out[o + i] = src[p];
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      offset += stepStrides[d];
      if (index[d] < outShape[d]) break;
      offset -= stepStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}
