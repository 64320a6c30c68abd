/** History: per-epoch logs of fit (loss, metrics, val_*), returned by `model.fit`. */
import { Callback, type Logs } from './callback.js';

export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      // a metric that appears late (e.g. val_* from the first validation) is padded with NaN
      (this.history[key] ??= new Array<number>(this.epoch.length - 1).fill(NaN)).push(value);
    }
  }
}
