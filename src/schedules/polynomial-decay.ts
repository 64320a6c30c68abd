/**
 * PolynomialDecay (Keras): (lr0 − endLr)·(1 − s/decaySteps)^power + endLr with
 * s = min(step, decaySteps), so the rate stays at endLr after decaySteps. With `cycle` the
 * decay restarts instead: decaySteps is stretched to decaySteps·⌈step/decaySteps⌉ (×1 at
 * step 0), so the rate jumps back up at each multiple of decaySteps (Keras' formula).
 */
import { LearningRateSchedule } from './schedule.js';
import { boolean, checkStep, finite, nonNegative, positive, readOptions, required } from './checks.js';

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** Default 1e-4 (Keras). */
  endLearningRate?: number;
  /** Default 1 (linear decay). */
  power?: number;
  cycle?: boolean;
  name?: string;
}

const WHERE = 'PolynomialDecay';
const KEYS = ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'];

export class PolynomialDecay extends LearningRateSchedule {
  static override className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  /** Keras' positional form `(initialLearningRate, decaySteps, endLearningRate?, power?, cycle?, name?)`, or one options object. */
  constructor(initialLearningRate: number | PolynomialDecayOptions, decaySteps?: number, endLearningRate?: number,
    power?: number, cycle?: boolean, name?: string) {
    super();
    const o = typeof initialLearningRate === 'object'
      ? readOptions<PolynomialDecayOptions>(initialLearningRate, KEYS, WHERE)
      : { initialLearningRate, decaySteps, endLearningRate, power, cycle, name };
    this.initialLearningRate = nonNegative(required(o.initialLearningRate, 'initialLearningRate', WHERE), 'initialLearningRate', WHERE);
    this.decaySteps = positive(required(o.decaySteps, 'decaySteps', WHERE), 'decaySteps', WHERE);
    this.endLearningRate = nonNegative(o.endLearningRate ?? 1e-4, 'endLearningRate', WHERE);
    this.power = finite(o.power ?? 1, 'power', WHERE);
    this.cycle = boolean(o.cycle ?? false, 'cycle', WHERE);
    this.name = o.name ?? WHERE;
  }

  call(step: number): number {
    let s = checkStep(step, this.name);
    let decaySteps = this.decaySteps;
    if (this.cycle) decaySteps *= s === 0 ? 1 : Math.ceil(s / decaySteps);
    else s = Math.min(s, decaySteps);
    return (this.initialLearningRate - this.endLearningRate) * (1 - s / decaySteps) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, endLearningRate: this.endLearningRate,
      power: this.power, cycle: this.cycle, name: this.name,
    };
  }

  static fromConfig(config: Record<string, unknown>): PolynomialDecay {
    return new PolynomialDecay(config as unknown as PolynomialDecayOptions);
  }
}
