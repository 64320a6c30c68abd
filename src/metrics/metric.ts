/**
 * Stateful metrics with Keras' API (keras/src/metrics/metric.py, reduction_metrics.py):
 * `updateState(yTrue, yPred, sampleWeight?)` accumulates, `result()` reads the value as a JS
 * number, `resetState()` starts over. State is kept in JS float64 numbers (no tensors, no tape),
 * and updates run under `noGrad`, so metrics never enter the gradient.
 */
import { noGrad } from '../core/autograd.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, TensorLike } from '../core/tensor.js';
import { toTensor } from '../core/tensor.js';
import { alignSampleWeight } from '../losses/loss.js';

export interface MetricConfig {
  name?: string;
  [key: string]: unknown;
}

export abstract class Metric {
  static className: string;
  readonly name: string;

  constructor(name: string) {
    if (typeof name !== 'string' || !name) throw new TypeError(`${new.target.name}: name must be a non-empty string, got ${String(name)}`);
    this.name = name;
  }

  /** Accumulates one batch. */
  abstract updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike | null): void;
  /** The current value. */
  abstract result(): number;
  abstract resetState(): void;

  getConfig(): MetricConfig {
    return { name: this.name };
  }

  static fromConfig<T extends Metric>(this: new (config: MetricConfig) => T, config: MetricConfig): T {
    return new this(config);
  }
}

/**
 * Weighted running mean: total += Σ wᵢvᵢ, count += Σ wᵢ (w broadcast to the values' shape; 1
 * without weights). result() = total / count, 0 before any update (Keras' divide_no_nan).
 */
export class Mean extends Metric {
  static override className = 'Mean';
  protected total = 0;
  protected count = 0;

  constructor({ name = 'mean' }: MetricConfig = {}) { super(name); }

  /** Keras' `Mean.update_state(values, sample_weight)`. */
  updateState(values: TensorLike, sampleWeight?: TensorLike | null): void {
    noGrad(() => this.accumulate(toTensor(values, this.name), sampleWeight));
  }

  /** Adds per-sample `values` with optional weights (shared by the wrappers). */
  protected accumulate(values: Tensor, sampleWeight?: TensorLike | null): void {
    const v = values.data;
    if (sampleWeight === undefined || sampleWeight === null) {
      for (let i = 0; i < v.length; i++) this.total += v[i];
      this.count += v.length;
      return;
    }
    const w = alignSampleWeight(sampleWeight, values, this.name);
    if (w.size !== 1 && w.size !== v.length) {
      // a prefix-shaped weight ([batch] against [batch, time]) repeats over the trailing axes
      if (v.length % w.size !== 0) throw new RangeError(`${this.name}: sampleWeight ${formatShape(w.shape)} does not fit values ${formatShape(values.shape)}`);
    }
    const repeat = w.size === 1 ? v.length : v.length / w.size;
    for (let i = 0; i < v.length; i++) {
      const wi = w.size === 1 ? w.data[0] : w.data[Math.floor(i / repeat)];
      this.total += wi * v[i];
      this.count += wi;
    }
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}

/** A per-sample metric function: `(yTrue, yPred) => values` of shape yPred.shape[:-1]. */
export type MetricFunction = (yTrue: TensorLike, yPred: TensorLike) => Tensor;

/** The running mean of a per-sample function (Keras' MeanMetricWrapper). */
export class MeanMetricWrapper extends Mean {
  static override className = 'MeanMetricWrapper';
  readonly fn: MetricFunction;

  constructor(fn: MetricFunction, { name }: MetricConfig = {}) {
    if (typeof fn !== 'function') throw new TypeError(`MeanMetricWrapper: expected a function, got ${typeof fn}`);
    super({ name: name ?? (fn.name || 'metric') });
    this.fn = fn;
  }

  override updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike | null): void {
    if (yPred === undefined) throw new TypeError(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
    noGrad(() => this.accumulate(this.fn(yTrue, yPred), sampleWeight));
  }
}
