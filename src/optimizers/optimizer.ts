/**
 * Optimizer base: one fixed pipeline per step, as Keras 3's BaseOptimizer —
 *   drop variables without a gradient → clip → decoupled weight decay → updateStep
 *   → apply the variable's constraint → iterations++.
 * State (moments, …) is keyed by the Variable object, never by position or name, so freezing
 * layers and recompiling with the same optimizer keeps the state of the variables still training.
 *
 * Updates run in place over the typed arrays (one fused loop per variable in each subclass):
 * the arithmetic is done in float64 and rounded once when stored, so float64 variables follow
 * the textbook formulas exactly and float32 ones lose at most one rounding per stored value.
 */
import { noGrad } from '../core/autograd.js';
import { allocate, type DataArray } from '../core/dtype.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import type { LearningRateSchedule } from '../schedules/schedule.js';
import {
  describeLearningRate, resolveLearningRate, serializeLearningRate,
  type LearningRateArg, type ScheduleLike,
} from './learning-rate.js';

export interface OptimizerArgs {
  /** A number, a LearningRateSchedule, a `(step) => lr` function, or a serialized schedule. */
  learningRate?: LearningRateArg;
  /** Clip each gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale each variable's gradient to an L2 norm ≤ clipnorm. */
  clipnorm?: number | null;
  /** Rescale all gradients jointly to a global L2 norm ≤ globalClipnorm. */
  globalClipnorm?: number | null;
  /**
   * Decoupled weight decay applied before each update, as Keras 3 does for every optimizer:
   * w ← w − η·wd·w (Loshchilov & Hutter 2019). Not an L2 penalty on the loss.
   */
  weightDecay?: number | null;
  /** Variables whose name contains any of these substrings get no weight decay (e.g. 'bias'). */
  excludeFromWeightDecay?: readonly string[];
  name?: string;
}

/** What the last step's clipping did (telemetry for gradient diagnostics). */
export interface ClipReport {
  /** Which clipping option is set, or null. */
  method: 'clipvalue' | 'clipnorm' | 'globalClipnorm' | null;
  /** Whether any gradient value was changed by clipping. */
  clipped: boolean;
  /** Global L2 norm of all gradients before clipping. */
  normBefore: number;
  /** Global L2 norm after clipping (equal to normBefore when nothing was clipped). */
  normAfter: number;
}

export function checkHyper(value: unknown, name: string, where: string, { min = 0, max = Infinity, maxExclusive = false, minExclusive = false } = {}): number {
  if (typeof value !== 'number' || Number.isNaN(value) || (minExclusive ? value <= min : value < min) ||
    (maxExclusive ? value >= max : value > max)) {
    const lo = minExclusive ? `(${min}` : `[${min}`;
    const range = max === Infinity ? (minExclusive ? `> ${min}` : `≥ ${min}`) : `in ${lo}, ${max}${maxExclusive ? ')' : ']'}`;
    throw new RangeError(`${where}: ${name} must be a number ${range}, got ${String(value)}`);
  }
  return value;
}

type Pair = readonly [Tensor | null | undefined, Variable];

const BASE_KEYS = ['learningRate', 'clipvalue', 'clipnorm', 'globalClipnorm', 'weightDecay', 'excludeFromWeightDecay', 'name'];

function checkKeys(args: object, known: readonly string[], cls: string): void {
  for (const key of Object.keys(args)) {
    if (known.includes(key) || (args as Record<string, unknown>)[key] === undefined) continue;
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const hint = known.find((k) => k.toLowerCase() === camel.toLowerCase());
    throw new TypeError(`${cls}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${known.join(', ')}`);
  }
}

/**
 * Optimizer classes whose applyGradients keeps no reference to a gradient once it returns (the
 * built-in ones, registered in index.ts). The training loop recycles gradient memory after each
 * step only for these; a user-defined subclass might keep a gradient in its state.
 */
const gradientsNotRetained = new Set<Function>();

/** Declares that `cls` (exactly, not its subclasses) keeps no gradient after applyGradients. */
export function declareGradientsNotRetained(cls: Function): void {
  gradientsNotRetained.add(cls);
}

export abstract class Optimizer {
  static className: string;
  readonly name: string;
  readonly clipvalue: number | null;
  readonly clipnorm: number | null;
  readonly globalClipnorm: number | null;
  readonly weightDecay: number | null;
  /** Number of update steps applied so far (the schedule's step; t = iterations + 1 in the formulas). */
  iterations = 0;
  /** Clipping telemetry of the last step (null before the first step). */
  lastClip: ClipReport | null = null;
  /** Measure the global gradient norm (lastClip) even when no clipping is configured. */
  recordGradientNorm = false;
  private lrValue = 0;
  private lrSchedule: ScheduleLike | null = null;
  private readonly excludedNames: string[];
  private readonly excludedVariables = new WeakSet<Variable>();
  private readonly slots = new Map<Variable, Record<string, Tensor>>();

  /**
   * @param ownKeys the subclass's own option names: any other key is rejected (a misspelled
   *   option such as `learning_rate` must not be silently ignored).
   */
  constructor(args: OptimizerArgs, defaultLearningRate: number, ownKeys: readonly string[] = []) {
    const cls = this.className;
    if (args === null || typeof args !== 'object') throw new TypeError(`${cls}: expected an options object, got ${String(args)}`);
    checkKeys(args, [...BASE_KEYS, ...ownKeys], cls);
    this.name = args.name ?? cls;
    this.learningRate = resolveLearningRate(args.learningRate ?? defaultLearningRate, cls);
    const clips = (['clipvalue', 'clipnorm', 'globalClipnorm'] as const).filter((k) => args[k] !== undefined && args[k] !== null);
    if (clips.length > 1) {
      throw new Error(`${cls}: at most one of clipvalue, clipnorm and globalClipnorm can be set, got ${clips.join(' and ')}`);
    }
    this.clipvalue = args.clipvalue != null ? checkHyper(args.clipvalue, 'clipvalue', cls) : null;
    this.clipnorm = args.clipnorm != null ? checkHyper(args.clipnorm, 'clipnorm', cls) : null;
    this.globalClipnorm = args.globalClipnorm != null ? checkHyper(args.globalClipnorm, 'globalClipnorm', cls) : null;
    this.weightDecay = args.weightDecay != null ? checkHyper(args.weightDecay, 'weightDecay', cls) : null;
    const names = args.excludeFromWeightDecay ?? [];
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      throw new TypeError(`${cls}: excludeFromWeightDecay must be an array of variable-name substrings, got ${JSON.stringify(names)}`);
    }
    this.excludedNames = [...names];
  }

  /**
   * Whether this optimizer may hold on to a gradient tensor after applyGradients returns. False
   * only for the built-in classes: the training loop then reuses gradient memory across steps.
   */
  get mayRetainGradients(): boolean {
    return !gradientsNotRetained.has(this.constructor);
  }

  /** The registered class name (stable under minification). */
  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /**
   * The learning rate the next step uses: the number, or the schedule evaluated at `iterations`.
   * Setting a number replaces a schedule (Keras raises instead; replacing lets callbacks such as
   * ReduceLROnPlateau and the LR finder work on any optimizer); a schedule or function can be set too.
   */
  get learningRate(): number {
    if (!this.lrSchedule) return this.lrValue;
    const s = this.lrSchedule;
    const lr = typeof s === 'function' ? s(this.iterations) : s.call(this.iterations);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new RangeError(`${this.className}: the learning-rate schedule ${describeLearningRate(s)} returned ${String(lr)} ` +
        `at step ${this.iterations}; expected a finite number ≥ 0`);
    }
    return lr;
  }

  set learningRate(value: number | LearningRateSchedule | ((step: number) => number)) {
    const resolved = resolveLearningRate(value, this.className);
    if (typeof resolved === 'number') {
      this.lrValue = checkHyper(resolved, 'learningRate', this.className);
      this.lrSchedule = null;
    } else {
      this.lrSchedule = resolved;
    }
  }

  /**
   * This step's momentum when the learning rate is a schedule that cycles it (OneCycle with
   * `cycleMomentum`, as PyTorch's cycle_momentum): SGD uses it as μ, Adam and Adamax as β1.
   * null otherwise (the optimizer's own hyper-parameter applies).
   */
  protected scheduledMomentum(): number | null {
    const s = this.learningRateSchedule as { cycleMomentum?: unknown; momentumAt?: (step: number) => number } | null;
    return s && s.cycleMomentum === true && typeof s.momentumAt === 'function' ? s.momentumAt(this.iterations) : null;
  }

  /** The schedule (or function) driving the learning rate, or null for a constant rate. */
  get learningRateSchedule(): LearningRateSchedule | ((step: number) => number) | null {
    return this.lrSchedule;
  }

  /**
   * Excludes variables from weight decay: Variable objects, or name substrings (Keras matches
   * `var_names` against `variable.name` the same way, e.g. 'bias' or 'batch_normalization').
   * Names are saved with the config; Variable objects are not (they are not serializable).
   */
  excludeFromWeightDecay(...items: Array<string | Variable>): void {
    for (const item of items) {
      if (typeof item === 'string') { if (!this.excludedNames.includes(item)) this.excludedNames.push(item); }
      else if (item instanceof Tensor) this.excludedVariables.add(item as Variable);
      else throw new TypeError(`${this.className}.excludeFromWeightDecay: expected variables or name substrings, got ${String(item)}`);
    }
  }

  /** Whether weight decay applies to `variable` (weightDecay set and the variable not excluded). */
  usesWeightDecay(variable: Variable): boolean {
    if (!this.weightDecay) return false;
    if (this.excludedVariables.has(variable)) return false;
    const name = variable.name ?? '';
    return !this.excludedNames.some((n) => name.includes(n));
  }

  /**
   * Per-variable state as a typed array over a slot Tensor (created on first use, filled with
   * `fill`, same shape and dtype as the variable). Subclasses update it in place.
   */
  protected slotData(variable: Variable, name: string, fill = 0): DataArray {
    let s = this.slots.get(variable);
    if (!s) { s = {}; this.slots.set(variable, s); }
    let t = s[name];
    if (!t) {
      t = new Tensor(allocate(variable.dtype, variable.size), variable.shape, variable.dtype);
      if (fill !== 0) t.data.fill(fill);
      s[name] = t;
    }
    return t.data;
  }

  /** Per-variable state as a Tensor, created by `init` on first use (for tensor-op optimizers). */
  protected slot(variable: Variable, name: string, init: () => Tensor): Tensor {
    let s = this.slots.get(variable);
    if (!s) { s = {}; this.slots.set(variable, s); }
    return (s[name] ??= init());
  }

  protected setSlot(variable: Variable, name: string, value: Tensor): void {
    let s = this.slots.get(variable);
    if (!s) { s = {}; this.slots.set(variable, s); }
    s[name] = value;
  }

  /** State tensors of `variable` (moments, …) by slot name; empty before its first update. */
  slotsOf(variable: Variable): Record<string, Tensor> {
    return { ...(this.slots.get(variable) ?? {}) };
  }

  /** Restores saved state of `variable` (used by loadModel); each slot must match the variable's shape. */
  restoreSlots(variable: Variable, slots: Record<string, Tensor>): void {
    const copy: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(slots)) {
      if (!(t instanceof Tensor) || t.shape.join() !== variable.shape.join()) {
        throw new RangeError(`${this.className}.restoreSlots: slot '${name}' of '${variable.name}' must have shape ` +
          `${formatShape(variable.shape)}, got ${t instanceof Tensor ? formatShape(t.shape) : String(t)}`);
      }
      // copied into the variable's dtype: the updates write into these arrays in place
      const data = allocate(variable.dtype, variable.size);
      data.set(t.data);
      copy[name] = new Tensor(data, variable.shape, variable.dtype);
    }
    this.slots.set(variable, copy);
  }

  /** Applies one update step; pairs without a gradient are skipped. */
  applyGradients(pairs: ReadonlyArray<Pair>): void {
    noGrad(() => {
      const present: Array<readonly [Tensor, Variable]> = [];
      for (const [g, v] of pairs) {
        if (g == null) continue;
        if (g.size !== v.size) {
          throw new RangeError(`${this.className}.applyGradients: gradient of shape ${formatShape(g.shape)} ` +
            `does not match variable '${v.name}' of shape ${formatShape(v.shape)}`);
        }
        present.push([g, v]);
      }
      const lr = this.learningRate;
      const grads = this.clip(present.map(([g]) => g));
      if (this.weightDecay) {
        const rate = lr * this.weightDecay;
        for (const [, v] of present) if (this.usesWeightDecay(v)) decay(v.data, rate);
      }
      for (let i = 0; i < present.length; i++) {
        const v = present[i][1];
        this.updateStep(grads[i], v, lr);
        if (v.constraint) v.assign(v.constraint.call(v));
      }
      this.iterations++;
    });
  }

  /**
   * Clips as configured (new arrays only where a value changes) and records `lastClip`.
   * Without clipping the gradient norm costs a pass over every gradient, so it is measured
   * only when `recordGradientNorm` is set (the diagnostics set it); otherwise lastClip is null.
   */
  private clip(grads: Tensor[]): Tensor[] {
    const method = this.clipvalue !== null ? 'clipvalue' : this.clipnorm !== null ? 'clipnorm' : this.globalClipnorm !== null ? 'globalClipnorm' : null;
    if (method === null && !this.recordGradientNorm) {
      this.lastClip = null;
      return grads;
    }
    const sq = grads.map(sumSquares);
    const normBefore = Math.sqrt(sq.reduce((a, b) => a + b, 0));
    let out = grads;
    let clipped = false;
    let normAfter = normBefore;
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      out = grads.map((g) => clipValues(g, c));
      clipped = out.some((g, i) => g !== grads[i]);
      if (clipped) normAfter = Math.sqrt(out.reduce((a, g) => a + sumSquares(g), 0));
    } else if (this.clipnorm !== null) {
      const c = this.clipnorm;
      out = grads.map((g, i) => { const n = Math.sqrt(sq[i]); return n > c ? scaled(g, c / n) : g; });
      clipped = out.some((g, i) => g !== grads[i]);
      if (clipped) normAfter = Math.sqrt(sq.reduce((a, s) => a + Math.min(s, c * c), 0));
    } else if (this.globalClipnorm !== null && normBefore > this.globalClipnorm) {
      const scale = this.globalClipnorm / normBefore;
      out = grads.map((g) => scaled(g, scale));
      clipped = true;
      normAfter = this.globalClipnorm;
    }
    this.lastClip = { method, clipped, normBefore, normAfter };
    return out;
  }

  /**
   * The optimizer's own update of one variable, in place. `gradient` is already clipped and
   * has the variable's size; `learningRate` is this step's rate; `this.iterations` is the step
   * (t = iterations + 1 in the bias corrections).
   */
  protected abstract updateStep(gradient: Tensor, variable: Variable, learningRate: number): void;

  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: serializeLearningRate(this.lrSchedule ?? this.lrValue, this.className),
      clipvalue: this.clipvalue, clipnorm: this.clipnorm, globalClipnorm: this.globalClipnorm,
      weightDecay: this.weightDecay,
      excludeFromWeightDecay: [...this.excludedNames],
    };
  }
}

function decay(w: DataArray, rate: number): void {
  // w − w·(wd·η), the order of Keras' `variable - variable * wd * lr`
  for (let i = 0; i < w.length; i++) w[i] -= w[i] * rate;
}

function sumSquares(g: Tensor): number {
  // four accumulators break the add dependency chain (~2× faster on large gradients)
  const d = g.data, n = d.length, n4 = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < n4; i += 4) {
    s0 += d[i] * d[i];
    s1 += d[i + 1] * d[i + 1];
    s2 += d[i + 2] * d[i + 2];
    s3 += d[i + 3] * d[i + 3];
  }
  for (let i = n4; i < n; i++) s0 += d[i] * d[i];
  return s0 + s1 + s2 + s3;
}

function scaled(g: Tensor, factor: number): Tensor {
  const src = g.data;
  const out = allocate(g.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] * factor;
  return new Tensor(out, g.shape, g.dtype);
}

function clipValues(g: Tensor, c: number): Tensor {
  const src = g.data;
  let i = 0;
  while (i < src.length && src[i] <= c && src[i] >= -c) i++;
  if (i === src.length) return g;
  const out = allocate(g.dtype, src.length);
  for (let j = 0; j < src.length; j++) out[j] = src[j] > c ? c : src[j] < -c ? -c : src[j];
  return new Tensor(out, g.shape, g.dtype);
}
