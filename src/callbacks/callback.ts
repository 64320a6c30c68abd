/**
 * Callbacks: named hooks around training, evaluation and prediction, as Keras. `logs` carries
 * the running values (loss, metrics, val_*, lr). A callback can stop training by setting
 * `model.stopTraining = true`.
 */
import type { Tensor } from '../core/tensor.js';

export type Logs = Record<string, number>;

/** The optimizer as callbacks see it: the live learning rate and the step count. */
export interface CallbackOptimizer {
  learningRate: number;
  readonly iterations: number;
}

/**
 * What a callback may touch on the model (kept narrow to avoid import cycles; `Model` has all
 * of it). Only `stopTraining` is required, so a test can drive a callback with a small stub;
 * callbacks that need more check for it and say what is missing (`requireModel`).
 */
export interface CallbackModel {
  stopTraining: boolean;
  readonly name?: string;
  readonly optimizer?: CallbackOptimizer | null;
  getWeights?(): Tensor[];
  setWeights?(values: readonly Tensor[]): void;
  save?(path: string): Promise<void>;
  saveWeights?(path: string): Promise<void>;
}

export interface TrainingParams {
  epochs: number;
  steps: number;
  batchSize: number;
  samples: number;
  verbose: number;
}

export class Callback {
  model: CallbackModel | null = null;
  params: TrainingParams | null = null;

  setModel(model: CallbackModel): void { this.model = model; }

  /** The model, checked to have `member` (a clear error instead of "undefined is not a function"). */
  protected requireModel<K extends keyof CallbackModel>(member: K, where: string): CallbackModel & { [P in K]-?: NonNullable<CallbackModel[P]> } {
    const m = this.model;
    if (!m) throw new Error(`${where}: the callback has no model; pass it to model.fit({ callbacks: [...] }) or call setModel(model)`);
    if (m[member] === undefined || m[member] === null) throw new Error(`${where}: the model has no ${String(member)}${member === 'optimizer' ? ' (compile it first)' : ''}`);
    return m as CallbackModel & { [P in K]-?: NonNullable<CallbackModel[P]> };
  }
  setParams(params: TrainingParams): void { this.params = params; }

  onTrainBegin(_logs: Logs = {}): void | Promise<void> {}
  onTrainEnd(_logs: Logs = {}): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs: Logs = {}): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs: Logs = {}): void | Promise<void> {}
  onTrainBatchBegin(_batch: number, _logs: Logs = {}): void | Promise<void> {}
  onTrainBatchEnd(_batch: number, _logs: Logs = {}): void | Promise<void> {}
  onTestBegin(_logs: Logs = {}): void | Promise<void> {}
  onTestEnd(_logs: Logs = {}): void | Promise<void> {}
  onTestBatchBegin(_batch: number, _logs: Logs = {}): void | Promise<void> {}
  onTestBatchEnd(_batch: number, _logs: Logs = {}): void | Promise<void> {}
  onPredictBegin(_logs: Logs = {}): void | Promise<void> {}
  onPredictEnd(_logs: Logs = {}): void | Promise<void> {}
}

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd';
type IndexedHook = 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd' | 'onTestBatchBegin' | 'onTestBatchEnd';

/** Runs hooks on every callback in order; awaits only the ones that return promises. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  async call(hook: Hook, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) {
      const r = c[hook](logs);
      if (r) await r;
    }
  }

  async callIndexed(hook: IndexedHook, index: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) {
      const r = c[hook](index, logs);
      if (r) await r;
    }
  }
}
