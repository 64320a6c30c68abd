/** Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax, RReLU and Activation. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';
import { f64, randn } from './helpers/gradcheck.js';
import { runLayerTest } from './helpers/layer-test.js';
import { Activation, ELU, LeakyReLU, PReLU, ReLU, RReLU, Softmax } from '../src/layers/index.js';

// keras-semantics.md, "Activations": the test vector and its values
const Z = [-3, -1, -0.5, 0.5, 2];
const z = (): gf.Tensor => f64([Z]);
const values = (t: gf.Tensor): number[] => Array.from(t.data);
const F64 = { dtype: 'float64' } as const;

describe('ReLU', () => {
  test('runLayerTest (defaults)', () => {
    runLayerTest({ create: (a) => new ReLU(a), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0] });
  });

  test('runLayerTest (maxValue, negativeSlope, threshold)', () => {
    runLayerTest({
      create: (a) => new ReLU({ ...a, maxValue: 1, negativeSlope: 0.1, threshold: 0.5 }),
      inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], kinks: [0.5, 1],
    });
  });

  test('values: plain, ReLU6-style cap, and Keras 3 thresholded leaky form', () => {
    assertClose(new ReLU(F64).apply(z()), [[0, 0, 0, 0.5, 2]]);
    assertClose(new ReLU({ ...F64, maxValue: 1 }).apply(z()), [[0, 0, 0, 0.5, 1]]);
    // x > t: min(x, max); else slope·(x − t)  →  -0.35, -0.15, -0.1, 0 (x = t), 1.5
    assertClose(new ReLU({ ...F64, maxValue: 1.5, negativeSlope: 0.1, threshold: 0.5 }).apply(z()),
      [[-0.35, -0.15, -0.1, 0, 1.5]], { atol: 1e-15 });
  });

  test('relu\'(0) = 0, as Keras', () => {
    const [g] = gf.grad((x) => gf.sum(new ReLU({ ...F64, dtype: 'float64' }).apply(x)))(f64([0, 1]));
    assert.deepEqual(values(g), [0, 1]);
  });

  test('bad arguments name the layer', () => {
    assert.throws(() => new ReLU({ maxValue: -1 }), /ReLU \(re_lu\w*\): maxValue must be a finite number ≥ 0, got -1/);
    assert.throws(() => new ReLU({ negativeSlope: -0.1 }), /ReLU \(re_lu\w*\): negativeSlope/);
    assert.throws(() => new ReLU({ threshold: Number.NaN }), /ReLU \(re_lu\w*\): threshold/);
  });
});

describe('LeakyReLU', () => {
  test('runLayerTest', () => {
    runLayerTest({ create: (a) => new LeakyReLU(a), inputShape: [3, 5], expectedOutputShape: [3, 5], kinks: [0] });
  });

  test('the layer default slope is 0.3 (keras-semantics.md table)', () => {
    const layer = new LeakyReLU(F64);
    assert.equal(layer.negativeSlope, 0.3);
    assertClose(layer.apply(z()), [[-0.9, -0.3, -0.15, 0.5, 2]], { atol: 1e-15 });
  });

  test('alpha is an alias of negativeSlope; the config uses negativeSlope', () => {
    const layer = new LeakyReLU({ ...F64, alpha: 0.2 });
    assertClose(layer.apply(z()), [[-0.6, -0.2, -0.1, 0.5, 2]], { atol: 1e-15 });
    assert.equal(layer.getConfig().negativeSlope, 0.2);
    assert.equal('alpha' in layer.getConfig(), false);
    assert.throws(() => new LeakyReLU({ alpha: 0.2, negativeSlope: 0.1 }), /LeakyReLU \(leaky_re_lu\w*\): give negativeSlope or its alias alpha/);
  });

  test('a negative slope is rejected', () => {
    assert.throws(() => new LeakyReLU({ negativeSlope: -1 }), /LeakyReLU \(leaky_re_lu\w*\): negativeSlope must be a finite number ≥ 0/);
  });
});

describe('PReLU', () => {
  test('runLayerTest: one α per unit', () => {
    runLayerTest({
      create: (a) => new PReLU({ ...a, alphaInitializer: { className: 'RandomUniform', config: { minval: 0, maxval: 0.5 } } }),
      inputShape: [3, 4], expectedOutputShape: [3, 4], expectedWeights: [{ name: 'alpha', shape: [4] }], kinks: [0],
    });
  });

  test('runLayerTest: default zeros initializer, rank-3 input', () => {
    runLayerTest({
      create: (a) => new PReLU(a),
      inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], expectedWeights: [{ name: 'alpha', shape: [3, 4] }], kinks: [0],
    });
  });

  test('runLayerTest: sharedAxes', () => {
    runLayerTest({
      create: (a) => new PReLU({ ...a, sharedAxes: [1] }),
      inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], expectedWeights: [{ name: 'alpha', shape: [1, 4] }], kinks: [0],
    });
    const layer = new PReLU({ sharedAxes: 2 });
    layer.apply(gf.zeros([2, 3, 4]));
    assert.deepEqual(layer.alpha!.shape, [3, 1]);
  });

  test('α starts at zeros (a ReLU), trains, and sets the negative slope', () => {
    const layer = new PReLU({ dtype: 'float64' });
    assertClose(layer.apply(z()), [[0, 0, 0, 0.5, 2]]);
    assert.equal(layer.trainableWeights.length, 1);
    layer.setWeights([f64([0.25, 0.25, 0.25, 0.25, 0.25])]);
    assertClose(layer.apply(z()), [[-0.75, -0.25, -0.125, 0.5, 2]], { atol: 1e-15 });
  });

  test('bad arguments name the layer', () => {
    assert.throws(() => new PReLU({ sharedAxes: [0] }), /PReLU \(p_re_lu\w*\): sharedAxes must be integers ≥ 1/);
    assert.throws(() => new PReLU({ sharedAxes: [3] }).apply(gf.zeros([2, 3])), /PReLU \(p_re_lu\w*\): shared axis 3 is out of range/);
  });
});

describe('ELU', () => {
  test('runLayerTest', () => {
    runLayerTest({ create: (a) => new ELU(a), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0] });
    runLayerTest({ create: (a) => new ELU({ ...a, alpha: 0.5 }), inputShape: [2, 2, 3], expectedOutputShape: [2, 2, 3], kinks: [0] });
  });

  test('values (α = 1, keras-semantics.md) and α = 0.5', () => {
    assertClose(new ELU(F64).apply(z()), [[-0.950213, -0.632121, -0.393469, 0.5, 2]], { atol: 1e-6 });
    assertClose(new ELU({ ...F64, alpha: 0.5 }).apply(z()), [[-0.4751065, -0.3160603, -0.1967347, 0.5, 2]], { atol: 1e-6 });
  });

  test('large negative inputs give finite values and gradients', () => {
    const [g] = gf.grad((x) => gf.sum(new ELU({ ...F64, dtype: 'float64' }).apply(x)))(f64([-1000, 1000]));
    assert.deepEqual(values(g), [0, 1]);
  });
});

describe('Softmax', () => {
  test('runLayerTest (last axis, and axis 1 of a rank-3 input)', () => {
    runLayerTest({ create: (a) => new Softmax(a), inputShape: [3, 4], expectedOutputShape: [3, 4] });
    runLayerTest({ create: (a) => new Softmax({ ...a, axis: 1 }), inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4] });
  });

  test('values; rows sum to 1; stable for large inputs', () => {
    assertClose(new Softmax(F64).apply(f64([[1, 2, 3]])), [[0.09003057, 0.24472847, 0.66524096]], { atol: 1e-8 });
    const y = new Softmax({ ...F64, axis: 1 }).apply(randn([2, 3, 4], 3));
    assertClose(gf.sum(y, 1), gf.ones([2, 4]), { atol: 1e-12 });
    assertClose(new Softmax(F64).apply(f64([[1000, 1000]])), [[0.5, 0.5]]);
  });

  test('an axis out of range names the layer', () => {
    assert.throws(() => new Softmax({ ...F64, axis: 2 }).apply(gf.zeros([2, 3])), /Softmax \(softmax\w*\): axis 2 is out of range for inputs of rank 2/);
    assert.throws(() => new Softmax({ axis: 0.5 }), /Softmax \(softmax\w*\): axis must be an integer/);
  });
});

describe('RReLU', () => {
  test('runLayerTest (training slopes reseeded per call, so both modes are gradient-checked)', () => {
    runLayerTest({ create: (a) => new RReLU(a), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0] });
  });

  test('inference: fixed slope (lower + upper) / 2 (PyTorch)', () => {
    const slope = (1 / 8 + 1 / 3) / 2;
    assertClose(new RReLU(F64).apply(z()), [Z.map((v) => (v > 0 ? v : slope * v))], { atol: 1e-15 });
    assertClose(new RReLU({ ...F64, lower: 0.1, upper: 0.3 }).apply(z(), { training: false }),
      [Z.map((v) => (v > 0 ? v : 0.2 * v))], { atol: 1e-15 });
  });

  test('training: a random slope per element in [lower, upper], reproducible with gf.setSeed', () => {
    const layer = new RReLU({ dtype: 'float64' });
    const x = gf.full([1, 20000], -1, 'float64');
    gf.setSeed(11);
    const a = layer.apply(x, { training: true });
    gf.setSeed(11);
    const b = layer.apply(x, { training: true });
    assert.deepEqual(values(a), values(b));
    const slopes = values(a).map((v) => -v);
    assert.ok(slopes.every((s) => s >= 1 / 8 && s <= 1 / 3), 'slopes within [1/8, 1/3]');
    assert.ok(new Set(slopes).size > 19000, 'one slope per element');
    const mean = slopes.reduce((p, s) => p + s, 0) / slopes.length;
    assert.ok(Math.abs(mean - (1 / 8 + 1 / 3) / 2) < 0.003, `mean slope ${mean}`);
    assertClose(new RReLU(F64).apply(f64([[0.5, 2]]), { training: true }), [[0.5, 2]]);
  });

  test('lower > upper is rejected', () => {
    assert.throws(() => new RReLU({ lower: 0.5, upper: 0.1 }), /RReLU \(r_re_lu\w*\): expected finite 0 ≤ lower ≤ upper, got lower=0.5, upper=0.1/);
  });
});

describe('Activation', () => {
  test('runLayerTest for plain and parameterized activations', () => {
    runLayerTest({ create: (a) => new Activation('tanh', a), inputShape: [3, 4], expectedOutputShape: [3, 4] });
    runLayerTest({ create: (a) => new Activation('relu', a), inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], kinks: [0] });
    runLayerTest({ create: (a) => new Activation('softmax', a), inputShape: [3, 4], expectedOutputShape: [3, 4] });
    runLayerTest({
      create: (a) => new Activation({ className: 'elu', config: { alpha: 0.5 } }, a), inputShape: [3, 4], expectedOutputShape: [3, 4],
    });
  });

  test('values from keras-semantics.md', () => {
    const table: Record<string, number[]> = {
      sigmoid: [0.047426, 0.268941, 0.377541, 0.622459, 0.880797],
      tanh: [-0.995055, -0.761594, -0.462117, 0.462117, 0.964028],
      elu: [-0.950213, -0.632121, -0.393469, 0.5, 2],
      selu: [-1.670569, -1.111331, -0.691758, 0.525350, 2.101402],
      gelu: [-0.004050, -0.158655, -0.154269, 0.345731, 1.954500],
      swish: [-0.142278, -0.268941, -0.188770, 0.311230, 1.761594],
      mish: [-0.145647, -0.303401, -0.220744, 0.375245, 1.943959],
    };
    for (const [name, expected] of Object.entries(table)) {
      assertClose(new Activation(name, F64).apply(z()), [expected], { atol: 1e-6, message: name });
    }
    assertClose(new Activation({ className: 'leaky_relu', config: { negativeSlope: 0.2 } }, F64).apply(z()),
      [[-0.6, -0.2, -0.1, 0.5, 2]], { atol: 1e-7 });
  });
});
