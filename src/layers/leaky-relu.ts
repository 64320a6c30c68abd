/**
 * LeakyReLU layer (Maas et al., 2013): x for x > 0, negativeSlope · x otherwise.
 * NOTE: the *layer* default slope is 0.3 (Keras' LeakyReLU layer); the `leaky_relu` activation
 * function defaults to 0.2. `alpha` is accepted as an alias of `negativeSlope` (tf.keras and
 * TensorFlow.js spelling).
 */
import { leakyRelu } from '../activations/index.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export interface LeakyReLUArgs extends LayerArgs {
  negativeSlope?: number;
  /** Deprecated alias of `negativeSlope`. */
  alpha?: number;
}

export class LeakyReLU extends Layer {
  static override className = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    if (args.negativeSlope !== undefined && args.alpha !== undefined && args.negativeSlope !== args.alpha) {
      throw new TypeError(`LeakyReLU (${this.name}): give negativeSlope or its alias alpha, not both ` +
        `(got negativeSlope=${args.negativeSlope}, alpha=${args.alpha})`);
    }
    const slope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (!(typeof slope === 'number' && Number.isFinite(slope) && slope >= 0)) {
      throw new RangeError(`LeakyReLU (${this.name}): negativeSlope must be a finite number ≥ 0, got ${String(slope)}`);
    }
    this.negativeSlope = slope;
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
