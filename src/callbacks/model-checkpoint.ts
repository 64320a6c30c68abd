/**
 * ModelCheckpoint: saves the model (or only its weights) during training, as Keras.
 *   - `filepath` is a Python-style template: {epoch} is 1-based ({epoch:02d} → '03'), and any
 *     log key can appear with a format spec ({val_loss:.4f}, {accuracy:.2%}); with an integer
 *     saveFreq, {batch} is the 1-based batch too. A key missing from the logs is an error.
 *   - saveBestOnly: save only when the monitored value improves on the best so far (strictly:
 *     value < best in 'min' mode, > in 'max'; best starts at `initialValueThreshold` or ±∞).
 *     When the monitored key is missing, it warns once and saves anyway (Keras 3).
 *   - saveWeightsOnly: `model.saveWeights(path)` (safetensors of the weights; read back with
 *     `model.loadWeights(path)`), else `model.save(path)` (architecture, weights, optimizer
 *     state; `gf.loadModel(path)`). Both write atomically: temp file, fsync, rename.
 *   - saveFreq: 'epoch' (default) or a number of batches.
 * Node-only at use (it writes files); importing it is browser-safe.
 * NOTE: Keras requires '.keras' / '.weights.h5' suffixes; gradflow files are safetensors
 * whatever the name, so no suffix is enforced ('.safetensors' is a good one).
 */
import { Callback, type Logs } from './callback.js';
import { checkMonitor, fmt5, MonitorReader, resolveMode, type MonitorMode } from './monitor.js';
import { formatTemplate } from './python-format.js';

export interface ModelCheckpointArgs {
  /** Log key compared with saveBestOnly (default 'val_loss'). */
  monitor?: string;
  /** 1: print a line for each save / non-improvement (default 0). */
  verbose?: 0 | 1;
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto' (accuracy/auc-like names → max, everything else → min). */
  mode?: MonitorMode;
  /** 'epoch' (default) or save every N batches. */
  saveFreq?: 'epoch' | number;
  /** The initial "best" value for saveBestOnly (default ±∞). */
  initialValueThreshold?: number | null;
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  best: number;
  /** Paths written so far, in order (handy for tests and for cleaning up). */
  readonly saved: string[] = [];
  private readonly reader: MonitorReader;
  private epoch = 0;
  private batchesSinceSave = 0;

  constructor(filepath: string, args: ModelCheckpointArgs = {}) {
    super();
    const where = 'ModelCheckpoint';
    if (typeof filepath !== 'string' || filepath.length === 0) {
      throw new TypeError(`${where}: filepath must be a path (template), e.g. 'ckpt/model-{epoch:02d}.safetensors', got ${JSON.stringify(filepath)}`);
    }
    this.filepath = filepath;
    this.monitor = checkMonitor(args.monitor ?? 'val_loss', where);
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.mode = resolveMode(args.mode, this.monitor, where);
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new RangeError(`${where}: saveFreq must be 'epoch' or a positive integer number of batches, got ${JSON.stringify(freq)}`);
    }
    this.saveFreq = freq;
    const threshold = args.initialValueThreshold ?? null;
    if (threshold !== null && typeof threshold !== 'number') throw new TypeError(`${where}: initialValueThreshold must be a number, got ${String(threshold)}`);
    this.best = threshold ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.reader = new MonitorReader(this.monitor, where);
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.save(this.epoch, batch, logs);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, null, logs);
  }

  /** The path for an epoch (0-based) and batch (0-based or null), with the logs' values. */
  filePathFor(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== null) values.batch = batch + 1;
    return formatTemplate(this.filepath, values, 'ModelCheckpoint');
  }

  private shouldSave(epoch: number, path: string, logs: Logs): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    const current = this.reader.read(logs, 'saving the best model only is');
    if (current === null) return true;
    const improved = this.mode === 'min' ? current < this.best : current > this.best;
    if (this.verbose > 0) {
      console.log(improved
        ? `Epoch ${epoch + 1}: ${this.monitor} improved from ${fmt5(this.best)} to ${fmt5(current)}, saving model to ${path}`
        : `Epoch ${epoch + 1}: ${this.monitor} did not improve from ${fmt5(this.best)}`);
    }
    if (improved) this.best = current;
    return improved;
  }

  private async save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const path = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, path, logs)) return;
    const model = this.requireModel(this.saveWeightsOnly ? 'saveWeights' : 'save', 'ModelCheckpoint');
    if (this.saveWeightsOnly) await model.saveWeights!(path);
    else await model.save!(path);
    this.saved.push(path);
  }
}
