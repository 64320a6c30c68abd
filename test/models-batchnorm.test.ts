/**
 * Batch normalization in models (keras-semantics.md, "BatchNormalization"): the moving-statistics
 * formula, inference mode, weights, freezing (a frozen BN runs in inference mode and updates
 * nothing), freezing whole nested models, foldBatchNorm, and MC dropout (gf.mcPredict).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { runLayerTest } from './helpers/layer-test.js';
import { assertClose } from './helpers/assert-close.js';

const L = gf.layers;
const values = (ts: readonly gf.Tensor[]) => ts.map((t) => Array.from(t.data));
const f64 = (rows: number[][]) => gf.tensor(rows, undefined, 'float64');

/** Column means and biased variances of a row-major [n, d] array, by hand. */
function columnStats(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length, d = rows[0].length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const variance = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n);
  return { mean, variance };
}

function classification(n: number, features: number, seed: number) {
  const rng = new gf.RandomGenerator(seed);
  const x = gf.tensor(Float32Array.from({ length: n * features }, () => 2 * rng.normal() + 1), [n, features]);
  const y = gf.tensor(Int32Array.from({ length: n }, (_, i) => x.data[i * features] + x.data[i * features + 1] > 2 ? 1 : 0), [n], 'int32');
  return { x, y };
}

describe('BatchNormalization semantics', () => {
  test('training: batch statistics (biased variance), moving ← moving·0.99 + batch·0.01, step by step', () => {
    const bn = new L.BatchNormalization({ dtype: 'float64' });
    assert.equal(bn.momentum, 0.99);
    assert.equal(bn.epsilon, 1e-3);
    const batches = [[[1, 2], [3, 6], [5, -1]], [[0, 0.5], [-2, 4], [10, 1], [4, 4]]];
    let movingMean = [0, 0], movingVar = [1, 1];
    for (const rows of batches) {
      const y = bn.apply(f64(rows), { training: true });
      const { mean, variance } = columnStats(rows);
      const expectedY = rows.map((r) => r.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + 1e-3)));
      assertClose(y, expectedY, { atol: 1e-12, message: 'normalized output with batch statistics' });
      movingMean = movingMean.map((m, j) => m * 0.99 + mean[j] * (1 - 0.99));
      movingVar = movingVar.map((v, j) => v * 0.99 + variance[j] * (1 - 0.99));
      assertClose(bn.movingMean!, movingMean, { atol: 1e-14, message: 'moving_mean' });
      assertClose(bn.movingVariance!, movingVar, { atol: 1e-14, message: 'moving_variance (biased batch variance)' });
    }
  });

  test('a custom momentum follows the same formula', () => {
    const bn = new L.BatchNormalization({ dtype: 'float64', momentum: 0.9 });
    const rows = [[1, -1, 3], [2, 5, 3]];
    bn.apply(f64(rows), { training: true });
    const { mean, variance } = columnStats(rows);
    assertClose(bn.movingMean!, mean.map((m) => 0.1 * m), { atol: 1e-14 });
    assertClose(bn.movingVariance!, variance.map((v) => 0.9 + 0.1 * v), { atol: 1e-14 });
  });

  test('inference uses the moving statistics, gamma and beta; it updates nothing', () => {
    const bn = new L.BatchNormalization({ dtype: 'float64', epsilon: 0.01 });
    const rows = [[1, 2], [3, 6], [5, -1]];
    bn.apply(f64(rows), { training: false }); // builds
    const [gamma, beta, mm, mv] = [[2, 0.5], [1, -1], [3, -2], [4, 0.25]];
    bn.setWeights([gamma, beta, mm, mv].map((v) => gf.tensor(v, undefined, 'float64')));
    const y = bn.apply(f64(rows), { training: false });
    assertClose(y, rows.map((r) => r.map((v, j) => gamma[j] * (v - mm[j]) / Math.sqrt(mv[j] + 0.01) + beta[j])), { atol: 1e-12 });
    assert.deepEqual(values(bn.getWeights()), [gamma, beta, mm, mv], 'inference leaves the moving statistics alone');
    // predict() of a model runs BN in inference mode too
    const model = new gf.Sequential([bn]);
    return model.predict(f64(rows)).then((p) => assert.deepEqual(Array.from(p.data), Array.from(y.data)));
  });

  test('weights: gamma, beta (trainable), moving_mean, moving_variance (non-trainable), in that order', () => {
    const bn = new L.BatchNormalization({ name: 'bn_order' });
    bn.apply(gf.zeros([2, 5]));
    assert.deepEqual(bn.weights.map((w) => w.name), ['bn_order/gamma', 'bn_order/beta', 'bn_order/moving_mean', 'bn_order/moving_variance']);
    assert.deepEqual(bn.weights.map((w) => w.trainable), [true, true, false, false]);
    assert.deepEqual(values(bn.getWeights()), [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]]);
    assert.equal(bn.trainableWeights.length, 2);
    assert.equal(bn.countParams(), 20);
  });

  test('center: false drops beta, scale: false drops gamma', () => {
    const noBeta = new L.BatchNormalization({ center: false, name: 'bn_nobeta' });
    noBeta.apply(gf.zeros([2, 3]));
    assert.deepEqual(noBeta.weights.map((w) => w.name), ['bn_nobeta/gamma', 'bn_nobeta/moving_mean', 'bn_nobeta/moving_variance']);
    const noGamma = new L.BatchNormalization({ scale: false, name: 'bn_nogamma' });
    noGamma.apply(gf.zeros([2, 3]));
    assert.deepEqual(noGamma.weights.map((w) => w.name), ['bn_nogamma/beta', 'bn_nogamma/moving_mean', 'bn_nogamma/moving_variance']);
    const neither = new L.BatchNormalization({ center: false, scale: false, dtype: 'float64' });
    const rows = [[1, 4], [3, 0]];
    const y = neither.apply(f64(rows), { training: true });
    assert.equal(neither.trainableWeights.length, 0);
    const { mean, variance } = columnStats(rows);
    assertClose(y, rows.map((r) => r.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + 1e-3))), { atol: 1e-12 });
  });

  test('runLayerTest: BatchNormalization over the last axis', () => {
    runLayerTest({
      create: (args) => new L.BatchNormalization({ ...args, momentum: 0.9 }),
      inputShape: [5, 3],
      expectedOutputShape: [5, 3],
      expectedWeights: [
        { name: 'gamma', shape: [3] }, { name: 'beta', shape: [3] },
        { name: 'moving_mean', shape: [3], trainable: false }, { name: 'moving_variance', shape: [3], trainable: false },
      ],
    });
  });

  test('runLayerTest: BatchNormalization over axis 1 of a rank-3 input, without center', () => {
    runLayerTest({
      create: (args) => new L.BatchNormalization({ ...args, axis: 1, center: false }),
      inputShape: [4, 2, 3],
      expectedOutputShape: [4, 2, 3],
      expectedWeights: [
        { name: 'gamma', shape: [2] },
        { name: 'moving_mean', shape: [2], trainable: false }, { name: 'moving_variance', shape: [2], trainable: false },
      ],
    });
  });
});

describe('freezing', () => {
  test('trainable=false: frozen Dense weights and frozen BN moving stats are bit-identical after fit; '
    + 'unfreeze + recompile with the same optimizer continues training', async () => {
    gf.setSeed(11);
    const { x, y } = classification(96, 6, 1);
    const hidden = new L.Dense(8, { inputShape: [6], activation: 'relu', name: 'frz_hidden' });
    const bn = new L.BatchNormalization({ name: 'frz_bn' });
    const head = new L.Dense(2, { activation: 'softmax', name: 'frz_head' });
    const model = new gf.Sequential([hidden, bn, head]);
    // one unfrozen step first so the BN moving stats are not at their initial values
    const optimizer = new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 });
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
    model.trainOnBatch(x, y);

    hidden.trainable = false;
    bn.trainable = false;
    assert.deepEqual(model.trainableWeights.map((w) => w.name), ['frz_head/kernel', 'frz_head/bias']);
    assert.match(model.summary(null), /^Non-trainable params: 88$/m, '6·8 + 8 + 4·8 frozen parameters');
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
    const frozen = values([...hidden.getWeights(), ...bn.getWeights()]);
    const headBefore = values(head.getWeights());
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    assert.deepEqual(values([...hidden.getWeights(), ...bn.getWeights()]), frozen, 'frozen weights and BN statistics are bit-identical');
    assert.notDeepEqual(values(head.getWeights()), headBefore, 'the unfrozen head trains');

    hidden.trainable = true;
    bn.trainable = true;
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
    const iterations = optimizer.iterations;
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    assert.equal(optimizer.iterations, iterations + 6, 'the same optimizer instance keeps counting');
    const after = [...hidden.getWeights(), ...bn.getWeights()];
    after.forEach((t, i) => assert.notDeepEqual(Array.from(t.data), frozen[i], `weight ${i} trains again after unfreezing`));
  });

  test('trainable=false on a nested model freezes every layer inside it (BN statistics included)', async () => {
    gf.setSeed(12);
    const { x, y } = classification(64, 6, 2);
    const base = new gf.Sequential([
      new L.Dense(8, { inputShape: [6], activation: 'relu' }), new L.BatchNormalization(), new L.Dense(4, { activation: 'relu' }),
    ], { name: 'frozen_base' });
    const head = new L.Dense(2, { activation: 'softmax', name: 'nested_head' });
    const model = new gf.Sequential([base, head]);
    await model.predict(x); // builds (see models-summary for building at construction)
    base.trainable = false;
    assert.ok(base.layers.every((l) => !l.trainable), 'every inner layer is frozen');
    assert.deepEqual(model.trainableWeights.map((w) => w.name), ['nested_head/kernel', 'nested_head/bias']);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    const before = values(base.getWeights());
    const headBefore = values(head.getWeights());
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    assert.deepEqual(values(base.getWeights()), before);
    assert.notDeepEqual(values(head.getWeights()), headBefore);
    base.trainable = true;
    assert.ok(base.layers.every((l) => l.trainable));
    assert.equal(model.trainableWeights.length, 2 + 2 + 2 + 2);
  });

  test('a frozen BN runs in inference mode even with training: true (moving statistics, no update)', () => {
    const bn = new L.BatchNormalization({ dtype: 'float64' });
    const rows = [[1, 2], [3, 6], [5, -1]];
    bn.apply(f64(rows), { training: false });
    bn.setWeights([[1.5, 2], [0.5, -1], [1, 2], [2, 3]].map((v) => gf.tensor(v, undefined, 'float64')));
    bn.trainable = false;
    const before = values(bn.getWeights());
    const y = bn.apply(f64(rows), { training: true });
    const expected = rows.map((r) => r.map((v, j) => [1.5, 2][j] * (v - [1, 2][j]) / Math.sqrt([2, 3][j] + 1e-3) + [0.5, -1][j]));
    assertClose(y, expected, { atol: 1e-12 });
    assert.deepEqual(values(bn.getWeights()), before);
  });
});

describe('foldBatchNorm', () => {
  const cases: Array<[string, () => gf.layers.Layer[]]> = [
    ['bn-after (BN → Dense)', () => [new L.Flatten({ inputShape: [3, 4] }), new L.BatchNormalization(),
      new L.Dense(10, { activation: 'relu', kernelInitializer: 'he_normal' }), new L.BatchNormalization(),
      new L.Dense(6, { activation: 'relu', kernelInitializer: 'he_normal' }), new L.BatchNormalization(),
      new L.Dense(3, { activation: 'softmax' })]],
    ['bn-before (Dense without bias → BN → relu)', () => [new L.Flatten({ inputShape: [3, 4] }),
      new L.Dense(10, { useBias: false, kernelInitializer: 'he_normal' }), new L.BatchNormalization(), new L.Activation('relu'),
      new L.Dense(6, { useBias: false, kernelInitializer: 'he_normal' }), new L.BatchNormalization(), new L.Activation('relu'),
      new L.Dense(3, { activation: 'softmax' })]],
    ['Dense with bias → BN', () => [new L.Dense(5, { inputShape: [12] }), new L.BatchNormalization({ momentum: 0.5 }),
      new L.Activation('tanh'), new L.Dense(3, { activation: 'softmax' })]],
  ];
  for (const [name, layers] of cases) {
    test(`${name}: no BN left, fewer layers and params, predictions within 1e-5`, async () => {
      gf.setSeed(21);
      const n = 48;
      const rng = new gf.RandomGenerator(3);
      const flat = Float32Array.from({ length: n * 12 }, () => 3 * rng.normal() + 2);
      const x = gf.tensor(flat, layers()[0] instanceof L.Flatten ? [n, 3, 4] : [n, 12]);
      const y = gf.tensor(Int32Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');
      const model = new gf.Sequential(layers());
      model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy' });
      await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 }); // moving stats, gamma, beta move away from 0/1
      const bns = model.layers.filter((l) => l instanceof L.BatchNormalization);
      assert.ok(bns.every((l) => l.getWeights()[0].data.some((g) => g !== 1)), 'gamma moved');
      const before = values(model.getWeights());
      const folded = gf.foldBatchNorm(model);
      assert.equal(folded.layers.filter((l) => l instanceof L.BatchNormalization).length, 0);
      assert.equal(folded.layers.length, model.layers.length - bns.length);
      assert.ok(folded.countParams() < model.countParams());
      const [a, b] = [await folded.predict(x), await model.predict(x)];
      assertClose(a, b, { atol: 1e-5, message: 'folded vs original (inference)' });
      assert.deepEqual(values(model.getWeights()), before, 'the original model is unchanged');
      assert.notEqual(folded.weights[0], model.weights[0], 'the folded model owns its weights');
    });
  }
});

describe('mcPredict and MC dropout', () => {
  test('shapes; without dropout the std is exactly 0 and the mean equals predict()', async () => {
    const model = new gf.Sequential([new L.Dense(5, { inputShape: [4], activation: 'relu' }), new L.Dense(3, { activation: 'softmax' })]);
    const x = gf.randomNormal([7, 4]);
    const { mean, std } = gf.mcPredict(model, x, { samples: 4, batchSize: 3 });
    assert.deepEqual(mean.shape, [7, 3]);
    assert.deepEqual(std.shape, [7, 3]);
    assert.ok(Array.from(std.data).every((v) => v === 0));
    assertClose(mean, await model.predict(x), { atol: 1e-7 });
  });

  test('with Dropout: std > 0, mean and std are those of the stochastic passes; BN stays in inference mode', async () => {
    const bn = new L.BatchNormalization();
    const model = new gf.Sequential([new L.Dense(16, { inputShape: [4], activation: 'relu' }), bn, new L.Dropout(0.5), new L.Dense(3)]);
    const x = gf.randomNormal([6, 4]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    model.trainOnBatch(x, gf.randomNormal([6, 3])); // moving statistics away from their initial values
    const stats = values(bn.getWeights());
    gf.setSeed(5);
    const { mean, std } = gf.mcPredict(model, x, { samples: 5 });
    assert.ok(Array.from(std.data).some((v) => v > 0));
    assert.deepEqual(values(bn.getWeights()), stats, 'mcPredict changes no BN statistic');
    // by hand, same seed: 5 passes with dropout on and BN in inference mode
    gf.setSeed(5);
    const passes = Array.from({ length: 5 }, () => model.forward([x], { training: false, mcDropout: true })[0]);
    const m = passes[0].data.map((_, i) => passes.reduce((s, p) => s + p.data[i], 0) / 5);
    const s = passes[0].data.map((_, i) => Math.sqrt(passes.reduce((acc, p) => acc + (p.data[i] - m[i]) ** 2, 0) / 5));
    assertClose(Array.from(mean.data), Array.from(m), { atol: 1e-5, message: 'mean of the passes' });
    assertClose(Array.from(std.data), Array.from(s), { atol: 1e-5, message: 'population std of the passes' });
  });

  test('BN in a model under mcPredict uses moving statistics, not the batch\'s', () => {
    const bn = new L.BatchNormalization({ inputShape: [2], dtype: 'float64' });
    const model = new gf.Sequential([bn]);
    bn.setWeights([[1, 1], [0, 0], [5, -5], [4, 9]].map((v) => gf.tensor(v, undefined, 'float64')));
    const x = f64([[1, 2], [3, 4]]);
    const { mean } = gf.mcPredict(model, x, { samples: 3 });
    assertClose(mean, [[(1 - 5) / Math.sqrt(4.001), (2 + 5) / Math.sqrt(9.001)], [(3 - 5) / Math.sqrt(4.001), (4 + 5) / Math.sqrt(9.001)]], { atol: 1e-9 });
  });

  test('the MC mean of a linear model with dropout estimates the deterministic prediction', async () => {
    gf.setSeed(9);
    const model = new gf.Sequential([new L.Dropout(0.3, { inputShape: [6] }), new L.Dense(2)]);
    const x = gf.randomNormal([5, 6]);
    const samples = 400;
    const { mean, std } = gf.mcPredict(model, x, { samples });
    const p = await model.predict(x);
    for (let i = 0; i < p.size; i++) {
      const bound = 5 * std.data[i] / Math.sqrt(samples) + 1e-6;
      assert.ok(Math.abs(mean.data[i] - p.data[i]) <= bound, `[${i}] mean ${mean.data[i]} vs ${p.data[i]} (5 s.e. = ${bound})`);
    }
  });

  test('MCDropout stays active in predict(); Dropout does not', async () => {
    const x = gf.randomNormal([8, 4]);
    const mc = new gf.Sequential([new L.Dense(8, { inputShape: [4] }), new L.MCDropout(0.5), new L.Dense(2)]);
    assert.notDeepEqual(Array.from((await mc.predict(x)).data), Array.from((await mc.predict(x)).data));
    const plain = new gf.Sequential([new L.Dense(8, { inputShape: [4] }), new L.Dropout(0.5), new L.Dense(2)]);
    assert.deepEqual(Array.from((await plain.predict(x)).data), Array.from((await plain.predict(x)).data));
  });

  test('samples must be a positive integer', () => {
    const model = new gf.Sequential([new L.Dense(2, { inputShape: [2] })]);
    assert.throws(() => gf.mcPredict(model, gf.zeros([1, 2]), { samples: 0 }), /samples must be a positive integer/);
  });
});
