/**
 * compile(): resolves loss and metric identifiers per model output. Losses are reduced over
 * the batch (Keras' sum_over_batch_size); 'accuracy' follows the output's loss as Keras does.
 */
import type { Tensor } from '../core/tensor.js';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';

export type LossIdentifier = losses.LossIdentifier;
export type MetricIdentifier = string | metrics.Metric | { className: string; config?: Record<string, unknown> };
export type PerOutput<T> = T | T[] | Record<string, T>;

export interface CompiledLoss {
  readonly loss: losses.Loss;
  readonly identifier: LossIdentifier;
  /** The scalar batch loss. */
  call(yTrue: Tensor, yPred: Tensor): Tensor;
}

export interface CompiledMetric {
  readonly name: string;
  update(yTrue: Tensor, yPred: Tensor): void;
  result(): number;
  reset(): void;
}

/**
 * One value per output from a single value (shared), a list (by position) or a map by output
 * name (missing names take `fallback`, or fail when there is none).
 */
export function perOutput<T>(value: PerOutput<T>, names: string[], what: string, model: string, fallback?: T): T[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new RangeError(`${model}.compile: ${what} has ${value.length} entries for ${names.length} output(s) (${names.join(', ')})`);
    }
    return value;
  }
  // a map by output name (anything else, e.g. a loss instance or config, applies to every output)
  if (value !== null && typeof value === 'object' && names.some((n) => n in (value as object))) {
    const map = value as Record<string, T>;
    for (const k of Object.keys(map)) {
      if (!names.includes(k)) throw new RangeError(`${model}.compile: ${what} names output '${k}', but the outputs are ${names.join(', ')}`);
    }
    return names.map((n) => {
      if (!(n in map) && fallback === undefined) throw new RangeError(`${model}.compile: ${what} has no entry for output '${n}'`);
      return map[n] ?? fallback!;
    });
  }
  return names.map(() => value as T);
}

export function compileLosses(identifier: PerOutput<LossIdentifier>, outputNames: string[], model: string): CompiledLoss[] {
  const isSingle = typeof identifier === 'string' || typeof identifier === 'function' || identifier instanceof losses.Loss
    || (typeof identifier === 'object' && identifier !== null && 'className' in identifier && !outputNames.includes('className'));
  const list = isSingle ? outputNames.map(() => identifier as LossIdentifier) : perOutput(identifier, outputNames, 'loss', model);
  return list.map((id) => {
    const loss = losses.get(id);
    return { loss, identifier: id, call: (yTrue, yPred) => loss.apply(yTrue, yPred) };
  });
}

export function compileMetrics(list: readonly MetricIdentifier[], loss: CompiledLoss): CompiledMetric[] {
  const seen = new Set<string>();
  return list.map((id) => {
    const metric = metrics.resolveMetric(id, loss.identifier);
    if (seen.has(metric.name)) throw new Error(`compile: metric '${metric.name}' is listed twice`);
    seen.add(metric.name);
    return {
      name: metric.name,
      update: (yTrue, yPred) => metric.updateState(yTrue, yPred),
      result: () => metric.result(),
      reset: () => metric.resetState(),
    };
  });
}
