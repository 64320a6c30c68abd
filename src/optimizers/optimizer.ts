/**
 * Optimizer base: one fixed pipeline per step, as Keras' BaseOptimizer —
 *   drop variables without a gradient → clip → decoupled weight decay → updateStep
 *   → apply the variable's constraint → iterations++.
 * State (moments, …) is keyed by the Variable object, never by position or name, so freezing
 * layers and recompiling with the same optimizer keeps the state of the variables still training.
 */
import * as o from '../core/ops.js';
import { noGrad } from '../core/autograd.js';
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';

export interface OptimizerArgs {
  learningRate?: number;
  /** Clip each gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale each variable's gradient to an L2 norm ≤ clipnorm. */
  clipnorm?: number | null;
  /** Rescale all gradients jointly to a global L2 norm ≤ globalClipnorm. */
  globalClipnorm?: number | null;
  name?: string;
}

export function checkHyper(value: unknown, name: string, where: string, { min = 0, max = Infinity, maxExclusive = false } = {}): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || (maxExclusive ? value >= max : value > max)) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}${maxExclusive ? ')' : ']'}`;
    throw new RangeError(`${where}: ${name} must be a number ${range}, got ${String(value)}`);
  }
  return value;
}

export abstract class Optimizer {
  static className: string;
  readonly name: string;
  private lr: number;
  readonly clipvalue: number | null;
  readonly clipnorm: number | null;
  readonly globalClipnorm: number | null;
  /** Number of update steps applied so far. */
  iterations = 0;
  private readonly slots = new Map<Variable, Record<string, Tensor>>();

  constructor(args: OptimizerArgs, defaultLearningRate: number) {
    const cls = (this.constructor as typeof Optimizer).className;
    this.name = args.name ?? cls;
    this.lr = checkHyper(args.learningRate ?? defaultLearningRate, 'learningRate', cls);
    const clips = (['clipvalue', 'clipnorm', 'globalClipnorm'] as const).filter((k) => args[k] !== undefined && args[k] !== null);
    if (clips.length > 1) {
      throw new Error(`${cls}: at most one of clipvalue, clipnorm and globalClipnorm can be set, got ${clips.join(' and ')}`);
    }
    this.clipvalue = args.clipvalue != null ? checkHyper(args.clipvalue, 'clipvalue', cls) : null;
    this.clipnorm = args.clipnorm != null ? checkHyper(args.clipnorm, 'clipnorm', cls) : null;
    this.globalClipnorm = args.globalClipnorm != null ? checkHyper(args.globalClipnorm, 'globalClipnorm', cls) : null;
  }

  /** The learning rate used by the next step; settable on a live optimizer. */
  get learningRate(): number {
    return this.lr;
  }

  set learningRate(value: number) {
    this.lr = checkHyper(value, 'learningRate', (this.constructor as typeof Optimizer).className);
  }

  /** Per-variable state, created on first use. */
  protected slot(variable: Variable, name: string, init: () => Tensor): Tensor {
    let s = this.slots.get(variable);
    if (!s) { s = {}; this.slots.set(variable, s); }
    return (s[name] ??= init());
  }

  protected setSlot(variable: Variable, name: string, value: Tensor): void {
    this.slots.get(variable)![name] = value;
  }

  /** State tensors of `variable` (moments, …) by slot name; empty before its first update. */
  slotsOf(variable: Variable): Record<string, Tensor> {
    return { ...(this.slots.get(variable) ?? {}) };
  }

  /** Restores saved state of `variable` (used by loadModel); shapes must match the variable's slots. */
  restoreSlots(variable: Variable, slots: Record<string, Tensor>): void {
    this.slots.set(variable, { ...slots });
  }

  /** Applies one update step; pairs without a gradient are skipped. */
  applyGradients(pairs: ReadonlyArray<readonly [Tensor | null | undefined, Variable]>): void {
    noGrad(() => {
      const present = pairs.filter((p): p is readonly [Tensor, Variable] => p[0] != null);
      const grads = this.clip(present.map(([g]) => g));
      const lr = this.learningRate;
      present.forEach(([, v], i) => {
        this.updateStep(grads[i], v, lr);
        if (v.constraint) v.assign(v.constraint.call(v));
      });
      this.iterations++;
    });
  }

  private clip(grads: Tensor[]): Tensor[] {
    if (this.clipvalue !== null) return grads.map((g) => o.clip(g, -this.clipvalue!, this.clipvalue!));
    if (this.clipnorm !== null) return grads.map((g) => clipByNorm(g, this.clipnorm!));
    if (this.globalClipnorm !== null) {
      const norm = Math.sqrt(grads.reduce((p, g) => p + sumSquares(g), 0));
      return norm > this.globalClipnorm ? grads.map((g) => o.mul(g, this.globalClipnorm! / norm)) : grads;
    }
    return grads;
  }

  /** The optimizer's own update of one variable (in place). */
  protected abstract updateStep(gradient: Tensor, variable: Variable, learningRate: number): void;

  getConfig(): Record<string, unknown> {
    return {
      name: this.name, learningRate: this.learningRate,
      clipvalue: this.clipvalue, clipnorm: this.clipnorm, globalClipnorm: this.globalClipnorm,
    };
  }
}

function sumSquares(g: Tensor): number {
  let s = 0;
  for (let i = 0; i < g.size; i++) s += g.data[i] * g.data[i];
  return s;
}

function clipByNorm(g: Tensor, maxNorm: number): Tensor {
  const norm = Math.sqrt(sumSquares(g));
  return norm > maxNorm ? o.mul(g, maxNorm / norm) : g;
}
