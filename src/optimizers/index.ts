/** Optimizers, by instance or by name ('sgd', …) as Keras' `optimizers.get`. */
import { NameRegistry } from '../utils/registry.js';
import { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

export { Optimizer, type OptimizerArgs } from './optimizer.js';
export { SGD, type SGDArgs } from './sgd.js';

type OptimizerClass = { className: string; new(args?: any): Optimizer };
const registry = new NameRegistry<OptimizerClass>('optimizer');
registry.register('sgd', SGD, ['SGD']);

export const optimizerNames = (): string[] => registry.names();

/** Resolves a name (default hyper-parameters) or `{ className, config }` to an optimizer. */
export function get(identifier: Optimizer | string | { className: string; config?: Record<string, unknown> }): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return new (registry.get(identifier.className))(identifier.config ?? {});
  }
  throw new TypeError(`optimizer: expected an Optimizer, a name or { className, config }, got ${JSON.stringify(identifier)}`);
}
