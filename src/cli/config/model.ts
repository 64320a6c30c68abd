/**
 * The `model` section of a train config: a list of layers in Keras form
 *   { "class_name": "Dense", "config": { "units": 300, "activation": "relu", "kernel_initializer": "he_normal" } }
 * (snake_case or camelCase keys), the same list under "layers" or a Keras Sequential config, or
 * one of the chapter's presets: { "preset": "defaultDNN", "hidden_layers": 3, … }.
 * Every layer is checked and built here, before any data is loaded; errors name the key path.
 */
import * as activations from '../../activations/index.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import { Layer } from '../../layers/layer.js';
import { Model } from '../../models/model.js';
import { Sequential } from '../../models/sequential.js';
import * as presets from '../../presets/index.js';
import * as regularizers from '../../regularizers/index.js';
import { getClass, registeredClassNames } from '../../saving/class-registry.js';
import type { Callback } from '../../callbacks/callback.js';
import { ConfigError, kindOf, show } from '../io.js';
import { toCamel, toSnake } from '../suggest.js';
import {
  expectObject, isObject, join, libraryError, pickName, readClassSpec, readKeys, snakeConfig, withArticle,
  type Json, type KeyEntry,
} from './keys.js';

/** Keys every layer takes (LayerArgs). */
const BASE_KEYS = ['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape'];

/** Arguments that let a layer with required options be built once to read its config keys. */
const PROBE_ARGS: Record<string, Json> = {
  Dense: { units: 1 }, Activation: { activation: 'linear' }, Reshape: { targetShape: [1] }, InputLayer: { inputShape: [1] },
  Dropout: { rate: 0.5 }, AlphaDropout: { rate: 0.5 }, MCDropout: { rate: 0.5 }, MCAlphaDropout: { rate: 0.5 },
  GaussianDropout: { rate: 0.5 }, GaussianNoise: { stddev: 1 },
};

/** Keras spellings that differ from the library's (Keras 3's InputLayer `shape`, tf.keras' LeakyReLU `alpha`). */
const KEY_ALIASES: Record<string, Record<string, string>> = {
  InputLayer: { shape: 'inputShape', batchShape: 'batchInputShape' },
  LeakyReLU: { alpha: 'negativeSlope' },
};

/** Layers a config cannot use: models, multi-input merges, and Lambda (its function is code). */
const NOT_IN_CONFIGS = new Set(['Model', 'Sequential', 'Lambda', 'Add', 'Concatenate']);

type LayerClass = typeof Layer & { fromConfig(config: Json): Layer };

/** The layer classes a config may name (registered layers, custom ones included). */
export function layerClassNames(): string[] {
  return registeredClassNames().filter((n) => {
    const cls = getClass<unknown>(n) as unknown as { prototype?: unknown };
    return !NOT_IN_CONFIGS.has(n) && cls.prototype instanceof Layer && !(cls.prototype instanceof Model) &&
      typeof (cls.prototype as Layer).callMany !== 'function';
  });
}

const keyCache = new Map<string, string[] | null>();

/** The config keys of a layer class (camelCase), from the config of a probe instance; null when it cannot be built bare. */
export function layerKeys(className: string): string[] | null {
  if (!keyCache.has(className)) {
    let keys: string[] | null = null;
    try {
      // an explicit name keeps the probe from using up an automatic name ('dense', 'dense_1', …)
      const probe = (getClass<Layer>(className) as unknown as LayerClass).fromConfig({ ...(PROBE_ARGS[className] ?? {}), name: '__gradflow_probe__' });
      keys = [...new Set([...BASE_KEYS, ...Object.keys(probe.getConfig())])];
    } catch { /* a custom layer with required options: the library checks its keys */ }
    keyCache.set(className, keys);
  }
  return keyCache.get(className)!;
}

/** An identifier-valued key's registry: the library getter and its names. */
function identifierKind(key: string): { what: string; get(id: unknown): unknown; names(): string[] } | null {
  if (key === 'activation') return { what: 'activation', get: (id) => activations.get(id as string), names: () => activations.activationNames() };
  if (key.endsWith('Initializer')) return { what: 'initializer', get: (id) => initializers.get(id as string), names: () => initializers.initializerNames() };
  if (key.endsWith('Regularizer')) return { what: 'regularizer', get: (id) => regularizers.get(id as string), names: () => regularizers.regularizerNames() };
  if (key.endsWith('Constraint')) return { what: 'constraint', get: (id) => constraints.get(id as string), names: () => constraints.constraintNames() };
  return null;
}

/**
 * An activation / initializer / regularizer / constraint value: a name or `{ class_name, config }`.
 * Returns the library form (camelCase config) and the Keras form; unknown names list the known ones.
 */
function readIdentifier(value: unknown, key: string, path: string): { lib: unknown; keras: unknown } {
  const kind = identifierKind(key);
  if (kind === null || value === null || value === undefined) return { lib: value, keras: value };
  if (typeof value === 'string') {
    try { kind.get(value); } catch {
      pickName(value, kind.names(), path, kind.what); // throws, with the list and a did-you-mean
    }
    return { lib: value, keras: value };
  }
  if (!isObject(value)) throw new ConfigError(path, `expected ${withArticle(kind.what)} name (one of: ${kind.names().join(', ')}) or { "class_name": …, "config": { … } }, got ${kindOf(value)}`);
  const spec = readClassSpec(value, path, kind.what);
  const config: Json = {};
  const keys = new Map<string, KeyEntry>();
  for (const [k, v] of Object.entries(spec.config)) { config[toCamel(k)] = v; keys.set(toCamel(k), { user: k, name: toCamel(k), value: v }); }
  const lib = { className: spec.className, config };
  try { kind.get(lib); } catch (e) {
    const message = (e as Error).message;
    if (/unknown/i.test(message) && message.includes(spec.className)) pickName(spec.className, kind.names(), spec.classPath, kind.what);
    throw libraryError(e, spec.configPath, keys);
  }
  return { lib, keras: { class_name: spec.className, config: Object.fromEntries(Object.entries(config).map(([k, v]) => [toSnake(k), v])) } };
}

/** One layer, checked and built; `inputShape` is given to a first layer that declares none. */
function buildLayer(value: unknown, path: string, inputShape: number[] | null): { layer: Layer; keras: Json } {
  const spec = readClassSpec(value, path, 'layer');
  const className = pickName(spec.className, layerClassNames(), spec.classPath, 'layer class');
  const known = layerKeys(className);
  const keys = known === null
    ? new Map(Object.entries(spec.config).map(([k, v]) => [toCamel(k), { user: k, name: toCamel(k), value: v }]))
    : readKeys(spec.config, known, spec.configPath, KEY_ALIASES[className]);
  const lib: Json = {};
  const keras: Json = {};
  for (const [name, e] of keys) {
    const id = readIdentifier(e.value, name, join(spec.configPath, e.user));
    lib[name] = id.lib;
    keras[toSnake(name)] = id.keras;
  }
  if (inputShape !== null && lib.inputShape === undefined && lib.batchInputShape === undefined) {
    lib.inputShape = inputShape;
    keras.input_shape = inputShape;
  }
  let layer: Layer;
  try {
    layer = (getClass<Layer>(className) as unknown as LayerClass).fromConfig(lib);
  } catch (e) {
    throw libraryError(e, spec.configPath, keys);
  }
  return { layer, keras: { class_name: className, config: keras } };
}

export interface ModelContext {
  /** One sample's shape in the dataset. */
  sampleShape: number[];
  classes: number;
  datasetTitle: string;
  /** Top-level training settings a preset needs. */
  epochs: number | undefined;
  batchSize: number | undefined;
  stepsPerEpoch: number;
}

export interface BuiltModel {
  model: Sequential;
  /** The resolved `model` section (Keras spelling). */
  keras: Json;
  /** With a preset: its compiled optimizer, loss and metrics, callbacks and fit defaults. */
  preset: { callbacks: Callback[]; epochs: number; batchSize: number; config: Json } | null;
}

/** Reads the `model` section: a list of layers, { layers }, a Keras Sequential config, or { preset, … }. */
export function buildModel(value: unknown, ctx: ModelContext, path = 'model'): BuiltModel {
  if (Array.isArray(value)) return buildSequential(value, path, ctx, undefined);
  const obj = expectObject(value, path, 'a list of layers, { "layers": [ … ] } or { "preset": "defaultDNN", … }');
  if ('preset' in obj) return buildPreset(obj, ctx, path);
  if ('class_name' in obj || 'className' in obj) {
    const spec = readClassSpec(obj, path, 'model');
    if (spec.className !== 'Sequential') throw new ConfigError(spec.classPath, `expected "Sequential" (a config describes a stack of layers), got ${show(spec.className)}`);
    return buildModel(spec.config, ctx, spec.configPath);
  }
  const keys = readKeys(obj, ['layers', 'name', 'trainable'], path);
  const layers = keys.get('layers');
  if (!layers) throw new ConfigError(path, 'missing "layers" (a list of { "class_name": …, "config": { … } }), or give "preset"');
  if (!Array.isArray(layers.value)) throw new ConfigError(join(path, layers.user), `expected a list of layers, got ${kindOf(layers.value)}`);
  const name = keys.get('name');
  if (name && (typeof name.value !== 'string' || name.value === '')) throw new ConfigError(join(path, name.user), `expected a model name (string), got ${kindOf(name.value)}`);
  return buildSequential(layers.value, join(path, layers.user), ctx, name?.value as string | undefined);
}

function buildSequential(specs: unknown[], path: string, ctx: ModelContext, name: string | undefined): BuiltModel {
  if (specs.length === 0) throw new ConfigError(path, 'expected at least one layer, got an empty list');
  const built = specs.map((s, i) => buildLayer(s, join(path, i), i === 0 ? ctx.sampleShape : null));
  const model = new Sequential([], name !== undefined ? { name } : {});
  built.forEach(({ layer }, i) => {
    try { model.add(layer); } catch (e) { throw libraryError(e, join(path, i)); }
  });
  const declared = model.batchInputShape ?? model.layers[0]?.batchInputShape;
  if (declared && declared.slice(1).join() !== ctx.sampleShape.join()) {
    const first = isObject(specs[0]) ? specs[0] : {};
    throw new ConfigError(join(path, 0), `the model's input shape [${declared.slice(1).join(', ')}] does not match one ${ctx.datasetTitle} sample, ` +
      `[${ctx.sampleShape.join(', ')}]${'input_shape' in (isObject(first.config) ? first.config : {}) ? '; remove input_shape (gradflow sets it from the dataset) or fix it' : ''}`);
  }
  const out = model.outputShape();
  const units = out?.[out.length - 1];
  if (typeof units === 'number' && units !== ctx.classes) {
    throw new ConfigError(join(path, specs.length - 1), `the last layer outputs ${units} values per sample, but ${ctx.datasetTitle} has ${ctx.classes} classes: ` +
      `end with a Dense(${ctx.classes}, softmax) layer`);
  }
  const keras: Json = { layers: built.map((b) => b.keras) };
  if (name !== undefined) keras.name = name;
  return { model, keras, preset: null };
}

/** Options a config may not give a preset: the CLI sets them from the dataset and the top level. */
const PRESET_FIXED: Record<string, string> = {
  inputShape: 'gradflow sets it from the dataset',
  numClasses: 'gradflow sets it from the dataset',
  outputs: 'the datasets are classification tasks (gradflow sets numClasses)',
  stepsPerEpoch: 'gradflow computes it from the training samples and batch_size',
  epochs: "give 'epochs' at the top level of the config",
  batchSize: "give 'batch_size' at the top level of the config",
};

const PRESETS: Record<string, (options: never) => presets.Preset> = {
  defaultDNN: presets.defaultDNN as (options: never) => presets.Preset,
  selfNormalizing: presets.selfNormalizing as (options: never) => presets.Preset,
};

function buildPreset(obj: Json, ctx: ModelContext, path: string): BuiltModel {
  const raw = obj.preset;
  if (typeof raw !== 'string') throw new ConfigError(join(path, 'preset'), `expected a preset name (one of: ${Object.keys(PRESETS).join(', ')}), got ${kindOf(raw)}`);
  const preset = pickName(raw, Object.keys(PRESETS), join(path, 'preset'), 'preset');
  const options: Json = {};
  const keys = new Map<string, KeyEntry>();
  for (const [user, value] of Object.entries(obj)) {
    if (user === 'preset') continue;
    const name = toCamel(user);
    if (PRESET_FIXED[name]) throw new ConfigError(join(path, user), `not an option here: ${PRESET_FIXED[name]}`);
    options[name] = value;
    keys.set(name, { user, name, value });
  }
  const schedule = options.schedule;
  let result: presets.Preset;
  try {
    result = PRESETS[preset]({
      ...options, inputShape: ctx.sampleShape, numClasses: ctx.classes,
      ...(ctx.epochs !== undefined ? { epochs: ctx.epochs } : {}), ...(ctx.batchSize !== undefined ? { batchSize: ctx.batchSize } : {}),
      ...(schedule === '1cycle' ? { stepsPerEpoch: ctx.stepsPerEpoch } : {}),
    } as never);
  } catch (e) {
    if (schedule === '1cycle' && ctx.epochs === undefined) throw new ConfigError('epochs', "required with the preset's schedule '1cycle' (the cycle spans the whole fit): give 'epochs' at the top level");
    throw libraryError(e, path, keys);
  }
  return {
    model: result.model,
    keras: { preset, ...snakeConfig(keys) },
    preset: {
      callbacks: result.callbacks, epochs: result.fitDefaults.epochs, batchSize: result.fitDefaults.batchSize,
      config: Object.fromEntries(Object.entries(result.config).map(([k, v]) => [toSnake(k), v])),
    },
  };
}

