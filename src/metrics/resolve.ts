/**
 * compile()'s shorthand metrics 'accuracy' / 'acc' and 'crossentropy' / 'ce' (Keras'
 * compile_utils.get_metric). Keras 3 picks the variant from the shapes of yTrue and yPred; here
 * the loss decides first when it can (sparse CE → sparse_categorical_*, categorical CE →
 * categorical_*, binary CE → binary_*), otherwise the shapes decide at the first update, by
 * Keras' rule:
 *   yPred's last dim is 1                                  → binary
 *   yTrue has one dimension less, or a last dim of 1        → sparse categorical
 *   otherwise                                               → categorical
 * The metric is named by the identifier as given ('acc' logs as 'acc'), as Keras.
 */
import type { TensorLike } from '../core/tensor.js';
import { toTensor } from '../core/tensor.js';
import * as losses from '../losses/index.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './loss-metrics.js';
import { Metric, type MetricConfig } from './metric.js';

export type ShorthandKind = 'accuracy' | 'crossentropy';
type Variant = 'binary' | 'categorical' | 'sparse';

const SHORTHANDS: Record<string, ShorthandKind> = { accuracy: 'accuracy', acc: 'accuracy', crossentropy: 'crossentropy', ce: 'crossentropy' };

/** 'accuracy' | 'crossentropy' for a shorthand spelling, else null. */
export function shorthandKind(identifier: unknown): ShorthandKind | null {
  return typeof identifier === 'string' ? SHORTHANDS[identifier.toLowerCase()] ?? null : null;
}

interface LossInfo { variant: Variant | null; fromLogits: boolean }

/** What the loss says about the labels: its cross-entropy variant and whether it takes logits. */
export function describeLoss(loss: losses.LossIdentifier | null | undefined): LossInfo {
  const none: LossInfo = { variant: null, fromLogits: false };
  if (loss === null || loss === undefined) return none;
  let instance: losses.Loss;
  try {
    instance = losses.get(loss);
  } catch {
    return none; // an unknown loss decides nothing; compile reports it separately
  }
  const fromLogits = (instance as { fromLogits?: unknown }).fromLogits === true;
  if (instance instanceof losses.SparseCategoricalCrossentropy) return { variant: 'sparse', fromLogits };
  if (instance instanceof losses.CategoricalCrossentropy) return { variant: 'categorical', fromLogits };
  if (instance instanceof losses.BinaryCrossentropy) return { variant: 'binary', fromLogits };
  if (instance instanceof losses.LossFunctionWrapper) {
    const byName: Record<string, Variant> = {
      sparse_categorical_crossentropy: 'sparse', categorical_crossentropy: 'categorical', binary_crossentropy: 'binary',
    };
    try {
      return { variant: byName[losses.kerasName(instance.fnName)] ?? null, fromLogits: false };
    } catch {
      return none;
    }
  }
  return none;
}

/**
 * The concrete metric for a shorthand. NOTE: with a from-logits loss the metric follows it:
 * binary accuracy thresholds logits at 0 (= probability ½) and crossentropy gets fromLogits.
 * Keras keeps threshold 0.5 there, which silently misreads logits.
 */
export function shorthandMetric(kind: ShorthandKind, variant: Variant, name: string, fromLogits = false): Metric {
  if (kind === 'accuracy') {
    if (variant === 'binary') return new BinaryAccuracy({ name, threshold: fromLogits ? 0 : 0.5 });
    return variant === 'sparse' ? new SparseCategoricalAccuracy({ name }) : new CategoricalAccuracy({ name });
  }
  if (variant === 'binary') return new BinaryCrossentropy({ name, fromLogits });
  return variant === 'sparse' ? new SparseCategoricalCrossentropy({ name, fromLogits }) : new CategoricalCrossentropy({ name, fromLogits });
}

/** Keras' shape rule (compile_utils.get_metric). */
export function variantFromShapes(yTrueShape: readonly number[], yPredShape: readonly number[]): Variant {
  const predLast = yPredShape[yPredShape.length - 1];
  // NOTE: a rank-1 yPred ([batch]) is one probability per sample; Keras would call it categorical
  if (yPredShape.length <= 1 || predLast === 1) return 'binary';
  if (yTrueShape.length === yPredShape.length - 1 || (yTrueShape[yTrueShape.length - 1] === 1 && predLast > 1)) return 'sparse';
  return 'categorical';
}

/**
 * A shorthand metric whose variant is chosen from the shapes of the first batch (used when the
 * loss does not decide). The choice holds until the metric is rebuilt.
 */
export class ShapeResolvedMetric extends Metric {
  static override className = 'ShapeResolvedMetric';
  readonly kind: ShorthandKind;
  private delegate: Metric | null = null;

  constructor({ name = 'accuracy', kind = 'accuracy' }: MetricConfig & { kind?: ShorthandKind } = {}) {
    super(name);
    if (kind !== 'accuracy' && kind !== 'crossentropy') {
      throw new RangeError(`${name}: kind must be 'accuracy' or 'crossentropy', got ${JSON.stringify(kind)}`);
    }
    this.kind = kind;
  }

  /** The concrete metric once the first batch has been seen, else null. */
  get resolved(): Metric | null {
    return this.delegate;
  }

  updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike | null): void {
    if (yPred === undefined) throw new TypeError(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
    if (!this.delegate) {
      const variant = variantFromShapes(toTensor(yTrue, this.name).shape, toTensor(yPred, this.name).shape);
      this.delegate = shorthandMetric(this.kind, variant, this.name);
    }
    this.delegate.updateState(yTrue, yPred, sampleWeight);
  }

  result(): number {
    return this.delegate ? this.delegate.result() : 0;
  }

  resetState(): void {
    this.delegate?.resetState();
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), kind: this.kind };
  }
}

/**
 * compile()'s metric resolution: a shorthand ('accuracy', 'acc', 'crossentropy', 'ce') becomes
 * the variant that fits `loss` (or the data's shapes); anything else goes through `get`.
 * Always returns a fresh metric for a name or config (an instance is returned as is).
 */
export function resolveShorthand(identifier: string, loss?: losses.LossIdentifier | null): Metric {
  const kind = shorthandKind(identifier)!;
  const { variant, fromLogits } = describeLoss(loss);
  return variant ? shorthandMetric(kind, variant, identifier, fromLogits) : new ShapeResolvedMetric({ name: identifier, kind });
}
