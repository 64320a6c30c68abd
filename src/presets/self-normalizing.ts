/**
 * `selfNormalizing(options)`: the chapter's self-normalizing configuration (Hands-On ML, 3rd ed.,
 * ch. 11, Table 11-4; Klambauer et al. 2017, "Self-Normalizing Neural Networks"), compiled:
 *
 *   const s = gf.datasets.standardize(xTrain, xValid);           // inputs: mean 0, std 1
 *   const { model, callbacks, fitDefaults } = selfNormalizing({ inputShape: [28, 28], numClasses: 10 });
 *   await model.fit(s.train, yTrain, { ...fitDefaults, callbacks, validationData: [s.others[0], yValid] });
 *
 * A plain stack of Dense layers with SELU and LeCun normal initialization keeps each layer's
 * output near mean 0 and standard deviation 1 during training, so gradients neither vanish nor
 * explode even in very deep nets — but only under the paper's conditions, which this preset
 * enforces:
 * - SELU on every hidden layer, LeCun normal (lecun_normal) kernels: the fixed point of the
 *   mean/variance map assumes Var(w) = 1/fan_in.
 * - Standardized inputs (mean 0, std 1 per feature): the preset cannot see the data, so this is
 *   the caller's part (gf.datasets.standardize); gf.diagnostics.inspect checks it.
 * - No batch normalization, no ℓ1/ℓ2, no regular dropout, max-norm or skip connections: each
 *   breaks self-normalization. Regularize with AlphaDropout (it keeps mean and variance), rate
 *   5–10% if the net overfits; early stopping as always.
 * - Nesterov momentum (Table 11-4), or Adam/Nadam; AdamW is refused: its weight decay shrinks
 *   the weights off the LeCun scale, as ℓ2 would.
 * - Performance scheduling or 1cycle, as the default preset (training.ts).
 */
import { AlphaDropout } from '../layers/alpha-dropout.js';
import { Dense } from '../layers/dense.js';
import { Flatten } from '../layers/flatten.js';
import type { Layer } from '../layers/layer.js';
import type { Preset } from './default-dnn.js';
import {
  COMMON_KEYS, checkInputShape, checkKeys, hiddenUnits, outputSpec, unitInterval, type CommonPresetOptions,
} from './options.js';
import { assemblePreset, trainingSetup } from './training.js';

export interface SelfNormalizingOptions extends CommonPresetOptions {
  /** AlphaDropout rate after each hidden layer (default 0: off; 0.05–0.1 when the net overfits). */
  alphaDropout?: number;
}

const WHERE = 'selfNormalizing';
const KEYS = [...COMMON_KEYS, 'alphaDropout'];

/** Options of defaultDNN that would break self-normalization, with the reason. */
const BREAKS: Record<string, string> = {
  l2: 'ℓ1/ℓ2 regularization breaks self-normalization; regularize with alphaDropout and early stopping',
  batchNormalization: 'a self-normalizing net needs no batch normalization, and BN breaks the SELU fixed point',
  dropout: 'regular dropout breaks self-normalization; use alphaDropout',
  activation: 'the self-normalizing preset always uses SELU (use defaultDNN for other activations)',
};

export function selfNormalizing(options: SelfNormalizingOptions): Preset {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${WHERE}: expected an options object such as { inputShape: [28, 28], numClasses: 10 }, got ${String(options)}`);
  }
  for (const [key, why] of Object.entries(BREAKS)) {
    if ((options as unknown as Record<string, unknown>)[key] !== undefined) throw new TypeError(`${WHERE}: option '${key}' is not offered: ${why}`);
  }
  checkKeys(options, KEYS, WHERE);
  const inputShape = checkInputShape(options.inputShape, WHERE);
  const output = outputSpec(options, WHERE);
  const units = hiddenUnits(options, WHERE);
  const alphaDropout = options.alphaDropout === undefined ? 0 : unitInterval(options.alphaDropout, 'alphaDropout', WHERE);
  const training = trainingSetup(options, WHERE, ['nesterov', 'sgd', 'adam', 'nadam'], {
    adamw: 'its decoupled weight decay, like ℓ2, pulls the weights off the LeCun scale that self-normalization relies on; use nesterov, adam or nadam',
  });

  const layers: Layer[] = [];
  let first: { inputShape?: number[] } = inputShape.length === 1 ? { inputShape } : {};
  if (inputShape.length > 1) layers.push(new Flatten({ inputShape }));
  for (const n of units) {
    layers.push(new Dense(n, { activation: 'selu', kernelInitializer: 'lecun_normal', ...first }));
    first = {};
    if (alphaDropout > 0) layers.push(new AlphaDropout(alphaDropout));
  }
  layers.push(new Dense(output.units, { activation: output.activation }));

  return assemblePreset(layers, options.name ?? 'self_normalizing', output, training, {
    preset: 'selfNormalizing', hiddenUnits: units, activation: 'selu', kernelInitializer: 'lecun_normal', batchNormalization: false,
    dropout: 0, alphaDropout, l2: 0,
  });
}
