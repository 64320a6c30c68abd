/**
 * gf.reports (Node only): self-contained HTML training reports — curves, learning rate,
 * gradient-flow heat maps, update ratios, activation statistics and histograms, clipping, the
 * findings with the chapter's advice — for one run (`writeReport`) or an experiment's runs side
 * by side (`writeComparisonReport`). Charts are Apache ECharts, inlined with the data: the file
 * opens offline, anywhere. See docs/reports.md.
 *
 *   const monitor = new gf.diagnostics.Monitor({ every: 10 });
 *   const history = await model.fit(x, y, { epochs: 10, validationData, callbacks: [monitor] });
 *   await gf.reports.write(history, monitor, 'report.html', { name: 'mlp', summary: model.summary(null) });
 */
import { resolve } from 'node:path';
import type { History } from '../callbacks/history.js';
import { writeFileAtomic } from '../saving/files.js';
import { buildComparisonReport } from './comparison.js';
import { checkOptions, describe, historyOf, normalizeRun } from './normalize.js';
import { buildRunReport } from './run-report.js';
import type { ComparisonOptions, InspectionData, MonitorData, ReportOptions, ReportRun, WriteOptions } from './types.js';

export type { ComparisonOptions, InspectionData, MonitorData, ReportOptions, ReportRun, WriteOptions } from './types.js';
export type { ChartSpec } from './charts.js';
export { exportPng, type ExportPngOptions } from './png.js';

/** The HTML of one run's report. */
export function renderReport(run: ReportRun, options: ReportOptions = {}): string {
  const o = checkOptions(options, 'renderReport');
  return buildRunReport(normalizeRun(run, 'renderReport: run'), o);
}

/** The HTML of a report comparing runs (an experiment's), every run's curves on shared charts. */
export function renderComparisonReport(runs: ReportRun[], options: ComparisonOptions = {}): string {
  const where = 'renderComparisonReport';
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError(`${where}: runs must be a non-empty array of runs, got ${describe(runs)}`);
  const o = checkOptions(options, where);
  return buildComparisonReport(runs.map((r, i) => normalizeRun(r, `${where}: runs[${i}]`)), o);
}

function checkPath(path: unknown, where: string): string {
  if (typeof path !== 'string' || path.trim() === '') throw new TypeError(`${where}: path must be a file path (e.g. 'report.html'), got ${describe(path)}`);
  return path;
}

/** Writes one run's report atomically; returns the absolute path. */
export async function writeReport(path: string, run: ReportRun, options: ReportOptions = {}): Promise<string> {
  checkPath(path, 'writeReport');
  const html = renderReport(run, options);
  await writeFileAtomic(path, new TextEncoder().encode(html));
  return resolve(path);
}

/** Writes a comparison report atomically; returns the absolute path. */
export async function writeComparisonReport(path: string, runs: ReportRun[], options: ComparisonOptions = {}): Promise<string> {
  checkPath(path, 'writeComparisonReport');
  const html = renderComparisonReport(runs, options);
  await writeFileAtomic(path, new TextEncoder().encode(html));
  return resolve(path);
}

const isMonitor = (d: object): d is MonitorData => 'series' in d;
const isInspection = (d: object): d is InspectionData => 'selfNormalization' in d && 'layers' in d;

/**
 * The spelling: `write(history, diagnostics, path, options)` — a fit History (or its
 * `.history`), a Monitor or an Inspection (or null), and the file; the run is named by
 * options.name (default 'run'). Returns the absolute path.
 */
export async function write(history: History | Record<string, number[]>, diagnostics: MonitorData | InspectionData | null | undefined,
  path: string, options: WriteOptions = {}): Promise<string> {
  const where = 'reports.write';
  checkPath(path, where);
  historyOf(history, `${where}: history`);
  const o = checkOptions(options, where) as WriteOptions;
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.trim() === '')) throw new TypeError(`${where}: options.name must be a non-empty string, got ${describe(o.name)}`);
  const run: ReportRun = { name: o.name ?? 'run', history };
  if (o.summary !== undefined) run.summary = o.summary;
  if (diagnostics !== undefined && diagnostics !== null) {
    if (typeof diagnostics !== 'object') throw new TypeError(`${where}: diagnostics must be a Monitor, an Inspection or null, got ${describe(diagnostics)}`);
    if (isMonitor(diagnostics)) run.monitor = diagnostics;
    else if (isInspection(diagnostics)) run.inspection = diagnostics;
    else throw new TypeError(`${where}: diagnostics must be a gf.diagnostics.Monitor or the Inspection of inspect() (or null), got ${describe(diagnostics)}`);
  }
  return writeReport(path, run, { title: o.title, description: o.description });
}
