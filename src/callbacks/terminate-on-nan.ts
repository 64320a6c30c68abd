/**
 * TerminateOnNaN: stops training as soon as a batch's loss is NaN or ±∞ (Keras). Training ends
 * after that batch: the epoch's end hooks still run, so History gets the epoch's partial logs.
 */
import { Callback, type Logs } from './callback.js';

export class TerminateOnNaN extends Callback {
  /** The (0-based) batch and epoch where the invalid loss appeared, or null. */
  terminatedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) { super(); }

  override onTrainBegin(): void { this.terminatedAt = null; }
  override onEpochBegin(epoch: number): void { this.epoch = epoch; }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.print(`Batch ${batch}: Invalid loss, terminating training`);
      this.terminatedAt = { epoch: this.epoch, batch };
      this.model!.stopTraining = true;
    }
  }
}
