/**
 * Model (Keras' Model): a layer that trains. Three ways to make one, as in Keras —
 *   functional: `new gf.Model({ inputs, outputs })` over symbolic tensors from `gf.input()`
 *               (several inputs and outputs, per-output losses and lossWeights);
 *   Sequential: a stack of layers (sequential.ts);
 *   subclassing: extend Model and override `call`.
 * Training is in training/loop.ts; this class holds the public API and the input checks.
 */
import { importNode } from '../utils/node-modules.js';
import { formatShape } from '../core/shape.js';
import { Tensor, type TensorLike } from '../core/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import * as optimizers from '../optimizers/index.js';
import * as losses from '../losses/index.js';
import { compileLosses, compileMetrics, perOutput, type LossIdentifier, type MetricIdentifier, type PerOutput } from '../training/compile.js';
import { assertFinite, checkBatchSize, gatherRows, permutation, takeRows, toDataTensor } from '../training/data.js';
import { collectLogs, evaluateBatch, evaluateBatches, LossTracker, predictBatches, resetMetrics, trainStep, type Compiled, type StepObserver } from '../training/loop.js';
import { Graph, type GraphConfig } from './graph.js';
import { registerClass } from '../saving/class-registry.js';
import { saveModel, writeFileAtomic } from '../saving/files.js';
import { decodeSafetensors, encodeSafetensors } from '../saving/safetensors.js';
import { summary } from './summary.js';

export interface ModelArgs extends LayerArgs {
  inputs?: SymbolicTensor | SymbolicTensor[];
  outputs?: SymbolicTensor | SymbolicTensor[];
}

export interface CompileArgs {
  optimizer: Optimizer | string;
  /** One loss for every output, a list (one per output) or a map by output name. */
  loss: PerOutput<LossIdentifier>;
  /** Weights of the outputs' losses in the total (auxiliary tasks), as a list or by name. */
  lossWeights?: number[] | Record<string, number>;
  /** Metrics for every output, or a map by output name. */
  metrics?: MetricIdentifier[] | Record<string, MetricIdentifier[]>;
}

/** One tensor per model input / output; a single tensor for single-input models. */
export type ModelData = TensorLike | TensorLike[];

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  validationData?: [ModelData, ModelData];
  /** Fraction of the data, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  shuffle?: boolean;
  callbacks?: Callback[];
  initialEpoch?: number;
  /**
   * 0 = silent; 1 = a live progress bar per epoch in a terminal, one line per epoch otherwise
   * (default); 2 = one line per epoch always (Keras' meanings).
   */
  verbose?: 0 | 1 | 2;
  /** Reject NaN/Inf in inputs and targets (default true). */
  checkFinite?: boolean;
}

export interface EvaluateArgs {
  batchSize?: number;
  callbacks?: Callback[];
  checkFinite?: boolean;
}

export class Model extends Layer {
  static override className = 'Model';
  /** Set by a callback (EarlyStopping, TerminateOnNaN, …) to end fit after the current batch. */
  stopTraining = false;
  protected override readonly castsInputs = false;
  protected graph: Graph | null = null;
  private compiled: Compiled | null = null;
  private compileArgs: CompileArgs | null = null;
  /**
   * Called by every training step after the backward pass, before the optimizer update; set by
   * gf.diagnostics.Monitor while it watches a fit. null (the default) costs nothing.
   */
  stepObserver: StepObserver | null = null;

  constructor(args: ModelArgs = {}) {
    super(args);
    if (args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs === undefined || args.outputs === undefined) {
        throw new TypeError(`Model '${this.name}': a functional model needs both inputs and outputs`);
      }
      this.graph = new Graph(args.inputs, args.outputs, this.name);
      this.built = true;
      if (this.graph.inputs.length === 1) this.builtInputShape = this.graph.inputs[0].shape;
    }
  }

  /** Layers in order (for functional models, input layers included, as Keras). */
  get layers(): Layer[] {
    return this.graph ? this.graph.layers.slice() : [];
  }

  override subLayers(): Layer[] {
    return this.layers;
  }

  get inputNames(): string[] {
    return this.graph ? this.graph.inputNames : ['input'];
  }

  get outputNames(): string[] {
    return this.graph ? this.graph.outputNames : [this.name];
  }

  getLayer(key: string | number): Layer {
    const layers = this.layers;
    const layer = typeof key === 'number' ? layers[key] : layers.find((l) => l.name === key);
    if (!layer) {
      throw new RangeError(`${this.name}.getLayer: no layer ${typeof key === 'number' ? `at index ${key}` : `named '${key}'`}; ` +
        `layers: ${layers.map((l) => l.name).join(', ')}`);
    }
    return layer;
  }

  /** Runs the model on concrete tensors: one per input, one result per output. */
  forward(xs: Tensor[], options: CallOptions): Tensor[] {
    if (this.graph) return this.graph.run(xs, options);
    if (xs.length !== 1) throw new RangeError(`${this.name}: expects 1 input, got ${xs.length}`);
    return [this.apply(xs[0], options)];
  }

  /** Single-input, single-output call (used when the model is nested as a layer). */
  call(x: Tensor, options: CallOptions): Tensor {
    if (!this.graph) {
      throw new Error(`${this.name}: a subclassed Model must override call(inputs, { training })`);
    }
    if (this.graph.inputs.length !== 1 || this.graph.outputs.length !== 1) {
      throw new Error(`${this.name}: a model with several inputs or outputs cannot be used as a single layer`);
    }
    return this.graph.run([x], options)[0];
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    if (!this.graph) throw new Error(`${this.name}: a subclassed Model must override computeOutputShape`);
    return [inputShape[0], ...this.graph.outputs[0].shape.slice(1)];
  }

  summaryRows(): Array<{ layer: Layer; outputShape: LayerShape | null }> {
    return this.graph ? this.graph.summaryRows() : [];
  }

  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** @internal The compiled losses, loss weights and optimizer (null before compile), for gf.diagnostics. */
  get compiledState(): Compiled | null {
    return this.compiled;
  }

  compile(args: CompileArgs): void {
    if (!args || args.loss === undefined) {
      throw new TypeError(`${this.name}.compile: a loss is required, e.g. compile({ optimizer: 'sgd', loss: 'mse' })`);
    }
    const outputNames = this.outputNames;
    const losses = compileLosses(args.loss, outputNames, this.name);
    const lossWeights = perOutput(args.lossWeights ?? 1, outputNames, 'lossWeights', this.name);
    for (const [i, w] of lossWeights.entries()) {
      if (typeof w !== 'number' || !(w >= 0)) throw new RangeError(`${this.name}.compile: lossWeights for '${outputNames[i]}' must be a number ≥ 0, got ${String(w)}`);
    }
    const metricLists = Array.isArray(args.metrics) || args.metrics === undefined
      ? outputNames.map(() => (args.metrics as MetricIdentifier[] | undefined) ?? [])
      : perOutput(args.metrics as Record<string, MetricIdentifier[]>, outputNames, 'metrics', this.name, []);
    this.compileArgs = args;
    this.compiled = {
      optimizer: optimizers.get(args.optimizer ?? 'rmsprop'),
      outputNames,
      losses,
      lossWeights,
      metrics: metricLists.map((list, i) => compileMetrics(list, losses[i])),
    };
  }

  private requireCompiled(where: string): Compiled {
    if (!this.compiled) {
      throw new Error(`${this.name}.${where}: the model must be compiled first: call model.compile({ optimizer, loss, metrics })`);
    }
    return this.compiled;
  }

  /** Coerces x / y to one tensor per input / output, with matching sample counts. */
  private toLists(x: ModelData, y: ModelData | null, where: string, checkFinite: boolean): { xs: Tensor[]; ys: Tensor[] } {
    const nIn = this.graph ? this.graph.inputs.length : 1;
    const nOut = this.outputNames.length;
    const xs = toList(x, nIn, `${where} x`, this.inputNames);
    const ys = y === null ? [] : toList(y, nOut, `${where} y`, this.outputNames);
    const n = xs[0].shape[0];
    for (const [what, list] of [['x', xs], ['y', ys]] as const) {
      list.forEach((t, i) => {
        if (t.rank === 0 || t.shape[0] !== n) {
          throw new RangeError(`${this.name}.${where}: every input and target needs the same number of samples: ` +
            `x${xs.length > 1 ? '[0]' : ''} has ${n}, ${what}${list.length > 1 ? `[${i}]` : ''} ${formatShape(t.shape)} has ${t.shape[0] ?? 0}`);
        }
        if (checkFinite) assertFinite(t, `${this.name}.${where} ${what}${list.length > 1 ? `[${i}]` : ''}`);
      });
    }
    return { xs, ys };
  }

  /**
   * Sparse labels checked once, before training, against the output's class count: the error
   * names the sample in the data set (a check per batch could only name a shuffled position).
   */
  private checkSparseLabels(c: Compiled, ys: Tensor[], what: string): void {
    c.losses.forEach((compiled, i) => {
      if (!(compiled.loss instanceof losses.SparseCategoricalCrossentropy)) return;
      const outShape = this.graph ? this.graph.outputs[i].shape : this.built && this.builtInputShape ? this.computeOutputShape(this.builtInputShape) : null;
      const classes = outShape?.[outShape.length - 1];
      if (typeof classes !== 'number') return; // not built yet: the loss checks each batch
      const labels = ys[i].data;
      const perSample = labels.length / Math.max(ys[i].shape[0], 1);
      for (let s = 0; s < labels.length; s++) {
        const v = labels[s];
        if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
          throw new RangeError(`${this.name}.${what}${ys.length > 1 ? `[${i}]` : ''}: label ${v} of sample ${Math.floor(s / perSample)} is out of range ` +
            `for sparse_categorical_crossentropy over ${classes} classes (expected integers 0 … ${classes - 1})`);
        }
      }
    });
  }

  /** One optimizer step on a batch; returns the batch's loss and metrics. */
  trainOnBatch(x: ModelData, y: ModelData): Logs {
    const c = this.requireCompiled('trainOnBatch');
    const { xs, ys } = this.toLists(x, y, 'trainOnBatch', true);
    resetMetrics(c);
    const tracker = new LossTracker();
    trainStep(this, c, xs, ys, tracker);
    return collectLogs(c, tracker);
  }

  /** Loss and metrics of one batch in inference mode. */
  testOnBatch(x: ModelData, y: ModelData): Logs {
    const c = this.requireCompiled('testOnBatch');
    const { xs, ys } = this.toLists(x, y, 'testOnBatch', true);
    return evaluateBatches(this, c, xs, ys, xs[0].shape[0] || 1);
  }

  async fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    const c = this.requireCompiled('fit');
    const epochs = args.epochs ?? 1;
    const batchSize = checkBatchSize(args.batchSize ?? 32, `${this.name}.fit`);
    if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`${this.name}.fit: epochs must be a non-negative integer, got ${epochs}`);
    const checkFinite = args.checkFinite ?? true;
    let { xs, ys } = this.toLists(x, y, 'fit', checkFinite);
    let validation: { xs: Tensor[]; ys: Tensor[] } | null = null;
    if (args.validationData) {
      validation = this.toLists(args.validationData[0], args.validationData[1], 'fit validationData', checkFinite);
    } else if (args.validationSplit !== undefined && args.validationSplit !== 0) {
      const split = args.validationSplit;
      if (!(split > 0 && split < 1)) throw new RangeError(`${this.name}.fit: validationSplit must be in (0, 1), got ${split}`);
      const total = xs[0].shape[0];
      const nTrain = Math.floor(total * (1 - split));
      const rows = (list: Tensor[], start: number, count: number) => list.map((t) => takeRows(t, start, count));
      validation = { xs: rows(xs, nTrain, total - nTrain), ys: rows(ys, nTrain, total - nTrain) };
      xs = rows(xs, 0, nTrain);
      ys = rows(ys, 0, nTrain);
    }
    const n = xs[0].shape[0];
    if (n === 0) throw new RangeError(`${this.name}.fit: x has no samples (shape ${formatShape(xs[0].shape)})`);
    this.checkSparseLabels(c, ys, 'fit y');
    if (validation) this.checkSparseLabels(c, validation.ys, 'fit validation y');
    const steps = Math.ceil(n / batchSize);
    const verbose = args.verbose ?? 1;
    // as Keras 2: the progress bar first (its epoch line precedes callbacks' messages), History
    // last (it records what callbacks add to the logs); a History or ProgbarLogger passed in is used
    const userCallbacks = args.callbacks ?? [];
    const history = userCallbacks.find((cb): cb is History => cb instanceof History) ?? new History();
    const progbar = verbose && !userCallbacks.some((cb) => cb instanceof ProgbarLogger) ? [new ProgbarLogger()] : [];
    const callbacks = new CallbackList([...progbar, ...userCallbacks, ...(userCallbacks.includes(history) ? [] : [history])]);
    for (const cb of callbacks.callbacks) {
      cb.setModel(this);
      cb.setParams({ epochs, steps, batchSize, samples: n, verbose });
    }
    this.stopTraining = false;
    await callbacks.call('onTrainBegin');
    for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !this.stopTraining; epoch++) {
      await callbacks.callIndexed('onEpochBegin', epoch);
      resetMetrics(c);
      const tracker = new LossTracker();
      const order = (args.shuffle ?? true) ? permutation(n) : null;
      for (let step = 0; step < steps && !this.stopTraining; step++) {
        const start = step * batchSize, count = Math.min(batchSize, n - start);
        const batch = (t: Tensor) => (order ? gatherRows(t, order.subarray(start, start + count)) : takeRows(t, start, count));
        await callbacks.callIndexed('onTrainBatchBegin', step);
        trainStep(this, c, xs.map(batch), ys.map(batch), tracker);
        await callbacks.callIndexed('onTrainBatchEnd', step, collectLogs(c, tracker));
      }
      const logs = collectLogs(c, tracker);
      if (validation) {
        const val = evaluateBatches(this, c, validation.xs, validation.ys, batchSize);
        for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      }
      logs.lr = c.optimizer.learningRate;
      await callbacks.callIndexed('onEpochEnd', epoch, logs);
      // yield to the event loop between epochs so UIs and timers stay alive
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await callbacks.call('onTrainEnd');
    return history;
  }

  /** Loss and metrics over a data set, in inference mode: `{ loss, accuracy, … }`. */
  async evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Promise<Logs> {
    const c = this.requireCompiled('evaluate');
    const { xs, ys } = this.toLists(x, y, 'evaluate', args.checkFinite ?? true);
    const callbacks = new CallbackList(args.callbacks ?? []);
    for (const cb of callbacks.callbacks) cb.setModel(this);
    const batchSize = checkBatchSize(args.batchSize ?? 32, `${this.name}.evaluate`);
    await callbacks.call('onTestBegin');
    resetMetrics(c);
    const tracker = new LossTracker();
    for (let start = 0, batch = 0; start < xs[0].shape[0]; start += batchSize, batch++) {
      await callbacks.callIndexed('onTestBatchBegin', batch);
      evaluateBatch(this, c, xs, ys, start, batchSize, tracker);
      await callbacks.callIndexed('onTestBatchEnd', batch, collectLogs(c, tracker));
    }
    const logs = collectLogs(c, tracker);
    await callbacks.call('onTestEnd', logs);
    return logs;
  }

  /** Outputs for `x` in inference mode, computed in batches (a list for multi-output models). */
  async predict(x: ModelData, args: { batchSize?: number; callbacks?: Callback[] } = {}): Promise<Tensor> {
    const result = await this.predictAll(x, args);
    if (result.length !== 1) {
      throw new Error(`${this.name}.predict: the model has ${result.length} outputs; use predictAll() to get one tensor per output`);
    }
    return result[0];
  }

  /** Outputs for `x`, one tensor per model output. */
  async predictAll(x: ModelData, args: { batchSize?: number; callbacks?: Callback[] } = {}): Promise<Tensor[]> {
    const { xs } = this.toLists(x, null, 'predict', false);
    if (xs[0].shape[0] === 0) throw new RangeError(`${this.name}.predict: x has no samples (shape ${formatShape(xs[0].shape)})`);
    const callbacks = new CallbackList(args.callbacks ?? []);
    await callbacks.call('onPredictBegin');
    const out = predictBatches(this, xs, checkBatchSize(args.batchSize ?? 32, `${this.name}.predict`));
    await callbacks.call('onPredictEnd');
    return out;
  }

  /** Name, trainable and input shape: the part of the config every model shares. */
  protected baseConfig(): LayerConfig {
    return super.getConfig();
  }

  override getConfig(): LayerConfig {
    if (!this.graph) {
      throw new Error(`${this.name}: a subclassed Model has no config; override getConfig/fromConfig to make it serializable`);
    }
    const { name, trainable } = this.baseConfig();
    return { name, trainable, ...this.graph.toConfig() };
  }

  static override fromConfig<T extends Layer>(this: new (...args: any[]) => T, config: LayerConfig): T {
    const { inputs, outputs } = Graph.fromConfig(config as unknown as GraphConfig);
    const model = new this({ name: config.name, inputs, outputs });
    if (config.trainable === false) model.trainable = false;
    return model;
  }

  /** The compile settings as plain data (for saving), or null when not compiled / not serializable. */
  compileConfig(): Record<string, unknown> | null {
    if (!this.compileArgs) return null;
    const { loss, lossWeights, metrics } = this.compileArgs;
    try {
      return { loss: toPlainConfig(loss), lossWeights: lossWeights ?? null, metrics: toPlainConfig(metrics ?? []) };
    } catch {
      return null; // e.g. a custom loss function: weights still save, the loaded model needs compile()
    }
  }

  /**
   * Saves architecture, weights and (when compiled) optimizer state to one safetensors file,
   * atomically. `gf.loadModel(path)` restores it; training resumes where it stopped.
   */
  async save(path: string): Promise<void> {
    await saveModel(this, path);
  }

  /**
   * Saves only the weights (in `weights` order; no architecture, no optimizer state) to a
   * safetensors file, atomically. `loadWeights(path)` puts them into a model of the same
   * architecture (matched by position, as Keras' weights files; layer names may differ).
   */
  async saveWeights(path: string): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError(`${this.name}.saveWeights: expected a file path, got ${JSON.stringify(path)}`);
    const keys = this.weights.map((w, i) => `${i}:${w.name}`);
    const tensors = new Map<string, Tensor>(this.weights.map((w, i) => [keys[i], w]));
    await writeFileAtomic(path, encodeSafetensors(tensors, { format: 'gradflow-weights', weights: JSON.stringify(keys) }));
  }

  /** Loads weights saved with `saveWeights(path)`; counts, shapes and dtypes are checked. */
  async loadWeights(path: string): Promise<void> {
    const fs = await importNode('node:fs/promises');
    const source = `${this.name}.loadWeights('${path}')`;
    const bytes = await fs.readFile(path).catch((e: Error) => { throw new Error(`${source}: cannot read the file: ${e.message}`); });
    const { tensors, metadata } = decodeSafetensors(bytes, source);
    if (metadata.format !== 'gradflow-weights') throw new Error(`${source}: not a weights file written by saveWeights (format ${JSON.stringify(metadata.format)})`);
    const keys = JSON.parse(metadata.weights ?? '[]') as string[];
    const weights = this.weights;
    if (keys.length !== weights.length) throw new Error(`${source}: the file has ${keys.length} weights, the model has ${weights.length}`);
    weights.forEach((w, i) => {
      const t = tensors.get(keys[i]);
      if (!t || t.shape.join() !== w.shape.join() || t.dtype !== w.dtype) {
        throw new Error(`${source}: weight ${i} ('${keys[i]}') is ${t ? `${t.dtype} ${formatShape(t.shape)}` : 'missing'}; ` +
          `the model's '${w.name}' is ${w.dtype} ${formatShape(w.shape)}`);
      }
    });
    weights.forEach((w, i) => w.assign(tensors.get(keys[i])!));
  }

  /** Prints (unless `print` is null) and returns the Keras-style summary table. */
  summary(print: ((line: string) => void) | null = console.log): string {
    const text = summary(this);
    if (print) print(text);
    return text;
  }

}

/** Identifiers as JSON: names stay, objects with a className become { className, config }. */
function toPlainConfig(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number') return value ?? null;
  if (typeof value === 'function') throw new TypeError('functions are not serializable');
  if (Array.isArray(value)) return value.map(toPlainConfig);
  const obj = value as { getConfig?: () => unknown; constructor: { className?: string } };
  if (typeof obj.getConfig === 'function' && obj.constructor.className) {
    return { className: obj.constructor.className, config: obj.getConfig() };
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toPlainConfig(v)]));
  }
  throw new TypeError('not serializable');
}

function toList(data: ModelData, expected: number, what: string, names: string[]): Tensor[] {
  const isList = Array.isArray(data) && data.length > 0 && (data[0] instanceof Tensor || ArrayBuffer.isView(data[0]));
  const list = isList ? (data as TensorLike[]).map((d, i) => toDataTensor(d, `${what}[${i}]`)) : [toDataTensor(data as TensorLike, what)];
  if (list.length !== expected) {
    throw new RangeError(`${what}: the model has ${expected} ${what.endsWith('y') ? 'output' : 'input'}(s) (${names.join(', ')}), got ${list.length} tensor(s)`);
  }
  return list;
}

registerClass(Model);
