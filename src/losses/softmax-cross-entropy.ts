/**
 * Numerically stable cross-entropies on logits: the building blocks of the cross-entropy losses
 * (TensorFlow's `softmax_cross_entropy_with_logits`, `sparse_softmax_cross_entropy_with_logits`
 * and `sigmoid_cross_entropy_with_logits`). Composites of primitives for now; a fused kernel
 * (one pass, gradient softmax − onehot) can replace them once a benchmark shows it pays.
 */
import * as o from '../core/ops.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, toTensor, type TensorLike } from '../core/tensor.js';
import { logSoftmax } from '../functional/math.js';
import { alignPair, floatPrediction, sparseLabels } from './validate.js';

/**
 * −Σ_c labels_c · log softmax(logits)_c over the last axis; shape logits.shape[:-1].
 *
 * `labels` are either integer class indices (shape logits.shape[:-1], or with a trailing 1) or a
 * distribution over classes (one-hot or smoothed, same shape as logits). Stable for logits of
 * ±1000: logSoftmax subtracts the row maximum before exp (Bridle, 1990; TF's fused op does the
 * same), so the loss and its gradient softmax − labels stay finite.
 */
export function softmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike,
  where = 'softmaxCrossEntropyWithLogits'): Tensor {
  const z = floatPrediction(logits, where);
  const l = toTensor(labels, where, 'int32');
  // same rank and not a trailing 1 (or identical shapes): a distribution over classes
  const dense = shapesEqual(l.shape, z.shape) || (l.rank === z.rank && l.rank > 0 && l.shape[l.rank - 1] !== 1);
  if (dense) {
    const [t] = alignPair(l, z, where);
    return o.neg(o.sum(o.mul(t, logSoftmax(z, -1)), -1));
  }
  // sparse labels: the fused kernel (labels are constants; its gradient is softmax − onehot)
  return o.sparseSoftmaxCrossEntropy(z, sparseLabels(l, z, where));
}

/**
 * Element-wise binary cross-entropy of `labels` against σ(logits):
 *   max(z, 0) − z·y + log(1 + e^−|z|)          (TF's sigmoid_cross_entropy_with_logits)
 * e^−|z| ≤ 1 never overflows, so logits of ±1000 give finite values and gradients.
 *
 * NOTE: max(z, 0) is written (z + |z|)/2. With the tape's abs'(0) = 0 and relu'(0) = 0 the
 * naive form would give the gradient −y at z = 0 instead of σ(0) − y = ½ − y; the half-sum
 * form gives ½ from the `z/2` term, and log(1 + e^−|z|) contributes 0 there, which is exact.
 */
export function sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  const absZ = o.abs(logits);
  const positivePart = o.mul(o.add(logits, absZ), 0.5);
  return o.add(o.sub(positivePart, o.mul(logits, labels)), o.log(o.add(o.exp(o.neg(absZ)), 1)));
}
