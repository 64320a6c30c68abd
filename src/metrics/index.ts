/**
 * Metrics with Keras' stateful API (reference/keras-semantics.md, "Losses and metrics").
 *
 * `get(identifier)` accepts a Keras name or alias ('mse', 'binary_accuracy', 'top_k_categorical_accuracy'),
 * the camelCase or class spelling ('sparseCategoricalAccuracy', 'SparseCategoricalAccuracy'), a
 * config `{ className, config }`, a Metric instance, or a per-sample function (wrapped in a
 * running mean). `resolveMetric(identifier, loss)` is compile()'s resolution: 'accuracy'/'acc'
 * and 'crossentropy'/'ce' pick the variant that fits the loss (or the data's shapes).
 */
import { NameRegistry } from '../utils/registry.js';
import type { LossIdentifier } from '../losses/index.js';
import {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy.js';
import { AUC } from './auc.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy,
} from './loss-metrics.js';
import { Mean, MeanMetricWrapper, Metric, type MetricConfig, type MetricFunction } from './metric.js';
import { resolveShorthand, ShapeResolvedMetric, shorthandKind } from './resolve.js';

export * from './accuracy.js';
export * from './loss-metrics.js';
export { AUC, type AucConfig, type AucCurve, type AucSummation } from './auc.js';
export { Metric, Mean, MeanMetricWrapper, type MetricConfig, type MetricFunction } from './metric.js';
export { ShapeResolvedMetric, describeLoss, variantFromShapes, type ShorthandKind } from './resolve.js';

export type MetricClass = { className: string; fromConfig(config: MetricConfig): Metric; new(config?: any): Metric };
export type MetricIdentifier = string | Metric | MetricFunction | { className: string; config?: MetricConfig };

const registry = new NameRegistry<MetricClass>('metric');
const table: Array<[MetricClass, string, string[]]> = [
  [Mean, 'mean', []],
  [Accuracy, 'accuracy', []],
  [BinaryAccuracy, 'binary_accuracy', []],
  [CategoricalAccuracy, 'categorical_accuracy', []],
  [SparseCategoricalAccuracy, 'sparse_categorical_accuracy', []],
  [TopKCategoricalAccuracy, 'top_k_categorical_accuracy', []],
  [SparseTopKCategoricalAccuracy, 'sparse_top_k_categorical_accuracy', []],
  [MeanSquaredError, 'mean_squared_error', ['mse']],
  [MeanAbsoluteError, 'mean_absolute_error', ['mae']],
  [BinaryCrossentropy, 'binary_crossentropy', []],
  [CategoricalCrossentropy, 'categorical_crossentropy', []],
  [SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy', []],
  [AUC, 'auc', []],
  [ShapeResolvedMetric, 'ShapeResolvedMetric', []],
];
for (const [cls, name, aliases] of table) registry.register(name, cls, [cls.className, ...aliases]);

/** The Keras name of every registered metric. */
export const metricNames = (): string[] => registry.names();

/** The registered metric class for any accepted spelling. */
export const getMetricClass = (name: string): MetricClass => registry.get(name);

/**
 * Resolves a name, config, instance or function to a Metric. NOTE: 'accuracy' here is Keras'
 * exact-match `Accuracy`; compile's meaning of 'accuracy' is `resolveMetric`.
 */
export function get(identifier: MetricIdentifier): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier);
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return registry.get(identifier.className).fromConfig({ ...(identifier.config ?? {}) });
  }
  throw new TypeError(`metric: expected a name, a { className, config } object, a Metric or a function, got ${JSON.stringify(identifier)}`);
}

/**
 * compile()'s resolution of one metric for an output trained with `loss`: 'accuracy' / 'acc'
 * → sparse_categorical_accuracy with sparse CE, categorical_accuracy with categorical CE,
 * binary_accuracy with binary CE, otherwise chosen from the shapes at the first update;
 * 'crossentropy' / 'ce' likewise. Other identifiers go through `get`.
 */
export function resolveMetric(identifier: MetricIdentifier, loss?: LossIdentifier | null): Metric {
  if (shorthandKind(identifier)) return resolveShorthand(identifier as string, loss);
  return get(identifier);
}

/** `{ className, config }` for saving; `get(serialize(x))` rebuilds it. */
export function serialize(metric: Metric): { className: string; config: MetricConfig } {
  if (!(metric instanceof Metric)) throw new TypeError(`serialize: expected a Metric, got ${typeof metric}`);
  const cls = metric.constructor as typeof Metric;
  if (cls === (MeanMetricWrapper as unknown)) {
    throw new Error(`serialize: '${metric.name}' wraps a plain function and cannot be saved; subclass MeanMetricWrapper with a static className instead`);
  }
  return { className: cls.className, config: metric.getConfig() };
}
