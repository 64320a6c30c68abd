/**
 * Sequential: a linear stack of layers (Keras' Sequential). When the first layer declares an
 * `inputShape`, every layer is built at once, so `summary()` and `countParams()` work before
 * any data is seen; otherwise the stack builds on the first batch.
 */
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from '../layers/layer.js';
import { InputLayer } from '../layers/input-layer.js';
import { Model } from './model.js';
import { deserialize, registerClass } from '../saving/class-registry.js';

export class Sequential extends Model {
  static override className = 'Sequential';
  private readonly stack: Layer[] = [];

  constructor(layers: Layer[] = [], args: LayerArgs = {}) {
    super(args);
    for (const layer of layers) this.add(layer);
  }

  override get layers(): Layer[] {
    return this.stack.slice();
  }

  override subLayers(): Layer[] {
    return this.stack;
  }

  /** Appends a layer; builds it now when the input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new TypeError(`${this.name}.add: expected a Layer, got ${layer === null ? 'null' : typeof layer}`);
    if (layer instanceof InputLayer) {
      // as Keras: an InputLayer declares the input shape and is not one of model.layers
      if (this.stack.length > 0) throw new Error(`${this.name}.add: an InputLayer can only come first`);
      this.batchInputShape = layer.batchInputShape;
      this.buildIfShapeKnown();
      return;
    }
    if (this.stack.includes(layer)) throw new Error(`${this.name}.add: layer '${layer.name}' is already in this model`);
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new Error(`${this.name}.add: a layer named '${layer.name}' is already in this model; layer names must be unique`);
    }
    if (this.stack.length > 0 && layer.batchInputShape && this.outputShape()) {
      // Keras ignores inputShape on later layers only when it matches
      const expected = this.outputShape()!;
      if (layer.batchInputShape.slice(1).join() !== expected.slice(1).join()) {
        throw new RangeError(`${this.name}.add: layer '${layer.name}' declares inputShape [${layer.batchInputShape.slice(1).join(', ')}] ` +
          `but the previous layer outputs [${expected.slice(1).map((d) => d ?? 'None').join(', ')}]`);
      }
    }
    this.stack.push(layer);
    this.built = false;
    this.buildIfShapeKnown();
  }

  /** Removes and returns the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (!layer) throw new Error(`${this.name}.pop: the model has no layers`);
    return layer;
  }

  /**
   * The input shape known before any data: declared on the model or its first layer, or the
   * build shape of a first layer that is an already-built model (a nested encoder).
   */
  private inputShapeDeclared(): LayerShape | null {
    const first = this.stack[0];
    return this.batchInputShape ?? first?.batchInputShape ?? (first instanceof Model && first.built ? first.builtInputShape : null);
  }

  private buildIfShapeKnown(): void {
    const shape = this.inputShapeDeclared();
    if (shape) this.build(shape);
  }

  override build(inputShape: LayerShape): void {
    let shape = inputShape;
    for (const layer of this.stack) {
      if (!layer.built) {
        layer.build(shape);
        layer.built = true;
        layer.builtInputShape ??= shape;
      }
      shape = layer.computeOutputShape(shape);
    }
    super.build(inputShape);
  }

  /** Output shape of the whole stack, when built. */
  outputShape(): LayerShape | null {
    let shape = this.builtInputShape ?? this.inputShapeDeclared();
    if (!shape) return null;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape);
    return shape;
  }

  override call(x: Tensor, options: CallOptions): Tensor {
    if (this.stack.length === 0) throw new Error(`${this.name}: cannot run a Sequential model with no layers`);
    let y = x;
    for (const layer of this.stack) y = layer.apply(y, options);
    return y;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    let shape = inputShape;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape);
    return shape;
  }

  override summaryRows(): Array<{ layer: Layer; outputShape: LayerShape | null }> {
    let shape = this.builtInputShape ?? this.inputShapeDeclared();
    return this.stack.map((layer) => {
      shape = shape ? layer.computeOutputShape(shape) : null;
      return { layer, outputShape: shape };
    });
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    const specs = (config.layers ?? []) as Array<{ className: string; config: LayerConfig }>;
    const model = new this(specs.map((spec) => deserialize<Layer>(spec)), { ...config, layers: undefined, buildInputShape: undefined });
    // a model built by its first batch records that shape (Keras' build_input_shape)
    const shape = config.buildInputShape as LayerShape | undefined;
    if (shape && !model.built) model.build(shape);
    return model;
  }

  override getConfig(): LayerConfig {
    return {
      ...this.baseConfig(),
      layers: this.stack.map((l) => ({ className: (l.constructor as typeof Layer).className, config: l.getConfig() })),
      ...(this.built && this.builtInputShape ? { buildInputShape: this.builtInputShape.slice() } : {}),
    };
  }
}
registerClass(Sequential);
