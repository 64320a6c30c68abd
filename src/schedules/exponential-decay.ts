/**
 * ExponentialDecay (Keras): lr0 · decayRate^(step / decaySteps); with staircase the exponent
 * is floored. A decayRate > 1 grows the rate (what an LR finder does).
 *
 * Chapter value: ExponentialDecay(0.01, 20000, 0.1) after 1,719 steps → 0.01·0.1^0.08595 = 0.0082045.
 */
import { positive } from './checks.js';
import { StepDecay, type StepDecayOptions } from './step-decay.js';

export class ExponentialDecay extends StepDecay {
  static override className = 'ExponentialDecay';

  protected checkRate(rate: number, where: string): number {
    return positive(rate, 'decayRate', where);
  }

  call(step: number): number {
    return this.initialLearningRate * this.decayRate ** this.progress(step);
  }

  static fromConfig(config: Record<string, unknown>): ExponentialDecay {
    return new ExponentialDecay(config as unknown as StepDecayOptions);
  }
}
