/**
 * Loading the native addon (Node only: this file imports node:module). The addon is a build
 * output, build/Release/gradflow_native.node at the package root: three levels above this file
 * in src/ (tsx, tests), four in dist/src/ (the published build).
 *
 *   GRADFLOW_NATIVE=0            do not load it (the library runs on wasm)
 *   GRADFLOW_NATIVE_PATH=/x.node  load this file instead
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type FloatArray = Float32Array | Float64Array;

/** Exports of native/gradflow.cc. Outputs are allocated in JS and written in place. */
export interface NativeAddon {
  /** c = op(a)·op(b) for each batch; all Float32Array or all Float64Array; M, N, K ≥ 1. */
  gemm(a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array,
    batchA: number, batchB: number, M: number, N: number, K: number, transA: boolean, transB: boolean): void;
  /** mode 0: full [rows, cols], 1: one row repeated, 2: a scalar. */
  binaryF32(op: number, a: Float32Array, aMode: number, b: Float32Array, bMode: number,
    out: Float32Array, rows: number, cols: number): void;
  unaryF32(op: number, x: Float32Array, out: Float32Array): void;
  /** x viewed as [outer, red, inner] reduced over red; op 0 sum, 1 max, 2 min. */
  reduceF32(op: number, x: Float32Array, out: Float32Array, outer: number, red: number, inner: number): void;
  /** The fused in-place SGD step (see Kernels.sgdUpdate); float32 or float64. */
  sgdUpdate(w: Float32Array | Float64Array, g: Float32Array | Float64Array, v: Float32Array | Float64Array | null,
    lr: number, momentum: number, nesterov: boolean): void;
  /** out[0] = Σ a², out[1] = Σ (a − b)² (0 when b is null), float64 accumulation; a, b one float dtype. */
  sumSquares(a: FloatArray, b: FloatArray | null, out: Float64Array): void;
  /** One in-place Adam step (see Kernels.adamUpdate); vHat for AMSGrad. */
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vHat: FloatArray | null,
    alpha: number, beta1: number, beta2: number, epsilon: number): void;
  /** out = act(x·w + b) for x [M, K], w [K, N], b [N] or null; one float type; relu or linear. */
  denseForward(x: FloatArray, w: FloatArray, b: FloatArray | null, out: FloatArray, M: number, K: number, N: number, relu: boolean): void;
  /** The fused Dense backward: g = relu'(y)·dy (or dy); dx = g·wᵀ, dw = xᵀ·g, db = Σ_rows g (null: skipped). */
  denseBackward(x: FloatArray, w: FloatArray, y: FloatArray | null, dy: FloatArray, dx: FloatArray | null,
    dw: FloatArray | null, db: FloatArray | null, M: number, K: number, N: number, relu: boolean): void;
  /** Training-mode batch norm over the rows of x [rows, cols]; writes y, and mean/variance (Float64Array). */
  batchNormForward(x: FloatArray, gamma: FloatArray | null, beta: FloatArray | null, y: FloatArray,
    mean: Float64Array, variance: Float64Array, rows: number, cols: number, epsilon: number): void;
  /** Its backward (null outputs are skipped). */
  batchNormBackward(x: FloatArray, gamma: FloatArray | null, mean: Float64Array, variance: Float64Array, dy: FloatArray,
    dx: FloatArray | null, dgamma: FloatArray | null, dbeta: FloatArray | null, rows: number, cols: number, epsilon: number): void;
  info(): NativeBlasInfo;
  /** Sizes the GEMM pool (n threads in all) and makes the BLAS single-threaded; true. */
  setNumThreads(n: number): boolean;
  getNumThreads(): number;
  /** An empty call (measures the N-API round trip). */
  noop(): void;
}

export interface NativeBlasInfo {
  /** 'OpenBLAS', 'BLIS', 'MKL', 'Accelerate' or 'CBLAS'. */
  blas: string;
  /** The shared library that provides cblas_sgemm. */
  library: string;
  /** openblas_get_config(), e.g. 'OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64'. */
  config?: string;
  /** openblas_get_corename(): the kernel set in use, e.g. 'Haswell', 'SkylakeX', 'Cooperlake'. */
  core?: string;
  /** openblas_get_parallel(): 0 sequential build, 1 pthreads, 2 OpenMP. */
  parallel?: number;
  /** Threads a product may use: the pool's when it has more than one, else the BLAS's own. */
  threads: number;
  /** Threads of the addon's GEMM pool (gf.setNumThreads), the caller included. */
  poolThreads: number;
  /** The BLAS library's own threads (1 unless the environment set them). */
  blasThreads: number;
  threadsSettable: boolean;
}

export interface LoadResult {
  addon: NativeAddon | null;
  path: string;
  /** Why it did not load (missing file, unresolved BLAS symbol, disabled), for diagnostics. */
  error?: string;
}

/** The package root: this file is src/backend/native/addon.ts or dist/src/backend/native/addon.js. */
const PACKAGE_ROOT = new URL(/\/dist\/src\/backend\/native\/[^/]*$/.test(import.meta.url) ? '../../../../' : '../../../', import.meta.url);
export const DEFAULT_ADDON_URL = new URL('build/Release/gradflow_native.node', PACKAGE_ROOT);

/** Loads the addon; never throws (a missing or broken addon means "no native backend"). */
export function loadAddon(path?: string): LoadResult {
  const env = typeof process === 'object' ? process.env : {};
  const file = path ?? env.GRADFLOW_NATIVE_PATH ?? fileURLToPath(DEFAULT_ADDON_URL);
  if (path === undefined && env.GRADFLOW_NATIVE === '0') return { addon: null, path: file, error: 'GRADFLOW_NATIVE=0' };
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    if (typeof addon?.gemm !== 'function' || typeof addon.info !== 'function') {
      return { addon: null, path: file, error: 'not a gradflow native addon' };
    }
    return { addon, path: file };
  } catch (e) {
    return { addon: null, path: file, error: (e as Error).message.split('\n')[0] };
  }
}
