/**
 * A Variable is a Tensor a layer owns and an optimizer updates in place. Optimizer state is
 * keyed by the Variable object itself (never by position or name), so freezing layers and
 * recompiling keeps the state of the variables that still train.
 */
import { Tensor } from '../core/tensor.js';

/** A weight penalty (l1, l2, …): a scalar added to the loss. */
export interface Regularizer {
  call(x: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** A projection applied after each optimizer update (max-norm, non-negativity, …). */
export interface Constraint {
  call(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

export class Variable extends Tensor {
  /** The weight's own flag (false for e.g. batch-norm moving statistics). */
  readonly trainableByDefault: boolean;
  private ownerTrainable = true;
  regularizer: Regularizer | null;
  constraint: Constraint | null;

  constructor(value: Tensor, name: string, trainable = true,
    { regularizer = null, constraint = null }: { regularizer?: Regularizer | null; constraint?: Constraint | null } = {}) {
    super(value.data, value.shape, value.dtype);
    this.name = name;
    this.trainableByDefault = trainable;
    this.regularizer = regularizer;
    this.constraint = constraint;
    this.syncRequiresGrad();
  }

  /** Trainable now: its own flag and its layer's (a frozen layer freezes all its weights). */
  get trainable(): boolean {
    return this.trainableByDefault && this.ownerTrainable;
  }

  /** Called by the owning layer when its `trainable` flag changes. */
  setOwnerTrainable(flag: boolean): void {
    this.ownerTrainable = flag;
    this.syncRequiresGrad();
  }

  private syncRequiresGrad(): void {
    // only trainable weights go on the tape: frozen layers cost no backward work
    this.requiresGrad = this.trainable && this.dtype !== 'int32';
  }
}
