/**
 * Forward values of every op against hand-computed expectations, int32 behaviour, dtype
 * promotion, and tensor creation / read-back.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { assertClose, assertTensor } from './helpers/assert-close.js';

const i32 = (v: gf.NestedArray): gf.Tensor => gf.tensor(v, undefined, 'int32');
const f64 = (v: gf.NestedArray): gf.Tensor => gf.tensor(v, undefined, 'float64');

describe('unary ops', () => {
  const x = [-2, -0.5, 0, 1.5];
  const cases: Array<[string, (t: gf.Tensor) => gf.Tensor, number[]]> = [
    ['neg', gf.neg, [2, 0.5, -0, -1.5]],
    ['exp', gf.exp, x.map(Math.exp)],
    ['abs', gf.abs, [2, 0.5, 0, 1.5]],
    ['sign', gf.sign, [-1, -1, 0, 1]],
    ['tanh', gf.tanh, x.map(Math.tanh)],
    // erf values from Abramowitz & Stegun table 7.1 / scipy.special.erf
    ['erf', gf.erf, [-0.9953222650189527, -0.5204998778130465, 0, 0.9661051464753108]],
  ];
  for (const [name, fn, expected] of cases) {
    test(`${name} computes the expected values`, () => assertClose(fn(f64(x)), expected, { rtol: 1e-7, atol: 1e-7 }));
  }
  test('log, sqrt and reciprocal compute the expected values on positive inputs', () => {
    assertClose(gf.log(f64([1, Math.E, 0.5])), [0, 1, Math.log(0.5)], { rtol: 1e-12 });
    assertClose(gf.sqrt(f64([0, 4, 2])), [0, 2, Math.SQRT2], { rtol: 1e-12 });
    assertClose(gf.reciprocal(f64([4, -0.5, 0])), [0.25, -2, Infinity]);
  });
  test('neg, abs and sign keep int32; exp of int32 computes in float32', () => {
    assertTensor(gf.neg(i32([1, -2])), { dtype: 'int32', values: [-1, 2] });
    assertTensor(gf.abs(i32([-3, 4])), { dtype: 'int32', values: [3, 4] });
    assertTensor(gf.sign(i32([-3, 0, 4])), { dtype: 'int32', values: [-1, 0, 1] });
    assertTensor(gf.exp(i32([0, 1])), { dtype: 'float32', values: [1, Math.fround(Math.E)] });
  });
});

describe('binary ops', () => {
  const a = f64([[1, 2, 3]]);         // [1, 3]
  const b = f64([[10], [20]]);        // [2, 1]
  const cases: Array<[string, (x: gf.Tensor, y: gf.Tensor) => gf.Tensor, number[][]]> = [
    ['add', gf.add, [[11, 12, 13], [21, 22, 23]]],
    ['sub', gf.sub, [[-9, -8, -7], [-19, -18, -17]]],
    ['mul', gf.mul, [[10, 20, 30], [20, 40, 60]]],
    ['div', gf.div, [[0.1, 0.2, 0.3], [0.05, 0.1, 0.15]]],
    ['maximum', gf.maximum, [[10, 10, 10], [20, 20, 20]]],
    ['minimum', gf.minimum, [[1, 2, 3], [1, 2, 3]]],
  ];
  for (const [name, fn, expected] of cases) {
    test(`${name} broadcasts [1, 3] with [2, 1] to [2, 3]`, () => assertClose(fn(a, b), expected, { rtol: 1e-15 }));
  }
  test('pow raises element-wise, with a broadcast exponent', () => {
    assertClose(gf.pow(f64([2, 3, 4, -2]), f64(2)), [4, 9, 16, 4]);
    assertClose(gf.pow(f64([4, 9]), 0.5), [2, 3]);
  });
  test('integer division truncates toward zero', () => {
    assertTensor(gf.div(i32([7, -7, 7, -7, 6]), i32([2, 2, -2, -2, 3])), { dtype: 'int32', values: [3, -3, -3, 3, 2] });
  });
  test('comparisons return 0/1 masks in the operands\u2019 dtype', () => {
    const x = i32([1, 2, 3]), y = i32([2, 2, 2]);
    const cases2: Array<[string, (p: gf.TensorLike, q: gf.TensorLike) => gf.Tensor, number[]]> = [
      ['greater', gf.greater, [0, 0, 1]], ['greaterEqual', gf.greaterEqual, [0, 1, 1]],
      ['less', gf.less, [1, 0, 0]], ['lessEqual', gf.lessEqual, [1, 1, 0]],
      ['equal', gf.equal, [0, 1, 0]], ['notEqual', gf.notEqual, [1, 0, 1]],
    ];
    for (const [name, fn, expected] of cases2) {
      assertTensor(fn(x, y), { shape: [3], dtype: 'int32', values: expected }, { message: name });
      assertTensor(fn(gf.cast(x, 'float32'), 2), { dtype: 'float32', values: expected }, { message: `${name} (float32)` });
    }
  });
  test('where selects where the condition is non-zero, with broadcasting', () => {
    assertClose(gf.where(gf.tensor([[1], [0]]), gf.tensor([[1, 2, 3], [4, 5, 6]]), -1), [[1, 2, 3], [-1, -1, -1]]);
    assertClose(gf.where(gf.tensor([2, 0, -0.5]), 1, 0), [1, 0, 1]);
  });
});

describe('dtype promotion', () => {
  test('float64 wins over float32 and int32; float32 over int32', () => {
    assert.equal(gf.add(gf.tensor([1]), f64([1])).dtype, 'float64');
    assert.equal(gf.mul(i32([1]), f64([1])).dtype, 'float64');
    assert.equal(gf.sub(i32([1]), gf.tensor([1])).dtype, 'float32');
    assert.equal(gf.matmul(gf.tensor([[1]]), f64([[1]])).dtype, 'float64');
    assert.equal(gf.concat([i32([1]), gf.tensor([2]), f64([3])]).dtype, 'float64');
    assert.equal(gf.where(gf.tensor([1]), i32([1]), f64([2])).dtype, 'float64');
  });
  test('a plain number takes the tensor\u2019s dtype', () => {
    assertTensor(gf.add(f64([1]), 2), { dtype: 'float64', values: [3] });
    assertTensor(gf.add(2, gf.tensor([1])), { dtype: 'float32', values: [3] });
    assertTensor(gf.add(i32([1]), 2), { dtype: 'int32', values: [3] });
    assertTensor(gf.div(i32([7]), 2), { dtype: 'int32', values: [3] });
    assertTensor(gf.add(1, 2), { shape: [], dtype: 'float32', values: [3] });
  });
});

describe('reductions', () => {
  const x = gf.tensor([[1, 5, 3], [4, 2, 6]]);
  test('sum, mean, max and min over all axes, one axis and negative axes', () => {
    assertTensor(gf.sum(x), { shape: [], values: [21] });
    assertTensor(gf.sum(x, 0), { shape: [3], values: [5, 7, 9] });
    assertTensor(gf.sum(x, -1), { shape: [2], values: [9, 12] });
    assertTensor(gf.mean(x, [0, 1]), { shape: [], values: [3.5] });
    assertTensor(gf.max(x, 1), { shape: [2], values: [5, 6] });
    assertTensor(gf.min(x, -2), { shape: [3], values: [1, 2, 3] });
  });
  test('keepDims keeps reduced axes as size 1', () => {
    assertTensor(gf.sum(x, 1, true), { shape: [2, 1], values: [9, 12] });
    assertTensor(gf.max(x, undefined, true), { shape: [1, 1], values: [6] });
    assertTensor(gf.mean(x, 0, true), { shape: [1, 3], values: [2.5, 3.5, 4.5] });
  });
  test('non-adjacent axes of a 3-D tensor', () => {
    const t = gf.arange(24).reshape([2, 3, 4]);
    // Σ over axes 0 and 2 of i·12 + j·4 + k = 8·(4j) + Σ_i Σ_k (12i + k) = 32j + 48 + 12
    assertTensor(gf.sum(t, [0, 2]), { shape: [3], values: [60, 92, 124] });
  });
  test('the sum of an empty tensor is 0 and the mean of int32 is float32', () => {
    assertTensor(gf.sum(gf.zeros([0, 3]), 0), { shape: [3], values: [0, 0, 0] });
    assertTensor(gf.mean(i32([1, 2])), { dtype: 'float32', values: [1.5] });
    assertTensor(gf.sum(i32([1, 2])), { dtype: 'int32', values: [3] });
  });
  test('argmax and argmin resolve ties to the first index', () => {
    const t = gf.tensor([[1, 3, 3], [2, 2, 0]]);
    assertTensor(gf.argmax(t), { shape: [2], dtype: 'int32', values: [1, 0] });
    assertTensor(gf.argmin(t), { values: [0, 2] });
    assertTensor(gf.argmax(t, 0), { shape: [3], values: [1, 0, 0] });
    assertTensor(gf.argmin(gf.tensor([[5, 5], [5, 5]]), 0), { values: [0, 0] });
  });
});

describe('matmul', () => {
  const a = gf.tensor([[1, 2, 3], [4, 5, 6]]);     // [2, 3]
  const b = gf.tensor([[1, 0], [0, 1], [2, -1]]);  // [3, 2]
  const ab = [[7, -1], [16, -1]];
  test('multiplies 2-D matrices, in every transpose combination', () => {
    assertClose(gf.matmul(a, b), ab);
    assertClose(gf.matmul(gf.transpose(a), b, true, false), ab);
    assertClose(gf.matmul(a, gf.transpose(b), false, true), ab);
    assertClose(gf.matmul(gf.transpose(a), gf.transpose(b), true, true), ab);
    assertClose(a.matmul(b), ab);
  });
  test('batches 3-D operands and broadcasts a 2-D operand over the batch', () => {
    const batch = gf.concat([gf.reshape(a, [1, 2, 3]), gf.reshape(gf.mul(a, 2), [1, 2, 3])], 0);
    const out = gf.matmul(batch, b);
    assertTensor(out, { shape: [2, 2, 2], values: [7, -1, 16, -1, 14, -2, 32, -2] });
  });
  test('a zero inner dimension gives zeros', () => {
    assertTensor(gf.matmul(gf.zeros([2, 0]), gf.zeros([0, 3])), { shape: [2, 3], values: [0, 0, 0, 0, 0, 0] });
  });
});

describe('data movement', () => {
  const x = gf.arange(6).reshape([2, 3]);  // [[0, 1, 2], [3, 4, 5]]
  test('reshape infers a -1 dimension', () => {
    assertTensor(gf.reshape(x, [-1, 2]), { shape: [3, 2], values: [0, 1, 2, 3, 4, 5] });
    assertTensor(gf.reshape(x, [6, -1]), { shape: [6, 1] });
  });
  test('broadcastTo repeats along new and size-1 axes', () => {
    assertTensor(gf.broadcastTo(gf.tensor([[1], [2]]), [2, 2, 3]), { shape: [2, 2, 3], values: [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2] });
  });
  test('transpose reverses axes by default and follows a perm', () => {
    assertClose(gf.transpose(x), [[0, 3], [1, 4], [2, 5]]);
    const t = gf.arange(24).reshape([2, 3, 4]);
    const p = gf.transpose(t, [1, 2, 0]);
    assert.deepEqual(p.shape, [3, 4, 2]);
    // p[j, k, i] = t[i, j, k] = 12i + 4j + k
    assertClose(gf.slice(p, [2, 1, 0], [1, 1, 2]), [[[9, 21]]]);
    assertClose(gf.transpose(t, [0, 2, 1]).toArray(), [[[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]],
      [[12, 16, 20], [13, 17, 21], [14, 18, 22], [15, 19, 23]]]);
  });
  test('slice takes a box; size -1 runs to the end', () => {
    assertClose(gf.slice(x, [0, 1], [2, -1]), [[1, 2], [4, 5]]);
    assertClose(gf.slice(x, [1, 0]), [[3, 4, 5]]);
    assertTensor(gf.slice(x, [1, 1], [0, 2]), { shape: [0, 2] });
  });
  test('pad adds zeros before and after each axis', () => {
    assertClose(gf.pad(gf.tensor([[1, 2]]), [1, 0], [0, 1]), [[0, 0, 0], [1, 2, 0]]);
  });
  test('concat joins along axis 1 and along a negative axis', () => {
    const y = gf.tensor([[9], [8]]);
    assertClose(gf.concat([x, y], 1), [[0, 1, 2, 9], [3, 4, 5, 8]]);
    assertClose(gf.concat([y, x], -1), [[9, 0, 1, 2], [8, 3, 4, 5]]);
    assertClose(gf.concat([x, x], 0), [[0, 1, 2], [3, 4, 5], [0, 1, 2], [3, 4, 5]]);
  });
  test('gather takes entries at 1-D and 2-D indices along an axis', () => {
    assertClose(gf.gather(x, i32([1, 1, 0]), 0), [[3, 4, 5], [3, 4, 5], [0, 1, 2]]);
    const g = gf.gather(x, i32([[2, 0], [1, 1]]), 1);
    assertTensor(g, { shape: [2, 2, 2], values: [2, 0, 1, 1, 5, 3, 4, 4] });
    assertTensor(gf.gather(gf.tensor([5, 6, 7]), [2, 0]), { shape: [2], values: [7, 5] });
  });
  test('scatterAdd sums updates at repeated indices', () => {
    assertClose(gf.scatterAdd(gf.tensor([[1, 2], [3, 4], [5, 6]]), i32([2, 0, 2]), 0, [3, 2]), [[3, 4], [0, 0], [6, 8]]);
  });
  test('oneHot encodes labels of any shape', () => {
    assertTensor(gf.oneHot(i32([[0, 2], [1, 1]]), 3), { shape: [2, 2, 3], dtype: 'float32',
      values: [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0] });
    assertTensor(gf.oneHot(i32([1]), 2, 'int32'), { dtype: 'int32', values: [0, 1] });
  });
  test('clip clamps to [lo, hi]', () => {
    assertClose(gf.clip(gf.tensor([-2, 0, 0.5, 1, 3]), 0, 1), [0, 0, 0.5, 1, 1]);
    assertTensor(gf.clip(i32([-5, 5]), -1, 1), { dtype: 'int32', values: [-1, 1] });
  });
  test('cast truncates floats toward zero into int32 and widens exactly', () => {
    assertTensor(gf.cast(gf.tensor([1.7, -1.7, 2.5, -0.2]), 'int32'), { dtype: 'int32', values: [1, -1, 2, 0] });
    assertTensor(gf.cast(i32([3, -4]), 'float64'), { dtype: 'float64', values: [3, -4] });
    assertTensor(gf.cast(f64([0.1]), 'float32'), { dtype: 'float32', values: [Math.fround(0.1)] });
  });
  test('stopGradient returns the same values', () => {
    assertClose(gf.stopGradient(x), x);
  });
});

describe('composite values', () => {
  test('sigmoid, relu, softplus, square', () => {
    const x = f64([-1, 0, 2]);
    assertClose(gf.sigmoid(x), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))], { rtol: 1e-14 });
    assertClose(gf.relu(x), [0, 0, 2]);
    assertClose(gf.softplus(x), [Math.log1p(Math.exp(-1)), Math.LN2, Math.log1p(Math.exp(2))], { rtol: 1e-14 });
    assertClose(gf.square(x), [1, 0, 4]);
  });
  test('softmax rows sum to 1; logSoftmax is its log; variance is the population variance', () => {
    const x = f64([[1, 2, 3], [0, 0, 0]]);
    const e = [1, Math.E, Math.E ** 2].map((v) => v / (1 + Math.E + Math.E ** 2));
    assertClose(gf.softmax(x), [e, [1 / 3, 1 / 3, 1 / 3]], { rtol: 1e-14 });
    assertClose(gf.logSoftmax(x), [e.map(Math.log), Array(3).fill(-Math.log(3))], { rtol: 1e-14 });
    assertClose(gf.variance(x, 1), [2 / 3, 0], { rtol: 1e-14 });
    assertClose(gf.logSumExp(gf.tensor([-Infinity, -Infinity])), -Infinity);
  });
});

describe('tensor creation and read-back', () => {
  test('nested arrays infer the shape and default to float32', () => {
    assertTensor(gf.tensor([[1, 2, 3], [4, 5, 6]]), { shape: [2, 3], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] });
    assertTensor(gf.tensor([[true, false]]), { shape: [1, 2], values: [1, 0] });
    assertTensor(gf.tensor(5), { shape: [], values: [5] });
    assertTensor(gf.tensor([]), { shape: [0] });
    assertTensor(gf.tensor([1, 2, 3, 4], [2, 2], 'int32'), { shape: [2, 2], dtype: 'int32' });
  });
  test('typed arrays keep their dtype and copy their data', () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const t = gf.tensor(src, [2, 2]);
    assertTensor(t, { shape: [2, 2], dtype: 'float64', values: [1, 2, 3, 4] });
    src[0] = 100;
    assert.equal(t.data[0], 1);
    assertTensor(gf.tensor(new Int32Array([7, 8])), { shape: [2], dtype: 'int32' });
    assertTensor(gf.tensor(new Float32Array([1.5]), undefined, 'float64'), { dtype: 'float64', values: [1.5] });
  });
  test('constant constructors: scalar, zeros, ones, full, zerosLike, onesLike, arange', () => {
    assertTensor(gf.scalar(2, 'int32'), { shape: [], dtype: 'int32', values: [2] });
    assertTensor(gf.zeros([2, 1]), { shape: [2, 1], dtype: 'float32', values: [0, 0] });
    assertTensor(gf.ones([2], 'float64'), { dtype: 'float64', values: [1, 1] });
    assertTensor(gf.full([3], 7, 'int32'), { dtype: 'int32', values: [7, 7, 7] });
    assertTensor(gf.zerosLike(f64([1, 2])), { dtype: 'float64', values: [0, 0] });
    assertTensor(gf.onesLike(i32([5])), { dtype: 'int32', values: [1] });
    assertTensor(gf.arange(4), { shape: [4], values: [0, 1, 2, 3] });
    assertTensor(gf.arange(1, 2, 0.25), { values: [1, 1.25, 1.5, 1.75] });
    assertTensor(gf.arange(3, 0, -1, 'int32'), { dtype: 'int32', values: [3, 2, 1] });
  });
  test('toArray gives nested arrays (a number for a scalar) and item gives the one value', () => {
    assert.deepEqual(gf.tensor([[1, 2], [3, 4]]).toArray(), [[1, 2], [3, 4]]);
    assert.equal(gf.tensor(3).toArray(), 3);
    assert.deepEqual(gf.zeros([2, 0]).toArray(), [[], []]);
    assert.equal(gf.tensor([[2.5]]).item(), 2.5);
    assert.throws(() => gf.tensor([1, 2]).item(), /item: tensor of shape \[2\] has 2 values, expected 1/);
  });
  test('assign overwrites in place; clone and dataSync copy', () => {
    const t = gf.tensor([1, 2]);
    const copy = t.clone(), values = t.dataSync();
    t.assign(gf.tensor([5, 6]));
    assertClose(t, [5, 6]);
    assertClose(copy, [1, 2]);
    assertClose(values, [1, 2]);
    assert.throws(() => t.assign(gf.tensor([1, 2, 3])), /assign: cannot assign a tensor of shape \[3\] to one of shape \[2\]/);
  });
  test('tensor methods alias the ops', () => {
    const t = gf.tensor([1, 2]);
    assertClose(t.add(1).mul(2).sub(1).div(2), [1.5, 2.5]);
    assertClose(t.square().sum(), 5);
    assertClose(t.neg().abs().exp().log(), [1, 2], { rtol: 1e-6 });
  });
});

describe('broadcastTo (block-copy kernel) agrees with broadcasting through add', () => {
  const cases: Array<[number[], number[]]> = [
    [[1], [5]], [[3], [4, 3]], [[1, 3], [4, 3]], [[4, 1], [4, 3]], [[2, 1, 3], [2, 5, 3]],
    [[1, 1, 3], [2, 4, 3]], [[2, 1, 1], [2, 3, 4]], [[1, 3, 1], [2, 3, 4]], [[3, 1], [2, 3, 5]],
    [[2, 3], [2, 3]], [[1, 1], [0, 3]], [[2, 1, 3, 1], [2, 4, 3, 5]], [[], [2, 2]],
  ];
  for (const [from, to] of cases) {
    test(`[${from}] → [${to}]`, () => {
      const size = from.reduce((p, d) => p * d, 1);
      const x = gf.tensor(Float64Array.from({ length: size }, (_, i) => i + 1), from, 'float64');
      const viaKernel = gf.broadcastTo(x, to);
      const viaAdd = gf.add(x, gf.zeros(to, 'float64'));
      assert.deepEqual(viaKernel.shape, to);
      assert.deepEqual(Array.from(viaKernel.data), Array.from(viaAdd.data));
    });
  }
});
