/**
 * The per-layer table shared by inspect() and the Monitor's samples: plain data (numbers,
 * strings, arrays) so that it serializes to JSON for the HTML reports.
 */
import type { Tensor } from '../core/tensor.js';
import type { Layer } from '../layers/layer.js';
import {
  activationOf, classNameOf, initCheck, kernelOf, saturationOf, type InitCheck,
} from './layer-info.js';
import type { LayerRecord } from './probe.js';
import { activationStats, histogram, histogramSpecFor, l2, type ActivationStats, type HistogramSpec, type InputStats } from './stats.js';
import type { Thresholds } from './thresholds.js';

export interface WeightReport {
  /** The variable's name ('dense_1/kernel'). */
  name: string;
  shape: number[];
  /** ‖w‖₂. */
  norm: number;
  /** ‖∂L/∂w‖₂; null for frozen weights or weights without a gradient. */
  gradNorm: number | null;
  /** ‖Δw‖/‖w‖ of the optimizer step (Monitor only; null otherwise). */
  updateRatio: number | null;
  /** Whether the weight or its gradient holds NaN/Inf. */
  nonFinite: boolean;
}

export type Verdict = 'non-finite' | 'vanishing' | 'exploding' | 'dead' | 'saturated' | 'init-variance' | 'large-updates';

export interface LayerReport {
  /** The layer's name, prefixed by enclosing model names when nested. */
  name: string;
  className: string;
  /** Keras name of the activation ('relu', 'sigmoid', …), or null for layers without one. */
  activation: string | null;
  /** Shape of the layer's output on the probe batch. */
  outputShape: number[];
  /** Whether the output is one of the model's outputs. */
  isOutput: boolean;
  /** Statistics of the output on the probe batch. */
  stats: ActivationStats;
  /** Histogram of the output: fixed bins (see HistogramSpec) and counts (under, bins…, over). */
  histogram: { spec: HistogramSpec; counts: number[] };
  /** Var(output) / Var(input) on the probe batch (single-input layers; null otherwise). */
  varianceRatio: number | null;
  weights: WeightReport[];
  /** RMS of the gradients of the layer's trainable weights (‖g‖/√n over all of them); null when none. */
  gradRms: number | null;
  /** ‖∂L/∂output‖₂ (inspect only; null in Monitor samples). */
  outputGradNorm: number | null;
  /** Whether ∂L/∂output holds NaN/Inf (inspect only). */
  outputGradNonFinite: boolean;
  /** The kernel's variance gain against the chapter's initializer for the activation; null without a kernel. */
  init: InitCheck | null;
  /** What the detectors found for this layer; empty = healthy. */
  verdict: Verdict[];
}

export interface ReportOptions {
  /** Judge each kernel's initialization (one more pass over each kernel and layer input); default true. */
  initChecks?: boolean;
  /** Layer class names to leave out of the table. */
  skip?: ReadonlySet<string>;
  /** Measure ‖w‖ (default true; the Monitor measures it after the update, fused with ‖Δw‖). */
  weightNorms?: boolean;
  /** Histogram bins by layer path, fixed at a layer's first report (filled in as layers are met). */
  histogramSpecs?: Map<string, HistogramSpec>;
  /** Bins of new histograms (default 20). */
  bins?: number;
  /**
   * Dead units from more samples than this batch: given the batch's per-unit alive mask, returns
   * the dead count over a window of batches, or null while the window holds too few samples
   * (deadFraction is then NaN: not judged).
   */
  deadUnits?: (path: string, alive: Uint8Array, samples: number) => { dead: number } | null;
}

/** One look at the network: inspect()'s result, or one Monitor sample. */
export interface Snapshot {
  /** Optimizer step (Monitor) or null (inspect). */
  step: number | null;
  /** Whether the weights are still the initial ones (optimizer step 0). */
  atInit: boolean;
  loss: number;
  layers: LayerReport[];
  /** Per-feature statistics of each model input on the probe batch. */
  inputs: InputStats[];
  /** Every leaf layer that ran, in execution order (also those left out of `layers`), for structural checks. */
  structure: Array<{ name: string; layer: Layer }>;
}

const PASS_THROUGH = new Set(['Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'RReLU', 'Softmax']);

/**
 * Builds the per-layer table from a recorded forward pass. `grads` maps weights (and, for
 * inspect, each record's gradient leaf) to gradients; null when there was no backward pass.
 */
export function layerReports(records: LayerRecord[], outputs: readonly Tensor[], grads: ReadonlyMap<Tensor, Tensor> | null,
  thresholds: Thresholds, options: ReportOptions = {}): LayerReport[] {
  const { initChecks = true, skip, weightNorms = true, bins = 20 } = options;
  const specs = options.histogramSpecs ?? new Map<string, HistogramSpec>();
  const kept = skip ? records.filter((r) => !skip.has(classNameOf(r.layer))) : records;
  return kept.map((r) => {
    const activation = activationOf(r.layer);
    const saturation = saturationOf(activation);
    // the histogram comes in the same pass once the layer's bins are fixed (from its first statistics)
    const known = specs.get(r.path) ?? null;
    const { histogram: fused, alive, ...stats } = activationStats(r.output, saturation, thresholds, known);
    if (options.deadUnits) {
      const window = options.deadUnits(r.path, alive, r.output.shape[0] ?? 1);
      stats.deadUnits = window ? window.dead : 0;
      stats.deadFraction = window ? window.dead / stats.units : NaN;
    }
    const spec = known ?? histogramSpecFor(stats, saturation, bins);
    if (!known) specs.set(r.path, spec);
    const counts = fused ?? histogram(r.output.data, spec);
    // the input variance serves the init diagnostics only (one more pass over the input)
    const input = initChecks && r.inputs.length === 1 ? r.inputs[0] : null;
    const inputVar = input && input.dtype !== 'int32' ? variance(input.data) : NaN;
    let gradSq = 0, gradCount = 0, anyGrad = false;
    const weights: WeightReport[] = r.layer.weights.map((w) => {
      const g = grads && w.trainable ? grads.get(w) ?? null : null;
      const norm = weightNorms ? l2(w.data) : NaN;
      const gradNorm = g ? l2(g.data) : null;
      if (g) { anyGrad = true; gradSq += gradNorm! * gradNorm!; gradCount += g.size; }
      // NOTE: a norm is NaN/Inf exactly when a value is (squares of float32 values cannot overflow float64)
      return {
        name: w.name ?? '', shape: w.shape.slice(), norm, gradNorm, updateRatio: null,
        nonFinite: (weightNorms && !Number.isFinite(norm)) || (gradNorm !== null && !Number.isFinite(gradNorm)),
      };
    });
    const leafGrad = r.gradientLeaf && grads ? grads.get(r.gradientLeaf) ?? null : null;
    const outputGradNorm = leafGrad ? l2(leafGrad.data) : r.gradientLeaf && grads ? 0 : null;
    const kernel = initChecks ? kernelOf(r.layer) : null;
    return {
      name: r.path,
      className: classNameOf(r.layer),
      activation,
      outputShape: r.output.shape.slice(),
      isOutput: outputs.includes(r.passed),
      stats,
      histogram: { spec, counts },
      varianceRatio: inputVar > 0 ? stats.std ** 2 / inputVar : null,
      weights,
      gradRms: anyGrad ? Math.sqrt(gradSq / Math.max(1, gradCount)) : null,
      outputGradNorm,
      outputGradNonFinite: outputGradNorm !== null && !Number.isFinite(outputGradNorm),
      init: kernel ? initForKernel(records, records.indexOf(r), kernel) : null,
      verdict: [],
    };
  });
}

/**
 * The init check of a kernel layer against its activation; a linear layer whose output goes
 * straight into an activation layer is judged by that activation (Dense → Activation('relu')),
 * and one followed by BatchNormalization is not judged (BN rescales whatever comes in).
 */
function initForKernel(records: LayerRecord[], i: number, kernel: Tensor): InitCheck | null {
  const r = records[i];
  let activation = activationOf(r.layer);
  if (activation === null || activation === 'linear') {
    const next = records.slice(i + 1).find((n) => n.inputs.includes(r.passed));
    if (next && classNameOf(next.layer) === 'BatchNormalization') return null;
    if (next && PASS_THROUGH.has(classNameOf(next.layer))) activation = activationOf(next.layer);
  }
  return initCheck(r.layer, kernel, activation);
}

function variance(d: ArrayLike<number>): number {
  let s = 0, n = 0;
  for (let i = 0; i < d.length; i++) if (Number.isFinite(d[i])) { s += d[i]; n++; }
  const m = s / n;
  let v = 0;
  for (let i = 0; i < d.length; i++) if (Number.isFinite(d[i])) v += (d[i] - m) ** 2;
  return n ? v / n : NaN;
}
