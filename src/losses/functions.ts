/**
 * Per-sample loss functions with Keras 3 semantics (keras/src/losses/losses.py and
 * keras/src/backend/tensorflow/nn.py): `(yTrue, yPred) => Tensor` reduced over the last axis,
 * so the result has shape yPred.shape[:-1] ([batch] for [batch, features] inputs). The
 * reduction over the batch and sample weights live in the Loss classes (loss.ts).
 */
import * as o from '../core/ops.js';
import { Tensor, type TensorLike } from '../core/tensor.js';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from './softmax-cross-entropy.js';
import { alignPair, checkRange, floatPrediction, sparseLabels } from './validate.js';

/** Keras' backend.epsilon(): probabilities are clipped to [ε, 1 − ε] before log. */
export const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** yPred holds logits (unnormalized scores) instead of probabilities. */
  fromLogits?: boolean;
  /** Label smoothing in [0, 1] (Szegedy et al., 2016): y ← y(1 − s) + s/K (K = 2 for binary). */
  labelSmoothing?: number;
}

/** mean((yPred − yTrue)², axis=-1). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'mean_squared_error');
  const d = o.sub(p, t);
  return o.mean(o.mul(d, d), -1);
}

/** mean(|yPred − yTrue|, axis=-1). NOTE: the gradient at yPred = yTrue is 0 (abs'(0) = 0, as TF). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'mean_absolute_error');
  return o.mean(o.abs(o.sub(p, t)), -1);
}

/**
 * Huber loss (Huber, 1964), mean over the last axis: ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond.
 * Written branch-free as ½q² + δ(|e| − q) with q = min(|e|, δ): the same values as Keras'
 * where() form, with no discarded branch whose gradient could leak.
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
    throw new RangeError(`huber: delta must be a positive number, got ${String(delta)}`);
  }
  const [t, p] = alignPair(yTrue, yPred, 'huber');
  const absErr = o.abs(o.sub(p, t));
  const q = o.minimum(absErr, delta);
  return o.mean(o.add(o.mul(o.mul(q, q), 0.5), o.mul(o.sub(absErr, q), delta)), -1);
}

/**
 * Binary cross-entropy, mean over the last axis. On probabilities: clip to [ε, 1 − ε] (Keras),
 * −(y log p + (1 − y) log(1 − p)). From logits: the stable softplus form (see
 * sigmoidCrossEntropyWithLogits), finite for logits of ±1000.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike,
  { fromLogits = false, labelSmoothing = 0 }: CrossentropyOptions = {}): Tensor {
  const where = 'binary_crossentropy';
  let [t, p] = alignPair(yTrue, yPred, where);
  if (checkRange(labelSmoothing, 0, 1, 'labelSmoothing', where) > 0) {
    t = o.add(o.mul(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
  }
  if (fromLogits) return o.mean(sigmoidCrossEntropyWithLogits(t, p), -1);
  const logits = logitsOf(yPred, 'sigmoid');
  if (logits) return o.mean(sigmoidCrossEntropyWithLogits(t, logits), -1);
  // NOTE: clip's gradient is 0 outside [ε, 1 − ε]: a saturated probability gets no gradient,
  // exactly as in Keras (use fromLogits for a gradient that never vanishes).
  const pc = o.clip(p, EPSILON, 1 - EPSILON);
  const ll = o.add(o.mul(t, o.log(pc)), o.mul(o.sub(1, t), o.log(o.sub(1, pc))));
  return o.neg(o.mean(ll, -1));
}

/**
 * Categorical cross-entropy −Σ y log p over the last axis, for one-hot (or soft) labels.
 * On probabilities Keras first renormalizes p /= Σp, then clips to [ε, 1 − ε]. From logits:
 * log softmax, stable for ±1000.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike,
  { fromLogits = false, labelSmoothing = 0 }: CrossentropyOptions = {}): Tensor {
  const where = 'categorical_crossentropy';
  let [t, p] = alignPair(yTrue, yPred, where);
  if (checkRange(labelSmoothing, 0, 1, 'labelSmoothing', where) > 0) {
    const classes = p.shape[p.rank - 1];
    t = o.add(o.mul(t, 1 - labelSmoothing), labelSmoothing / classes);
  }
  const logits = fromLogits ? p : logitsOf(yPred, 'softmax');
  if (logits) return softmaxCrossEntropyWithLogits(t, logits, where);
  return o.neg(o.sum(o.mul(t, clippedLogProbabilities(p)), -1));
}

/**
 * Categorical cross-entropy with integer labels (shape yPred.shape[:-1] or with a trailing 1),
 * int32 or integral floats; an out-of-range label is an error naming it and the class count.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike,
  { fromLogits = false }: { fromLogits?: boolean } = {}): Tensor {
  const where = 'sparse_categorical_crossentropy';
  const p = floatPrediction(yPred, where);
  const labels = sparseLabels(yTrue, p, where);
  const logits = fromLogits ? p : logitsOf(yPred, 'softmax');
  // from logits: the fused, stable kernel (one op forward, one backward)
  if (logits) return o.sparseSoftmaxCrossEntropy(logits, labels);
  const mask = o.oneHot(labels, p.shape[p.rank - 1], p.dtype);
  return o.neg(o.sum(o.mul(mask, clippedLogProbabilities(p)), -1));
}

/**
 * Kullback–Leibler divergence Σ y log(y / p) over the last axis, with both clipped to [ε, 1]
 * as Keras (so a zero in yTrue contributes ≈ ε·log(ε/p), not NaN).
 */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'kl_divergence');
  const tc = o.clip(t, EPSILON, 1);
  const pc = o.clip(p, EPSILON, 1);
  return o.sum(o.mul(tc, o.sub(o.log(tc), o.log(pc))), -1);
}

/**
 * The logits behind a softmax/sigmoid output (see Tensor.sourceLogits). As Keras, a
 * cross-entropy on such probabilities is computed from the logits: exact, stable for any
 * logits, and a shorter backward pass (softmax − y) than log∘clip∘softmax.
 */
function logitsOf(yPred: TensorLike, kind: 'softmax' | 'sigmoid'): Tensor | null {
  return yPred instanceof Tensor && yPred.sourceLogits?.kind === kind ? yPred.sourceLogits.logits : null;
}

/** log(clip(p / Σp, ε, 1 − ε)) over the last axis (Keras' probability path for CE). */
function clippedLogProbabilities(p: Tensor): Tensor {
  return o.log(o.clip(o.div(p, o.sum(p, -1, true)), EPSILON, 1 - EPSILON));
}

// Keras' short aliases.
export const mse = meanSquaredError;
export const mae = meanAbsoluteError;
export const kld = klDivergence;
