/**
 * The shared shape of the dropout family (Dropout, AlphaDropout, GaussianDropout): a `rate` in
 * [0, 1), active in training and under MC dropout (gf.mcPredict), identity otherwise.
 * Subclasses only say how they perturb their input.
 */
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export abstract class RateNoiseLayer extends Layer {
  readonly rate: number;

  constructor(rate: number, args: LayerArgs = {}) {
    super(args);
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
      throw new RangeError(`${(this.constructor as typeof Layer).className} (${this.name}): rate must be a number in [0, 1), got ${String(rate)}`);
    }
    this.rate = rate;
  }

  /** Whether the noise is applied in this call (the MC variants override this to stay on). */
  protected isActive(options: CallOptions): boolean {
    return options.training === true || options.mcDropout === true;
  }

  /** The training-time transformation (called only when active and rate > 0). */
  protected abstract perturb(x: Tensor): Tensor;

  call(x: Tensor, options: CallOptions): Tensor {
    return !this.isActive(options) || this.rate === 0 ? x : this.perturb(x);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.rate as number, config);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate };
  }
}
