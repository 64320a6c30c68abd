/**
 * The single-run report: results, findings with advice, training curves and learning rate,
 * then — when a Monitor watched the run — gradient flow, updates, activations, histograms and
 * clipping, and — when an Inspection is given — its per-layer snapshot; the model summary last.
 */
import { ChartIds, type ChartSpec } from './charts.js';
import {
  activationCharts, clippingChart, clippingHtml, gradientFlowCharts, histogramCharts, inspectionCharts, updateCharts,
} from './diagnostics.js';
import { chartGrid, escapeHtml, note, renderPage, section, type Section } from './html.js';
import type { NormalRun } from './normalize.js';
import {
  curveCharts, findingsTable, layerTable, lrChart, resultsTable, selfNormalizationHtml, summaryHtml,
} from './sections.js';
import type { ReportOptions } from './types.js';

const explain = (html: string): string => `<p class="explain">${html}</p>`;

function findingsSection(run: NormalRun): Section | null {
  const { monitor: m, inspection: insp } = run;
  if (!m && !insp) return null;
  const parts: string[] = [];
  if (m?.nonFinite) {
    const e = m.nonFinite;
    parts.push(note(`<strong>First NaN/Inf</strong> at step ${e.step}${e.layer ? `, layer <code>${escapeHtml(e.layer)}</code>` : ''} (${escapeHtml(e.kind)}): ${escapeHtml(e.detail)}`, 'warning'));
  }
  if (m) parts.push(`<h3>During training (Monitor, ${m.series.steps.length} samples)</h3>`, findingsTable(m.findings));
  if (insp) parts.push(`<h3>Inspection (${insp.samples} samples${insp.atInit ? ', at init' : ''})</h3>`, findingsTable(insp.findings));
  parts.push(selfNormalizationHtml(run));
  return section('findings', 'Findings and advice', ...parts);
}

function monitorSections(ids: ChartIds, run: NormalRun): { sections: Section[]; charts: ChartSpec[] } {
  const m = run.monitor!;
  const s = m.series;
  if (s.steps.length === 0) {
    return { sections: [section('gradient-flow', 'Gradient flow', note('The Monitor recorded no sample (did fit run with it in its callbacks?).', 'warning'))], charts: [] };
  }
  const flow = gradientFlowCharts(ids, m);
  const updates = updateCharts(ids, m, run.thresholds.updateRatio);
  const activations = activationCharts(ids, m);
  const histograms = histogramCharts(ids, m);
  const clip = clippingChart(ids, m);
  const heat = flow.filter((c) => c.kind === 'heatmap');
  const lines = flow.filter((c) => c.kind !== 'heatmap');
  const sections = [
    section('gradient-flow', 'Gradient flow',
      explain(`Sampled every ${s.every} steps (${s.steps.length} samples). Rows are layers in forward order (input at the top), columns sampled steps; ` +
        'color is log10 of the gradient scale. A color that darkens toward the top means gradients <strong>vanish</strong> before reaching the first layers ' +
        '(they barely learn); brightening toward the top, or a global norm that keeps growing, means they <strong>explode</strong>. A healthy net shows ' +
        'rows within about two decades of each other, steady over time.'),
      chartGrid(heat, 'wide'), chartGrid(lines)),
    section('updates', 'Updates and weights',
      explain('‖Δw‖/‖w‖ is how much one optimizer step changed each layer\'s kernel relative to its size: around 1e-3 is typical; ' +
        'far below, the layer is not learning (too low a learning rate, or vanishing gradients); above 1e-1, steps are too large. ' +
        'Weight norms that run away hint at divergence; frozen layers keep a flat norm.'),
      chartGrid(updates)),
    section('activations', 'Activations over training',
      explain('Per layer, on each sampled batch. A std that shrinks layer after layer means signals fade (vanishing); one that grows, explodes. ' +
        'ReLU units that output 0 for every sample are <strong>dead</strong> and never recover; sigmoid/tanh outputs near their bounds are ' +
        '<strong>saturated</strong> and pass almost no gradient. SELU layers should stay near mean 0 and std 1.'),
      chartGrid(activations)),
    section('histograms', 'Activation histograms',
      explain('Distribution of each layer\'s outputs at its last sample (fixed bins per layer, plus below/above-range bins). A spike at 0 for ReLU means ' +
        'inactive units; mass piled at 0 and 1 (sigmoid) or ±1 (tanh) means saturation.'),
      histograms.length ? chartGrid(histograms, 'small') : '<p>No histogram was recorded.</p>'),
    section('clipping', 'Gradient clipping', clippingHtml(m), clip ? chartGrid([clip]) : ''),
  ];
  if (m.latest && m.latest.length) sections.push(section('layers', `Per-layer table (step ${s.steps[s.steps.length - 1]})`, layerTable(m.latest)));
  return { sections, charts: [...heat, ...lines, ...updates, ...activations, ...histograms, ...(clip ? [clip] : [])] };
}

function inspectionSection(ids: ChartIds, run: NormalRun): { sections: Section[]; charts: ChartSpec[] } {
  const insp = run.inspection!;
  const { bars, histograms } = inspectionCharts(ids, insp);
  return {
    sections: [section('inspection', `Inspection of ${insp.model}`,
      explain(`One forward and backward pass on ${insp.samples} samples${insp.atInit ? ' at initialization' : ''} (loss ${escapeHtml(String(Number(insp.loss.toPrecision(4))))}). ` +
        'Layers in forward order. Compare the gradient scale of the first and the last layers: a ratio below 1e-2 is vanishing, above 1e2 exploding.'),
      chartGrid(bars), chartGrid(histograms, 'small'),
      layerTable(insp.layers))],
    charts: [...bars, ...histograms],
  };
}

/** The HTML of a single run's report. `run` is validated by the caller. */
export function buildRunReport(run: NormalRun, options: ReportOptions): string {
  const ids = new ChartIds();
  const curves = curveCharts(ids, run);
  const lr = lrChart(ids, [run], false);
  const charts: ChartSpec[] = [...curves, ...(lr ? [lr] : [])];
  const noDiagnostics = !run.monitor && !run.inspection;
  const sections: Section[] = [
    section('results', 'Results', resultsTable(run), noDiagnostics
      ? note('No gradient-flow diagnostics were recorded for this run, so this report shows the training curves and the model summary only. ' +
        'Add <code>new gf.diagnostics.Monitor({ every: 10 })</code> to fit\'s callbacks (or pass <code>gf.diagnostics.inspect(model, x, y)</code>) ' +
        'to see gradient flow, activations and findings.', 'warning') : ''),
  ];
  const findings = findingsSection(run);
  if (findings) sections.push(findings);
  sections.push(section('curves', 'Training curves', run.epochs === 0 ? note('The history holds no epoch.', 'warning')
    : explain('Train (solid) and validation per epoch. Validation worse than train and diverging means overfitting; both flat from the start means the net is not learning — see the gradient flow below.'),
  chartGrid(curves)));
  if (lr) sections.push(section('learning-rate', 'Learning rate', chartGrid([lr])));
  if (run.monitor) {
    const m = monitorSections(ids, run);
    sections.push(...m.sections);
    charts.push(...m.charts);
  }
  if (run.inspection) {
    const i = inspectionSection(ids, run);
    sections.push(...i.sections);
    charts.push(...i.charts);
  }
  sections.push(section('summary', 'Model summary', summaryHtml(run.summary)));
  return renderPage({ kind: 'run', title: options.title ?? `Training report: ${run.name}`, description: options.description, runs: [run.name], sections, charts });
}
