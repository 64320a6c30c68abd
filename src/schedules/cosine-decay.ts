/**
 * CosineDecay (Loshchilov & Hutter 2017, "SGDR", without restarts), with Keras 3's warmup:
 *   without warmupTarget: lr0 · d(min(step, decaySteps) / decaySteps),
 *   with warmupTarget:    step < warmupSteps → lr0 + (warmupTarget − lr0)·step/warmupSteps (linear),
 *                         then warmupTarget · d(min(step − warmupSteps, decaySteps) / decaySteps),
 * where d(p) = (1 − alpha)·½(1 + cos(π·p)) + alpha, so the rate ends at alpha × its peak.
 * warmupSteps is ignored when warmupTarget is null (as Keras).
 */
import { LearningRateSchedule } from './schedule.js';
import { checkStep, nonNegative, positive, readOptions, required } from './checks.js';

export interface CosineDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** The final rate as a fraction of the peak; default 0. */
  alpha?: number;
  name?: string;
  /** The rate reached at the end of the warmup; null (default) for no warmup. */
  warmupTarget?: number | null;
  /** Default 0. */
  warmupSteps?: number;
}

const WHERE = 'CosineDecay';
const KEYS = ['initialLearningRate', 'decaySteps', 'alpha', 'name', 'warmupTarget', 'warmupSteps'];

export class CosineDecay extends LearningRateSchedule {
  static override className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  /** Keras' positional form `(initialLearningRate, decaySteps, alpha?, name?, warmupTarget?, warmupSteps?)`, or one options object. */
  constructor(initialLearningRate: number | CosineDecayOptions, decaySteps?: number, alpha?: number, name?: string,
    warmupTarget?: number | null, warmupSteps?: number) {
    super();
    const o = typeof initialLearningRate === 'object'
      ? readOptions<CosineDecayOptions>(initialLearningRate, KEYS, WHERE)
      : { initialLearningRate, decaySteps, alpha, name, warmupTarget, warmupSteps };
    this.initialLearningRate = nonNegative(required(o.initialLearningRate, 'initialLearningRate', WHERE), 'initialLearningRate', WHERE);
    this.decaySteps = positive(required(o.decaySteps, 'decaySteps', WHERE), 'decaySteps', WHERE);
    this.alpha = nonNegative(o.alpha ?? 0, 'alpha', WHERE);
    if (this.alpha > 1) throw new RangeError(`${WHERE}: alpha must be in [0, 1] (the final fraction of the rate), got ${this.alpha}`);
    this.name = o.name ?? WHERE;
    this.warmupTarget = o.warmupTarget == null ? null : nonNegative(o.warmupTarget, 'warmupTarget', WHERE);
    this.warmupSteps = nonNegative(o.warmupSteps ?? 0, 'warmupSteps', WHERE);
  }

  call(step: number): number {
    const s = checkStep(step, this.name);
    if (this.warmupTarget === null) return this.decayed(Math.min(s, this.decaySteps), this.initialLearningRate);
    if (s < this.warmupSteps) {
      return this.initialLearningRate + (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps);
    }
    return this.decayed(Math.min(s - this.warmupSteps, this.decaySteps), this.warmupTarget);
  }

  private decayed(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha, name: this.name,
      warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps,
    };
  }

  static fromConfig(config: Record<string, unknown>): CosineDecay {
    return new CosineDecay(config as unknown as CosineDecayOptions);
  }
}
