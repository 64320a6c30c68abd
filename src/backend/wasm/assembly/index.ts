/**
 * Entry point of the gradflow wasm module (AssemblyScript, compiled by scripts/build-wasm.mjs
 * with --runtime stub: no GC, no allocator; JS lays out operands in linear memory and passes
 * pointers). Exports the exported memory plus the kernels below.
 */
export { sgemm, sgemmWorkspaceBytes, setBlocking } from './sgemm';
export { binaryF32, unaryF32 } from './elementwise';
export { reduceF32 } from './reduce';

/** First free byte after static data: the JS scratch arena starts here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
