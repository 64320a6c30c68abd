/**
 * Weight and activity regularizers (`gf.regularizers`) with Keras formulas and defaults:
 *   L1(l1 = 0.01):          l1 · Σ|x|
 *   L2(l2 = 0.01):          l2 · Σx²        (NOTE: no ½, as Keras; PyTorch's weight_decay is
 *                                            the decoupled/gradient form, a different knob)
 *   L1L2(l1 = 0, l2 = 0):   both terms
 * The penalty is a scalar tensor in x's dtype, differentiable w.r.t. x; the training loop adds
 * it to the loss (so it shows in the reported loss, training and validation, as in Keras).
 * NOTE: |x| has gradient sign(x), 0 at x = 0 (TensorFlow's convention).
 *
 * `get(identifier)` accepts 'l1', 'l2', 'l1_l2' (also 'L2', 'l1L2'), `{ className, config }`,
 * or an instance (anything with call(x) and getConfig()).
 */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import type { Regularizer as WeightRegularizer } from '../layers/variable.js';
import { getClass } from '../saving/class-registry.js';
import { NameRegistry } from '../utils/registry.js';
import { readOptions } from '../schedules/checks.js';

export type RegularizerConfig = Record<string, unknown>;
/** What layers and variables accept: one of these classes or any object with call/getConfig. */
export type RegularizerLike = WeightRegularizer;
export type RegularizerIdentifier = string | RegularizerLike | { className: string; config?: RegularizerConfig };

/** Keras' validate_float_arg: a finite number ≥ 0. */
function factor(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

export abstract class Regularizer implements WeightRegularizer {
  static className: string;
  /** The penalty: a scalar tensor in x's dtype. */
  abstract call(x: Tensor): Tensor;
  abstract getConfig(): RegularizerConfig;
}

const l1Penalty = (x: Tensor, l1: number): Tensor => o.mul(o.sum(o.abs(x)), l1);
const l2Penalty = (x: Tensor, l2: number): Tensor => o.mul(o.sum(o.mul(x, x)), l2);

/** l1 · Σ|x| (Keras' L1, default l1 = 0.01). */
export class L1 extends Regularizer {
  static override className = 'L1';
  readonly l1: number;
  constructor(l1: number | { l1?: number } = 0.01) {
    super();
    const value = typeof l1 === 'object' ? readOptions<{ l1: number }>(l1, ['l1'], 'L1').l1 ?? 0.01 : l1;
    this.l1 = factor(value, 'l1', 'L1');
  }
  call(x: Tensor): Tensor { return l1Penalty(x, this.l1); }
  getConfig(): RegularizerConfig { return { l1: this.l1 }; }
  static fromConfig(config: RegularizerConfig): L1 { return new L1(config); }
}

/** l2 · Σx² (Keras' L2, default l2 = 0.01; no ½). */
export class L2 extends Regularizer {
  static override className = 'L2';
  readonly l2: number;
  constructor(l2: number | { l2?: number } = 0.01) {
    super();
    const value = typeof l2 === 'object' ? readOptions<{ l2: number }>(l2, ['l2'], 'L2').l2 ?? 0.01 : l2;
    this.l2 = factor(value, 'l2', 'L2');
  }
  call(x: Tensor): Tensor { return l2Penalty(x, this.l2); }
  getConfig(): RegularizerConfig { return { l2: this.l2 }; }
  static fromConfig(config: RegularizerConfig): L2 { return new L2(config); }
}

/** l1 · Σ|x| + l2 · Σx² (Keras' L1L2; both default to 0, so 'l1_l2' alone penalizes nothing, as Keras). */
export class L1L2 extends Regularizer {
  static override className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor({ l1 = 0, l2 = 0, ...rest }: { l1?: number; l2?: number } = {}) {
    super();
    readOptions(rest, [], 'L1L2');
    this.l1 = factor(l1, 'l1', 'L1L2');
    this.l2 = factor(l2, 'l2', 'L1L2');
  }
  call(x: Tensor): Tensor {
    // only the non-zero terms, as Keras (a zero factor costs no pass over x)
    let penalty: Tensor | null = null;
    if (this.l1) penalty = l1Penalty(x, this.l1);
    if (this.l2) penalty = penalty ? o.add(penalty, l2Penalty(x, this.l2)) : l2Penalty(x, this.l2);
    return penalty ?? o.zeros([], x.dtype);
  }
  getConfig(): RegularizerConfig { return { l1: this.l1, l2: this.l2 }; }
  static fromConfig(config: RegularizerConfig): L1L2 { return new L1L2(config); }
}

/** Keras' lower-case shorthands: `l2(0.01)` ⇔ `new L2(0.01)`. */
export const l1 = (value = 0.01): L1 => new L1(value);
export const l2 = (value = 0.01): L2 => new L2(value);
export const l1l2 = (options: { l1?: number; l2?: number } = {}): L1L2 => new L1L2(options);

type RegularizerClass = { className: string; fromConfig(config: RegularizerConfig): Regularizer; new(...args: any[]): Regularizer };
const registry = new NameRegistry<RegularizerClass>('regularizer');
const table: Array<[RegularizerClass, string]> = [[L1, 'l1'], [L2, 'l2'], [L1L2, 'l1_l2']];
for (const [cls, name] of table) registry.register(name, cls, [cls.className]);

export const regularizerNames = (): string[] => registry.names();

function isRegularizer(x: unknown): x is RegularizerLike {
  return typeof x === 'object' && x !== null && typeof (x as RegularizerLike).call === 'function' &&
    typeof (x as RegularizerLike).getConfig === 'function';
}

/** Resolves a name, `{ className, config }` or instance; null/undefined give null (no regularizer). */
export function get(identifier: RegularizerIdentifier): RegularizerLike;
export function get(identifier: RegularizerIdentifier | null | undefined): RegularizerLike | null;
export function get(identifier: RegularizerIdentifier | null | undefined): RegularizerLike | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'string') return new (registry.get(identifier))();
  if (isRegularizer(identifier)) return identifier;
  if (typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    return deserialize(identifier as { className: string; config?: RegularizerConfig });
  }
  throw new TypeError(`regularizer: expected a name (${registry.names().join(', ')}), a { className, config } object ` +
    `or a Regularizer, got ${JSON.stringify(identifier) ?? typeof identifier}`);
}

/** `{ className, config }` → regularizer; custom classes registered with gf.registerClass resolve too. */
export function deserialize(spec: { className: string; config?: RegularizerConfig }): RegularizerLike {
  const config = spec.config ?? {};
  if (registry.has(spec.className)) return registry.get(spec.className).fromConfig(config);
  let reg: unknown;
  try {
    reg = getClass<unknown>(spec.className).fromConfig(config);
  } catch {
    registry.get(spec.className); // throws "unknown regularizer '…'; expected one of …"
  }
  if (!isRegularizer(reg)) throw new TypeError(`'${spec.className}' is not a regularizer`);
  return reg;
}

/** `{ className, config }` for saving; `get(serialize(r))` rebuilds it. */
export function serialize(reg: RegularizerLike): { className: string; config: RegularizerConfig } {
  const className = (reg.constructor as { className?: unknown }).className;
  if (typeof className !== 'string' || !className) {
    throw new TypeError(`regularizer: ${reg.constructor.name} needs a static className (and fromConfig, registered with ` +
      `gf.registerClass) to be serialized`);
  }
  return { className, config: reg.getConfig() };
}
