/**
 * Activation functions (src/activations): golden values from reference/keras-semantics.md
 * ("Activations", z = -3, -1, -0.5, 0.5, 2, 6 decimals), the SELU constants, the documented
 * derivative at each kink (Keras/TensorFlow choices), float64 gradient checks away from the kinks,
 * finite values and gradients at ±1000, and the name registry (get / activationNames).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';
import { checkGradients, f64, randn, randnAwayFrom } from './helpers/gradcheck.js';

const A = gf.activations;
type Fn = (x: Tensor) => Tensor;

// keras-semantics.md, "Activations (test vectors at z = -3, -1, -0.5, 0.5, 2)"
const Z = [-3, -1, -0.5, 0.5, 2];
const z = (): Tensor => f64(Z);
const values = (t: Tensor): number[] => Array.from(t.data);
/** The table has 6 decimals: rounding (5e-7) plus a little implementation error. */
const TABLE = { atol: 1e-6 };

// SELU constants (Klambauer et al., 2017), as printed in keras-semantics.md
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_LAMBDA = 1.0507009873554804934193349852946;

/** Elementwise derivative of `fn` at `x` via gf.grad of Σ fn(x). */
const derivative = (fn: Fn, x: Tensor): Tensor => gf.grad((t) => gf.sum(fn(t)))(x)[0];

const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe('golden values (keras-semantics.md table)', () => {
  const rows: Array<[string, Fn, number[]]> = [
    ['sigmoid', A.sigmoid, [0.047426, 0.268941, 0.377541, 0.622459, 0.880797]],
    ['tanh', A.tanh, [-0.995055, -0.761594, -0.462117, 0.462117, 0.964028]],
    ['leaky_relu (function default α = 0.2)', (x) => A.leakyRelu(x), [-0.6, -0.2, -0.1, 0.5, 2]],
    ['elu α = 1 (default)', (x) => A.elu(x), [-0.950213, -0.632121, -0.393469, 0.5, 2]],
    ['selu', A.selu, [-1.670569, -1.111331, -0.691758, 0.525350, 2.101402]],
    ['gelu exact (default, approximate=False)', (x) => A.gelu(x), [-0.004050, -0.158655, -0.154269, 0.345731, 1.954500]],
    ['gelu tanh approximation', (x) => A.gelu(x, true), [-0.003637, -0.158808, -0.154286, 0.345714, 1.954598]],
    ['swish = z·σ(z)', A.swish, [-0.142278, -0.268941, -0.188770, 0.311230, 1.761594]],
    ['mish = z·tanh(softplus(z))', A.mish, [-0.145647, -0.303401, -0.220744, 0.375245, 1.943959]],
  ];
  for (const [name, fn, expected] of rows) {
    test(name, () => {
      const y = fn(z());
      assert.equal(y.dtype, 'float64');
      assert.deepEqual(y.shape, [5]);
      assertClose(y, expected, { ...TABLE, message: name });
    });
  }

  test("sigmoid' via gf.grad", () => {
    assertClose(derivative(A.sigmoid, z()), [0.045177, 0.196612, 0.235004, 0.235004, 0.104994], TABLE);
  });

  test('silu is swish (registry alias)', () => {
    assertClose(A.get('silu')(z()), values(A.swish(z())));
    assertClose(A.get('silu')(z()), [-0.142278, -0.268941, -0.188770, 0.311230, 1.761594], TABLE);
  });

  test('float32 inputs give the same values to float32 precision', () => {
    const x32 = gf.tensor(Z);
    assert.equal(x32.dtype, 'float32');
    assertClose(A.gelu(x32), [-0.004050, -0.158655, -0.154269, 0.345731, 1.954500], { atol: 2e-6 });
    assertClose(A.selu(x32), [-1.670569, -1.111331, -0.691758, 0.525350, 2.101402], { atol: 2e-6 });
  });
});

describe('SELU constants', () => {
  test('λ: selu(x) = λx for x > 0', () => {
    assertClose(A.selu(f64([1, 3.5])), [SELU_LAMBDA, 3.5 * SELU_LAMBDA], { rtol: 1e-15 });
  });

  test('α: selu(x) → −λα as x → −∞ and λα(e⁻¹ − 1) at −1', () => {
    assertClose(A.selu(f64([-1000, -1])), [-SELU_LAMBDA * SELU_ALPHA, SELU_LAMBDA * SELU_ALPHA * Math.expm1(-1)], { rtol: 1e-14 });
  });

  test('closed-form constants to 9 digits (λ ≈ 1.0507009874, λα ≈ 1.7580993408)', () => {
    const [pos, neg] = values(A.selu(f64([1, -1e6])));
    assert.ok(Math.abs(pos - 1.0507009874) < 1e-10, `λ = ${pos}`);
    assert.ok(Math.abs(-neg - 1.7580993408) < 1e-9, `λα = ${-neg}`);
  });
});

describe('other activations (values)', () => {
  const xs = [-4, -3, -1, -0.5, 0, 0.5, 2, 3, 4];
  const x = (): Tensor => f64(xs);

  test('relu', () => { assertClose(A.relu(x()), xs.map((v) => Math.max(v, 0))); });
  test('softplus = log(1 + eˣ)', () => { assertClose(A.softplus(x()), xs.map((v) => Math.log1p(Math.exp(v))), { rtol: 1e-14, atol: 1e-15 }); });
  test('softsign = x / (1 + |x|)', () => { assertClose(A.softsign(x()), xs.map((v) => v / (1 + Math.abs(v))), { rtol: 1e-15 }); });
  test('exponential = eˣ', () => { assertClose(A.exponential(x()), xs.map(Math.exp), { rtol: 1e-15 }); });
  test('linear is the identity (and keeps shape/dtype)', () => {
    const y = A.linear(x());
    assert.equal(y.dtype, 'float64');
    assertClose(y, xs);
  });
  test('hard_sigmoid is Keras 3\'s relu6(x + 3) / 6 (not Keras 2\'s 0.2x + 0.5)', () => {
    const expected = xs.map((v) => Math.min(Math.max(v + 3, 0), 6) / 6);
    assertClose(A.hardSigmoid(x()), expected, { atol: 1e-15 });
    // at -1 Keras 2 gave 0.3; Keras 3 gives 1/3
    assertClose(A.hardSigmoid(f64([-1])), [1 / 3], { atol: 1e-15 });
  });
  test('elu with α = 0.5', () => {
    assertClose(A.elu(f64([-1, 2]), 0.5), [0.5 * Math.expm1(-1), 2], { rtol: 1e-15 });
  });
  test('leaky_relu with α = 0.3 (the LeakyReLU layer default)', () => {
    assertClose(A.leakyRelu(f64(Z), 0.3), [-0.9, -0.3, -0.15, 0.5, 2], { atol: 1e-15 });
  });
});

describe('softmax', () => {
  const logits = (): Tensor => f64([[1, 2, 3], [-1, 0, 5], [0, 0, 0]]);

  test('known values and rows summing to 1', () => {
    const y = A.softmax(logits());
    assert.deepEqual(y.shape, [3, 3]);
    const e = [1, 2, 3].map(Math.exp);
    const s = e[0] + e[1] + e[2];
    assertClose(y.data.slice(0, 3), e.map((v) => v / s), { rtol: 1e-14 });
    assertClose(y.data.slice(6, 9), [1 / 3, 1 / 3, 1 / 3], { rtol: 1e-15 });
    for (let r = 0; r < 3; r++) {
      const rowSum = y.data[3 * r] + y.data[3 * r + 1] + y.data[3 * r + 2];
      assert.ok(Math.abs(rowSum - 1) < 1e-14, `row ${r} sums to ${rowSum}`);
    }
  });

  test('shift invariance: softmax(x + c) = softmax(x), also for c = ±1000', () => {
    const base = A.softmax(logits());
    for (const c of [7, 1000, -1000]) {
      const shifted = A.softmax(gf.add(logits(), c));
      assertClose(shifted, base, { atol: 1e-12, message: `c = ${c}` });
    }
  });

  test('axis argument: columns sum to 1 with axis 0', () => {
    const y = A.softmax(logits(), 0);
    for (let c = 0; c < 3; c++) {
      const colSum = y.data[c] + y.data[3 + c] + y.data[6 + c];
      assert.ok(Math.abs(colSum - 1) < 1e-14, `column ${c} sums to ${colSum}`);
    }
  });
});

describe('rrelu (PyTorch definition)', () => {
  const lower = 1 / 8, upper = 1 / 3;

  test('inference: fixed slope (lower + upper) / 2', () => {
    const y = A.rrelu(f64(Z));
    const s = (lower + upper) / 2;
    assertClose(y, Z.map((v) => (v > 0 ? v : s * v)), { rtol: 1e-15 });
    assertClose(A.rrelu(f64([-2, 1]), { lower: 0.1, upper: 0.3 }), [-0.4, 1], { rtol: 1e-15 });
  });

  test('training: per-element slopes within [lower, upper], positives untouched, gradient = slope', () => {
    gf.setSeed(7);
    const x = gf.sub(gf.abs(randn([400], 3)), 10); // all negative, well away from 0
    const [y, [g]] = gf.valueAndGrad((t) => gf.sum(A.rrelu(t, { training: true })))(x);
    void y;
    const yv = values(A.rrelu(x, { training: true }));
    const slopes = yv.map((v, i) => v / x.data[i]);
    for (const s of slopes) assert.ok(s >= lower - 1e-15 && s <= upper + 1e-15, `slope ${s} outside [${lower}, ${upper}]`);
    assert.ok(new Set(slopes.map((s) => s.toFixed(12))).size > 300, 'slopes should vary per element');
    const mean = slopes.reduce((p, s) => p + s, 0) / slopes.length;
    assert.ok(Math.abs(mean - (lower + upper) / 2) < 0.02, `mean slope ${mean}`);
    for (const v of values(g)) assert.ok(v >= lower - 1e-15 && v <= upper + 1e-15, `gradient ${v} outside [${lower}, ${upper}]`);
    assertClose(A.rrelu(f64([0.5, 2]), { training: true }), [0.5, 2]);
  });

  test('training with setSeed is reproducible', () => {
    const x = f64([-1, -2, -3, -4]);
    gf.setSeed(11);
    const a = values(A.rrelu(x, { training: true }));
    gf.setSeed(11);
    const b = values(A.rrelu(x, { training: true }));
    assert.deepEqual(a, b);
  });

  test('bad bounds name rrelu and the arguments', () => {
    assert.throws(() => A.rrelu(f64([1]), { lower: 0.5, upper: 0.1 }), /rrelu.*lower.*upper/);
    assert.throws(() => A.rrelu(f64([1]), { lower: -0.1, upper: 0.1 }), /rrelu.*lower/);
  });
});

describe('gradient checks (float64 central differences, away from kinks)', () => {
  const cases: Array<[string, Fn, () => Tensor]> = [
    ['sigmoid', A.sigmoid, () => randn([2, 5], 1, 3)],
    ['tanh', A.tanh, () => randn([2, 5], 2, 2)],
    ['relu', A.relu, () => randnAwayFrom([2, 5], 3)],
    ['leaky_relu', (x) => A.leakyRelu(x), () => randnAwayFrom([2, 5], 4)],
    ['leaky_relu α = 0.3', (x) => A.leakyRelu(x, 0.3), () => randnAwayFrom([2, 5], 5)],
    ['elu', (x) => A.elu(x), () => randnAwayFrom([2, 5], 6)],
    ['elu α = 0.5', (x) => A.elu(x, 0.5), () => randnAwayFrom([2, 5], 7)],
    ['selu', A.selu, () => randnAwayFrom([2, 5], 8)],
    ['gelu exact', (x) => A.gelu(x), () => randn([2, 5], 9, 2)],
    ['gelu approximate', (x) => A.gelu(x, true), () => randn([2, 5], 10, 2)],
    ['swish', A.swish, () => randn([2, 5], 11, 3)],
    ['mish', A.mish, () => randn([2, 5], 12, 3)],
    ['softplus', A.softplus, () => randn([2, 5], 13, 3)],
    ['softsign', A.softsign, () => randnAwayFrom([2, 5], 14)],
    ['exponential', A.exponential, () => randn([2, 5], 15)],
    ['linear', A.linear, () => randn([2, 5], 16)],
    ['hard_sigmoid', A.hardSigmoid, () => randnAwayFrom([2, 5], 17, [-3, 3], 0.1)],
    ['hard_sigmoid across its range', A.hardSigmoid, () => randn([2, 5], 18, 3)],
    ['softmax (last axis)', (x) => A.softmax(x), () => randn([3, 4], 19, 2)],
    ['softmax axis 0', (x) => A.softmax(x, 0), () => randn([3, 4], 20, 2)],
    ['rrelu inference', (x) => A.rrelu(x), () => randnAwayFrom([2, 5], 21)],
  ];
  for (const [name, fn, input] of cases) {
    test(name, () => { checkGradients(fn, [input()], { name }); });
  }

  test('every registered activation is gradient-checked through get()', () => {
    for (const name of A.activationNames()) {
      const x = randnAwayFrom([2, 3], 30, [-3, 0, 3], 0.1);
      checkGradients(A.get(name), [x], { name });
    }
  });
});

describe('derivatives at kinks (Keras / TensorFlow choices)', () => {
  test("relu'(0) = 0", () => {
    assert.deepEqual(values(derivative(A.relu, f64([0, -1, 1]))), [0, 0, 1]);
  });

  test("leaky_relu'(0) = α (TF LeakyReluGrad: x > 0 ? 1 : α)", () => {
    assertClose(derivative((x) => A.leakyRelu(x), f64([0])), [0.2]);
    assertClose(derivative((x) => A.leakyRelu(x, 0.3), f64([0])), [0.3]);
  });

  test("elu'(0) = α (TF: where(x > 0, elu, α·elu) with EluGrad(0) = 1; JAX and PyTorch agree)", () => {
    assertClose(derivative((x) => A.elu(x), f64([0])), [1]);
    assertClose(derivative((x) => A.elu(x, 0.5), f64([0])), [0.5]);
    assertClose(derivative(A.selu, f64([0])), [SELU_LAMBDA * SELU_ALPHA], { rtol: 1e-15 });
  });

  test("softplus'(0) = σ(0) = 0.5", () => {
    assertClose(derivative(A.softplus, f64([0])), [0.5]);
  });

  test("softsign'(0) = 1 and rrelu'(0) = (lower + upper) / 2 at inference", () => {
    assertClose(derivative(A.softsign, f64([0])), [1]);
    assertClose(derivative((x) => A.rrelu(x), f64([0])), [(1 / 8 + 1 / 3) / 2], { rtol: 1e-15 });
  });

  // Keras 3 computes hard_sigmoid as relu6(x + 3) / 6; TF's Relu6Grad passes the gradient only
  // where 0 < x + 3 < 6 (strict), so the derivative at ±3 is 0 (PyTorch's hardsigmoid and
  // jax.nn.hard_sigmoid also give 0 there).
  test("hard_sigmoid'(±3) = 0 and 1/6 inside (relu6 convention)", () => {
    assertClose(derivative(A.hardSigmoid, f64([-3, -1, 0, 2.5, 3])), [0, 1 / 6, 1 / 6, 1 / 6, 0], { atol: 1e-15 });
  });
});

describe('large inputs stay finite (no NaN from a discarded branch)', () => {
  const big = (): Tensor => f64([-1000, 1000]);
  const cases: Array<[string, Fn, number[] | null]> = [
    ['sigmoid', A.sigmoid, [0, 1]],
    ['softplus', A.softplus, [0, 1000]],
    ['elu', (x) => A.elu(x), [-1, 1000]],
    ['selu', A.selu, [-SELU_LAMBDA * SELU_ALPHA, 1000 * SELU_LAMBDA]],
    ['mish', A.mish, [0, 1000]],
    ['gelu exact', (x) => A.gelu(x), [0, 1000]],
    ['gelu approximate', (x) => A.gelu(x, true), [0, 1000]],
    ['swish', A.swish, [0, 1000]],
    ['tanh', A.tanh, [-1, 1]],
    ['softsign', A.softsign, [-1000 / 1001, 1000 / 1001]],
    ['hard_sigmoid', A.hardSigmoid, [0, 1]],
    ['leaky_relu', (x) => A.leakyRelu(x), [-200, 1000]],
  ];
  for (const [name, fn, expected] of cases) {
    test(`${name}(±1000)`, () => {
      const y = fn(big());
      for (const v of values(y)) assert.ok(Number.isFinite(v), `${name}: value ${v}`);
      if (expected) assertClose(y, expected, { atol: 1e-12, rtol: 1e-12, message: name });
      const g = derivative(fn, big());
      for (const v of values(g)) assert.ok(Number.isFinite(v), `${name}: gradient ${v}`);
    });
  }

  test('gradients at ±1000 have their limiting values', () => {
    assertClose(derivative(A.sigmoid, big()), [0, 0], { atol: 1e-300 });
    assertClose(derivative(A.softplus, big()), [0, 1], { atol: 1e-300 });
    assertClose(derivative((x) => A.elu(x), big()), [0, 1], { atol: 1e-300 });
    assertClose(derivative((x) => A.gelu(x), big()), [0, 1], { atol: 1e-12 });
    assertClose(derivative((x) => A.gelu(x, true), big()), [0, 1], { atol: 1e-12 });
    assertClose(derivative(A.swish, big()), [0, 1], { atol: 1e-12 });
    assertClose(derivative(A.mish, big()), [0, 1], { atol: 1e-12 });
  });

  test('float32 ±1000 is finite too (sigmoid, softplus, elu, swish, mish, gelu)', () => {
    const x = gf.tensor([-1000, 1000]);
    for (const [name, fn] of [['sigmoid', A.sigmoid], ['softplus', A.softplus], ['elu', (t: Tensor) => A.elu(t)],
      ['swish', A.swish], ['mish', A.mish], ['gelu', (t: Tensor) => A.gelu(t)]] as Array<[string, Fn]>) {
      for (const v of values(fn(x))) assert.ok(Number.isFinite(v), `${name}: value ${v}`);
      for (const v of values(derivative(fn, x))) assert.ok(Number.isFinite(v), `${name}: gradient ${v}`);
    }
  });

  test('softmax of [±1000] rows is finite', () => {
    const y = A.softmax(f64([[1000, -1000, 0], [1000, 1000, -1000]]));
    assertClose(y, [[1, 0, 0], [0.5, 0.5, 0]], { atol: 1e-15 });
  });
});

describe('registry', () => {
  const probe = (): Tensor => f64([-2, -0.5, 0.25, 1.5]);

  test('activationNames() lists the Keras names', () => {
    const names = A.activationNames();
    for (const n of ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'swish', 'mish',
      'softplus', 'softsign', 'softmax', 'exponential', 'hard_sigmoid', 'rrelu']) {
      assert.ok(names.includes(n), `${n} missing from activationNames(): ${names.join(', ')}`);
    }
    assert.deepEqual(names, [...names].sort(), 'sorted');
    assert.equal(new Set(names).size, names.length, 'no duplicates');
  });

  test('every name resolves through get() with the Keras and the camelCase spelling', () => {
    for (const name of A.activationNames()) {
      const keras = A.get(name);
      const camel = A.get(camelCase(name));
      assert.equal(typeof keras, 'function', name);
      assertClose(camel(probe()), values(keras(probe())), { message: `${name} vs ${camelCase(name)}` });
      assert.equal(A.kerasName(camelCase(name)), name);
    }
  });

  test('get() returns the module function for plain activations', () => {
    const expected: Array<[string, Fn]> = [
      ['leaky_relu', (x) => A.leakyRelu(x)], ['leakyRelu', (x) => A.leakyRelu(x)],
      ['hard_sigmoid', A.hardSigmoid], ['hardSigmoid', A.hardSigmoid],
      ['silu', A.swish], ['swish', A.swish], ['gelu', (x) => A.gelu(x)], ['elu', (x) => A.elu(x)],
      ['selu', A.selu], ['mish', A.mish], ['relu', A.relu], ['sigmoid', A.sigmoid], ['tanh', A.tanh],
      ['softplus', A.softplus], ['softsign', A.softsign], ['exponential', A.exponential], ['linear', A.linear],
      ['softmax', (x) => A.softmax(x)], ['rrelu', (x) => A.rrelu(x)],
    ];
    for (const [name, fn] of expected) {
      assertClose(A.get(name)(probe()), values(fn(probe())), { message: name });
    }
    assert.equal(A.kerasName('silu'), 'swish');
    assert.equal(A.kerasName('hardSigmoid'), 'hard_sigmoid');
  });

  test('null / undefined give linear; a function passes through unchanged', () => {
    const custom: Fn = (x) => gf.mul(x, 3);
    assert.equal(A.get(custom), custom);
    assertClose(A.get(null)(probe()), values(probe()));
    assertClose(A.get(undefined)(probe()), values(probe()));
  });

  test('{ className, config } uses the config', () => {
    assertClose(A.get({ className: 'elu', config: { alpha: 0.5 } })(f64([-1, 2])), [0.5 * Math.expm1(-1), 2], { rtol: 1e-15 });
    assertClose(A.get({ className: 'elu' })(f64([-1])), [Math.expm1(-1)], { rtol: 1e-15 });
    assertClose(A.get({ className: 'leaky_relu', config: { alpha: 0.3 } })(f64([-1])), [-0.3], { rtol: 1e-15 });
    assertClose(A.get({ className: 'leakyRelu', config: { negativeSlope: 0.1 } })(f64([-1])), [-0.1], { rtol: 1e-15 });
    assertClose(A.get({ className: 'gelu', config: { approximate: true } })(f64(Z)),
      [-0.003637, -0.158808, -0.154286, 0.345714, 1.954598], TABLE);
    assertClose(A.get({ className: 'rrelu', config: { lower: 0.1, upper: 0.3 } })(f64([-1])), [-0.2], { rtol: 1e-15 });
    const colSoftmax = A.get({ className: 'softmax', config: { axis: 0 } })(f64([[0, 5], [0, 5]]));
    assertClose(colSoftmax, [[0.5, 0.5], [0.5, 0.5]], { atol: 1e-15 });
  });

  test('an unknown name gives an error listing the valid names', () => {
    assert.throws(() => A.get('relux'), (err: Error) => {
      assert.match(err.message, /relux/);
      for (const n of A.activationNames()) assert.ok(err.message.includes(n), `message should list '${n}': ${err.message}`);
      return true;
    });
    assert.throws(() => A.get({ className: 'nope' }), /unknown activation 'nope'.*expected one of/);
  });

  test('a non-name, non-function identifier is a TypeError', () => {
    assert.throws(() => A.get(42 as unknown as string), TypeError);
    assert.throws(() => A.get({ config: {} } as unknown as string), TypeError);
  });
});
