/**
 * wasm element-wise and reduction kernels (float32, SIMD). Covered layouts: same shape, a
 * scalar on either side, and a row vector [N] broadcast over [..., N]; reductions over a
 * contiguous block of axes. Everything else (other broadcasts, dtypes, empty tensors) goes to
 * the js reference kernel, which the results match (bit for bit for binary/unary ops).
 * On several threads, large calls can be split across the pool (threads.ts; off by default:
 * it does not pay, see docs/threads.md) into ranges of elements, rows or columns, each
 * computed exactly as the unsplit kernel would.
 */
import type { DataArray, DType } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import type { BinaryOp, ReduceOp, TensorInfo, UnaryOp } from '../backend.js';
import { kernelsFor } from '../registry.js';
import { BINARY_CODES, layoutOf, REDUCE_CODES, UNARY_CODES } from '../kernel-codes.js';
import { arenaAlloc, arenaReset, copyOutF32, getWasm, heapF32 } from './module.js';
import { chunkSize, elementwiseSplit, type Split } from './threads.js';
import { MAX_CHUNKS } from './worker-source.js';

const JOB_BINARY = 2, JOB_UNARY = 3, JOB_REDUCE = 4; // assembly/parallel.ts
// Element ranges of a split are multiples of a cache line, so that threads never write the
// same line (and SIMD loops stay aligned).
const LINE = 16;

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
  const split = elementwiseSplit(size);
  if (split) return binarySplit(split, code, a.data as Float32Array, la, b.data as Float32Array, lb, size, cols);
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
  const split = elementwiseSplit(n);
  if (split) return unarySplit(split, code, x.data as Float32Array);
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
  const split = elementwiseSplit(n);
  if (split && (inner === 1 ? outer >= 2 : outer * Math.ceil(split.threads / outer) <= MAX_CHUNKS)) {
    return reduceSplit(split, REDUCE_CODES[op], x.data as Float32Array, outer, red, inner);
  }
  const w = getWasm();
  arenaReset();
  const px = arenaAlloc(n * 4), po = arenaAlloc(outer * inner * 4), acc = arenaAlloc(inner * 8);
  const heap = heapF32();
  heap.set(x.data as Float32Array, px / 4);
  w.reduceF32(REDUCE_CODES[op], px, po, outer, red, inner, acc);
  return copyOutF32(po, outer * inner);
}

type Layout = 'full' | 'row' | 'scalar';

/**
 * Binary op on the pool. Without a row-vector operand the output is one flat row cut into
 * ranges of columns; with one, ranges of rows.
 */
function binarySplit({ heap, pool, threads }: Split, code: number, A: Float32Array, la: Layout,
  B: Float32Array, lb: Layout, size: number, cols: number): Float32Array {
  const byRows = la === 'row' || lb === 'row';
  const rows = byRows ? size / cols : 1;
  const width = byRows ? cols : size;
  const chunk = byRows ? chunkSize(rows, threads, 1) : chunkSize(size, threads, LINE);
  heap.reset();
  const job = heap.alloc(13 * 4);
  const pa = heap.alloc(A.length * 4), pb = heap.alloc(B.length * 4), po = heap.alloc(size * 4);
  const f32 = heap.f32();
  f32.set(A, pa / 4);
  f32.set(B, pb / 4);
  heap.u32().set([JOB_BINARY, code, pa, la === 'full' ? width : 0, la === 'scalar' ? 1 : 0,
    pb, lb === 'full' ? width : 0, lb === 'scalar' ? 1 : 0, po, rows, width, byRows ? 0 : 1, chunk], job / 4);
  pool.run(job, Math.ceil((byRows ? rows : size) / chunk));
  return heap.copyOutF32(po, size);
}

function unarySplit({ heap, pool, threads }: Split, code: number, X: Float32Array): Float32Array {
  const n = X.length;
  const chunk = chunkSize(n, threads, LINE);
  heap.reset();
  const job = heap.alloc(6 * 4);
  const px = heap.alloc(n * 4), po = heap.alloc(n * 4);
  heap.f32().set(X, px / 4);
  heap.u32().set([JOB_UNARY, code, px, po, n, chunk], job / 4);
  pool.run(job, Math.ceil(n / chunk));
  return heap.copyOutF32(po, n);
}

/**
 * Reduction on the pool: ranges of rows when reducing the last axes (inner = 1), else ranges
 * of columns within each outer index (every column is summed by one thread, in row order).
 */
function reduceSplit({ heap, pool, threads }: Split, code: number, X: Float32Array, outer: number,
  red: number, inner: number): Float32Array {
  let chunk: number, perOuter = 1, chunks: number;
  if (inner === 1) {
    chunk = chunkSize(outer, threads, 1);
    chunks = Math.ceil(outer / chunk);
  } else {
    chunk = chunkSize(inner, Math.ceil(threads / outer), LINE);
    perOuter = Math.ceil(inner / chunk);
    chunks = outer * perOuter;
  }
  heap.reset();
  const job = heap.alloc(10 * 4);
  const px = heap.alloc(X.length * 4), po = heap.alloc(outer * inner * 4);
  const acc = heap.alloc(inner === 1 ? 0 : chunk * 8 * pool.threads);
  heap.f32().set(X, px / 4);
  heap.u32().set([JOB_REDUCE, code, px, po, outer, red, inner, acc, chunk, perOuter], job / 4);
  pool.run(job, chunks);
  return heap.copyOutF32(po, outer * inner);
}
