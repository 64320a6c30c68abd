/**
 * Small helpers the experiment scripts in `examples/` share: the chapter's data splits with an
 * optional sample cap, a timed `fit` that records a result-table row, and the table itself.
 * They use only the public API, so a reader can copy an example out of the repository.
 */
import type { Tensor } from '../core/tensor.js';
import { setSeed } from '../core/random.js';
import type { Model, FitArgs, ModelData } from '../models/model.js';
import { History } from '../callbacks/history.js';
import { Monitor } from '../diagnostics/monitor.js';
import * as fashionMnist from '../data/fashion-mnist.js';
import { trainValidSplit, scalePixels, standardize, takeRange, type XY } from '../data/splits.js';
import type { ExperimentOptions, ExperimentResult, RunRecord } from './types.js';

export interface ChapterData {
  /** First 55,000 training images (or options.samples of them), pixels / 255. */
  train: XY;
  /** The LAST 5,000 images of the training file (capped like train), pixels / 255. */
  valid: XY;
  /** The 10,000 test images (capped like train), pixels / 255. */
  test: XY;
  classNames: readonly string[];
}

/**
 * Per-pixel standardized copies of the splits (train statistics), for the SELU runs. A pixel
 * that is constant in the (capped) training split is centered only (std 1): the full split has
 * none, but a quick run on a few hundred images does.
 */
export interface StandardizedData { train: XY; valid: XY; test: XY }

function cap(s: XY, n: number | undefined): XY {
  if (n === undefined || n >= s.x.shape[0]) return s;
  return { x: takeRange(s.x, 0, n), y: takeRange(s.y, 0, n) };
}

function checkSamples(samples: number | undefined): void {
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1)) {
    throw new RangeError(`experiment option samples must be a positive integer, got ${samples}`);
  }
}

/**
 * Fashion-MNIST split as in the chapter: train = first 55,000, valid = last 5,000, test 10,000,
 * pixels scaled to [0, 1]. `samples` keeps the first n of each split (for quick runs).
 */
export async function loadChapterData(options: Pick<ExperimentOptions, 'samples' | 'dataDir'> = {}): Promise<ChapterData> {
  checkSamples(options.samples);
  const data = await fashionMnist.loadData(options.dataDir !== undefined ? { dir: options.dataDir } : {});
  const { train, valid } = trainValidSplit(data.train.x, data.train.y);
  const n = options.samples;
  const scaled = (s: XY): XY => ({ x: scalePixels(s.x), y: s.y });
  return {
    train: scaled(cap(train, n)),
    valid: scaled(cap(valid, n)),
    test: scaled(cap({ x: data.test.x, y: data.test.y }, n)),
    classNames: data.classNames,
  };
}

/** The SELU protocol's inputs: (x − mean) / std per pixel, statistics of the train split. */
export function standardizeChapterData(data: Pick<ChapterData, 'train' | 'valid' | 'test'>): StandardizedData {
  const s = standardize(data.train.x, data.valid.x, data.test.x, { constantFeatures: 'center' });
  return {
    train: { x: s.train, y: data.train.y },
    valid: { x: s.others[0], y: data.valid.y },
    test: { x: s.others[1], y: data.test.y },
  };
}

/** Re-seeds the generator so every run of an experiment starts from the same state. */
export function seedRun(options: ExperimentOptions): number {
  const seed = options.seed ?? 42;
  setSeed(seed);
  return seed;
}

/** A Monitor for a run when options.monitor is set (else null). */
export function monitorFor(options: ExperimentOptions): Monitor | null {
  if (options.monitor !== true) return null;
  return new Monitor({ every: options.monitorEvery ?? 50 });
}

/** fit's callbacks for one run: the experiment's own, the Monitor, and the caller's extras. */
export function runCallbacks(options: ExperimentOptions, runName: string, monitor: Monitor | null, own: FitArgs['callbacks'] = []): NonNullable<FitArgs['callbacks']> {
  return [...own, ...(monitor !== null ? [monitor] : []), ...(options.callbacks?.(runName) ?? [])];
}

/** Times `model.fit` (seconds of wall clock) and returns its History with the time. */
export async function timedFit(model: Model, x: ModelData, y: ModelData, args: FitArgs): Promise<{ history: History; seconds: number }> {
  const t0 = performance.now();
  const history = await model.fit(x, y, args);
  return { history, seconds: (performance.now() - t0) / 1000 };
}

/** Concatenates the histories of several fit phases epoch by epoch (keys missing in a phase get NaN). */
export function concatHistories(...histories: Array<History | Record<string, number[]>>): Record<string, number[]> {
  const parts = histories.map((h) => (h instanceof History ? h.history : h));
  const keys = [...new Set(parts.flatMap((p) => Object.keys(p)))];
  const out: Record<string, number[]> = {};
  for (const k of keys) out[k] = [];
  for (const p of parts) {
    const len = Math.max(0, ...Object.values(p).map((v) => v.length));
    for (const k of keys) out[k].push(...(p[k] ?? new Array<number>(len).fill(NaN)));
  }
  return out;
}

/** One result-table row from a trained model and its (phase-concatenated) history. */
export function recordRun(name: string, model: Model, history: History | Record<string, number[]>, seconds: number,
  more: { test?: Record<string, number>; monitor?: Monitor | null; extra?: Record<string, number | string> } = {}): RunRecord {
  const h = concatHistories(history);
  const final: Record<string, number> = {};
  for (const [k, v] of Object.entries(h)) if (v.length > 0) final[k] = v[v.length - 1];
  const record: RunRecord = { name, history: h, final, seconds, params: model.countParams(), summary: model.summary(null) };
  if (more.test !== undefined) record.test = more.test;
  if (more.monitor != null) record.monitor = more.monitor;
  if (more.extra !== undefined) record.extra = more.extra;
  return record;
}

/** Evaluates on the test split and returns { loss, accuracy, … } as plain numbers. */
export async function testMetrics(model: Model, test: XY, batchSize = 32): Promise<Record<string, number>> {
  const r = await model.evaluate(test.x as Tensor, test.y as Tensor, { batchSize });
  return typeof r === 'number' ? { loss: r } : { ...(r as Record<string, number>) };
}

function fmt(v: number | string | undefined, digits = 4): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) >= 10) return v.toLocaleString('en-US');   // counts, not rates
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(digits) : v.toExponential(2);
}

/**
 * The result table the CLI prints: per run, final loss, accuracy, val_loss, val_accuracy, test
 * metrics and extras when present, and the training time.
 */
export function formatResultTable(result: ExperimentResult): string {
  const testKeys = [...new Set(result.runs.flatMap((r) => Object.keys(r.test ?? {})))];
  const extraKeys = [...new Set(result.runs.flatMap((r) => Object.keys(r.extra ?? {})))];
  const header = ['run', 'loss', 'accuracy', 'val_loss', 'val_accuracy', ...testKeys.map((k) => `test_${k}`), ...extraKeys, 'time'];
  const rows = result.runs.map((r) => [
    r.name, fmt(r.final.loss), fmt(r.final.accuracy), fmt(r.final.val_loss), fmt(r.final.val_accuracy),
    ...testKeys.map((k) => fmt(r.test?.[k])), ...extraKeys.map((k) => fmt(r.extra?.[k])), `${r.seconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [
    `${result.title} (${result.id}; seed ${result.seed}, ${result.epochs} epoch${result.epochs === 1 ? '' : 's'}, ${result.samples.toLocaleString('en-US')} training samples)`,
    line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line),
  ];
  for (const note of result.notes) out.push(`• ${note}`);
  return out.join('\n');
}
