/**
 * The `native` backend (Node only): float32 and float64 GEMM through the system CBLAS
 * (OpenBLAS on Linux, Accelerate on macOS) in an N-API addon, native/gradflow.cc. Registered by
 * src/node.ts when the addon loads; the browser-safe core never imports this file.
 *
 * The element-wise and reduction kernels (float32) are native too: measured faster than wasm's
 * (scripts/bench-native.ts, numbers in docs/native-backend.md), because they read the JS arrays
 * in place instead of copying them into WebAssembly memory. Everything else — and int32, odd
 * broadcasts, tiny tensors — runs on the js reference kernels, as on wasm.
 */
import type { BackendInfo } from '../backend.js';
import { registerBackend, registerKernel } from '../registry.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { nativeKernels, nodeUninitialized } from './kernels.js';
import { setUninitializedAllocator } from '../../core/buffers.js';

export type { NativeAddon, NativeBlasInfo } from './addon.js';

/** Environment variables that steer the BLAS: reported by describe(), never changed here. */
const BLAS_ENV = ['OPENBLAS_CORETYPE', 'OPENBLAS_NUM_THREADS', 'GOTO_NUM_THREADS', 'OMP_NUM_THREADS',
  'OPENBLAS_VERBOSE', 'VECLIB_MAXIMUM_THREADS', 'BLIS_NUM_THREADS'] as const;
const THREAD_ENV = ['OPENBLAS_NUM_THREADS', 'GOTO_NUM_THREADS', 'OMP_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS', 'BLIS_NUM_THREADS'];

let addon: NativeAddon | null = null;
let addonPath = '';
let loadError: string | undefined;

/** The loaded addon, or null (not loaded, failed, or disabled). */
export function nativeAddon(): NativeAddon | null {
  return addon;
}

/** Why the addon did not load (undefined once it has). */
export function nativeLoadError(): string | undefined {
  return loadError;
}

/** A `native` BackendInfo with thread control (the registry's BackendInfo plus two members). */
export interface NativeBackendInfo extends BackendInfo {
  setNumThreads(n: number): void;
  getNumThreads(): number;
}

/**
 * Loads the addon and registers the `native` backend. Returns false, registering nothing, when
 * the addon is missing or does not load (no compiler or BLAS at install time, another platform,
 * GRADFLOW_NATIVE=0). Idempotent. `path` loads a specific .node file (tests).
 */
export function installNativeBackend(options: { path?: string } = {}): boolean {
  if (addon) return true;
  const loaded = loadAddon(options.path);
  if (!loaded.addon) {
    loadError = loaded.error;
    return false;
  }
  addon = loaded.addon;
  addonPath = loaded.path;
  loadError = undefined;
  const native = addon;

  // Single-threaded by default, unless the user's environment sets the BLAS's threads (then the
  // BLAS threads itself, as it was told): one thread makes timings comparable and leaves the
  // other cores to the user. gf.setNumThreads(n) splits large products over n threads of the
  // addon's own pool and keeps the BLAS single-threaded (native/gradflow.cc, GemmPool: the
  // BLAS's busy-waiting workers slowed a training step down on 2 cores).
  const env = typeof process === 'object' ? process.env : {};
  const threadsFromEnv = THREAD_ENV.find((name) => env[name]);
  // NOTE: the pool and the BLAS's threads belong to the process: a worker_thread that imports
  // gradflow after the main thread called gf.setNumThreads(n) must not shrink them back to 1
  if (!threadsFromEnv && native.info().poolThreads <= 1) native.setNumThreads(1);

  const info: NativeBackendInfo = {
    name: 'native',
    isAvailable: () => true,
    setNumThreads: (n: number) => {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
      native.setNumThreads(n);
    },
    getNumThreads: () => native.getNumThreads(),
    describe: () => {
      const blas = native.info();
      const out: Record<string, string | number | boolean> = {
        backend: 'native',
        blas: blas.blas,
        blasLibrary: blas.library,
        threads: blas.threads,
        threadsFrom: blas.poolThreads > 1 ? 'gf.setNumThreads (gradflow\'s pool; BLAS single-threaded)'
          : threadsFromEnv && blas.blasThreads > 1 ? `${threadsFromEnv} (the BLAS's own threads)` : threadsFromEnv ?? 'gradflow default (1)',
        poolThreads: blas.poolThreads,
        blasThreads: blas.blasThreads,
        threadsSettable: blas.threadsSettable,
        addon: addonPath,
        kernels: 'matmul, dense, denseGrad, batchNorm, batchNormGrad, sgdUpdate, adamUpdate, sumSquares (float32, float64), binary, unary, reduce (float32)',
      };
      if (blas.core !== undefined) out.blasCore = blas.core;
      if (blas.config !== undefined) out.blasConfig = blas.config;
      if (blas.parallel !== undefined) out.blasParallel = ['sequential', 'pthreads', 'openmp'][blas.parallel] ?? blas.parallel;
      for (const name of BLAS_ENV) if (env[name] !== undefined) out[name] = env[name]!;
      return out;
    },
  };
  registerBackend(info);
  // every backend's kernel outputs (js fallbacks included) skip the zero fill of large arrays
  setUninitializedAllocator(nodeUninitialized);

  // All four won against wasm in scripts/bench-native.ts at the sizes of a training step
  // (numbers in docs/native-backend.md): GEMM 2-5×, element-wise ~2× (no copy into a separate
  // heap, AVX2 where present), column sums ~3×, row max/min about even.
  const kernels = nativeKernels(native);
  registerKernel('matmul', 'native', kernels.matmul);
  registerKernel('binary', 'native', kernels.binary);
  registerKernel('unary', 'native', kernels.unary);
  registerKernel('reduce', 'native', kernels.reduce);
  registerKernel('sgdUpdate', 'native', kernels.sgdUpdate);
  registerKernel('adamUpdate', 'native', kernels.adamUpdate);
  registerKernel('sumSquares', 'native', kernels.sumSquares);
  // fused Dense: one N-API call per layer and direction (GEMM + bias + relu; both GEMMs, the
  // relu mask and the bias gradient), the bits of the unfused kernels (docs/native-backend.md)
  registerKernel('dense', 'native', kernels.dense);
  registerKernel('denseGrad', 'native', kernels.denseGrad);
  // fused batch norm: the js reference's loops in C (same bits), ~5× faster at training sizes
  registerKernel('batchNorm', 'native', kernels.batchNorm);
  registerKernel('batchNormGrad', 'native', kernels.batchNormGrad);
  return true;
}
