/**
 * Stochastic gradient descent with optional momentum (Polyak 1964) and Nesterov momentum
 * (Nesterov 1983; Sutskever et al. 2013, "On the importance of initialization and momentum
 * in deep learning"), in Keras' formulation:
 *   v ← μ·v − η·g;  w ← w + v            (momentum)
 *   w ← w + μ·v − η·g                    (Nesterov, with the updated v)
 * Defaults: η 0.01, μ 0, nesterov false.
 * NOTE: PyTorch keeps v ← μ·v + g and w ← w − η·v (η outside the buffer); the trajectories
 * agree for a constant η but differ when η changes mid-training (Keras' v remembers old rates).
 * PyTorch's `dampening` has no Keras counterpart.
 */
import { kernelsFor } from '../backend/registry.js';
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { checkHyper, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface SGDArgs extends OptimizerArgs {
  /** μ in [0, 1]; 0 disables momentum (no state is kept). */
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  static override className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super(args, 0.01, ['momentum', 'nesterov']);
    this.momentum = checkHyper(args.momentum ?? 0, 'momentum', 'SGD', { max: 1 });
    if (typeof (args.nesterov ?? false) !== 'boolean') throw new TypeError(`SGD: nesterov must be a boolean, got ${String(args.nesterov)}`);
    this.nesterov = args.nesterov ?? false;
  }

  protected updateStep(gradient: Tensor, variable: Variable, lr: number): void {
    const mu = this.scheduledMomentum() ?? this.momentum;
    // the backend's fused in-place loop (C on the native backend: the hottest loop of a step)
    const v = mu === 0 ? null : this.slotData(variable, 'momentum');
    kernelsFor().sgdUpdate(variable.data, gradient.data, v, lr, mu, this.nesterov);
  }


  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
