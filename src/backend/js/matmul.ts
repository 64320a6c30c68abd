/**
 * js reference matmul: batched, all transpose forms. i-k-j loop order so the innermost loop
 * walks contiguous rows of B and C (transposed operands are copied to the plain layout first).
 * Accumulates in the output's precision; float64 gives reference results for gradient checks.
 */
import type { DataArray, DType } from '../../core/dtype.js';
import { zeroedOutputArray } from '../../core/buffers.js';
import type { TensorInfo } from '../backend.js';
import { transposeData } from './reduce.js';

export function matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, dtype: DType): DataArray {
  const [batchA, a1, a2] = a.shape;
  const [batchB, b1, b2] = b.shape;
  const M = transA ? a2 : a1, K = transA ? a1 : a2;
  const N = transB ? b1 : b2;
  const batch = Math.max(batchA, batchB);
  const out = zeroedOutputArray(dtype, batch * M * N); // accumulated into
  const plainA = transA ? transposeData(a, [0, 2, 1]) : a.data;
  const plainB = transB ? transposeData(b, [0, 2, 1]) : b.data;
  for (let t = 0; t < batch; t++) {
    const aOff = (batchA === 1 ? 0 : t) * M * K;
    const bOff = (batchB === 1 ? 0 : t) * K * N;
    const cOff = t * M * N;
    for (let i = 0; i < M; i++) {
      const cRow = cOff + i * N;
      for (let k = 0; k < K; k++) {
        const aik = plainA[aOff + i * K + k];
        const bRow = bOff + k * N;
        for (let j = 0; j < N; j++) out[cRow + j] += aik * plainB[bRow + j];
      }
    }
  }
  return out;
}
