/**
 * The arguments ExponentialDecay and InverseTimeDecay share (Keras gives both the same
 * signature): initialLearningRate, decaySteps, decayRate, staircase, name.
 */
import { LearningRateSchedule } from './schedule.js';
import { boolean, checkStep, nonNegative, positive, readOptions, required } from './checks.js';

export interface StepDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in discrete jumps: use ⌊step / decaySteps⌋ instead of step / decaySteps. */
  staircase?: boolean;
  name?: string;
}

const KEYS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'];

export abstract class StepDecay extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  /**
   * Keras' positional form `(initialLearningRate, decaySteps, decayRate, staircase?, name?)`,
   * or one options object (the config form).
   */
  constructor(initialLearningRate: number | StepDecayOptions, decaySteps?: number, decayRate?: number, staircase?: boolean, name?: string) {
    super();
    const where = (this.constructor as typeof LearningRateSchedule).className;
    const o = typeof initialLearningRate === 'object'
      ? readOptions<StepDecayOptions>(initialLearningRate, KEYS, where)
      : { initialLearningRate, decaySteps, decayRate, staircase, name };
    this.initialLearningRate = nonNegative(required(o.initialLearningRate, 'initialLearningRate', where), 'initialLearningRate', where);
    this.decaySteps = positive(required(o.decaySteps, 'decaySteps', where), 'decaySteps', where);
    this.decayRate = this.checkRate(required(o.decayRate, 'decayRate', where), where);
    this.staircase = boolean(o.staircase ?? false, 'staircase', where);
    this.name = o.name ?? where;
  }

  /** Each schedule's own range for decayRate. */
  protected abstract checkRate(rate: number, where: string): number;

  /** step / decaySteps, floored with staircase. */
  protected progress(step: number): number {
    const p = checkStep(step, this.name) / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate,
      staircase: this.staircase, name: this.name,
    };
  }
}
