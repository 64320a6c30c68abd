/** Merge layers: combine several inputs of a functional graph (Keras' Concatenate, Add). */
import { registerClass } from '../saving/class-registry.js';
import * as o from '../core/ops.js';
import { normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

const show = (s: LayerShape): string => `(${s.map((d) => d ?? 'None').join(', ')})`;

abstract class MergeLayer extends Layer {
  call(_x: Tensor, _options: CallOptions): Tensor {
    throw new TypeError(`${this.name}: a merge layer takes a list of inputs`);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override buildMany(inputShapes: LayerShape[]): void {
    if (inputShapes.length < 2) throw new RangeError(`${this.name}: needs at least 2 inputs, got ${inputShapes.length}`);
    this.computeOutputShapeMany(inputShapes); // validates
    this.builtInputShape = null;
  }

  abstract override callMany(inputs: Tensor[], options: CallOptions): Tensor;
  abstract override computeOutputShapeMany(inputShapes: LayerShape[]): LayerShape;
}

/** Concatenates its inputs along `axis` (default −1). */
export class Concatenate extends MergeLayer {
  static override className = 'Concatenate';
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  callMany(inputs: Tensor[]): Tensor {
    return o.concat(inputs, this.axis);
  }

  computeOutputShapeMany(shapes: LayerShape[]): LayerShape {
    const rank = shapes[0].length;
    const axis = normalizeAxis(this.axis, rank, `Concatenate (${this.name})`);
    const out = shapes[0].slice();
    for (const s of shapes.slice(1)) {
      if (s.length !== rank || s.some((d, i) => i !== axis && d !== null && out[i] !== null && d !== out[i])) {
        throw new RangeError(`Concatenate (${this.name}): input shapes ${shapes.map(show).join(', ')} differ outside axis ${this.axis}`);
      }
      out[axis] = out[axis] === null || s[axis] === null ? null : (out[axis] as number) + (s[axis] as number);
    }
    return out;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Element-wise sum of inputs of the same shape (residual connections). */
export class Add extends MergeLayer {
  static override className = 'Add';

  callMany(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, t) => o.add(acc, t), inputs[0]);
  }

  computeOutputShapeMany(shapes: LayerShape[]): LayerShape {
    for (const s of shapes.slice(1)) {
      if (s.length !== shapes[0].length || s.some((d, i) => d !== null && shapes[0][i] !== null && d !== shapes[0][i])) {
        throw new RangeError(`Add (${this.name}): inputs must have the same shape, got ${shapes.map(show).join(', ')}`);
      }
    }
    return shapes[0];
  }
}

registerClass(Concatenate);
registerClass(Add);
