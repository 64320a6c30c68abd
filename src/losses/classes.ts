/**
 * Loss classes (Keras 3 names, defaults and configs; configs use camelCase keys). Each one is
 * a thin Loss over a function in functions.ts.
 */
import type { Tensor, TensorLike } from '../core/tensor.js';
import * as f from './functions.js';
import { Loss, type LossConfig, type Reduction } from './loss.js';

interface BaseArgs { name?: string; reduction?: Reduction }
interface CrossentropyArgs extends BaseArgs { fromLogits?: boolean; labelSmoothing?: number }

export class MeanSquaredError extends Loss {
  static override className = 'MeanSquaredError';
  constructor({ name = 'mean_squared_error', reduction }: BaseArgs = {}) { super(name, reduction); }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor { return f.meanSquaredError(yTrue, yPred); }
}

export class MeanAbsoluteError extends Loss {
  static override className = 'MeanAbsoluteError';
  constructor({ name = 'mean_absolute_error', reduction }: BaseArgs = {}) { super(name, reduction); }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor { return f.meanAbsoluteError(yTrue, yPred); }
}

/** Huber loss; Keras' default name is 'huber_loss', δ = 1. */
export class Huber extends Loss {
  static override className = 'Huber';
  readonly delta: number;
  constructor({ delta = 1, name = 'huber_loss', reduction }: BaseArgs & { delta?: number } = {}) {
    super(name, reduction);
    if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
      throw new RangeError(`Huber: delta must be a positive number, got ${String(delta)}`);
    }
    this.delta = delta;
  }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor { return f.huber(yTrue, yPred, this.delta); }
  override getConfig(): LossConfig { return { ...super.getConfig(), delta: this.delta }; }
}

abstract class CrossentropyLoss extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(defaultName: string, { fromLogits = false, labelSmoothing = 0, name = defaultName, reduction }: CrossentropyArgs) {
    super(name, reduction);
    if (typeof fromLogits !== 'boolean') throw new TypeError(`${name}: fromLogits must be a boolean, got ${String(fromLogits)}`);
    if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new RangeError(`${name}: labelSmoothing must be a number in [0, 1], got ${String(labelSmoothing)}`);
    }
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

export class BinaryCrossentropy extends CrossentropyLoss {
  static override className = 'BinaryCrossentropy';
  constructor(args: CrossentropyArgs = {}) { super('binary_crossentropy', args); }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return f.binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
}

export class CategoricalCrossentropy extends CrossentropyLoss {
  static override className = 'CategoricalCrossentropy';
  constructor(args: CrossentropyArgs = {}) { super('categorical_crossentropy', args); }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return f.categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
}

/** Integer labels; no label smoothing (as Keras). */
export class SparseCategoricalCrossentropy extends Loss {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  constructor({ fromLogits = false, name = 'sparse_categorical_crossentropy', reduction }: BaseArgs & { fromLogits?: boolean } = {}) {
    super(name, reduction);
    if (typeof fromLogits !== 'boolean') throw new TypeError(`${name}: fromLogits must be a boolean, got ${String(fromLogits)}`);
    this.fromLogits = fromLogits;
  }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return f.sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
  override getConfig(): LossConfig { return { ...super.getConfig(), fromLogits: this.fromLogits }; }
}

export class KLDivergence extends Loss {
  static override className = 'KLDivergence';
  constructor({ name = 'kl_divergence', reduction }: BaseArgs = {}) { super(name, reduction); }
  call(yTrue: TensorLike, yPred: TensorLike): Tensor { return f.klDivergence(yTrue, yPred); }
}
