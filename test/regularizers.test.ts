/**
 * Regularizers (src/regularizers) and their wiring into layers and training: golden penalties
 * from the Keras formulas (reference/keras-semantics.md, "Regularization": l1 = λ·Σ|w|,
 * l2 = λ·Σw² with no ½), gradient checks in float64, the registry with a config round trip
 * generated from regularizerNames(), layer configs that keep their regularizers (Dense,
 * BatchNormalization, PReLU, and a saved model), and end to end: the loss logged by
 * trainOnBatch / testOnBatch is the data loss plus the penalties, computed by hand from the
 * weights before the step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import * as R from '../src/regularizers/index.js';
import { assertClose } from './helpers/assert-close.js';
import { checkGradients, f64, randnAwayFrom } from './helpers/gradcheck.js';

// Σ|w| = 10, Σw² = 30
const W = [[1, -2], [3, -4]];

describe('regularizers: golden penalties (Keras formulas)', () => {
  test('L2(0.01): 0.01·Σw² = 0.3 (no ½), a float64 scalar for float64 weights', () => {
    const p = new R.L2(0.01).call(f64(W));
    assert.deepEqual(p.shape, []);
    assert.equal(p.dtype, 'float64');
    assertClose(p.item(), 0.3, { rtol: 1e-15 });
  });

  test('L1(0.01): 0.01·Σ|w| = 0.1', () => {
    assertClose(new R.L1(0.01).call(f64(W)).item(), 0.1, { rtol: 1e-15 });
  });

  test('L1L2(l1 = 0.1, l2 = 0.2): 0.1·10 + 0.2·30 = 7; only one term when the other factor is 0', () => {
    assertClose(new R.L1L2({ l1: 0.1, l2: 0.2 }).call(f64(W)).item(), 7, { rtol: 1e-15 });
    assertClose(new R.L1L2({ l1: 0.1 }).call(f64(W)).item(), 1, { rtol: 1e-15 });
    assertClose(new R.L1L2({ l2: 0.2 }).call(f64(W)).item(), 6, { rtol: 1e-15 });
  });

  test("Keras defaults: L1 0.01, L2 0.01, L1L2 (0, 0) — 'l1_l2' alone penalizes nothing", () => {
    assert.deepEqual(R.get('l1').getConfig(), { l1: 0.01 });
    assert.deepEqual(R.get('l2').getConfig(), { l2: 0.01 });
    assert.deepEqual(R.get('l1_l2').getConfig(), { l1: 0, l2: 0 });
    const zero = R.get('l1_l2').call(gf.tensor(W));
    assert.deepEqual([zero.shape, zero.dtype, zero.item()], [[], 'float32', 0]);
    assert.deepEqual(R.l2().getConfig(), { l2: 0.01 });
    assert.deepEqual(R.l2(0.5).getConfig(), { l2: 0.5 });
    assert.deepEqual(R.l1l2({ l1: 0.3 }).getConfig(), { l1: 0.3, l2: 0 });
  });

  test('float32 weights give a float32 penalty', () => {
    const p = new R.L2(0.01).call(gf.tensor(W));
    assert.equal(p.dtype, 'float32');
    assertClose(p.item(), 0.3, { rtol: 1e-6 });
  });
});

describe('regularizers: gradients (central differences, float64)', () => {
  const w = randnAwayFrom([3, 4], 7); // away from 0, where |w| has its kink
  for (const [name, reg] of [['l1', new R.L1(0.3)], ['l2', new R.L2(0.3)], ['l1_l2', new R.L1L2({ l1: 0.2, l2: 0.7 })]] as const) {
    test(`${name}: the penalty is differentiable w.r.t. w`, () => {
      checkGradients((x: Tensor) => reg.call(x), [w], { name });
    });
  }

  test('analytic values: d(λΣw²)/dw = 2λw, d(λΣ|w|)/dw = λ·sign(w)', () => {
    const [g2] = gf.grad((x: Tensor) => new R.L2(0.5).call(x))(f64(W));
    assertClose(g2, [[1, -2], [3, -4]], { rtol: 1e-15 });
    const [g1] = gf.grad((x: Tensor) => new R.L1(0.5).call(x))(f64(W));
    assertClose(g1, [[0.5, -0.5], [0.5, -0.5]], { rtol: 1e-15 });
  });
});

/** Non-default configs for every registered name (the round trip fails if one is missing). */
const EXAMPLES: Record<string, Record<string, number>> = { l1: { l1: 0.25 }, l2: { l2: 0.003 }, l1_l2: { l1: 1e-5, l2: 1e-4 } };

describe('regularizers: registry and config round trip', () => {
  test('every Keras and camelCase spelling resolves', () => {
    assert.deepEqual(R.regularizerNames(), ['l1', 'l1_l2', 'l2']);
    const spellings: Array<[string, unknown]> = [
      ['l1', R.L1], ['L1', R.L1], ['l2', R.L2], ['L2', R.L2], ['l1_l2', R.L1L2], ['L1L2', R.L1L2], ['l1L2', R.L1L2],
    ];
    for (const [name, cls] of spellings) assert.equal(R.get(name).constructor, cls, name);
  });

  for (const name of R.regularizerNames()) {
    test(`${name}: defaults and custom: serialize → JSON → get → same class and config`, () => {
      assert.ok(EXAMPLES[name], `add an example for '${name}' to EXAMPLES`);
      const custom = R.get({ className: name, config: EXAMPLES[name] });
      assert.deepEqual(custom.getConfig(), { ...R.get(name).getConfig(), ...EXAMPLES[name] });
      for (const reg of [R.get(name), custom]) {
        const spec = R.serialize(reg);
        const rebuilt = R.get(JSON.parse(JSON.stringify(spec)));
        assert.equal(rebuilt.constructor, reg.constructor);
        assert.deepEqual(rebuilt.getConfig(), spec.config);
        assert.equal(rebuilt.call(f64(W)).item(), reg.call(f64(W)).item());
      }
    });
  }

  test('instances pass through; null means none; bad identifiers and factors are errors', () => {
    const r = new R.L2(0.1);
    assert.equal(R.get(r), r);
    assert.equal(R.get(null), null);
    assert.equal(R.get(undefined), null);
    assert.throws(() => R.get('l3'), /unknown regularizer 'l3'; expected one of: l1, l1_l2, l2/);
    assert.throws(() => R.get(42 as any), /regularizer: expected a name \(l1, l1_l2, l2\), a \{ className, config \} object or a Regularizer/);
    assert.throws(() => new R.L2(-0.1), /L2: l2 must be a finite number ≥ 0, got -0.1/);
    assert.throws(() => new R.L1(NaN), /L1: l1 must be a finite number ≥ 0, got NaN/);
    assert.throws(() => new R.L1L2({ l1: Infinity }), /L1L2: l1 must be a finite number ≥ 0/);
    assert.throws(() => R.get({ className: 'L2', config: { l1: 0.1 } }), /L2: unknown option 'l1'/);
    assert.throws(() => R.get({ className: 'L1L2', config: { l3: 0.1 } }), /L1L2: unknown option 'l3'/);
  });

  test('a custom regularizer registered with gf.registerClass round-trips', () => {
    class Sum extends R.Regularizer {
      static override className = 'TestSumRegularizer';
      constructor(readonly k = 1) { super(); }
      call(x: Tensor): Tensor { return gf.mul(gf.sum(x), this.k); }
      getConfig() { return { k: this.k }; }
      static fromConfig(c: Record<string, unknown>): Sum { return new Sum(c.k as number); }
    }
    gf.registerClass(Sum);
    const rebuilt = R.get(R.serialize(new Sum(3)));
    assert.ok(rebuilt instanceof Sum);
    assert.equal((rebuilt as Sum).k, 3);
  });
});

describe('regularizers in layer configs', () => {
  test("Dense with kernelRegularizer 'l2' → getConfig → fromConfig keeps it", () => {
    const dense = new gf.layers.Dense(3, { kernelRegularizer: 'l2', biasRegularizer: { className: 'L1', config: { l1: 0.2 } }, activityRegularizer: new R.L1L2({ l2: 1e-3 }) });
    const config = dense.getConfig();
    assert.deepEqual(config.kernelRegularizer, { className: 'L2', config: { l2: 0.01 } });
    assert.deepEqual(config.biasRegularizer, { className: 'L1', config: { l1: 0.2 } });
    assert.deepEqual(config.activityRegularizer, { className: 'L1L2', config: { l1: 0, l2: 1e-3 } });
    const rebuilt = gf.layers.Dense.fromConfig(JSON.parse(JSON.stringify(config))) as gf.layers.Dense;
    assert.ok(rebuilt.kernelRegularizer instanceof R.L2);
    assert.equal((rebuilt.kernelRegularizer as R.L2).l2, 0.01);
    assert.ok(rebuilt.biasRegularizer instanceof R.L1);
    assert.ok(rebuilt.activityRegularizer instanceof R.L1L2);
    const { name: _n1, ...a } = config;
    const { name: _n2, ...b } = rebuilt.getConfig();
    assert.deepEqual(b, a);
    // and the variables created at build time carry it
    rebuilt.build([null, 2]);
    assert.equal(rebuilt.kernel!.regularizer, rebuilt.kernelRegularizer);
    assert.equal(rebuilt.bias!.regularizer, rebuilt.biasRegularizer);
  });

  test('without regularizers the config says null', () => {
    const config = new gf.layers.Dense(3).getConfig();
    assert.equal(config.kernelRegularizer, null);
    assert.equal(config.biasRegularizer, null);
    assert.equal(config.activityRegularizer, null);
  });

  test('BatchNormalization (beta/gamma) and PReLU (alpha) keep theirs', () => {
    const bn = new gf.layers.BatchNormalization({ betaRegularizer: 'l1', gammaRegularizer: R.l2(0.5) });
    const bnConfig = JSON.parse(JSON.stringify(bn.getConfig()));
    assert.deepEqual(bnConfig.gammaRegularizer, { className: 'L2', config: { l2: 0.5 } });
    const bn2 = gf.layers.BatchNormalization.fromConfig(bnConfig) as gf.layers.BatchNormalization;
    bn2.build([null, 4]);
    assert.ok(bn2.beta!.regularizer instanceof R.L1);
    assert.equal((bn2.gamma!.regularizer as R.L2).l2, 0.5);
    assert.equal(bn2.movingMean!.regularizer, null);

    const prelu = new gf.layers.PReLU({ alphaRegularizer: 'L2' });
    const pConfig = JSON.parse(JSON.stringify(prelu.getConfig()));
    assert.deepEqual(pConfig.alphaRegularizer, { className: 'L2', config: { l2: 0.01 } });
    const prelu2 = gf.layers.PReLU.fromConfig(pConfig) as gf.layers.PReLU;
    prelu2.build([null, 3]);
    assert.ok(prelu2.alpha!.regularizer instanceof R.L2);
  });

  test('a saved and reloaded model keeps its regularizers', () => {
    const model = new gf.Sequential([new gf.layers.Dense(2, { inputShape: [3], kernelRegularizer: R.l2(0.02) })]);
    const loaded = gf.modelFromBytes(gf.modelToBytes(model));
    const kernel = loaded.weights[0];
    assert.ok(kernel.regularizer instanceof R.L2);
    assert.equal((kernel.regularizer as R.L2).l2, 0.02);
  });

  test('a bad identifier names the problem at construction', () => {
    assert.throws(() => new gf.layers.Dense(2, { kernelRegularizer: 'l3' }), /unknown regularizer 'l3'/);
  });
});

describe('penalties in the logged loss (training and validation, as Keras)', () => {
  // NOTE: inputs exactly representable in float32: Sequential's implicit input layer is float32
  // and rounds the data even in front of a float64 layer
  const x = gf.tensor([[0.5, -1, 2], [1.5, 0.25, -0.5], [-1, 1, 0], [0.375, 0.25, 0.125]], undefined, 'float64');
  const y = gf.tensor([[1, 0], [0, 1], [0.5, 0.5], [-1, 2]], undefined, 'float64');

  /** mse of x·W + b against y (mean over every element), computed in plain JS. */
  function dataLoss(kernel: ArrayLike<number>, bias: ArrayLike<number>, act = (v: number) => v): { loss: number; out: number[][] } {
    let s = 0;
    const out: number[][] = [];
    for (let i = 0; i < 4; i++) {
      out.push([]);
      for (let j = 0; j < 2; j++) {
        let z = bias[j];
        for (let k = 0; k < 3; k++) z += x.data[i * 3 + k] * kernel[k * 2 + j];
        out[i].push(act(z));
        s += (y.data[i * 2 + j] - act(z)) ** 2;
      }
    }
    return { loss: s / 8, out };
  }
  const sumSq = (a: ArrayLike<number>): number => Array.from(a).reduce((p, v) => p + v * v, 0);
  const sumAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((p, v) => p + Math.abs(v), 0);

  test('trainOnBatch: loss = data loss + λ₁·ΣW² + λ₂·Σ|b| (weights before the step); testOnBatch too', () => {
    gf.setSeed(3);
    const dense = new gf.layers.Dense(2, { inputShape: [3], dtype: 'float64', kernelRegularizer: R.l2(0.1), biasRegularizer: R.l1(0.05) });
    const model = new gf.Sequential([dense]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    dense.bias!.assign(gf.tensor([0.3, -0.7], undefined, 'float64'));
    const kernel = Float64Array.from(dense.kernel!.data), bias = Float64Array.from(dense.bias!.data);
    const expected = dataLoss(kernel, bias).loss + 0.1 * sumSq(kernel) + 0.05 * sumAbs(bias);
    assert.ok(0.1 * sumSq(kernel) > 0.01, 'the penalty is not negligible');
    const logs = model.trainOnBatch(x, y);
    assertClose(logs.loss, expected, { rtol: 1e-12 });

    // the step itself followed the penalized gradient: W ← W − η(∂mse/∂W + 2λW)
    const { out } = dataLoss(kernel, bias);
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 2; j++) {
        let g = 0;
        for (let i = 0; i < 4; i++) g += (2 / 8) * (out[i][j] - y.data[i * 2 + j]) * x.data[i * 3 + k];
        const want = kernel[k * 2 + j] - 0.1 * (g + 2 * 0.1 * kernel[k * 2 + j]);
        assertClose(dense.kernel!.data[k * 2 + j], want, { rtol: 1e-12, atol: 1e-15, message: `W[${k}, ${j}]` });
      }
    }

    // validation losses include the penalty too
    const k2 = Float64Array.from(dense.kernel!.data), b2 = Float64Array.from(dense.bias!.data);
    const val = model.testOnBatch(x, y);
    assertClose(val.loss, dataLoss(k2, b2).loss + 0.1 * sumSq(k2) + 0.05 * sumAbs(b2), { rtol: 1e-12 });
  });

  test('activity regularizer: loss = data loss + λ·Σout² / batch size (tf.keras 2)', () => {
    gf.setSeed(4);
    const dense = new gf.layers.Dense(2, { inputShape: [3], dtype: 'float64', activation: 'tanh', activityRegularizer: 'l2' });
    const model = new gf.Sequential([dense]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const kernel = Float64Array.from(dense.kernel!.data), bias = Float64Array.from(dense.bias!.data);
    const { loss, out } = dataLoss(kernel, bias, Math.tanh);
    const logs = model.trainOnBatch(x, y);
    assertClose(logs.loss, loss + (0.01 * sumSq(out.flat())) / 4, { rtol: 1e-12 });
  });

  test('frozen layers add no penalty (Keras regularizes trainable weights only)', () => {
    gf.setSeed(5);
    const dense = new gf.layers.Dense(2, { inputShape: [3], dtype: 'float64', kernelRegularizer: R.l2(1) });
    const model = new gf.Sequential([dense]);
    dense.trainable = false;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { loss } = dataLoss(dense.kernel!.data, dense.bias!.data);
    assertClose(model.testOnBatch(x, y).loss, loss, { rtol: 1e-12 });
  });
});
