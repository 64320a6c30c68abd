/**
 * Argument checks shared by losses and metrics: shape alignment of (yTrue, yPred) as Keras'
 * `squeeze_or_expand_to_same_rank`, dtype alignment (yTrue takes yPred's float dtype), and
 * integer class labels for the sparse variants. Errors name the loss/metric and both shapes.
 */
import * as o from '../core/ops.js';
import { isFloat } from '../core/dtype.js';
import { formatShape, shapesEqual } from '../core/shape.js';
import { Tensor, toTensor, type TensorLike } from '../core/tensor.js';

/** yPred as a float tensor (an int32 prediction is computed in float32). */
export function floatPrediction(yPred: TensorLike, where: string): Tensor {
  const p = toTensor(yPred, where);
  return isFloat(p.dtype) ? p : o.cast(p, 'float32');
}

/**
 * (yTrue, yPred) with equal shapes and yPred's float dtype. As Keras, a trailing dimension of
 * size 1 on either side is squeezed/expanded when the ranks differ by one ([batch] vs
 * [batch, 1]); anything else that differs is an error (Keras would broadcast silently, which
 * hides bugs such as labels [batch] against predictions [batch, classes]).
 */
export function alignPair(yTrue: TensorLike, yPred: TensorLike, where: string): [Tensor, Tensor] {
  const p = floatPrediction(yPred, where);
  let t = toTensor(yTrue, where, p.dtype);
  if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1) t = o.reshape(t, t.shape.slice(0, -1));
  else if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1) t = o.reshape(t, [...t.shape, 1]);
  if (!shapesEqual(t.shape, p.shape)) {
    throw new RangeError(`${where}: yTrue has shape ${formatShape(toTensor(yTrue, where).shape)} but yPred has shape ` +
      `${formatShape(p.shape)}; they must match (a trailing dimension of 1 may differ)`);
  }
  if (p.rank === 0) throw new RangeError(`${where}: yPred must have at least one dimension, got a scalar`);
  return [t.dtype === p.dtype ? t : o.cast(t, p.dtype), p];
}

/**
 * Integer class labels for the sparse variants: shape yPred.shape[:-1] (or with a trailing 1),
 * int32 or integral floats, each in [0, classes). Returns int32 labels of shape yPred.shape[:-1].
 */
export function sparseLabels(yTrue: TensorLike, yPred: Tensor, where: string): Tensor {
  let t = toTensor(yTrue, where, 'int32');
  if (yPred.rank === 0) throw new RangeError(`${where}: yPred must have a class dimension, got a scalar`);
  const batchShape = yPred.shape.slice(0, -1);
  if (t.rank === yPred.rank && t.shape[t.rank - 1] === 1) t = o.reshape(t, t.shape.slice(0, -1));
  if (!shapesEqual(t.shape, batchShape)) {
    throw new RangeError(`${where}: yTrue has shape ${formatShape(toTensor(yTrue, where).shape)} but yPred has shape ` +
      `${formatShape(yPred.shape)}; sparse labels need shape ${formatShape(batchShape)} or ${formatShape([...batchShape, 1])}`);
  }
  const classes = yPred.shape[yPred.rank - 1];
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v)) {
      throw new TypeError(`${where}: labels must be integer class indices, got ${v} at position ${i}`);
    }
    if (v < 0 || v >= classes) {
      throw new RangeError(`${where}: label ${v} at position ${i} is out of range for ${classes} classes ` +
        `(expected 0 … ${classes - 1})`);
    }
  }
  return t.dtype === 'int32' ? t : o.cast(t, 'int32');
}

/** A number in [lo, hi], or a RangeError naming the option. */
export function checkRange(value: unknown, lo: number, hi: number, option: string, where: string): number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new RangeError(`${where}: ${option} must be a number in [${lo}, ${hi}], got ${String(value)}`);
  }
  return value;
}
