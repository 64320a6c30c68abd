/**
 * EarlyStopping: stops training when a monitored quantity has stopped improving, with Keras 3's
 * rules (keras/src/callbacks/early_stopping.py):
 *   - improvement iff value < best − minDelta ('min') or value > best + minDelta ('max');
 *     best starts at ±∞, so the first monitored epoch always improves;
 *   - every monitored epoch does wait += 1; an improvement records best (and, with
 *     restoreBestWeights, a copy of the weights) and resets wait to 0 only when the value
 *     also improves on `baseline` (when one is given);
 *   - otherwise, when wait ≥ patience (and epoch > 0), training stops after this epoch;
 *   - epochs before `startFromEpoch` (warm-up) and epochs whose logs lack `monitor` are ignored
 *     (the missing key warns once);
 *   - with restoreBestWeights, the best epoch's weights are put back when training ends —
 *     whether patience ran out or the last epoch was reached (Keras 3; Keras 2 restored only
 *     when it stopped early). If no epoch improved, the first monitored epoch's weights are used.
 */
import type { Tensor } from '../core/tensor.js';
import { Callback, type Logs } from './callback.js';
import { checkMonitor, checkNumber, MonitorReader, resolveMode, type MonitorMode } from './monitor.js';

export interface EarlyStoppingArgs {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (its absolute value is used; default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (accuracy/auc-like names → max, everything else → min). */
  mode?: MonitorMode;
  /** Training stops unless the monitored value gets better than this within `patience` epochs. */
  baseline?: number | null;
  /** Put back the best epoch's weights at the end of training (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (warm-up; default 0). */
  startFromEpoch?: number;
  /** 1: print when stopping and when restoring weights (default 0). */
  verbose?: 0 | 1;
}

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  /** Epochs since the last improvement that also beat the baseline. */
  wait = 0;
  /** The epoch (0-based) at which training was stopped, or 0 when it was not. */
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  /** Copies of the weights at the end of the best epoch (with restoreBestWeights). */
  bestWeights: Tensor[] | null = null;
  private readonly reader: MonitorReader;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const where = 'EarlyStopping';
    this.monitor = checkMonitor(args.monitor ?? 'val_loss', where);
    this.minDelta = Math.abs(checkNumber(args.minDelta ?? 0, 'minDelta', where));
    this.patience = checkNumber(args.patience ?? 0, 'patience', where, { min: 0, integer: true });
    this.mode = resolveMode(args.mode, this.monitor, where);
    this.baseline = args.baseline == null ? null : checkNumber(args.baseline, 'baseline', where);
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkNumber(args.startFromEpoch ?? 0, 'startFromEpoch', where, { min: 0, integer: true });
    this.verbose = args.verbose ?? 0;
    this.reader = new MonitorReader(this.monitor, where);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Keras' `_is_improvement`: value − minDelta·sign compared with the reference. */
  isImprovement(value: number, reference: number): boolean {
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override onTrainBegin(): void {
    // reset so that one instance can serve several fits
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.bestWeights = null;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = this.reader.read(logs, 'early stopping is');
    if (current === null || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      // until something improves, the first monitored epoch's weights are the best
      this.bestWeights = this.requireModel('getWeights', 'EarlyStopping').getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.requireModel('getWeights', 'EarlyStopping').getWeights();
      // only restart the wait when the value beats both the previous best and the baseline
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel('setWeights', 'EarlyStopping').setWeights(this.bestWeights);
    }
  }
}
