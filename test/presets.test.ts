/**
 * The presets (src/presets): the architecture each builds (shapes, initializers, activations,
 * batch norm, dropout, ℓ2), the compile configuration (loss, metrics, optimizer and schedule),
 * the callbacks and fit defaults, a small fit that learns, every option error, and the config
 * and save/load round trips of the models they return.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { defaultDNN, selfNormalizing, type Preset } from '../src/presets/index.js';

const dense = (m: gf.Model): gf.layers.Dense[] => m.layers.filter((l): l is gf.layers.Dense => l instanceof gf.layers.Dense);
const cfg = (l: gf.layers.Layer): Record<string, any> => l.getConfig() as Record<string, any>;
const className = (v: unknown): string | undefined => (typeof v === 'string' ? v : (v as { className?: string } | null)?.className);
const ofClass = (m: gf.Model, cls: new (...args: any[]) => gf.layers.Layer): gf.layers.Layer[] => m.layers.filter((l) => l instanceof cls);
const sizes = (ws: gf.layers.Variable[]): number => ws.reduce((n, w) => n + w.size, 0);

/** One Gaussian blob per class in 8-D (centers from `seed`, spread 0.5), split into train and valid; labels 0 … k−1. */
function blobs(classes: number, seed: number, nTrain: number, nValid: number): { train: { x: gf.Tensor; y: gf.Tensor }; valid: { x: gf.Tensor; y: gf.Tensor } } {
  gf.setSeed(seed);
  const rng = gf.getRng();
  const centers = Array.from({ length: classes }, () => Array.from({ length: 8 }, () => 2 * rng.normal()));
  const make = (n: number): { x: gf.Tensor; y: gf.Tensor } => {
    const x: number[][] = [], y: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = i % classes;
      x.push(centers[c].map((m) => m + 0.5 * rng.normal()));
      y.push(c);
    }
    return { x: gf.tensor(x), y: gf.tensor(y, undefined, 'int32') };
  };
  return { train: make(nTrain), valid: make(nValid) };
}

describe('presets.defaultDNN', () => {
  test("Fashion-MNIST defaults: Flatten → 3 × Dense(100, swish, he_normal, ℓ2 1e-4) → Dense(10, softmax), build_model's 99,710 params", async () => {
    const { model, config } = defaultDNN({ inputShape: [28, 28], numClasses: 10 });
    assert.ok(model.layers[0] instanceof gf.layers.Flatten);
    assert.equal(model.countParams(), 99_710);
    const layers = dense(model);
    assert.deepEqual(layers.map((l) => l.units), [100, 100, 100, 10]);
    for (const l of layers.slice(0, 3)) {
      assert.equal(className(cfg(l).activation), 'swish');
      assert.equal(className(cfg(l).kernelInitializer), 'HeNormal');
      assert.deepEqual(cfg(l).kernelRegularizer, { className: 'L2', config: { l2: 1e-4 } });
    }
    assert.equal(className(cfg(layers[3]).activation), 'softmax');
    assert.equal(className(cfg(layers[3]).kernelInitializer), 'GlorotUniform');
    assert.equal(ofClass(model, gf.layers.BatchNormalization).length, 0, '3 hidden layers are not deep: no BN');
    assert.deepEqual(model.compileConfig(), { loss: 'sparse_categorical_crossentropy', lossWeights: null, metrics: ['accuracy'] });
    assert.equal(config.preset, 'defaultDNN');
    const p = await model.predict(gf.randomUniform([4, 28, 28]));
    assert.deepEqual(p.shape, [4, 10]);
    const rows = Array.from({ length: 4 }, (_, i) => Array.from(p.data.subarray(10 * i, 10 * i + 10)));
    for (const row of rows) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5, `softmax rows sum to 1: ${row}`);
  });

  test('optimizer and schedule: Nesterov SGD (0.01, momentum 0.9), ReduceLROnPlateau(0.5, 5) and EarlyStopping(10, best weights)', () => {
    const { model, callbacks, fitDefaults, config } = defaultDNN({ inputShape: [8], numClasses: 3 });
    const opt = model.optimizer!;
    assert.equal(opt.className, 'SGD');
    assert.deepEqual([opt.learningRate, opt.getConfig().momentum, opt.getConfig().nesterov], [0.01, 0.9, true]);
    assert.equal(callbacks.length, 2);
    const [plateau, stop] = callbacks as [gf.callbacks.ReduceLROnPlateau, gf.callbacks.EarlyStopping];
    assert.ok(plateau instanceof gf.callbacks.ReduceLROnPlateau);
    assert.deepEqual([plateau.monitor, plateau.factor, plateau.patience], ['val_loss', 0.5, 5]);
    assert.ok(stop instanceof gf.callbacks.EarlyStopping);
    assert.deepEqual([stop.monitor, stop.patience, stop.restoreBestWeights], ['val_loss', 10, true]);
    assert.deepEqual(fitDefaults, { epochs: 100, batchSize: 32 });
    assert.deepEqual([config.schedule, config.earlyStoppingPatience, config.reduceLrPatience], ['performance', 10, 5]);
    // a 1-D input feeds the first Dense directly
    assert.ok(!model.layers.some((l) => l instanceof gf.layers.Flatten));
    assert.deepEqual(model.layers[0].batchInputShape, [null, 8]);
  });

  test("AdamW: decoupled weight decay 1e-4 replaces ℓ2; 1cycle peaks at 10× the rate, cycles β1, has no early stopping", () => {
    const { model, callbacks, fitDefaults, config } = defaultDNN({
      inputShape: [8], numClasses: 3, optimizer: 'adamw', schedule: '1cycle', epochs: 7, stepsPerEpoch: 13, batchSize: 64,
    });
    const opt = model.optimizer!;
    assert.equal(opt.className, 'AdamW');
    assert.equal(opt.weightDecay, 1e-4);
    assert.ok(dense(model).every((l) => cfg(l).kernelRegularizer == null), 'no ℓ2 with AdamW');
    const schedule = opt.learningRateSchedule as gf.schedules.OneCycle;
    assert.ok(schedule instanceof gf.schedules.OneCycle);
    assert.deepEqual([schedule.maxLr, schedule.totalSteps, schedule.cycleMomentum, schedule.startLr], [0.01, 91, true, 0.001]);
    assert.deepEqual(callbacks, []);
    assert.deepEqual(fitDefaults, { epochs: 7, batchSize: 64 });
    assert.deepEqual([config.l2, config.weightDecay, config.learningRate, config.cycleMomentum], [0, 1e-4, 0.01, true]);
    // an explicit patience brings early stopping back
    const withStop = defaultDNN({ inputShape: [8], numClasses: 3, schedule: '1cycle', epochs: 2, stepsPerEpoch: 5, patience: 3 });
    assert.equal(withStop.callbacks.length, 1);
    assert.equal((withStop.callbacks[0] as gf.callbacks.EarlyStopping).patience, 3);
    assert.equal(withStop.model.optimizer!.learningRateSchedule instanceof gf.schedules.OneCycle, true);
    assert.equal((withStop.model.optimizer!.learningRateSchedule as gf.schedules.OneCycle).maxLr, 0.1);
  });

  test("batch norm for deep nets: 'auto' from 5 hidden layers, Dense without bias → BN → activation", () => {
    const shallow = defaultDNN({ inputShape: [28, 28], numClasses: 10, hiddenLayers: 4 }).model;
    assert.equal(ofClass(shallow, gf.layers.BatchNormalization).length, 0);
    const { model, config } = defaultDNN({ inputShape: [28, 28], numClasses: 10, hiddenLayers: 5, units: 50, activation: 'elu' });
    assert.equal(config.batchNormalization, true);
    const names = model.layers.slice(1, 4).map((l) => (l.constructor as typeof gf.layers.Layer).className);
    assert.deepEqual(names, ['Dense', 'BatchNormalization', 'Activation']);
    const hidden = dense(model).slice(0, 5);
    assert.ok(hidden.every((l) => cfg(l).useBias === false && className(cfg(l).activation) === 'linear'));
    assert.ok(ofClass(model, gf.layers.Activation).every((l) => className(cfg(l).activation) === 'elu'));
    // 784·50 + 4·(50·50) kernels, 5 BN layers of 4·50, output 50·10 + 10
    assert.equal(model.countParams(), 784 * 50 + 4 * 2500 + 5 * 200 + 510);
    assert.equal(sizes(model.nonTrainableWeights), 5 * 100);
    const forced = defaultDNN({ inputShape: [8], numClasses: 3, hiddenLayers: 2, batchNormalization: true }).model;
    assert.equal(ofClass(forced, gf.layers.BatchNormalization).length, 2);
    const off = defaultDNN({ inputShape: [8], numClasses: 3, hiddenLayers: 6, batchNormalization: false }).model;
    assert.equal(ofClass(off, gf.layers.BatchNormalization).length, 0);
  });

  test('outputs: 2 classes → one sigmoid unit + binary cross-entropy; regression → linear + MSE (MAE); multilabel → sigmoid', () => {
    const binary = defaultDNN({ inputShape: [8], numClasses: 2 });
    const last = (p: Preset): gf.layers.Dense => dense(p.model).at(-1)!;
    assert.deepEqual([last(binary).units, className(cfg(last(binary)).activation)], [1, 'sigmoid']);
    assert.equal(binary.model.compileConfig()!.loss, 'binary_crossentropy');
    const reg = defaultDNN({ inputShape: [8], outputs: 3 });
    assert.deepEqual([last(reg).units, className(cfg(last(reg)).activation), reg.config.task], [3, 'linear', 'regression']);
    assert.deepEqual(reg.model.compileConfig(), { loss: 'mse', lossWeights: null, metrics: ['mae'] });
    const multi = selfNormalizing({ inputShape: [8], outputs: 4, task: 'multilabel' });
    assert.deepEqual([last(multi).units, className(cfg(last(multi)).activation), multi.model.compileConfig()!.loss], [4, 'sigmoid', 'binary_crossentropy']);
  });

  test('units per layer, dropout after each hidden layer', () => {
    const { model, config } = defaultDNN({ inputShape: [8], numClasses: 3, units: [64, 32, 16], dropout: 0.2 });
    assert.deepEqual(dense(model).map((l) => l.units), [64, 32, 16, 3]);
    assert.deepEqual(config.hiddenUnits, [64, 32, 16]);
    const drops = ofClass(model, gf.layers.Dropout) as gf.layers.Dropout[];
    assert.deepEqual(drops.map((d) => d.rate), [0.2, 0.2, 0.2]);
  });

  test('a small fit learns (blobs, 3 classes): early stopping and the plateau scheduler run, accuracy > 0.9', async () => {
    const { train, valid } = blobs(3, 1, 300, 90);
    gf.setSeed(7);
    const { model, callbacks, fitDefaults } = defaultDNN({ inputShape: [8], numClasses: 3, hiddenLayers: 2, units: 32, patience: 3 });
    const before = (await model.evaluate(valid.x, valid.y)) as Record<string, number>;
    const history = await model.fit(train.x, train.y, { ...fitDefaults, epochs: 15, callbacks, validationData: [valid.x, valid.y], verbose: 0 });
    const after = (await model.evaluate(valid.x, valid.y)) as Record<string, number>;
    assert.ok(after.loss < before.loss / 2, `val loss ${before.loss} → ${after.loss}`);
    assert.ok(after.accuracy > 0.9, `val accuracy ${after.accuracy}`);
    assert.ok(history.history.loss.every(Number.isFinite));
    // both callbacks watched val_loss
    const [plateau, stop] = callbacks as [gf.callbacks.ReduceLROnPlateau, gf.callbacks.EarlyStopping];
    assert.ok(Number.isFinite(plateau.best) && Number.isFinite(stop.best), `plateau best ${plateau.best}, early stopping best ${stop.best}`);
    assert.equal(stop.best, Math.min(...history.history.val_loss));
  });
});

describe('presets.selfNormalizing', () => {
  test('LeCun normal + SELU on every hidden layer, no BN, no ℓ2; AlphaDropout when asked; Nesterov + performance scheduling', () => {
    const { model, callbacks, config } = selfNormalizing({ inputShape: [28, 28], numClasses: 10, hiddenLayers: 4, alphaDropout: 0.1 });
    const layers = dense(model);
    assert.equal(layers.length, 5);
    for (const l of layers.slice(0, 4)) {
      assert.equal(className(cfg(l).activation), 'selu');
      assert.equal(className(cfg(l).kernelInitializer), 'LecunNormal');
      assert.equal(cfg(l).kernelRegularizer ?? null, null);
    }
    assert.equal(ofClass(model, gf.layers.BatchNormalization).length, 0);
    assert.deepEqual((ofClass(model, gf.layers.AlphaDropout) as gf.layers.AlphaDropout[]).map((d) => d.rate), [0.1, 0.1, 0.1, 0.1]);
    assert.equal(ofClass(model, gf.layers.Dropout).length, 0);
    assert.deepEqual([model.optimizer!.className, model.optimizer!.getConfig().nesterov], ['SGD', true]);
    assert.deepEqual(callbacks.map((c) => c.constructor.name), ['ReduceLROnPlateau', 'EarlyStopping']);
    assert.deepEqual([config.preset, config.activation, config.kernelInitializer, config.l2, config.batchNormalization], ['selfNormalizing', 'selu', 'lecun_normal', 0, false]);
  });

  test('the net self-normalizes on standardized inputs (diagnostics) and a small fit learns', async () => {
    const { train, valid } = blobs(3, 3, 300, 90);
    const s = gf.datasets.standardize(train.x, valid.x);
    gf.setSeed(11);
    const { model, callbacks, fitDefaults } = selfNormalizing({ inputShape: [8], numClasses: 3, hiddenLayers: 8, units: 32 });
    const inspection = gf.diagnostics.inspect(model, s.train, train.y);
    assert.equal(inspection.selfNormalization.applicable, true);
    assert.ok(inspection.selfNormalization.passed, inspection.format());
    const history = await model.fit(s.train, train.y, { ...fitDefaults, epochs: 15, callbacks, validationData: [s.others[0], valid.y], verbose: 0 });
    const after = (await model.evaluate(s.others[0], valid.y)) as Record<string, number>;
    assert.ok(after.accuracy > 0.9, `val accuracy ${after.accuracy}`);
    assert.ok(history.history.loss[history.history.loss.length - 1] < history.history.loss[0]);
  });

  test("refuses what breaks self-normalization: ℓ2, batch norm, dropout, other activations, AdamW's weight decay", () => {
    const base = { inputShape: [8], numClasses: 3 };
    assert.throws(() => selfNormalizing({ ...base, l2: 1e-4 } as never), /selfNormalizing: option 'l2' is not offered: ℓ1\/ℓ2/);
    assert.throws(() => selfNormalizing({ ...base, batchNormalization: true } as never), /option 'batchNormalization' is not offered/);
    assert.throws(() => selfNormalizing({ ...base, dropout: 0.2 } as never), /option 'dropout' is not offered: .*alphaDropout/);
    assert.throws(() => selfNormalizing({ ...base, activation: 'relu' } as never), /option 'activation' is not offered/);
    assert.throws(() => selfNormalizing({ ...base, optimizer: 'adamw' }), /optimizer 'adamw' is not offered: its decoupled weight decay/);
    assert.throws(() => selfNormalizing({ ...base, weightDecay: 1e-4 }), /weightDecay applies to optimizer 'adamw' only/);
  });
});

describe('presets: option errors name the option and what was expected', () => {
  const base = { inputShape: [8], numClasses: 3 };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing inputShape', { numClasses: 3 }, /defaultDNN: inputShape must be a non-empty array of positive integers/],
    ['bad inputShape', { inputShape: [28, 0], numClasses: 3 }, /inputShape must be a non-empty array.*got \[28,0\]/],
    ['no target', { inputShape: [8] }, /say what to predict: numClasses \(classification\) or outputs/],
    ['both targets', { ...base, outputs: 2 }, /give numClasses \(classification\) or outputs \(regression, multilabel\), not both/],
    ['one class', { inputShape: [8], numClasses: 1 }, /numClasses must be an integer ≥ 2, got 1/],
    ['classification without classes', { inputShape: [8], outputs: 2, task: 'classification' }, /task 'classification' needs numClasses/],
    ['unknown task', { ...base, task: 'ranking' }, /task must be one of 'classification', 'multilabel', 'regression', got 'ranking'/],
    ['hiddenLayers 0', { ...base, hiddenLayers: 0 }, /hiddenLayers must be a positive integer, got 0/],
    ['units 2.5', { ...base, units: 2.5 }, /units must be a positive integer, got 2.5/],
    ['units vs hiddenLayers', { ...base, units: [4, 4], hiddenLayers: 3 }, /units has 2 entries but hiddenLayers is 3/],
    ['activation', { ...base, activation: 'tanh' }, /activation must be one of 'swish', 'elu', 'relu', 'leaky_relu', 'gelu', 'mish', got 'tanh'/],
    ['activation selu', { ...base, activation: 'selu' }, /use presets.selfNormalizing/],
    ['dropout 1', { ...base, dropout: 1 }, /dropout must be a number in \[0, 1\), got 1/],
    ['l2 negative', { ...base, l2: -1 }, /l2 must be a finite number ≥ 0, got -1/],
    ['batchNormalization', { ...base, batchNormalization: 'yes' }, /batchNormalization must be true, false or 'auto', got "yes"/],
    ['learningRate', { ...base, learningRate: 0 }, /learningRate must be a finite number > 0, got 0/],
    ['optimizer', { ...base, optimizer: 'lion' }, /optimizer must be one of 'nesterov', 'adamw', 'sgd', 'adam', 'nadam', got 'lion'/],
    ['momentum on adam', { ...base, optimizer: 'adam', momentum: 0.9 }, /momentum applies to optimizer 'nesterov' or 'sgd', not 'adam'/],
    ['nesterov without momentum', { ...base, momentum: 0 }, /optimizer 'nesterov' needs momentum > 0/],
    ['weightDecay on sgd', { ...base, optimizer: 'sgd', weightDecay: 0.01 }, /weightDecay applies to optimizer 'adamw' only/],
    ['schedule', { ...base, schedule: 'cosine' }, /schedule must be one of 'performance', '1cycle', 'none', got 'cosine'/],
    ['1cycle without steps', { ...base, schedule: '1cycle', epochs: 5 }, /schedule '1cycle' needs epochs and stepsPerEpoch/],
    ['stepsPerEpoch unused', { ...base, stepsPerEpoch: 10 }, /stepsPerEpoch is only used by schedule '1cycle'/],
    ['epochs', { ...base, epochs: -2 }, /epochs must be a positive integer, got -2/],
    ['patience', { ...base, patience: 1.5 }, /patience must be a non-negative integer \(epochs\) or null/],
    ['typo', { ...base, hidden_layers: 3 }, /unknown option 'hidden_layers' \(did you mean 'hiddenLayers'\?\)/],
    ['snake case', { ...base, learning_rate: 0.1 }, /unknown option 'learning_rate' \(did you mean 'learningRate'\?\)/],
  ];
  for (const [what, options, message] of cases) {
    test(what, () => assert.throws(() => defaultDNN(options as never), message));
  }
  test('not an object', () => {
    assert.throws(() => defaultDNN(undefined as never), /defaultDNN: expected an options object/);
    assert.throws(() => selfNormalizing(null as never), /selfNormalizing: expected an options object/);
  });
  test('selfNormalizing checks its shared options the same way', () => {
    assert.throws(() => selfNormalizing({ ...base, alphaDropout: -0.1 }), /selfNormalizing: alphaDropout must be a number in \[0, 1\), got -0.1/);
    assert.throws(() => selfNormalizing({ ...base, schedule: '1cycle' }), /selfNormalizing: schedule '1cycle' needs epochs and stepsPerEpoch/);
  });
});

describe('presets: the models they return round-trip', () => {
  const variants: Array<[string, () => Preset]> = [
    ['defaultDNN, deep (BN), ℓ2, dropout', () => defaultDNN({ inputShape: [6], numClasses: 4, hiddenLayers: 5, units: 8, dropout: 0.1 })],
    ['defaultDNN, AdamW + 1cycle', () => defaultDNN({ inputShape: [2, 3], outputs: 2, optimizer: 'adamw', schedule: '1cycle', epochs: 3, stepsPerEpoch: 4 })],
    ['selfNormalizing, AlphaDropout', () => selfNormalizing({ inputShape: [6], numClasses: 2, units: [8, 8], alphaDropout: 0.05 })],
  ];
  for (const [what, make] of variants) {
    test(`${what}: getConfig → fromConfig → getConfig, and save/load (weights, outputs, compile, optimizer, schedule)`, async () => {
      gf.setSeed(5);
      const { model } = make();
      const shape = model.layers[0].batchInputShape!.slice(1) as number[];
      const x = gf.randomNormal([10, ...shape]);
      // train a step so the optimizer has state and BN its moving statistics
      const y = model.compileConfig()!.loss === 'mse' ? gf.randomNormal([10, 2])
        : gf.tensor(Array.from({ length: 10 }, (_, i) => (model.compileConfig()!.loss === 'binary_crossentropy' ? i % 2 : i % 4)), [10], 'int32');
      const yFit = model.compileConfig()!.loss === 'binary_crossentropy' ? gf.reshape(gf.cast(y, 'float32'), [10, 1]) : y;
      await model.fit(x, yFit, { epochs: 1, batchSize: 5, verbose: 0 });

      const config = JSON.parse(JSON.stringify(model.getConfig()));
      const rebuilt = gf.Sequential.fromConfig(config);
      assert.deepEqual(JSON.parse(JSON.stringify(rebuilt.getConfig())), config);

      const loaded = gf.modelFromBytes(gf.modelToBytes(model), what);
      assert.deepEqual(JSON.parse(JSON.stringify(loaded.getConfig())), config);
      assert.deepEqual(loaded.weights.map((w) => Array.from(w.data)), model.weights.map((w) => Array.from(w.data)));
      const [a, b] = [await model.predict(x), await loaded.predict(x)];
      assert.deepEqual(Array.from(b.data), Array.from(a.data));
      assert.deepEqual(loaded.compileConfig(), model.compileConfig());
      const [o1, o2] = [model.optimizer!, loaded.optimizer!];
      assert.equal(o2.className, o1.className);
      assert.deepEqual(JSON.parse(JSON.stringify(o2.getConfig())), JSON.parse(JSON.stringify(o1.getConfig())));
      assert.equal(o2.iterations, o1.iterations);
      assert.equal(o2.learningRate, o1.learningRate);
    });
  }
});
