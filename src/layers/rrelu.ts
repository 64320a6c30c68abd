/**
 * RReLU layer (randomized leaky ReLU; Xu et al., 2015, "Empirical Evaluation of Rectified
 * Activations in Convolutional Network"). Not in Keras: PyTorch's definition and defaults. In
 * training the negative slope is drawn per element from U(lower, upper) (library generator, so
 * gf.setSeed makes it reproducible); at inference it is fixed at (lower + upper) / 2.
 */
import { rrelu } from '../activations/index.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export interface RReLUArgs extends LayerArgs {
  lower?: number;
  upper?: number;
}

export class RReLU extends Layer {
  static override className = 'RReLU';
  readonly lower: number;
  readonly upper: number;

  constructor(args: RReLUArgs = {}) {
    super(args);
    const lower = args.lower ?? 1 / 8;
    const upper = args.upper ?? 1 / 3;
    if (!(Number.isFinite(lower) && Number.isFinite(upper) && lower >= 0 && upper >= lower)) {
      throw new RangeError(`RReLU (${this.name}): expected finite 0 ≤ lower ≤ upper, got lower=${String(lower)}, upper=${String(upper)}`);
    }
    this.lower = lower;
    this.upper = upper;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    return rrelu(x, { lower: this.lower, upper: this.upper, training: options.training === true });
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), lower: this.lower, upper: this.upper };
  }
}
