/**
 * RMSprop (Hinton, Srivastava & Swersky 2012, Neural Networks for Machine Learning, lecture 6e;
 * the centered variant from Graves 2013, "Generating Sequences With Recurrent Neural Networks"),
 * Keras' formulation:
 *   s ← ρ·s + (1−ρ)·g²
 *   centered: ḡ ← ρ·ḡ + (1−ρ)·g;  d = s − ḡ² + ε      else d = s + ε
 *   Δ = η·g / sqrt(d)
 *   momentum: b ← μ·b + Δ;  w ← w − b                  else w ← w − Δ
 * Defaults: η 0.001, ρ 0.9, μ 0, ε 1e-7, centered false.
 * NOTE: PyTorch calls ρ `alpha` (default 0.99), puts ε outside the square root
 * (g / (sqrt(s) + ε), ε 1e-8) and keeps η outside the momentum buffer (b ← μ·b + g/…, w −= η·b).
 */
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { checkHyper, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface RMSpropArgs extends OptimizerArgs {
  /** Discount of the squared-gradient average, in [0, 1). */
  rho?: number;
  /** μ in [0, 1]; 0 keeps no momentum buffer. */
  momentum?: number;
  /** Added under the square root, > 0. */
  epsilon?: number;
  /** Normalize by the variance estimate s − ḡ² instead of s. */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  static override className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001, ['rho', 'momentum', 'epsilon', 'centered']);
    this.rho = checkHyper(args.rho ?? 0.9, 'rho', 'RMSprop', { max: 1, maxExclusive: true });
    this.momentum = checkHyper(args.momentum ?? 0, 'momentum', 'RMSprop', { max: 1 });
    this.epsilon = checkHyper(args.epsilon ?? 1e-7, 'epsilon', 'RMSprop', { minExclusive: true });
    if (typeof (args.centered ?? false) !== 'boolean') throw new TypeError(`RMSprop: centered must be a boolean, got ${String(args.centered)}`);
    this.centered = args.centered ?? false;
  }

  protected updateStep(gradient: Tensor, variable: Variable, lr: number): void {
    const w = variable.data, g = gradient.data, n = w.length;
    const rho = this.rho, mu = this.momentum, eps = this.epsilon;
    const s = this.slotData(variable, 'velocity');
    const avg = this.centered ? this.slotData(variable, 'averageGradient') : null;
    const b = mu > 0 ? this.slotData(variable, 'momentum') : null;
    const c = 1 - rho;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = rho * s[i] + c * gi * gi;
      s[i] = si;
      let d = si + eps;
      if (avg !== null) {
        const ai = rho * avg[i] + c * gi;
        avg[i] = ai;
        d = si - ai * ai + eps;
      }
      const step = (lr * gi) / Math.sqrt(d);
      if (b !== null) {
        const bi = mu * b[i] + step;
        b[i] = bi;
        w[i] -= bi;
      } else {
        w[i] -= step;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
