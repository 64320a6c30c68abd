/**
 * Entry point of the gradflow wasm module (AssemblyScript, compiled by scripts/build-wasm.mjs
 * with --runtime stub: no GC, no allocator; JS lays out operands in linear memory and passes
 * pointers). Built twice: with its own memory (exported) for the single-threaded path, and
 * over an imported shared memory for the thread pool (every thread instantiates it on the
 * same memory). Exports the kernels below.
 */
export { sgemm, sgemmRange, sgemmWorkspaceBytes, sgemmBlocking, sgemmPackedBBytes, sgemmPackedBBlocks,
  setBlocking } from './sgemm';
export { binaryF32, unaryF32 } from './elementwise';
export { reduceF32, reduceColumnsF32 } from './reduce';
export { sgdF32, adamF32 } from './optimizers';
export { batchNormF32, batchNormGradF32 } from './batch-norm';
export { runChunk } from './parallel';

/** First free byte after static data: the JS scratch arena starts here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
