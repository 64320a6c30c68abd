/**
 * Fused softmax and sparse softmax cross-entropy (TF's sparse_softmax_cross_entropy_with_logits):
 * one pass per row instead of a dozen small ops, whose dispatch dominated the loss's cost.
 * Rows are max-shifted (Bridle, 1990), so logits of ±1000 stay finite. Accumulates in float64.
 */
import type { DataArray } from '../../core/dtype.js';
import { outputArray } from '../../core/buffers.js';
import type { TensorInfo } from '../backend.js';

function rowsOf(logits: TensorInfo): [number, number] {
  const classes = logits.shape[logits.shape.length - 1];
  return [classes === 0 ? 0 : logits.data.length / classes, classes];
}

/**
 * The shift of the row at `base`: its max. A row whose max is not finite (all −∞, or a +∞) is
 * not shifted, so NaN/∞ propagate as the composite would.
 */
function rowShift(z: DataArray, base: number, classes: number): number {
  let m = -Infinity;
  for (let c = 0; c < classes; c++) if (z[base + c] > m) m = z[base + c];
  return Number.isFinite(m) ? m : 0;
}

/** Σ exp(z − shift) over the row at `base`. */
function rowExpSum(z: DataArray, base: number, classes: number, shift: number): number {
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(z[base + c] - shift);
  return sum;
}

export function sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataArray {
  const [rows, classes] = rowsOf(logits);
  const z = logits.data, y = labels.data;
  const out = outputArray(logits.dtype, rows);
  for (let r = 0, base = 0; r < rows; r++, base += classes) {
    const shift = rowShift(z, base, classes);
    out[r] = Math.log(rowExpSum(z, base, classes, shift)) + shift - z[base + y[r]];
  }
  return out;
}

/** A float64 row of exponentials, reused across calls (the gradient needs them twice). */
let expRow = new Float64Array(16);

export function sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataArray {
  const [rows, classes] = rowsOf(logits);
  const z = logits.data, y = labels.data, g = dy.data;
  const out = outputArray(logits.dtype, z.length);
  if (expRow.length < classes) expRow = new Float64Array(classes);
  const e = expRow;
  for (let r = 0, base = 0; r < rows; r++, base += classes) {
    const shift = rowShift(z, base, classes);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += (e[c] = Math.exp(z[base + c] - shift));
    const scale = g[r] / sum;
    for (let c = 0; c < classes; c++) out[base + c] = e[c] * scale;
    out[base + y[r]] -= g[r];
  }
  return out;
}

export function softmax(x: TensorInfo): DataArray {
  const [rows, classes] = rowsOf(x);
  const z = x.data;
  const out = outputArray(x.dtype, z.length);
  for (let r = 0, base = 0; r < rows; r++, base += classes) {
    const shift = rowShift(z, base, classes);
    let sum = 0;
    for (let c = 0; c < classes; c++) { const e = Math.exp(z[base + c] - shift); out[base + c] = e; sum += e; }
    for (let c = 0; c < classes; c++) out[base + c] /= sum;
  }
  return out;
}
