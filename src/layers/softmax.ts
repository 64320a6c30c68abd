/** Softmax layer: exp(x) / Σ exp(x) along `axis` (default −1), computed on max-shifted inputs. */
import { softmax } from '../activations/index.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export interface SoftmaxArgs extends LayerArgs {
  axis?: number;
}

export class Softmax extends Layer {
  static override className = 'Softmax';
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new TypeError(`Softmax (${this.name}): axis must be an integer, got ${String(axis)}`);
    this.axis = axis;
  }

  override build(inputShape: LayerShape): void {
    const rank = inputShape.length;
    if (this.axis >= rank || this.axis < -rank) {
      throw new RangeError(`Softmax (${this.name}): axis ${this.axis} is out of range for inputs of rank ${rank}`);
    }
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return softmax(x, this.axis);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
