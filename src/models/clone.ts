/** cloneModel: the same architecture with fresh weights (Keras' clone_model). */
import type { Layer } from '../layers/layer.js';
import { deserialize } from '../saving/class-registry.js';
import type { Model } from './model.js';

/**
 * Rebuilds `model` from its config: same layers and names, newly initialized weights, not
 * compiled. Copy the weights with `clone.setWeights(model.getWeights())`.
 */
export function cloneModel<T extends Model>(model: T): T {
  return deserialize<T>({ className: (model.constructor as typeof Layer).className, config: model.getConfig() });
}
