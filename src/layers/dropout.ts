/**
 * Dropout (Srivastava et al., 2014), inverted: in training, each unit is kept with probability
 * 1 − rate and scaled by 1/(1 − rate); identity at inference. Masks come from the library
 * generator, so gf.setSeed makes them reproducible.
 */
import { bernoulli } from '../core/creation.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export class Dropout extends Layer {
  static override className = 'Dropout';
  readonly rate: number;

  constructor(rate: number, args: LayerArgs = {}) {
    super(args);
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
      throw new RangeError(`${(this.constructor as typeof Layer).className} (${this.name}): rate must be a number in [0, 1), got ${String(rate)}`);
    }
    this.rate = rate;
  }

  /** Whether dropout is active for this call (MC dropout overrides this to stay on). */
  protected isActive(options: CallOptions): boolean {
    return options.training === true || options.mcDropout === true;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (!this.isActive(options) || this.rate === 0) return x;
    const keep = bernoulli(x.shape, 1 - this.rate, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    return o.mul(x, o.mul(keep, 1 / (1 - this.rate)));
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
