/**
 * PReLU layer (He et al., 2015, "Delving Deep into Rectifiers"): x for x > 0, α·x otherwise,
 * with a learned α per unit (Keras' PReLU). α has the per-sample input shape, with size 1 along
 * each of `sharedAxes` (1-based like Keras: axis 0 is the batch), and starts at zeros.
 */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { relu } from '../functional/math.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import * as constraints from '../constraints/index.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';
import type { Constraint, Regularizer, Variable } from './variable.js';

export interface PReLUArgs extends LayerArgs {
  alphaInitializer?: initializers.InitializerIdentifier;
  /** 'l2', { className, config }, or an instance. */
  alphaRegularizer?: regularizers.RegularizerIdentifier | null;
  /** 'non_neg', { className, config }, or an instance. */
  alphaConstraint?: constraints.ConstraintIdentifier | null;
  /** Axes (≥ 1) along which α is shared, e.g. [1, 2] for one α per channel of an image. */
  sharedAxes?: number | readonly number[] | null;
}

export class PReLU extends Layer {
  static override className = 'PReLU';
  readonly alphaInitializer: initializers.Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = initializers.get(args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = regularizers.get(args.alphaRegularizer);
    this.alphaConstraint = constraints.get(args.alphaConstraint);
    const shared = args.sharedAxes ?? null;
    this.sharedAxes = shared === null ? null : typeof shared === 'number' ? [shared] : [...shared];
    if (this.sharedAxes && this.sharedAxes.some((a) => !Number.isInteger(a) || a < 1)) {
      throw new RangeError(`PReLU (${this.name}): sharedAxes must be integers ≥ 1 (axis 0 is the batch), got ${JSON.stringify(shared)}`);
    }
  }

  override build(inputShape: LayerShape): void {
    const rank = inputShape.length;
    if (rank < 2) throw new RangeError(`PReLU (${this.name}): expected inputs of rank ≥ 2 (batch first), got rank ${rank}`);
    const shared = new Set(this.sharedAxes ?? []);
    for (const a of shared) {
      if (a >= rank) throw new RangeError(`PReLU (${this.name}): shared axis ${a} is out of range for inputs of rank ${rank}`);
    }
    const paramShape = inputShape.slice(1).map((d, i) => {
      if (shared.has(i + 1)) return 1;
      if (d === null) {
        throw new RangeError(`PReLU (${this.name}): input axis ${i + 1} has unknown size; give it a size or list it in sharedAxes`);
      }
      return d;
    });
    this.alpha = this.addWeight('alpha', paramShape, {
      initializer: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint,
    });
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    // relu(x) − α·relu(−x), as Keras: α broadcasts over the batch and the shared axes
    return o.sub(relu(x), o.mul(this.alpha!, relu(o.neg(x))));
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      alphaInitializer: initializers.serialize(this.alphaInitializer),
      alphaRegularizer: this.alphaRegularizer && regularizers.serialize(this.alphaRegularizer),
      alphaConstraint: this.alphaConstraint && constraints.serialize(this.alphaConstraint),
      sharedAxes: this.sharedAxes ? this.sharedAxes.slice() : null,
    };
  }
}
