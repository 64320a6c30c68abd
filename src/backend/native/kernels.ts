/**
 * `native` kernels: thin adapters from the Kernels interface to the addon. Operands are read in
 * place (no copy into a separate heap, unlike wasm); the output is a fresh typed array that the
 * addon fills. Anything the addon does not cover — int32, mixed dtypes, general broadcasts,
 * non-contiguous reductions, empty or tiny tensors — goes to the js reference kernel.
 */
import type { DataArray, DType } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import type {
  BatchNormGrads, BatchNormStats, BinaryOp, DenseActivation, DenseGradNeeds, DenseGrads, Kernels, ReduceOp, TensorInfo, UnaryOp,
} from '../backend.js';
import { kernelsFor } from '../registry.js';
import { BINARY_CODES, layoutOf, REDUCE_CODES, UNARY_CODES, type Layout } from '../kernel-codes.js';
import type { FloatArray, NativeAddon } from './addon.js';
import { composeDense, composeDenseGrad } from '../js/dense-composite.js';
import { outputArray } from '../../core/buffers.js';

// Below this many elements the js loop beats the N-API round trip (~0.1 µs).
const MIN_ELEMENTS = 64;

const MODE: Record<Layout, number> = { full: 0, row: 1, scalar: 2 };

/**
 * An output array that the kernel overwrites completely. Node's uninitialized allocation skips
 * the zero fill of `new Float32Array(n)`: 7 µs instead of 55 µs for a 784×300 gradient, paid
 * on every training step. (This backend is Node-only, so Buffer is always there.)
 */
function freshF32(n: number): Float32Array {
  const bytes = Buffer.allocUnsafeSlow(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

function freshF64(n: number): Float64Array {
  const bytes = Buffer.allocUnsafeSlow(n * 8);
  return new Float64Array(bytes.buffer, bytes.byteOffset, n);
}

function freshI32(n: number): Int32Array {
  const bytes = Buffer.allocUnsafeSlow(n * 4);
  return new Int32Array(bytes.buffer, bytes.byteOffset, n);
}

/** The allocator that `outputArray` uses for large arrays once this backend is installed. */
export function nodeUninitialized(dtype: DType, n: number): DataArray {
  return dtype === 'float32' ? freshF32(n) : dtype === 'float64' ? freshF64(n) : freshI32(n);
}

/**
 * An output the kernel overwrites: from the step's buffer pool when one is active, else fresh
 * (uninitialized when large: installNativeBackend installs nodeUninitialized).
 */
const uninitializedF32 = (n: number): Float32Array => outputArray('float32', n) as Float32Array;
const uninitializedF64 = (n: number): Float64Array => outputArray('float64', n) as Float64Array;

type NativeKernelName = 'matmul' | 'binary' | 'unary' | 'reduce' | 'sgdUpdate' | 'adamUpdate' | 'sumSquares' | 'dense' | 'denseGrad' | 'batchNorm' | 'batchNormGrad';

/** One float type shared by every array (the addon's fused kernels take no mixed types). */
function floatKind(...arrays: Array<DataArray | null>): 'float32' | 'float64' | null {
  const first = arrays[0];
  const kind = first instanceof Float32Array ? 'float32' : first instanceof Float64Array ? 'float64' : null;
  if (kind === null) return null;
  for (const a of arrays) if (a !== null && a.constructor !== first!.constructor) return null;
  return kind;
}

export function nativeKernels(addon: NativeAddon): Pick<Kernels, NativeKernelName> {
  const js = (): Kernels => kernelsFor('js');
  // the fallbacks of the fused kernels: the same chain of kernels, run by this backend
  let chain: Pick<Kernels, 'dense' | 'denseGrad'> | null = null;
  const composite = (): Pick<Kernels, 'dense' | 'denseGrad'> => {
    if (!chain) {
      const own: Kernels = { ...js(), matmul, binary, unary, reduce, sgdUpdate } as Kernels;
      chain = { dense: composeDense(own), denseGrad: composeDenseGrad(own) };
    }
    return chain;
  };

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
    if (floatKind(w, g, v) === null || w.length < MIN_ELEMENTS) {
      js().sgdUpdate(w, g, v, lr, mu, nesterov);
      return;
    }
    addon.sgdUpdate(w as Float32Array, g as Float32Array, v as Float32Array | null, lr, mu, nesterov);
  }

  function adamUpdate(w: DataArray, g: DataArray, m: DataArray, v: DataArray, vHat: DataArray | null,
    alpha: number, beta1: number, beta2: number, epsilon: number): void {
    if (floatKind(w, g, m, v, vHat) === null || w.length < MIN_ELEMENTS) {
      js().adamUpdate(w, g, m, v, vHat, alpha, beta1, beta2, epsilon);
      return;
    }
    addon.adamUpdate(w as FloatArray, g as FloatArray, m as FloatArray, v as FloatArray, vHat as FloatArray | null, alpha, beta1, beta2, epsilon);
  }

  const sums = new Float64Array(2);
  function sumSquares(a: DataArray, b: DataArray | null): [number, number] {
    if (floatKind(a, b) === null || a.length < MIN_ELEMENTS || (b !== null && b.length !== a.length)) return js().sumSquares(a, b);
    addon.sumSquares(a as FloatArray, b as FloatArray | null, sums);
    return [sums[0], sums[1]];
  }

  function dense(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, dtype: DType): DataArray {
    const [M, K] = x.shape, N = w.shape[1];
    const kind = floatKind(x.data, w.data, bias?.data ?? null);
    if (kind !== dtype || M * K * N === 0) return composite().dense(x, w, bias, activation, dtype);
    const out = kind === 'float32' ? uninitializedF32(M * N) : uninitializedF64(M * N);
    addon.denseForward(x.data as FloatArray, w.data as FloatArray, (bias?.data ?? null) as FloatArray | null, out, M, K, N, activation === 'relu');
    return out;
  }

  function denseGrad(x: TensorInfo, w: TensorInfo, y: TensorInfo, dy: TensorInfo, activation: DenseActivation,
    needs: DenseGradNeeds): DenseGrads {
    const [M, K] = x.shape, N = w.shape[1];
    const kind = floatKind(x.data, w.data, y.data, dy.data);
    if (kind === null || M * K * N === 0) return composite().denseGrad(x, w, y, dy, activation, needs);
    const make = kind === 'float32' ? uninitializedF32 : uninitializedF64;
    const dx = needs.x ? make(M * K) : null;
    const dw = needs.w ? make(K * N) : null;
    const db = needs.b ? make(N) : null;
    addon.denseBackward(x.data as FloatArray, w.data as FloatArray, y.data as FloatArray, dy.data as FloatArray, dx, dw, db, M, K, N,
      activation === 'relu');
    return { dx, dw, db };
  }

  function batchNorm(x: TensorInfo, gamma: TensorInfo | null, beta: TensorInfo | null, epsilon: number): BatchNormStats {
    const cols = x.shape[x.shape.length - 1];
    const kind = floatKind(x.data, gamma?.data ?? null, beta?.data ?? null);
    if (kind === null || x.data.length === 0) return js().batchNorm(x, gamma, beta, epsilon);
    const rows = x.data.length / cols;
    const y = kind === 'float32' ? uninitializedF32(x.data.length) : uninitializedF64(x.data.length);
    const mean = new Float64Array(cols), variance = new Float64Array(cols);
    addon.batchNormForward(x.data as FloatArray, (gamma?.data ?? null) as FloatArray | null, (beta?.data ?? null) as FloatArray | null,
      y, mean, variance, rows, cols, epsilon);
    return { y, mean, variance };
  }

  function batchNormGrad(x: TensorInfo, gamma: TensorInfo | null, mean: Float64Array, variance: Float64Array, dy: TensorInfo,
    epsilon: number, needs: { x: boolean; gamma: boolean; beta: boolean }): BatchNormGrads {
    const cols = x.shape[x.shape.length - 1];
    const kind = floatKind(x.data, gamma?.data ?? null, dy.data);
    if (kind === null || x.data.length === 0) return js().batchNormGrad(x, gamma, mean, variance, dy, epsilon, needs);
    const make = kind === 'float32' ? uninitializedF32 : uninitializedF64;
    const dx = needs.x ? make(x.data.length) : null;
    const dgamma = needs.gamma ? make(cols) : null;
    const dbeta = needs.beta ? make(cols) : null;
    addon.batchNormBackward(x.data as FloatArray, (gamma?.data ?? null) as FloatArray | null, mean, variance, dy.data as FloatArray,
      dx, dgamma, dbeta, x.data.length / cols, cols, epsilon);
    return { dx, dgamma, dbeta };
  }

  return { matmul, binary, unary, reduce, sgdUpdate, adamUpdate, sumSquares, dense, denseGrad, batchNorm, batchNormGrad };
}
