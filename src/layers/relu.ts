/**
 * ReLU layer (Keras' ReLU): with the defaults, max(x, 0). In general
 *   f(x) = min(x, maxValue)                  for x > threshold,
 *   f(x) = negativeSlope · (x − threshold)   otherwise.
 * NOTE: as Keras 3, x = threshold takes the lower branch (relu'(0) = 0); with threshold > 0 the
 * function jumps at the threshold (a "thresholded" ReLU).
 */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (null: none). ReLU6 is `maxValue: 6`. */
  maxValue?: number | null;
  /** Slope below the threshold (0: plain ReLU). */
  negativeSlope?: number;
  /** Inputs at or below this value take the negative branch. */
  threshold?: number;
}

export class ReLU extends Layer {
  static override className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    const bad = (what: string, v: unknown): never => {
      throw new RangeError(`ReLU (${this.name}): ${what} must be a finite number ≥ 0, got ${String(v)}`);
    };
    if (this.maxValue !== null && !(Number.isFinite(this.maxValue) && this.maxValue >= 0)) bad('maxValue', this.maxValue);
    if (!(Number.isFinite(this.negativeSlope) && this.negativeSlope >= 0)) bad('negativeSlope', this.negativeSlope);
    if (!(Number.isFinite(this.threshold) && this.threshold >= 0)) bad('threshold', this.threshold);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const above = o.greater(x, this.threshold);
    const upper = this.maxValue === null ? x : o.minimum(x, this.maxValue);
    const lower = this.negativeSlope === 0 ? 0 : o.mul(o.sub(x, this.threshold), this.negativeSlope);
    return o.where(above, upper, lower);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
