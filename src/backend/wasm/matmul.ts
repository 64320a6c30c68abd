/**
 * wasm matmul kernel: batched float32 SGEMM through the packed SIMD kernel in
 * assembly/sgemm.ts. Other dtypes go to the js reference kernel.
 */
import type { DataArray, DType } from '../../core/dtype.js';
import type { TensorInfo } from '../backend.js';
import { kernelsFor } from '../registry.js';
import { arenaAlloc, arenaReset, copyOutF32, getWasm, heapF32 } from './module.js';

export function matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, dtype: DType): DataArray {
  if (dtype !== 'float32' || !(a.data instanceof Float32Array) || !(b.data instanceof Float32Array)) {
    return kernelsFor('js').matmul(a, b, transA, transB, dtype);
  }
  const [batchA, a1, a2] = a.shape;
  const [batchB, b1, b2] = b.shape;
  const M = transA ? a2 : a1, K = transA ? a1 : a2;
  const N = transB ? b1 : b2;
  const batch = Math.max(batchA, batchB);
  const outSize = batch * M * N;
  if (outSize === 0 || K === 0) return new Float32Array(outSize);
  const w = getWasm();
  arenaReset();
  const pa = arenaAlloc(a.data.length * 4);
  const pb = arenaAlloc(b.data.length * 4);
  const pc = arenaAlloc(outSize * 4);
  const work = arenaAlloc(w.sgemmWorkspaceBytes(M, N, K));
  const heap = heapF32(); // after the last alloc: earlier views may be detached by growth
  heap.set(a.data, pa / 4);
  heap.set(b.data, pb / 4);
  const strideA = M * K * 4, strideB = K * N * 4, strideC = M * N * 4;
  for (let t = 0; t < batch; t++) {
    w.sgemm(M, N, K, pa + (batchA === 1 ? 0 : t * strideA), transA ? 1 : 0,
      pb + (batchB === 1 ? 0 : t * strideB), transB ? 1 : 0, pc + t * strideC, work);
  }
  return copyOutF32(pc, outSize);
}
