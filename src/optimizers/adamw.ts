/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"): Adam whose weight
 * decay shrinks the weights directly instead of adding λw to the gradient, as Keras 3:
 *   w ← w − η·wd·w   (the base class, before the Adam step; see Optimizer)
 *   then the Adam step of adam.ts.
 * Defaults: Adam's, plus weightDecay 0.004 (Keras). Variables can be excluded by name substring
 * or object (`excludeFromWeightDecay`), e.g. biases and normalization parameters.
 * NOTE: the paper scales the decay by the schedule multiplier only (w −= η_t·λ·w); Keras and
 * PyTorch multiply by the learning rate, so λ here is ~1/η times the paper's. PyTorch's AdamW
 * defaults weight_decay to 0.01 and uses ε 1e-8 placed after bias correction (see Adam).
 */
import { Adam, type AdamArgs } from './adam.js';

export class AdamW extends Adam {
  static override className = 'AdamW';

  constructor(args: AdamArgs = {}) {
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 });
  }
}
