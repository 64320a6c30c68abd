/**
 * Nadam: Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov Momentum into Adam"),
 * in Keras' formulation, with t = iterations + 1 and the momentum schedule
 *   μ_t = β1·(1 − 0.5·0.96^(d·t)),   Π_t = μ_1·…·μ_t
 *   m ← m + (g−m)(1−β1);  v ← v + (g²−v)(1−β2)
 *   m̂ = μ_{t+1}·m/(1 − Π_t·μ_{t+1}) + (1−μ_t)·g/(1 − Π_t);  v̂ = v/(1−β2^t)
 *   w ← w − η·m̂ / (sqrt(v̂) + ε)
 * Defaults: η 0.001, β1 0.9, β2 0.999, ε 1e-7, momentumDecay d = 1.
 *
 * The schedule: d = 1 (0.96^t) is what Keras 3 and tf.keras ≥ 2.11 compute, and is the default
 * so that numbers match current Keras; μ_t then reaches β1 within ~100 steps. d = 0.004
 * (0.96^(t/250)) is the paper's, Keras 2's `schedule_decay` and PyTorch's `momentum_decay`:
 * μ_t stays near β1/2 for thousands of steps. Π_t is a function of the step, recomputed from
 * `iterations` when needed, so saving needs no extra state.
 * NOTE: PyTorch's NAdam uses d = 0.004, ε 1e-8 and η 0.002; its ε placement matches Keras here
 * (added to sqrt of the bias-corrected v).
 */
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { adamHyper } from './adam.js';
import { checkHyper, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface NadamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** d in μ_t = β1(1 − 0.5·0.96^(d·t)): 1 as Keras 3 (default), 0.004 as Dozat / Keras 2 / PyTorch. */
  momentumDecay?: number;
}

export class Nadam extends Optimizer {
  static override className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly momentumDecay: number;
  private productStep = 0;
  private product = 1;

  constructor(args: NadamArgs = {}) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon', 'momentumDecay']);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = adamHyper(args, 'Nadam'));
    this.momentumDecay = checkHyper(args.momentumDecay ?? 1, 'momentumDecay', 'Nadam', { minExclusive: true });
  }

  /** μ_t of the momentum schedule. */
  momentumAt(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** (this.momentumDecay * t));
  }

  /** Π_t = μ_1·…·μ_t, cached for the current step and recomputed if `iterations` jumped. */
  private momentumProduct(t: number): number {
    if (this.productStep === t - 1) { this.product *= this.momentumAt(t); this.productStep = t; }
    else if (this.productStep !== t) {
      let p = 1;
      for (let i = 1; i <= t; i++) p *= this.momentumAt(i);
      this.product = p;
      this.productStep = t;
    }
    return this.product;
  }

  protected updateStep(gradient: Tensor, variable: Variable, lr: number): void {
    const t = this.iterations + 1;
    const b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
    const muT = this.momentumAt(t), muNext = this.momentumAt(t + 1);
    const prod = this.momentumProduct(t);
    const cm = muNext / (1 - prod * muNext);
    const cg = (1 - muT) / (1 - prod);
    const cv = 1 / (1 - b2 ** t);
    const w = variable.data, g = gradient.data, n = w.length;
    const m = this.slotData(variable, 'momentum');
    const v = this.slotData(variable, 'velocity');
    const c1 = 1 - b1, c2 = 1 - b2;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = m[i] + (gi - m[i]) * c1;
      const vi = v[i] + (gi * gi - v[i]) * c2;
      m[i] = mi;
      v[i] = vi;
      w[i] -= (lr * (cm * mi + cg * gi)) / (Math.sqrt(vi * cv) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, momentumDecay: this.momentumDecay };
  }
}
