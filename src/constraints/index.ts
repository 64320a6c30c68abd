/**
 * Weight constraints (`gf.constraints`): projections the optimizer applies to a variable after
 * each update (inside fit; TensorFlow.js silently skips them). Keras formulas, with
 * ε = 1e-7 (Keras' backend epsilon) and n = √Σw² over `axis` (kept as a broadcastable dim):
 *   MaxNorm(maxValue = 2, axis = 0):   w · clip(n, 0, maxValue) / (ε + n)   (Srebro & Shraibman 2005;
 *                                       Srivastava et al. 2014 use it with dropout)
 *   NonNeg:                             w · [w ≥ 0]
 *   UnitNorm(axis = 0):                 w / (ε + n)
 *   MinMaxNorm(minValue = 0, maxValue = 1, rate = 1, axis = 0):
 *                                       w · (rate·clip(n, min, max) + (1 − rate)·n) / (ε + n)
 * For a Dense kernel [inputs, units], axis 0 constrains each unit's incoming weight vector.
 * NOTE: because of ε, a vector already inside the ball is scaled by n/(n + ε) < 1 — a relative
 * shrink of ~1e-7/n per step, exactly as Keras.
 * Constraints run without recording on the tape (noGrad): they are projections, not part of
 * the loss.
 */
import { noGrad } from '../core/autograd.js';
import { isFloat } from '../core/dtype.js';
import * as o from '../core/ops.js';
import { normalizeAxes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { Constraint as WeightConstraint } from '../layers/variable.js';
import { getClass } from '../saving/class-registry.js';
import { NameRegistry } from '../utils/registry.js';
import { readOptions } from '../schedules/checks.js';

export type ConstraintConfig = Record<string, unknown>;
/** What layers and variables accept: one of these classes or any object with call/getConfig. */
export type ConstraintLike = WeightConstraint;
export type ConstraintIdentifier = string | ConstraintLike | { className: string; config?: ConstraintConfig };
export type ConstraintAxis = number | readonly number[];

/** Keras' backend epsilon. */
export const EPSILON = 1e-7;

function finiteAtLeast0(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

function checkAxis(axis: unknown, where: string): ConstraintAxis {
  const list = Array.isArray(axis) ? axis : [axis];
  if (list.length === 0 || list.some((a) => !Number.isInteger(a))) {
    throw new TypeError(`${where}: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}`);
  }
  return Array.isArray(axis) ? Object.freeze(axis.slice()) : (axis as number);
}

export abstract class Constraint implements WeightConstraint {
  static className: string;

  /** The projected weights (a new tensor; w is not modified). Never recorded on the tape. */
  call(w: Tensor): Tensor {
    const where = (this.constructor as typeof Constraint).className;
    if (!isFloat(w.dtype)) throw new TypeError(`${where}: expected float32 or float64 weights, got ${w.dtype}`);
    return noGrad(() => this.project(w));
  }

  protected abstract project(w: Tensor): Tensor;
  abstract getConfig(): ConstraintConfig;
}

/** Norm over the constraint's axes, keeping dims so that it broadcasts against w. */
function norms(w: Tensor, axis: ConstraintAxis, where: string): Tensor {
  const axes = normalizeAxes(axis, w.rank, where);
  return o.sqrt(o.sum(o.mul(w, w), axes, true));
}

function axisConfig(axis: ConstraintAxis): number | number[] {
  return typeof axis === 'number' ? axis : axis.slice();
}

export interface MaxNormOptions { maxValue?: number; axis?: ConstraintAxis }

/** Caps the norm of each slice along `axis` at maxValue (Keras' MaxNorm). */
export class MaxNorm extends Constraint {
  static override className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: ConstraintAxis;
  /** Keras' positional form `(maxValue = 2, axis = 0)`, or one options object. */
  constructor(maxValue: number | MaxNormOptions = 2, axis: ConstraintAxis = 0) {
    super();
    const opts = typeof maxValue === 'object' ? readOptions<MaxNormOptions>(maxValue, ['maxValue', 'axis'], 'MaxNorm') : { maxValue, axis };
    this.maxValue = finiteAtLeast0(opts.maxValue ?? 2, 'maxValue', 'MaxNorm');
    this.axis = checkAxis(opts.axis ?? 0, 'MaxNorm');
  }
  protected project(w: Tensor): Tensor {
    const n = norms(w, this.axis, 'MaxNorm');
    return o.mul(w, o.div(o.clip(n, 0, this.maxValue), o.add(n, EPSILON)));
  }
  getConfig(): ConstraintConfig { return { maxValue: this.maxValue, axis: axisConfig(this.axis) }; }
  static fromConfig(config: ConstraintConfig): MaxNorm { return new MaxNorm(config as MaxNormOptions); }
}

/** Zeroes negative weights (Keras' NonNeg). */
export class NonNeg extends Constraint {
  static override className = 'NonNeg';
  constructor(config: ConstraintConfig = {}) {
    super();
    readOptions(config, [], 'NonNeg');
  }
  // where() rather than Keras' w·[w ≥ 0], which turns negative weights into −0; NaN stays NaN as in Keras
  protected project(w: Tensor): Tensor { return o.where(o.less(w, 0), 0, w); }
  getConfig(): ConstraintConfig { return {}; }
  static fromConfig(config: ConstraintConfig): NonNeg { return new NonNeg(config); }
}

export interface UnitNormOptions { axis?: ConstraintAxis }

/** Scales each slice along `axis` to unit norm (Keras' UnitNorm). */
export class UnitNorm extends Constraint {
  static override className = 'UnitNorm';
  readonly axis: ConstraintAxis;
  /** Keras' positional form `(axis = 0)`, or one options object. */
  constructor(axis: ConstraintAxis | UnitNormOptions = 0) {
    super();
    const opts = typeof axis === 'object' && !Array.isArray(axis)
      ? readOptions<UnitNormOptions>(axis, ['axis'], 'UnitNorm') : { axis: axis as ConstraintAxis };
    this.axis = checkAxis(opts.axis ?? 0, 'UnitNorm');
  }
  protected project(w: Tensor): Tensor { return o.div(w, o.add(norms(w, this.axis, 'UnitNorm'), EPSILON)); }
  getConfig(): ConstraintConfig { return { axis: axisConfig(this.axis) }; }
  static fromConfig(config: ConstraintConfig): UnitNorm { return new UnitNorm(config as UnitNormOptions); }
}

export interface MinMaxNormOptions { minValue?: number; maxValue?: number; rate?: number; axis?: ConstraintAxis }

/**
 * Keeps each slice's norm in [minValue, maxValue] (Keras' MinMaxNorm); rate < 1 moves the norm
 * only part of the way: n ← rate·clip(n, min, max) + (1 − rate)·n.
 */
export class MinMaxNorm extends Constraint {
  static override className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: ConstraintAxis;
  /** Keras' positional form `(minValue = 0, maxValue = 1, rate = 1, axis = 0)`, or one options object. */
  constructor(minValue: number | MinMaxNormOptions = 0, maxValue = 1, rate = 1, axis: ConstraintAxis = 0) {
    super();
    const opts = typeof minValue === 'object'
      ? readOptions<MinMaxNormOptions>(minValue, ['minValue', 'maxValue', 'rate', 'axis'], 'MinMaxNorm')
      : { minValue, maxValue, rate, axis };
    this.minValue = finiteAtLeast0(opts.minValue ?? 0, 'minValue', 'MinMaxNorm');
    this.maxValue = finiteAtLeast0(opts.maxValue ?? 1, 'maxValue', 'MinMaxNorm');
    if (this.minValue > this.maxValue) {
      throw new RangeError(`MinMaxNorm: minValue (${this.minValue}) must be ≤ maxValue (${this.maxValue})`);
    }
    this.rate = finiteAtLeast0(opts.rate ?? 1, 'rate', 'MinMaxNorm');
    if (this.rate > 1) throw new RangeError(`MinMaxNorm: rate must be in [0, 1], got ${this.rate}`);
    this.axis = checkAxis(opts.axis ?? 0, 'MinMaxNorm');
  }
  protected project(w: Tensor): Tensor {
    const n = norms(w, this.axis, 'MinMaxNorm');
    const desired = o.add(o.mul(o.clip(n, this.minValue, this.maxValue), this.rate), o.mul(n, 1 - this.rate));
    return o.mul(w, o.div(desired, o.add(n, EPSILON)));
  }
  getConfig(): ConstraintConfig {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: axisConfig(this.axis) };
  }
  static fromConfig(config: ConstraintConfig): MinMaxNorm { return new MinMaxNorm(config as MinMaxNormOptions); }
}

/** Keras' lower-case shorthands: `maxNorm(1)` ⇔ `new MaxNorm(1)`. */
export const maxNorm = (maxValue = 2, axis: ConstraintAxis = 0): MaxNorm => new MaxNorm(maxValue, axis);
export const nonNeg = (): NonNeg => new NonNeg();
export const unitNorm = (axis: ConstraintAxis = 0): UnitNorm => new UnitNorm(axis);
export const minMaxNorm = (options: MinMaxNormOptions = {}): MinMaxNorm => new MinMaxNorm(options);

type ConstraintClass = { className: string; fromConfig(config: ConstraintConfig): Constraint; new(...args: any[]): Constraint };
const registry = new NameRegistry<ConstraintClass>('constraint');
const table: Array<[ConstraintClass, string]> = [
  [MaxNorm, 'max_norm'], [NonNeg, 'non_neg'], [UnitNorm, 'unit_norm'], [MinMaxNorm, 'min_max_norm'],
];
for (const [cls, name] of table) registry.register(name, cls, [cls.className]);

export const constraintNames = (): string[] => registry.names();

function isConstraint(x: unknown): x is ConstraintLike {
  return typeof x === 'object' && x !== null && typeof (x as ConstraintLike).call === 'function' &&
    typeof (x as ConstraintLike).getConfig === 'function';
}

/** Resolves a name, `{ className, config }` or instance; null/undefined give null (no constraint). */
export function get(identifier: ConstraintIdentifier): ConstraintLike;
export function get(identifier: ConstraintIdentifier | null | undefined): ConstraintLike | null;
export function get(identifier: ConstraintIdentifier | null | undefined): ConstraintLike | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (isConstraint(identifier)) return identifier;
  if (typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    return deserialize(identifier as { className: string; config?: ConstraintConfig });
  }
  throw new TypeError(`constraint: expected a name (${registry.names().join(', ')}), a { className, config } object ` +
    `or a Constraint, got ${JSON.stringify(identifier) ?? typeof identifier}`);
}

/** `{ className, config }` → constraint; custom classes registered with gf.registerClass resolve too. */
export function deserialize(spec: { className: string; config?: ConstraintConfig }): ConstraintLike {
  const config = spec.config ?? {};
  if (registry.has(spec.className)) return registry.get(spec.className).fromConfig(config);
  let c: unknown;
  try {
    c = getClass<unknown>(spec.className).fromConfig(config);
  } catch {
    registry.get(spec.className); // throws "unknown constraint '…'; expected one of …"
  }
  if (!isConstraint(c)) throw new TypeError(`'${spec.className}' is not a constraint`);
  return c;
}

/** `{ className, config }` for saving; `get(serialize(c))` rebuilds it. */
export function serialize(c: ConstraintLike): { className: string; config: ConstraintConfig } {
  const className = (c.constructor as { className?: unknown }).className;
  if (typeof className !== 'string' || !className) {
    throw new TypeError(`constraint: ${c.constructor.name} needs a static className (and fromConfig, registered with ` +
      `gf.registerClass) to be serialized`);
  }
  return { className, config: c.getConfig() };
}
