/**
 * The gradflow wasm module: synchronous instantiation from embedded base64 bytes (no fs, no
 * fetch: works in Node and browsers), WebAssembly SIMD detection, and the scratch arena.
 *
 * Memory model: tensors stay JS typed arrays. A kernel call resets the arena, bump-allocates
 * its operands and workspace, copies the operands in, runs, and copies the result out. The
 * arena is reused by every call, so linear memory only grows to the high-water mark of the
 * largest call and then stays flat for the rest of training. memory.grow detaches the old
 * ArrayBuffer, so views are always obtained through heapF32()/heapF64() after allocating.
 */
import { WASM_BASE64 } from './wasm-binary.generated.js';

/** Exports of src/backend/wasm/assembly/index.ts (pointers are byte offsets). */
export interface GradflowWasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  sgemm(m: number, n: number, k: number, a: number, transA: number, b: number, transB: number,
    c: number, work: number): void;
  sgemmWorkspaceBytes(m: number, n: number, k: number): number;
  setBlocking(kc: number, mc: number, nc: number): void;
  binaryF32(op: number, a: number, aRowStride: number, aScalar: number, b: number,
    bRowStride: number, bScalar: number, out: number, rows: number, cols: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  reduceF32(op: number, x: number, out: number, outer: number, red: number, inner: number,
    acc: number): void;
}

// (module (func (result v128) i32.const 0 i32x4.splat)): validates only where SIMD exists.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, //       type section: () -> v128
  0x03, 0x02, 0x01, 0x00, //                         function section
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // code: i32.const 0; i32x4.splat
]);

const PAGE = 65536;

let simd: boolean | undefined;
let wasm: GradflowWasmExports | undefined;
let top = 0;
let f32: Float32Array | undefined;
let f64: Float64Array | undefined;

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

/** The instantiated module (compiled synchronously on first use; the binary is ~10 KB). */
export function getWasm(): GradflowWasmExports {
  if (!wasm) {
    if (!simdSupported()) throw new Error('wasm backend: this engine lacks WebAssembly SIMD');
    const module = new WebAssembly.Module(decodeBase64(WASM_BASE64));
    const instance = new WebAssembly.Instance(module, {
      env: { abort: () => { throw new Error('wasm backend: abort'); } },
    });
    wasm = instance.exports as unknown as GradflowWasmExports;
    top = wasm.heapBase();
  }
  return wasm;
}

/** Frees every arena allocation (the start of each kernel call). */
export function arenaReset(): void {
  top = getWasm().heapBase();
}

/**
 * Bump-allocates `bytes` (16-byte aligned) and grows linear memory if needed. Views taken
 * before this call may be detached: take them with heapF32()/heapF64() afterwards.
 */
export function arenaAlloc(bytes: number): number {
  const w = getWasm();
  const ptr = top;
  top = Math.ceil((ptr + bytes) / 16) * 16; // not `& ~15`: offsets may exceed 2^31
  const have = w.memory.buffer.byteLength;
  if (top > have) w.memory.grow(Math.ceil((top - have) / PAGE));
  return ptr;
}

/** A Float32Array over all of linear memory, recreated when memory.grow replaced the buffer. */
export function heapF32(): Float32Array {
  const buffer = getWasm().memory.buffer;
  if (!f32 || f32.buffer !== buffer) f32 = new Float32Array(buffer);
  return f32;
}

export function heapF64(): Float64Array {
  const buffer = getWasm().memory.buffer;
  if (!f64 || f64.buffer !== buffer) f64 = new Float64Array(buffer);
  return f64;
}

/** Bytes of linear memory currently reserved (for describe() and memory-flatness tests). */
export function memoryBytes(): number {
  return wasm ? wasm.memory.buffer.byteLength : 0;
}

/**
 * Copies `n` floats at byte address `ptr` out of wasm memory into a new array.
 * NOTE: `heapF32().slice()` takes a slow element-wise path on wasm-memory-backed arrays in
 * V8 (0.57 ms for 940 KB here); a fresh array filled with `set(subarray)` is a memcpy (0.09 ms).
 */
export function copyOutF32(ptr: number, n: number): Float32Array {
  const out = new Float32Array(n);
  out.set(heapF32().subarray(ptr / 4, ptr / 4 + n));
  return out;
}
