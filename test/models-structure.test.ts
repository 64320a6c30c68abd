/**
 * Model structure (issue 3, "Models"): Sequential (constructor list, add, pop, getLayer,
 * InputLayer, immediate build), functional models with several inputs and outputs, per-output
 * losses and lossWeights, nesting, weight sharing through reused layers, cloneModel and
 * getWeights / setWeights.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const L = gf.layers;
const values = (ts: readonly gf.Tensor[]) => ts.map((t) => Array.from(t.data));
const sgd = (learningRate = 0.1) => new gf.optimizers.SGD({ learningRate });

describe('Sequential', () => {
  test('constructor list and add() give the same stack; a layer with inputShape builds at once', () => {
    const a = new gf.Sequential([new L.Dense(4, { inputShape: [3], name: 's1_d1' }), new L.Dense(2, { name: 's1_d2' })]);
    const b = new gf.Sequential();
    assert.equal(b.built, false);
    b.add(new L.Dense(4, { inputShape: [3], name: 's2_d1' }));
    assert.equal(b.built, true, 'built as soon as the first layer declares its input shape');
    assert.equal(b.countParams(), 16);
    b.add(new L.Dense(2, { name: 's2_d2' }));
    assert.equal(a.built, true);
    assert.equal(b.countParams(), a.countParams());
    assert.equal(a.countParams(), 3 * 4 + 4 + 4 * 2 + 2);
    assert.deepEqual(a.layers.map((l) => l.name), ['s1_d1', 's1_d2']);
    assert.deepEqual(b.layers.map((l) => l.name), ['s2_d1', 's2_d2']);
    assert.deepEqual(a.weights.map((w) => w.name), ['s1_d1/kernel', 's1_d1/bias', 's1_d2/kernel', 's1_d2/bias']);
  });

  test('without an input shape the stack builds on the first batch', async () => {
    const m = new gf.Sequential([new L.Dense(4), new L.Dense(2)]);
    assert.equal(m.built, false);
    assert.equal(m.countParams(), 0);
    const y = await m.predict(gf.zeros([5, 3]));
    assert.deepEqual(y.shape, [5, 2]);
    assert.equal(m.countParams(), 3 * 4 + 4 + 4 * 2 + 2);
  });

  test('an InputLayer first declares the shape (and, as Keras, is not one of model.layers)', () => {
    const m = new gf.Sequential([new L.InputLayer({ inputShape: [5] }), new L.Dense(3, { name: 'after_input' })]);
    assert.equal(m.built, true);
    assert.equal(m.countParams(), 18);
    assert.deepEqual(m.layers.map((l) => l.name), ['after_input']);
    assert.match(m.summary(null), /after_input \(Dense\)\s+\(None, 3\)\s+18/);
    assert.throws(() => m.add(new L.InputLayer({ inputShape: [3] })), /InputLayer can only come first/);
  });

  test('pop() removes the last layer; the model then outputs the previous layer', async () => {
    const m = new gf.Sequential([new L.Dense(4, { inputShape: [3], name: 'keep' }), new L.Dense(2, { name: 'drop' })]);
    const popped = m.pop();
    assert.equal(popped.name, 'drop');
    assert.deepEqual(m.layers.map((l) => l.name), ['keep']);
    assert.equal(m.countParams(), 16);
    assert.deepEqual((await m.predict(gf.ones([2, 3]))).shape, [2, 4]);
    m.add(new L.Dense(7, { name: 'new_head' }));
    assert.deepEqual((await m.predict(gf.ones([2, 3]))).shape, [2, 7]);
    assert.equal(m.countParams(), 16 + 4 * 7 + 7);
    assert.throws(() => new gf.Sequential().pop(), /no layers/);
  });

  test('add() rejects non-layers, the same layer twice and duplicate names', () => {
    const m = new gf.Sequential([new L.Dense(2, { inputShape: [2], name: 'dup' })]);
    assert.throws(() => m.add(42 as unknown as gf.layers.Layer), /expected a Layer/);
    assert.throws(() => m.add(m.layers[0]), /already in this model/);
    assert.throws(() => m.add(new L.Dense(2, { name: 'dup' })), /named 'dup'.*unique/);
  });

  test('getLayer by name and by index; an unknown key gives an error listing the layers', () => {
    const m = new gf.Sequential([new L.Dense(4, { inputShape: [3], name: 'g_first' }), new L.Dense(2, { name: 'g_second' })]);
    assert.equal(m.getLayer('g_second'), m.layers[1]);
    assert.equal(m.getLayer(0), m.layers[0]);
    assert.throws(() => m.getLayer('nope'), (e: Error) => e instanceof RangeError && /'nope'/.test(e.message) && /g_first, g_second/.test(e.message));
    assert.throws(() => m.getLayer(5), /index 5.*g_first, g_second/);
  });
});

/** A two-input, two-output functional model: [a(3), b(2)] → concat → h(4) → reg(1), cls(3). */
function twoByTwo(prefix: string) {
  const a = gf.input([3], { name: `${prefix}_a` });
  const b = gf.input([2], { name: `${prefix}_b` });
  const merged = new L.Concatenate({ name: `${prefix}_concat` }).apply([a, b]);
  const h = new L.Dense(4, { activation: 'tanh', name: `${prefix}_h` }).apply(merged);
  const reg = new L.Dense(1, { name: `${prefix}_reg` }).apply(h);
  const cls = new L.Dense(3, { activation: 'softmax', name: `${prefix}_cls` }).apply(h);
  return new gf.Model({ inputs: [a, b], outputs: [reg, cls], name: `${prefix}_model` });
}

function twoByTwoData(n = 12, seed = 3) {
  const rng = new gf.RandomGenerator(seed);
  const t = (shape: number[]) => gf.tensor(Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal()), shape);
  const xa = t([n, 3]), xb = t([n, 2]);
  return { xa, xb, yReg: t([n, 1]), yCls: gf.tensor(Int32Array.from({ length: n }, (_, i) => i % 3), [n], 'int32') };
}

describe('functional Model', () => {
  test('several inputs (Concatenate) and outputs: names, layers, shapes', async () => {
    const m = twoByTwo('f1');
    assert.deepEqual(m.inputNames, ['f1_a', 'f1_b']);
    assert.deepEqual(m.outputNames, ['f1_reg', 'f1_cls']);
    assert.deepEqual(m.layers.map((l) => l.name), ['f1_a', 'f1_b', 'f1_concat', 'f1_h', 'f1_reg', 'f1_cls']);
    assert.equal(m.countParams(), 5 * 4 + 4 + 4 + 1 + 4 * 3 + 3);
    const { xa, xb } = twoByTwoData(5);
    const [reg, cls] = await m.predictAll([xa, xb]);
    assert.deepEqual(reg.shape, [5, 1]);
    assert.deepEqual(cls.shape, [5, 3]);
    // the same as running the layers by hand
    const h = m.getLayer('f1_h').apply(gf.concat([xa, xb], -1));
    assert.deepEqual(Array.from(reg.data), Array.from(m.getLayer('f1_reg').apply(h).data));
  });

  test('losses as a list: total = Σ wᵢ·lossᵢ with per-output <name>_loss logs', () => {
    const m = twoByTwo('f2');
    m.compile({ optimizer: sgd(), loss: ['mse', 'sparse_categorical_crossentropy'], lossWeights: [0.3, 2] });
    const { xa, xb, yReg, yCls } = twoByTwoData();
    const logs = m.testOnBatch([xa, xb], [yReg, yCls]);
    assert.deepEqual(Object.keys(logs).sort(), ['f2_cls_loss', 'f2_reg_loss', 'loss']);
    assert.ok(Math.abs(logs.loss - (0.3 * logs.f2_reg_loss + 2 * logs.f2_cls_loss)) < 1e-5, JSON.stringify(logs));
    // and each term is the loss of that output alone
    const [reg, cls] = m.forward([xa, xb], { training: false });
    assert.ok(Math.abs(logs.f2_reg_loss - gf.losses.get('mse').apply(yReg, reg).item()) < 1e-6);
    assert.ok(Math.abs(logs.f2_cls_loss - gf.losses.get('sparse_categorical_crossentropy').apply(yCls, cls).item()) < 1e-6);
  });

  test('losses, lossWeights and metrics as maps by output name', async () => {
    const m = twoByTwo('f3');
    m.compile({
      optimizer: sgd(),
      loss: { f3_cls: 'sparse_categorical_crossentropy', f3_reg: 'mae' },
      lossWeights: { f3_reg: 0.5, f3_cls: 1.5 },
      metrics: { f3_cls: ['accuracy'] },
    });
    const { xa, xb, yReg, yCls } = twoByTwoData();
    const logs = m.testOnBatch([xa, xb], [yReg, yCls]);
    assert.ok(Math.abs(logs.loss - (0.5 * logs.f3_reg_loss + 1.5 * logs.f3_cls_loss)) < 1e-5);
    assert.ok('f3_cls_accuracy' in logs, `logs: ${Object.keys(logs)}`);
    const [reg] = m.forward([xa, xb], { training: false });
    assert.ok(Math.abs(logs.f3_reg_loss - gf.losses.get('mae').apply(yReg, reg).item()) < 1e-6, 'the map picks the right loss per output');
    const history = await m.fit([xa, xb], [yReg, yCls], { epochs: 2, batchSize: 4, verbose: 0 });
    for (const k of ['loss', 'f3_reg_loss', 'f3_cls_loss', 'f3_cls_accuracy']) assert.equal(history.history[k]?.length, 2, k);
  });

  test('lossWeights change the gradient: weight 0 on an output leaves its head untouched', () => {
    const m = twoByTwo('f4');
    m.compile({ optimizer: sgd(), loss: ['mse', 'sparse_categorical_crossentropy'], lossWeights: [1, 0] });
    const cls = m.getLayer('f4_cls');
    const before = values(cls.getWeights());
    const reg = values(m.getLayer('f4_reg').getWeights());
    const { xa, xb, yReg, yCls } = twoByTwoData();
    m.trainOnBatch([xa, xb], [yReg, yCls]);
    assert.deepEqual(values(cls.getWeights()), before);
    assert.notDeepEqual(values(m.getLayer('f4_reg').getWeights()), reg);
  });

  test('compile errors name the outputs', () => {
    const m = twoByTwo('f5');
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: ['mse'] }), /1 entries for 2 output.*f5_reg, f5_cls/);
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: { f5_reg: 'mse', nope: 'mse' } }), /'nope'/);
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: { f5_reg: 'mse' } }), /no entry for output 'f5_cls'/);
    assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1, -1] }), /lossWeights.*f5_cls/);
  });

  test('predict() on a multi-output model asks for predictAll()', async () => {
    const { xa, xb } = twoByTwoData(2);
    await assert.rejects(twoByTwo('f6').predict([xa, xb]), /predictAll/);
  });

  test('inputs and outputs must both be given and be symbolic', () => {
    const a = gf.input([2]);
    assert.throws(() => new gf.Model({ inputs: a }), /both inputs and outputs/);
    assert.throws(() => new gf.Model({ inputs: a, outputs: gf.zeros([2]) as unknown as gf.layers.SymbolicTensor }), /symbolic/);
    const other = gf.input([2]);
    const out = new L.Add().apply([a, other]);
    assert.throws(() => new gf.Model({ inputs: a, outputs: out }), /not among the model's inputs/);
  });
});

describe('nested models and shared layers', () => {
  test('autoencoder = encoder + decoder inside a Sequential: weights are the parts\' weights', async () => {
    const encoder = new gf.Sequential([new L.Dense(3, { inputShape: [8], activation: 'relu', name: 'n1_enc' })], { name: 'n1_encoder' });
    const decoder = new gf.Sequential([new L.Dense(8, { inputShape: [3], name: 'n1_dec' })], { name: 'n1_decoder' });
    const ae = new gf.Sequential([encoder, decoder], { name: 'n1_ae' });
    assert.deepEqual(ae.layers, [encoder, decoder]);
    assert.equal(ae.countParams(), encoder.countParams() + decoder.countParams());
    ae.weights.forEach((w, i) => assert.equal(w, [...encoder.weights, ...decoder.weights][i], 'the same Variable objects'));
    const x = gf.randomNormal([16, 8]);
    ae.compile({ optimizer: sgd(0.05), loss: 'mse' });
    const encBefore = values(encoder.getWeights()), decBefore = values(decoder.getWeights());
    await ae.fit(x, x, { epochs: 2, batchSize: 8, verbose: 0 });
    assert.notDeepEqual(values(encoder.getWeights()), encBefore, 'training the autoencoder trains the encoder');
    assert.notDeepEqual(values(decoder.getWeights()), decBefore, 'and the decoder');
    const viaParts = await decoder.predict(await encoder.predict(x));
    assert.deepEqual(Array.from((await ae.predict(x)).data), Array.from(viaParts.data));
  });

  test('models nest as layers inside a functional model', async () => {
    const encoder = new gf.Sequential([new L.Dense(3, { inputShape: [8], activation: 'relu' })], { name: 'n2_encoder' });
    const decoder = new gf.Sequential([new L.Dense(8, { inputShape: [3] })], { name: 'n2_decoder' });
    const inp = gf.input([8]);
    const ae = new gf.Model({ inputs: inp, outputs: decoder.apply(encoder.apply(inp)), name: 'n2_ae' });
    assert.equal(ae.countParams(), encoder.countParams() + decoder.countParams());
    assert.match(ae.summary(null), /n2_encoder \(Sequential\)\s+\(None, 3\)\s+27/);
    const x = gf.randomNormal([4, 8]);
    assert.deepEqual(Array.from((await ae.predict(x)).data), Array.from((await decoder.predict(await encoder.predict(x))).data));
    ae.compile({ optimizer: sgd(), loss: 'mse' });
    const before = values(encoder.getWeights());
    ae.trainOnBatch(x, x);
    assert.notDeepEqual(values(encoder.getWeights()), before);
  });

  test('a layer reused in two models shares its weights: training one changes the other', async () => {
    const shared = new L.Dense(4, { inputShape: [3], name: 'shared_hidden' });
    const m1 = new gf.Sequential([shared, new L.Dense(1)]);
    const m2 = new gf.Sequential([shared, new L.Dense(2)]);
    assert.equal(m1.weights[0], m2.weights[0]);
    const x = gf.randomNormal([6, 3]);
    const m2Before = values([await m2.predict(x)]);
    m1.compile({ optimizer: sgd(), loss: 'mse' });
    m1.trainOnBatch(x, gf.ones([6, 1]));
    assert.notDeepEqual(values([await m2.predict(x)]), m2Before, 'm2 sees m1\'s update of the shared layer');
    assert.deepEqual(values(m1.getWeights().slice(0, 2)), values(m2.getWeights().slice(0, 2)));
  });
});

describe('cloneModel, getWeights and setWeights', () => {
  const make = () => new gf.Sequential([
    new L.Dense(6, { inputShape: [4], activation: 'relu', kernelInitializer: 'he_normal' }),
    new L.BatchNormalization(),
    new L.Dense(2, { activation: 'softmax' }),
  ]);

  test('a clone has the same architecture and config, fresh weights, and is not compiled', async () => {
    const model = make();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const clone = gf.cloneModel(model);
    assert.ok(clone instanceof gf.Sequential);
    assert.deepEqual(clone.getConfig(), model.getConfig());
    assert.deepEqual(clone.weights.map((w) => [w.name, w.shape]), model.weights.map((w) => [w.name, w.shape]));
    assert.notEqual(clone.weights[0], model.weights[0]);
    assert.notDeepEqual(Array.from(clone.weights[0].data), Array.from(model.weights[0].data), 'freshly initialized kernel');
    assert.equal(clone.optimizer, null);
    const x = gf.randomNormal([5, 4]);
    clone.setWeights(model.getWeights());
    assert.deepEqual(Array.from((await clone.predict(x)).data), Array.from((await model.predict(x)).data));
    // independent afterwards
    clone.compile({ optimizer: sgd(), loss: 'sparse_categorical_crossentropy' });
    const before = values(model.getWeights());
    clone.trainOnBatch(x, gf.tensor([0, 1, 0, 1, 1], [5], 'int32'));
    assert.deepEqual(values(model.getWeights()), before);
  });

  test('cloning a functional multi-input/output model', async () => {
    const model = twoByTwo('c1');
    const clone = gf.cloneModel(model);
    assert.deepEqual(clone.getConfig(), model.getConfig());
    clone.setWeights(model.getWeights());
    const { xa, xb } = twoByTwoData(4);
    const [a, b] = [await clone.predictAll([xa, xb]), await model.predictAll([xa, xb])];
    assert.deepEqual(a.map((t) => Array.from(t.data)), b.map((t) => Array.from(t.data)));
  });

  test('cloning a Sequential that was built by its first batch (no inputShape) keeps it copyable', async () => {
    const model = new gf.Sequential([new L.Dense(3), new L.Dense(2)]);
    const x = gf.randomNormal([2, 5]);
    await model.predict(x);
    const clone = gf.cloneModel(model);
    assert.equal(clone.countParams(), model.countParams(), 'the clone should be built like the original (Keras keeps the build shape)');
    clone.setWeights(model.getWeights());
    assert.deepEqual(Array.from((await clone.predict(x)).data), Array.from((await model.predict(x)).data));
  });

  test('getWeights returns copies in weights order; setWeights checks count and shapes', () => {
    const model = make();
    const ws = model.getWeights();
    assert.deepEqual(ws.map((t) => t.shape), model.weights.map((w) => w.shape));
    const before = values(model.getWeights());
    ws[0].data[0] = 1234;
    assert.notEqual(model.weights[0].data[0], 1234, 'getWeights returns copies');
    assert.throws(() => model.setWeights(ws.slice(1)), (e: Error) => /expected 8 arrays/.test(e.message) && /got 7/.test(e.message));
    const wrong = ws.slice();
    wrong[2] = gf.zeros([5]);
    assert.throws(() => model.setWeights(wrong), (e: Error) => /batch_normalization\S*\/gamma/.test(e.message) && /\[6\]/.test(e.message) && /\[5\]/.test(e.message));
    assert.deepEqual(values(model.getWeights()), before, 'a rejected setWeights changes nothing');
    model.setWeights(ws);
    assert.equal(model.weights[0].data[0], Math.fround(1234));
  });
});
