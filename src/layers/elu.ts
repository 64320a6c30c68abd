/** ELU layer (Clevert et al., 2015): x for x > 0, α(eˣ − 1) otherwise; Keras default α = 1. */
import { elu } from '../activations/index.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export interface ELUArgs extends LayerArgs {
  alpha?: number;
}

export class ELU extends Layer {
  static override className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    const alpha = args.alpha ?? 1;
    if (!(typeof alpha === 'number' && Number.isFinite(alpha))) {
      throw new RangeError(`ELU (${this.name}): alpha must be a finite number, got ${String(alpha)}`);
    }
    this.alpha = alpha;
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    return elu(x, this.alpha);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
