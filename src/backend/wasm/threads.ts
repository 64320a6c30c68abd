/**
 * Thread count of the wasm backend and when to split a kernel across threads.
 *
 * setWasmThreads(n) records n; the pool (n − 1 workers over a shared memory) starts on the
 * first kernel call big enough to split, or on wasmThreadsReady(). Kernels ask gemmSplit() or
 * elementwiseSplit() whether to split: only large GEMMs (≥ 2 MFLOP) and large element-wise/
 * reduce work pay for copying through shared memory and waking a worker; everything else runs
 * on the single-threaded instance exactly as before. Where shared memory or workers are missing (a
 * browser page without cross-origin isolation), the backend runs on one thread.
 */
import { createSharedHeap, sharedMemoryUnavailableReason, sharedWasmModule, type WasmHeap } from './module.js';
import { ThreadPool, workersUnavailableReason } from './pool.js';
import { MAX_THREADS } from './worker-source.js';

/** Tunables (measured on a 2-core Zen 4 VM, Node 20; see docs/threads.md). */
export interface WasmThreadOptions {
  /** Smallest GEMM (2·M·N·K per batch item, or over the batch) split across threads. */
  gemmMinFlops: number;
  /** Smallest element-wise or reduction kernel (elements read) split across threads. */
  elementwiseMinElements: number;
  /** How long an idle worker spins before parking, in microseconds. */
  spinMicros: number;
}

// NOTE: element-wise splitting is off by default: these kernels are memory-bound, and copying
// operands into shared memory costs V8 1.5-3× what it costs into the ordinary one (relaxed
// atomic memcpy), more than a second thread saves (docs/threads.md has the measurements).
const DEFAULTS: WasmThreadOptions = { gemmMinFlops: 2e6, elementwiseMinElements: Infinity, spinMicros: 200 };
const options: WasmThreadOptions = { ...DEFAULTS };

let requested = 1;
let pool: ThreadPool | null = null;
let sharedHeap: WasmHeap | null = null;
/** Why the pool could not be created (then the backend stays on one thread). */
let poolError: string | null = null;

/** Why threads cannot be used in this environment, or null when they can. */
export function threadsUnavailableReason(): string | null {
  return sharedMemoryUnavailableReason() ?? workersUnavailableReason() ?? poolError;
}

/**
 * Sets the threads of the wasm backend's kernels (1 = no workers). Results are the same bits
 * for every n: each output element is computed by one thread, in the same order as on one.
 */
export function setWasmThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  if (n > MAX_THREADS) throw new RangeError(`setNumThreads: the wasm backend supports at most ${MAX_THREADS} threads, got ${n}`);
  if (n === requested) return;
  requested = n;
  poolError = null;
  closePool();
  if (n === 1) sharedHeap = null; // the shared memory goes with the workers
}

/** Threads the wasm kernels use: the requested count, or 1 where threads are unavailable. */
export function getWasmThreads(): number {
  return requested > 1 && threadsUnavailableReason() === null ? requested : 1;
}

/** Stops the workers; the next split kernel (or wasmThreadsReady) starts new ones. */
export function closePool(): void {
  pool?.close();
  pool = null;
}

/** The pool, started on first use; null when running on one thread. */
function activePool(): ThreadPool | null {
  if (pool || getWasmThreads() === 1) return pool;
  try {
    sharedHeap ??= createSharedHeap();
    pool = new ThreadPool(requested, sharedHeap, sharedWasmModule(), options.spinMicros);
  } catch (e) {
    poolError = `cannot start the thread pool: ${(e as Error).message}`;
  }
  return pool;
}

/**
 * Starts the pool if needed and resolves with the thread count once every worker is online
 * (benchmarks and tests call it so that the first calls already run on all threads; kernels
 * never wait for it: workers join jobs as they come online).
 */
export async function wasmThreadsReady(timeoutMs?: number): Promise<number> {
  const p = activePool();
  if (p) await p.ready(timeoutMs);
  else if (requested > 1 && poolError) throw new Error(`wasm backend: ${poolError}`);
  return getWasmThreads();
}

/** Chunks run per thread since the pool started (slot 0 = main thread); [] without a pool. */
export function wasmThreadStats(): number[] {
  return pool ? pool.chunksBySlot() : [];
}

/** Changes tunables (tests force splitting of small shapes; benchmarks sweep them). */
export function setWasmThreadOptions(changes: Partial<WasmThreadOptions>): WasmThreadOptions {
  for (const [key, value] of Object.entries(changes) as [keyof WasmThreadOptions, number][]) {
    if (!(key in DEFAULTS)) throw new Error(`setWasmThreadOptions: unknown option '${key}'; known: ${Object.keys(DEFAULTS).join(', ')}`);
    if (typeof value !== 'number' || !(value >= 0)) throw new RangeError(`setWasmThreadOptions: ${key} must be a number ≥ 0, got ${value}`);
    options[key] = value;
  }
  pool?.setSpinMicros(options.spinMicros);
  return { ...options };
}

/** The current tunables. */
export function wasmThreadOptions(): Readonly<WasmThreadOptions> {
  return options;
}

/** The defaults, for tests that restore them. */
export const WASM_THREAD_DEFAULTS: Readonly<WasmThreadOptions> = DEFAULTS;

/** Where and on how many threads a kernel runs when it is split. */
export interface Split {
  readonly pool: ThreadPool;
  readonly heap: WasmHeap;
  /** Threads that can take chunks now (≥ 2). */
  readonly threads: number;
}

function split(): Split | null {
  const p = activePool();
  if (!p) return null;
  const threads = p.participants();
  if (threads < 2) return null;
  p.wake(); // while the caller copies the operands in
  return { pool: p, heap: p.heap, threads };
}

/** A split for a GEMM of `flops`, or null to run it on one thread. */
export function gemmSplit(flops: number): Split | null {
  return requested > 1 && flops >= options.gemmMinFlops ? split() : null;
}

/** A split for element-wise/reduction work over `elements`, or null to run it on one thread. */
export function elementwiseSplit(elements: number): Split | null {
  return requested > 1 && elements >= options.elementwiseMinElements ? split() : null;
}

/**
 * Splits `length` into `parts` ranges whose sizes are multiples of `unit` (the last one takes
 * the rest): returns the range size; ceil(length / size) ranges.
 */
export function chunkSize(length: number, parts: number, unit: number): number {
  const size = Math.ceil(length / parts);
  return Math.max(unit, Math.ceil(size / unit) * unit);
}
