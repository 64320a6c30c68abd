/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization") with the AMSGrad
 * variant (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond"), in Keras'
 * formulation, with t = iterations + 1:
 *   α = η·sqrt(1−β2^t)/(1−β1^t)
 *   m ← m + (g−m)(1−β1);  v ← v + (g²−v)(1−β2)
 *   amsgrad: v̂ ← max(v̂, v), used instead of v
 *   w ← w − α·m / (sqrt(v) + ε)
 * Defaults: η 0.001, β1 0.9, β2 0.999, ε 1e-7, amsgrad false.
 * NOTE: ε sits outside the square root *after* folding the bias corrections into the step
 * size (the paper's "efficient version", as Keras and TensorFlow). PyTorch adds ε to the
 * bias-corrected sqrt(v̂) instead, w ← w − η/(1−β1^t)·m / (sqrt(v)/sqrt(1−β2^t) + ε), with
 * ε 1e-8: PyTorch's ε equals Keras' ε / sqrt(1−β2^t), which matters early in training and
 * when gradients are tiny. PyTorch's `weight_decay` on Adam is an L2 term added to the
 * gradient; here `weightDecay` is decoupled (see AdamW).
 */
import { kernelsFor } from '../backend/registry.js';
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { checkHyper, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdamArgs extends OptimizerArgs {
  /** Decay of the first-moment average, in [0, 1). */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1). */
  beta2?: number;
  /** Added to sqrt(v) (outside the square root), > 0. */
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad). */
  amsgrad?: boolean;
}

/** Validates β1, β2 and ε as every Adam-family optimizer does. */
export function adamHyper(args: { beta1?: number; beta2?: number; epsilon?: number }, cls: string): { beta1: number; beta2: number; epsilon: number } {
  return {
    beta1: checkHyper(args.beta1 ?? 0.9, 'beta1', cls, { max: 1, maxExclusive: true }),
    beta2: checkHyper(args.beta2 ?? 0.999, 'beta2', cls, { max: 1, maxExclusive: true }),
    epsilon: checkHyper(args.epsilon ?? 1e-7, 'epsilon', cls, { minExclusive: true }),
  };
}

export class Adam extends Optimizer {
  static override className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(args: AdamArgs = {}) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon', 'amsgrad']);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = adamHyper(args, this.className));
    if (typeof (args.amsgrad ?? false) !== 'boolean') throw new TypeError(`${this.className}: amsgrad must be a boolean, got ${String(args.amsgrad)}`);
    this.amsgrad = args.amsgrad ?? false;
  }

  protected updateStep(gradient: Tensor, variable: Variable, lr: number): void {
    const t = this.iterations + 1;
    const b1 = this.scheduledMomentum() ?? this.beta1, b2 = this.beta2;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    const m = this.slotData(variable, 'momentum');
    const v = this.slotData(variable, 'velocity');
    const vHat = this.amsgrad ? this.slotData(variable, 'velocityHat') : null;
    // the backend's fused in-place loop (C on the native backend)
    kernelsFor().adamUpdate(variable.data, gradient.data, m, v, vHat, alpha, b1, b2, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
