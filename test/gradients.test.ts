/**
 * Gradient checks: every primitive's VJP rule and every composite against central differences
 * in float64 (helpers/gradcheck.ts), the documented choices at kinks, and the autograd
 * machinery itself (accumulation, vjp/grad/valueAndGrad, noGrad, deep chains).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { checkGradients, f64, randn, randnAwayFrom } from './helpers/gradcheck.js';
import { assertClose } from './helpers/assert-close.js';

type Fn = (...xs: Tensor[]) => Tensor;
interface Case { name: string; fn: Fn; inputs: () => Tensor[] }

const positive = (shape: number[], seed: number): Tensor => gf.add(gf.abs(randn(shape, seed)), 0.5);
const int32 = (values: gf.NestedArray): Tensor => gf.tensor(values, undefined, 'int32');

function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    test(`${c.name} matches central differences`, () => { checkGradients(c.fn, c.inputs(), { name: c.name }); });
  }
}

describe('unary primitives', () => {
  runCases([
    { name: 'neg', fn: gf.neg, inputs: () => [randn([2, 3], 1)] },
    { name: 'exp', fn: gf.exp, inputs: () => [randn([2, 3], 2)] },
    { name: 'log', fn: gf.log, inputs: () => [positive([2, 3], 3)] },
    { name: 'sqrt', fn: gf.sqrt, inputs: () => [positive([2, 3], 4)] },
    { name: 'abs away from zero', fn: gf.abs, inputs: () => [randnAwayFrom([2, 3], 5)] },
    { name: 'sign away from zero (zero gradient)', fn: gf.sign, inputs: () => [randnAwayFrom([2, 3], 6)] },
    { name: 'tanh', fn: gf.tanh, inputs: () => [randn([2, 3], 7, 2)] },
    { name: 'erf', fn: gf.erf, inputs: () => [randn([2, 3], 8)] },
    { name: 'reciprocal', fn: gf.reciprocal, inputs: () => [randnAwayFrom([2, 3], 9, [0], 0.3)] },
    { name: 'a scalar (rank-0) input', fn: gf.tanh, inputs: () => [f64(0.3)] },
  ]);
});

describe('binary primitives with broadcasting', () => {
  const shapePairs: Array<[number[], number[]]> = [
    [[2, 3], [2, 3]],     // same shape
    [[3, 1, 4], [2, 1]],  // both operands broadcast: result [3, 2, 4]
    [[], [2, 3]],         // scalar operand
    [[2, 3], [3]],        // row vector over a matrix
  ];
  const ops: Array<{ name: string; fn: Fn; a: (s: number[], seed: number) => Tensor; b: (s: number[], seed: number) => Tensor }> = [
    { name: 'add', fn: gf.add, a: randn, b: randn },
    { name: 'sub', fn: gf.sub, a: randn, b: randn },
    { name: 'mul', fn: gf.mul, a: randn, b: randn },
    { name: 'div', fn: gf.div, a: randn, b: (s, seed) => randnAwayFrom(s, seed, [0], 0.3) },
    { name: 'pow', fn: gf.pow, a: positive, b: randn },
    { name: 'maximum', fn: gf.maximum, a: randn, b: (s, seed) => randn(s, seed, 1, 0.01) },
    { name: 'minimum', fn: gf.minimum, a: randn, b: (s, seed) => randn(s, seed, 1, 0.01) },
  ];
  const cases: Case[] = [];
  for (const op of ops) {
    shapePairs.forEach(([sa, sb], i) => {
      cases.push({ name: `${op.name} of [${sa}] and [${sb}]`, fn: op.fn, inputs: () => [op.a(sa, 10 + i), op.b(sb, 20 + i)] });
    });
  }
  runCases(cases);
  runCases([
    { name: 'where with a broadcast condition and a scalar branch', fn: (c, a, b) => gf.where(c, a, b),
      inputs: () => [f64([[1], [0]]), randn([2, 3], 30), randn([], 31)] },
    { name: 'where with a float condition selecting per element', fn: (c, a, b) => gf.where(c, a, b),
      inputs: () => [f64([[1, 0, 2], [0, -1, 0]]), randn([2, 3], 32), randn([3], 33)] },
    { name: 'pow with an integer exponent of a negative base (base only)', fn: (a) => gf.pow(a, f64(3)),
      inputs: () => [f64([-1.5, -0.5, 2])] },
  ]);
});

describe('reductions', () => {
  const axesCases: Array<[string, number | number[] | undefined, boolean]> = [
    ['all axes', undefined, false], ['axis 0', 0, false], ['axis -1', -1, false],
    ['axes [0, 2]', [0, 2], false], ['negative axes [-1, -3]', [-1, -3], false],
    ['axis 1 with keepDims', 1, true], ['all axes with keepDims', undefined, true],
  ];
  const cases: Case[] = [];
  for (const [name, fn] of [['sum', gf.sum], ['max', gf.max], ['min', gf.min], ['mean', gf.mean]] as const) {
    axesCases.forEach(([label, axes, keep], i) => {
      cases.push({ name: `${name} over ${label}`, fn: (x) => fn(x, axes, keep), inputs: () => [randn([2, 3, 4], 40 + i)] });
    });
  }
  runCases(cases);
  runCases([
    { name: 'sum of a tensor containing zeros', fn: (x) => gf.sum(gf.mul(x, x), 1), inputs: () => [f64([[0, 0, 1], [0, -2, 0]])] },
  ]);
});

describe('matmul', () => {
  const cases: Case[] = [];
  const combos: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
  for (const [ta, tb] of combos) {
    const a2 = ta ? [4, 3] : [3, 4], b2 = tb ? [5, 4] : [4, 5];
    cases.push({ name: `2-D with transA=${ta}, transB=${tb}`, fn: (a, b) => gf.matmul(a, b, ta, tb), inputs: () => [randn(a2, 50), randn(b2, 51)] });
    cases.push({ name: `batched 3-D with transA=${ta}, transB=${tb}`, fn: (a, b) => gf.matmul(a, b, ta, tb),
      inputs: () => [randn([2, ...a2], 52), randn([2, ...b2], 53)] });
    cases.push({ name: `a 2-D b broadcast over a 3-D batch of a (transA=${ta}, transB=${tb})`, fn: (a, b) => gf.matmul(a, b, ta, tb),
      inputs: () => [randn([2, ...a2], 54), randn(b2, 55)] });
    cases.push({ name: `a 2-D a broadcast over a 3-D batch of b (transA=${ta}, transB=${tb})`, fn: (a, b) => gf.matmul(a, b, ta, tb),
      inputs: () => [randn(a2, 56), randn([2, ...b2], 57)] });
  }
  cases.push({ name: 'batch 1 broadcast against batch 3', fn: (a, b) => gf.matmul(a, b), inputs: () => [randn([1, 2, 3], 58), randn([3, 3, 2], 59)] });
  runCases(cases);
});

describe('data movement primitives', () => {
  runCases([
    { name: 'reshape', fn: (x) => gf.reshape(x, [3, 2]), inputs: () => [randn([2, 3], 60)] },
    { name: 'reshape with -1', fn: (x) => gf.reshape(x, [-1]), inputs: () => [randn([2, 3], 61)] },
    { name: 'broadcastTo adding and stretching axes', fn: (x) => gf.broadcastTo(x, [2, 3, 4]), inputs: () => [randn([3, 1], 62)] },
    { name: 'transpose with perm [2, 0, 1]', fn: (x) => gf.transpose(x, [2, 0, 1]), inputs: () => [randn([2, 3, 4], 63)] },
    { name: 'transpose by default reversing axes', fn: (x) => gf.transpose(x), inputs: () => [randn([2, 3], 64)] },
    { name: 'slice with a -1 size', fn: (x) => gf.slice(x, [1, 1], [1, -1]), inputs: () => [randn([3, 4], 65)] },
    { name: 'pad', fn: (x) => gf.pad(x, [1, 0], [0, 2]), inputs: () => [randn([2, 3], 66)] },
    { name: 'concat of three along axis 0', fn: (a, b, c) => gf.concat([a, b, c], 0), inputs: () => [randn([1, 3], 67), randn([2, 3], 68), randn([1, 3], 69)] },
    { name: 'concat along axis 1', fn: (a, b) => gf.concat([a, b], 1), inputs: () => [randn([2, 1], 70), randn([2, 3], 71)] },
    { name: 'concat of a tensor with itself', fn: (a) => gf.concat([a, a], -1), inputs: () => [randn([2, 2], 72)] },
    { name: 'gather with repeated indices', fn: (x, i) => gf.gather(x, i, 0), inputs: () => [randn([4, 3], 73), int32([2, 0, 2])] },
    { name: 'gather with 2-D indices along axis 1', fn: (x, i) => gf.gather(x, i, 1), inputs: () => [randn([2, 4], 74), int32([[3, 1], [1, 1]])] },
    { name: 'scatterAdd with repeated indices', fn: (u, i) => gf.scatterAdd(u, i, 0, [4, 2]), inputs: () => [randn([3, 2], 75), int32([1, 3, 1])] },
    { name: 'clip away from the boundaries', fn: (x) => gf.clip(x, -0.5, 0.7), inputs: () => [randnAwayFrom([3, 4], 76, [-0.5, 0.7])] },
    { name: 'cast float64 → float64 (identity)', fn: (x) => gf.cast(x, 'float64'), inputs: () => [randn([2, 3], 77)] },
  ]);

  test('cast float32 → float64 sends a float32 gradient back', () => {
    const x = gf.tensor([1, 2], undefined, 'float32').requireGrad();
    gf.sum(gf.mul(gf.cast(x, 'float64'), 3)).backward();
    assert.equal(x.grad?.dtype, 'float32');
    assertClose(x.grad!, [3, 3]);
  });

  test('stopGradient passes values but no gradient', () => {
    const x = f64([1, -2, 3]);
    const [g] = gf.grad((t) => gf.sum(gf.stopGradient(t)))(x);
    assertClose(g, [0, 0, 0]);
    // d/dx x·sg(x) = sg(x) = x
    const [h] = gf.grad((t) => gf.sum(gf.mul(t, gf.stopGradient(t))))(x);
    assertClose(h, [1, -2, 3]);
  });

  test('comparisons, argmax/argmin and oneHot have no gradient', () => {
    const x = f64([0.5, -1, 2]);
    const fns: Array<[string, Fn]> = [
      ['greater', (t) => gf.sum(gf.greater(t, 0))],
      ['greaterEqual', (t) => gf.sum(gf.greaterEqual(t, 0))],
      ['less', (t) => gf.sum(gf.less(t, 0))],
      ['lessEqual', (t) => gf.sum(gf.lessEqual(t, 0))],
      ['equal', (t) => gf.sum(gf.equal(t, 2))],
      ['notEqual', (t) => gf.sum(gf.notEqual(t, 2))],
      ['argmax', (t) => gf.sum(gf.cast(gf.argmax(t), 'float64'))],
      ['argmin', (t) => gf.sum(gf.cast(gf.argmin(t), 'float64'))],
      ['oneHot of argmax', (t) => gf.sum(gf.mul(gf.oneHot(gf.argmax(t), 3, 'float64'), 5))],
    ];
    for (const [name, fn] of fns) assertClose(gf.grad(fn)(x)[0], [0, 0, 0], { message: name });
    // a mask used as a factor: d/dx Σ (x > 0)·x = (x > 0)
    assertClose(gf.grad((t) => gf.sum(gf.mul(gf.greater(t, 0), t)))(x)[0], [1, 0, 1]);
  });
});

describe('composites', () => {
  runCases([
    { name: 'mean over axes [0, -1] with keepDims', fn: (x) => gf.mean(x, [0, -1], true), inputs: () => [randn([2, 3, 4], 80)] },
    { name: 'square', fn: gf.square, inputs: () => [randn([2, 3], 81)] },
    { name: 'sigmoid', fn: gf.sigmoid, inputs: () => [randn([2, 3], 82, 3)] },
    { name: 'sigmoid at large magnitudes', fn: gf.sigmoid, inputs: () => [f64([-50, -20, 0, 20, 50])] },
    { name: 'relu away from zero', fn: gf.relu, inputs: () => [randnAwayFrom([2, 3], 83)] },
    { name: 'softplus', fn: gf.softplus, inputs: () => [randnAwayFrom([2, 3], 84, [0], 0.01)] },
    { name: 'softplus at large magnitudes', fn: gf.softplus, inputs: () => [f64([-40, -10, 10, 40])] },
    // softplus is smooth: its slope at 0 is sigmoid(0) = 1/2 (no kink to choose a side of)
    { name: 'softplus at zero', fn: (x) => gf.sum(gf.softplus(x)), inputs: () => [f64([0, 0])] },
    { name: 'logSumExp over the last axis', fn: (x) => gf.logSumExp(x), inputs: () => [randn([3, 4], 85)] },
    { name: 'logSumExp over axis 0 with keepDims', fn: (x) => gf.logSumExp(x, 0, true), inputs: () => [randn([3, 4], 86)] },
    { name: 'logSumExp over axes [0, 1]', fn: (x) => gf.logSumExp(x, [0, 1]), inputs: () => [randn([3, 4], 87)] },
    { name: 'softmax over the last axis', fn: (x) => gf.softmax(x), inputs: () => [randn([3, 4], 88)] },
    { name: 'softmax over axis 0', fn: (x) => gf.softmax(x, 0), inputs: () => [randn([3, 4], 89)] },
    { name: 'logSoftmax over the last axis', fn: (x) => gf.logSoftmax(x), inputs: () => [randn([3, 4], 90)] },
    { name: 'logSoftmax over axis 0', fn: (x) => gf.logSoftmax(x, 0), inputs: () => [randn([3, 4], 91)] },
    { name: 'variance over all axes', fn: (x) => gf.variance(x), inputs: () => [randn([3, 4], 92)] },
    { name: 'variance over axis 0 with keepDims', fn: (x) => gf.variance(x, 0, true), inputs: () => [randn([3, 4], 93)] },
    { name: 'variance over axes [0, 2]', fn: (x) => gf.variance(x, [0, 2]), inputs: () => [randn([2, 3, 2], 94)] },
  ]);

  describe('at inputs of ±1000', () => {
    const big = (): Tensor => f64([[1000, 999, -1000], [-1000, -999.5, -1001], [1000, 1000, 1000]]);
    const fns: Array<[string, Fn]> = [
      ['softmax', (x) => gf.softmax(x)], ['logSoftmax', (x) => gf.logSoftmax(x)], ['logSumExp', (x) => gf.logSumExp(x)],
      ['softmax over axis 0', (x) => gf.softmax(x, 0)], ['logSumExp over axis 0', (x) => gf.logSumExp(x, 0)],
    ];
    for (const [name, fn] of fns) {
      test(`${name} stays finite and its gradient is correct`, () => {
        const y = fn(big());
        assert.ok(Array.from(y.data).every(Number.isFinite), `${name} gave ${y.toString()}`);
        checkGradients(fn, [big()], { name });
      });
    }
    test('logSumExp of ±1000 rows has the exact values', () => {
      assertClose(gf.logSumExp(big()), [1000 + Math.log(1 + Math.exp(-1)), -999.5 + Math.log(1 + Math.exp(-0.5) + Math.exp(-1.5)),
        1000 + Math.log(3)], { rtol: 1e-12 });
    });
  });
});

describe('documented choices at kinks', () => {
  const g1 = (fn: Fn, x: Tensor): Tensor => gf.grad(fn)(x)[0];

  test("relu'(0) is 0", () => {
    assertClose(g1((x) => gf.sum(gf.relu(x)), f64([0, -1, 2])), [0, 0, 1]);
  });
  test("abs'(0) is 0", () => {
    assertClose(g1((x) => gf.sum(gf.abs(x)), f64([0, -3, 2])), [0, -1, 1]);
  });
  test('maximum and minimum send the gradient to the first argument at ties', () => {
    for (const op of [gf.maximum, gf.minimum]) {
      const [da, db] = gf.grad((a, b) => gf.sum(op(a, b)))(f64([1, 2, 3]), f64([1, 5, 3]));
      assertClose(da, op === gf.maximum ? [1, 0, 1] : [1, 1, 1]);
      assertClose(db, op === gf.maximum ? [0, 1, 0] : [0, 0, 0]);
    }
  });
  test('maximum with a broadcast scalar tie sends the gradient to the first argument', () => {
    const [da, db] = gf.grad((a, b) => gf.sum(gf.maximum(a, b)))(f64([0, -1, 1]), f64(0));
    assertClose(da, [1, 0, 1]);
    assertClose(db, 1);
  });
  test('max and min reductions share the gradient equally among ties', () => {
    assertClose(g1((x) => gf.max(x), f64([1, 3, 3])), [0, 0.5, 0.5]);
    assertClose(g1((x) => gf.min(x), f64([2, 2, 2, 5])), [1 / 3, 1 / 3, 1 / 3, 0]);
    assertClose(g1((x) => gf.sum(gf.max(x, 1)), f64([[2, 2], [1, 5]])), [[0.5, 0.5], [0, 1]]);
    assertClose(g1((x) => gf.sum(gf.min(x, 0, true)), f64([[2, 2], [1, 2]])), [[0, 0.5], [1, 0.5]]);
  });
  test('clip passes the gradient at both boundaries and blocks it outside', () => {
    assertClose(g1((x) => gf.sum(gf.clip(x, 0, 1)), f64([-1, 0, 0.5, 1, 2])), [0, 1, 1, 1, 0]);
  });
  test("softplus'(0) is sigmoid(0) = 1/2: softplus is smooth, so it has no kink to choose", () => {
    assertClose(g1((x) => gf.sum(gf.softplus(x)), f64([0, -1, 1])), [0.5, 1 / (1 + Math.E), 1 / (1 + Math.exp(-1))], { rtol: 1e-12 });
  });
  test('sign has a zero gradient everywhere, zero included', () => {
    assertClose(g1((x) => gf.sum(gf.sign(x)), f64([-2, 0, 3])), [0, 0, 0]);
  });
  test('pow gives no gradient to the exponent where the base is not positive', () => {
    const [, db] = gf.grad((a, b) => gf.sum(gf.pow(a, b)))(f64([-2, 0, 2]), f64([2, 2, 2]));
    assertClose(db, [0, 0, 4 * Math.log(2)], { rtol: 1e-12 });
  });
});

describe('autograd', () => {
  test('a tensor used twice accumulates its gradient (x·x and x + x)', () => {
    const x = f64([1, -2, 3]);
    assertClose(gf.grad((t) => gf.sum(gf.mul(t, t)))(x)[0], [2, -4, 6]);
    assertClose(gf.grad((t) => gf.sum(gf.add(t, t)))(x)[0], [2, 2, 2]);
  });

  test('backward() accumulates into .grad across two calls', () => {
    const x = f64([1, 2]).requireGrad();
    gf.sum(gf.mul(x, 3)).backward();
    assertClose(x.grad!, [3, 3]);
    gf.sum(gf.mul(x, x)).backward();
    assertClose(x.grad!, [5, 7]);
  });

  test('backward() twice on the same graph adds the gradient twice', () => {
    const x = f64([1, 2]).requireGrad();
    const loss = gf.sum(gf.mul(x, x));
    loss.backward();
    loss.backward();
    assertClose(x.grad!, [4, 8]);
  });

  test('backward on a non-scalar output uses the upstream gradient', () => {
    const x = f64([1, 2, 3]).requireGrad();
    gf.mul(x, x).backward([1, 0, -1]);
    assertClose(x.grad!, [2, 0, -6]);
    assert.throws(() => gf.mul(x, 2).backward(), /backward: .*\[3\].*upstream gradient/);
  });

  test('leaf gradients do not alias each other or the caller\u2019s upstream gradient', () => {
    // optimizers and clipping may update .grad in place; a shared buffer would corrupt others
    const a = f64([1, 2]).requireGrad(), b = f64([3, 4]).requireGrad();
    const dy = f64([1, 1]);
    gf.add(a, b).backward(dy);
    assert.notEqual(a.grad!.data, b.grad!.data, 'a.grad and b.grad share their data');
    assert.notEqual(a.grad!.data, dy.data, 'a.grad shares its data with dy');
    a.grad!.data[0] = 100;
    assertClose(b.grad!, [1, 1]);
    assertClose(dy, [1, 1]);
  });

  test('backward on a leaf gives it a gradient of ones', () => {
    const x = f64(4).requireGrad();
    x.backward();
    assertClose(x.grad!, 1);
  });

  test('vjp returns the value and gradients for a given upstream gradient', () => {
    const [value, vjpFn] = gf.vjp((a, b) => gf.mul(a, b), f64([1, 2]), f64([3, 4]));
    assertClose(value, [3, 8]);
    const [da, db] = vjpFn(f64([1, 10]));
    assertClose(da, [3, 40]);
    assertClose(db, [1, 20]);
  });

  test('valueAndGrad returns the value and leaves the callers\u2019 tensors untouched', () => {
    const a = f64([1, 2]).requireGrad();
    const [value, [ga]] = gf.valueAndGrad((t) => gf.sum(gf.mul(t, t)))(a);
    assertClose(value, 5);
    assertClose(ga, [2, 4]);
    assert.equal(a.grad, null);
  });

  test('grad with argnums differentiates only the chosen arguments', () => {
    const f = (a: Tensor, b: Tensor, c: Tensor): Tensor => gf.sum(gf.mul(gf.mul(a, b), c));
    const grads = gf.grad(f, [1])(f64([2]), f64([3]), f64([5]));
    assert.equal(grads.length, 1);
    assertClose(grads[0], [10]);
    const [gc, ga] = gf.grad(f, [2, 0])(f64([2]), f64([3]), f64([5]));
    assertClose(gc, [6]);
    assertClose(ga, [15]);
  });

  test('grad of an argument the output does not depend on is zero', () => {
    const [, gb] = gf.grad((a, _b) => gf.sum(a))(f64([1, 2]), f64([3, 4]));
    assertClose(gb, [0, 0]);
  });

  test('noGrad records nothing and restores grad mode, even after a throw', () => {
    const x = f64([1, 2]).requireGrad();
    const y = gf.noGrad(() => {
      assert.equal(gf.isGradEnabled(), false);
      return gf.mul(x, x);
    });
    assert.equal(y.node, null);
    assert.equal(y.requiresGrad, false);
    assert.equal(gf.isGradEnabled(), true);
    assert.throws(() => gf.noGrad(() => { throw new Error('boom'); }), /boom/);
    assert.equal(gf.isGradEnabled(), true);
    assert.throws(() => y.backward(), /does not depend on any tensor that requires gradients/);
  });

  test('backward on a tensor with no grad-requiring inputs gives a clear error', () => {
    const y = gf.sum(gf.mul(f64([1, 2]), 2));
    assert.throws(() => y.backward(), /backward: this tensor does not depend on any tensor that requires gradients/);
  });

  test('a 2,000-op chain reusing its input back-propagates without overflowing the stack', () => {
    const [g] = gf.grad((x) => {
      let y = x;
      for (let i = 0; i < 2000; i++) y = gf.add(y, x);
      return gf.sum(y);
    })(f64([1, 2]));
    assertClose(g, [2001, 2001]);
  });

  test('a 10,000-op chain back-propagates without overflowing the stack', () => {
    const x = f64([0.5]).requireGrad();
    let y = x;
    for (let i = 0; i < 10_000; i++) y = gf.neg(y);
    gf.sum(y).backward();
    assertClose(x.grad!, [1]);
  });
});

describe('fused sparseSoftmaxCrossEntropy', () => {
  const z = () => gf.tensor([[0.5, -1.2, 2.0], [3.0, 0.1, -0.7], [0, 0, 0]], undefined, 'float64');
  const y = gf.tensor([2, 0, 1], undefined, 'int32');

  test('equals −logSoftmax at the label', () => {
    const fused = gf.sparseSoftmaxCrossEntropy(z(), y);
    const composite = gf.neg(gf.sum(gf.mul(gf.oneHot(y, 3, 'float64'), gf.logSoftmax(z())), -1));
    assertClose(fused, composite, { atol: 1e-15 });
  });

  test('is stable at ±1000', () => {
    const big = gf.tensor([[1000, 0, -1000], [-1000, -1000, -1000]], undefined, 'float64');
    assertClose(gf.sparseSoftmaxCrossEntropy(big, gf.tensor([2, 1], undefined, 'int32')), [2000, Math.log(3)], { atol: 1e-12 });
  });

  test('gradient (softmax − onehot) by central differences', () => {
    checkGradients((t: Tensor) => gf.sparseSoftmaxCrossEntropy(t, y), [z()], { name: 'sparseSoftmaxCrossEntropy' });
  });

  test('second order: the gradient itself differentiates correctly (w.r.t. logits and dy)', () => {
    const dy = gf.tensor([0.3, -1.1, 0.7], undefined, 'float64');
    checkGradients((t: Tensor, d: Tensor) => gf.sparseSoftmaxCrossEntropyGrad(t, y, d), [z(), dy], { name: 'sparseSoftmaxCrossEntropyGrad' });
  });

  test('labels must match the logits without their class axis, and be in range', () => {
    assert.throws(() => gf.sparseSoftmaxCrossEntropy(z(), gf.tensor([0, 1], undefined, 'int32')), /labels of shape \[2\] do not match logits of shape \[3, 3\]/);
    assert.throws(() => gf.sparseSoftmaxCrossEntropy(z(), gf.tensor([0, 1, 3], undefined, 'int32')), /labels contain 3 at position 2, expected values in \[0, 2\]/);
  });
});
