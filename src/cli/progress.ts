/**
 * Training progress for the CLI: in a terminal, a live cli-progress bar per epoch (steps, ETA,
 * running loss and metrics); elsewhere (a pipe, a file, CI logs) one plain line per epoch, so
 * logs stay readable. A Callback, so it works for `train` and for every run of an `experiment`.
 */
import cliProgress from 'cli-progress';
import { Callback, type Logs } from '../callbacks/callback.js';
import type { OutputStream } from './io.js';

/** Keras' number format: 4 decimals, or scientific below 1e-3. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => `${k}: ${formatValue(v)}`).join(' - ');
}

export interface ProgressOptions {
  /** Prefix of each line, e.g. the run's name in an experiment. */
  label?: string;
}

export class CliProgress extends Callback {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;

  constructor(private readonly stream: OutputStream, private readonly options: ProgressOptions = {}) {
    super();
  }

  private get live(): boolean {
    return this.stream.isTTY === true;
  }

  private prefix(epoch: number): string {
    const label = this.options.label ? `${this.options.label} · ` : '';
    return `${label}Epoch ${epoch + 1}/${this.params?.epochs ?? '?'}`;
  }

  override onEpochBegin(epoch: number): void {
    this.started = Date.now();
    if (!this.live) return;
    this.bar = new cliProgress.SingleBar({
      stream: this.stream as unknown as NodeJS.WritableStream,
      format: `${this.prefix(epoch).replace(/[{}]/g, '')} [{bar}] {value}/{total} | {duration_formatted}, ETA {eta_formatted} | {logs}`,
      barsize: 30,
      hideCursor: false,
      clearOnComplete: false,
      fps: 10,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(this.params?.steps ?? 1, 0, { logs: '' });
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    this.bar?.update(batch + 1, { logs: formatLogs(logs) });
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const seconds = (Date.now() - this.started) / 1000;
    if (this.bar) {
      this.bar.update(this.params?.steps ?? 1, { logs: formatLogs(logs) });
      this.bar.stop();
      this.bar = null;
      return;
    }
    this.stream.write(`${this.prefix(epoch)} - ${seconds.toFixed(1)}s - ${formatLogs(logs)}\n`);
  }

  override onTrainEnd(): void {
    // a fit stopped mid-epoch (EarlyStopping after a batch, TerminateOnNaN) leaves no bar running
    this.bar?.stop();
    this.bar = null;
  }
}
