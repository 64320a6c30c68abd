/**
 * A train config, read and checked as a whole before any data is loaded: the top-level keys,
 * the dataset, and the model, optimizer, loss, metrics and callbacks (built here, so a value the
 * library rejects is reported with its key path too). The result is everything `gradflow train`
 * needs plus the resolved config (defaults filled in, Keras spelling) written to config.json.
 * The format is documented in docs/cli.md ("The train config").
 */
import { resolve } from 'node:path';
import type { Callback } from '../../callbacks/callback.js';
import { setSeed } from '../../core/random.js';
import type { Sequential } from '../../models/sequential.js';
import { DATASET_NAMES, DATASETS, PREPROCESSING, plannedSizes, type DataPlan, type DatasetName, type Preprocessing } from '../data.js';
import { ConfigError, kindOf, show } from '../io.js';
import { canonical, didYouMean } from '../suggest.js';
import { check, expectObject, isNonNegativeInteger, isPositiveInteger, join, libraryError, readKeys, type Json } from './keys.js';
import { buildModel } from './model.js';
import { buildCallbacks, buildLoss, buildMetrics, buildOptimizer } from './training.js';

/** The top-level keys (camelCase; the documented spelling is Keras' snake_case). */
export const TOP_KEYS = ['name', 'description', 'seed', 'epochs', 'batchSize', 'shuffle', 'dataset', 'model', 'optimizer', 'loss', 'metrics', 'callbacks'] as const;
export const DATASET_KEYS = ['name', 'dir', 'samples', 'preprocessing', 'validation'] as const;

export const DEFAULTS = {
  seed: 42,
  epochs: 1,
  batchSize: 32,
  dataset: 'fashion-mnist' as DatasetName,
  preprocessing: 'scale' as Preprocessing,
  /** The chapter's split: the last 5,000 images of the training file. */
  validation: 5000,
  optimizer: 'rmsprop',
  loss: 'sparse_categorical_crossentropy',
  metrics: ['accuracy'],
};

/** Command-line values that replace the config's. */
export interface TrainOverrides { epochs?: number; seed?: number; samples?: number; batchSize?: number }

export interface TrainPlan {
  name: string;
  description: string | null;
  seed: number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  data: DataPlan;
  /** Built and compiled (weights initialized from the seed). */
  model: Sequential;
  callbacks: Callback[];
  /** The choices of a preset (null without one). */
  presetChoices: Json | null;
  /** The resolved config: what config.json holds, and what `gradflow train config.json` reruns. */
  resolved: Json;
}

export interface PlanOptions {
  /** The run's default name (the config file's base name). */
  name: string;
  overrides?: TrainOverrides;
  /** The run folder: callbacks' relative file names resolve there. */
  runDir: string;
  /** Relative dataset directories resolve against this. */
  cwd: string;
  /** Where callbacks print (TerminateOnNaN). */
  print: (line: string) => void;
}

/** Reads `dataset`: { name, dir, samples, preprocessing, validation }. */
export function readDataset(value: unknown, samplesOverride: number | undefined, cwd: string, path = 'dataset'): DataPlan {
  const obj = value === undefined ? {} : expectObject(value, path, `an object such as { "name": "fashion-mnist" }`);
  const keys = readKeys(obj, DATASET_KEYS, path);
  const at = (k: string): string => join(path, keys.get(k)?.user ?? k);
  const rawName = keys.get('name')?.value ?? DEFAULTS.dataset;
  check(typeof rawName === 'string', at('name'), `one of ${DATASET_NAMES.join(', ')}`, rawName);
  const name = DATASET_NAMES.find((n) => canonical(n) === canonical(rawName as string) || (n === 'fashion-mnist' && canonical(rawName as string) === 'fashion'));
  if (name === undefined) throw new ConfigError(at('name'), `unknown dataset ${show(rawName)}${didYouMean(rawName as string, DATASET_NAMES)}; expected one of: ${DATASET_NAMES.join(', ')}`);
  const dir = keys.get('dir')?.value ?? null;
  check(dir === null || (typeof dir === 'string' && dir !== ''), at('dir'), 'a directory holding the dataset files (or null to search the usual places)', dir);
  let samples = keys.get('samples')?.value ?? null;
  check(samples === null || isPositiveInteger(samples), at('samples'), 'a positive integer (a cap on the samples of each split) or null', samples);
  if (samplesOverride !== undefined) samples = samplesOverride;
  const preprocessing = keys.get('preprocessing')?.value ?? DEFAULTS.preprocessing;
  if (!PREPROCESSING.includes(preprocessing as Preprocessing)) {
    throw new ConfigError(at('preprocessing'), `expected one of ${PREPROCESSING.join(', ')} (scale: pixels / 255; standardize: then per-pixel ` +
      `(x − mean) / std of the training split; none: raw 0 … 255), got ${kindOf(preprocessing)}${typeof preprocessing === 'string' ? didYouMean(preprocessing, PREPROCESSING) : ''}`);
  }
  const validation = keys.get('validation')?.value ?? DEFAULTS.validation;
  const total = DATASETS[name].trainSize;
  let validationSize: number;
  if (typeof validation === 'number' && validation > 0 && validation < 1) validationSize = Math.round(total * validation);
  else if (isNonNegativeInteger(validation) && validation < total) validationSize = validation;
  else {
    throw new ConfigError(at('validation'), `expected the number of validation samples taken from the end of the training file ` +
      `(an integer 0 … ${total - 1}; the chapter's split is 5000, 0 means none) or a fraction in (0, 1), got ${kindOf(validation)}`);
  }
  return { name, dir: dir === null ? null : resolve(cwd, dir as string), samples: samples as number | null, preprocessing: preprocessing as Preprocessing, validationSize };
}

/** Checks and builds a whole train config (sets the random seed first: the weights come from it). */
export function planTraining(raw: unknown, options: PlanOptions): TrainPlan {
  const top = expectObject(raw, '', 'a config object (see docs/cli.md)');
  const keys = readKeys(top, TOP_KEYS, '');
  const at = (k: string): string => keys.get(k)?.user ?? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const value = (k: string): unknown => keys.get(k)?.value;
  const o = options.overrides ?? {};

  const name = value('name') ?? options.name;
  check(typeof name === 'string' && /^[\w.+-]+$/.test(name), at('name'), 'a run name of letters, digits, ., _, + or - (it names the run folder)', name);
  const description = value('description') ?? null;
  check(description === null || typeof description === 'string', at('description'), 'a string', description);
  let seed = value('seed') ?? DEFAULTS.seed;
  check(isNonNegativeInteger(seed), at('seed'), 'a non-negative integer', seed);
  if (o.seed !== undefined) seed = o.seed;
  let epochs = value('epochs');
  check(epochs === undefined || isPositiveInteger(epochs), at('epochs'), 'a positive integer', epochs);
  if (o.epochs !== undefined) epochs = o.epochs;
  let batchSize = value('batchSize');
  check(batchSize === undefined || isPositiveInteger(batchSize), at('batchSize'), 'a positive integer', batchSize);
  if (o.batchSize !== undefined) batchSize = o.batchSize;
  const shuffle = value('shuffle') ?? true;
  check(typeof shuffle === 'boolean', at('shuffle'), 'true or false', shuffle);

  const data = readDataset(value('dataset'), o.samples, options.cwd, at('dataset'));
  const info = DATASETS[data.name];
  const sizes = plannedSizes(data);
  const stepsFor = (b: number): number => Math.ceil(sizes.train / b);

  if (!keys.has('model')) throw new ConfigError('model', 'required: a list of layers, or { "preset": "defaultDNN", … }');
  setSeed(seed as number);
  const built = buildModel(value('model'), {
    sampleShape: info.sampleShape, classes: info.classes, datasetTitle: info.title,
    epochs: epochs as number | undefined, batchSize: batchSize as number | undefined, stepsPerEpoch: stepsFor((batchSize as number | undefined) ?? DEFAULTS.batchSize),
  }, at('model'));
  const model = built.model;
  const resolved: Json = { name, ...(description !== null ? { description } : {}), seed };
  let fitEpochs: number;
  let fitBatch: number;
  const cbs: Callback[] = [];
  if (built.preset) {
    for (const k of ['optimizer', 'loss', 'metrics'] as const) {
      if (keys.has(k)) throw new ConfigError(at(k), `not allowed with a preset: the preset chooses the ${k} (set the preset's options in the model section instead, e.g. "optimizer": "adamw")`);
    }
    fitEpochs = (epochs as number | undefined) ?? built.preset.epochs;
    fitBatch = built.preset.batchSize;
    cbs.push(...built.preset.callbacks);
    Object.assign(resolved, { epochs: fitEpochs, batch_size: fitBatch, shuffle, dataset: datasetJson(data), model: built.keras });
  } else {
    fitEpochs = (epochs as number | undefined) ?? DEFAULTS.epochs;
    fitBatch = (batchSize as number | undefined) ?? DEFAULTS.batchSize;
    const ctx = { totalSteps: fitEpochs * stepsFor(fitBatch) };
    const optimizer = buildOptimizer(value('optimizer') ?? DEFAULTS.optimizer, ctx, at('optimizer'));
    const loss = buildLoss(value('loss') ?? DEFAULTS.loss, at('loss'));
    const metrics = buildMetrics(value('metrics') ?? DEFAULTS.metrics, loss.loss, at('metrics'));
    try {
      model.compile({ optimizer: optimizer.optimizer, loss: loss.loss, metrics: metrics.metrics });
    } catch (e) {
      throw libraryError(e, '');
    }
    Object.assign(resolved, {
      epochs: fitEpochs, batch_size: fitBatch, shuffle, dataset: datasetJson(data), model: built.keras,
      optimizer: optimizer.keras, loss: loss.keras, metrics: metrics.keras,
    });
  }
  const extra = buildCallbacks(value('callbacks') ?? [], {
    runDir: options.runDir, print: options.print, epochs: fitEpochs, totalSteps: fitEpochs * stepsFor(fitBatch),
  }, at('callbacks'));
  cbs.push(...extra.callbacks);
  resolved.callbacks = extra.keras;
  return {
    name: name as string, description: description as string | null, seed: seed as number, epochs: fitEpochs, batchSize: fitBatch,
    shuffle: shuffle as boolean, data, model, callbacks: cbs, presetChoices: built.preset?.config ?? null, resolved,
  };
}

function datasetJson(d: DataPlan): Json {
  return { name: d.name, dir: d.dir, samples: d.samples, preprocessing: d.preprocessing, validation: d.validationSize };
}
