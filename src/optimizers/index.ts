/** Optimizers, by instance, by name ('sgd', 'adam', …) or by `{ className, config }`, as Keras' `optimizers.get`. */
import { NameRegistry } from '../utils/registry.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Nadam } from './nadam.js';
import { declareGradientsNotRetained, Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Optimizer, checkHyper, type OptimizerArgs, type ClipReport } from './optimizer.js';
export type { LearningRateArg, SerializedSchedule } from './learning-rate.js';
export { SGD, type SGDArgs } from './sgd.js';
export { Adagrad, type AdagradArgs } from './adagrad.js';
export { RMSprop, type RMSpropArgs } from './rmsprop.js';
export { Adam, type AdamArgs } from './adam.js';
export { AdamW } from './adamw.js';
export { Adamax, type AdamaxArgs } from './adamax.js';
export { Nadam, type NadamArgs } from './nadam.js';

export type OptimizerClass = { className: string; new(args?: any): Optimizer };
const registry = new NameRegistry<OptimizerClass>('optimizer');
registry.register('sgd', SGD);
registry.register('adagrad', Adagrad);
registry.register('rmsprop', RMSprop);
registry.register('adam', Adam);
registry.register('adamw', AdamW);
registry.register('adamax', Adamax);
registry.register('nadam', Nadam);
// their updates read each gradient in place and keep nothing of it (see mayRetainGradients)
for (const cls of [SGD, Adagrad, RMSprop, Adam, AdamW, Adamax, Nadam]) declareGradientsNotRetained(cls);

/** The Keras names accepted by `get` (any capitalization, '_' or '-' ignored). */
export const optimizerNames = (): string[] => registry.names();

/** The optimizer class registered under `name`. */
export const optimizerClass = (name: string): OptimizerClass => registry.get(name);

/** Registers a custom optimizer class under its Keras-style name (and its className). */
export function registerOptimizer(name: string, cls: OptimizerClass): void {
  if (typeof cls?.className !== 'string' || !cls.className) throw new TypeError(`registerOptimizer: '${name}' needs a static className`);
  registry.register(name, cls, [cls.className]);
}

/** `{ className, config }` of an optimizer (what `get` reads back). */
export function serialize(optimizer: Optimizer): { className: string; config: Record<string, unknown> } {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/** Resolves a name (default hyper-parameters), `{ className, config }` or an instance to an optimizer. */
export function get(identifier: Optimizer | string | { className: string; config?: Record<string, unknown> }): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return new (registry.get(identifier.className))(identifier.config ?? {});
  }
  throw new TypeError(`optimizer: expected an Optimizer, a name or { className, config }, got ${JSON.stringify(identifier)}`);
}
