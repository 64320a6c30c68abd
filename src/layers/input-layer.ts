/**
 * InputLayer and `gf.input(shape)`: the entry of a functional graph, or the first layer of a
 * Sequential model declaring its per-sample input shape.
 */
import { registerClass } from '../saving/class-registry.js';
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerShape } from './layer.js';
import { SymbolicTensor } from './symbolic.js';

export class InputLayer extends Layer {
  static override className = 'InputLayer';

  constructor(args: LayerArgs = {}) {
    super(args);
    if (!this.batchInputShape) {
      throw new RangeError(`InputLayer (${this.name}): an inputShape (per sample) or batchInputShape is required`);
    }
    this.build(this.batchInputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return x;
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }
}

export interface InputArgs {
  name?: string;
  dtype?: DType;
  /** Fixed batch size (default: any). */
  batchSize?: number;
}

/** A symbolic graph input of per-sample `shape` (Keras' `keras.Input`). */
export function input(shape: readonly number[], args: InputArgs = {}): SymbolicTensor {
  const layer = new InputLayer({
    name: args.name,
    batchInputShape: [args.batchSize ?? null, ...shape],
    dtype: args.dtype === 'float64' ? 'float64' : 'float32',
  });
  return new SymbolicTensor(layer.batchInputShape!, args.dtype ?? 'float32', layer, [], layer.name);
}

registerClass(InputLayer);
