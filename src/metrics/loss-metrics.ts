/**
 * Metrics that are running means of a loss function (keras/src/metrics/regression_metrics.py,
 * probabilistic_metrics.py): same per-sample values as the loss, averaged over every sample seen
 * since the last reset (weighted by sampleWeight).
 */
import * as f from '../losses/functions.js';
import { MeanMetricWrapper, type MetricConfig } from './metric.js';

export class MeanSquaredError extends MeanMetricWrapper {
  static override className = 'MeanSquaredError';
  constructor({ name = 'mean_squared_error' }: MetricConfig = {}) { super(f.meanSquaredError, { name }); }
}

export class MeanAbsoluteError extends MeanMetricWrapper {
  static override className = 'MeanAbsoluteError';
  constructor({ name = 'mean_absolute_error' }: MetricConfig = {}) { super(f.meanAbsoluteError, { name }); }
}

interface CrossentropyMetricConfig extends MetricConfig { fromLogits?: boolean; labelSmoothing?: number }

function checkOptions(name: string, fromLogits: unknown, labelSmoothing: unknown): void {
  if (typeof fromLogits !== 'boolean') throw new TypeError(`${name}: fromLogits must be a boolean, got ${String(fromLogits)}`);
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`${name}: labelSmoothing must be a number in [0, 1], got ${String(labelSmoothing)}`);
  }
}

export class BinaryCrossentropy extends MeanMetricWrapper {
  static override className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor({ name = 'binary_crossentropy', fromLogits = false, labelSmoothing = 0 }: CrossentropyMetricConfig = {}) {
    checkOptions(name, fromLogits, labelSmoothing);
    super((t, p) => f.binaryCrossentropy(t, p, { fromLogits, labelSmoothing }), { name });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }
  override getConfig(): MetricConfig { return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing }; }
}

export class CategoricalCrossentropy extends MeanMetricWrapper {
  static override className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor({ name = 'categorical_crossentropy', fromLogits = false, labelSmoothing = 0 }: CrossentropyMetricConfig = {}) {
    checkOptions(name, fromLogits, labelSmoothing);
    super((t, p) => f.categoricalCrossentropy(t, p, { fromLogits, labelSmoothing }), { name });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }
  override getConfig(): MetricConfig { return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing }; }
}

export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor({ name = 'sparse_categorical_crossentropy', fromLogits = false }: MetricConfig & { fromLogits?: boolean } = {}) {
    checkOptions(name, fromLogits, 0);
    super((t, p) => f.sparseCategoricalCrossentropy(t, p, { fromLogits }), { name });
    this.fromLogits = fromLogits;
  }
  override getConfig(): MetricConfig { return { ...super.getConfig(), fromLogits: this.fromLogits }; }
}
