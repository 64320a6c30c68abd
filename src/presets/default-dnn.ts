/**
 * `defaultDNN(options)`: the chapter's default configuration for a dense network (Hands-On ML,
 * 3rd ed., ch. 11, Table 11-3), compiled and ready for `fit`:
 *
 *   const { model, callbacks, fitDefaults } = defaultDNN({ inputShape: [28, 28], numClasses: 10 });
 *   await model.fit(xTrain, yTrain, { ...fitDefaults, callbacks, validationData: [xValid, yValid] });
 *
 * The choices, and why (docs/presets.md has the long form):
 * - He initialization (he_normal) for every hidden kernel: it keeps the variance of the signal
 *   (forward) and of the gradients (backward) roughly constant across ReLU-family layers, the
 *   chapter's first remedy for vanishing/exploding gradients (He et al. 2015).
 * - A non-saturating activation, Swish by default (the 3rd edition's choice for deep nets;
 *   'elu' is the 2nd edition's default, 'relu' the fastest for shallow nets; GELU and Mish are
 *   the same family). All are paired with He init.
 * - Batch normalization for deep nets ('auto': 5 or more hidden layers): below that, the chapter
 *   notes that He init + a good activation already keep the gradients healthy and BN only
 *   costs time. BN goes before the activation and the Dense layer drops its bias (BN's β
 *   replaces it), as in the BN paper (Ioffe & Szegedy 2015).
 * - Regularization: early stopping (restoring the best weights) always; ℓ2 (kernel_regularizer)
 *   of 1e-4 with the SGD-family optimizers; with AdamW, decoupled weight decay replaces ℓ2
 *   (ℓ2 with Adam shrinks large-gradient weights less, Loshchilov & Hutter 2019); dropout only
 *   when asked for (it slows convergence; use it when the model overfits).
 * - Nesterov momentum (or AdamW), performance scheduling or 1cycle: see training.ts.
 * - Output layer: glorot_uniform kernel (Keras' default, the right scale for softmax, sigmoid
 *   and linear outputs), no regularization beyond the shared ℓ2.
 */
import type { Callback } from '../callbacks/callback.js';
import { Activation } from '../layers/activation.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import type { Layer } from '../layers/layer.js';
import type { Sequential } from '../models/sequential.js';
import { L2 } from '../regularizers/index.js';
import {
  COMMON_KEYS, checkInputShape, checkKeys, hiddenUnits, nonNegative, oneOf, outputSpec, unitInterval,
  type CommonPresetOptions, type ResolvedPresetConfig,
} from './options.js';
import { assemblePreset, trainingSetup } from './training.js';

/** The activations of the He-initialized family the default preset accepts. */
export const DNN_ACTIVATIONS = ['swish', 'elu', 'relu', 'leaky_relu', 'gelu', 'mish'] as const;
export type DnnActivation = (typeof DNN_ACTIVATIONS)[number];

/** Hidden layers from which the net counts as deep ('auto' batch normalization). */
export const DEEP_FROM_LAYERS = 5;

export interface DefaultDNNOptions extends CommonPresetOptions {
  /** Default 'swish'. ('selu' belongs to selfNormalizing.) */
  activation?: DnnActivation;
  /** true, false or 'auto' (default: on from DEEP_FROM_LAYERS hidden layers). */
  batchNormalization?: boolean | 'auto';
  /** Dropout rate after each hidden layer (default 0: off). */
  dropout?: number;
  /** ℓ2 factor on every kernel (default 1e-4; 0 with AdamW, whose weight decay replaces it). */
  l2?: number;
}

/** What a preset returns: the compiled model, the callbacks to pass to fit, and fit's defaults. */
export interface Preset {
  model: Sequential;
  /** Early stopping and the schedule's callback; pass them to fit (they reset at each fit). */
  callbacks: Callback[];
  /** Epochs (early stopping usually ends sooner) and batch size. */
  fitDefaults: { epochs: number; batchSize: number };
  /** Every choice the preset made, as plain data. */
  config: ResolvedPresetConfig;
}

const WHERE = 'defaultDNN';
const KEYS = [...COMMON_KEYS, 'activation', 'batchNormalization', 'dropout', 'l2'];

export function defaultDNN(options: DefaultDNNOptions): Preset {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${WHERE}: expected an options object such as { inputShape: [28, 28], numClasses: 10 }, got ${String(options)}`);
  }
  checkKeys(options, KEYS, WHERE);
  const inputShape = checkInputShape(options.inputShape, WHERE);
  const output = outputSpec(options, WHERE);
  const units = hiddenUnits(options, WHERE);
  const activation = oneOf(options.activation ?? 'swish', DNN_ACTIVATIONS, 'activation', WHERE,
    (options.activation as string | undefined) === 'selu' ? ' (SELU needs LeCun init, no batch norm and standardized inputs: use presets.selfNormalizing)' : '');
  const bn = options.batchNormalization ?? 'auto';
  if (bn !== true && bn !== false && bn !== 'auto') {
    throw new RangeError(`${WHERE}: batchNormalization must be true, false or 'auto', got ${JSON.stringify(bn)}`);
  }
  const batchNormalization = bn === 'auto' ? units.length >= DEEP_FROM_LAYERS : bn;
  const dropout = options.dropout === undefined ? 0 : unitInterval(options.dropout, 'dropout', WHERE);
  const training = trainingSetup(options, WHERE, ['nesterov', 'adamw', 'sgd', 'adam', 'nadam']);
  const l2 = options.l2 === undefined
    ? (training.choices.optimizer === 'adamw' ? 0 : 1e-4)
    : nonNegative(options.l2, 'l2', WHERE);

  const regularizer = (): L2 | null => (l2 > 0 ? new L2(l2) : null);
  const layers: Layer[] = [];
  // a 1-D input goes straight into the first Dense; images and other tensors are flattened first
  let first: { inputShape?: number[] } = inputShape.length === 1 ? { inputShape } : {};
  if (inputShape.length > 1) layers.push(new Flatten({ inputShape }));
  for (const n of units) {
    if (batchNormalization) {
      layers.push(new Dense(n, { useBias: false, kernelInitializer: 'he_normal', kernelRegularizer: regularizer(), ...first }));
      layers.push(new BatchNormalization());
      layers.push(new Activation(activation));
    } else {
      layers.push(new Dense(n, { activation, kernelInitializer: 'he_normal', kernelRegularizer: regularizer(), ...first }));
    }
    first = {};
    if (dropout > 0) layers.push(new Dropout(dropout));
  }
  layers.push(new Dense(output.units, { activation: output.activation, kernelRegularizer: regularizer() }));

  return assemblePreset(layers, options.name ?? 'default_dnn', output, training, {
    preset: 'defaultDNN', hiddenUnits: units, activation, kernelInitializer: 'he_normal', batchNormalization, dropout, alphaDropout: 0, l2,
  });
}
