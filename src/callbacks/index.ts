/**
 * Callbacks (`gf.callbacks`): hooks around fit / evaluate / predict, as Keras.
 *   model.fit(x, y, { callbacks: [new gf.callbacks.EarlyStopping({ patience: 5, restoreBestWeights: true })] })
 * History and ProgbarLogger are added by fit; the others are opt-in.
 */
export { Callback, CallbackList, type CallbackModel, type CallbackOptimizer, type Logs, type TrainingParams } from './callback.js';
export { History } from './history.js';
export { ProgbarLogger, type ProgbarLoggerArgs, type ProgressWriter } from './progbar-logger.js';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { LearningRateScheduler, type EpochSchedule } from './learning-rate-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { CSVLogger } from './csv-logger.js';
export { LambdaCallback, type LambdaCallbackArgs } from './lambda-callback.js';
export { type MonitorMode } from './monitor.js';
