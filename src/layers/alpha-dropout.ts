/**
 * AlphaDropout (Klambauer et al., 2017, "Self-Normalizing Neural Networks", §3): dropout for SELU
 * networks that keeps the mean and variance of its input. Dropped units are set to SELU's
 * negative saturation α' = −λα instead of 0, then an affine map restores the moments:
 *   y = a·(x·keep + α'·(1 − keep)) + b,  keep ~ Bernoulli(1 − rate),
 *   a = ((1 − rate)(1 + rate·α'²))^(−1/2),  b = −a·α'·rate.
 * Identity at inference (Keras' AlphaDropout).
 */
import { bernoulli } from '../core/creation.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { RateNoiseLayer } from './rate-noise-layer.js';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
/** α' = −λα = −1.7580993408473766: the value SELU tends to for x → −∞. */
export const ALPHA_PRIME = -SELU_ALPHA * SELU_SCALE;

/** The affine correction (a, b) of alpha dropout at `rate`. */
export function alphaDropoutAffine(rate: number): { a: number; b: number } {
  const a = ((1 - rate) * (1 + rate * ALPHA_PRIME ** 2)) ** -0.5;
  return { a, b: -a * ALPHA_PRIME * rate };
}

export class AlphaDropout extends RateNoiseLayer {
  static override className = 'AlphaDropout';

  protected perturb(x: Tensor): Tensor {
    const { a, b } = alphaDropoutAffine(this.rate);
    const keep = bernoulli(x.shape, 1 - this.rate, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    // a·(x·keep + α'(1 − keep)) + b = x·(a·keep) + (a·α'·(1 − keep) + b); the mask carries no gradient
    const scale = o.mul(keep, a);
    const shift = o.add(o.mul(o.sub(1, keep), a * ALPHA_PRIME), b);
    return o.add(o.mul(x, scale), shift);
  }
}
