/**
 * Where kernel outputs come from, and the training step's buffer pool.
 *
 * Kernels allocate their outputs through `outputArray` / `zeroedOutputArray`. Outside a pool
 * scope these are plain typed arrays owned by the garbage collector, as every tensor is. Inside
 * `withBufferPool(pool, fn)` they come from `pool`, which hands the same arrays out again after
 * `pool.release()`: the training loop runs the backward pass of a step in a pool scope and
 * releases the pool once the optimizer has applied the gradients, so that a steady-state step
 * allocates no gradient memory at all (a fresh 940 KB gradient cost ~100 µs of page faults
 * and GC work per step; see docs/benchmarks.md).
 *
 * NOTE: an array handed out in a pool scope is overwritten after `release()`. Only code that
 * knows every tensor made in the scope is dead by then may open one: the training loop does,
 * for the backward pass (whose tensors no user code sees), and only when no step observer and
 * no user-defined optimizer could keep a gradient.
 */
import { allocate, type DataArray, type DType } from './dtype.js';

const DTYPE_CODE: Record<DType, number> = { float32: 0, float64: 1, int32: 2 };

interface FreeList {
  arrays: DataArray[];
  /** The release count when this size was last handed out. */
  lastUsed: number;
}

/** Per-(dtype, length) free lists of output arrays, refilled by `release()`. */
export class BufferPool {
  private readonly free = new Map<number, FreeList>();
  private inUse: DataArray[] = [];
  private releases = 0;
  /** Arrays created because no free one fitted, and arrays handed out again (telemetry, tests). */
  allocated = 0;
  reused = 0;

  /**
   * An array of `length` elements of `dtype` with unspecified contents; `fresh` makes one when
   * no free array fits (kept for the next release).
   */
  take(dtype: DType, length: number, fresh: (length: number) => DataArray): DataArray {
    const key = length * 3 + DTYPE_CODE[dtype];
    const list = this.free.get(key);
    let out: DataArray;
    if (list && list.arrays.length > 0) {
      out = list.arrays.pop()!;
      list.lastUsed = this.releases;
      this.reused++;
    } else {
      out = fresh(length);
      if (list) list.lastUsed = this.releases;
      else this.free.set(key, { arrays: [], lastUsed: this.releases });
      this.allocated++;
    }
    this.inUse.push(out);
    return out;
  }

  /**
   * Makes every array handed out since the last release available again. Sizes not asked for
   * during the last two steps are dropped (a last, smaller batch must not pin its buffers for
   * good, and varying shapes must not grow the pool without bound).
   */
  release(): void {
    this.releases++;
    for (const a of this.inUse) {
      const key = a.length * 3 + DTYPE_CODE[dtypeOf(a)];
      this.free.get(key)!.arrays.push(a);
    }
    this.inUse = [];
    for (const [key, list] of this.free) if (this.releases - list.lastUsed > 2) this.free.delete(key);
  }

  /** Bytes held by the pool's free lists (after a release: everything it owns). */
  get bytesHeld(): number {
    let bytes = 0;
    for (const list of this.free.values()) for (const a of list.arrays) bytes += a.byteLength;
    return bytes;
  }
}

function dtypeOf(a: DataArray): DType {
  return a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32';
}

let active: BufferPool | null = null;

/** Runs `fn` with kernel outputs drawn from `pool` (see the NOTE above). Scopes nest. */
export function withBufferPool<T>(pool: BufferPool, fn: () => T): T {
  const previous = active;
  active = pool;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The pool of the current scope, or null. */
export function activeBufferPool(): BufferPool | null {
  return active;
}

const zeroed = {
  float32: (n: number): DataArray => new Float32Array(n),
  float64: (n: number): DataArray => new Float64Array(n),
  int32: (n: number): DataArray => new Int32Array(n),
};

/** Makes arrays without zero-filling them (Node: Buffer.allocUnsafeSlow); null: zero-filled. */
export type UninitializedAllocator = (dtype: DType, length: number) => DataArray;
let uninitialized: UninitializedAllocator | null = null;

/**
 * Below this many elements a zero-filled typed array is as cheap (V8 allocates small ones
 * without a separate backing store); above it the fill shows: ~40 µs for an 800 KB batch.
 */
const UNINITIALIZED_MIN_LENGTH = 1024;

/**
 * Installs the allocator that `outputArray` uses for large arrays (the `native` backend
 * installs Node's). Browser-safe default: none.
 */
export function setUninitializedAllocator(allocator: UninitializedAllocator | null): void {
  uninitialized = allocator;
}

function freshArray(dtype: DType, length: number): DataArray {
  return uninitialized !== null && length >= UNINITIALIZED_MIN_LENGTH ? uninitialized(dtype, length) : zeroed[dtype](length);
}

/**
 * A kernel's output array whose every element the kernel writes (its contents are unspecified:
 * stale values from the pool, or uninitialized memory). `fresh` makes a new array; the default
 * is the installed uninitialized allocator for large arrays, else a zero-filled one.
 */
export function outputArray(dtype: DType, length: number, fresh?: (length: number) => DataArray): DataArray {
  if (active) return active.take(dtype, length, fresh ?? ((n) => freshArray(dtype, n)));
  return fresh ? fresh(length) : freshArray(dtype, length);
}

/** A kernel's output array filled with zeros (for kernels that accumulate or leave gaps). */
export function zeroedOutputArray(dtype: DType, length: number): DataArray {
  if (!active) return allocate(dtype, length);
  const out = active.take(dtype, length, zeroed[dtype]);
  out.fill(0);
  return out;
}
