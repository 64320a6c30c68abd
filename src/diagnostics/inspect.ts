/**
 * gf.diagnostics.inspect(model, x, y): one forward and backward pass on a probe batch, and a
 * per-layer table of activation statistics, gradient norms (of every weight and of every layer
 * output) and verdicts, with findings and the chapter's advice.
 *
 * The pass runs in inference mode by default (BatchNormalization uses its moving statistics,
 * dropout is off): the probe is deterministic and changes nothing. With `training: true` BN
 * normalizes by the batch and dropout drops, as in fit; the moving statistics it updates are
 * restored afterwards. Nothing is applied to the weights and the optimizer is not touched.
 */
import { backpropagate, isGradEnabled } from '../core/autograd.js';
import type { Tensor, TensorLike } from '../core/tensor.js';
import type { Model } from '../models/model.js';
import { compileLosses, type LossIdentifier } from '../training/compile.js';
import { takeRows, toDataTensor } from '../training/data.js';
import { computeLoss, type Compiled } from '../training/loop.js';
import { detect, type Finding, type SelfNormalization } from './detectors.js';
import { formatFindings, formatLayers, num } from './format.js';
import { instrumentedForward } from './probe.js';
import { layerReports, type LayerReport, type Snapshot } from './report.js';
import { inputStats, type InputStats } from './stats.js';
import { resolveThresholds, type Thresholds } from './thresholds.js';

export interface InspectOptions {
  /** Training-mode forward (BN batch statistics, dropout on); default false (inference mode). */
  training?: boolean;
  /** Use the first `batchSize` samples of x / y (default 256). */
  batchSize?: number;
  /** Overrides of the detectors' thresholds (see DEFAULT_THRESHOLDS). */
  thresholds?: Partial<Thresholds>;
  /** The loss for a model that is not compiled (default: the compiled loss, with its weights and penalties). */
  loss?: LossIdentifier;
}

/** The result of inspect(): the per-layer table, the findings and the self-normalization check. */
export class Inspection {
  constructor(
    readonly model: string,
    readonly loss: number,
    readonly samples: number,
    /** Whether the weights were the initial ones (optimizer step 0 or not compiled). */
    readonly atInit: boolean,
    readonly layers: LayerReport[],
    readonly findings: Finding[],
    readonly selfNormalization: SelfNormalization,
    readonly inputs: InputStats[],
  ) {}

  /** Whether nothing was found at warning or error level. */
  get healthy(): boolean {
    return !this.findings.some((f) => f.severity !== 'info');
  }

  /** The layer's row by name (or nested path). */
  layer(name: string): LayerReport {
    const l = this.layers.find((r) => r.name === name || r.name.endsWith(`/${name}`));
    if (!l) throw new RangeError(`Inspection: no layer '${name}'; layers: ${this.layers.map((r) => r.name).join(', ')}`);
    return l;
  }

  /** The table, the self-normalization check (SELU nets) and the findings with advice. */
  format(): string {
    const head = `Inspection of '${this.model}' on ${this.samples} samples${this.atInit ? ' (at init)' : ''}: loss ${num(this.loss)}`;
    const parts = [head, '', formatLayers(this.layers), ''];
    if (this.selfNormalization.applicable) {
      parts.push(`Self-normalization (SELU): ${this.selfNormalization.passed ? 'passed' : 'FAILED'}`);
      for (const c of this.selfNormalization.checks) parts.push(`  ${c.passed ? '✓' : '✗'} ${c.check}: ${c.detail}`);
      parts.push('');
    }
    parts.push(formatFindings(this.findings));
    return parts.join('\n');
  }

  toString(): string {
    return this.format();
  }

  /** Plain data for reports. */
  toJSON(): Record<string, unknown> {
    return {
      model: this.model, loss: this.loss, samples: this.samples, atInit: this.atInit, layers: this.layers,
      findings: this.findings, selfNormalization: this.selfNormalization, inputs: this.inputs,
    };
  }
}

type Data = TensorLike | TensorLike[];

/** Coerces model data to one tensor per input / output, keeping the first `n` samples. */
export function dataList(data: Data, n: number, what: string): Tensor[] {
  const isList = Array.isArray(data) && data.length > 0 && data.every((d) => !Array.isArray(d) && typeof d === 'object' && d !== null);
  const list = isList ? (data as TensorLike[]).map((d, i) => toDataTensor(d, `${what}[${i}]`)) : [toDataTensor(data as TensorLike, what)];
  return list.map((t) => (t.rank > 0 && t.shape[0] > n ? takeRows(t, 0, n) : t));
}

/** One forward/backward pass on (the first samples of) x, y; see Inspection. */
export function inspect(model: Model, x: Data, y: Data, options: InspectOptions = {}): Inspection {
  const where = `diagnostics.inspect(${model?.name ?? ''})`;
  if (!model || typeof model.forward !== 'function') throw new TypeError(`${where}: expected a gf Model, got ${String(model)}`);
  if (!isGradEnabled()) throw new Error(`${where}: cannot run inside noGrad(): the inspection needs a backward pass`);
  const thresholds = resolveThresholds(options.thresholds, where);
  const batch = options.batchSize ?? 256;
  if (!Number.isInteger(batch) || batch <= 0) throw new RangeError(`${where}: batchSize must be a positive integer, got ${batch}`);
  const compiled = lossOf(model, options.loss, where);
  const xs = dataList(x, batch, `${where} x`), ys = dataList(y, batch, `${where} y`);
  if (xs.length !== model.inputNames.length) throw new RangeError(`${where}: the model has ${model.inputNames.length} input(s), got ${xs.length}`);
  if (ys.length !== compiled.outputNames.length) throw new RangeError(`${where}: the model has ${compiled.outputNames.length} output(s), got ${ys.length} target(s)`);
  const training = options.training ?? false;
  // a training-mode pass updates BN moving statistics: restore every non-trainable weight after
  const saved = training ? model.nonTrainableWeights.map((w) => [w, w.data.slice()] as const) : [];
  try {
    const { outputs, records } = instrumentedForward(model, xs, { training, outputGradients: true });
    const { total } = computeLoss(model, compiled, ys, outputs);
    const grads = total.requiresGrad ? backpropagate(total) : new Map<Tensor, Tensor>();
    const layers = layerReports(records, outputs, grads, thresholds);
    const snapshot: Snapshot = {
      step: null,
      atInit: (model.optimizer?.iterations ?? 0) === 0,
      loss: total.item(),
      layers,
      inputs: xs.filter((t) => t.dtype !== 'int32').map(inputStats),
      structure: records.map((r) => ({ name: r.path, layer: r.layer })),
    };
    const { findings, selfNormalization } = detect(snapshot, thresholds);
    return new Inspection(model.name, snapshot.loss, xs[0].shape[0] ?? 1, snapshot.atInit, layers, findings, selfNormalization, snapshot.inputs);
  } finally {
    for (const [w, data] of saved) w.data.set(data);
  }
}

/** The compiled loss, or `loss` for an uncompiled model. */
function lossOf(model: Model, loss: LossIdentifier | undefined, where: string): Compiled {
  if (loss === undefined) {
    const c = model.compiledState;
    if (!c) throw new Error(`${where}: the model is not compiled; compile it or pass { loss } (e.g. 'sparse_categorical_crossentropy')`);
    return c;
  }
  const outputNames = model.outputNames;
  const losses = compileLosses(loss, outputNames, model.name);
  // computeLoss reads only losses, lossWeights and outputNames
  return { optimizer: null as unknown as Compiled['optimizer'], outputNames, losses, lossWeights: outputNames.map(() => 1), metrics: [] };
}
