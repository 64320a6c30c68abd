/**
 * What EarlyStopping, ReduceLROnPlateau and ModelCheckpoint share: which direction of a
 * monitored quantity is better, and reading it from the logs (a missing key warns once).
 */
import type { Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Metric names whose larger values are better (Keras 3 marks these metrics `direction: 'up'`). */
const MAXIMIZED = new Set(['acc', 'accuracy', 'auc', 'precision', 'recall']);

/**
 * 'min' or 'max' for `monitor`. In 'auto' mode a metric is maximized when its name (without
 * `val_`) ends with the part acc / accuracy / auc / precision / recall
 * (e.g. 'val_accuracy', 'sparse_categorical_accuracy', 'out_auc'); everything else — losses,
 * mae, mse — is minimized. NOTE: Keras 2 and Keras 3's ReduceLROnPlateau test only for the
 * substring 'acc'; matching whole name parts avoids 'val_cauchy_loss' counting as an AUC.
 */
export function resolveMode(mode: MonitorMode | undefined, monitor: string, where: string): 'min' | 'max' {
  const m = mode ?? 'auto';
  if (m === 'min' || m === 'max') return m;
  if (m !== 'auto') throw new RangeError(`${where}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  const parts = monitor.replace(/^val_/, '').split('_');
  return MAXIMIZED.has(parts[parts.length - 1]) ? 'max' : 'min';
}

export function checkMonitor(monitor: unknown, where: string): string {
  if (typeof monitor !== 'string' || monitor.length === 0) {
    throw new TypeError(`${where}: monitor must be a log key such as 'val_loss' or 'accuracy', got ${JSON.stringify(monitor)}`);
  }
  return monitor;
}

export function checkNumber(value: unknown, name: string, where: string, { min = -Infinity, integer = false } = {}): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || (integer && !Number.isInteger(value))) {
    const what = integer ? 'an integer' : 'a number';
    throw new RangeError(`${where}: ${name} must be ${what}${min > -Infinity ? ` ≥ ${min}` : ''}, got ${String(value)}`);
  }
  return value;
}

/** Reads the monitored value; warns (once per callback) when the key is missing, as Keras does. */
export class MonitorReader {
  private warned = false;
  constructor(readonly monitor: string, private readonly where: string) {}

  read(logs: Logs | undefined, action: string): number | null {
    const value = logs?.[this.monitor];
    if (typeof value === 'number') return value;
    if (!this.warned) {
      this.warned = true;
      console.warn(`${this.where}: ${action} conditioned on '${this.monitor}', which is not in the logs; ` +
        `available keys: ${Object.keys(logs ?? {}).join(', ') || '(none)'}. Skipping.`);
    }
    return null;
  }
}

/** Python-style `%.5f` for messages, keeping ±inf readable. */
export function fmt5(v: number): string {
  return Number.isFinite(v) ? v.toFixed(5) : String(v);
}
