/**
 * Monitor: a callback that watches gradient flow and activations during fit, cheap enough to
 * leave on. Every `every` optimizer steps (default 50) it takes a sample:
 *   - per trainable weight: ‖∂L/∂w‖ of the training batch, ‖w‖ after the step, and ‖Δw‖/‖w‖;
 *   - per layer: statistics and a histogram of its output, and ‖∂L/∂output‖;
 *   - clipping telemetry from optimizer.lastClip (counted on every step: the optimizer computes
 *     it anyway when clipping is configured).
 * Activations come from the sampled step's own forward pass (training mode, the training batch:
 * no extra forward pass), recorded by wrappers on the layers' call methods (installed for the fit, armed for that one step). With
 * `probe`, they come instead from a fixed probe batch run in inference mode (BN moving
 * statistics, no dropout) with the weights that step's forward used: comparable from sample to
 * sample, at the cost of one forward pass of the probe per sample.
 *
 * The detectors run on each sample; findings are kept once per (code, layer) with the first and
 * last step. Between samples the monitor costs a counter check per hook and a finiteness check
 * of the step's loss (already computed): the first NaN/Inf loss triggers a sample that names the
 * first layer where a non-finite value appeared.
 */
import { noGrad } from '../core/autograd.js';
import type { DataArray } from '../core/dtype.js';
import type { Tensor, TensorLike } from '../core/tensor.js';
import { Callback, type Logs } from '../callbacks/callback.js';
import type { Variable } from '../layers/variable.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { StepInfo, StepObserver } from '../training/loop.js';
import { ADVICE, detect, type Finding } from './detectors.js';
import { formatFindings, formatLayers, num } from './format.js';
import { dataList } from './inspect.js';
import { IDENTITY_AT_INFERENCE } from './layer-info.js';
import { installTaps, instrumentedForward, type ForwardModel, type LayerRecord, type Taps } from './probe.js';
import { layerReports, type LayerReport, type Snapshot } from './report.js';
import { allFinite, inputStats, l2, l2AndDiff, type HistogramSpec, type InputStats } from './stats.js';
import { resolveThresholds, type Thresholds } from './thresholds.js';

export interface MonitorOptions {
  /** Sample every this many optimizer steps (default 50; step 0 is always sampled). */
  every?: number;
  /**
   * A fixed probe batch (x, or one tensor per model input) run in inference mode at each sample.
   * Default: none — statistics of the sampled step's own training batch (free).
   */
  probe?: TensorLike | TensorLike[];
  /**
   * Samples of `probe` used (its first ones; default 128). Without a probe, dead units are judged
   * over the last sampled batches holding this many samples.
   */
  probeSize?: number;
  /** Bins of the activation histograms (default 20, plus an underflow and an overflow bin). */
  histogramBins?: number;
  thresholds?: Partial<Thresholds>;
  /** Called once for each new finding (a code on a layer seen for the first time). */
  onFinding?: (finding: Finding) => void;
}

/** Where the first NaN/Inf appeared. */
export interface NonFiniteEvent {
  /** The optimizer step: for 'weights', the step whose update made them non-finite. */
  step: number;
  kind: 'weights' | 'activation' | 'gradient' | 'loss';
  /** The first layer (forward order; backward order for gradients), or null for the loss. */
  layer: string | null;
  detail: string;
}

export interface ClippingTelemetry {
  /** The optimizer's clipping option, or null when none is set. */
  method: 'clipvalue' | 'clipnorm' | 'globalClipnorm' | null;
  /** Steps observed with clipping configured, and how many of them clipped something. */
  steps: number;
  clippedSteps: number;
  /** Mean of normAfter / normBefore over the clipped steps (1 = untouched). */
  meanScale: number;
  /** Largest global gradient norm before clipping. */
  maxNormBefore: number;
}

/**
 * The recorded time series, layer × sampled step, as plain arrays (JSON-ready for reports).
 * Index [row][i] is row's value at sample i (steps[i]); null where a row was not measured.
 */
export interface MonitorSeries {
  every: number;
  /** Optimizer step, epoch and batch loss of each sample (the time axis). */
  steps: number[];
  epochs: number[];
  loss: number[];
  /** Global gradient norm (all trainable weights) of each sample. */
  gradNorm: number[];
  layers: Array<{ name: string; className: string; activation: string | null }>;
  weights: Array<{ name: string; layer: string; shape: number[] }>;
  /** [weight][sample] */
  weightGradNorm: Array<Array<number | null>>;
  weightNorm: Array<Array<number | null>>;
  updateRatio: Array<Array<number | null>>;
  /** [layer][sample] */
  gradRms: Array<Array<number | null>>;
  /** ‖∂L/∂output‖ per layer (null with a probe: the probe has no backward pass). */
  outputGradNorm: Array<Array<number | null>>;
  mean: Array<Array<number | null>>;
  std: Array<Array<number | null>>;
  zeroFraction: Array<Array<number | null>>;
  deadFraction: Array<Array<number | null>>;
  saturatedFraction: Array<Array<number | null>>;
  /** Per layer: fixed bins (set at its first sample) and counts [sample][bin]: under, bins…, over. */
  histograms: Array<{ spec: HistogramSpec; counts: Array<number[] | null> }>;
  /** Fraction of the steps since the previous sample that clipped (null without clipping). */
  clippedFraction: Array<number | null>;
}

interface MonitoredModel extends ForwardModel {
  readonly name: string;
  readonly weights: Variable[];
  readonly trainableWeights: Variable[];
  readonly optimizer: Optimizer | null;
  stepObserver: StepObserver | null;
  stopTraining: boolean;
}

interface Pending {
  snapshot: Snapshot;
  before: Map<Variable, DataArray>;
  gradNorm: number;
}

export class Monitor extends Callback {
  readonly every: number;
  readonly probeSize: number;
  readonly histogramBins: number;
  readonly thresholds: Thresholds;
  readonly series: MonitorSeries;
  /** Findings so far, once per (code, layer), in the order they first appeared. */
  readonly findings: Finding[] = [];
  /** Where the first NaN/Inf appeared, or null. */
  nonFinite: NonFiniteEvent | null = null;
  readonly clipping: ClippingTelemetry = { method: null, steps: 0, clippedSteps: 0, meanScale: 1, maxNormBefore: 0 };
  /** The per-layer table of the latest sample. */
  latest: LayerReport[] = [];
  private readonly onFinding: ((f: Finding) => void) | null;
  private readonly probe: Tensor[] | null;
  private inputStats: InputStats[] | null = null;
  /** Wrappers on the layers' call methods, installed for the duration of fit. */
  private taps: Taps | null = null;
  /** Whether the taps record the step about to run (armed in onTrainBatchBegin of a sampled step). */
  private armed = false;
  private watched: MonitoredModel | null = null;
  private previousObserver: StepObserver | null = null;
  private installed: StepObserver | null = null;
  private pending: Pending | null = null;
  private epoch = 0;
  private clipScaleSum = 0;
  private clipSinceSample = { steps: 0, clipped: 0 };
  private readonly keys = new Map<string, Finding>();
  private readonly layerIndex = new Map<string, number>();
  private readonly weightIndex = new Map<string, number>();
  private readonly histogramSpecs = new Map<string, HistogramSpec>();
  private readonly weightCopies = new WeakMap<Variable, DataArray>();
  private readonly aliveWindows = new Map<string, Array<{ alive: Uint8Array; samples: number }>>();

  constructor(options: MonitorOptions = {}) {
    super();
    const where = 'diagnostics.Monitor';
    this.every = options.every ?? 50;
    this.probeSize = options.probeSize ?? 128;
    this.histogramBins = options.histogramBins ?? 20;
    for (const [k, v] of [['every', this.every], ['probeSize', this.probeSize], ['histogramBins', this.histogramBins]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: ${k} must be a positive integer, got ${String(v)}`);
    }
    this.thresholds = resolveThresholds(options.thresholds, where);
    this.onFinding = options.onFinding ?? null;
    this.probe = options.probe !== undefined ? dataList(options.probe, this.probeSize, `${where} probe`) : null;
    this.series = {
      every: this.every, steps: [], epochs: [], loss: [], gradNorm: [], layers: [], weights: [],
      weightGradNorm: [], weightNorm: [], updateRatio: [], gradRms: [], outputGradNorm: [], mean: [], std: [], zeroFraction: [],
      deadFraction: [], saturatedFraction: [], histograms: [], clippedFraction: [],
    };
  }

  override onTrainBegin(): void {
    this.taps?.remove();
    const m = this.model as unknown as MonitoredModel | null;
    if (!m || typeof m.forward !== 'function' || !('stepObserver' in m)) {
      throw new Error('diagnostics.Monitor: needs a gf Model; pass it to model.fit({ callbacks: [monitor] })');
    }
    this.watched = m;
    this.previousObserver = m.stepObserver;
    // the Monitor reduces gradients to statistics during the call and keeps none of them, so the
    // loop keeps recycling gradient memory — unless an observer it chains to might keep them
    this.installed = Object.assign((info: StepInfo): void => this.observe(info), {
      transient: this.previousObserver === null || this.previousObserver.transient === true,
    });
    m.stepObserver = this.installed;
    this.taps = installTaps(m);
    this.armed = false;
    this.clipping.method = m.optimizer ? clipMethod(m.optimizer) : null;
  }

  override onTrainEnd(): void {
    this.taps?.remove();
    this.taps = null;
    this.armed = false;
    if (this.watched && this.watched.stepObserver === this.installed) this.watched.stepObserver = this.previousObserver;
    this.installed = null;
    this.watched = null;
    this.pending = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** The per-step hook (bound): a counter check, and the sample when one is due. */
  private readonly observe = (info: StepInfo): void => {
    this.previousObserver?.(info);
    const armed = this.disarm();
    const m = this.watched!;
    const step = m.optimizer?.iterations ?? 0;
    const badLoss = !Number.isFinite(info.loss.data[0]) && this.nonFinite === null;
    if (step % this.every !== 0 && !badLoss) return;
    noGrad(() => this.sample(m, step, info, badLoss, armed));
  };

  /** Before a sampled step (no probe): arm the taps so its forward pass records the layers' outputs. */
  override onTrainBatchBegin(): void {
    this.disarm();
    const m = this.watched;
    if (m && this.taps && !this.probe && (m.optimizer?.iterations ?? 0) % this.every === 0) {
      this.taps.arm({ outputGradients: true });
      this.armed = true;
    }
  }

  private disarm(): LayerRecord[] | null {
    if (!this.armed) return null;
    this.armed = false;
    return this.taps!.disarm();
  }

  /**
   * Training-batch statistics: a unit is dead when it output 0 for every sample of the last
   * sampled batches holding ≥ probeSize samples (one batch of 32 would call units with a low
   * firing rate dead). Not judged until the window is full.
   */
  private deadOverWindow(path: string, alive: Uint8Array, samples: number): { dead: number } | null {
    let window = this.aliveWindows.get(path);
    if (!window) { window = []; this.aliveWindows.set(path, window); }
    window.push({ alive, samples });
    let total = window.reduce((a, w) => a + w.samples, 0);
    while (window.length > 1 && total - window[0].samples >= this.probeSize) total -= window.shift()!.samples;
    const needed = Math.min(this.probeSize, this.params?.samples ?? this.probeSize);
    if (total < needed || window.some((w) => w.alive.length !== alive.length)) return null;
    let dead = 0;
    for (let u = 0; u < alive.length; u++) if (!window.some((w) => w.alive[u])) dead++;
    return { dead };
  }

  override onTrainBatchEnd(_batch: number, _logs: Logs = {}): void {
    const clip = this.watched?.optimizer?.lastClip;
    if (clip && clip.method !== null) {
      this.clipping.steps++;
      this.clipSinceSample.steps++;
      if (clip.normBefore > this.clipping.maxNormBefore) this.clipping.maxNormBefore = clip.normBefore;
      if (clip.clipped) {
        this.clipping.clippedSteps++;
        this.clipSinceSample.clipped++;
        if (clip.normBefore > 0) this.clipScaleSum += clip.normAfter / clip.normBefore;
        this.clipping.meanScale = this.clipScaleSum / this.clipping.clippedSteps;
      }
    }
    if (this.pending) this.finishSample(this.pending);
  }

  /** Measures what is known before the update; the update ratios and detectors follow in onTrainBatchEnd. */
  private sample(m: MonitoredModel, step: number, info: StepInfo, badLoss: boolean, armed: LayerRecord[] | null): void {
    const taps = this.taps ?? undefined;
    const { outputs, records } = this.probe ? instrumentedForward(m, this.probe, { training: false, taps })
      : armed && armed.length ? { outputs: info.preds, records: armed }
        : instrumentedForward(m, info.xs.slice(), { training: false, taps }); // a sample not planned (NaN trigger)
    // init checks (one more pass over each kernel) matter only at step 0; layers that pass values
    // through unchanged at inference (Flatten, Dropout…) would repeat their input's statistics
    const layers = layerReports(records, outputs, info.grads, this.thresholds, {
      initChecks: step === 0, skip: IDENTITY_AT_INFERENCE, weightNorms: false, histogramSpecs: this.histogramSpecs, bins: this.histogramBins,
      deadUnits: this.probe ? undefined : (path, alive, samples) => this.deadOverWindow(path, alive, samples),
    });
    if (badLoss) this.locateNonFinite(m, step, info);
    // the inputs' statistics (for the SELU validator) from the probe, or from the first sampled batch
    this.inputStats ??= (this.probe ?? info.xs).filter((t) => t.dtype !== 'int32').map(inputStats);
    const before = new Map<Variable, DataArray>();
    for (const w of m.trainableWeights) {
      // copies into buffers kept from sample to sample (no garbage per sample)
      let copy = this.weightCopies.get(w);
      if (copy && copy.length === w.data.length && copy.constructor === w.data.constructor) copy.set(w.data);
      else { copy = w.data.slice(); this.weightCopies.set(w, copy); }
      before.set(w, copy);
    }
    let sq = 0;
    for (const l of layers) for (const w of l.weights) if (w.gradNorm !== null) sq += w.gradNorm * w.gradNorm;
    const snapshot: Snapshot = {
      step, atInit: step === 0, loss: info.loss.data[0], layers, inputs: this.inputStats,
      structure: records.map((r) => ({ name: r.path, layer: r.layer })),
    };
    this.pending = { snapshot, before, gradNorm: Math.sqrt(sq) };
  }

  private finishSample({ snapshot, before, gradNorm }: Pending): void {
    this.pending = null;
    const m = this.watched!;
    // ‖w‖ after the update and ‖Δw‖ in one pass over each weight
    const byName = new Map(m.weights.map((w) => [w.name, w]));
    for (const l of snapshot.layers) {
      for (const w of l.weights) {
        const v = byName.get(w.name);
        if (!v) continue;
        const b = before.get(v);
        if (b) {
          const { norm, diff } = l2AndDiff(v.data, b);
          w.norm = norm;
          w.updateRatio = norm > 0 ? diff / norm : null;
        } else {
          w.norm = l2(v.data);
        }
        if (!Number.isFinite(w.norm)) w.nonFinite = true;
      }
    }
    const s = this.series;
    const firstGradNorm = s.gradNorm.find((g) => Number.isFinite(g) && g > 0);
    s.steps.push(snapshot.step!);
    s.epochs.push(this.epoch);
    s.loss.push(snapshot.loss);
    s.gradNorm.push(gradNorm);
    s.clippedFraction.push(this.clipping.method ? (this.clipSinceSample.steps ? this.clipSinceSample.clipped / this.clipSinceSample.steps : 0) : null);
    this.clipSinceSample = { steps: 0, clipped: 0 };
    this.recordLayers(snapshot.layers);
    const { findings } = detect(snapshot, this.thresholds);
    const extra: Finding[] = [];
    if (firstGradNorm !== undefined && gradNorm > this.thresholds.explodingGrowth * firstGradNorm) {
      extra.push(this.growthFinding(snapshot, gradNorm, firstGradNorm));
    }
    if (this.clipping.method && this.clipping.steps >= 10 && this.clipping.clippedSteps / this.clipping.steps > 0.5) {
      extra.push({
        code: 'clipping', severity: 'info', layer: null, step: snapshot.step,
        message: `${this.clipping.method} clipped ${this.clipping.clippedSteps} of ${this.clipping.steps} steps so far ` +
          `(gradients scaled to ${num(this.clipping.meanScale)}× on average, largest norm ${num(this.clipping.maxNormBefore)}).`,
        advice: ADVICE.clipping, values: { clippedSteps: this.clipping.clippedSteps, steps: this.clipping.steps, meanScale: this.clipping.meanScale },
      });
    }
    for (const f of [...findings, ...extra]) {
      if (f.code === 'non-finite') {
        if (this.nonFinite) continue; // the first appearance is already located
        this.nonFinite = { step: snapshot.step!, kind: 'activation', layer: f.layer, detail: `on the probe batch: ${f.message}` };
      }
      this.merge(f);
    }
    this.latest = snapshot.layers;
  }

  private growthFinding(s: Snapshot, gradNorm: number, first: number): Finding {
    // the layer whose gradient grew most since the first sample
    let worst: string | null = null, growth = 0;
    for (const l of s.layers) {
      const row = this.layerIndex.get(l.name);
      const start = row === undefined ? undefined : this.series.gradRms[row].find((g) => g !== null && g > 0);
      if (l.gradRms && start) { const r = l.gradRms / start; if (r > growth) { growth = r; worst = l.name; } }
    }
    return {
      code: 'exploding-gradients', severity: 'error', layer: worst, step: s.step,
      message: `gradient norm grew ${num(gradNorm / first)}× since the first sample (${num(first)} → ${num(gradNorm)}) at step ${s.step}` +
        `${worst ? `; most at ${worst} (${num(growth)}×)` : ''}.`,
      advice: ADVICE.exploding, values: { growth: gradNorm / first, gradNorm, firstGradNorm: first },
    };
  }

  private merge(f: Finding): void {
    const key = `${f.code}|${f.layer ?? ''}|${f.check ?? ''}`;
    const known = this.keys.get(key);
    if (known) {
      known.occurrences = (known.occurrences ?? 1) + 1;
      known.lastStep = f.step ?? undefined;
      return;
    }
    const entry: Finding = { ...f, occurrences: 1, lastStep: f.step ?? undefined };
    this.keys.set(key, entry);
    this.findings.push(entry);
    this.onFinding?.(entry);
  }

  /**
   * The first NaN/Inf, at the step whose loss is the first non-finite one (before its update):
   * non-finite weights mean the previous update produced them; else the first layer whose output
   * on this batch is non-finite; else the layer nearest the loss with non-finite gradients.
   */
  private locateNonFinite(m: MonitoredModel, step: number, info: StepInfo): void {
    const leaves = instrumentedForward(m, info.xs.slice(), { training: false, taps: this.taps ?? undefined }).records;
    const withWeights = leaves.find((r) => r.layer.weights.some((w) => !allFinite(w.data)));
    let event: NonFiniteEvent;
    if (withWeights) {
      event = { step: Math.max(0, step - 1), kind: 'weights', layer: withWeights.path,
        detail: `the update at step ${Math.max(0, step - 1)} made ${withWeights.path}'s weights NaN/Inf` };
    } else {
      const act = leaves.find((r) => !allFinite(r.output.data));
      const grad = [...leaves].reverse().find((r) => r.layer.weights.some((w) => { const g = info.grads.get(w); return g && !allFinite(g.data); }));
      event = act
        ? { step, kind: 'activation', layer: act.path, detail: `${act.path}'s output on the batch of step ${step} is NaN/Inf` }
        : grad
          ? { step, kind: 'gradient', layer: grad.path, detail: `${grad.path}'s gradients at step ${step} are NaN/Inf (backward pass)` }
          : { step, kind: 'loss', layer: null, detail: `the loss at step ${step} is NaN/Inf while every layer output is finite` };
    }
    this.nonFinite = event;
    this.merge({
      code: 'non-finite', severity: 'error', layer: event.layer, step: event.step,
      message: `first non-finite value at step ${event.step}${event.layer ? `, layer ${event.layer}` : ''}: ${event.detail} ` +
        `(batch loss ${num(info.loss.data[0])}).`,
      advice: ADVICE.nonFinite, values: { step: event.step, loss: info.loss.data[0] },
    });
  }

  private row<T>(index: Map<string, number>, name: string, tables: Array<Array<Array<T | null>>>, onNew: () => void): number {
    let i = index.get(name);
    if (i === undefined) {
      i = index.size;
      index.set(name, i);
      const past = this.series.steps.length - 1; // the current sample is being added
      for (const t of tables) t.push(new Array<T | null>(Math.max(0, past)).fill(null));
      onNew();
    }
    return i;
  }

  private recordLayers(layers: LayerReport[]): void {
    const s = this.series;
    const n = s.steps.length;
    const layerTables = [s.gradRms, s.outputGradNorm, s.mean, s.std, s.zeroFraction, s.deadFraction, s.saturatedFraction];
    const weightTables = [s.weightGradNorm, s.weightNorm, s.updateRatio];
    for (const l of layers) {
      const i = this.row(this.layerIndex, l.name, layerTables, () => {
        s.layers.push({ name: l.name, className: l.className, activation: l.activation });
        s.histograms.push({ spec: l.histogram.spec, counts: new Array<null>(n - 1).fill(null) });
      });
      s.histograms[i].counts.push(l.histogram.counts);
      s.gradRms[i].push(l.gradRms);
      s.outputGradNorm[i].push(l.outputGradNorm);
      s.mean[i].push(l.stats.mean);
      s.std[i].push(l.stats.std);
      s.zeroFraction[i].push(l.stats.zeroFraction);
      s.deadFraction[i].push(l.stats.deadFraction);
      s.saturatedFraction[i].push(l.stats.saturatedFraction);
      for (const w of l.weights) {
        const j = this.row(this.weightIndex, w.name, weightTables, () => s.weights.push({ name: w.name, layer: l.name, shape: w.shape }));
        s.weightGradNorm[j].push(w.gradNorm);
        s.weightNorm[j].push(w.norm);
        s.updateRatio[j].push(w.updateRatio);
      }
    }
    // rows not measured this time (a layer that did not run) get a gap
    for (const t of [...layerTables, ...weightTables]) for (const r of t) if (r.length < n) r.push(null);
    for (const h of s.histograms) if (h.counts.length < n) h.counts.push(null);
  }

  /** Findings and the latest per-layer table, as text. */
  report(): string {
    const s = this.series;
    const head = `Monitor: ${s.steps.length} samples (every ${this.every} steps, steps ${s.steps[0] ?? '—'}…${s.steps[s.steps.length - 1] ?? '—'})`;
    const clip = this.clipping.method
      ? `Clipping (${this.clipping.method}): ${this.clipping.clippedSteps} of ${this.clipping.steps} steps clipped, ` +
        `mean scale ${num(this.clipping.meanScale)}, largest norm ${num(this.clipping.maxNormBefore)}`
      : 'Clipping: none configured';
    const nan = this.nonFinite ? `First non-finite value: step ${this.nonFinite.step}, ${this.nonFinite.layer ?? 'loss'} (${this.nonFinite.kind}): ${this.nonFinite.detail}` : null;
    return [head, clip, ...(nan ? [nan] : []), '', ...(this.latest.length ? ['Latest sample:', formatLayers(this.latest), ''] : []),
      formatFindings(this.findings)].join('\n');
  }

  override toString(): string {
    return this.report();
  }

  /** Plain data for reports: the series, the findings, clipping and the first non-finite value. */
  toJSON(): Record<string, unknown> {
    return { series: this.series, findings: this.findings, clipping: this.clipping, nonFinite: this.nonFinite, latest: this.latest };
  }
}

function clipMethod(opt: Optimizer): ClippingTelemetry['method'] {
  return opt.clipvalue !== null ? 'clipvalue' : opt.clipnorm !== null ? 'clipnorm' : opt.globalClipnorm !== null ? 'globalClipnorm' : null;
}
