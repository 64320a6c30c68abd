/**
 * Dropout (Srivastava et al., 2014), inverted: in training, each unit is kept with probability
 * 1 − rate and scaled by 1/(1 − rate); identity at inference. Masks come from the library
 * generator, so gf.setSeed makes them reproducible.
 */
import { bernoulli } from '../core/creation.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { RateNoiseLayer } from './rate-noise-layer.js';

export class Dropout extends RateNoiseLayer {
  static override className = 'Dropout';

  protected perturb(x: Tensor): Tensor {
    const keep = bernoulli(x.shape, 1 - this.rate, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    return o.mul(x, o.mul(keep, 1 / (1 - this.rate)));
  }
}
