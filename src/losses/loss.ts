/**
 * Loss objects with Keras semantics (keras/src/losses/loss.py): `call(yTrue, yPred)` gives the
 * per-sample loss; `apply(yTrue, yPred, sampleWeight?)` (Keras' `__call__`) weights it and
 * reduces it by `reduction`:
 *   'sum_over_batch_size' (default): Σ wᵢ·lᵢ / (number of loss values) — NOTE: the denominator
 *       counts every sample, zero-weighted ones included, as Keras (not Σw);
 *   'sum': Σ wᵢ·lᵢ;   'none': the weighted per-sample values;
 *   'mean_with_sample_weight' (Keras ≥ 3.5): Σ wᵢ·lᵢ / Σ wᵢ.
 */
import * as o from '../core/ops.js';
import { formatShape, shapesEqual } from '../core/shape.js';
import { Tensor, toTensor, type TensorLike } from '../core/tensor.js';
import { NameRegistry } from '../utils/registry.js';

export const REDUCTIONS = ['sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** A per-sample loss function: `(yTrue, yPred) => loss` of shape yPred.shape[:-1]. */
export type LossFunction = (yTrue: TensorLike, yPred: TensorLike) => Tensor;

export interface LossConfig {
  name?: string;
  reduction?: Reduction;
  [key: string]: unknown;
}

export function checkReduction(reduction: unknown, where: string): Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new RangeError(`${where}: reduction must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(reduction)}`);
  }
  return reduction as Reduction;
}

/**
 * Sample weights broadcast against the per-sample loss `values`: a scalar, the same shape, the
 * shape with a trailing 1 ([batch, 1] for a [batch] loss), or a prefix of it ([batch] for a
 * [batch, time] loss, expanded as Keras does).
 */
export function alignSampleWeight(sampleWeight: TensorLike, values: Tensor, where: string): Tensor {
  let w = toTensor(sampleWeight, where, values.dtype);
  if (w.dtype !== values.dtype) w = o.cast(w, values.dtype);
  if (w.rank === 0 || shapesEqual(w.shape, values.shape)) return w;
  if (w.rank === values.rank + 1 && w.shape[w.rank - 1] === 1 && shapesEqual(w.shape.slice(0, -1), values.shape)) {
    return o.reshape(w, values.shape);
  }
  if (w.rank < values.rank && shapesEqual(w.shape, values.shape.slice(0, w.rank))) {
    return o.reshape(w, [...w.shape, ...values.shape.slice(w.rank).map(() => 1)]);
  }
  throw new RangeError(`${where}: sampleWeight has shape ${formatShape(w.shape)} but the per-sample loss has shape ` +
    `${formatShape(values.shape)}; expected a scalar, ${formatShape(values.shape)} or ${formatShape([...values.shape, 1])}`);
}

/** Weights and reduces per-sample losses (Keras' `reduce_weighted_values`). */
export function reduceWeighted(values: Tensor, reduction: Reduction, sampleWeight: TensorLike | null | undefined,
  where: string): Tensor {
  let weighted = values;
  let weights: Tensor | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    weights = alignSampleWeight(sampleWeight, values, where);
    weighted = o.mul(values, weights);
  }
  if (reduction === 'none') return weighted;
  const total = o.sum(weighted);
  if (reduction === 'sum') return total;
  if (reduction === 'mean_with_sample_weight' && weights) {
    // Σw over the broadcast weights; divide-no-nan as Keras (all-zero weights give 0, not NaN)
    const wsum = o.sum(o.broadcastTo(weights, values.shape)).item();
    return wsum === 0 ? o.mul(total, 0) : o.div(total, wsum);
  }
  // NOTE: an empty batch gives 0 (Keras' divide_no_nan), not 0/0 = NaN.
  return values.size === 0 ? o.mul(total, 0) : o.div(total, values.size);
}

export abstract class Loss {
  static className: string;
  readonly name: string;
  readonly reduction: Reduction;

  constructor(name: string, reduction: Reduction = 'sum_over_batch_size') {
    if (typeof name !== 'string' || !name) throw new TypeError(`${new.target.name}: name must be a non-empty string, got ${String(name)}`);
    this.name = name;
    this.reduction = checkReduction(reduction, name);
  }

  /** The per-sample loss, shape yPred.shape[:-1]. */
  abstract call(yTrue: TensorLike, yPred: TensorLike): Tensor;

  /** The weighted, reduced loss (Keras' `loss(y_true, y_pred, sample_weight)`). */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    return reduceWeighted(this.call(yTrue, yPred), this.reduction, sampleWeight, this.name);
  }

  getConfig(): LossConfig {
    return { name: this.name, reduction: this.reduction };
  }

  static fromConfig<T extends Loss>(this: new (config: LossConfig) => T, config: LossConfig): T {
    return new this(config);
  }
}

/** Per-sample functions by name, so that a LossFunctionWrapper config can find its function. */
const lossFunctions = new NameRegistry<LossFunction>('loss function');

/**
 * Registers a per-sample loss function under `name` (and aliases) so that losses wrapping it
 * serialize and deserialize: `registerLossFunction('my_loss', myLoss)`.
 */
export function registerLossFunction(name: string, fn: LossFunction, aliases: readonly string[] = []): void {
  if (typeof fn !== 'function') throw new TypeError(`registerLossFunction: expected a function for '${name}', got ${typeof fn}`);
  lossFunctions.register(name, fn, aliases);
}

export const lossFunctionRegistry = lossFunctions;

/**
 * A Loss around a per-sample function (Keras' LossFunctionWrapper). `fnName` is the name under
 * which the function is registered (registerLossFunction), so that a config can find it again.
 */
export class LossFunctionWrapper extends Loss {
  static override className = 'LossFunctionWrapper';
  readonly fn: LossFunction;
  readonly fnName: string;

  constructor(fn: LossFunction, { name, reduction, fnName }: { name?: string; reduction?: Reduction; fnName?: string } = {}) {
    if (typeof fn !== 'function') throw new TypeError(`LossFunctionWrapper: expected a function, got ${typeof fn}`);
    super(name ?? (fn.name || 'loss'), reduction);
    this.fn = fn;
    this.fnName = fnName ?? (fn.name || this.name);
  }

  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return this.fn(yTrue, yPred);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), fn: this.fnName };
  }

  static override fromConfig<T extends Loss>(this: unknown, config: LossConfig): T {
    const { fn, name, reduction } = config;
    if (typeof fn !== 'string') throw new TypeError(`LossFunctionWrapper.fromConfig: config.fn must be a function name, got ${JSON.stringify(fn)}`);
    return new LossFunctionWrapper(lossFunctions.get(fn), { name, reduction, fnName: lossFunctions.kerasName(fn) }) as unknown as T;
  }
}
