/**
 * Checks a ReportRun and brings it to one shape: the history as key → values, the final values
 * (given, or the last of each history key), the diagnostics as data. Errors name the argument
 * and say what was expected.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from '../diagnostics/thresholds.js';
import type { ComparisonOptions, InspectionData, MonitorData, ReportRun } from './types.js';

export interface NormalRun {
  name: string;
  history: Record<string, number[]>;
  /** Epochs in the history (the longest key). */
  epochs: number;
  final: Record<string, number>;
  test: Record<string, number> | null;
  seconds: number | undefined;
  params: number | undefined;
  extra: Record<string, number | string> | null;
  summary: string | null;
  monitor: MonitorData | null;
  inspection: InspectionData | null;
  thresholds: Thresholds;
}

/** A short description of a wrong value, for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `${typeof v} ${String(v)}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numberRecord(v: unknown, what: string, allowStrings = false): Record<string, number> | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new TypeError(`${what} must be an object of numbers, got ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'number' && !(allowStrings && typeof x === 'string')) {
      throw new TypeError(`${what}['${k}'] must be a number${allowStrings ? ' or a string' : ''}, got ${describe(x)}`);
    }
  }
  return v as Record<string, number>;
}

/** The history of a run: a History (its `.history`) or key → one number per epoch. */
export function historyOf(h: unknown, what: string): Record<string, number[]> {
  const record = isObject(h) && isObject(h.history) ? h.history : h;
  if (!isObject(record)) throw new TypeError(`${what} must be a History or an object of per-epoch arrays (e.g. { loss: [...] }), got ${describe(h)}`);
  for (const [k, values] of Object.entries(record)) {
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'number')) {
      throw new TypeError(`${what}['${k}'] must be an array of numbers (one per epoch), got ${describe(values)}`);
    }
  }
  return record as Record<string, number[]>;
}

function monitorOf(m: unknown, what: string): MonitorData | null {
  if (m === undefined || m === null) return null;
  const s = isObject(m) ? m.series : undefined;
  if (!isObject(m) || !isObject(s) || !Array.isArray(s.steps) || !Array.isArray(s.layers) || !Array.isArray(s.gradRms) || !Array.isArray(m.findings)) {
    throw new TypeError(`${what} must be a gf.diagnostics.Monitor (or its toJSON()), got ${describe(m)}`);
  }
  return m as unknown as MonitorData;
}

function inspectionOf(i: unknown, what: string): InspectionData | null {
  if (i === undefined || i === null) return null;
  if (!isObject(i) || !Array.isArray(i.layers) || !Array.isArray(i.findings) || !isObject(i.selfNormalization)) {
    throw new TypeError(`${what} must be a gf.diagnostics.Inspection (the result of inspect(), or its toJSON()), got ${describe(i)}`);
  }
  return i as unknown as InspectionData;
}

function optionalString(v: unknown, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string, got ${describe(v)}`);
  return v;
}

function optionalNumber(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number, got ${describe(v)}`);
  return v;
}

/** Validates one run; `what` names it in errors ("renderReport: run", "…: runs[2]"). */
export function normalizeRun(run: unknown, what: string): NormalRun {
  if (!isObject(run)) throw new TypeError(`${what} must be an object { name, history, monitor?, … }, got ${describe(run)}`);
  const r = run as Partial<ReportRun> & Record<string, unknown>;
  if (typeof r.name !== 'string' || r.name.trim() === '') throw new TypeError(`${what}.name must be a non-empty string, got ${describe(r.name)}`);
  const history = historyOf(r.history, `${what}.history`);
  const given = numberRecord(r.final, `${what}.final`);
  // the history's last values, with the given ones on top (e.g. the restored best epoch's)
  const final: Record<string, number> = {};
  for (const [k, v] of Object.entries(history)) if (v.length) final[k] = v[v.length - 1];
  Object.assign(final, given ?? {});
  const monitor = monitorOf(r.monitor, `${what}.monitor`);
  return {
    name: r.name,
    history,
    epochs: Math.max(0, ...Object.values(history).map((v) => v.length)),
    final,
    test: numberRecord(r.test, `${what}.test`),
    seconds: optionalNumber(r.seconds, `${what}.seconds`),
    params: optionalNumber(r.params, `${what}.params`),
    extra: numberRecord(r.extra, `${what}.extra`, true),
    summary: optionalString(r.summary, `${what}.summary`),
    monitor,
    inspection: inspectionOf(r.inspection, `${what}.inspection`),
    thresholds: { ...DEFAULT_THRESHOLDS, ...(monitor?.thresholds ?? {}) },
  };
}

/** Validates the options shared by every report (title, description, notes). */
export function checkOptions(options: unknown, where: string): ComparisonOptions {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) throw new TypeError(`${where}: options must be an object { title?, description? }, got ${describe(options)}`);
  const o = options as ComparisonOptions & Record<string, unknown>;
  optionalString(o.title, `${where}: options.title`);
  optionalString(o.description, `${where}: options.description`);
  if (o.notes !== undefined && (!Array.isArray(o.notes) || !o.notes.every((n) => typeof n === 'string'))) {
    throw new TypeError(`${where}: options.notes must be an array of strings, got ${describe(o.notes)}`);
  }
  return o;
}

/** The learning-rate key of a history ('lr', as fit logs it, or Keras 3's 'learning_rate'). */
export function lrKey(history: Record<string, number[]>): string | null {
  return 'lr' in history ? 'lr' : 'learning_rate' in history ? 'learning_rate' : null;
}

/**
 * The metric names of a history, loss first: each base name once ('accuracy' covers
 * 'val_accuracy'); a key that exists only as val_* is its own base.
 */
export function metricNames(history: Record<string, number[]>): string[] {
  const lr = lrKey(history);
  const names: string[] = [];
  for (const k of Object.keys(history)) {
    if (k === lr) continue;
    const base = k.startsWith('val_') && k.length > 4 ? k.slice(4) : k;
    if (!names.includes(base)) names.push(base);
  }
  return names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
}
