/**
 * Losses: golden values (Keras docstrings or hand derivations, stated per test), from-logits
 * vs on-probabilities, stability at ±1000 logits, float64 gradient checks w.r.t. yPred,
 * reductions and sample weights, registry spellings, config round trips, bad input.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { checkGradients, f64, randn } from './helpers/gradcheck.js';
import { assertClose } from './helpers/assert-close.js';
import * as losses from '../src/losses/index.js';

const Y_TRUE = [[0, 1], [0, 0]];
const Y_PRED = [[0.6, 0.4], [0.4, 0.6]];
const i32 = (v: gf.NestedArray): Tensor => gf.tensor(v, undefined, 'int32');
const reduced = (name: string, yt: gf.TensorLike, yp: gf.TensorLike, opts: Record<string, unknown> = {}): number =>
  losses.get({ className: name, config: opts }).apply(yt, yp).item();

describe('golden values', () => {
  test('mean_squared_error', () => {
    // Keras docstring: [[0,1],[0,0]] vs [[1,1],[1,0]] → per sample [0.5, 0.5], mean 0.5
    assertClose(losses.meanSquaredError(Y_TRUE, [[1, 1], [1, 0]]), [0.5, 0.5]);
    // by hand: errors (0.6, −0.6), (0.4, 0.6) → [(0.36+0.36)/2, (0.16+0.36)/2] = [0.36, 0.26], mean 0.31
    assertClose(losses.mse(Y_TRUE, Y_PRED), [0.36, 0.26], { atol: 1e-6 });
    assertClose(reduced('mse', Y_TRUE, Y_PRED), 0.31, { atol: 1e-6 });
  });

  test('mean_absolute_error', () => {
    // Keras docstring: [[0,1],[0,0]] vs [[1,1],[1,0]] → 0.5; by hand on Y_PRED: [0.6, 0.5] → 0.55
    assertClose(reduced('mae', Y_TRUE, [[1, 1], [1, 0]]), 0.5);
    assertClose(losses.mae(Y_TRUE, Y_PRED), [0.6, 0.5], { atol: 1e-6 });
  });

  test('huber (δ = 1) and the linear part beyond δ', () => {
    // Keras docstring: 0.155 (all |e| ≤ 1: ½e² = [0.18, 0.18 | 0.08, 0.18] → [0.18, 0.13])
    assertClose(losses.huber(Y_TRUE, Y_PRED), [0.18, 0.13], { atol: 1e-6 });
    assertClose(reduced('huber', Y_TRUE, Y_PRED), 0.155, { atol: 1e-6 });
    // |e| = 3 with δ = 1: δ(|e| − ½δ) = 2.5; with δ = 2: 2(3 − 1) = 4
    assertClose(losses.huber([[0]], [[3]]), [2.5]);
    assertClose(losses.huber([[0]], [[-3]], 2), [4]);
  });

  test('binary_crossentropy on probabilities and logits', () => {
    // Keras docstring: per sample [0.916, 0.714], mean 0.81492424 (−log 0.4 = 0.91629, −log 0.6 = 0.51083)
    assertClose(losses.binaryCrossentropy(Y_TRUE, Y_PRED), [0.9162907, 0.7135582], { atol: 1e-6 });
    assertClose(reduced('binary_crossentropy', Y_TRUE, Y_PRED), 0.81492424, { atol: 1e-6 });
    // Keras BinaryCrossentropy docstring (from_logits): y [0,1,0,0], logits [−18.6, 0.51, 2.94, −12.8] → 0.865
    assertClose(reduced('BinaryCrossentropy', [[0, 1, 0, 0]], [[-18.6, 0.51, 2.94, -12.8]], { fromLogits: true }), 0.8654579, { atol: 1e-5 });
  });

  test('binary_crossentropy label smoothing', () => {
    // s = 0.2: y ← y·0.8 + 0.1; sample [[1]] vs p 0.9: −(0.9 log 0.9 + 0.1 log 0.1) = 0.3250830
    assertClose(losses.binaryCrossentropy([[1]], [[0.9]], { labelSmoothing: 0.2 }), [0.3250830], { atol: 1e-6 });
  });

  test('categorical_crossentropy', () => {
    // Keras docstring: [0.0513, 2.303], mean 1.177 (−log 0.95, −log 0.1)
    const yt = [[0, 1, 0], [0, 0, 1]], yp = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
    assertClose(losses.categoricalCrossentropy(yt, yp), [0.0512933, 2.3025851], { atol: 1e-6 });
    assertClose(reduced('categorical_crossentropy', yt, yp), 1.1769392, { atol: 1e-6 });
    // Keras renormalizes p by Σp: [[1, 3]] → [0.25, 0.75]; label 1 → −log 0.75
    assertClose(losses.categoricalCrossentropy([[0, 1]], [[1, 3]]), [-Math.log(0.75)], { atol: 1e-6 });
    // label smoothing 0.3 over K = 3: y = [0.1, 0.8, 0.1] on p = [0.2, 0.5, 0.3]
    const expected = -(0.1 * Math.log(0.2) + 0.8 * Math.log(0.5) + 0.1 * Math.log(0.3));
    assertClose(losses.categoricalCrossentropy([[0, 1, 0]], [[0.2, 0.5, 0.3]], { labelSmoothing: 0.3 }), [expected], { atol: 1e-6 });
  });

  test('sparse_categorical_crossentropy (Keras docstring: 1.1769392)', () => {
    const yp = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
    assertClose(reduced('sparse_categorical_crossentropy', i32([1, 2]), yp), 1.1769392, { atol: 1e-6 });
    // labels [batch, 1] and integral floats are accepted
    assertClose(reduced('scce', [[1], [2]], yp), 1.1769392, { atol: 1e-6 });
    // p = 0 for the true class is clipped to ε: −log 1e-7 = 16.118
    assertClose(losses.sparseCategoricalCrossentropy(i32([2]), [[0.05, 0.95, 0]]), [-Math.log(1e-7)], { rtol: 1e-4 });
  });

  test('kl_divergence (Keras docstring: 0.458)', () => {
    // yTrue clipped to [ε, 1]: sample 1 ≈ log(1/0.4) = 0.91629, sample 2 ≈ 0 (ε terms)
    assertClose(losses.kld(Y_TRUE, Y_PRED), [0.9162891, -3.08e-6], { atol: 1e-6 });
    assertClose(reduced('kld', Y_TRUE, Y_PRED), 0.458, { atol: 1e-3 });
    assertClose(losses.klDivergence([[0.5, 0.5]], [[0.5, 0.5]]), [0], { atol: 1e-7 });
  });

  test('softmaxCrossEntropyWithLogits with sparse and one-hot labels', () => {
    // logits [1, 2, 3]: log softmax = x − log(e + e² + e³) = x − 3.4076059
    const lse = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);
    assertClose(losses.softmaxCrossEntropyWithLogits(i32([0, 2]), [[1, 2, 3], [1, 2, 3]]), [lse - 1, lse - 3], { atol: 1e-5 });
    assertClose(losses.softmaxCrossEntropyWithLogits([[0, 1, 0]], [[1, 2, 3]]), [lse - 2], { atol: 1e-5 });
    assertClose(losses.softmaxCrossEntropyWithLogits(i32([[1]]), [[1, 2, 3]]), [lse - 2], { atol: 1e-5 });
  });
});

describe('from logits equals on probabilities for moderate values', () => {
  const logits = randn([4, 3], 11, 2);
  test('binary', () => {
    const y = f64([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]);
    assertClose(losses.binaryCrossentropy(y, logits, { fromLogits: true }), losses.binaryCrossentropy(y, gf.sigmoid(logits)), { atol: 1e-6 });
    assertClose(losses.binaryCrossentropy(y, logits, { fromLogits: true, labelSmoothing: 0.1 }),
      losses.binaryCrossentropy(y, gf.sigmoid(logits), { labelSmoothing: 0.1 }), { atol: 1e-6 });
  });
  test('categorical and sparse', () => {
    const labels = i32([0, 2, 1, 2]);
    const oneHot = gf.oneHot(labels, 3, 'float64');
    const probs = gf.softmax(logits);
    const ref = losses.categoricalCrossentropy(oneHot, probs);
    assertClose(losses.categoricalCrossentropy(oneHot, logits, { fromLogits: true }), ref, { atol: 1e-6 });
    assertClose(losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }), ref, { atol: 1e-6 });
    assertClose(losses.sparseCategoricalCrossentropy(labels, probs), ref, { atol: 1e-6 });
    assertClose(losses.categoricalCrossentropy(oneHot, logits, { fromLogits: true, labelSmoothing: 0.2 }),
      losses.categoricalCrossentropy(oneHot, probs, { labelSmoothing: 0.2 }), { atol: 1e-6 });
  });
});

describe('stability at ±1000 logits', () => {
  test('binary: exact values and gradients σ(z) − y', () => {
    const z = gf.tensor([[1000, -1000, 1000, -1000, 0]]).requireGrad();
    const y = gf.tensor([[1, 0, 0, 1, 1]]);
    const per = losses.binaryCrossentropy(y, z, { fromLogits: true });
    // by hand: 0, 0, 1000, 1000, log 2 → mean 400.138629
    assertClose(per, [(2000 + Math.log(2)) / 5], { rtol: 1e-6 });
    gf.sum(per).backward();
    // d/dz mean = (σ(z) − y)/5 = [0, 0, 1, −1, −0.5]/5; NOTE: z = 0 exercises the kink of |z|
    assertClose(z.grad!, [[0, 0, 0.2, -0.2, -0.1]], { atol: 1e-7 });
  });

  test('categorical and sparse: exact values and gradients softmax − onehot', () => {
    for (const [name, labels] of [['categorical', gf.tensor([[0, 1, 0], [1, 0, 0]])], ['sparse', i32([1, 0])]] as const) {
      const z = gf.tensor([[1000, -1000, 0], [1000, 999, -1000]]).requireGrad();
      const per = name === 'sparse'
        ? losses.sparseCategoricalCrossentropy(labels, z, { fromLogits: true })
        : losses.categoricalCrossentropy(labels, z, { fromLogits: true });
      // row 1: −log softmax_1 = 2000; row 2: log(1 + e^−1) = 0.3132617. NOTE: float32 holds
      // 1000.313 to ±3e-5 (its ulp at 1000 is 6e-5), hence atol 1e-4 on the small row.
      assertClose(per, [2000, Math.log(1 + Math.exp(-1))], { atol: 1e-4, rtol: 1e-6, message: name });
      gf.sum(per).backward();
      const s = 1 / (1 + Math.exp(-1));
      assertClose(z.grad!, [[1, -1, 0], [s - 1, 1 - s, 0]], { atol: 1e-6, message: name });
    }
  });
});

describe('gradients w.r.t. yPred match central differences (float64)', () => {
  const probs = (seed: number): Tensor => gf.softmax(randn([3, 4], seed));
  const targets = f64([[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]);
  const soft = f64([[0.1, 0.6, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]]);
  const cases: Array<[string, (p: Tensor) => Tensor, () => Tensor]> = [
    ['mean_squared_error', (p) => losses.meanSquaredError(soft, p), () => randn([3, 4], 1)],
    ['mean_absolute_error', (p) => losses.meanAbsoluteError(soft, p), () => randn([3, 4], 2)],
    ['huber (both regimes)', (p) => losses.huber(soft, p, 0.5), () => randn([3, 4], 3)],
    ['binary_crossentropy', (p) => losses.binaryCrossentropy(targets, p, { labelSmoothing: 0.1 }), () => gf.sigmoid(randn([3, 4], 4))],
    ['binary_crossentropy fromLogits', (p) => losses.binaryCrossentropy(soft, p, { fromLogits: true }), () => randn([3, 4], 5, 3)],
    ['categorical_crossentropy', (p) => losses.categoricalCrossentropy(soft, p), () => probs(6)],
    ['categorical_crossentropy fromLogits', (p) => losses.categoricalCrossentropy(targets, p, { fromLogits: true, labelSmoothing: 0.1 }), () => randn([3, 4], 7, 3)],
    ['sparse_categorical_crossentropy', (p) => losses.sparseCategoricalCrossentropy(i32([1, 3, 0]), p), () => probs(8)],
    ['sparse_categorical_crossentropy fromLogits', (p) => losses.sparseCategoricalCrossentropy(i32([1, 3, 0]), p, { fromLogits: true }), () => randn([3, 4], 9, 3)],
    ['kl_divergence', (p) => losses.klDivergence(soft, p), () => probs(10)],
    ['softmaxCrossEntropyWithLogits (soft labels)', (p) => losses.softmaxCrossEntropyWithLogits(soft, p), () => randn([3, 4], 12, 3)],
    ['reduced Loss object with sample weights', (p) => new losses.CategoricalCrossentropy({ fromLogits: true }).apply(targets, p, f64([1, 0.5, 2])), () => randn([3, 4], 13)],
  ];
  for (const [name, fn, input] of cases) {
    test(name, () => { checkGradients(fn, [input()], { name }); });
  }
  test('binary_crossentropy fromLogits at z = 0 exactly (the |z| kink): σ(0) − y', () => {
    const g = gf.grad((z: Tensor) => gf.sum(losses.binaryCrossentropy(f64([[1, 0]]), z, { fromLogits: true })))(f64([[0, 0]]));
    assertClose(g[0], [[-0.25, 0.25]], { atol: 1e-12 });
  });
});

describe('reductions and sample weights', () => {
  const yt = [[0, 1], [0, 0], [1, 1]];
  const yp = [[1, 1], [1, 0], [0, 0]]; // per-sample MSE [0.5, 0.5, 1]
  test('sum_over_batch_size (default), sum, none', () => {
    assertClose(new losses.MeanSquaredError().apply(yt, yp), 2 / 3, { atol: 1e-6 });
    assertClose(new losses.MeanSquaredError({ reduction: 'sum' }).apply(yt, yp), 2);
    assertClose(new losses.MeanSquaredError({ reduction: 'none' }).apply(yt, yp), [0.5, 0.5, 1]);
  });
  test('sampleWeight: weighted sum over the batch size (zero weights still count, as Keras)', () => {
    const mse = new losses.MeanSquaredError();
    // (0.5·1 + 0.5·0 + 1·2) / 3 = 2.5/3
    assertClose(mse.apply(yt, yp, [1, 0, 2]), 2.5 / 3, { atol: 1e-6 });
    assertClose(mse.apply(yt, yp, [[1], [0], [2]]), 2.5 / 3, { atol: 1e-6 });
    assertClose(mse.apply(yt, yp, 2), 4 / 3, { atol: 1e-6 });
    assertClose(new losses.MeanSquaredError({ reduction: 'none' }).apply(yt, yp, [1, 0, 2]), [0.5, 0, 2]);
    assertClose(new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' }).apply(yt, yp, [1, 0, 2]), 2.5 / 3, { atol: 1e-6 });
    assertClose(new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' }).apply(yt, yp, [1, 1, 0]), 0.5, { atol: 1e-6 });
  });
  test('[batch] targets against [batch, 1] predictions are aligned', () => {
    assertClose(losses.mse([1, 2], [[1], [4]]), [0, 4]);
  });
  test('bad sampleWeight shape and bad reduction are errors', () => {
    assert.throws(() => new losses.MeanSquaredError().apply(yt, yp, [1, 2]), /mean_squared_error: sampleWeight has shape \[2\].*\[3\]/);
    assert.throws(() => new losses.MeanSquaredError({ reduction: 'mean' as never }), /reduction must be one of/);
  });
});

describe('registry', () => {
  test('spellings resolve to the same loss', () => {
    const groups: string[][] = [
      ['mse', 'MSE', 'mean_squared_error', 'meanSquaredError', 'MeanSquaredError'],
      ['mae', 'mean_absolute_error', 'meanAbsoluteError', 'MeanAbsoluteError'],
      ['huber', 'Huber', 'huber_loss'],
      ['binary_crossentropy', 'binaryCrossentropy', 'BinaryCrossentropy'],
      ['categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy'],
      ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy'],
      ['kld', 'KLD', 'kl_divergence', 'klDivergence', 'KLDivergence', 'kullback_leibler_divergence'],
    ];
    for (const group of groups) {
      const cls = losses.get(group[0]).constructor;
      for (const name of group) assert.equal(losses.get(name).constructor, cls, name);
    }
    assert.equal(losses.get('mse').name, 'mean_squared_error');
    assert.equal(losses.get('huber').name, 'huber_loss');
  });
  test('instances, configs and functions', () => {
    const l = new losses.Huber({ delta: 2 });
    assert.equal(losses.get(l), l);
    const fromConfig = losses.get({ className: 'Huber', config: { delta: 2 } }) as losses.Huber;
    assert.equal(fromConfig.delta, 2);
    const wrapped = losses.get(losses.meanSquaredError);
    assert.ok(wrapped instanceof losses.LossFunctionWrapper);
    assertClose(wrapped.apply(Y_TRUE, Y_PRED), 0.31, { atol: 1e-6 });
    // a registered function serializes and comes back
    const again = losses.get(losses.serialize(wrapped));
    assertClose(again.apply(Y_TRUE, Y_PRED), 0.31, { atol: 1e-6 });
  });
  test('a custom function: serialize needs registration', () => {
    const myLoss = (t: gf.TensorLike, p: gf.TensorLike): Tensor => losses.mae(t, p);
    assert.throws(() => losses.serialize(losses.get(myLoss)), /registerLossFunction/);
    losses.registerLossFunction('my_loss', myLoss);
    const restored = losses.get(losses.serialize(losses.get(myLoss)));
    assertClose(restored.apply(Y_TRUE, Y_PRED), 0.55, { atol: 1e-6 });
  });
  test('unknown names list the accepted ones', () => {
    assert.throws(() => losses.get('mean_sqared_error'), /unknown loss 'mean_sqared_error'.*mean_squared_error/);
    assert.throws(() => losses.get(42 as never), /loss: expected a name/);
  });
  for (const name of losses.lossNames()) {
    test(`config round trip: ${name}`, () => {
      const first = losses.serialize(losses.get(name));
      const second = losses.serialize(losses.get(JSON.parse(JSON.stringify(first))));
      assert.deepEqual(second, first);
      const custom = losses.getLossClass(name);
      const c2 = losses.serialize(custom.fromConfig({ ...first.config, name: 'custom', reduction: 'sum' }));
      assert.deepEqual(losses.serialize(losses.get(c2)), c2);
      assert.equal(c2.config.reduction, 'sum');
    });
  }
  test('non-default options survive the round trip', () => {
    const bce = new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1, reduction: 'sum' });
    assert.deepEqual(losses.get(losses.serialize(bce)).getConfig(),
      { name: 'binary_crossentropy', reduction: 'sum', fromLogits: true, labelSmoothing: 0.1 });
  });
});

describe('bad input', () => {
  test('out-of-range sparse labels name the loss, the label and the class count', () => {
    const yp = [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]];
    assert.throws(() => losses.sparseCategoricalCrossentropy(i32([1, 3]), yp),
      /sparse_categorical_crossentropy: label 3 at position 1 is out of range for 3 classes/);
    assert.throws(() => losses.get('scce').apply(i32([-1, 0]), yp), /label -1 .* 3 classes/);
    assert.throws(() => losses.sparseCategoricalCrossentropy([0.5, 1], yp), /labels must be integer class indices, got 0.5/);
    assert.throws(() => losses.softmaxCrossEntropyWithLogits(i32([0, 7]), yp), /label 7 .* 3 classes/);
  });
  test('mismatched shapes name the loss and both shapes', () => {
    assert.throws(() => losses.mse([[1, 2, 3]], [[1, 2]]), /mean_squared_error: yTrue has shape \[1, 3\] but yPred has shape \[1, 2\]/);
    assert.throws(() => losses.categoricalCrossentropy(i32([0, 1]), [[0.5, 0.5], [0.5, 0.5]]),
      /categorical_crossentropy: yTrue has shape \[2\] but yPred has shape \[2, 2\]/);
    assert.throws(() => losses.sparseCategoricalCrossentropy(i32([[0, 1]]), [[0.5, 0.5], [0.5, 0.5]]),
      /sparse_categorical_crossentropy: yTrue has shape \[1, 2\].*\[2, 2\]/);
    assert.throws(() => losses.binaryCrossentropy([[1]], [[0.5, 0.5]]), /binary_crossentropy: yTrue has shape \[1, 1\] but yPred has shape \[1, 2\]/);
  });
  test('bad options', () => {
    assert.throws(() => new losses.BinaryCrossentropy({ labelSmoothing: 2 }), /labelSmoothing must be a number in \[0, 1\]/);
    assert.throws(() => new losses.Huber({ delta: 0 }), /delta must be a positive number/);
    assert.throws(() => losses.binaryCrossentropy([[1]], [[0.5]], { labelSmoothing: -1 }), /binary_crossentropy: labelSmoothing/);
  });
});

describe('cross-entropy on softmax/sigmoid outputs uses their logits (as Keras _keras_logits)', () => {
  // logits so large that softmax/sigmoid saturate to exactly 0 and 1 in float64: the
  // probability path would clip to 1e-7 and lose the gradient; the logits path is exact.
  const logits = () => gf.tensor([[1000, 0, -1000], [0, 2000, 10]], undefined, 'float64');

  test('sparse CE of softmax(z) equals sparse CE from logits, with gradient softmax − onehot', () => {
    const labels = gf.tensor([2, 1], undefined, 'int32');
    const viaSoftmax = (z: gf.Tensor) => gf.sum(gf.losses.sparseCategoricalCrossentropy(labels, gf.softmax(z)));
    const direct = (z: gf.Tensor) => gf.sum(gf.losses.sparseCategoricalCrossentropy(labels, z, { fromLogits: true }));
    assert.equal(viaSoftmax(logits()).item(), direct(logits()).item());
    assert.equal(viaSoftmax(logits()).item(), 2000); // −log softmax: row 0 → 2000, row 1 → 0
    const [g] = gf.grad(viaSoftmax)(logits());
    assert.deepEqual(g.toArray(), [[1, 0, -1], [0, 0, 0]]);
  });

  test('categorical CE of softmax(z) uses the logits', () => {
    const y = gf.tensor([[0, 0, 1], [0, 1, 0]], undefined, 'float64');
    const value = gf.losses.categoricalCrossentropy(y, gf.softmax(logits()));
    assert.deepEqual((value.toArray() as number[]).map((v) => v + 0), [2000, 0]); // + 0 folds −0
  });

  test('binary CE of sigmoid(z) uses the logits', () => {
    const z = gf.tensor([[800], [-800]], undefined, 'float64');
    const y = gf.tensor([[0], [0]], undefined, 'float64');
    assert.deepEqual(gf.losses.binaryCrossentropy(y, gf.sigmoid(z)).toArray(), [800, 0]);
    const [g] = gf.grad((t: gf.Tensor) => gf.sum(gf.losses.binaryCrossentropy(y, gf.sigmoid(t))))(z);
    assert.deepEqual(g.toArray(), [[1], [0]]); // σ(z) − y
  });

  test('probabilities that did not come from softmax still take the clipped path', () => {
    const p = gf.tensor([[0, 0, 1]], undefined, 'float64');
    const labels = gf.tensor([0], undefined, 'int32');
    assert.ok(Math.abs(gf.losses.sparseCategoricalCrossentropy(labels, p).item() - -Math.log(1e-7)) < 1e-6);
  });
});
