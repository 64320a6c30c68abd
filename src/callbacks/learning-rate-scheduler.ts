/**
 * LearningRateScheduler: at the start of every epoch (0-based), sets the optimizer's learning
 * rate to `schedule(epoch, currentLr)`, as Keras. The rate is logged as `lr` in each epoch's logs
 * (and so in History). Setting a number replaces a schedule the optimizer may have had.
 * E.g. the chapter's per-epoch exponential decay: `(epoch) => 0.01 * 0.1 ** (epoch / 20)`.
 */
import { Callback, type Logs } from './callback.js';

export type EpochSchedule = (epoch: number, lr: number) => number;

export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: EpochSchedule, readonly verbose: 0 | 1 = 0) {
    super();
    if (typeof schedule !== 'function') {
      throw new TypeError(`LearningRateScheduler: schedule must be a function (epoch, lr) => newLr, got ${typeof schedule}`);
    }
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.requireModel('optimizer', 'LearningRateScheduler').optimizer;
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new RangeError(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; expected a finite number ≥ 0`);
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    // fit logs it already; this keeps `lr` in the logs when the callback is driven by hand
    const optimizer = this.model?.optimizer;
    if (optimizer && logs.lr === undefined) logs.lr = optimizer.learningRate;
  }
}
