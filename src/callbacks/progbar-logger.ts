/**
 * ProgbarLogger: training progress, as Keras' `verbose` of fit.
 *   verbose 1 in a terminal (the writer's isTTY): "Epoch 3/10", then a bar redrawn in place at
 *     most every `interval` seconds (default 0.1, i.e. ~10×/s), Keras 2's Progbar format
 *       " 123/1719 [====>.........................] - ETA: 3s - loss: 0.4321 - accuracy: 0.8765"
 *     and, when the epoch ends, the final line with the epoch's time, time per step and logs
 *       "1719/1719 [==============================] - 3s 2ms/step - loss: 0.4321 - … - val_loss: …"
 *   verbose 1 elsewhere (a pipe, a file, a browser console), and verbose 2 always: one line per epoch
 *       "Epoch 3/10 - 1.2s - 0.7ms/step - loss: 0.5012 - accuracy: 0.8123"
 *   verbose 0: nothing.
 * Values print as Keras does: %.4f, or %.4e below 1e-3. fit adds a ProgbarLogger (first in the
 * callback list) unless verbose is 0 or one is passed in `callbacks`.
 */
import { Callback, type Logs } from './callback.js';
import { formatNumber } from './python-format.js';

/** Where progress goes: text is written as is ('\r' returns to the line start in a terminal). */
export interface ProgressWriter {
  write(text: string): void;
  /** Whether `write` goes to an interactive terminal (enables the live bar). */
  isTTY?: boolean;
}

export interface ProgbarLoggerArgs {
  /** Default: process.stdout in Node; console.log (one call per line) elsewhere. */
  writer?: ProgressWriter;
  /** Overrides the verbose that fit passes in its params. */
  verbose?: 0 | 1 | 2;
  /** Minimum seconds between redraws of the live bar (default 0.1). */
  interval?: number;
  /** Milliseconds clock (default Date.now; injectable for tests). */
  now?: () => number;
}

const BAR_WIDTH = 30;

export class ProgbarLogger extends Callback {
  private readonly args: ProgbarLoggerArgs;
  private writer: ProgressWriter | null = null;
  private start = 0;
  private lastDraw = -Infinity;
  private seen = 0;
  private lineLength = 0;

  /** Pass options, or (as before) a function that prints one line per epoch. */
  constructor(args: ProgbarLoggerArgs | ((line: string) => void) = {}) {
    super();
    this.args = typeof args === 'function' ? { writer: linePrinter(args) } : args;
  }

  private get verbose(): number {
    return this.args.verbose ?? this.params?.verbose ?? 1;
  }

  /** True when drawing the live bar (verbose 1 on a TTY writer). */
  get live(): boolean {
    return this.verbose === 1 && (this.writer ?? this.args.writer ?? defaultWriter()).isTTY === true;
  }

  private now(): number {
    return (this.args.now ?? Date.now)();
  }

  override onTrainBegin(): void {
    this.writer = this.args.writer ?? defaultWriter();
  }

  override onEpochBegin(epoch: number): void {
    this.writer ??= this.args.writer ?? defaultWriter();
    this.start = this.now();
    this.lastDraw = -Infinity;
    this.seen = 0;
    this.lineLength = 0;
    if (this.verbose && this.live) this.writer.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? '?'}\n`);
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    if (!this.live) return;
    const t = this.now();
    const steps = this.params?.steps ?? this.seen;
    // the last batch is drawn by onEpochEnd, with the validation results
    if (this.seen >= steps || t - this.lastDraw < (this.args.interval ?? 0.1) * 1000) return;
    this.lastDraw = t;
    const perStep = (t - this.start) / 1000 / this.seen;
    this.draw(`${bar(this.seen, steps)} - ETA: ${formatEta(perStep * (steps - this.seen))}${formatLogs(logs)}`);
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (!this.verbose) return;
    this.writer ??= this.args.writer ?? defaultWriter();
    const seconds = (this.now() - this.start) / 1000;
    const steps = this.params?.steps ?? (this.seen || 1);
    const done = this.seen || steps;
    if (this.live) {
      this.draw(`${bar(done, steps)} - ${seconds.toFixed(0)}s ${formatStepTime(seconds / done)}${formatLogs(logs)}`);
      this.writer.write('\n');
      this.lineLength = 0;
    } else {
      const head = `Epoch ${epoch + 1}/${this.params?.epochs ?? '?'} - ${seconds.toFixed(1)}s - ${((seconds * 1000) / done).toFixed(1)}ms/step`;
      this.writer.write(`${head}${formatLogs(logs)}\n`);
    }
  }

  /** Redraws the current line: back to its start, the text, blanks over a longer previous text. */
  private draw(text: string): void {
    const pad = Math.max(0, this.lineLength - text.length);
    this.writer!.write(`\r${text}${' '.repeat(pad)}`);
    this.lineLength = text.length;
  }
}

/** "  12/1719 [>.............................]" — Keras 2's Progbar. */
function bar(current: number, target: number): string {
  const digits = String(target).length;
  const width = Math.floor((BAR_WIDTH * Math.min(current, target)) / target);
  let filled = '';
  if (width > 0) filled = '='.repeat(width - 1) + (current < target ? '>' : '=');
  return `${String(current).padStart(digits)}/${target} [${filled}${'.'.repeat(BAR_WIDTH - width)}]`;
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
}

/** Keras: %.4f, or %.4e when |v| ≤ 1e-3 (and not 0). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : formatNumber(v, '.4e', 'value');
}

/** Keras' ETA: "7s", "2:05", "1:02:03". */
export function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  if (s > 3600) return `${Math.floor(s / 3600)}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  if (s > 60) return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
  return `${s}s`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Keras' time per step: "2s/step", "15ms/step", "840us/step". */
function formatStepTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

/** A writer that prints whole lines through `print` (no live bar). */
function linePrinter(print: (line: string) => void): ProgressWriter {
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      pending += text;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        print(pending.slice(0, i));
        pending = pending.slice(i + 1);
      }
    },
  };
}

/** process.stdout where there is one (Node), else console.log; no node: import, so browser-safe. */
function defaultWriter(): ProgressWriter {
  const stdout = (globalThis as { process?: { stdout?: { write?: (s: string) => unknown; isTTY?: boolean } } }).process?.stdout;
  if (stdout && typeof stdout.write === 'function') {
    return { isTTY: stdout.isTTY === true, write: (text) => { stdout.write!(text); } };
  }
  return linePrinter((line) => console.log(line));
}
