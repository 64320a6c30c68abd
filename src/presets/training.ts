/**
 * How a preset trains: the optimizer, the learning-rate schedule and the callbacks, following
 * the chapter's guidelines (Hands-On ML, 3rd ed., ch. 11, "Summary and Practical Guidelines",
 * Tables 11-3 and 11-4):
 *
 * - Optimizer: Nesterov accelerated gradient (SGD, momentum 0.9, nesterov) or AdamW. Nesterov
 *   momentum generalizes at least as well as adaptive methods and converges faster than plain
 *   momentum ("Nesterov Accelerated Gradient"); AdamW decouples weight decay from the adaptive
 *   step (Loshchilov & Hutter 2019), which ℓ2 on Adam does not achieve.
 * - Default rates: Keras' defaults (0.01 for SGD, 0.001 for the Adam family). With 1cycle the
 *   rate given is the peak and defaults to 10× those, so the cycle starts at the usual rate.
 * - Performance scheduling: ReduceLROnPlateau(factor 0.5, patience 5) on val_loss, the chapter's
 *   setting; early stopping (patience 10, best weights restored) waits longer than the
 *   scheduler so the rate gets a chance to drop before training stops.
 * - 1cycle (Smith 2018): a fixed budget (epochs × stepsPerEpoch), so early stopping is off unless
 *   a patience is given; momentum cycles inversely to the rate (0.95 → 0.85 → 0.95), as Smith
 *   recommends, for the optimizers that have a momentum term (Nesterov: μ; Adam, AdamW: β1).
 */
import type { Callback } from '../callbacks/callback.js';
import type { Layer } from '../layers/layer.js';
import { Sequential } from '../models/sequential.js';
import { EarlyStopping } from '../callbacks/early-stopping.js';
import { ReduceLROnPlateau } from '../callbacks/reduce-lr-on-plateau.js';
import { Adam } from '../optimizers/adam.js';
import { AdamW } from '../optimizers/adamw.js';
import { Nadam } from '../optimizers/nadam.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { SGD } from '../optimizers/sgd.js';
import { OneCycle } from '../schedules/one-cycle.js';
import {
  nonNegative, oneOf, positiveInteger, positiveNumber, unitInterval,
  type CommonPresetOptions, type OutputSpec, type PresetOptimizer, type PresetSchedule, type ResolvedPresetConfig,
} from './options.js';
import type { Preset } from './default-dnn.js';

/** ReduceLROnPlateau's settings in the chapter's performance-scheduling example. */
export const PERFORMANCE_FACTOR = 0.5;
export const PERFORMANCE_PATIENCE = 5;
/** Early stopping waits twice as long as the scheduler. */
export const EARLY_STOPPING_PATIENCE = 10;
/** Epochs when early stopping decides (it usually stops long before). */
export const DEFAULT_MAX_EPOCHS = 100;

const BASE_LR: Record<PresetOptimizer, number> = { nesterov: 0.01, sgd: 0.01, adamw: 0.001, adam: 0.001, nadam: 0.001 };

export type TrainingChoices = Pick<ResolvedPresetConfig, 'optimizer' | 'learningRate' | 'momentum' | 'weightDecay' | 'schedule' |
  'cycleMomentum' | 'earlyStoppingPatience' | 'reduceLrPatience' | 'epochs' | 'batchSize'>;

export interface TrainingSetup {
  optimizer: Optimizer;
  callbacks: Callback[];
  choices: TrainingChoices;
}

/**
 * Resolves the training options. `allowed` lists the optimizers the preset accepts; `refuse`
 * explains why another one is refused (e.g. AdamW's weight decay in a self-normalizing net).
 */
export function trainingSetup(options: CommonPresetOptions, where: string, allowed: readonly PresetOptimizer[],
  refuse: Partial<Record<PresetOptimizer, string>> = {}): TrainingSetup {
  const name = options.optimizer ?? 'nesterov';
  if (typeof name === 'string' && refuse[name as PresetOptimizer]) {
    throw new RangeError(`${where}: optimizer '${name}' is not offered: ${refuse[name as PresetOptimizer]}`);
  }
  const optimizerName = oneOf(name, allowed, 'optimizer', where);
  const schedule = oneOf(options.schedule ?? 'performance', ['performance', '1cycle', 'none'] as const, 'schedule', where);
  const oneCycle = schedule === '1cycle';
  const batchSize = options.batchSize === undefined ? 32 : positiveInteger(options.batchSize, 'batchSize', where);

  let epochs: number;
  let totalSteps = 0;
  if (oneCycle) {
    if (options.epochs === undefined || options.stepsPerEpoch === undefined) {
      throw new TypeError(`${where}: schedule '1cycle' needs epochs and stepsPerEpoch (⌈training samples / batchSize⌉): ` +
        'the cycle spans the whole fit');
    }
    epochs = positiveInteger(options.epochs, 'epochs', where);
    totalSteps = epochs * positiveInteger(options.stepsPerEpoch, 'stepsPerEpoch', where);
  } else {
    if (options.stepsPerEpoch !== undefined) {
      throw new TypeError(`${where}: stepsPerEpoch is only used by schedule '1cycle' (schedule is '${schedule}')`);
    }
    epochs = options.epochs === undefined ? DEFAULT_MAX_EPOCHS : positiveInteger(options.epochs, 'epochs', where);
  }

  const learningRate = options.learningRate === undefined
    ? BASE_LR[optimizerName] * (oneCycle ? 10 : 1)
    : positiveNumber(options.learningRate, 'learningRate', where);
  const hasMomentumTerm = optimizerName === 'nesterov' || optimizerName === 'sgd';
  if (options.momentum !== undefined && !hasMomentumTerm) {
    throw new TypeError(`${where}: momentum applies to optimizer 'nesterov' or 'sgd', not '${optimizerName}'`);
  }
  const momentum = hasMomentumTerm
    ? (options.momentum === undefined ? (optimizerName === 'nesterov' ? 0.9 : 0) : unitInterval(options.momentum, 'momentum', where))
    : null;
  if (optimizerName === 'nesterov' && momentum === 0) {
    throw new RangeError(`${where}: optimizer 'nesterov' needs momentum > 0 (use optimizer 'sgd' for plain SGD)`);
  }
  if (options.weightDecay !== undefined && optimizerName !== 'adamw') {
    throw new TypeError(`${where}: weightDecay applies to optimizer 'adamw' only (got optimizer '${optimizerName}')`);
  }
  const weightDecay = optimizerName === 'adamw'
    ? (options.weightDecay === undefined ? 1e-4 : nonNegative(options.weightDecay, 'weightDecay', where))
    : null;

  // momentum cycling needs a momentum term the optimizer reads from the schedule (SGD's μ, Adam's β1)
  const cycleMomentum = oneCycle && (optimizerName === 'nesterov' || optimizerName === 'adam' || optimizerName === 'adamw');
  const lr = oneCycle ? new OneCycle({ maxLr: learningRate, totalSteps, cycleMomentum }) : learningRate;
  const optimizer = makeOptimizer(optimizerName, lr, momentum, weightDecay);

  const patience = options.patience === undefined
    ? (oneCycle ? null : EARLY_STOPPING_PATIENCE)
    : options.patience === null ? null : checkPatience(options.patience, where);
  const callbacks: Callback[] = [];
  if (schedule === 'performance') {
    callbacks.push(new ReduceLROnPlateau({ monitor: 'val_loss', factor: PERFORMANCE_FACTOR, patience: PERFORMANCE_PATIENCE }));
  }
  if (patience !== null) callbacks.push(new EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true }));

  return {
    optimizer,
    callbacks,
    choices: {
      optimizer: optimizerName, learningRate, momentum, weightDecay, schedule, cycleMomentum,
      earlyStoppingPatience: patience, reduceLrPatience: schedule === 'performance' ? PERFORMANCE_PATIENCE : null, epochs, batchSize,
    },
  };
}

function checkPatience(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${where}: patience must be a non-negative integer (epochs) or null (no early stopping), got ${String(value)}`);
  }
  return value;
}

function makeOptimizer(name: PresetOptimizer, learningRate: number | OneCycle, momentum: number | null, weightDecay: number | null): Optimizer {
  switch (name) {
    case 'nesterov': return new SGD({ learningRate, momentum: momentum!, nesterov: true });
    case 'sgd': return new SGD({ learningRate, momentum: momentum! });
    case 'adamw': return new AdamW({ learningRate, weightDecay: weightDecay! });
    case 'adam': return new Adam({ learningRate });
    case 'nadam': return new Nadam({ learningRate });
  }
}

/** What a preset decides about the network itself (the rest of ResolvedPresetConfig is output and training). */
export type ArchitectureChoices = Pick<ResolvedPresetConfig, 'preset' | 'hiddenUnits' | 'activation' | 'kernelInitializer' |
  'batchNormalization' | 'dropout' | 'alphaDropout' | 'l2'>;

/** Both presets' last step: the Sequential of `layers`, compiled with the training setup, and every choice as data. */
export function assemblePreset(layers: Layer[], name: string, output: OutputSpec, training: TrainingSetup, architecture: ArchitectureChoices): Preset {
  const model = new Sequential(layers, { name });
  model.compile({ optimizer: training.optimizer, loss: output.loss, metrics: output.metrics });
  const { epochs, batchSize } = training.choices;
  const { preset, ...network } = architecture;
  return {
    model,
    callbacks: training.callbacks,
    fitDefaults: { epochs, batchSize },
    config: {
      preset, task: output.task, outputUnits: output.units, outputActivation: output.activation, loss: output.loss, metrics: output.metrics,
      ...network, ...training.choices,
    },
  };
}
