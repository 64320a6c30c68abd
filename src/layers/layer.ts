/**
 * Layer: the base class of every layer and model (Keras' Layer). A layer creates its weights
 * in `build(inputShape)` with `addWeight`, computes in `call(inputs, { training })`, and
 * describes itself with `getConfig()` (rebuilt by the static `fromConfig`).
 *
 * Shapes exclude nothing: `inputShape` options are per-sample (no batch dimension), as Keras;
 * internally shapes carry `null` for the batch dimension.
 */
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import * as initializers from '../initializers/index.js';
import { isSymbolic, SymbolicTensor } from './symbolic.js';
import { Variable, type Constraint, type Regularizer } from './variable.js';

/** A per-layer shape with `null` for the batch (or any unknown) dimension. */
export type LayerShape = readonly (number | null)[];

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Per-sample input shape (no batch dimension), for the first layer of a model. */
  inputShape?: readonly number[];
  /** Full input shape including the batch dimension (null = any). */
  batchInputShape?: readonly (number | null)[];
  dtype?: 'float32' | 'float64';
}

export interface CallOptions {
  /** Training mode: dropout active, batch norm uses and updates batch statistics. */
  training?: boolean;
  /**
   * Monte Carlo dropout (Gal & Ghahramani, 2016): dropout layers stay active while everything
   * else (batch norm) runs in inference mode. Set by `gf.mcPredict`.
   */
  mcDropout?: boolean;
}

export interface AddWeightOptions {
  initializer?: initializers.InitializerIdentifier;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  trainable?: boolean;
}

const nameCounters = new Map<string, number>();

/** Keras' automatic names: dense, dense_1, dense_2, … */
export function uniqueName(prefix: string): string {
  const n = nameCounters.get(prefix) ?? 0;
  nameCounters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export type LayerConfig = Record<string, unknown>;

/** Input requirements checked on every call after build (Keras' InputSpec). */
export interface InputSpec {
  ndim?: number;
  minRank?: number;
  /** Required sizes by axis (negative counts from the end). */
  axes?: Record<number, number>;
}

export abstract class Layer {
  static className: string;
  name: string;
  built = false;
  readonly dtype: 'float32' | 'float64';
  /** Declared input shape (with null batch), when given. */
  batchInputShape: LayerShape | null;
  /** The input shape seen at build time (with null batch). */
  builtInputShape: LayerShape | null = null;
  protected readonly ownWeights: Variable[] = [];
  private trainableFlag: boolean;
  /** Penalties (activity regularization) produced by the last call; read by the training loop. */
  protected callLosses: Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    const cls = this.constructor as typeof Layer;
    this.name = args.name ?? uniqueName(snakeCase(cls.className ?? 'layer'));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = args.batchInputShape.slice();
    else if (args.inputShape) {
      const s = args.inputShape;
      if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new RangeError(`${this.name}: inputShape must be an array of non-negative integers (per sample, no batch), got ${JSON.stringify(s)}`);
      }
      this.batchInputShape = [null, ...s];
    } else this.batchInputShape = null;
  }

  /** Frozen layers (trainable = false) keep every weight unchanged during fit. */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(flag: boolean) {
    this.trainableFlag = flag;
    for (const w of this.ownWeights) w.setOwnerTrainable(flag);
    for (const layer of this.subLayers()) layer.trainable = flag;
  }

  /** Layers nested inside this one (models override). */
  subLayers(): Layer[] {
    return [];
  }

  /** Creates the layer's weights for `inputShape` (batch dimension null). */
  build(inputShape: LayerShape): void {
    this.builtInputShape = inputShape.slice();
    this.built = true;
  }

  /** The computation: a few lines over functional/. */
  abstract call(inputs: Tensor, options: CallOptions): Tensor;

  /** Output shape for an input shape (batch dimension null). */
  abstract computeOutputShape(inputShape: LayerShape): LayerShape;

  /**
   * Builds on first use, checks the input shape, then calls. Given symbolic tensors (from
   * `gf.input`), records a graph node instead and returns the symbolic output. Multi-input
   * (merge) layers take an array.
   */
  apply(inputs: Tensor, options?: CallOptions): Tensor;
  apply(inputs: SymbolicTensor | SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  apply(inputs: Tensor[], options?: CallOptions): Tensor;
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], options: CallOptions = {}): Tensor | SymbolicTensor {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs);
    if (Array.isArray(inputs)) return this.applyMany(inputs, options);
    if (!(inputs instanceof Tensor)) {
      throw new TypeError(`${this.name}: expected a Tensor input, got ${inputs === null ? 'null' : typeof inputs}`);
    }
    if (this.callMany) {
      throw new TypeError(`${this.name} (${this.className()}): expects a list of input tensors, got a single tensor`);
    }
    this.ensureBuilt(inputs.shape);
    this.callLosses = [];
    const x = !this.castsInputs || inputs.dtype === this.dtype || inputs.dtype === 'int32' ? inputs : inputs.cast(this.dtype);
    return this.call(x, options);
  }

  private className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /**
   * What this layer requires of its input once built (Keras' input_spec): layers with weights
   * fix the axes their weights depend on; stateless layers accept any shape (null).
   */
  protected inputSpec: InputSpec | null = null;

  /**
   * Whether inputs are cast to the layer's dtype. Containers (models) pass them through: each
   * leaf layer casts for itself, so a float64 layer inside a float32-default model sees float64.
   */
  protected readonly castsInputs: boolean = true;

  /** Builds for a (concrete or symbolic) input shape on first use; later checks the input spec. */
  private ensureBuilt(shape: readonly (number | null)[]): void {
    if (this.batchInputShape) this.checkInputShape(shape, this.batchInputShape);
    if (!this.built) {
      const layerShape: LayerShape = [null, ...shape.slice(1)];
      this.build(layerShape);
      this.built = true;
      this.builtInputShape ??= layerShape;
    } else if (this.inputSpec) {
      this.checkInputSpec(shape, this.inputSpec);
    }
  }

  private checkInputSpec(shape: readonly (number | null)[], spec: InputSpec): void {
    const rank = shape.length;
    const fail = (why: string): never => {
      throw new RangeError(`${this.name} (${this.className()}): ${why}, got input shape ` +
        `[${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`);
    };
    if (spec.ndim !== undefined && rank !== spec.ndim) fail(`expected an input of rank ${spec.ndim}`);
    if (spec.minRank !== undefined && rank < spec.minRank) fail(`expected an input of rank ≥ ${spec.minRank}`);
    for (const [key, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(key) < 0 ? rank + Number(key) : Number(key);
      if (shape[axis] !== null && shape[axis] !== size) fail(`expected axis ${key} of the input to have size ${size}`);
    }
  }

  private applyMany(inputs: Tensor[], options: CallOptions): Tensor {
    if (!this.callMany) {
      throw new TypeError(`${this.name} (${this.className()}): expects one input tensor, got a list of ${inputs.length}`);
    }
    for (const [i, t] of inputs.entries()) {
      if (!(t instanceof Tensor)) throw new TypeError(`${this.name}: input ${i} is not a Tensor`);
    }
    if (!this.built) {
      this.buildMany!(inputs.map((t) => [null, ...t.shape.slice(1)]));
      this.built = true;
    }
    this.callLosses = [];
    return this.callMany(inputs.map((t) => (t.dtype === this.dtype ? t : t.cast(this.dtype))), options);
  }

  private applySymbolic(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    let shape: LayerShape;
    if (this.callMany) {
      if (!Array.isArray(inputs)) throw new TypeError(`${this.name} (${this.className()}): expects a list of inputs`);
      if (!this.built) { this.buildMany!(list.map((t) => t.shape)); this.built = true; }
      shape = this.computeOutputShapeMany!(list.map((t) => t.shape));
    } else {
      if (list.length !== 1) throw new TypeError(`${this.name} (${this.className()}): expects one input, got ${list.length}`);
      this.ensureBuilt(list[0].shape);
      shape = this.computeOutputShape(list[0].shape);
    }
    return new SymbolicTensor(shape, this.dtype, this, list, this.name);
  }

  /** Multi-input layers (merge layers) implement these three instead of call/build/computeOutputShape. */
  callMany?(inputs: Tensor[], options: CallOptions): Tensor;
  buildMany?(inputShapes: LayerShape[]): void;
  computeOutputShapeMany?(inputShapes: LayerShape[]): LayerShape;

  /** Compares an actual shape with an expected one (null matches anything). */
  protected checkInputShape(actual: readonly (number | null)[], expected: LayerShape): void {
    const ok = actual.length === expected.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i]);
    if (!ok) {
      const shown = expected.map((d) => (d === null ? 'None' : String(d))).join(', ');
      throw new RangeError(`${this.name} (${(this.constructor as typeof Layer).className}): expected input shape ` +
        `[${shown}], got [${actual.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`);
    }
  }

  addWeight(name: string, shape: readonly number[], options: AddWeightOptions = {}): Variable {
    const init = initializers.get(options.initializer ?? 'glorot_uniform');
    const v = new Variable(init.call(shape, this.dtype), `${this.name}/${name}`, options.trainable ?? true, {
      regularizer: options.regularizer ?? null,
      constraint: options.constraint ?? null,
    });
    v.setOwnerTrainable(this.trainableFlag);
    this.ownWeights.push(v);
    return v;
  }

  /** All weights: own first, then nested layers', in creation order (Keras order). */
  get weights(): Variable[] {
    const out = [...this.ownWeights];
    for (const l of this.subLayers()) for (const w of l.weights) if (!out.includes(w)) out.push(w);
    return out;
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.clone());
  }

  /** Sets weight values in `weights` order; counts and shapes are checked. */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new RangeError(`${this.name}.setWeights: expected ${weights.length} arrays (${weights.map((w) => w.name).join(', ')}), got ${values.length}`);
    }
    weights.forEach((w, i) => {
      const v = values[i];
      if (!(v instanceof Tensor) || v.shape.join() !== w.shape.join()) {
        throw new RangeError(`${this.name}.setWeights: weight ${w.name} has shape ${formatShape(w.shape)}, ` +
          `got ${v instanceof Tensor ? formatShape(v.shape) : typeof v}`);
      }
    });
    weights.forEach((w, i) => w.assign(values[i].dtype === w.dtype ? values[i] : values[i].cast(w.dtype)));
  }

  countParams(): number {
    return this.weights.reduce((p, w) => p + w.size, 0);
  }

  /** Activity-regularization penalties of the last call (own and nested). */
  get losses(): Tensor[] {
    return [...this.callLosses, ...this.subLayers().flatMap((l) => l.losses)];
  }

  protected addLoss(penalty: Tensor): void {
    this.callLosses.push(penalty);
  }

  /** Rebuilds a layer from `getConfig()` output (layers with a positional argument override). */
  static fromConfig<T extends Layer>(this: new (args: any) => T, config: LayerConfig): T {
    return new this(config);
  }

  /** Keras-style config: the constructor arguments that rebuild this layer. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape.slice();
    return config;
  }
}
