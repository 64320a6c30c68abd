/**
 * The compile and fit parts of a train config: `optimizer` (a name or
 * { "class_name": "SGD", "config": { "learning_rate": 0.01 | { "class_name": "ExponentialDecay", … }, … } }),
 * `loss`, `metrics` and `callbacks`, each checked and built before any data is loaded.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Callback } from '../../callbacks/callback.js';
import * as callbacks from '../../callbacks/index.js';
import * as losses from '../../losses/index.js';
import * as metrics from '../../metrics/index.js';
import * as optimizers from '../../optimizers/index.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import * as schedules from '../../schedules/index.js';
import { ConfigError, kindOf } from '../io.js';
import { toCamel, toSnake } from '../suggest.js';
import {
  camelConfig, check, isObject, join, libraryError, pickName, readClassSpec, readKeys, snakeConfig, type Json, type KeyEntry,
} from './keys.js';

const snakeKeys = (o: Json): Json => Object.fromEntries(Object.entries(o).map(([k, v]) => [toSnake(k), v]));

/** Every key of a `{ class_name, config }` config, camelCased, for constructors that check keys themselves. */
function looseKeys(config: Json): Map<string, KeyEntry> {
  return new Map(Object.entries(config).map(([user, value]) => [toCamel(user), { user, name: toCamel(user), value }]));
}

export interface ScheduleContext {
  /** Optimizer steps of the whole fit (epochs × steps per epoch): OneCycle's default total_steps. */
  totalSteps: number;
}

/** A learning-rate schedule `{ class_name, config }` (any Keras spelling of the class and keys). */
export function buildSchedule(value: unknown, path: string, ctx: ScheduleContext): { schedule: schedules.LearningRateSchedule; keras: Json } {
  const spec = readClassSpec(value, path, 'learning-rate schedule');
  const known = schedules.scheduleNames().map((n) => schedules.scheduleClass(n).className);
  const className = pickName(spec.className, [...known, ...schedules.scheduleNames()], spec.classPath, 'learning-rate schedule', known);
  const cls = schedules.scheduleClass(className);
  const keys = looseKeys(spec.config);
  const config = camelConfig(keys);
  // 1cycle spans the whole fit: without total_steps it is epochs × steps per epoch
  if (cls.className === 'OneCycle' && config.totalSteps === undefined) config.totalSteps = ctx.totalSteps;
  let schedule: schedules.LearningRateSchedule;
  try { schedule = cls.fromConfig(config); } catch (e) { throw libraryError(e, spec.configPath, keys); }
  return { schedule, keras: { class_name: cls.className, config: snakeKeys(config) } };
}

const optimizerKeyCache = new Map<string, string[]>();

function optimizerKeys(cls: optimizers.OptimizerClass): string[] {
  if (!optimizerKeyCache.has(cls.className)) optimizerKeyCache.set(cls.className, Object.keys(new cls().getConfig()));
  return optimizerKeyCache.get(cls.className)!;
}

/** The optimizer: a name ('sgd', 'adam', …: default hyper-parameters) or `{ class_name, config }`. */
export function buildOptimizer(value: unknown, ctx: ScheduleContext, path = 'optimizer'): { optimizer: Optimizer; keras: unknown } {
  const names = optimizers.optimizerNames();
  const classNames = names.map((n) => optimizers.optimizerClass(n).className);
  if (typeof value === 'string') {
    const name = pickName(value, [...classNames, ...names], path, 'optimizer', names);
    return { optimizer: new (optimizers.optimizerClass(name))(), keras: value };
  }
  if (!isObject(value)) throw new ConfigError(path, `expected an optimizer name (one of: ${names.join(', ')}) or { "class_name": "SGD", "config": { … } }, got ${kindOf(value)}`);
  const spec = readClassSpec(value, path, 'optimizer');
  const cls = optimizers.optimizerClass(pickName(spec.className, [...classNames, ...names], spec.classPath, 'optimizer', classNames));
  const keys = readKeys(spec.config, optimizerKeys(cls), spec.configPath);
  const config = camelConfig(keys);
  const values: Json = {};
  const lr = keys.get('learningRate');
  if (lr && isObject(lr.value)) {
    const s = buildSchedule(lr.value, join(spec.configPath, lr.user), ctx);
    config.learningRate = s.schedule;
    values.learningRate = s.keras;
  }
  let optimizer: Optimizer;
  try { optimizer = new cls(config); } catch (e) { throw libraryError(e, spec.configPath, keys); }
  return { optimizer, keras: { class_name: cls.className, config: snakeConfig(keys, values) } };
}

/** The loss: a name ('sparse_categorical_crossentropy', 'mse', …) or `{ class_name, config }`. */
export function buildLoss(value: unknown, path = 'loss'): { loss: string | { className: string; config: Json }; keras: unknown } {
  if (typeof value === 'string') {
    try { losses.get(value); } catch { pickName(value, losses.lossNames(), path, 'loss'); }
    return { loss: value, keras: value };
  }
  if (!isObject(value)) throw new ConfigError(path, `expected a loss name (one of: ${losses.lossNames().join(', ')}) or { "class_name": …, "config": { … } }, got ${kindOf(value)}`);
  const spec = readClassSpec(value, path, 'loss');
  try { losses.get(spec.className); } catch { pickName(spec.className, losses.lossNames(), spec.classPath, 'loss'); }
  const keys = looseKeys(spec.config);
  const loss = { className: spec.className, config: camelConfig(keys) };
  try { losses.get(loss); } catch (e) { throw libraryError(e, spec.configPath, keys); }
  return { loss, keras: { class_name: spec.className, config: snakeKeys(loss.config) } };
}

/** The metrics: a list of names ('accuracy', …) or `{ class_name, config }` objects. */
export function buildMetrics(value: unknown, loss: unknown, path = 'metrics'): { metrics: Array<string | { className: string; config: Json }>; keras: unknown[] } {
  check(Array.isArray(value), path, "a list of metrics, e.g. [\"accuracy\"]", value);
  const list = value as unknown[];
  const names = metrics.metricNames().filter((n) => n !== 'ShapeResolvedMetric');
  const out: Array<string | { className: string; config: Json }> = [];
  const keras: unknown[] = [];
  list.forEach((m, i) => {
    const at = join(path, i);
    if (typeof m === 'string') {
      try { metrics.resolveMetric(m, loss as losses.LossIdentifier); } catch { pickName(m, names, at, 'metric'); }
      out.push(m); keras.push(m);
      return;
    }
    if (!isObject(m)) throw new ConfigError(at, `expected a metric name (one of: ${names.join(', ')}) or { "class_name": …, "config": { … } }, got ${kindOf(m)}`);
    const spec = readClassSpec(m, at, 'metric');
    try { metrics.getMetricClass(spec.className); } catch { pickName(spec.className, names, spec.classPath, 'metric'); }
    const keys = looseKeys(spec.config);
    const metric = { className: spec.className, config: camelConfig(keys) };
    try { metrics.resolveMetric(metric, loss as losses.LossIdentifier); } catch (e) { throw libraryError(e, spec.configPath, keys); }
    out.push(metric); keras.push({ class_name: spec.className, config: snakeKeys(metric.config) });
  });
  return { metrics: out, keras };
}

/** What callbacks need from the run: its folder (relative file names resolve there) and where lines go. */
export interface CallbackContext extends ScheduleContext {
  runDir: string;
  /** Epochs of the fit: the length of a per-epoch OneCycle in LearningRateScheduler. */
  epochs: number;
  print: (line: string) => void;
}

interface CallbackEntry {
  keys: readonly string[];
  required?: readonly string[];
  build(config: Json, ctx: CallbackContext, path: string, keys: Map<string, KeyEntry>): { callback: Callback; keras?: Json };
}

const inRunDir = (file: unknown, ctx: CallbackContext): string => (isAbsolute(file as string) ? (file as string) : resolve(ctx.runDir, file as string));

/** The callbacks a config can name, with their keys (camelCase; snake_case accepted). */
const CALLBACKS: Record<string, CallbackEntry> = {
  EarlyStopping: {
    keys: ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'verbose'],
    build: (c) => ({ callback: new callbacks.EarlyStopping(c) }),
  },
  ReduceLROnPlateau: {
    keys: ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose'],
    build: (c) => ({ callback: new callbacks.ReduceLROnPlateau(c) }),
  },
  ModelCheckpoint: {
    keys: ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold'],
    required: ['filepath'],
    build: (c, ctx, path, keys) => {
      check(typeof c.filepath === 'string' && c.filepath !== '', join(path, keys.get('filepath')!.user),
        "a file name template relative to the run folder, e.g. 'checkpoints/model-{epoch:02d}.safetensors'", c.filepath);
      const { filepath, ...rest } = c;
      return { callback: new callbacks.ModelCheckpoint(inRunDir(filepath, ctx), rest) };
    },
  },
  CSVLogger: {
    keys: ['filename', 'separator', 'append'],
    required: ['filename'],
    build: (c, ctx, path, keys) => {
      check(typeof c.filename === 'string' && c.filename !== '', join(path, keys.get('filename')!.user), "a file name relative to the run folder, e.g. 'log.csv'", c.filename);
      return { callback: new callbacks.CSVLogger(inRunDir(c.filename, ctx), (c.separator as string | undefined) ?? ',', (c.append as boolean | undefined) ?? false) };
    },
  },
  TerminateOnNaN: { keys: [], build: (_c, ctx) => ({ callback: new callbacks.TerminateOnNaN(ctx.print) }) },
  LearningRateScheduler: {
    // Keras takes a Python function; a config gives a schedule evaluated at the (0-based) epoch,
    // e.g. the chapter's 0.01 · 0.1^(epoch / 20) = ExponentialDecay(0.01, decay_steps 20, decay_rate 0.1)
    keys: ['schedule', 'verbose'],
    required: ['schedule'],
    build: (c, ctx, path, keys) => {
      const s = buildSchedule(c.schedule, join(path, keys.get('schedule')!.user), { totalSteps: ctx.epochs });
      const verbose = (c.verbose as 0 | 1 | undefined) ?? 0;
      check(verbose === 0 || verbose === 1, join(path, keys.get('verbose')?.user ?? 'verbose'), '0 or 1', c.verbose);
      return { callback: new callbacks.LearningRateScheduler((epoch) => s.schedule.call(epoch), verbose), keras: { schedule: s.keras, verbose } };
    },
  },
};

/** Callbacks gradflow adds itself. */
const AUTOMATIC: Record<string, string> = {
  History: 'gradflow train records the history itself (history.json, history.csv)',
  ProgbarLogger: 'gradflow train shows a progress bar itself (--quiet turns it off)',
};

export const callbackNames = (): string[] => Object.keys(CALLBACKS);

/** The `callbacks` list: `{ class_name, config }` of EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, CSVLogger, … */
export function buildCallbacks(value: unknown, ctx: CallbackContext, path = 'callbacks'): { callbacks: Callback[]; keras: Json[] } {
  check(Array.isArray(value), path, 'a list of callbacks, e.g. [{ "class_name": "EarlyStopping", "config": { "patience": 5 } }]', value);
  const out: Callback[] = [];
  const keras: Json[] = [];
  (value as unknown[]).forEach((item, i) => {
    const spec = readClassSpec(item, join(path, i), 'callback');
    const auto = Object.keys(AUTOMATIC).find((k) => k.toLowerCase() === spec.className.toLowerCase());
    if (auto) throw new ConfigError(spec.classPath, `${auto} is not needed: ${AUTOMATIC[auto]}`);
    const name = pickName(spec.className, Object.keys(CALLBACKS), spec.classPath, 'callback');
    const entry = CALLBACKS[name];
    const keys = readKeys(spec.config, entry.keys, spec.configPath);
    for (const r of entry.required ?? []) {
      if (!keys.has(r)) throw new ConfigError(join(spec.configPath, toSnake(r)), `required by ${name}`);
    }
    try {
      const built = entry.build(camelConfig(keys), ctx, spec.configPath, keys);
      out.push(built.callback);
      keras.push({ class_name: name, config: built.keras ?? snakeConfig(keys) });
    } catch (e) {
      throw libraryError(e, spec.configPath, keys);
    }
  });
  return { callbacks: out, keras };
}
