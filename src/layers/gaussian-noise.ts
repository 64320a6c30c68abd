/**
 * GaussianNoise layer (Keras'): adds zero-mean normal noise of standard deviation `stddev` in
 * training (a regularizer, and a form of data augmentation); identity at inference. Noise comes
 * from the library generator, so gf.setSeed makes it reproducible.
 */
import { randomNormal } from '../core/creation.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export class GaussianNoise extends Layer {
  static override className = 'GaussianNoise';
  readonly stddev: number;

  constructor(stddev: number, args: LayerArgs = {}) {
    super(args);
    // NOTE: Keras 3 also rejects stddev > 1; nothing breaks above 1, so we allow it.
    if (!(typeof stddev === 'number' && Number.isFinite(stddev) && stddev >= 0)) {
      throw new RangeError(`GaussianNoise (${this.name}): stddev must be a finite number ≥ 0, got ${String(stddev)}`);
    }
    this.stddev = stddev;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    if (options.training !== true || this.stddev === 0) return x;
    const noise = randomNormal(x.shape, { stddev: this.stddev, dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    return o.add(x, noise);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.stddev as number, config);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}
