/** Serializable activation identifiers for layer configs. */
import * as activations from '../activations/index.js';

export type ActivationIdentifier = string | activations.ActivationConfig | activations.ActivationFn;

/** The config form of an activation: its Keras name, or `{ className, config }`. */
export function activationConfig(id: ActivationIdentifier): string | activations.ActivationConfig {
  if (typeof id === 'string') return activations.kerasName(id);
  if (typeof id === 'function') {
    throw new TypeError('a layer with a custom activation function cannot be serialized; ' +
      'register it as a named activation or use a Lambda-style custom layer');
  }
  return { className: activations.kerasName(id.className), config: id.config ?? {} };
}
