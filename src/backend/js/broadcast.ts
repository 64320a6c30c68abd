/** Broadcast iteration shared by the js element-wise kernels. */
import type { Shape } from '../../core/shape.js';

/**
 * Strides of `inShape` aligned to `outShape` (right-aligned, as NumPy), with 0 where the
 * input dimension is broadcast.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = inShape.length - 1; i >= 0; i--) {
    const o = i + rank - inShape.length;
    strides[o] = inShape[i] === 1 ? 0 : s;
    s *= inShape[i];
  }
  return strides;
}

/**
 * Calls `body(outIndex, offsets...)` for each output element in row-major order, where each
 * offset is the element's position in the corresponding (broadcast) input. Iterative odometer;
 * the innermost dimension runs as a tight loop in the caller through `inner`.
 */
export function forEachBroadcast(
  outShape: Shape,
  inputShapes: readonly Shape[],
  inner: (outStart: number, count: number, offsets: number[], innerStrides: number[]) => void,
): void {
  const rank = outShape.length;
  const k = inputShapes.length;
  let total = 1;
  for (const d of outShape) total *= d;
  if (total === 0) return;
  if (rank === 0) {
    inner(0, 1, new Array<number>(k).fill(0), new Array<number>(k).fill(0));
    return;
  }
  const strides = inputShapes.map((s) => broadcastStrides(s, outShape));
  const last = rank - 1;
  const n = outShape[last];
  const innerStrides = strides.map((s) => s[last]);
  const index = new Array<number>(rank).fill(0);
  const offsets = new Array<number>(k).fill(0);
  for (let out = 0; out < total; out += n) {
    inner(out, n, offsets, innerStrides);
    // advance the odometer over dimensions [0, last)
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      for (let j = 0; j < k; j++) offsets[j] += strides[j][d];
      if (index[d] < outShape[d]) break;
      for (let j = 0; j < k; j++) offsets[j] -= strides[j][d] * outShape[d];
      index[d] = 0;
    }
  }
}
