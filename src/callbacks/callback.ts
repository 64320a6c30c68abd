/**
 * Callbacks: named hooks around training, evaluation and prediction, as Keras. `logs` carries
 * the running values (loss, metrics, val_*, lr). A callback can stop training by setting
 * `model.stopTraining = true`.
 */
export type Logs = Record<string, number>;

/** What a callback may touch on the model (kept narrow to avoid import cycles). */
export interface CallbackModel {
  stopTraining: boolean;
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
