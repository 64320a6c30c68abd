/**
 * Issue 3's bars for models: the chapter's exact parameter counts through summary(), freezing,
 * end-to-end learning, functional multi-output training, nesting, saving, cloning, batch-norm
 * folding and MC dropout.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/index.js';

const L = gf.layers;
const dense = (units: number, activation = 'relu', extra: gf.layers.DenseArgs = {}) =>
  new L.Dense(units, { activation, kernelInitializer: 'he_normal', ...extra });
const counts = (m: gf.Model) => {
  const trainable = m.trainableWeights.reduce((p, w) => p + w.size, 0);
  return [m.countParams(), trainable, m.countParams() - trainable];
};
const summaryTotals = (m: gf.Model) => {
  const text = m.summary(null);
  const read = (label: string) => Number(text.match(new RegExp(`^${label}: ([\\d,]+)$`, 'm'))![1].replace(/,/g, ''));
  return [read('Total params'), read('Trainable params'), read('Non-trainable params')];
};

describe('the chapter models have the exact parameter counts (chapter-experiments.md)', () => {
  const cases: Array<[string, () => gf.Model, number[]]> = [
    ['mlp-300-100', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), dense(300), dense(100), dense(10, 'softmax')]),
      [266_610, 266_610, 0]],
    ['build_model', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), dense(100), dense(100), dense(100), dense(10, 'softmax')]),
      [99_710, 99_710, 0]],
    ['bn-after', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), new L.BatchNormalization(), dense(300),
      new L.BatchNormalization(), dense(100), new L.BatchNormalization(), dense(10, 'softmax')]), [271_346, 268_978, 2_368]],
    ['bn-before', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), dense(300, 'linear', { useBias: false }),
      new L.BatchNormalization(), new L.Activation('relu'), dense(100, 'linear', { useBias: false }), new L.BatchNormalization(),
      new L.Activation('relu'), dense(10, 'softmax')]), [267_810, 267_010, 800]],
    ['model_A', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), dense(100), dense(100), dense(100), dense(8, 'softmax')]),
      [99_508, 99_508, 0]],
    ['model_B', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), dense(100), dense(100), dense(100), dense(1, 'sigmoid')]),
      [98_801, 98_801, 0]],
    ['mc-dropout', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }), new L.Dropout(0.2), dense(100), new L.Dropout(0.2),
      dense(100), new L.Dropout(0.2), dense(10, 'softmax')]), [89_610, 89_610, 0]],
    ['selu-100', () => new gf.Sequential([new L.Flatten({ inputShape: [28, 28] }),
      ...Array.from({ length: 100 }, () => new L.Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' })),
      dense(10, 'softmax')]), [1_079_410, 1_079_410, 0]],
  ];
  for (const [name, build, expected] of cases) {
    test(`${name}: ${expected.join(' / ')}`, () => {
      const model = build();
      assert.deepEqual(summaryTotals(model), expected);
      assert.deepEqual(counts(model), expected);
    });
  }

  test('bn-after: the BN layers hold 3,136, 1,200 and 400 parameters, shown as a Keras table', () => {
    const model = cases[2][1]();
    const bn = model.layers.filter((l) => l instanceof L.BatchNormalization).map((l) => l.countParams());
    assert.deepEqual(bn, [3_136, 1_200, 400]);
    const text = model.summary(null);
    assert.match(text, /batch_normalization\S* \(BatchNormalization\)\s+\(None, 784\)\s+3,136/);
    assert.match(text, /dense\S* \(Dense\)\s+\(None, 300\)\s+235,500/);
  });
});

/** A learnable synthetic task: the class is the argmax of a fixed linear map of the input. */
function task(n: number, features = 20, classes = 3, seed = 5) {
  const rng = new gf.RandomGenerator(seed);
  const x = gf.tensor(Float32Array.from({ length: n * features }, () => rng.normal()), [n, features]);
  const w = gf.tensor(Float32Array.from({ length: features * classes }, () => rng.normal()), [features, classes]);
  return { x, y: gf.argmax(gf.matmul(x, w), -1) };
}

describe('training', () => {
  test('an MLP learns a synthetic task: loss falls by more than 50%', async () => {
    gf.setSeed(1);
    const { x, y } = task(512);
    const model = new gf.Sequential([dense(32, 'relu', { inputShape: [20] }), dense(3, 'softmax')]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
    const loss = history.history.loss;
    assert.ok(loss[loss.length - 1] < 0.5 * loss[0], `loss ${loss[0]} → ${loss[loss.length - 1]}`);
    assert.ok(history.history.accuracy[loss.length - 1] > 0.8);
  });

  test('freezing: frozen weights and BN moving statistics stay bit-identical; unfreeze + recompile continues', async () => {
    gf.setSeed(2);
    const { x, y } = task(256);
    const hidden = dense(16, 'relu', { inputShape: [20] });
    const bn = new L.BatchNormalization();
    const head = dense(3, 'softmax');
    const model = new gf.Sequential([hidden, bn, head]);
    const optimizer = new gf.optimizers.Adam({ learningRate: 0.01 });
    hidden.trainable = false;
    bn.trainable = false;
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
    const frozenBefore = [...hidden.getWeights(), ...bn.getWeights()].map((t) => Array.from(t.data));
    const headBefore = head.getWeights().map((t) => Array.from(t.data));
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    assert.deepEqual([...hidden.getWeights(), ...bn.getWeights()].map((t) => Array.from(t.data)), frozenBefore);
    assert.notDeepEqual(head.getWeights().map((t) => Array.from(t.data)), headBefore);
    hidden.trainable = true;
    bn.trainable = true;
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    assert.notDeepEqual(hidden.getWeights().map((t) => Array.from(t.data)), frozenBefore.slice(0, 2));
  });

  test('a frozen BatchNormalization runs in inference mode even with training: true', () => {
    const bn = new L.BatchNormalization();
    const x = gf.tensor([[1, 2], [3, 6]]);
    bn.apply(x, { training: true }); // builds and updates moving stats once
    bn.trainable = false;
    const before = bn.getWeights().map((t) => Array.from(t.data));
    const y = bn.apply(x, { training: true });
    const inference = bn.apply(x, { training: false });
    assert.deepEqual(y.toArray(), inference.toArray());
    assert.deepEqual(bn.getWeights().map((t) => Array.from(t.data)), before);
  });

  test('functional model: two outputs, per-output losses and lossWeights (total = Σ wᵢ·lossᵢ)', async () => {
    gf.setSeed(3);
    const { x, y } = task(64);
    const input = gf.input([20]);
    const h = dense(8).apply(input);
    const main = new L.Dense(3, { activation: 'softmax', name: 'main' }).apply(h);
    const aux = new L.Dense(1, { name: 'aux' }).apply(h);
    const model = new gf.Model({ inputs: input, outputs: [main, aux] });
    model.compile({ optimizer: 'sgd', loss: { main: 'sparse_categorical_crossentropy', aux: 'mse' }, lossWeights: { main: 0.9, aux: 0.1 } });
    const target = gf.sum(x, -1, true);
    const logs = model.testOnBatch(x, [y, target]);
    assert.ok(Math.abs(logs.loss - (0.9 * logs.main_loss + 0.1 * logs.aux_loss)) < 1e-5);
    const history = await model.fit(x, [y, target], { epochs: 3, verbose: 0 });
    assert.ok(history.history.loss[2] < history.history.loss[0]);
    assert.equal((await model.predictAll(x)).length, 2);
  });

  test('nested models share weights with their parts (an autoencoder)', async () => {
    gf.setSeed(4);
    const encoder = new gf.Sequential([dense(4, 'relu', { inputShape: [20] })], { name: 'encoder' });
    const decoder = new gf.Sequential([new L.Dense(20, { inputShape: [4] })], { name: 'decoder' });
    const autoencoder = new gf.Sequential([encoder, decoder], { name: 'autoencoder' });
    assert.equal(autoencoder.countParams(), encoder.countParams() + decoder.countParams());
    const { x } = task(64);
    autoencoder.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
    const before = Array.from(encoder.getWeights()[0].data);
    await autoencoder.fit(x, x, { epochs: 2, verbose: 0 });
    assert.notDeepEqual(Array.from(encoder.getWeights()[0].data), before);
    assert.deepEqual((await encoder.predict(x)).shape, [64, 4]);
  });
});

describe('saving, cloning, folding and MC dropout', () => {
  test('save/load round trip keeps predictions and optimizer state (training resumes identically)', async () => {
    gf.setSeed(6);
    const { x, y } = task(64);
    const model = new gf.Sequential([dense(8, 'relu', { inputShape: [20] }), new L.BatchNormalization(), dense(3, 'softmax')]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'gf-model-'));
    try {
      const path = join(dir, 'model.safetensors');
      await model.save(path);
      assert.deepEqual(readdirSync(dir), ['model.safetensors']); // no temp file left behind
      const loaded = await gf.loadModel(path);
      assert.deepEqual((await loaded.predict(x)).toArray(), (await model.predict(x)).toArray());
      model.trainOnBatch(x, y);
      loaded.trainOnBatch(x, y);
      assert.deepEqual(loaded.getWeights().map((t) => Array.from(t.data)), model.getWeights().map((t) => Array.from(t.data)));
      writeFileSync(join(dir, 'bad.safetensors'), new Uint8Array([1, 2, 3]));
      await assert.rejects(gf.loadModel(join(dir, 'bad.safetensors')), /too short to be a safetensors file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cloneModel makes fresh weights; setWeights copies them', async () => {
    const model = new gf.Sequential([dense(8, 'relu', { inputShape: [20] }), dense(3, 'softmax')]);
    const clone = gf.cloneModel(model);
    const { x } = task(8);
    assert.notDeepEqual((await clone.predict(x)).toArray(), (await model.predict(x)).toArray());
    clone.setWeights(model.getWeights());
    assert.deepEqual((await clone.predict(x)).toArray(), (await model.predict(x)).toArray());
    assert.throws(() => clone.setWeights(model.getWeights().slice(1)), /expected 4 arrays/);
  });

  test('foldBatchNorm: one Dense per Dense→BN and BN→Dense pair, same predictions within 1e-5', async () => {
    gf.setSeed(7);
    const { x, y } = task(128);
    for (const layers of [
      () => [new L.BatchNormalization({ inputShape: [20] }), dense(16), new L.BatchNormalization(), dense(3, 'softmax')],
      () => [dense(16, 'linear', { inputShape: [20], useBias: false }), new L.BatchNormalization(), new L.Activation('relu'), dense(3, 'softmax')],
    ]) {
      const model = new gf.Sequential(layers());
      model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      await model.fit(x, y, { epochs: 2, verbose: 0 });
      const folded = gf.foldBatchNorm(model);
      assert.equal(folded.layers.filter((l) => l instanceof L.BatchNormalization).length, 0);
      assert.ok(folded.layers.length < model.layers.length);
      const diff = gf.max(gf.abs(gf.sub(await folded.predict(x), await model.predict(x)))).item();
      assert.ok(diff <= 1e-5, `max difference ${diff}`);
    }
  });

  test('mcPredict: dropout on, batch norm in inference mode; std 0 without dropout', () => {
    gf.setSeed(8);
    const { x } = task(16);
    const bn = new L.BatchNormalization();
    const model = new gf.Sequential([dense(32, 'relu', { inputShape: [20] }), bn, new L.Dropout(0.5), dense(3, 'softmax')]);
    const stats = bn.getWeights().map((t) => Array.from(t.data));
    const { mean, std } = gf.mcPredict(model, x, { samples: 20 });
    assert.deepEqual(mean.shape, [16, 3]);
    assert.ok(gf.max(std).item() > 0);
    assert.deepEqual(bn.getWeights().map((t) => Array.from(t.data)), stats);
    const plain = new gf.Sequential([dense(4, 'relu', { inputShape: [20] }), dense(3, 'softmax')]);
    assert.equal(gf.max(gf.mcPredict(plain, x, { samples: 5 }).std).item(), 0);
  });
});

describe('bad input names what is wrong', () => {
  const model = () => {
    const m = new gf.Sequential([new L.Dense(3, { inputShape: [4], activation: 'softmax', name: 'first' })]);
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    return m;
  };
  test('sample counts differ', async () => {
    await assert.rejects(model().fit(gf.zeros([4, 4]), gf.zeros([3], 'int32'), { verbose: 0 }), /same number of samples.*4.*3/);
  });
  test('a shape the first layer cannot take names the layer and both shapes', async () => {
    await assert.rejects(model().fit(gf.zeros([4, 5]), gf.zeros([4], 'int32'), { verbose: 0 }), /first \(Dense\).*\[None, 4\].*\[4, 5\]/);
  });
  test('labels out of range for sparse cross-entropy', async () => {
    await assert.rejects(model().fit(gf.zeros([2, 4]), gf.tensor([0, 7], undefined, 'int32'), { verbose: 0 }), /7/);
  });
  test('NaN in inputs (and the opt-out)', async () => {
    const x = gf.tensor([[0, 0, 0, NaN], [0, 0, 0, 0]]);
    await assert.rejects(model().fit(x, gf.zeros([2], 'int32'), { verbose: 0 }), /NaN.*checkFinite/);
    await model().fit(x, gf.zeros([2], 'int32'), { verbose: 0, checkFinite: false });
  });
  test('a model used before compile', async () => {
    const m = new gf.Sequential([new L.Dense(1, { inputShape: [2] })]);
    await assert.rejects(m.fit(gf.zeros([1, 2]), gf.zeros([1, 1]), { verbose: 0 }), /must be compiled first/);
  });
});
