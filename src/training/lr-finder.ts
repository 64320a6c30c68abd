/**
 * The learning-rate range test (Leslie N. Smith, "Cyclical Learning Rates for Training Neural
 * Networks", 2015/2017, §3.3; "A disciplined approach to neural network hyper-parameters", 2018):
 * train for a short while with a learning rate growing exponentially from `minLr` towards
 * `maxLr`, one multiplication per batch, record the loss against the rate, then put the model
 * and the optimizer back exactly as they were.
 *
 * This is the book's `find_learning_rate` with its `ExponentialLearningRate` callback
 * (Géron, Hands-On ML, ch. 11): lr_k = minLr·factor^k for batch k = 0…steps−1 with
 *   factor = (maxLr / minLr)^(1 / steps),   steps = epochs·⌈samples / batchSize⌉.
 * The chapter's run — Fashion-MNIST's 55,000 training images, batch 128 (430 steps), one epoch,
 * the book's defaults minLr 1e-4 and maxLr 1 — gives factor (10⁴)^(1/430) = 1.0216504, the
 * "×1.0216504 per batch from 1e-4" of the chapter:
 *   gf.findLearningRate(model, x, y, { minLr: 1e-4, maxLr: 1, batchSize: 128 }).
 * The defaults minLr 1e-7, maxLr 10 are fastai's `lr_find`.
 *
 * Losses are per batch (recovered from fit's running mean), smoothed as fastai does: an
 * exponential moving average with β = 0.98 and bias correction, avg/(1 − β^(k+1)). The run
 * stops early once the smoothed loss exceeds `stopFactor` × its best (or is NaN/∞): past that
 * point the rate is far too high and the curve carries no more information.
 *
 * `suggestedMaxLr` is the rate at the minimum of the smoothed loss divided by 10 — fastai's
 * "minimum" suggestion (`lr_min`), and Géron's rule of thumb that a good rate is about ten
 * times lower than where the loss is lowest before it shoots up; use it as OneCycle's maxLr.
 *
 * Restored afterwards, also when training throws: every weight (bit for bit, trainable or not,
 * e.g. BatchNorm statistics), the optimizer's learning rate (a number or its schedule),
 * `iterations`, and its per-variable state (moments…, via slotsOf / restoreSlots). Not restored:
 * the global random generator, which shuffling and dropout advance.
 */
import type { Tensor } from '../core/tensor.js';
import { Callback, type Logs, type TrainingParams } from '../callbacks/callback.js';
import type { Model, ModelData } from '../models/model.js';
import type { Variable } from '../layers/variable.js';

export interface FindLearningRateOptions {
  /** The first batch's rate (default 1e-7). */
  minLr?: number;
  /** The rate the growth reaches after the last batch (default 10). */
  maxLr?: number;
  batchSize?: number;
  epochs?: number;
  /** Stop when the smoothed loss exceeds stopFactor × its minimum (default 4; Infinity: never). */
  stopFactor?: number;
  /** β of the loss smoothing (default 0.98; 0: no smoothing). */
  smoothing?: number;
  shuffle?: boolean;
  /** As fit's verbose (default 1). */
  verbose?: 0 | 1 | 2;
}

export interface LearningRateFinderResult {
  /** The rate of each batch run, increasing. */
  lrs: number[];
  /** The smoothed loss after each batch. */
  losses: number[];
  /** Each batch's own loss, unsmoothed. */
  rawLosses: number[];
  /** lrs at the minimum smoothed loss ÷ 10 (see the file comment); NaN if no loss was finite. */
  suggestedMaxLr: number;
  /** The per-batch growth factor used. */
  factor: number;
  /** Whether the loss diverged (stopFactor) before the last batch. */
  stoppedEarly: boolean;
}

/** (maxLr / minLr)^(1 / steps): the per-batch factor taking minLr to maxLr in `steps` batches. */
export function lrGrowthFactor(minLr: number, maxLr: number, steps: number): number {
  return (maxLr / minLr) ** (1 / steps);
}

/** The callback that grows the rate and records the losses (the book's ExponentialLearningRate). */
class ExponentialLearningRate extends Callback {
  readonly lrs: number[] = [];
  readonly losses: number[] = [];
  readonly rawLosses: number[] = [];
  factor = 1;
  stoppedEarly = false;
  private step = 0;
  private seenSamples = 0;
  private epochLossSum = 0;
  private average = 0;
  private best = Infinity;

  constructor(private readonly minLr: number, private readonly maxLr: number,
    private readonly stopFactor: number, private readonly beta: number) { super(); }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    this.factor = lrGrowthFactor(this.minLr, this.maxLr, Math.max(1, params.steps * params.epochs));
  }

  override onEpochBegin(): void {
    this.seenSamples = 0;
    this.epochLossSum = 0;
  }

  override onTrainBatchBegin(): void {
    const lr = this.minLr * this.factor ** this.step;
    this.model!.optimizer!.learningRate = lr;
    this.lrs.push(lr);
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    // fit reports the epoch's running, sample-weighted mean: recover this batch's own loss
    const p = this.params!;
    const count = Math.min(p.batchSize, p.samples - batch * p.batchSize);
    this.seenSamples += count;
    const sum = logs.loss * this.seenSamples;
    const loss = (sum - this.epochLossSum) / count;
    this.epochLossSum = sum;
    this.step += 1;
    this.average = this.beta * this.average + (1 - this.beta) * loss;
    const smoothed = this.average / (1 - this.beta ** this.step);
    this.rawLosses.push(loss);
    this.losses.push(smoothed);
    if (smoothed < this.best) this.best = smoothed;
    if (!Number.isFinite(smoothed) || smoothed > this.stopFactor * this.best) {
      this.stoppedEarly = true;
      this.model!.stopTraining = true;
    }
  }
}

function checkPositive(value: number, name: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`findLearningRate: ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

export async function findLearningRate(model: Model, x: ModelData, y: ModelData,
  options: FindLearningRateOptions = {}): Promise<LearningRateFinderResult> {
  const minLr = checkPositive(options.minLr ?? 1e-7, 'minLr');
  const maxLr = checkPositive(options.maxLr ?? 10, 'maxLr');
  if (maxLr <= minLr) throw new RangeError(`findLearningRate: maxLr (${maxLr}) must be greater than minLr (${minLr})`);
  const stopFactor = options.stopFactor ?? 4;
  if (typeof stopFactor !== 'number' || !(stopFactor > 1)) throw new RangeError(`findLearningRate: stopFactor must be a number > 1, got ${String(stopFactor)}`);
  const beta = options.smoothing ?? 0.98;
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) throw new RangeError(`findLearningRate: smoothing must be in [0, 1), got ${String(beta)}`);
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error(`findLearningRate: the model '${model.name}' must be compiled first: call model.compile({ optimizer, loss })`);

  // snapshot everything training changes
  const weights = model.getWeights();
  const schedule = optimizer.learningRateSchedule;
  const lr = schedule ? 0 : optimizer.learningRate;
  const iterations = optimizer.iterations;
  const lastClip = optimizer.lastClip;
  const slots = new Map<Variable, Record<string, Tensor>>();
  for (const w of model.weights) {
    slots.set(w, Object.fromEntries(Object.entries(optimizer.slotsOf(w)).map(([k, t]) => [k, t.clone()])));
  }

  const finder = new ExponentialLearningRate(minLr, maxLr, stopFactor, beta);
  try {
    await model.fit(x, y, {
      epochs: options.epochs ?? 1, batchSize: options.batchSize ?? 32, shuffle: options.shuffle ?? true,
      verbose: options.verbose ?? 1, callbacks: [finder],
    });
  } finally {
    model.setWeights(weights);
    optimizer.learningRate = schedule ?? lr;
    optimizer.iterations = iterations;
    optimizer.lastClip = lastClip;
    for (const [w, s] of slots) optimizer.restoreSlots(w, s);
    model.stopTraining = false;
  }

  let best = -1;
  finder.losses.forEach((l, i) => { if (Number.isFinite(l) && (best < 0 || l < finder.losses[best])) best = i; });
  return {
    lrs: finder.lrs,
    losses: finder.losses,
    rawLosses: finder.rawLosses,
    suggestedMaxLr: best < 0 ? NaN : finder.lrs[best] / 10,
    factor: finder.factor,
    stoppedEarly: finder.stoppedEarly,
  };
}
