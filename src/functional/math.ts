/**
 * Numerically stable composites built from primitives. Their gradients come from the
 * primitives' rules; each is gradient-checked in float64.
 */
import * as o from '../core/ops.js';
import { normalizeAxes, normalizeAxis } from '../core/shape.js';
import { toTensor, type Tensor, type TensorLike } from '../core/tensor.js';

export const square = (x: TensorLike): Tensor => { const t = toTensor(x, 'square'); return o.mul(t, t); };

/**
 * σ(x) = ½·tanh(x/2) + ½: exact identity with no overflow for any x (1/(1+e^−x) overflows
 * e^−x for x < −88 in float32, and a where() of two branches leaks NaN gradients).
 */
export function sigmoid(x: TensorLike): Tensor {
  const logits = toTensor(x, 'sigmoid');
  const out = o.add(o.mul(o.tanh(o.mul(logits, 0.5)), 0.5), 0.5);
  out.sourceLogits = { kind: 'sigmoid', logits };
  return out;
}

/** NOTE: relu'(0) = 0, as Keras/TensorFlow. A fused primitive: the hottest activation. */
export const relu = (x: TensorLike): Tensor => o.relu(x);

/**
 * softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|), stable for large |x|.
 * NOTE: max(x, 0) is written (x + |x|)/2 so that the gradient at 0 is exactly σ(0) = ½
 * (relu'(0) = abs'(0) = 0 would give 0 there).
 */
export function softplus(x: TensorLike): Tensor {
  const t = toTensor(x, 'softplus');
  const absT = o.abs(t);
  return o.add(o.mul(o.add(t, absT), 0.5), o.log(o.add(o.exp(o.neg(absT)), 1)));
}

/** log Σ exp(x) along `axis`, shifted by the (gradient-stopped) max so ±1000 stays finite. */
export function logSumExp(x: TensorLike, axis: number | number[] = -1, keepDims = false): Tensor {
  const t = toTensor(x, 'logSumExp');
  normalizeAxes(axis, t.rank, 'logSumExp');
  const m = o.stopGradient(o.max(t, axis, true));
  // a row of -Infinity gives m = -Infinity; shift by 0 there instead of producing NaN
  const shift = o.where(o.equal(o.abs(m), Infinity), 0, m);
  const lse = o.add(o.log(o.sum(o.exp(o.sub(t, shift)), axis, true)), shift);
  if (keepDims) return lse;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(a, t.rank, 'logSumExp'));
  return o.reshape(lse, t.shape.filter((_, i) => !axes.includes(i)));
}

/** Softmax along `axis` (default last), computed on max-shifted inputs. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x, 'softmax');
  normalizeAxis(axis, t.rank, 'softmax');
  if (normalizeAxis(axis, t.rank, 'softmax') === t.rank - 1 && t.dtype !== 'int32') {
    const out = o.softmaxLastAxis(t); // one fused kernel for the common case
    out.sourceLogits = { kind: 'softmax', logits: t };
    return out;
  }
  const e = o.exp(o.sub(t, o.stopGradient(o.max(t, axis, true))));
  return o.div(e, o.sum(e, axis, true));
}

/** log softmax along `axis`: x − logSumExp(x), stable for inputs of ±1000. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x, 'logSoftmax');
  normalizeAxis(axis, t.rank, 'logSoftmax');
  return o.sub(t, logSumExp(t, axis, true));
}

/** Population variance along axes (as NumPy's var with ddof 0). */
export function variance(x: TensorLike, axes?: number | number[], keepDims = false): Tensor {
  const t = toTensor(x, 'variance');
  normalizeAxes(axes, t.rank, 'variance');
  const d = o.sub(t, o.mean(t, axes, true));
  return o.mean(o.mul(d, d), axes, keepDims);
}
