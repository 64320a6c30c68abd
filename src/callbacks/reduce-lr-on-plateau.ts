/**
 * ReduceLROnPlateau ("performance scheduling"): multiplies the learning rate by `factor` when
 * the monitored quantity has not improved for `patience` epochs. Keras' algorithm, step by step
 * (keras/src/callbacks/reduce_lr_on_plateau.py), at each epoch end with a monitored value:
 *   1. in cooldown (counter > 0): counter −= 1 and wait = 0;
 *   2. improvement iff value < best − minDelta ('min') or value > best + minDelta ('max'):
 *      best = value, wait = 0;
 *   3. otherwise, when not in cooldown (the counter as updated in 1): wait += 1, and once
 *      wait ≥ patience, if lr > minLr: lr = max(lr·factor, minLr), cooldown counter = cooldown,
 *      wait = 0 (when lr is already at minLr, nothing changes and wait keeps growing).
 * best starts at +∞ ('min') or −∞ ('max'); state resets at train begin.
 * NOTE: PyTorch's ReduceLROnPlateau defaults to a relative threshold (1e-4·best) and uses
 * `num_bad_epochs > patience`; this follows Keras (absolute minDelta, wait ≥ patience).
 */
import { Callback, type Logs } from './callback.js';
import { checkMonitor, checkNumber, MonitorReader, resolveMode, type MonitorMode } from './monitor.js';

export interface ReduceLROnPlateauArgs {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** New lr = lr·factor (0 < factor < 1; default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 'min', 'max', or 'auto' (accuracy/auc-like names → max, everything else → min). */
  mode?: MonitorMode;
  /** Absolute change needed to count as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
  /** 1: print each reduction (default 0). */
  verbose?: 0 | 1;
}

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private readonly reader: MonitorReader;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const where = 'ReduceLROnPlateau';
    this.monitor = checkMonitor(args.monitor ?? 'val_loss', where);
    this.factor = checkNumber(args.factor ?? 0.1, 'factor', where, { min: 0 });
    if (this.factor >= 1) throw new RangeError(`${where}: factor must be < 1 (the learning rate is multiplied by it), got ${this.factor}`);
    this.patience = checkNumber(args.patience ?? 10, 'patience', where, { min: 0, integer: true });
    this.mode = resolveMode(args.mode, this.monitor, where);
    this.minDelta = checkNumber(args.minDelta ?? 1e-4, 'minDelta', where);
    this.cooldown = checkNumber(args.cooldown ?? 0, 'cooldown', where, { min: 0, integer: true });
    this.minLr = checkNumber(args.minLr ?? 0, 'minLr', where, { min: 0 });
    this.verbose = args.verbose ?? 0;
    this.reader = new MonitorReader(this.monitor, where);
    this.reset();
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isImprovement(value: number, best: number): boolean {
    return this.mode === 'min' ? value < best - this.minDelta : value > best + this.minDelta;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = this.requireModel('optimizer', 'ReduceLROnPlateau').optimizer;
    const current = this.reader.read(logs, 'learning-rate reduction is');
    if (current === null) return;
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        if (oldLr > this.minLr) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
