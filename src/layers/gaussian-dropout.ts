/**
 * GaussianDropout layer (Srivastava et al., 2014, §10): multiplies by noise ~ N(1, rate/(1 − rate))
 * in training (the same mean and variance as inverted dropout's mask); identity at inference.
 */
import { randomNormal } from '../core/creation.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { RateNoiseLayer } from './rate-noise-layer.js';

export class GaussianDropout extends RateNoiseLayer {
  static override className = 'GaussianDropout';

  protected perturb(x: Tensor): Tensor {
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return o.mul(x, randomNormal(x.shape, { mean: 1, stddev, dtype: x.dtype === 'float64' ? 'float64' : 'float32' }));
  }
}
