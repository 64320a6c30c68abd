/**
 * Reshape layer (Keras' Reshape): reshapes each sample to `targetShape` (no batch dimension);
 * one entry may be −1, inferred from the input size.
 */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.js';

const show = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;

export class Reshape extends Layer {
  static override className = 'Reshape';
  readonly targetShape: number[];

  constructor(targetShape: readonly number[], args: LayerArgs = {}) {
    super(args);
    if (!Array.isArray(targetShape) || targetShape.some((d) => !Number.isInteger(d) || (d < 0 && d !== -1))) {
      throw new TypeError(`Reshape (${this.name}): targetShape must be an array of non-negative integers ` +
        `(one may be -1), per sample without the batch dimension, got ${JSON.stringify(targetShape)}`);
    }
    if (targetShape.filter((d) => d === -1).length > 1) {
      throw new RangeError(`Reshape (${this.name}): at most one entry of targetShape may be -1, got ${show(targetShape)}`);
    }
    this.targetShape = targetShape.slice();
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape); // validates the sizes before the first call
    super.build(inputShape);
  }

  call(x: Tensor, _options: CallOptions): Tensor {
    const perSample = this.resolve(x.shape.slice(1)) as number[];
    return o.reshape(x, [x.shape[0], ...perSample]);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return [inputShape[0], ...this.resolve(inputShape.slice(1))];
  }

  /** The per-sample output shape for a per-sample input shape (null where unknown). */
  private resolve(perSample: readonly (number | null)[]): (number | null)[] {
    const unknownAt = this.targetShape.indexOf(-1);
    if (perSample.some((d) => d === null)) {
      // input size unknown: the inferred entry stays unknown, the rest cannot be checked yet
      return this.targetShape.map((d) => (d === -1 ? null : d));
    }
    const size = (perSample as number[]).reduce((p, d) => p * d, 1);
    const known = this.targetShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (unknownAt < 0) {
      if (known !== size) this.mismatch(perSample, size, `${known} values`);
      return this.targetShape.slice();
    }
    if (known === 0 || size % known !== 0) this.mismatch(perSample, size, `a multiple of ${known} values`);
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  private mismatch(perSample: readonly (number | null)[], size: number, needs: string): never {
    throw new RangeError(`Reshape (${this.name}): cannot reshape samples of shape ${show(perSample)} (${size} values) ` +
      `into targetShape ${show(this.targetShape)} (needs ${needs}); the total size per sample must be unchanged`);
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    return new this(config.targetShape as number[], config);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }
}
