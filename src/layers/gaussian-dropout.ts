/**
 * GaussianDropout layer (Srivastava et al., 2014, §10): multiplies by noise ~ N(1, rate/(1 − rate))
 * in training (the same mean and variance as inverted dropout's mask); identity at inference.
 */
import { randomNormal } from '../core/creation.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export class GaussianDropout extends Layer {
  static override className = 'GaussianDropout';
  readonly rate: number;

  constructor(rate: number, args: LayerArgs = {}) {
    super(args);
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
      throw new RangeError(`GaussianDropout (${this.name}): rate must be a number in [0, 1), got ${String(rate)}`);
    }
    this.rate = rate;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if ((options.training !== true && options.mcDropout !== true) || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    const noise = randomNormal(x.shape, { mean: 1, stddev, dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    return o.mul(x, noise);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.rate as number, config);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate };
  }
}
