/**
 * The training loop behind Model.fit / evaluate / predict / trainOnBatch / testOnBatch.
 * Inputs and targets are lists (one tensor per model input / output).
 */
import { backpropagate, noGrad } from '../core/autograd.js';
import { BufferPool, withBufferPool } from '../core/buffers.js';
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import type { Logs } from '../callbacks/callback.js';
import type { CallOptions } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { CompiledLoss, CompiledMetric } from './compile.js';
import { takeRows } from './data.js';

/** What the loop needs of a model. */
export interface Trainable {
  readonly name: string;
  forward(xs: Tensor[], options: CallOptions): Tensor[];
  readonly weights: Variable[];
  readonly trainableWeights: Variable[];
  readonly losses: Tensor[];
  /** Sees each step's gradients before the optimizer update (gradient diagnostics); null: no cost. */
  readonly stepObserver?: StepObserver | null;
}

/**
 * What trainStep shows a step observer (gf.diagnostics.Monitor): the batch, the outputs, the total loss, and
 * the gradients of every tensor on the tape's leaves (trainable weights included), after the
 * backward pass and before the optimizer applies them.
 */
export interface StepInfo {
  readonly xs: readonly Tensor[];
  readonly ys: readonly Tensor[];
  /** The model's outputs (training-mode forward). */
  readonly preds: readonly Tensor[];
  readonly loss: Tensor;
  readonly grads: ReadonlyMap<Tensor, Tensor>;
}
/**
 * A step observer. `transient: true` promises that it reads the step's gradients only during the
 * call and keeps no reference to them (it copies what it needs), so the loop may keep recycling
 * their memory; an observer without it turns the backward buffer pool off.
 */
export type StepObserver = ((info: StepInfo) => void) & { readonly transient?: boolean };

export interface Compiled {
  optimizer: Optimizer;
  outputNames: string[];
  /** One per output. */
  losses: CompiledLoss[];
  lossWeights: number[];
  /** One list per output. */
  metrics: CompiledMetric[][];
}

/** Running, sample-weighted means of the loss terms over an epoch (Keras 3's loss tracker). */
export class LossTracker {
  private sums = new Map<string, number>();
  private count = 0;

  update(values: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(values)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * n);
    this.count += n;
  }

  result(): Logs {
    const out: Logs = {};
    for (const [k, v] of this.sums) out[k] = this.count ? v / this.count : NaN;
    return out;
  }
}

/** Total loss = Σ weightᵢ·lossᵢ + weight penalties + activity penalties; also each term. */
export function computeLoss(model: Trainable, c: Compiled, ys: Tensor[], preds: Tensor[]): { total: Tensor; terms: Record<string, Tensor> } {
  const terms: Record<string, Tensor> = {};
  let total: Tensor | null = null;
  c.losses.forEach((loss, i) => {
    const value = loss.call(ys[i], preds[i]);
    if (c.losses.length > 1) terms[`${c.outputNames[i]}_loss`] = value;
    const weighted = c.lossWeights[i] === 1 ? value : o.mul(value, c.lossWeights[i]);
    total = total ? o.add(total, weighted) : weighted;
  });
  for (const w of model.weights) if (w.regularizer && w.trainable) total = o.add(total!, w.regularizer.call(w));
  for (const penalty of model.losses) total = o.add(total!, penalty);
  return { total: total!, terms };
}

function updateMetrics(c: Compiled, ys: Tensor[], preds: Tensor[]): void {
  noGrad(() => c.metrics.forEach((list, i) => { for (const m of list) m.update(ys[i], preds[i]); }));
}

export function resetMetrics(c: Compiled): void {
  for (const list of c.metrics) for (const m of list) m.reset();
}

/** Loss terms and metric results as logs; multi-output metrics are prefixed by the output name. */
export function collectLogs(c: Compiled, tracker: LossTracker): Logs {
  const logs: Logs = tracker.result();
  c.metrics.forEach((list, i) => {
    for (const m of list) logs[c.metrics.length > 1 ? `${c.outputNames[i]}_${m.name}` : m.name] = m.result();
  });
  return logs;
}

/** Each compiled model's pool of backward-pass buffers, reused from step to step. */
const stepPools = new WeakMap<Compiled, BufferPool>();

/** The buffer pool of `c`'s backward passes, once a step has used one (telemetry and tests). */
export function backwardBufferPool(c: Compiled): BufferPool | undefined {
  return stepPools.get(c);
}

/** The pool for `c`'s backward passes, or null where a gradient could outlive the step. */
function backwardPool(model: Trainable, c: Compiled): BufferPool | null {
  // an observer (gf.diagnostics.Monitor) or a user-defined optimizer may keep gradients
  if ((model.stepObserver && model.stepObserver.transient !== true) || c.optimizer.mayRetainGradients) return null;
  let pool = stepPools.get(c);
  if (!pool) stepPools.set(c, (pool = new BufferPool()));
  return pool;
}

/**
 * One optimizer step on a batch (training mode), updating the trackers. The backward pass draws
 * its arrays (gradients, their intermediates) from a pool that is released once the optimizer
 * has applied them: a steady-state step allocates no gradient memory (docs/architecture.md).
 */
export function trainStep(model: Trainable, c: Compiled, xs: Tensor[], ys: Tensor[], tracker: LossTracker): void {
  const preds = model.forward(xs, { training: true });
  const { total, terms } = computeLoss(model, c, ys, preds);
  if (total.requiresGrad) {
    const pool = backwardPool(model, c);
    try {
      const grads = pool ? withBufferPool(pool, () => backpropagate(total)) : backpropagate(total);
      if (model.stepObserver) model.stepObserver({ xs, ys, preds, loss: total, grads });
      c.optimizer.applyGradients(model.trainableWeights.map((w) => [grads.get(w) ?? null, w] as const));
    } finally {
      pool?.release();
    }
  }
  tracker.update(scalars(total, terms), xs[0].shape[0]);
  updateMetrics(c, ys, preds);
}

function scalars(total: Tensor, terms: Record<string, Tensor>): Record<string, number> {
  const out: Record<string, number> = { loss: total.item() };
  for (const [k, v] of Object.entries(terms)) out[k] = v.item();
  return out;
}

/** Loss and metrics over a data set in inference mode, in batches. */
export function evaluateBatches(model: Trainable, c: Compiled, xs: Tensor[], ys: Tensor[], batchSize: number): Logs {
  resetMetrics(c);
  const tracker = new LossTracker();
  for (let start = 0; start < xs[0].shape[0]; start += batchSize) evaluateBatch(model, c, xs, ys, start, batchSize, tracker);
  return collectLogs(c, tracker);
}

/** Rows [start, start + batchSize) in inference mode, into the tracker and the metrics. */
export function evaluateBatch(model: Trainable, c: Compiled, xs: Tensor[], ys: Tensor[], start: number, batchSize: number,
  tracker: LossTracker): void {
  const count = Math.min(batchSize, xs[0].shape[0] - start);
  noGrad(() => {
    const xb = xs.map((x) => takeRows(x, start, count));
    const yb = ys.map((y) => takeRows(y, start, count));
    const preds = model.forward(xb, { training: false });
    const { total, terms } = computeLoss(model, c, yb, preds);
    tracker.update(scalars(total, terms), count);
    updateMetrics(c, yb, preds);
  });
}

/** Forward passes in inference mode, in batches; one concatenated tensor per output. */
export function predictBatches(model: Trainable, xs: Tensor[], batchSize: number): Tensor[] {
  const n = xs[0].shape[0];
  const chunks: Tensor[][] = [];
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      chunks.push(model.forward(xs.map((x) => takeRows(x, start, count)), { training: false }));
    }
  });
  return chunks[0].map((_, i) => (chunks.length === 1 ? chunks[0][i] : o.concat(chunks.map((c) => c[i]), 0)));
}
