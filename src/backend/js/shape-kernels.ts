/** js reference kernels that move data: slice, concat, gather, scatterAdd. */
import type { DataArray, DType } from '../../core/dtype.js';
import { outputArray, zeroedOutputArray } from '../../core/buffers.js';
import type { Shape } from '../../core/shape.js';
import type { TensorInfo } from '../backend.js';

export function slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataArray {
  const rank = x.shape.length;
  let total = 1;
  for (const d of size) total *= d;
  const out = outputArray(x.dtype, total);
  if (total === 0) return out;
  if (rank === 0) { out[0] = x.data[0]; return out; }
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) { strides[i] = s; s *= x.shape[i]; }
  const last = rank - 1;
  const n = size[last];
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < rank; i++) offset += begin[i] * strides[i];
  for (let o = 0; o < total; o += n) {
    out.set(x.data.subarray(offset, offset + n), o);
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < size[d]) break;
      offset -= strides[d] * size[d];
      index[d] = 0;
    }
  }
  return out;
}

/** Views shape as [outer, shape[axis], inner]. */
function split3(shape: Shape, axis: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

export function concat(xs: readonly TensorInfo[], axis: number, dtype: DType): DataArray {
  const total = xs.reduce((p, x) => p + x.data.length, 0);
  const out = outputArray(dtype, total);
  const outer = split3(xs[0].shape, axis)[0];
  const rowLens = xs.map((x) => { const [, m, inner] = split3(x.shape, axis); return m * inner; });
  const outRow = rowLens.reduce((p, n) => p + n, 0);
  for (let o = 0; o < outer; o++) {
    let pos = o * outRow;
    for (let t = 0; t < xs.length; t++) {
      const n = rowLens[t];
      out.set(xs[t].data.subarray(o * n, o * n + n), pos);
      pos += n;
    }
  }
  return out;
}

export function gather(x: TensorInfo, indices: TensorInfo, axis: number): DataArray {
  const [outer, m, inner] = split3(x.shape, axis);
  const idx = indices.data;
  const out = outputArray(x.dtype, outer * idx.length * inner);
  const src = x.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const from = (o * m + idx[j]) * inner, to = (o * idx.length + j) * inner;
      // short rows (labels, small features): a loop beats creating a subarray per row
      if (inner < 32) for (let i = 0; i < inner; i++) out[to + i] = src[from + i];
      else out.set(src.subarray(from, from + inner), to);
    }
  }
  return out;
}

export function scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: Shape): DataArray {
  const [outer, m, inner] = split3(shape, axis);
  const idx = indices.data;
  const out = zeroedOutputArray(updates.dtype, outer * m * inner);
  const src = updates.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const to = (o * m + idx[j]) * inner;
      const from = (o * idx.length + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += src[from + i];
    }
  }
  return out;
}

export function pad(x: TensorInfo, before: readonly number[], outShape: Shape): DataArray {
  let total = 1;
  for (const d of outShape) total *= d;
  const out = zeroedOutputArray(x.dtype, total);
  const rank = outShape.length;
  if (x.data.length === 0) return out;
  if (rank === 0) { out[0] = x.data[0]; return out; }
  const outStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) { outStrides[i] = s; s *= outShape[i]; }
  const last = rank - 1;
  const n = x.shape[last];
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < rank; i++) offset += before[i] * outStrides[i];
  for (let o = 0; o < x.data.length; o += n) {
    out.set(x.data.subarray(o, o + n), offset);
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      offset += outStrides[d];
      if (index[d] < x.shape[d]) break;
      offset -= outStrides[d] * x.shape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Broadcast by block copies: the innermost run of matching dimensions is copied once with
 * `set`, and every broadcast dimension replicates the block it just built with `copyWithin`
 * (memcpy speed) — the gradient of mean/sum with keepDims and batch-norm statistics hit this.
 */
export function broadcastTo(x: TensorInfo, outShape: Shape): DataArray {
  const rank = outShape.length;
  const inShape = [...new Array<number>(rank - x.shape.length).fill(1), ...x.shape];
  let total = 1;
  for (const d of outShape) total *= d;
  const out = outputArray(x.dtype, total);
  if (total === 0) return out;
  if (x.data.length === 1) { out.fill(x.data[0]); return out; }
  // first dimension of the innermost block where input and output agree
  let inner = rank;
  while (inner > 0 && inShape[inner - 1] === outShape[inner - 1]) inner--;
  const outStrides = new Array<number>(rank + 1).fill(1);
  const inStrides = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) {
    outStrides[d] = outStrides[d + 1] * outShape[d];
    inStrides[d] = inStrides[d + 1] * inShape[d];
  }
  const src = x.data;
  const build = (dim: number, inOff: number, outOff: number): void => {
    if (dim === inner) {
      out.set(src.subarray(inOff, inOff + inStrides[inner]), outOff);
      return;
    }
    const n = outShape[dim], step = outStrides[dim + 1];
    if (inShape[dim] === 1) {
      if (dim === rank - 1) { out.fill(src[inOff], outOff, outOff + n); return; }
      build(dim + 1, inOff, outOff);
      for (let i = 1; i < n; i++) out.copyWithin(outOff + i * step, outOff, outOff + step);
    } else {
      for (let i = 0; i < n; i++) build(dim + 1, inOff + i * inStrides[dim + 1], outOff + i * step);
    }
  };
  build(0, 0, 0);
  return out;
}
