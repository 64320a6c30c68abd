/**
 * wasm element-wise and reduction kernels (float32, SIMD). Covered layouts: same shape, a
 * scalar on either side, and a row vector [N] broadcast over [..., N]; reductions over a
 * contiguous block of axes. Everything else (other broadcasts, dtypes, empty tensors) goes to
 * the js reference kernel, which the results match (bit for bit for binary/unary ops).
 */
import type { DataArray, DType } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import type { BinaryOp, ReduceOp, TensorInfo, UnaryOp } from '../backend.js';
import { kernelsFor } from '../registry.js';
import { BINARY_CODES, layoutOf, REDUCE_CODES, UNARY_CODES } from '../kernel-codes.js';
import { arenaAlloc, arenaReset, copyOutF32, getWasm, heapF32 } from './module.js';

// Below this many elements the copy-in/copy-out overhead beats the SIMD win (measured).
const MIN_ELEMENTS = 64;

const isF32 = (t: TensorInfo): boolean => t.data instanceof Float32Array;

export function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataArray {
  const code = BINARY_CODES[op];
  const size = outShape.reduce((p, d) => p * d, 1);
  const cols = outShape.length ? outShape[outShape.length - 1] : 1;
  const la = layoutOf(a, size, cols), lb = layoutOf(b, size, cols);
  if (code === undefined || dtype !== 'float32' || !isF32(a) || !isF32(b) || size < MIN_ELEMENTS ||
    la === null || lb === null || (la !== 'full' && lb !== 'full')) {
    return kernelsFor('js').binary(op, a, b, outShape, dtype);
  }
  const w = getWasm();
  arenaReset();
  const pa = arenaAlloc(a.data.length * 4), pb = arenaAlloc(b.data.length * 4), po = arenaAlloc(size * 4);
  const heap = heapF32();
  heap.set(a.data as Float32Array, pa / 4);
  heap.set(b.data as Float32Array, pb / 4);
  const rows = size / cols;
  // a full operand walks rows with stride cols; a row vector repeats (stride 0)
  w.binaryF32(code, pa, la === 'full' ? cols : 0, la === 'scalar' ? 1 : 0,
    pb, lb === 'full' ? cols : 0, lb === 'scalar' ? 1 : 0, po, rows, cols);
  return copyOutF32(po, size);
}

export function unary(op: UnaryOp, x: TensorInfo, dtype: DType): DataArray {
  const code = UNARY_CODES[op];
  const n = x.data.length;
  if (code === undefined || dtype !== 'float32' || !isF32(x) || n < MIN_ELEMENTS) {
    return kernelsFor('js').unary(op, x, dtype);
  }
  const w = getWasm();
  arenaReset();
  const px = arenaAlloc(n * 4), po = arenaAlloc(n * 4);
  const heap = heapF32();
  heap.set(x.data as Float32Array, px / 4);
  w.unaryF32(code, px, po, n);
  return copyOutF32(po, n);
}

export function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataArray {
  const shape = x.shape;
  const n = x.data.length;
  const contiguous = axes.length > 0 && axes[axes.length - 1] - axes[0] === axes.length - 1;
  if (!isF32(x) || !contiguous || n < MIN_ELEMENTS) return kernelsFor('js').reduce(op, x, axes);
  let outer = 1, red = 1, inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < axes[0]) outer *= shape[i];
    else if (i <= axes[axes.length - 1]) red *= shape[i];
    else inner *= shape[i];
  }
  const w = getWasm();
  arenaReset();
  const px = arenaAlloc(n * 4), po = arenaAlloc(outer * inner * 4), acc = arenaAlloc(inner * 8);
  const heap = heapF32();
  heap.set(x.data as Float32Array, px / 4);
  w.reduceF32(REDUCE_CODES[op], px, po, outer, red, inner, acc);
  return copyOutF32(po, outer * inner);
}
