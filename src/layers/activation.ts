/** Activation: applies a named activation as its own layer. */
import type { Tensor } from '../core/tensor.js';
import * as activations from '../activations/index.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';
import { activationConfig, type ActivationIdentifier } from './activation-config.js';

export class Activation extends Layer {
  static override className = 'Activation';
  private readonly id: ActivationIdentifier;
  readonly fn: activations.ActivationFn;

  constructor(activation: ActivationIdentifier, args: LayerArgs = {}) {
    super(args);
    this.id = activation;
    this.fn = activations.get(activation);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return this.fn(x);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.activation, config);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: activationConfig(this.id) };
  }
}
