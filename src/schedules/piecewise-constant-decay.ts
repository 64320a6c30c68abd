/**
 * PiecewiseConstantDecay (Keras): values[0] while step ≤ boundaries[0], values[1] while
 * boundaries[0] < step ≤ boundaries[1], …, values[n] once step > boundaries[n − 1].
 * NOTE: a boundary step still uses the value *before* it (Keras compares `step <= b`);
 * the new value starts at b + 1.
 */
import { LearningRateSchedule } from './schedule.js';
import { checkStep, nonNegative, readOptions, required } from './checks.js';

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing steps. */
  boundaries: readonly number[];
  /** One more value than boundaries. */
  values: readonly number[];
  name?: string;
}

const WHERE = 'PiecewiseConstantDecay';

export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  /** Keras' positional form `(boundaries, values, name?)`, or one options object. */
  constructor(boundaries: readonly number[] | PiecewiseConstantDecayOptions, values?: readonly number[], name?: string) {
    super();
    const o = Array.isArray(boundaries)
      ? { boundaries: boundaries as readonly number[], values, name }
      : readOptions<PiecewiseConstantDecayOptions>(boundaries, ['boundaries', 'values', 'name'], WHERE);
    const b = required(o.boundaries, 'boundaries', WHERE);
    const v = required(o.values, 'values', WHERE);
    if (!Array.isArray(b)) throw new TypeError(`${WHERE}: boundaries must be an array of steps, got ${typeof b}`);
    if (!Array.isArray(v)) throw new TypeError(`${WHERE}: values must be an array of learning rates, got ${typeof v}`);
    if (v.length !== b.length + 1) {
      throw new RangeError(`${WHERE}: values must have one more element than boundaries ` +
        `(${b.length} boundaries → ${b.length + 1} values), got ${v.length} values`);
    }
    b.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${WHERE}: boundaries[${i}] must be a finite number, got ${String(x)}`);
      if (i > 0 && !(x > b[i - 1])) {
        throw new RangeError(`${WHERE}: boundaries must be strictly increasing, got ${b[i - 1]} then ${x} at index ${i}`);
      }
    });
    v.forEach((x, i) => nonNegative(x, `values[${i}]`, WHERE));
    this.boundaries = Object.freeze(b.slice());
    this.values = Object.freeze(v.slice());
    this.name = o.name ?? WHERE;
  }

  call(step: number): number {
    checkStep(step, this.name);
    for (let i = 0; i < this.boundaries.length; i++) if (step <= this.boundaries[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: this.boundaries.slice(), values: this.values.slice(), name: this.name };
  }

  static fromConfig(config: Record<string, unknown>): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay(config as unknown as PiecewiseConstantDecayOptions);
  }
}
