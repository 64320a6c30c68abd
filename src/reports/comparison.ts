/**
 * The comparison report (an experiment's runs side by side): the result table, every run's
 * curve on shared charts (one chart per history key), gradient-flow and activation-std heat maps
 * side by side on one color scale, the global gradient norms, findings per run, the summaries.
 */
import { ChartIds, heatmap, heatValues, lineChart, PALETTE, valueRange, type ChartSpec } from './charts.js';
import { layerRows } from './diagnostics.js';
import { chartGrid, duration, escapeHtml, metric, note, renderPage, section, table, type Section } from './html.js';
import { lrKey, metricNames, type NormalRun } from './normalize.js';
import { badge, lrChart, summaryHtml } from './sections.js';
import type { ComparisonOptions } from './types.js';

const color = (i: number) => PALETTE[i % PALETTE.length];

/** Which way is better for a column: lower for losses and errors, higher for accuracies; null when unknown. */
function direction(key: string): 'min' | 'max' | null {
  if (/loss|error|mse|mae|crossentropy|divergence/i.test(key)) return 'min';
  if (/acc|auc|precision|recall/i.test(key)) return 'max';
  return null;
}

function resultTable(runs: NormalRun[]): string {
  const metrics = [...new Set(runs.flatMap((r) => metricNames(r.history)))];
  const cols: Array<{ label: string; get: (r: NormalRun) => number | undefined }> = [];
  for (const m of metrics) {
    cols.push({ label: m, get: (r) => r.final[m] });
    if (runs.some((r) => r.final[`val_${m}`] !== undefined)) cols.push({ label: `val_${m}`, get: (r) => r.final[`val_${m}`] });
  }
  for (const k of [...new Set(runs.flatMap((r) => Object.keys(r.test ?? {})))]) cols.push({ label: `test ${k}`, get: (r) => r.test?.[k] });
  const extras = [...new Set(runs.flatMap((r) => Object.keys(r.extra ?? {})))];
  const best = cols.map((c) => {
    const dir = direction(c.label);
    const values = runs.map(c.get).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return dir && values.length > 1 ? (dir === 'min' ? Math.min(...values) : Math.max(...values)) : null;
  });
  const header = ['run', 'epochs', ...cols.map((c) => escapeHtml(c.label)), ...extras.map(escapeHtml), 'params', 'time'];
  const rows = runs.map((r, i) => [
    `<span style="color:${color(i)}">■</span> ${escapeHtml(r.name)}`, String(r.epochs),
    ...cols.map((c, j) => { const v = c.get(r); return v !== undefined && v === best[j] ? `<strong>${metric(v)}</strong>` : metric(v); }),
    ...extras.map((k) => escapeHtml(metric(r.extra?.[k]))),
    r.params !== undefined ? r.params.toLocaleString('en-US') : '—', duration(r.seconds),
  ]);
  return table(header, rows, { numeric: header.map((_, i) => i > 0) }) +
    '<p class="explain">Last-epoch values (best of each loss or accuracy column in bold).</p>';
}

/** One chart per history key (val_* first), with every run that logged it. */
function curveCharts(ids: ChartIds, runs: NormalRun[]): ChartSpec[] {
  const keys: string[] = [];
  for (const m of [...new Set(runs.flatMap((r) => metricNames(r.history)))]) keys.push(`val_${m}`, m);
  return keys.filter((k) => runs.some((r) => r.history[k])).map((k) => {
    const series = runs.flatMap((r, i) => (r.history[k] ? [{ name: r.name, x: r.history[k].map((_, e) => e + 1), y: r.history[k], color: color(i) }] : []));
    const title = k.startsWith('val_') ? `Validation ${k.slice(4).replace(/_/g, ' ')}` : `Training ${k.replace(/_/g, ' ')}`;
    return lineChart(ids, { key: `curve:${k}`, title, xName: 'epoch', yName: k, series });
  });
}

/** Heat maps of one [layer][sample] table per run, on one color scale. */
function sideBySide(ids: ChartIds, runs: NormalRun[], key: string, title: string, pick: (r: NormalRun) => Array<Array<number | null>>): ChartSpec[] {
  const monitored = runs.filter((r) => r.monitor && r.monitor.series.steps.length > 0);
  const range = valueRange(monitored.flatMap((r) => heatValues(pick(r), true)));
  return monitored.flatMap((r) => {
    const s = r.monitor!.series;
    const { labels, rows } = layerRows(s, pick(r));
    if (rows.length === 0) return [];
    return [heatmap(ids, { key: `${key}:${r.name}`, title: `${r.name}: ${title}`, xLabels: s.steps.map(String), yLabels: labels, xName: 'step', values: rows, log: true, range })];
  });
}

function findingsPerRun(runs: NormalRun[]): string {
  const rows = runs.filter((r) => r.monitor || r.inspection).map((r) => {
    const all = [...(r.monitor?.findings ?? []), ...(r.inspection?.findings ?? [])];
    const count = (s: string) => all.filter((f) => f.severity === s).length;
    const list = all.slice(0, 8).map((f) => `${badge(f.severity)} ${escapeHtml(f.code)}${f.check ? `/${escapeHtml(f.check)}` : ''}${f.layer ? ` <small>${escapeHtml(f.layer)}</small>` : ''}`);
    return [escapeHtml(r.name), String(count('error')), String(count('warning')), String(count('info')),
      all.length ? list.join('<br>') + (all.length > 8 ? `<br>… ${all.length - 8} more` : '') : badge('ok', 'healthy')];
  });
  return table(['run', 'errors', 'warnings', 'info', 'findings (first seen first)'], rows, { numeric: [false, true, true, true, false] }) +
    '<p class="explain">Each run\'s own report (<code>writeReport</code>) lists every finding with its numbers and remedy.</p>';
}

/** Makes run names unique for legends ('Adam', 'Adam (2)'). */
function uniqueNames(runs: NormalRun[]): NormalRun[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    return n === 1 ? r : { ...r, name: `${r.name} (${n})` };
  });
}

export function buildComparisonReport(input: NormalRun[], options: ComparisonOptions): string {
  const runs = uniqueNames(input);
  const ids = new ChartIds();
  const curves = curveCharts(ids, runs);
  const lr = runs.some((r) => lrKey(r.history)) ? lrChart(ids, runs, true) : null;
  const sections: Section[] = [
    section('results', 'Results', resultTable(runs)),
    section('curves', 'Training curves', '<p class="explain">Every run on shared axes, one color per run.</p>', chartGrid(curves)),
  ];
  if (lr) sections.push(section('learning-rate', 'Learning rate', chartGrid([lr])));
  const charts: ChartSpec[] = [...curves, ...(lr ? [lr] : [])];
  const monitored = runs.filter((r) => r.monitor && r.monitor.series.steps.length > 0);
  if (monitored.length) {
    const flow = sideBySide(ids, runs, 'gradient-flow', 'RMS ∂L/∂W (log10)', (r) => r.monitor!.series.gradRms);
    const std = sideBySide(ids, runs, 'activation-std', 'activation std (log10)', (r) => r.monitor!.series.std);
    const norms = lineChart(ids, {
      key: 'gradient-norm', title: 'Global gradient norm ‖∂L/∂W‖', xName: 'step', log: true,
      series: runs.flatMap((r, i) => (r.monitor && r.monitor.series.steps.length ? [{ name: r.name, x: r.monitor.series.steps, y: r.monitor.series.gradNorm, color: color(i) }] : [])),
    });
    const columns = Math.min(3, Math.max(flow.length, std.length));
    sections.push(section('gradient-flow', 'Gradient flow, side by side',
      '<p class="explain">Rows are layers in forward order (input at the top), columns sampled steps. All heat maps of a kind share one color scale, so colors compare across runs.</p>',
      '<h3>RMS of ∂L/∂W per layer</h3><p class="explain">Rows that darken toward the input = vanishing gradients (the first layers do not learn); brightening = exploding.</p>',
      chartGrid(flow, columns),
      '<h3>Activation std per layer</h3><p class="explain">A std that fades with depth = the signal vanishes; SELU keeps it near 1 (self-normalization).</p>',
      chartGrid(std, columns), '<h3>Global gradient norm</h3>', chartGrid([norms])),
    section('findings', 'Findings per run', findingsPerRun(runs)));
    charts.push(...flow, ...std, norms);
  } else {
    sections.push(section('gradient-flow', 'Gradient flow', note('No run was monitored: run the experiment with a Monitor (<code>monitor: true</code>) to compare gradient flow.', 'warning')));
  }
  sections.push(section('summaries', 'Model summaries', runs.map((r) => `<details><summary>${escapeHtml(r.name)}</summary>${summaryHtml(r.summary)}</details>`).join('\n')));
  const notes = options.notes?.length ? `<ul class="notes">${options.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return renderPage({
    kind: 'comparison', title: options.title ?? `Comparison of ${runs.length} runs`, description: options.description, lead: notes,
    runs: runs.map((r) => r.name), sections, charts,
  });
}
