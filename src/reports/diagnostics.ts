/**
 * Charts of the diagnostics: a Monitor's layer × sampled-step series (gradient flow heat maps,
 * update ratios, weight norms, activation statistics, histograms, clipping) and an Inspection's
 * per-layer snapshot.
 */
import type { MonitorSeries } from '../diagnostics/monitor.js';
import type { LayerReport } from '../diagnostics/report.js';
import { barChart, heatmap, histogramChart, lineChart, PALETTE, type ChartIds, type ChartSpec } from './charts.js';
import { escapeHtml, metric, percent, table } from './html.js';
import type { MonitorData, InspectionData } from './types.js';
import { wantsLog } from './sections.js';

type Row = Array<number | null>;
type Table = Row[];

/** A layer's label: its name and activation ('dense_1 (relu)'). */
export function layerLabel(l: { name: string; activation: string | null }): string {
  return l.activation ? `${l.name} (${l.activation})` : l.name;
}

const hasValue = (row: Row): boolean => row.some((v) => v !== null && Number.isFinite(v));

/** Rows of a [layer][sample] table that hold a value, with their labels (forward order). */
export function layerRows(s: MonitorSeries, t: Table): { labels: string[]; rows: Table } {
  const keep = s.layers.map((_, i) => i).filter((i) => t[i] && hasValue(t[i]));
  return { labels: keep.map((i) => layerLabel(s.layers[i])), rows: keep.map((i) => t[i]) };
}

/** Per layer, the index of its main weight: the kernel, else its first weight (as the detectors judge). */
export function mainWeights(s: MonitorSeries): Array<{ layer: number; weight: number }> {
  const out: Array<{ layer: number; weight: number }> = [];
  s.layers.forEach((l, i) => {
    const own = s.weights.map((w, j) => ({ w, j })).filter(({ w }) => w.layer === l.name);
    const main = own.find(({ w }) => w.name.endsWith('kernel')) ?? own[0];
    if (main) out.push({ layer: i, weight: main.j });
  });
  return out;
}

/** Epoch starts on a step axis (at most 30 marks). */
function epochMarks(s: MonitorSeries): Array<{ x: number; label: string }> {
  const marks: Array<{ x: number; label: string }> = [];
  for (let i = 1; i < s.steps.length; i++) if (s.epochs[i] !== s.epochs[i - 1]) marks.push({ x: s.steps[i], label: `epoch ${s.epochs[i] + 1}` });
  return marks.length <= 30 ? marks : [];
}

/** Beyond this many layers, per-layer series are drawn as a heat map (lines would be a tangle). */
export const MAX_LINES = 8;

/** One row per layer over the sampled steps: lines for a few layers, a heat map for deep nets. */
function perLayer(ids: ChartIds, s: MonitorSeries, key: string, title: string, t: Table, options: { log?: boolean; fraction?: boolean } = {}): ChartSpec | null {
  const { labels, rows } = layerRows(s, t);
  if (rows.length === 0) return null;
  const log = options.log ?? wantsLog(rows.flat());
  if (rows.length > MAX_LINES) {
    return heatmap(ids, { key, title: `${title}${log ? ' (log10)' : ''}`, xLabels: s.steps.map(String), yLabels: labels, xName: 'step',
      values: rows, log, ...(options.fraction ? { range: [0, 1] as [number, number] } : {}) });
  }
  return lineChart(ids, {
    key, title, xName: 'step', log,
    series: rows.map((y, i) => ({ name: labels[i], x: s.steps, y, color: PALETTE[i % PALETTE.length] })),
    ...(options.fraction ? { yMin: 0, yMax: 1 } : {}),
  });
}

/** Gradient flow: heat maps of RMS ∂L/∂W and ‖∂L/∂output‖ per layer, and the global gradient norm. */
export function gradientFlowCharts(ids: ChartIds, m: MonitorData, range?: [number, number]): ChartSpec[] {
  const s = m.series;
  const xLabels = s.steps.map(String);
  const out: ChartSpec[] = [];
  const grad = layerRows(s, s.gradRms);
  if (grad.rows.length) {
    out.push(heatmap(ids, { key: 'gradient-flow', title: 'Gradient flow: RMS of ∂L/∂W per layer (log10)', xLabels, yLabels: grad.labels, xName: 'step', values: grad.rows, log: true, range }));
  }
  const outGrad = layerRows(s, s.outputGradNorm);
  if (outGrad.rows.length) {
    out.push(heatmap(ids, { key: 'output-gradient', title: '‖∂L/∂output‖ per layer (log10)', xLabels, yLabels: outGrad.labels, xName: 'step', values: outGrad.rows, log: true }));
  }
  if (s.steps.length) {
    out.push(lineChart(ids, { key: 'gradient-norm', title: 'Global gradient norm ‖∂L/∂W‖', xName: 'step', log: true,
      series: [{ name: 'gradient norm', x: s.steps, y: s.gradNorm, color: PALETTE[0] }], xMarks: epochMarks(s) }));
  }
  return out;
}

/** Update-to-weight ratio ‖Δw‖/‖w‖ and weight norm ‖w‖ of each layer's main weight (heat maps for deep nets). */
export function updateCharts(ids: ChartIds, m: MonitorData, largeUpdate: number): ChartSpec[] {
  const s = m.series;
  const chart = (key: string, title: string, t: Table, log: boolean, yMarks: Array<{ y: number; label: string }> = []): ChartSpec | null => {
    const main = mainWeights(s).filter(({ weight }) => hasValue(t[weight]));
    if (main.length === 0) return null;
    const labels = main.map(({ weight }) => s.weights[weight].name);
    const rows = main.map(({ weight }) => t[weight]);
    if (rows.length > MAX_LINES) {
      return heatmap(ids, { key, title: `${title}${log ? ' (log10)' : ''}`, xLabels: s.steps.map(String), yLabels: labels, xName: 'step', values: rows, log });
    }
    return lineChart(ids, { key, title, xName: 'step', log, yMarks,
      series: rows.map((y, i) => ({ name: labels[i], x: s.steps, y, color: PALETTE[i % PALETTE.length] })) });
  };
  return [
    chart('update-ratio', 'Update-to-weight ratio ‖Δw‖/‖w‖ per step', s.updateRatio, true,
      [{ y: 1e-3, label: 'typical 1e-3' }, { y: largeUpdate, label: `large > ${largeUpdate}` }]),
    chart('weight-norm', 'Weight norm ‖w‖ per layer', s.weightNorm, wantsLog(s.weightNorm.flat(), 100)),
  ].filter((c): c is ChartSpec => c !== null);
}

/** Activation statistics per layer over training: mean, std, zeros and dead units, saturation. */
export function activationCharts(ids: ChartIds, m: MonitorData): ChartSpec[] {
  const s = m.series;
  return [
    perLayer(ids, s, 'activation-mean', 'Activation mean per layer', s.mean, { log: false }),
    perLayer(ids, s, 'activation-std', 'Activation std per layer', s.std),
    perLayer(ids, s, 'zero-fraction', 'Fraction of outputs exactly 0', s.zeroFraction, { log: false, fraction: true }),
    perLayer(ids, s, 'dead-fraction', 'Dead units (0 for every sample of the window)', s.deadFraction, { log: false, fraction: true }),
    perLayer(ids, s, 'saturated-fraction', 'Saturated outputs (sigmoid/tanh layers)', s.saturatedFraction, { log: false, fraction: true }),
  ].filter((c): c is ChartSpec => c !== null);
}

/** Each layer's activation histogram at its last sample. */
export function histogramCharts(ids: ChartIds, m: MonitorData): ChartSpec[] {
  const s = m.series;
  const out: ChartSpec[] = [];
  s.histograms.forEach((h, i) => {
    let k = h.counts.length - 1;
    while (k >= 0 && !h.counts[k]) k--;
    if (k < 0) return;
    out.push(histogramChart(ids, `histogram:${s.layers[i].name}`, `${layerLabel(s.layers[i])} · step ${s.steps[k]}`, h.spec, h.counts[k]!));
  });
  return out;
}

/** Clipping telemetry: a table, and the fraction of clipped steps between samples. */
export function clippingHtml(m: MonitorData): string {
  const c = m.clipping;
  if (!c || c.method === null) {
    return '<p>No gradient clipping was configured (the optimizer\'s <code>clipvalue</code>, <code>clipnorm</code> or <code>globalClipnorm</code>).</p>';
  }
  return table(['method', 'steps observed', 'steps clipped', 'share clipped', 'mean scale after/before', 'largest norm before'], [[
    `<code>${escapeHtml(c.method)}</code>`, String(c.steps), String(c.clippedSteps), percent(c.steps ? c.clippedSteps / c.steps : null),
    metric(c.meanScale), metric(c.maxNormBefore),
  ]], { numeric: [false, true, true, true, true, true] });
}

export function clippingChart(ids: ChartIds, m: MonitorData): ChartSpec | null {
  const s = m.series;
  if (!m.clipping || m.clipping.method === null || !hasValue(s.clippedFraction)) return null;
  return lineChart(ids, { key: 'clipped-fraction', title: 'Share of steps clipped since the previous sample', xName: 'step', yMin: 0, yMax: 1,
    series: [{ name: 'clipped', x: s.steps, y: s.clippedFraction, color: PALETTE[6] }], xMarks: epochMarks(s) });
}

/** An inspection's snapshot per layer: gradient scales, activation mean/std, zeros/dead/saturated, histograms. */
export function inspectionCharts(ids: ChartIds, insp: InspectionData): { bars: ChartSpec[]; histograms: ChartSpec[] } {
  const layers: readonly LayerReport[] = insp.layers;
  const names = layers.map(layerLabel);
  const col = (f: (l: LayerReport) => number | null) => layers.map(f);
  const bars = [
    barChart(ids, { key: 'inspection:gradients', title: 'Gradient scale per layer (log)', categories: names, log: true, lines: true, series: [
      { name: 'RMS ∂L/∂W', values: col((l) => l.gradRms), color: PALETTE[0] },
      { name: '‖∂L/∂output‖', values: col((l) => l.outputGradNorm), color: PALETTE[4] },
    ] }),
    barChart(ids, { key: 'inspection:activations', title: 'Activation mean and std per layer', categories: names, series: [
      { name: 'mean', values: col((l) => l.stats.mean), color: PALETTE[0] },
      { name: 'std', values: col((l) => l.stats.std), color: PALETTE[1] },
    ] }),
    barChart(ids, { key: 'inspection:fractions', title: 'Zeros, dead units and saturation per layer', categories: names, yMax: 1, series: [
      { name: 'zeros', values: col((l) => l.stats.zeroFraction), color: PALETTE[2] },
      { name: 'dead units', values: col((l) => l.stats.deadFraction), color: PALETTE[1] },
      { name: 'saturated', values: col((l) => l.stats.saturatedFraction), color: PALETTE[3] },
    ] }),
  ];
  const histograms = layers.map((l) => histogramChart(ids, `inspection-histogram:${l.name}`, layerLabel(l), l.histogram.spec, l.histogram.counts));
  return { bars, histograms };
}
