/**
 * The parts of a single-run report that do not depend on a Monitor: results, training curves,
 * learning rate, findings with advice, the self-normalization check, the per-layer table and
 * the model summary.
 */
import type { Finding, SelfNormalization } from '../diagnostics/detectors.js';
import type { LayerReport } from '../diagnostics/report.js';
import { lineChart, PALETTE, type ChartIds, type ChartSpec } from './charts.js';
import { duration, escapeHtml, metric, percent, table } from './html.js';
import { lrKey, metricNames, type NormalRun } from './normalize.js';

const epochsOf = (values: number[]): number[] => values.map((_, i) => i + 1);

/** Whether a log axis reads better: every value positive and spanning more than `ratio`. */
export function wantsLog(values: Iterable<number | null>, ratio = 50): boolean {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v <= 0) return false;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi / lo > ratio;
}

/** 'val_accuracy' → 'Val accuracy'. */
export const metricTitle = (m: string): string => { const t = m.replace(/_/g, ' '); return t.charAt(0).toUpperCase() + t.slice(1); };

/** Per metric: train and validation over the epochs. */
export function curveCharts(ids: ChartIds, run: NormalRun): ChartSpec[] {
  const h = run.history;
  return metricNames(h).map((m) => {
    const series = [];
    if (h[m]) series.push({ name: `train ${m}`, x: epochsOf(h[m]), y: h[m], color: PALETTE[0] });
    if (h[`val_${m}`]) series.push({ name: `val_${m}`, x: epochsOf(h[`val_${m}`]), y: h[`val_${m}`], color: PALETTE[1] });
    return lineChart(ids, { key: `curve:${m}`, title: `${metricTitle(m)}: training and validation`, xName: 'epoch', yName: m, series });
  });
}

/** The learning rate per epoch, as fit logs it ('lr') — null when the history has none. */
export function lrChart(ids: ChartIds, runs: NormalRun[], colored: boolean): ChartSpec | null {
  const withLr = runs.filter((r) => lrKey(r.history) !== null);
  if (withLr.length === 0) return null;
  const series = withLr.map((r) => {
    const values = r.history[lrKey(r.history)!];
    return { name: colored ? r.name : 'learning rate', x: epochsOf(values), y: values, color: PALETTE[colored ? runs.indexOf(r) % PALETTE.length : 0] };
  });
  return lineChart(ids, {
    key: 'learning-rate', title: 'Learning rate at the end of each epoch', xName: 'epoch', yName: 'lr',
    log: wantsLog(series.flatMap((s) => s.y), 10), series,
  });
}

/** Final train / validation / test value of each metric, then time, parameters and extras. */
export function resultsTable(run: NormalRun): string {
  const names = [...new Set([...metricNames(run.history), ...Object.keys(run.test ?? {})])];
  const rows = names.map((m) => [escapeHtml(m), metric(run.final[m]), metric(run.final[`val_${m}`]), metric(run.test?.[m])]);
  const lr = lrKey(run.history);
  const more: string[][] = [['epochs', String(run.epochs)]];
  if (lr && run.final[lr] !== undefined) more.push(['final learning rate', metric(run.final[lr])]);
  if (run.params !== undefined) more.push(['parameters', run.params.toLocaleString('en-US')]);
  if (run.seconds !== undefined) more.push(['training time', duration(run.seconds)]);
  for (const [k, v] of Object.entries(run.extra ?? {})) more.push([escapeHtml(k), escapeHtml(metric(v))]);
  return (rows.length ? table(['metric', 'train (last epoch)', 'validation', 'test'], rows, { numeric: [false, true, true, true] }) : '') +
    table(null, more, { numeric: [false, true] });
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** A colored label: kind is error, warning, info or ok. */
export function badge(kind: 'error' | 'warning' | 'info' | 'ok', label: string = kind): string {
  return `<span class="badge ${escapeHtml(kind)}">${escapeHtml(label)}</span>`;
}

function stepsOf(f: Finding): string {
  if (f.step === null || f.step === undefined) return 'probe';
  if (f.lastStep !== undefined && f.lastStep !== f.step) return `${f.step}–${f.lastStep}${f.occurrences ? ` (${f.occurrences} samples)` : ''}`;
  return String(f.step);
}

/**
 * The findings grouped by code, worst group first: a header row with the code, its layers and the
 * chapter's remedy (once), then one row per finding with its layer, steps and measured numbers.
 */
export function findingsTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return `<p>${badge('ok', 'healthy')} No problems found: gradient flow and activations look healthy.</p>`;
  const rank = (f: Finding) => SEVERITY_ORDER[f.severity] ?? 3;
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  const worst = (list: Finding[]) => Math.min(...list.map(rank));
  const ordered = [...groups.values()].sort((a, b) => worst(a) - worst(b));
  const body = ordered.map((list) => {
    const sorted = [...list].sort((a, b) => rank(a) - rank(b));
    const layers = [...new Set(list.map((f) => f.layer).filter((l): l is string => l !== null))];
    const advice = [...new Set(list.map((f) => f.advice))].map((a) => `<div class="remedy">→ ${escapeHtml(a)}</div>`).join('');
    const head = `<tr class="group"><td colspan="4"><strong>${escapeHtml(list[0].code)}</strong>` +
      `${layers.length ? ` — ${layers.length} layer${layers.length === 1 ? '' : 's'}` : ''}${advice}</td></tr>`;
    const rows = sorted.map((f) => `<tr><td>${badge(f.severity)}${f.check ? ` <small>${escapeHtml(f.check)}</small>` : ''}</td>` +
      `<td>${escapeHtml(f.layer ?? '—')}</td><td class="num">${escapeHtml(stepsOf(f))}</td><td>${escapeHtml(f.message)}</td></tr>`);
    return [head, ...rows].join('\n');
  });
  return `<table class="findings"><thead><tr><th>severity</th><th>layer</th><th class="num">step</th><th>what was measured</th></tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** The SELU validator: the inspection's checks, or (Monitor) the failed checks seen during training. */
export function selfNormalizationHtml(run: NormalRun): string {
  const sn: SelfNormalization | undefined = run.inspection?.selfNormalization;
  if (sn) {
    if (!sn.applicable) return '';
    const items = sn.checks.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}"><strong>${escapeHtml(c.check)}</strong>: ${escapeHtml(c.detail)}</li>`);
    return `<h3>Self-normalization (SELU): ${sn.passed ? badge('ok', 'passed') : badge('error', 'failed')}</h3><ul class="checks">${items.join('')}</ul>`;
  }
  const m = run.monitor;
  if (!m || !m.series.layers.some((l) => l.activation === 'selu')) return '';
  const failed = m.findings.filter((f) => f.code === 'self-normalization');
  const items = failed.map((f) => `<li class="fail"><strong>${escapeHtml(f.check ?? 'check')}</strong>: ${escapeHtml(f.message)}</li>`);
  return `<h3>Self-normalization (SELU): ${failed.length ? badge('error', 'failed') : badge('ok', 'passed')}</h3>` +
    (failed.length ? `<ul class="checks">${items.join('')}</ul>`
      : `<p>No self-normalization check failed over ${m.series.steps.length} samples (LeCun normal init, SELU in every hidden layer, no incompatible layer or regularizer, standardized inputs, mean ≈ 0 and std ≈ 1 at init).</p>`);
}

function verdicts(l: LayerReport): string {
  return l.verdict.length ? l.verdict.map((v) => badge(v === 'init-variance' || v === 'large-updates' ? 'warning' : 'error', v)).join(' ') : badge('ok');
}

/** The per-layer table of a sample or an inspection (the terminal table of gf.diagnostics, in HTML). */
export function layerTable(layers: readonly LayerReport[]): string {
  const rows = layers.map((l) => {
    const dead = Number.isNaN(l.stats.deadFraction) ? '—' : l.stats.deadUnits ? `${l.stats.deadUnits}/${l.stats.units}` : '0';
    return [
      escapeHtml(l.name), escapeHtml(`${l.className}${l.activation ? ` (${l.activation})` : ''}`), escapeHtml(`[${l.outputShape.slice(1).join(', ')}]`),
      metric(l.stats.mean), metric(l.stats.std), percent(l.stats.zeroFraction), dead, percent(l.stats.saturatedFraction),
      metric(l.gradRms), metric(l.outputGradNorm), l.init ? metric(l.init.ratio) : '—', verdicts(l),
    ];
  });
  return table(['layer', 'class', 'output', 'mean', 'std', 'zeros', 'dead', 'saturated', 'RMS ∂L/∂W', '‖∂L/∂out‖', 'init gain', 'verdict'], rows,
    { numeric: [false, false, false, true, true, true, true, true, true, true, true, false] });
}

export function summaryHtml(summary: string | null): string {
  return summary ? `<pre>${escapeHtml(summary)}</pre>` : '<p>No model summary was given (pass <code>summary: model.summary(null)</code>).</p>';
}
