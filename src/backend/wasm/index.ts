/**
 * The `wasm` backend: float32 SGEMM, element-wise and reduction kernels in WebAssembly SIMD
 * (AssemblyScript sources in ./assembly, built by scripts/build-wasm.mjs), on one thread or
 * split across a pool of workers over shared memory (threads.ts; docs/threads.md). Kernels it
 * does not provide, and float64/int32 inputs, run on the js reference kernels.
 */
import type { BackendInfo } from '../backend.js';
import { registerBackend, registerKernel } from '../registry.js';
import { binary, reduce, unary } from './elementwise.js';
import { batchNorm, batchNormGrad } from './batch-norm.js';
import { matmul } from './matmul.js';
import { adamUpdate, sgdUpdate } from './optimizers.js';
import { getWasm, memoryBytes, simdSupported } from './module.js';
import { getWasmThreads, setWasmThreads, threadsUnavailableReason } from './threads.js';

/** The registry's BackendInfo plus thread control (src/node.ts applies setNumThreads to it). */
export interface WasmBackendInfo extends BackendInfo {
  setNumThreads(n: number): void;
  getNumThreads(): number;
}

const info: WasmBackendInfo = {
  name: 'wasm',
  isAvailable: simdSupported,
  initialize: () => { getWasm(); },
  setNumThreads: setWasmThreads,
  getNumThreads: getWasmThreads,
  describe: () => {
    const unavailable = threadsUnavailableReason();
    return {
      backend: 'wasm', simd: true, threads: getWasmThreads(), memoryBytes: memoryBytes(),
      ...(unavailable ? { threadsUnavailable: unavailable } : {}),
    };
  },
};
registerBackend(info);
registerKernel('matmul', 'wasm', matmul);
registerKernel('binary', 'wasm', binary);
registerKernel('unary', 'wasm', unary);
registerKernel('reduce', 'wasm', reduce);
registerKernel('sgdUpdate', 'wasm', sgdUpdate);
registerKernel('adamUpdate', 'wasm', adamUpdate);
registerKernel('batchNorm', 'wasm', batchNorm);
registerKernel('batchNormGrad', 'wasm', batchNormGrad);

export { matmul as wasmMatmul } from './matmul.js';
export { binary as wasmBinary, reduce as wasmReduce, unary as wasmUnary } from './elementwise.js';
export { memoryBytes as wasmMemoryBytes, simdSupported as wasmSimdSupported } from './module.js';
export {
  setWasmThreads, getWasmThreads, wasmThreadsReady, wasmThreadStats, setWasmThreadOptions,
  wasmThreadOptions, threadsUnavailableReason as wasmThreadsUnavailableReason, WASM_THREAD_DEFAULTS,
  type WasmThreadOptions,
} from './threads.js';
