/**
 * Losses with Keras semantics (reference/keras-semantics.md, "Losses and metrics").
 *
 * `get(identifier)` accepts a Keras name or alias ('mse', 'kld', 'mean_squared_error'), the
 * camelCase or class spelling ('sparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy'),
 * a config `{ className, config }`, a Loss instance, or a per-sample function; it always returns
 * a Loss. `serialize(loss)` gives the `{ className, config }` that `get` rebuilds.
 */
import { NameRegistry } from '../utils/registry.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, KLDivergence, MeanAbsoluteError, MeanSquaredError,
  SparseCategoricalCrossentropy,
} from './classes.js';
import * as f from './functions.js';
import { Loss, LossFunctionWrapper, lossFunctionRegistry, registerLossFunction, type LossConfig, type LossFunction } from './loss.js';

export * from './functions.js';
export * from './classes.js';
export { softmaxCrossEntropyWithLogits, sigmoidCrossEntropyWithLogits } from './softmax-cross-entropy.js';
export {
  Loss, LossFunctionWrapper, REDUCTIONS, reduceWeighted, registerLossFunction,
  type LossConfig, type LossFunction, type Reduction,
} from './loss.js';

export type LossClass = { className: string; fromConfig(config: LossConfig): Loss; new(config?: any): Loss };
export type LossIdentifier = string | Loss | LossFunction | { className: string; config?: LossConfig };

const registry = new NameRegistry<LossClass>('loss');
const table: Array<[LossClass, string, LossFunction, string[]]> = [
  [MeanSquaredError, 'mean_squared_error', f.meanSquaredError, ['mse']],
  [MeanAbsoluteError, 'mean_absolute_error', f.meanAbsoluteError, ['mae']],
  [Huber, 'huber', (t, p) => f.huber(t, p), ['huber_loss']],
  [BinaryCrossentropy, 'binary_crossentropy', (t, p) => f.binaryCrossentropy(t, p), ['bce']],
  [CategoricalCrossentropy, 'categorical_crossentropy', (t, p) => f.categoricalCrossentropy(t, p), ['cce']],
  [SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy', (t, p) => f.sparseCategoricalCrossentropy(t, p), ['scce']],
  [KLDivergence, 'kl_divergence', f.klDivergence, ['kld', 'kullback_leibler_divergence']],
];
for (const [cls, name, fn, aliases] of table) {
  registry.register(name, cls, [cls.className, ...aliases]);
  registerLossFunction(name, fn, [cls.className, ...aliases]);
}
registry.register('LossFunctionWrapper', LossFunctionWrapper as unknown as LossClass);

/** The Keras name of every registered loss ('binary_crossentropy', …). */
export const lossNames = (): string[] => registry.names().filter((n) => n !== 'LossFunctionWrapper');

/** The registered loss class for any accepted spelling ('mse' → MeanSquaredError). */
export const getLossClass = (name: string): LossClass => registry.get(name);

/** The Keras name for any accepted spelling ('MSE' → 'mean_squared_error'). */
export const kerasName = (name: string): string => registry.kerasName(name);

/** The per-sample function for any accepted spelling, with default options. */
export const getLossFunction = (name: string): LossFunction => lossFunctionRegistry.get(name);

/** Resolves a name, config, instance or function to a Loss. */
export function get(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return registry.get(identifier.className).fromConfig({ ...(identifier.config ?? {}) });
  }
  throw new TypeError(`loss: expected a name, a { className, config } object, a Loss or a function, got ${JSON.stringify(identifier)}`);
}

/** `{ className, config }` for saving; `get(serialize(x))` rebuilds it. */
export function serialize(loss: Loss): { className: string; config: LossConfig } {
  if (!(loss instanceof Loss)) throw new TypeError(`serialize: expected a Loss, got ${typeof loss}`);
  const cls = loss.constructor as typeof Loss;
  if (loss instanceof LossFunctionWrapper && !lossFunctionRegistry.has(loss.fnName)) {
    throw new Error(`serialize: the loss function '${loss.fnName}' is not registered; call ` +
      `losses.registerLossFunction('${loss.fnName}', fn) so that a saved model can find it again`);
  }
  return { className: cls.className, config: loss.getConfig() };
}
