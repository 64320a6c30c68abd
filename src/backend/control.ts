/**
 * Backend details and kernel threads, for every registered backend (browser-safe: the core's
 * wasm worker pool uses Web Workers in browsers and worker_threads in Node; the Node entry adds
 * the native BLAS backend, whose threads the same calls control).
 */
import { getBackend, getBackendInfo, listBackends } from './registry.js';

/** What `gradflow info` prints about a backend: its name plus its describe() details. */
export interface BackendReport {
  readonly name: string;
  readonly available: boolean;
  readonly [detail: string]: string | number | boolean;
}

/**
 * Details of a backend (default: the active one): for `native` the BLAS, its kernel
 * (`blasCore`, e.g. 'SkylakeX'), `threads`, the addon path and any BLAS environment variables
 * that are set (OPENBLAS_CORETYPE, OPENBLAS_NUM_THREADS, ...), reported, never overridden; for
 * `wasm` SIMD and threads (and why threads are unavailable, e.g. no cross-origin isolation).
 */
export function backendInfo(name: string = getBackend()): BackendReport {
  const info = getBackendInfo(name);
  if (!info) throw new Error(`backendInfo: unknown backend '${name}'; registered backends: ${listBackends().join(', ')}`);
  const available = info.isAvailable();
  return { ...(available ? info.describe?.() ?? {} : {}), name, available };
}

interface ThreadControl { setNumThreads?(n: number): void; getNumThreads?(): number }

function threadControl(name: string): ThreadControl {
  return (getBackendInfo(name) ?? {}) as ThreadControl;
}

/** The most threads any backend accepts (wasm's worker pool; OpenBLAS builds allow 64 too). */
export const MAX_THREADS = 64;

/**
 * Threads for the kernels of every backend that has them: `wasm` (a worker pool that splits
 * large matrix products; results identical for every n, see docs/threads.md) and, in Node,
 * `native` (its own GEMM pool over a single-threaded BLAS; also identical for every n, see
 * docs/native-backend.md). Default 1. Not-yet-started workers start on first use.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(`setNumThreads: expected an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  for (const name of listBackends()) threadControl(name).setNumThreads?.(n);
}

/** Threads of the active backend's kernels (1 where it has no threads). */
export function getNumThreads(): number {
  return threadControl(getBackend()).getNumThreads?.() ?? 1;
}
