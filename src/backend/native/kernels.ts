/**
 * `native` kernels: thin adapters from the Kernels interface to the addon. Operands are read in
 * place (no copy into a separate heap, unlike wasm); the output is a fresh typed array that the
 * addon fills. Anything the addon does not cover — int32, mixed dtypes, general broadcasts,
 * non-contiguous reductions, empty or tiny tensors — goes to the js reference kernel.
 */
import type { DataArray, DType } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import type { BinaryOp, Kernels, ReduceOp, TensorInfo, UnaryOp } from '../backend.js';
import { kernelsFor } from '../registry.js';
import { BINARY_CODES, layoutOf, REDUCE_CODES, UNARY_CODES, type Layout } from '../kernel-codes.js';
import type { NativeAddon } from './addon.js';

// Below this many elements the js loop beats the N-API round trip (~0.1 µs).
const MIN_ELEMENTS = 64;

const MODE: Record<Layout, number> = { full: 0, row: 1, scalar: 2 };

/**
 * An output array that the kernel overwrites completely. Node's uninitialized allocation skips
 * the zero fill of `new Float32Array(n)`: 7 µs instead of 55 µs for a 784×300 gradient, paid
 * on every training step. (This backend is Node-only, so Buffer is always there.)
 */
function uninitializedF32(n: number): Float32Array {
  const bytes = Buffer.allocUnsafeSlow(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

function uninitializedF64(n: number): Float64Array {
  const bytes = Buffer.allocUnsafeSlow(n * 8);
  return new Float64Array(bytes.buffer, bytes.byteOffset, n);
}

export function nativeKernels(addon: NativeAddon): Pick<Kernels, 'matmul' | 'binary' | 'unary' | 'reduce' | 'sgdUpdate'> {
  const js = (): Kernels => kernelsFor('js');

  function matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, dtype: DType): DataArray {
    const f32 = dtype === 'float32' && a.data instanceof Float32Array && b.data instanceof Float32Array;
    const f64 = dtype === 'float64' && a.data instanceof Float64Array && b.data instanceof Float64Array;
    if (!f32 && !f64) return js().matmul(a, b, transA, transB, dtype);
    const [batchA, a1, a2] = a.shape;
    const [batchB, b1, b2] = b.shape;
    const M = transA ? a2 : a1, K = transA ? a1 : a2;
    const N = transB ? b1 : b2;
    const batch = Math.max(batchA, batchB);
    // a product over nothing is zero; otherwise GEMM (beta = 0) writes every element
    if (batch * M * N === 0 || K === 0) return f32 ? new Float32Array(batch * M * N) : new Float64Array(batch * M * N);
    const out = f32 ? uninitializedF32(batch * M * N) : uninitializedF64(batch * M * N);
    addon.gemm(a.data, b.data, out, batchA, batchB, M, N, K, transA, transB);
    return out;
  }

  function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataArray {
    const code = BINARY_CODES[op];
    const size = outShape.reduce((p, d) => p * d, 1);
    const cols = outShape.length ? outShape[outShape.length - 1] : 1;
    const la = layoutOf(a, size, cols), lb = layoutOf(b, size, cols);
    if (code === undefined || dtype !== 'float32' || !(a.data instanceof Float32Array) ||
      !(b.data instanceof Float32Array) || size < MIN_ELEMENTS || la === null || lb === null ||
      (la !== 'full' && lb !== 'full')) {
      return js().binary(op, a, b, outShape, dtype);
    }
    const out = uninitializedF32(size);
    addon.binaryF32(code, a.data, MODE[la], b.data, MODE[lb], out, size / cols, cols);
    return out;
  }

  function unary(op: UnaryOp, x: TensorInfo, dtype: DType): DataArray {
    const code = UNARY_CODES[op];
    if (code === undefined || dtype !== 'float32' || !(x.data instanceof Float32Array) || x.data.length < MIN_ELEMENTS) {
      return js().unary(op, x, dtype);
    }
    const out = uninitializedF32(x.data.length);
    addon.unaryF32(code, x.data, out);
    return out;
  }

  function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataArray {
    const shape = x.shape;
    const n = x.data.length;
    const contiguous = axes.length > 0 && axes[axes.length - 1] - axes[0] === axes.length - 1;
    if (!(x.data instanceof Float32Array) || !contiguous || n < MIN_ELEMENTS) return js().reduce(op, x, axes);
    let outer = 1, red = 1, inner = 1;
    for (let i = 0; i < shape.length; i++) {
      if (i < axes[0]) outer *= shape[i];
      else if (i <= axes[axes.length - 1]) red *= shape[i];
      else inner *= shape[i];
    }
    const out = uninitializedF32(outer * inner);
    addon.reduceF32(REDUCE_CODES[op], x.data, out, outer, red, inner);
    return out;
  }

  function sgdUpdate(w: DataArray, g: DataArray, v: DataArray | null, lr: number, mu: number, nesterov: boolean): void {
    const float = (a: DataArray | null) => a instanceof Float32Array || a instanceof Float64Array;
    if (!float(w) || w.constructor !== g.constructor || (v !== null && v.constructor !== w.constructor) || w.length < MIN_ELEMENTS) {
      js().sgdUpdate(w, g, v, lr, mu, nesterov);
      return;
    }
    addon.sgdUpdate(w as Float32Array, g as Float32Array, v as Float32Array | null, lr, mu, nesterov);
  }

  return { matmul, binary, unary, reduce, sgdUpdate };
}
