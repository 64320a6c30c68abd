/**
 * Fused softmax and sparse softmax cross-entropy (TF's sparse_softmax_cross_entropy_with_logits):
 * one pass per row instead of a dozen small ops, whose dispatch dominated the loss's cost.
 * Rows are max-shifted (Bridle, 1990), so logits of ±1000 stay finite. Accumulates in float64.
 */
import { allocate, type DataArray } from '../../core/dtype.js';
import type { TensorInfo } from '../backend.js';

function rowsOf(logits: TensorInfo): [number, number] {
  const classes = logits.shape[logits.shape.length - 1];
  return [classes === 0 ? 0 : logits.data.length / classes, classes];
}

export function sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataArray {
  const [rows, classes] = rowsOf(logits);
  const z = logits.data, y = labels.data;
  const out = allocate(logits.dtype, rows);
  for (let r = 0, base = 0; r < rows; r++, base += classes) {
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (z[base + c] > m) m = z[base + c];
    // a row of −∞ (or containing +∞) has no finite shift: let NaN/∞ propagate as the composite would
    const shift = Number.isFinite(m) ? m : 0;
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(z[base + c] - shift);
    out[r] = Math.log(s) + shift - z[base + y[r]];
  }
  return out;
}

export function sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataArray {
  const [rows, classes] = rowsOf(logits);
  const z = logits.data, y = labels.data, g = dy.data;
  const out = allocate(logits.dtype, z.length);
  for (let r = 0, base = 0; r < rows; r++, base += classes) {
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (z[base + c] > m) m = z[base + c];
    const shift = Number.isFinite(m) ? m : 0;
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(z[base + c] - shift);
    const scale = g[r] / s;
    for (let c = 0; c < classes; c++) out[base + c] = Math.exp(z[base + c] - shift) * scale;
    out[base + y[r]] -= g[r];
  }
  return out;
}

export function softmax(x: TensorInfo): DataArray {
  const [rows, classes] = rowsOf(x);
  const z = x.data;
  const out = allocate(x.dtype, z.length);
  for (let r = 0, base = 0; r < rows; r++, base += classes) {
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (z[base + c] > m) m = z[base + c];
    const shift = Number.isFinite(m) ? m : 0;
    let s = 0;
    for (let c = 0; c < classes; c++) { const e = Math.exp(z[base + c] - shift); out[base + c] = e; s += e; }
    for (let c = 0; c < classes; c++) out[base + c] /= s;
  }
  return out;
}
