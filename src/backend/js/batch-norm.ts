/**
 * js reference kernels of the fused batch normalization (Ioffe & Szegedy, 2015) over the rows
 * of x [rows, C] (the feature axis last): the training-mode forward with its batch statistics,
 * and the backward in two reductions. Everything accumulates in float64 and each output rounds
 * once; the native kernel performs the same operations in the same order (same bits).
 *
 * Statistics in one pass over x, shifted by the first row: with d = x − x₀,
 *   mean = x₀ + Σd/n,   var = (Σd² − (Σd)²/n)/n   (the biased variance, as Keras);
 * the shift keeps the one-pass formula exact to float64 rounding when |mean| ≫ std.
 */
import type { DataArray } from '../../core/dtype.js';
import { outputArray } from '../../core/buffers.js';
import type { BatchNormGrads, BatchNormStats, TensorInfo } from '../backend.js';

/** [rows, cols] of x viewed as rows of its last axis (the features). */
export const columnsOf = (x: TensorInfo): [number, number] => {
  const cols = x.shape[x.shape.length - 1];
  return [cols === 0 ? 0 : x.data.length / cols, cols];
};

export function batchNorm(x: TensorInfo, gamma: TensorInfo | null, beta: TensorInfo | null, epsilon: number): BatchNormStats {
  const [rows, cols] = columnsOf(x);
  const src = x.data;
  const mean = new Float64Array(cols), variance = new Float64Array(cols);
  const s1 = new Float64Array(cols), s2 = new Float64Array(cols);
  for (let r = 1; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const d = src[base + c] - src[c];
      s1[c] += d;
      s2[c] += d * d;
    }
  }
  const y = outputArray(x.dtype, src.length);
  for (let c = 0; c < cols; c++) {
    mean[c] = rows === 0 ? NaN : src[c] + s1[c] / rows;
    const v = (s2[c] - (s1[c] * s1[c]) / rows) / rows;
    variance[c] = rows === 0 ? NaN : v < 0 ? 0 : v; // rounding can leave a constant column at −0.0…
  }
  const g = gamma?.data, b = beta?.data;
  for (let c = 0; c < cols; c++) s1[c] = (g ? g[c] : 1) / Math.sqrt(variance[c] + epsilon); // scale
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = (src[base + c] - mean[c]) * s1[c];
      y[base + c] = b ? v + b[c] : v;
    }
  }
  return { y, mean, variance };
}

/**
 * dβ = Σ dy, dγ = Σ dy·x̂ over the rows (x̂ = (x − mean)/√(var + ε)), then
 * dx = γ/√(var + ε) · (dy − dβ/n − x̂·dγ/n).
 */
export function batchNormGrad(x: TensorInfo, gamma: TensorInfo | null, mean: Float64Array, variance: Float64Array,
  dy: TensorInfo, epsilon: number, needs: { x: boolean; gamma: boolean; beta: boolean }): BatchNormGrads {
  const [rows, cols] = columnsOf(x);
  const src = x.data, g = dy.data;
  const invStd = new Float64Array(cols), sumDy = new Float64Array(cols), sumDyXhat = new Float64Array(cols);
  for (let c = 0; c < cols; c++) invStd[c] = 1 / Math.sqrt(variance[c] + epsilon);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const d = g[base + c];
      sumDy[c] += d;
      sumDyXhat[c] += d * ((src[base + c] - mean[c]) * invStd[c]);
    }
  }
  let dx: DataArray | null = null;
  if (needs.x) {
    dx = outputArray(dy.dtype, g.length);
    const gm = gamma?.data;
    const scale = new Float64Array(cols), meanDy = new Float64Array(cols), meanDyXhat = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      scale[c] = (gm ? gm[c] : 1) * invStd[c];
      meanDy[c] = sumDy[c] / rows;
      meanDyXhat[c] = sumDyXhat[c] / rows;
    }
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) {
        const xhat = (src[base + c] - mean[c]) * invStd[c];
        dx[base + c] = scale[c] * ((g[base + c] - meanDy[c]) - xhat * meanDyXhat[c]);
      }
    }
  }
  let dgamma: DataArray | null = null, dbeta: DataArray | null = null;
  if (needs.gamma) {
    dgamma = outputArray(dy.dtype, cols);
    for (let c = 0; c < cols; c++) dgamma[c] = sumDyXhat[c];
  }
  if (needs.beta) {
    dbeta = outputArray(dy.dtype, cols);
    for (let c = 0; c < cols; c++) dbeta[c] = sumDy[c];
  }
  return { dx, dgamma, dbeta };
}
