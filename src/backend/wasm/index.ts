/**
 * The `wasm` backend: float32 SGEMM, element-wise and reduction kernels in WebAssembly SIMD
 * (AssemblyScript sources in ./assembly, built by scripts/build-wasm.mjs). Kernels it does not
 * provide, and float64/int32 inputs, run on the js reference kernels.
 */
import { registerBackend, registerKernel } from '../registry.js';
import { binary, reduce, unary } from './elementwise.js';
import { matmul } from './matmul.js';
import { getWasm, memoryBytes, simdSupported } from './module.js';

registerBackend({
  name: 'wasm',
  isAvailable: simdSupported,
  initialize: () => { getWasm(); },
  describe: () => ({ backend: 'wasm', simd: true, threads: 1, memoryBytes: memoryBytes() }),
});
registerKernel('matmul', 'wasm', matmul);
registerKernel('binary', 'wasm', binary);
registerKernel('unary', 'wasm', unary);
registerKernel('reduce', 'wasm', reduce);

export { matmul as wasmMatmul } from './matmul.js';
export { binary as wasmBinary, reduce as wasmReduce, unary as wasmUnary } from './elementwise.js';
export { memoryBytes as wasmMemoryBytes, simdSupported as wasmSimdSupported } from './module.js';
