/**
 * MCDropout (Gal & Ghahramani, 2016, "Dropout as a Bayesian Approximation"): a Dropout that stays
 * active at prediction time (training false), so that averaging several stochastic predictions
 * estimates the predictive mean and its spread. Other layers (batch normalization) keep running
 * in inference mode, unlike calling the whole model with training = true.
 */
import type { CallOptions } from './layer.js';
import { Dropout } from './dropout.js';

export class MCDropout extends Dropout {
  static override className = 'MCDropout';

  protected override isActive(_options: CallOptions): boolean {
    return true;
  }
}
