/**
 * Adagrad (Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization"), Keras' formulation:
 *   acc ← acc + g²;  w ← w − η·g / sqrt(acc + ε)
 * Defaults: η 0.001, initialAccumulatorValue 0.1, ε 1e-7.
 * NOTE: PyTorch starts the accumulator at 0 (initial_accumulator_value=0), puts ε outside the
 * square root (g / (sqrt(acc) + ε), ε 1e-10), defaults η to 0.01 and has an lr_decay option.
 */
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { checkHyper, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the accumulator, ≥ 0 (Keras 0.1: large first steps are damped). */
  initialAccumulatorValue?: number;
  /** Added under the square root, > 0. */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  static override className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(args, 0.001, ['initialAccumulatorValue', 'epsilon']);
    this.initialAccumulatorValue = checkHyper(args.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue', 'Adagrad');
    this.epsilon = checkHyper(args.epsilon ?? 1e-7, 'epsilon', 'Adagrad', { minExclusive: true });
  }

  protected updateStep(gradient: Tensor, variable: Variable, lr: number): void {
    const w = variable.data, g = gradient.data, n = w.length, eps = this.epsilon;
    const acc = this.slotData(variable, 'accumulator', this.initialAccumulatorValue);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const ai = acc[i] + gi * gi;
      acc[i] = ai;
      w[i] -= (lr * gi) / Math.sqrt(ai + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
