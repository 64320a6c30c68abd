/**
 * LambdaCallback: a callback from plain functions (Keras' LambdaCallback), e.g.
 *   new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) }).
 * Any hook of Callback can be given; functions may be async (fit awaits them).
 */
import { Callback, type Logs } from './callback.js';

type Ret = void | Promise<void>;

export interface LambdaCallbackArgs {
  onTrainBegin?: (logs: Logs) => Ret;
  onTrainEnd?: (logs: Logs) => Ret;
  onEpochBegin?: (epoch: number, logs: Logs) => Ret;
  onEpochEnd?: (epoch: number, logs: Logs) => Ret;
  onTrainBatchBegin?: (batch: number, logs: Logs) => Ret;
  onTrainBatchEnd?: (batch: number, logs: Logs) => Ret;
  onTestBegin?: (logs: Logs) => Ret;
  onTestEnd?: (logs: Logs) => Ret;
  onTestBatchBegin?: (batch: number, logs: Logs) => Ret;
  onTestBatchEnd?: (batch: number, logs: Logs) => Ret;
  onPredictBegin?: (logs: Logs) => Ret;
  onPredictEnd?: (logs: Logs) => Ret;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onTrainBatchBegin', 'onTrainBatchEnd',
  'onTestBegin', 'onTestEnd', 'onTestBatchBegin', 'onTestBatchEnd', 'onPredictBegin', 'onPredictEnd'] as const;

export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackArgs = {}) {
    super();
    if (hooks === null || typeof hooks !== 'object') throw new TypeError(`LambdaCallback: expected an object of hook functions, got ${String(hooks)}`);
    for (const [key, fn] of Object.entries(hooks)) {
      if (fn === undefined) continue;
      const hint = HOOKS.find((h) => h.toLowerCase() === key.replace(/_/g, '').toLowerCase());
      if (!(HOOKS as readonly string[]).includes(key)) {
        throw new TypeError(`LambdaCallback: unknown hook '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${HOOKS.join(', ')}`);
      }
      if (typeof fn !== 'function') throw new TypeError(`LambdaCallback: ${key} must be a function, got ${typeof fn}`);
      // an own property shadows the no-op method of Callback
      (this as unknown as Record<string, unknown>)[key] = fn;
    }
  }
}
