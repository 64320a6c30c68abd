/**
 * InverseTimeDecay (Keras): lr0 / (1 + decayRate · step / decaySteps) — "power scheduling"
 * with c = 1. With staircase the ratio step / decaySteps is floored.
 *
 * Chapter value: InverseTimeDecay(0.01, 10000, 1.0) after 1,719 steps → 0.01 / 1.1719 = 0.0085332.
 */
import { nonNegative } from './checks.js';
import { StepDecay, type StepDecayOptions } from './step-decay.js';

export class InverseTimeDecay extends StepDecay {
  static override className = 'InverseTimeDecay';

  protected checkRate(rate: number, where: string): number {
    return nonNegative(rate, 'decayRate', where);
  }

  call(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.progress(step));
  }

  static fromConfig(config: Record<string, unknown>): InverseTimeDecay {
    return new InverseTimeDecay(config as unknown as StepDecayOptions);
  }
}
