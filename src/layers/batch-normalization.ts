/**
 * BatchNormalization (Ioffe & Szegedy, 2015) with Keras semantics:
 *   training:  y = γ·(x − μ_B)/√(σ²_B + ε) + β with the biased batch variance σ²_B, and
 *              moving ← moving·momentum + batch·(1 − momentum);
 *   inference: the moving statistics instead of the batch's.
 * A layer with `trainable = false` always runs in inference mode and updates nothing — the
 * behaviour fine-tuning needs (TensorFlow.js gets this wrong).
 * NOTE: PyTorch's momentum is 1 − Keras' (0.1 there ⇔ 0.99 here), and PyTorch's running
 * variance uses the unbiased estimate.
 */
import { registerClass } from '../saving/class-registry.js';
import type { DataArray } from '../core/dtype.js';
import * as o from '../core/ops.js';
import { normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import * as constraints from '../constraints/index.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';
import type { Constraint, Regularizer, Variable } from './variable.js';

export interface BatchNormalizationArgs extends LayerArgs {
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: initializers.InitializerIdentifier;
  gammaInitializer?: initializers.InitializerIdentifier;
  movingMeanInitializer?: initializers.InitializerIdentifier;
  movingVarianceInitializer?: initializers.InitializerIdentifier;
  /** 'l2', { className, config }, or an instance. */
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  /** 'non_neg', { className, config }, or an instance. */
  betaConstraint?: constraints.ConstraintIdentifier | null;
  gammaConstraint?: constraints.ConstraintIdentifier | null;
}

export class BatchNormalization extends Layer {
  static override className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', initializers.Initializer>;
  private readonly regularizers: { beta: Regularizer | null; gamma: Regularizer | null };
  private readonly constraints: { beta: Constraint | null; gamma: Constraint | null };
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** The normalized axis, resolved at build time. */
  private featureAxis = -1;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`BatchNormalization (${this.name}): momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new RangeError(`BatchNormalization (${this.name}): epsilon must be > 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: initializers.get(args.betaInitializer ?? 'zeros'),
      gamma: initializers.get(args.gammaInitializer ?? 'ones'),
      movingMean: initializers.get(args.movingMeanInitializer ?? 'zeros'),
      movingVariance: initializers.get(args.movingVarianceInitializer ?? 'ones'),
    };
    this.regularizers = { beta: regularizers.get(args.betaRegularizer), gamma: regularizers.get(args.gammaRegularizer) };
    this.constraints = { beta: constraints.get(args.betaConstraint), gamma: constraints.get(args.gammaConstraint) };
  }

  override build(inputShape: LayerShape): void {
    this.featureAxis = normalizeAxis(this.axis, inputShape.length, `BatchNormalization (${this.name})`);
    const dim = inputShape[this.featureAxis];
    if (dim === null) throw new RangeError(`BatchNormalization (${this.name}): axis ${this.axis} of the input must have a known size`);
    this.inputSpec = { ndim: inputShape.length, axes: { [this.featureAxis]: dim } };
    if (this.scale) this.gamma = this.addWeight('gamma', [dim], { initializer: this.inits.gamma, regularizer: this.regularizers.gamma, constraint: this.constraints.gamma });
    if (this.center) this.beta = this.addWeight('beta', [dim], { initializer: this.inits.beta, regularizer: this.regularizers.beta, constraint: this.constraints.beta });
    this.movingMean = this.addWeight('moving_mean', [dim], { initializer: this.inits.movingMean, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [dim], { initializer: this.inits.movingVariance, trainable: false });
    super.build(inputShape);
  }

  /** Shape that broadcasts a per-feature vector against the input. */
  private broadcastShape(rank: number, dim: number): number[] {
    return Array.from({ length: rank }, (_, i) => (i === this.featureAxis ? dim : 1));
  }

  call(x: Tensor, options: CallOptions): Tensor {
    const useBatchStats = options.training === true && this.trainable;
    // features last (Dense outputs, channels-last images): one fused kernel each way
    if (useBatchStats && this.featureAxis === x.rank - 1) return this.trainingFused(x);
    const dim = x.shape[this.featureAxis];
    const shape = this.broadcastShape(x.rank, dim);
    const reduceAxes = shape.map((_, i) => i).filter((i) => i !== this.featureAxis);
    let mean: Tensor, variance: Tensor;
    if (useBatchStats) {
      mean = o.mean(x, reduceAxes, true);
      const centered = o.sub(x, mean);
      variance = o.mean(o.mul(centered, centered), reduceAxes, true);
      this.updateMovingStatistics(mean.data, variance.data); // [1, …, dim, …, 1]: dim values
    } else {
      mean = o.reshape(this.movingMean!, shape);
      variance = o.reshape(this.movingVariance!, shape);
    }
    let y = o.div(o.sub(x, mean), o.sqrt(o.add(variance, this.epsilon)));
    if (this.gamma) y = o.mul(y, o.reshape(this.gamma, shape));
    if (this.beta) y = o.add(y, o.reshape(this.beta, shape));
    return y;
  }

  /** Training mode over every axis but the last: the fused primitive (statistics in float64). */
  private trainingFused(x: Tensor): Tensor {
    const { output, mean, variance } = o.batchNorm(x, this.gamma, this.beta, this.epsilon);
    this.updateMovingStatistics(mean.data, variance.data);
    return output;
  }

  /** moving ← moving·momentum + batch·(1 − momentum), in place (Keras' formula, the biased variance). */
  private updateMovingStatistics(mean: DataArray, variance: DataArray): void {
    const m = this.momentum;
    const mm = this.movingMean!.data, mv = this.movingVariance!.data;
    for (let i = 0; i < mm.length; i++) {
      mm[i] = mm[i] * m + mean[i] * (1 - m);
      mv[i] = mv[i] * m + variance[i] * (1 - m);
    }
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale,
      betaInitializer: initializers.serialize(this.inits.beta),
      gammaInitializer: initializers.serialize(this.inits.gamma),
      movingMeanInitializer: initializers.serialize(this.inits.movingMean),
      movingVarianceInitializer: initializers.serialize(this.inits.movingVariance),
      betaRegularizer: this.regularizers.beta && regularizers.serialize(this.regularizers.beta),
      gammaRegularizer: this.regularizers.gamma && regularizers.serialize(this.regularizers.gamma),
      betaConstraint: this.constraints.beta && constraints.serialize(this.constraints.beta),
      gammaConstraint: this.constraints.gamma && constraints.serialize(this.constraints.gamma),
    };
  }
}

registerClass(BatchNormalization);
