/** Flatten: [batch, d1, d2, …] → [batch, d1·d2·…]. */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerShape } from './layer.js';

export class Flatten extends Layer {
  static override className = 'Flatten';

  call(x: Tensor, _options: CallOptions): Tensor {
    return o.reshape(x, [x.shape[0], x.size / Math.max(x.shape[0], 1) || 0]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * (d as number), 1)];
  }
}
