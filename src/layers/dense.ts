/** Dense: y = activation(x·W + b) over the last axis (Keras' Dense). */
import type { DenseActivation } from '../backend/backend.js';
import * as o from '../core/ops.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as activations from '../activations/index.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import * as constraints from '../constraints/index.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';
import type { Constraint, Regularizer, Variable } from './variable.js';
import { activationConfig, type ActivationIdentifier } from './activation-config.js';

export interface DenseArgs extends LayerArgs {
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  /** 'l2', { className: 'L2', config: { l2: 0.01 } }, or an instance. */
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  /** Penalty on the outputs, divided by the batch size (tf.keras 2), added through addLoss. */
  activityRegularizer?: regularizers.RegularizerIdentifier | null;
  /** 'max_norm', { className: 'MaxNorm', config: { maxValue: 1 } }, or an instance. */
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

export class Dense extends Layer {
  static override className = 'Dense';
  readonly units: number;
  readonly activation: activations.ActivationFn;
  private readonly activationId: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(units: number, args: DenseArgs = {}) {
    super(args);
    if (!Number.isInteger(units) || units <= 0) {
      throw new RangeError(`Dense (${this.name}): units must be a positive integer, got ${String(units)}`);
    }
    this.units = units;
    this.activationId = args.activation ?? 'linear';
    this.activation = activations.get(this.activationId);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.activityRegularizer = regularizers.get(args.activityRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
  }

  override build(inputShape: LayerShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null) {
      throw new RangeError(`Dense (${this.name}): expected an input of rank ≥ 2 with a known last dimension, got ${formatShape(inputShape.map((d) => d ?? -1))}`);
    }
    this.inputSpec = { minRank: 2, axes: { [-1]: inputDim } };
    this.kernel = this.addWeight('kernel', [inputDim, this.units], {
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], {
        initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint,
      });
    }
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const flat = x.rank === 2 ? x : o.reshape(x, [-1, x.shape[x.rank - 1]]);
    // one fused primitive (matmul + bias + relu, one kernel each way); other activations follow it
    const fused: DenseActivation | null = this.activation === activations.relu ? 'relu' : this.activation === activations.linear ? 'linear' : null;
    let y = o.dense(flat, this.kernel!, this.bias, fused ?? 'linear');
    if (x.rank !== 2) y = o.reshape(y, [...x.shape.slice(0, -1), this.units]);
    const out = fused ? y : this.activation(y);
    if (this.activityRegularizer) this.addLoss(o.div(this.activityRegularizer.call(out), out.shape[0] || 1));
    return out;
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.units as number, config);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationConfig(this.activationId),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer && regularizers.serialize(this.kernelRegularizer),
      biasRegularizer: this.biasRegularizer && regularizers.serialize(this.biasRegularizer),
      activityRegularizer: this.activityRegularizer && regularizers.serialize(this.activityRegularizer),
      kernelConstraint: this.kernelConstraint && constraints.serialize(this.kernelConstraint),
      biasConstraint: this.biasConstraint && constraints.serialize(this.biasConstraint),
    };
  }
}
