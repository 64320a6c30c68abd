/**
 * Optimizer state and serialization: the registry, config round trips (generated from the
 * registry), state keyed by the variable across freeze + recompile, and optimizer state saved
 * with the model (modelToBytes / modelFromBytes) resuming training identically.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { LearningRateSchedule } from '../src/schedules/schedule.js';

const o = gf.optimizers;

/** Non-default options per registered name, to exercise every config key. */
const CUSTOM: Record<string, Record<string, unknown>> = {
  sgd: { momentum: 0.8, nesterov: true },
  adagrad: { initialAccumulatorValue: 0.2, epsilon: 1e-6 },
  rmsprop: { rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true },
  adam: { beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true },
  adamw: { beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true, weightDecay: 0.02 },
  adamax: { beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
  nadam: { beta1: 0.8, beta2: 0.99, epsilon: 1e-6, momentumDecay: 0.004 },
};
const SHARED = { learningRate: 0.05, clipnorm: 2, weightDecay: 0.01, excludeFromWeightDecay: ['bias'], name: 'custom' };

describe('optimizers: registry', () => {
  test('every Keras name and class spelling resolves', () => {
    assert.deepEqual(o.optimizerNames(), ['adagrad', 'adam', 'adamax', 'adamw', 'nadam', 'rmsprop', 'sgd']);
    const spellings: Array<[string, unknown]> = [
      ['sgd', o.SGD], ['SGD', o.SGD], ['adam', o.Adam], ['Adam', o.Adam], ['adamw', o.AdamW], ['AdamW', o.AdamW],
      ['nadam', o.Nadam], ['Nadam', o.Nadam], ['rmsprop', o.RMSprop], ['RMSprop', o.RMSprop], ['adagrad', o.Adagrad],
      ['Adagrad', o.Adagrad], ['adamax', o.Adamax], ['Adamax', o.Adamax],
    ];
    for (const [name, cls] of spellings) assert.equal(o.get(name).constructor, cls, name);
  });

  test('get accepts { className, config } and returns instances unchanged', () => {
    const adam = o.get({ className: 'Adam', config: { learningRate: 0.01, amsgrad: true } }) as gf.optimizers.Adam;
    assert.ok(adam instanceof o.Adam);
    assert.equal(adam.learningRate, 0.01);
    assert.equal(adam.amsgrad, true);
    assert.equal(o.get(adam), adam);
  });

  test('unknown names list the accepted ones; bad identifiers are rejected', () => {
    assert.throws(() => o.get('adamm'), /unknown optimizer 'adamm'; expected one of: adagrad, adam, adamax, adamw, nadam, rmsprop, sgd/);
    assert.throws(() => o.get(42 as any), /optimizer: expected an Optimizer, a name or \{ className, config \}/);
  });

  for (const name of o.optimizerNames()) {
    test(`${name}: getConfig → get({ className, config }) → getConfig is the identity (defaults and custom)`, () => {
      for (const opt of [o.get(name), o.get({ className: o.get(name).className, config: { ...SHARED, ...CUSTOM[name] } })]) {
        const spec = o.serialize(opt);
        const json = JSON.parse(JSON.stringify(spec));
        const rebuilt = o.get(json);
        assert.equal(rebuilt.constructor, opt.constructor);
        assert.deepEqual(rebuilt.getConfig(), spec.config);
      }
      const custom = o.get({ className: name, config: { ...SHARED, ...CUSTOM[name] } }).getConfig();
      for (const [key, value] of Object.entries({ ...SHARED, ...CUSTOM[name] })) assert.deepEqual(custom[key], value, `${name}.${key}`);
    });
  }

  test('compile accepts optimizer names and defaults to rmsprop, as Keras', () => {
    const model = new gf.Sequential([new gf.layers.Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'Nadam', loss: 'mse' });
    assert.ok(model.optimizer instanceof o.Nadam);
    model.compile({ loss: 'mse' } as gf.CompileArgs);
    assert.ok(model.optimizer instanceof o.RMSprop);
  });
});

function makeModel(seed: number): gf.Sequential {
  gf.setSeed(seed);
  return new gf.Sequential([new gf.layers.Dense(4, { inputShape: [3], activation: 'tanh' }), new gf.layers.Dense(2)]);
}
const X = gf.tensor([[0.5, -1, 2], [1.5, 0.25, -0.5], [-1, 1, 0], [0.3, 0.2, 0.1]]);
const Y = gf.tensor([[1, 0], [0, 1], [0.5, 0.5], [-1, 2]]);
const weightsOf = (m: gf.Model): number[][] => m.weights.map((w) => Array.from(w.data));

describe('optimizers: state is keyed by the variable', () => {
  test('freeze a layer and recompile with the same Adam: moments of the trainable variables are kept', () => {
    const run = (recompile: 'same' | 'none' | 'fresh'): { model: gf.Sequential; opt: gf.optimizers.Optimizer } => {
      const model = makeModel(7);
      const opt = new o.Adam({ learningRate: 0.01 });
      model.compile({ optimizer: opt, loss: 'mse' });
      model.trainOnBatch(X, Y);
      model.getLayer(0).trainable = false;
      if (recompile !== 'none') model.compile({ optimizer: recompile === 'same' ? opt : new o.Adam({ learningRate: 0.01 }), loss: 'mse' });
      return { model, opt };
    };
    const { model, opt } = run('same');
    assert.equal(model.optimizer, opt);
    const [k1, b1] = model.getLayer(0).weights;
    const [k2] = model.getLayer(1).weights;
    const frozenBefore = weightsOf(model).slice(0, 2);
    const m1Before = Array.from(opt.slotsOf(k1).momentum.data);
    const m2Before = Array.from(opt.slotsOf(k2).momentum.data);
    assert.ok(m2Before.some((x) => x !== 0));
    model.trainOnBatch(X, Y);
    assert.equal(opt.iterations, 2);
    assert.deepEqual(weightsOf(model).slice(0, 2), frozenBefore, 'the frozen layer did not move');
    assert.deepEqual(Array.from(opt.slotsOf(k1).momentum.data), m1Before, 'its moments are kept untouched');
    assert.ok(b1.trainable === false);
    assert.notDeepEqual(Array.from(opt.slotsOf(k2).momentum.data), m2Before, 'the trainable layer kept updating its moments');

    // recompiling with the same optimizer is the same as not recompiling; a fresh optimizer differs
    const same = run('none').model;
    same.trainOnBatch(X, Y);
    assert.deepEqual(weightsOf(model), weightsOf(same));
    const fresh = run('fresh').model;
    fresh.trainOnBatch(X, Y);
    assert.notDeepEqual(weightsOf(model), weightsOf(fresh));
  });
});

describe('optimizers: state saved with the model', () => {
  for (const name of o.optimizerNames()) {
    test(`${name}: save after one step, load, one more step on both gives identical weights`, () => {
      const model = makeModel(11);
      model.compile({ optimizer: o.get({ className: name, config: { learningRate: 0.05, ...CUSTOM[name] } }), loss: 'mse' });
      model.trainOnBatch(X, Y);
      const loaded = gf.modelFromBytes(gf.modelToBytes(model));
      const opt = model.optimizer!, restored = loaded.optimizer!;
      assert.equal(restored.constructor, opt.constructor);
      assert.equal(restored.iterations, 1);
      assert.deepEqual(restored.getConfig(), opt.getConfig());
      loaded.weights.forEach((w, i) => {
        const want = opt.slotsOf(model.weights[i]);
        const got = restored.slotsOf(w);
        assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
        for (const key of Object.keys(want)) assert.deepEqual(Array.from(got[key].data), Array.from(want[key].data), `${w.name} ${key}`);
      });
      model.trainOnBatch(X, Y);
      loaded.trainOnBatch(X, Y);
      assert.deepEqual(weightsOf(loaded), weightsOf(model));
      // and the state stays in step
      model.trainOnBatch(X, Y);
      loaded.trainOnBatch(X, Y);
      assert.deepEqual(weightsOf(loaded), weightsOf(model));
    });
  }

  test('restoreSlots rejects state of the wrong shape, naming the slot and variable', () => {
    const model = makeModel(1);
    const opt = new o.Adam();
    const [kernel] = model.weights;
    assert.throws(() => opt.restoreSlots(kernel, { momentum: gf.zeros([2, 2]) }),
      /Adam.restoreSlots: slot 'momentum' of '.*kernel' must have shape \[3, 4\], got \[2, 2\]/);
  });
});

/** A tiny local schedule, registered like a custom layer: lr0 · 0.5^(step / every). */
class TestHalving extends LearningRateSchedule {
  static override className = 'TestHalvingState';
  constructor(readonly lr0: number, readonly every = 1) { super(); }
  call(step: number): number { return this.lr0 * 0.5 ** Math.floor(step / this.every); }
  getConfig(): Record<string, unknown> { return { lr0: this.lr0, every: this.every }; }
  static fromConfig(config: Record<string, unknown>): TestHalving { return new TestHalving(config.lr0 as number, config.every as number); }
}
gf.registerClass(TestHalving);

describe('optimizers: learning-rate schedules in configs and model files', () => {
  test('a schedule serializes as { className, config } and round-trips through get', () => {
    const opt = new o.Adam({ learningRate: new TestHalving(0.1, 2) });
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    assert.deepEqual(config.learningRate, { className: 'TestHalvingState', config: { lr0: 0.1, every: 2 } });
    const rebuilt = o.get({ className: 'Adam', config });
    assert.ok(rebuilt.learningRateSchedule instanceof TestHalving);
    assert.deepEqual(rebuilt.getConfig(), config);
  });

  test('an unknown serialized schedule is an error naming it', () => {
    assert.throws(() => new o.SGD({ learningRate: { className: 'NoSuchSchedule', config: {} } }),
      /SGD: cannot rebuild the learning-rate schedule 'NoSuchSchedule'/);
  });

  test('a model compiled with a scheduled optimizer saves, loads and resumes identically', () => {
    const model = makeModel(5);
    model.compile({ optimizer: new o.SGD({ learningRate: new TestHalving(0.1, 2), momentum: 0.9 }), loss: 'mse' });
    model.trainOnBatch(X, Y);
    const loaded = gf.modelFromBytes(gf.modelToBytes(model));
    assert.ok(loaded.optimizer!.learningRateSchedule instanceof TestHalving);
    assert.equal(loaded.optimizer!.learningRate, model.optimizer!.learningRate);
    for (let k = 0; k < 3; k++) { model.trainOnBatch(X, Y); loaded.trainOnBatch(X, Y); }
    assert.deepEqual(weightsOf(loaded), weightsOf(model));
    assert.equal(loaded.optimizer!.learningRate, 0.1 * 0.5 ** 2);
  });
});

const { ExponentialDecay } = gf.schedules;

describe('optimizers: with the library\'s ExponentialDecay', () => {
  test('an optimizer config holding ExponentialDecay round-trips (the schedule is in the class registry)', () => {
    const schedule = ExponentialDecay.fromConfig({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
    const opt = new o.Adam({ learningRate: schedule });
    assert.equal(opt.learningRate, schedule.call(0));
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    assert.equal(config.learningRate.className, ExponentialDecay.className);
    assert.deepEqual(o.get({ className: 'Adam', config }).getConfig(), config);
  });
});
