/**
 * gradflow for Node.js: everything in the browser-safe core (./index.js), plus the `native`
 * backend — GEMMs through the system BLAS (OpenBLAS, Accelerate) in an N-API addon built at
 * install time. Node resolves `import 'gradflow'` here (package.json "exports", condition
 * "node"); bundlers for the browser get ./index.js.
 *
 * When the addon loads, `native` becomes the default backend; when it does not (no compiler or
 * BLAS at install time, GRADFLOW_NATIVE=0), the default stays `wasm`, silently.
 * `gf.getBackend()` says which one runs and `gf.backendInfo()` what it runs on.
 */
import { getBackend, getBackendInfo, listBackends, setBackend } from './backend/registry.js';
import { installNativeBackend, type NativeBackendInfo } from './backend/native/index.js';

export * from './index.js';
export * as reports from './reports/index.js';
export { nativeLoadError } from './backend/native/index.js';

if (installNativeBackend()) setBackend('native');

/** What `gradflow info` prints about a backend: its name plus its describe() details. */
export interface BackendReport {
  readonly name: string;
  readonly available: boolean;
  readonly [detail: string]: string | number | boolean;
}

/**
 * Details of a backend (default: the active one): for `native` the BLAS, its kernel
 * (`blasCore`, e.g. 'SkylakeX'), `threads`, the addon path and any BLAS environment variables
 * that are set (OPENBLAS_CORETYPE, OPENBLAS_NUM_THREADS, ...), reported, never overridden.
 */
export function backendInfo(name: string = getBackend()): BackendReport {
  const info = getBackendInfo(name);
  if (!info) throw new Error(`backendInfo: unknown backend '${name}'; registered backends: ${listBackends().join(', ')}`);
  const available = info.isAvailable();
  return { ...(available ? info.describe?.() ?? {} : {}), name, available };
}

function threadControl(name: string): Partial<NativeBackendInfo> {
  return (getBackendInfo(name) ?? {}) as Partial<NativeBackendInfo>;
}

/**
 * Threads for the kernels of backends that have them (today: `native`, whose BLAS threads
 * this sets; single-threaded by default unless OPENBLAS_NUM_THREADS or similar is set).
 * Results do not depend on it beyond float rounding of the BLAS's own blocking.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  for (const name of listBackends()) threadControl(name).setNumThreads?.(n);
}

/** Threads of the active backend's kernels (1 where it has no threads). */
export function getNumThreads(): number {
  return threadControl(getBackend()).getNumThreads?.() ?? 1;
}
