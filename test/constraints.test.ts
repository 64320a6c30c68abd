/**
 * Weight constraints (src/constraints): golden projections from the Keras formulas
 * (reference/keras-semantics.md, "Regularization": MaxNorm w ← w·clip(n, 0, max)/(ε + n) with
 * ε = 1e-7 and n the norm over `axis`), NonNeg, UnitNorm, MinMaxNorm; no tape recording; the
 * registry with a config round trip generated from constraintNames(); layer configs that keep
 * their constraints; and constraints applied after every update inside fit (every column norm
 * of a MaxNorm(1) kernel ≤ 1 + 1e-6 afterwards).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import * as C from '../src/constraints/index.js';
import { assertClose } from './helpers/assert-close.js';
import { f64, randn } from './helpers/gradcheck.js';

const EPS = 1e-7;

/** Norms of a 2-D tensor's columns (axis 0) or rows (axis 1). */
function norms2d(t: Tensor, axis: 0 | 1): number[] {
  const [r, c] = t.shape;
  const out: number[] = [];
  for (let a = 0; a < (axis === 0 ? c : r); a++) {
    let s = 0;
    for (let b = 0; b < (axis === 0 ? r : c); b++) s += t.data[axis === 0 ? b * c + a : a * c + b] ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

// columns with norms 5, 1 and 0.5
const M = [[3, 0.6, 0.3], [4, 0.8, 0.4]];

describe('constraints: golden projections (Keras formulas)', () => {
  test('MaxNorm(2): a column of norm 5 is scaled to 2; columns inside the ball barely move (factor n/(n + 1e-7))', () => {
    const w = f64(M);
    const out = new C.MaxNorm(2).call(w);
    assert.deepEqual(out.shape, [2, 3]);
    assert.equal(out.dtype, 'float64');
    assertClose(out, [
      [3 * 2 / (5 + EPS), 0.6 * 1 / (1 + EPS), 0.3 * 0.5 / (0.5 + EPS)],
      [4 * 2 / (5 + EPS), 0.8 * 1 / (1 + EPS), 0.4 * 0.5 / (0.5 + EPS)],
    ], { rtol: 1e-14 });
    assertClose(out, [[1.2, 0.6, 0.3], [1.6, 0.8, 0.4]], { rtol: 1e-6 });
    assertClose(norms2d(out, 0), [2, 1, 0.5], { rtol: 1e-6 });
    assert.deepEqual(Array.from(w.data), M.flat(), 'the input is not modified');
  });

  test('MaxNorm axis: 1 caps rows, [0, 1] caps the whole tensor', () => {
    const w = f64([[3, 4], [0.3, 0.4]]); // row norms 5 and 0.5
    assertClose(norms2d(new C.MaxNorm(1, 1).call(w), 1), [1, 0.5], { rtol: 1e-6 });
    const all = new C.MaxNorm({ maxValue: 1, axis: [0, 1] }).call(w);
    const total = Math.hypot(...Array.from(all.data));
    assertClose(total, 1, { rtol: 1e-6 });
    assertClose(all, gf.mul(w, 1 / (Math.hypot(3, 4, 0.3, 0.4) + EPS)), { rtol: 1e-14 });
  });

  test('MaxNorm on a conv kernel [kh, kw, in, out] over axes [0, 1, 2] (one norm per filter)', () => {
    const w = randn([3, 3, 2, 4], 11, 2);
    const out = new C.MaxNorm(1, [0, 1, 2]).call(w);
    for (let f = 0; f < 4; f++) {
      let s = 0;
      for (let i = 0; i < 18; i++) s += out.data[i * 4 + f] ** 2;
      assert.ok(Math.sqrt(s) <= 1 + 1e-6, `filter ${f}: norm ${Math.sqrt(s)}`);
    }
  });

  test('NonNeg: w·[w ≥ 0]', () => {
    assert.deepEqual(Array.from(new C.NonNeg().call(f64([[-1, 2], [0, -0.5]])).data), [0, 2, 0, 0]);
    assert.ok(Number.isNaN(new C.NonNeg().call(f64([NaN])).data[0]), 'a NaN weight is not hidden');
  });

  test('UnitNorm(0): every column divided by (1e-7 + its norm)', () => {
    const out = new C.UnitNorm().call(f64(M));
    assertClose(out, [[3 / (5 + EPS), 0.6 / (1 + EPS), 0.3 / (0.5 + EPS)], [4 / (5 + EPS), 0.8 / (1 + EPS), 0.4 / (0.5 + EPS)]], { rtol: 1e-14 });
    assertClose(norms2d(out, 0), [1, 1, 1], { rtol: 1e-6 });
    assertClose(norms2d(new C.UnitNorm(1).call(f64(M)), 1), [1, 1], { rtol: 1e-6 });
  });

  test('MinMaxNorm: norms clipped into [min, max]; rate blends with the current norm', () => {
    const w = f64([[3, 0.3, 0.9], [4, 0.4, 1.2]]); // column norms 5, 0.5, 1.5
    const full = new C.MinMaxNorm(1, 2).call(w);
    assertClose(norms2d(full, 0), [2, 1, 1.5], { rtol: 1e-6 });
    assertClose(full, gf.mul(w, f64([[2 / (5 + EPS), 1 / (0.5 + EPS), 1.5 / (1.5 + EPS)]])), { rtol: 1e-14 });
    // rate 0.5: n ← 0.5·clip(n, 1, 2) + 0.5·n → 3.5, 0.75, 1.5
    const half = new C.MinMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5 }).call(w);
    assertClose(norms2d(half, 0), [3.5, 0.75, 1.5], { rtol: 1e-6 });
    // Keras defaults: min 0, max 1, rate 1, axis 0
    assert.deepEqual(new C.MinMaxNorm().getConfig(), { minValue: 0, maxValue: 1, rate: 1, axis: 0 });
  });

  test('float32 stays float32', () => {
    const out = new C.MaxNorm(2).call(gf.tensor(M));
    assert.equal(out.dtype, 'float32');
    assertClose(out, [[1.2, 0.6, 0.3], [1.6, 0.8, 0.4]], { rtol: 1e-6 });
  });

  test('constraints do not record on the tape, even when called with grad mode on', () => {
    const w = f64(M).requireGrad();
    for (const c of [new C.MaxNorm(1), new C.NonNeg(), new C.UnitNorm(), new C.MinMaxNorm()]) {
      const out = c.call(w);
      assert.equal(out.requiresGrad, false, (c.constructor as typeof C.Constraint).className);
      assert.equal(out.node, null);
    }
  });

  test('bad arguments name the constraint and the argument', () => {
    assert.throws(() => new C.MaxNorm(-1), /MaxNorm: maxValue must be a finite number ≥ 0, got -1/);
    assert.throws(() => new C.MaxNorm(1, 1.5), /MaxNorm: axis must be an integer or a non-empty array of integers, got 1.5/);
    assert.throws(() => new C.UnitNorm([]), /UnitNorm: axis must be an integer or a non-empty array/);
    assert.throws(() => new C.MinMaxNorm(2, 1), /MinMaxNorm: minValue \(2\) must be ≤ maxValue \(1\)/);
    assert.throws(() => new C.MinMaxNorm(0, 1, 1.5), /MinMaxNorm: rate must be in \[0, 1\], got 1.5/);
    assert.throws(() => new C.MaxNorm(1, 2).call(f64(M)), /MaxNorm.*axis 2/);
    assert.throws(() => new C.NonNeg().call(gf.tensor([1, 2], undefined, 'int32')), /NonNeg: expected float32 or float64 weights, got int32/);
    assert.throws(() => C.get({ className: 'MaxNorm', config: { maxvalue: 1 } }), /MaxNorm: unknown option 'maxvalue' \(did you mean 'maxValue'\?\)/);
  });
});

/** Non-default configs for every registered name (the round trip fails if one is missing). */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  max_norm: { maxValue: 1.5, axis: 1 },
  non_neg: {},
  unit_norm: { axis: [0, 1] },
  min_max_norm: { minValue: 0.5, maxValue: 3, rate: 0.25, axis: 1 },
};

describe('constraints: registry and config round trip', () => {
  test('every Keras and camelCase spelling resolves', () => {
    assert.deepEqual(C.constraintNames(), ['max_norm', 'min_max_norm', 'non_neg', 'unit_norm']);
    const spellings: Array<[string, unknown]> = [
      ['max_norm', C.MaxNorm], ['MaxNorm', C.MaxNorm], ['maxNorm', C.MaxNorm], ['non_neg', C.NonNeg], ['NonNeg', C.NonNeg],
      ['unit_norm', C.UnitNorm], ['UnitNorm', C.UnitNorm], ['min_max_norm', C.MinMaxNorm], ['MinMaxNorm', C.MinMaxNorm],
    ];
    for (const [name, cls] of spellings) assert.equal(C.get(name).constructor, cls, name);
    assert.deepEqual(C.get('max_norm').getConfig(), { maxValue: 2, axis: 0 });
    assert.deepEqual(C.get('unit_norm').getConfig(), { axis: 0 });
  });

  for (const name of C.constraintNames()) {
    test(`${name}: defaults and custom: serialize → JSON → get → same class, config and projection`, () => {
      assert.ok(EXAMPLES[name], `add an example for '${name}' to EXAMPLES`);
      const custom = C.get({ className: name, config: EXAMPLES[name] });
      assert.deepEqual(custom.getConfig(), { ...C.get(name).getConfig(), ...EXAMPLES[name] });
      const w = randn([3, 4], 5, 2);
      for (const c of [C.get(name), custom]) {
        const spec = C.serialize(c);
        const rebuilt = C.get(JSON.parse(JSON.stringify(spec)));
        assert.equal(rebuilt.constructor, c.constructor);
        assert.deepEqual(rebuilt.getConfig(), spec.config);
        assert.deepEqual(Array.from(rebuilt.call(w).data), Array.from(c.call(w).data));
      }
    });
  }

  test('instances pass through, null means none, shorthands, Keras snake_case configs', () => {
    const c = C.maxNorm(1);
    assert.equal(C.get(c), c);
    assert.equal(C.get(null), null);
    assert.deepEqual(C.unitNorm(1).getConfig(), { axis: 1 });
    assert.ok(C.nonNeg() instanceof C.NonNeg);
    assert.deepEqual(C.minMaxNorm({ maxValue: 2 }).getConfig(), { minValue: 0, maxValue: 2, rate: 1, axis: 0 });
    assert.deepEqual(C.get({ className: 'MaxNorm', config: { max_value: 3, axis: 0 } }).getConfig(), { maxValue: 3, axis: 0 });
    assert.throws(() => C.get('maxnorm2'), /unknown constraint 'maxnorm2'; expected one of: max_norm, min_max_norm, non_neg, unit_norm/);
    assert.throws(() => C.get(7 as any), /constraint: expected a name/);
  });
});

describe('constraints in layers and in fit', () => {
  test('Dense kernel/bias, BatchNormalization beta/gamma and PReLU alpha constraints survive getConfig → fromConfig', () => {
    const dense = new gf.layers.Dense(3, { kernelConstraint: C.maxNorm(1), biasConstraint: 'non_neg' });
    const config = JSON.parse(JSON.stringify(dense.getConfig()));
    assert.deepEqual(config.kernelConstraint, { className: 'MaxNorm', config: { maxValue: 1, axis: 0 } });
    assert.deepEqual(config.biasConstraint, { className: 'NonNeg', config: {} });
    const d2 = gf.layers.Dense.fromConfig(config) as gf.layers.Dense;
    d2.build([null, 2]);
    assert.equal((d2.kernel!.constraint as C.MaxNorm).maxValue, 1);
    assert.ok(d2.bias!.constraint instanceof C.NonNeg);
    assert.equal(new gf.layers.Dense(1).getConfig().kernelConstraint, null);

    const bn = new gf.layers.BatchNormalization({ gammaConstraint: { className: 'MinMaxNorm', config: { minValue: 0.5 } }, betaConstraint: 'unit_norm' });
    const bn2 = gf.layers.BatchNormalization.fromConfig(JSON.parse(JSON.stringify(bn.getConfig()))) as gf.layers.BatchNormalization;
    bn2.build([null, 4]);
    assert.equal((bn2.gamma!.constraint as C.MinMaxNorm).minValue, 0.5);
    assert.ok(bn2.beta!.constraint instanceof C.UnitNorm);

    const prelu = new gf.layers.PReLU({ alphaConstraint: 'NonNeg' });
    const p2 = gf.layers.PReLU.fromConfig(JSON.parse(JSON.stringify(prelu.getConfig()))) as gf.layers.PReLU;
    p2.build([null, 3]);
    assert.ok(p2.alpha!.constraint instanceof C.NonNeg);
  });

  // targets far from the origin drive the kernel's columns well past norm 1 without a constraint
  function data(): { x: Tensor; y: Tensor } {
    const x = randn([64, 4], 21);
    const wTrue = f64([[3, -2, 0.5], [1, 4, -3], [-2, 1, 2], [0.5, -1, 3]]);
    return { x: gf.cast(x, 'float32'), y: gf.cast(gf.add(gf.matmul(x, wTrue), -1), 'float32') };
  }
  async function train(kernelConstraint: C.ConstraintIdentifier | null, biasConstraint: C.ConstraintIdentifier | null = null): Promise<gf.layers.Dense> {
    gf.setSeed(9);
    const dense = new gf.layers.Dense(3, { inputShape: [4], kernelConstraint, biasConstraint });
    const model = new gf.Sequential([dense]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'mse' });
    const { x, y } = data();
    await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0 });
    return dense;
  }

  test('a Dense with kernelConstraint MaxNorm(1): after fit every column norm ≤ 1 + 1e-6', async () => {
    const free = await train(null);
    assert.ok(Math.max(...norms2d(free.kernel!, 0)) > 2, 'without the constraint the norms grow past 1 (the test means something)');
    const capped = await train(C.maxNorm(1), 'non_neg');
    const n = norms2d(capped.kernel!, 0);
    for (const [j, v] of n.entries()) assert.ok(v <= 1 + 1e-6, `column ${j}: norm ${v}`);
    assert.ok(Math.max(...n) > 0.99, 'the constraint is active (columns sit on the sphere)');
    for (const b of capped.bias!.data) assert.ok(b >= 0, `bias ${b} < 0 despite NonNeg`);
  });

  test('applied after every single update (trainOnBatch), by name', () => {
    gf.setSeed(10);
    const dense = new gf.layers.Dense(3, { inputShape: [4], kernelConstraint: 'max_norm', kernelInitializer: { className: 'Constant', config: { value: 5 } } });
    const model = new gf.Sequential([dense]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 1e-6 }), loss: 'mse' });
    assert.ok(Math.min(...norms2d(dense.kernel!, 0)) > 9, 'starts far outside the ball');
    const { x, y } = data();
    model.trainOnBatch(x, y);
    for (const v of norms2d(dense.kernel!, 0)) assertClose(v, 2, { rtol: 1e-6 });
  });
});
