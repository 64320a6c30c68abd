/**
 * The options both presets share, their validation, and the resolved configuration a preset
 * reports back. Every check names the preset and the option, and says what was expected: a
 * preset is often the first thing a newcomer calls, so a typo must not be silently ignored.
 */

/** What the network predicts; it picks the output layer, the loss and the metric. */
export type PresetTask = 'classification' | 'multilabel' | 'regression';
/** The optimizers the chapter recommends (Nesterov, AdamW) and the plain ones to compare with. */
export type PresetOptimizer = 'nesterov' | 'adamw' | 'sgd' | 'adam' | 'nadam';
/** Performance scheduling (ReduceLROnPlateau), 1cycle, or a constant rate. */
export type PresetSchedule = 'performance' | '1cycle' | 'none';

export interface CommonPresetOptions {
  /** Shape of one sample, e.g. [28, 28] (flattened by the first layer) or [8]. */
  inputShape: readonly number[];
  /** Classification: the number of classes (≥ 2; 2 gives one sigmoid unit). */
  numClasses?: number;
  /** Regression or multilabel: the number of output units. */
  outputs?: number;
  /** Default: 'classification' with numClasses, 'regression' with outputs. */
  task?: PresetTask;
  /** Hidden Dense layers (default 3, or units.length). */
  hiddenLayers?: number;
  /** Units per hidden layer: one number for all, or one per layer (default 100). */
  units?: number | readonly number[];
  optimizer?: PresetOptimizer;
  /** The (peak, with 1cycle) learning rate; defaults depend on the optimizer and schedule. */
  learningRate?: number;
  /** SGD momentum for 'nesterov' (default 0.9); with 1cycle the momentum cycles 0.95 → 0.85 → 0.95 instead. */
  momentum?: number;
  /** Decoupled weight decay of 'adamw' (default 1e-4). */
  weightDecay?: number;
  schedule?: PresetSchedule;
  /** Epochs of the fit (required by 1cycle, whose length is fixed; default 100, early stopping ends sooner). */
  epochs?: number;
  /** Optimizer steps per epoch, ⌈samples / batchSize⌉ (required by 1cycle). */
  stepsPerEpoch?: number;
  /** Default 32. */
  batchSize?: number;
  /** Early-stopping patience in epochs (default 10; null turns early stopping off; off by default with 1cycle). */
  patience?: number | null;
  /** The model's name. */
  name?: string;
}

/** The choices a preset made, as plain data (for logs, reports and tests). */
export interface ResolvedPresetConfig {
  preset: 'defaultDNN' | 'selfNormalizing';
  task: PresetTask;
  outputUnits: number;
  outputActivation: 'softmax' | 'sigmoid' | 'linear';
  loss: string;
  metrics: string[];
  hiddenUnits: number[];
  activation: string;
  kernelInitializer: 'he_normal' | 'lecun_normal';
  batchNormalization: boolean;
  dropout: number;
  alphaDropout: number;
  l2: number;
  optimizer: PresetOptimizer;
  learningRate: number;
  momentum: number | null;
  weightDecay: number | null;
  schedule: PresetSchedule;
  cycleMomentum: boolean;
  earlyStoppingPatience: number | null;
  reduceLrPatience: number | null;
  epochs: number;
  batchSize: number;
}

export const COMMON_KEYS = [
  'inputShape', 'numClasses', 'outputs', 'task', 'hiddenLayers', 'units', 'optimizer', 'learningRate', 'momentum',
  'weightDecay', 'schedule', 'epochs', 'stepsPerEpoch', 'batchSize', 'patience', 'name',
] as const;

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? JSON.stringify(v) : String(v));

/** Rejects unknown keys (with a did-you-mean for snake_case or miscapitalized names). */
export function checkKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key) || (options as Record<string, unknown>)[key] === undefined) continue;
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).toLowerCase();
    const hint = known.find((k) => k.toLowerCase() === camel);
    throw new TypeError(`${where}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${known.join(', ')}`);
  }
}

export function positiveInteger(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${show(value)}`);
  }
  return value;
}

export function positiveNumber(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${show(value)}`);
  }
  return value;
}

export function nonNegative(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${show(value)}`);
  }
  return value;
}

/** A rate in [0, 1): dropout, alpha dropout, momentum. */
export function unitInterval(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${where}: ${name} must be a number in [0, 1), got ${show(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, where: string, hint = ''): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new RangeError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}${hint}`);
  }
  return value as T;
}

export function checkInputShape(value: unknown, where: string): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
    throw new RangeError(`${where}: inputShape must be a non-empty array of positive integers (one sample's shape, e.g. [28, 28]), got ${show(value)}`);
  }
  return value.slice() as number[];
}

/** hiddenLayers and units → the unit count of each hidden layer. */
export function hiddenUnits(options: CommonPresetOptions, where: string): number[] {
  const { units } = options;
  if (Array.isArray(units)) {
    if (units.length === 0) throw new RangeError(`${where}: units must be a positive integer or a non-empty array of them, got []`);
    units.forEach((u, i) => positiveInteger(u, `units[${i}]`, where));
    if (options.hiddenLayers !== undefined && positiveInteger(options.hiddenLayers, 'hiddenLayers', where) !== units.length) {
      throw new RangeError(`${where}: units has ${units.length} entries but hiddenLayers is ${options.hiddenLayers}; give one unit count per hidden layer`);
    }
    return units.slice() as number[];
  }
  const layers = options.hiddenLayers === undefined ? 3 : positiveInteger(options.hiddenLayers, 'hiddenLayers', where);
  const each = units === undefined ? 100 : positiveInteger(units, 'units', where);
  return new Array<number>(layers).fill(each);
}

export interface OutputSpec {
  task: PresetTask;
  units: number;
  activation: 'softmax' | 'sigmoid' | 'linear';
  loss: string;
  metrics: string[];
}

/**
 * The output layer, loss and metric for the task: softmax + sparse categorical cross-entropy
 * for ≥ 3 classes, one sigmoid unit + binary cross-entropy for 2 classes or per label, a linear
 * layer + MSE (reporting MAE) for regression (Hands-On ML, ch. 10, "Regression MLPs" and
 * "Classification MLPs").
 */
export function outputSpec(options: CommonPresetOptions, where: string): OutputSpec {
  const { numClasses, outputs } = options;
  if (numClasses !== undefined && outputs !== undefined) {
    throw new TypeError(`${where}: give numClasses (classification) or outputs (regression, multilabel), not both`);
  }
  const task = options.task === undefined
    ? (numClasses !== undefined ? 'classification' : outputs !== undefined ? 'regression' : null)
    : oneOf(options.task, ['classification', 'multilabel', 'regression'] as const, 'task', where);
  if (task === null) throw new TypeError(`${where}: say what to predict: numClasses (classification) or outputs (regression, multilabel)`);
  if (task === 'classification') {
    if (numClasses === undefined) throw new TypeError(`${where}: task 'classification' needs numClasses (the number of classes), not outputs`);
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 2) {
      throw new RangeError(`${where}: numClasses must be an integer ≥ 2, got ${show(numClasses)}`);
    }
    return numClasses === 2
      ? { task, units: 1, activation: 'sigmoid', loss: 'binary_crossentropy', metrics: ['accuracy'] }
      : { task, units: numClasses, activation: 'softmax', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
  }
  if (outputs === undefined) throw new TypeError(`${where}: task '${task}' needs outputs (the number of output units), not numClasses`);
  const units = positiveInteger(outputs, 'outputs', where);
  return task === 'multilabel'
    ? { task, units, activation: 'sigmoid', loss: 'binary_crossentropy', metrics: ['accuracy'] }
    : { task, units, activation: 'linear', loss: 'mse', metrics: ['mae'] };
}
