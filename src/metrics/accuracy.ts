/**
 * Accuracy metrics (keras/src/metrics/accuracy_metrics.py): per-sample functions returning 1/0
 * (or a fraction for multi-output binary), and their running-mean classes.
 */
import * as o from '../core/ops.js';
import { allocate } from '../core/dtype.js';
import { Tensor, toTensor, type TensorLike } from '../core/tensor.js';
import { alignPair, floatPrediction, sparseLabels } from '../losses/validate.js';
import { MeanMetricWrapper, type MetricConfig } from './metric.js';

/** Exact equality, mean over the last axis (Keras' `accuracy`; not what compile's 'accuracy' means). */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'accuracy');
  return o.mean(o.equal(t, p), -1);
}

/** mean(yTrue == (yPred > threshold), axis=-1); threshold 0.5 as Keras. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'binary_accuracy');
  return o.mean(o.equal(t, o.greater(p, threshold)), -1);
}

/** argmax(yTrue) == argmax(yPred); ties pick the first index (as TF's argmax). */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'categorical_accuracy');
  return o.cast(o.equal(o.argmax(t, -1), o.argmax(p, -1)), 'float32');
}

/** Integer labels (shape yPred.shape[:-1] or with a trailing 1) against argmax(yPred). */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const p = floatPrediction(yPred, 'sparse_categorical_accuracy');
  const labels = sparseLabels(yTrue, p, 'sparse_categorical_accuracy');
  return o.cast(o.equal(labels, o.argmax(p, -1)), 'float32');
}

/**
 * 1 where the target class is among the k highest scores. NOTE: ties at the boundary count as
 * in the top k (TF's in_top_k): the target is in iff fewer than k classes score strictly higher.
 */
function inTopK(labels: Tensor, p: Tensor, k: number, where: string): Tensor {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${where}: k must be a positive integer, got ${String(k)}`);
  const classes = p.shape[p.rank - 1];
  const out = allocate('float32', labels.size);
  for (let row = 0; row < labels.size; row++) {
    const base = row * classes;
    const target = p.data[base + labels.data[row]];
    let higher = 0;
    for (let c = 0; c < classes; c++) if (p.data[base + c] > target) higher++;
    // a NaN score is never in the top k
    out[row] = Number.isNaN(target) ? 0 : higher < k ? 1 : 0;
  }
  return new Tensor(out, labels.shape, 'float32');
}

export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  const [t, p] = alignPair(yTrue, yPred, 'top_k_categorical_accuracy');
  return inTopK(o.argmax(t, -1), p, k, 'top_k_categorical_accuracy');
}

export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  const p = floatPrediction(yPred, 'sparse_top_k_categorical_accuracy');
  return inTopK(sparseLabels(yTrue, p, 'sparse_top_k_categorical_accuracy'), p, k, 'sparse_top_k_categorical_accuracy');
}

export class Accuracy extends MeanMetricWrapper {
  static override className = 'Accuracy';
  constructor({ name = 'accuracy' }: MetricConfig = {}) { super(accuracy, { name }); }
}

export class BinaryAccuracy extends MeanMetricWrapper {
  static override className = 'BinaryAccuracy';
  readonly threshold: number;
  constructor({ name = 'binary_accuracy', threshold = 0.5 }: MetricConfig & { threshold?: number } = {}) {
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new TypeError(`${name}: threshold must be a number, got ${String(threshold)}`);
    super((t, p) => binaryAccuracy(t, p, threshold), { name });
    this.threshold = threshold;
  }
  override getConfig(): MetricConfig { return { ...super.getConfig(), threshold: this.threshold }; }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'CategoricalAccuracy';
  constructor({ name = 'categorical_accuracy' }: MetricConfig = {}) { super(categoricalAccuracy, { name }); }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseCategoricalAccuracy';
  constructor({ name = 'sparse_categorical_accuracy' }: MetricConfig = {}) { super(sparseCategoricalAccuracy, { name }); }
}

function checkK(k: unknown, name: string): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new RangeError(`${name}: k must be a positive integer, got ${String(k)}`);
  return k;
}

export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor({ name = 'top_k_categorical_accuracy', k = 5 }: MetricConfig & { k?: number } = {}) {
    super((t, p) => topKCategoricalAccuracy(t, p, k), { name });
    this.k = checkK(k, name);
  }
  override getConfig(): MetricConfig { return { ...super.getConfig(), k: this.k }; }
}

export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor({ name = 'sparse_top_k_categorical_accuracy', k = 5 }: MetricConfig & { k?: number } = {}) {
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), { name });
    this.k = checkK(k, name);
  }
  override getConfig(): MetricConfig { return { ...super.getConfig(), k: this.k }; }
}
