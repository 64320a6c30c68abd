/**
 * Adamax (Kingma & Ba 2015, section 7.1): Adam with the infinity norm of past gradients, in
 * Keras' formulation, with t = iterations + 1:
 *   m ← m + (g−m)(1−β1);  u ← max(β2·u, |g|)
 *   w ← w − η·m / ((1−β1^t)(u + ε))
 * Defaults: η 0.001, β1 0.9, β2 0.999, ε 1e-7.
 * NOTE: PyTorch adds ε to |g| inside the maximum (u ← max(β2·u, |g| + ε)) with ε 1e-8, and
 * defaults η to 0.002.
 */
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { adamHyper } from './adam.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adamax extends Optimizer {
  static override className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon']);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = adamHyper(args, 'Adamax'));
  }

  protected updateStep(gradient: Tensor, variable: Variable, lr: number): void {
    const t = this.iterations + 1;
    const b1 = this.scheduledMomentum() ?? this.beta1, b2 = this.beta2, eps = this.epsilon;
    const correction = 1 - b1 ** t;
    const w = variable.data, g = gradient.data, n = w.length;
    const m = this.slotData(variable, 'momentum');
    const u = this.slotData(variable, 'norm');
    const c1 = 1 - b1, step = lr / correction;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = m[i] + (gi - m[i]) * c1;
      const ui = Math.max(b2 * u[i], Math.abs(gi));
      m[i] = mi;
      u[i] = ui;
      w[i] -= (step * mi) / (ui + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
