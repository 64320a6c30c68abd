/**
 * 1cycle (Smith 2018, "A disciplined approach to neural network hyper-parameters"; the
 * OneCycleScheduler of Géron's book, chapter 11, and PyTorch's OneCycleLR with
 * three_phase=True). Not in Keras. Three phases over `totalSteps` optimizer steps:
 *
 *   1. 0 ≤ step < h:            startLr → maxLr
 *   2. h ≤ step < 2h:           maxLr → startLr
 *   3. 2h ≤ step < totalSteps:  startLr → endLr (the "annihilation"), reaching endLr at
 *                               step = totalSteps; later steps stay at endLr.
 *
 * The integer rules (the book's, which give the chapter's breakpoints exactly):
 *   lastPhaseSteps L = ⌊totalSteps · lastPhaseFraction⌋ + 1      (book: iterations // 10 + 1)
 *   h               = ⌊(totalSteps − L) / 2⌋                     (book: half_iteration)
 * Phase 3 spans totalSteps − 2h steps: L, or L + 1 when totalSteps − L is odd.
 * Chapter check: totalSteps 10,750 (25 epochs × 430 batches), maxLr 0.1 → L = 1,076, h = 4,837:
 * lr(0) = 0.01, lr(4837) = 0.1, lr(9674) = 0.01, then down to 1e-5 over 1,076 steps.
 *
 * Defaults: startLr = maxLr/10 and endLr = startLr/1000 (the book's; PyTorch's div_factor 25
 * and final_div_factor 1e4 differ), lastPhaseFraction 0.1, linear interpolation ('cos' gives
 * PyTorch's default cosine annealing between the same breakpoints).
 *
 * Momentum cycling (Smith; PyTorch's cycle_momentum): `momentumAt(step)` runs inversely to
 * the rate — maxMomentum → minMomentum in phase 1, back to maxMomentum in phase 2, then held
 * at maxMomentum. The schedule only computes it: a callback applies it (to SGD's momentum or
 * Adam's β1) when `cycleMomentum` is true (default false, as the book's scheduler).
 */
import { LearningRateSchedule } from './schedule.js';
import { boolean, checkStep, nonNegative, positive, positiveInteger, readOptions, required } from './checks.js';

export type OneCycleAnneal = 'linear' | 'cos';

export interface OneCycleOptions {
  maxLr: number;
  /** Optimizer steps in the whole cycle (epochs × batches per epoch). */
  totalSteps: number;
  /** Default maxLr / 10. */
  startLr?: number;
  /** Default startLr / 1000. */
  endLr?: number;
  /** Fraction of totalSteps for the last phase; default 0.1 (L = ⌊totalSteps·f⌋ + 1). */
  lastPhaseFraction?: number;
  /** The last phase's length L in steps, instead of lastPhaseFraction. */
  lastPhaseSteps?: number;
  /** Default 'linear' (the book's); 'cos' as PyTorch's default. */
  anneal?: OneCycleAnneal;
  /** Whether a callback should apply momentumAt(step); default false. */
  cycleMomentum?: boolean;
  /** Default 0.95. */
  maxMomentum?: number;
  /** Default 0.85. */
  minMomentum?: number;
  name?: string;
}

const WHERE = 'OneCycle';
const KEYS = ['maxLr', 'totalSteps', 'startLr', 'endLr', 'lastPhaseFraction', 'lastPhaseSteps', 'anneal',
  'cycleMomentum', 'maxMomentum', 'minMomentum', 'name'];

/** From `a` at pct = 0 to `b` at pct = 1. */
function interpolate(a: number, b: number, pct: number, anneal: OneCycleAnneal): number {
  if (anneal === 'cos') return b + ((a - b) / 2) * (1 + Math.cos(Math.PI * pct));
  return a + (b - a) * pct;
}

export class OneCycle extends LearningRateSchedule {
  static override className = 'OneCycle';
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly startLr: number;
  readonly endLr: number;
  /** L: the length of the last phase (before rounding half the rest down). */
  readonly lastPhaseSteps: number;
  /** h: the step at which the rate peaks; phase 2 ends at 2h. */
  readonly halfSteps: number;
  readonly anneal: OneCycleAnneal;
  readonly cycleMomentum: boolean;
  readonly maxMomentum: number;
  readonly minMomentum: number;
  readonly name: string;

  constructor(options: OneCycleOptions) {
    super();
    const o = readOptions<OneCycleOptions>(options, KEYS, WHERE);
    this.maxLr = positive(required(o.maxLr, 'maxLr', WHERE), 'maxLr', WHERE);
    this.totalSteps = positiveInteger(required(o.totalSteps, 'totalSteps', WHERE), 'totalSteps', WHERE);
    this.startLr = nonNegative(o.startLr ?? this.maxLr / 10, 'startLr', WHERE);
    this.endLr = nonNegative(o.endLr ?? this.startLr / 1000, 'endLr', WHERE);
    if (o.lastPhaseSteps !== undefined && o.lastPhaseFraction !== undefined) {
      throw new TypeError(`${WHERE}: give lastPhaseSteps or lastPhaseFraction, not both`);
    }
    if (o.lastPhaseSteps !== undefined) {
      this.lastPhaseSteps = positiveInteger(o.lastPhaseSteps, 'lastPhaseSteps', WHERE);
      if (this.lastPhaseSteps > this.totalSteps) {
        throw new RangeError(`${WHERE}: lastPhaseSteps (${this.lastPhaseSteps}) must be ≤ totalSteps (${this.totalSteps})`);
      }
    } else {
      const f = nonNegative(o.lastPhaseFraction ?? 0.1, 'lastPhaseFraction', WHERE);
      if (!(f < 1)) throw new RangeError(`${WHERE}: lastPhaseFraction must be in [0, 1), got ${f}`);
      // NOTE: + 1e-9 so that e.g. 100 · 0.29 = 28.999999999999996 floors to 29
      this.lastPhaseSteps = Math.min(this.totalSteps, Math.floor(this.totalSteps * f + 1e-9) + 1);
    }
    this.halfSteps = Math.floor((this.totalSteps - this.lastPhaseSteps) / 2);
    this.anneal = o.anneal ?? 'linear';
    if (this.anneal !== 'linear' && this.anneal !== 'cos') {
      throw new RangeError(`${WHERE}: anneal must be 'linear' or 'cos', got ${JSON.stringify(o.anneal)}`);
    }
    this.cycleMomentum = boolean(o.cycleMomentum ?? false, 'cycleMomentum', WHERE);
    this.maxMomentum = nonNegative(o.maxMomentum ?? 0.95, 'maxMomentum', WHERE);
    this.minMomentum = nonNegative(o.minMomentum ?? 0.85, 'minMomentum', WHERE);
    if (this.maxMomentum > 1 || this.minMomentum > this.maxMomentum) {
      throw new RangeError(`${WHERE}: expected 0 ≤ minMomentum ≤ maxMomentum ≤ 1, got minMomentum ${this.minMomentum}, maxMomentum ${this.maxMomentum}`);
    }
    this.name = o.name ?? WHERE;
  }

  /** The phase boundaries [0, h, 2h, totalSteps]: peak at h, back at startLr at 2h. */
  get breakpoints(): [number, number, number, number] {
    return [0, this.halfSteps, 2 * this.halfSteps, this.totalSteps];
  }

  call(step: number): number {
    const s = checkStep(step, this.name);
    const h = this.halfSteps, n = this.totalSteps;
    if (s < h) return interpolate(this.startLr, this.maxLr, s / h, this.anneal);
    if (s < 2 * h) return interpolate(this.maxLr, this.startLr, (s - h) / h, this.anneal);
    if (s < n) return interpolate(this.startLr, this.endLr, (s - 2 * h) / (n - 2 * h), this.anneal);
    return this.endLr;
  }

  /** The momentum (or Adam β1) at `step`: inverse to the rate in phases 1–2, maxMomentum after. */
  momentumAt(step: number): number {
    const s = checkStep(step, this.name);
    const h = this.halfSteps;
    if (s < h) return interpolate(this.maxMomentum, this.minMomentum, s / h, this.anneal);
    if (s < 2 * h) return interpolate(this.minMomentum, this.maxMomentum, (s - h) / h, this.anneal);
    return this.maxMomentum;
  }

  getConfig(): Record<string, unknown> {
    return {
      maxLr: this.maxLr, totalSteps: this.totalSteps, startLr: this.startLr, endLr: this.endLr,
      lastPhaseSteps: this.lastPhaseSteps, anneal: this.anneal, cycleMomentum: this.cycleMomentum,
      maxMomentum: this.maxMomentum, minMomentum: this.minMomentum, name: this.name,
    };
  }

  static fromConfig(config: Record<string, unknown>): OneCycle {
    return new OneCycle(config as unknown as OneCycleOptions);
  }
}
