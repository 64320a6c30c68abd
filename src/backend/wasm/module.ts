/**
 * The gradflow wasm module: synchronous instantiation from embedded base64 bytes (no fs, no
 * fetch: works in Node and browsers), WebAssembly SIMD detection, and the scratch arenas.
 *
 * Memory model: tensors stay JS typed arrays. A kernel call resets an arena, bump-allocates
 * its operands and workspace, copies the operands in, runs, and copies the result out. The
 * arena is reused by every call, so linear memory only grows to the high-water mark of the
 * largest call and then stays flat for the rest of training. memory.grow replaces the
 * ArrayBuffer, so views are always obtained through f32()/heapF32() after allocating.
 *
 * Two instances of the same kernels: the single-threaded one owns an ordinary memory; the
 * shared one (created by the thread pool, pool.ts) runs over a shared WebAssembly.Memory that
 * every worker instantiates the module on. Calls that are not split across threads always use
 * the first: V8 copies typed arrays in and out of a SharedArrayBuffer 10-50% slower (relaxed
 * atomic memcpy), which would tax every small kernel of a training step (see docs/threads.md).
 */
import { outputArray } from '../../core/buffers.js';
import { WASM_BASE64, WASM_SHARED_BASE64 } from './wasm-binary.generated.js';

/** Exports of src/backend/wasm/assembly/index.ts (pointers are byte offsets). */
export interface GradflowWasmExports {
  /** The instance's memory (the shared variant exports the shared memory it imported). */
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  sgemm(m: number, n: number, k: number, a: number, transA: number, b: number, transB: number,
    c: number, work: number): void;
  sgemmWorkspaceBytes(m: number, n: number, k: number): number;
  /** 0: the K block for `k`; 1: the M block limit; 2: the N block limit. */
  sgemmBlocking(which: number, k: number): number;
  setBlocking(kc: number, mc: number, nc: number): void;
  sgemmPackedBBytes(n: number, k: number, kc: number, ncLimit: number): number;
  sgemmPackedBBlocks(n: number, k: number, kc: number, ncLimit: number): number;
  binaryF32(op: number, a: number, aRowStride: number, aScalar: number, b: number,
    bRowStride: number, bScalar: number, out: number, rows: number, cols: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  reduceF32(op: number, x: number, out: number, outer: number, red: number, inner: number,
    acc: number): void;
  /** In-place SGD step on float32 arrays (v = 0: no momentum). */
  sgdF32(w: number, g: number, v: number, n: number, lr: number, mu: number, nesterov: number): void;
  /** In-place Adam step on float32 arrays, f64 arithmetic (vhat = 0: no AMSGrad). */
  adamF32(w: number, g: number, m: number, v: number, vhat: number, n: number, alpha: number, c1: number,
    c2: number, eps: number): void;
  /** Batch norm forward over [rows, cols] float32 (gamma, beta: 0 when absent); f64 statistics. */
  batchNormF32(x: number, gamma: number, beta: number, y: number, mean: number, variance: number, s1: number,
    s2: number, rows: number, cols: number, eps: number): void;
  /** Its backward (dx, dgamma, dbeta: 0 when not needed; work: 5·cols f64). */
  batchNormGradF32(x: number, gamma: number, mean: number, variance: number, dy: number, dx: number, dgamma: number,
    dbeta: number, work: number, rows: number, cols: number, eps: number): void;
  /** Chunk `index` of the job descriptor at `job` (assembly/parallel.ts), as thread `slot`. */
  runChunk(job: number, index: number, slot: number): void;
}

// (module (func (result v128) i32.const 0 i32x4.splat)): validates only where SIMD exists.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //       type section: () -> v128
  0x03, 0x02, 0x01, 0x00, //                         function section
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // code: i32.const 0; i32x4.splat
]);

const PAGE = 65536;
/** Maximum sizes tried for the shared memory, in pages (4 GiB, 1 GiB, 256 MiB). */
const SHARED_MAXIMUM_PAGES = [65536, 16384, 4096];

let simd: boolean | undefined;

/** Whether this engine has WebAssembly with 128-bit SIMD. */
export function simdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** Decodes base64 without Buffer (browser-safe); atob exists in browsers and Node >= 16. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** One instance of the kernels and the scratch arena over its linear memory. */
export class WasmHeap {
  private top: number;
  private viewF32: Float32Array | undefined;
  private viewF64: Float64Array | undefined;
  private viewU32: Uint32Array | undefined;

  constructor(readonly exports: GradflowWasmExports, readonly memory: WebAssembly.Memory,
    private readonly maximumBytes: number) {
    this.top = exports.heapBase();
  }

  /** Frees every arena allocation (the start of each kernel call). */
  reset(): void {
    this.top = this.exports.heapBase();
  }

  /**
   * Bump-allocates `bytes` (16-byte aligned) and grows linear memory if needed. Views taken
   * before this call may be stale: take them with f32()/f64()/u32() afterwards.
   */
  alloc(bytes: number): number {
    const ptr = this.top;
    const top = Math.ceil((ptr + bytes) / 16) * 16; // not `& ~15`: offsets may exceed 2^31
    const have = this.memory.buffer.byteLength;
    if (top > have) {
      if (top > this.maximumBytes) {
        throw new RangeError(`wasm backend: a kernel needs ${mib(top)} of WebAssembly memory, ` +
          `more than its maximum of ${mib(this.maximumBytes)}; use the js backend for tensors this large`);
      }
      this.memory.grow(Math.ceil((top - have) / PAGE));
    }
    this.top = top;
    return ptr;
  }

  /** A Float32Array over all of linear memory, recreated when memory.grow replaced the buffer. */
  f32(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.viewF32?.buffer !== buffer) this.viewF32 = new Float32Array(buffer);
    return this.viewF32;
  }

  f64(): Float64Array {
    const buffer = this.memory.buffer;
    if (this.viewF64?.buffer !== buffer) this.viewF64 = new Float64Array(buffer);
    return this.viewF64;
  }

  u32(): Uint32Array {
    const buffer = this.memory.buffer;
    if (this.viewU32?.buffer !== buffer) this.viewU32 = new Uint32Array(buffer);
    return this.viewU32;
  }

  /**
   * Copies `n` floats at byte address `ptr` out of wasm memory into a kernel output array
   * (core/buffers.ts outputArray: from the training step's pool where one is active).
   * NOTE: `f32().slice()` takes a slow element-wise path on wasm-memory-backed arrays in
   * V8 (0.57 ms for 940 KB here); a fresh array filled with `set(subarray)` is a memcpy (0.09 ms).
   */
  copyOutF32(ptr: number, n: number): Float32Array {
    const out = outputArray('float32', n) as Float32Array;
    out.set(this.f32().subarray(ptr / 4, ptr / 4 + n));
    return out;
  }

  /** Bytes of linear memory currently reserved. */
  bytes(): number {
    return this.memory.buffer.byteLength;
  }
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Imports of the module besides the memory (none today; abort in case a build adds it). */
export const WASM_ENV = { abort: (): never => { throw new Error('wasm backend: abort'); } };

let single: WasmHeap | undefined;
let sharedModule: WebAssembly.Module | undefined;

/** The single-threaded instance (compiled synchronously on first use; the binary is ~8 KB). */
export function singleHeap(): WasmHeap {
  if (!single) {
    if (!simdSupported()) throw new Error('wasm backend: this engine lacks WebAssembly SIMD');
    const module = new WebAssembly.Module(decodeBase64(WASM_BASE64));
    const instance = new WebAssembly.Instance(module, { env: WASM_ENV });
    const exports = instance.exports as unknown as GradflowWasmExports;
    single = new WasmHeap(exports, exports.memory, 65536 * PAGE);
  }
  return single;
}

/** The compiled shared-memory variant (workers receive it by postMessage: compiled once). */
export function sharedWasmModule(): WebAssembly.Module {
  if (!simdSupported()) throw new Error('wasm backend: this engine lacks WebAssembly SIMD');
  sharedModule ??= new WebAssembly.Module(decodeBase64(WASM_SHARED_BASE64));
  return sharedModule;
}

/**
 * Why shared WebAssembly memory cannot be used here, or null when it can. In browsers it needs
 * cross-origin isolation (COOP/COEP headers); without it SharedArrayBuffer is missing.
 */
export function sharedMemoryUnavailableReason(): string | null {
  if (!simdSupported()) return 'this engine lacks WebAssembly SIMD';
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return 'SharedArrayBuffer is unavailable (in browsers it needs cross-origin isolation: ' +
      'serve the page with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return 'the page is not cross-origin isolated (COOP/COEP headers), so memory cannot be shared with workers';
  return null;
}

/**
 * A new instance over a new shared memory (declared maximum 4 GiB; engines that cannot reserve
 * that much address space, e.g. 32-bit browsers, get a smaller maximum).
 */
export function createSharedHeap(): WasmHeap {
  const module = sharedWasmModule();
  let memory: WebAssembly.Memory | undefined;
  let maximum = 0;
  let lastError: unknown;
  for (const pages of SHARED_MAXIMUM_PAGES) {
    try {
      memory = new WebAssembly.Memory({ initial: 1, maximum: pages, shared: true });
      maximum = pages;
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!memory) throw new Error(`wasm backend: cannot create a shared WebAssembly memory (${String(lastError)})`);
  const instance = new WebAssembly.Instance(module, { env: { ...WASM_ENV, memory } });
  return new WasmHeap(instance.exports as unknown as GradflowWasmExports, memory, maximum * PAGE);
}

// The single-threaded instance under the names the kernels have always used.

/** The single-threaded instance's exports. */
export function getWasm(): GradflowWasmExports {
  return singleHeap().exports;
}

/** Frees every arena allocation (the start of each kernel call). */
export function arenaReset(): void {
  singleHeap().reset();
}

/** See WasmHeap.alloc. */
export function arenaAlloc(bytes: number): number {
  return singleHeap().alloc(bytes);
}

export function heapF32(): Float32Array {
  return singleHeap().f32();
}

export function heapF64(): Float64Array {
  return singleHeap().f64();
}

/** Bytes of linear memory currently reserved (for describe() and memory-flatness tests). */
export function memoryBytes(): number {
  return single ? single.bytes() : 0;
}

/** See WasmHeap.copyOutF32. */
export function copyOutF32(ptr: number, n: number): Float32Array {
  return singleHeap().copyOutF32(ptr, n);
}
