/**
 * Bad input gives clear errors: each message names the op (or argument) and what was
 * expected and received.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const x23 = (): gf.Tensor => gf.zeros([2, 3]);
const i32 = (v: gf.NestedArray): gf.Tensor => gf.tensor(v, undefined, 'int32');
const esc = (s: string): string => s.replace(/[[\]()]/g, '\\$&');

describe('shape mismatches', () => {
  const binaries: Array<[string, (a: gf.Tensor, b: gf.Tensor) => gf.Tensor]> = [
    ['add', gf.add], ['sub', gf.sub], ['mul', gf.mul], ['div', gf.div], ['pow', gf.pow],
    ['maximum', gf.maximum], ['minimum', gf.minimum], ['greater', gf.greater], ['equal', gf.equal],
    ['where', (a, b) => gf.where(1, a, b)],
  ];
  for (const [name, fn] of binaries) {
    test(`${name} of [2, 3] and [4] names the op and both shapes`, () => {
      assert.throws(() => fn(x23(), gf.zeros([4])), new RegExp(`${name}: shapes ${esc('[2, 3]')} and ${esc('[4]')} cannot be broadcast`));
    });
  }
  test('broadcastTo an incompatible shape names both shapes', () => {
    assert.throws(() => gf.broadcastTo(gf.zeros([3]), [2, 4]), /broadcastTo: .*\[3\].*\[2, 4\]/);
    assert.throws(() => gf.broadcastTo(gf.zeros([2, 3]), [3]), /broadcastTo: cannot broadcast \[2, 3\] to \[3\]/);
  });
  test('matmul with different inner dimensions names both shapes and sizes', () => {
    assert.throws(() => gf.matmul(gf.zeros([2, 3]), gf.zeros([4, 5])), /matmul: inner dimensions differ: a \[2, 3\] · b \[4, 5\] \(3 vs 4\)/);
    assert.throws(() => gf.matmul(gf.zeros([2, 3]), gf.zeros([3, 2]), false, true), /matmul: inner dimensions differ.*\(3 vs 2\)/);
    assert.throws(() => gf.matmul(gf.zeros([2, 2, 3]), gf.zeros([3, 3, 1])), /matmul: batch sizes differ: a \[2, 2, 3\] vs b \[3, 3, 1\]/);
    assert.throws(() => gf.matmul(gf.zeros([3]), gf.zeros([3, 1])), /matmul: operand a must be 2-D or 3-D .*\[3\]/);
  });
  test('reshape to a different size names both shapes', () => {
    assert.throws(() => gf.reshape(x23(), [4, 2]), /reshape: cannot reshape \[2, 3\] \(6 values\) into \[4, 2\] \(8 values\)/);
    assert.throws(() => gf.reshape(x23(), [4, -1]), /reshape: cannot reshape \[2, 3\]/);
    assert.throws(() => gf.reshape(x23(), [-1, -1]), /reshape: at most one dimension can be -1/);
  });
  test('concat of shapes that differ outside the axis lists them', () => {
    assert.throws(() => gf.concat([gf.zeros([2, 3]), gf.zeros([3, 3])], 1), /concat: shapes \[2, 3\], \[3, 3\] differ outside axis 1/);
    assert.throws(() => gf.concat([]), /concat: expected a non-empty array/);
  });
  test('slice outside the tensor names the axis and the shape', () => {
    assert.throws(() => gf.slice(x23(), [1, 2], [1, 2]), /slice: begin 2 with size 2 is out of range for axis 1 of \[2, 3\]/);
    assert.throws(() => gf.slice(x23(), [0], [1]), /slice: .*one entry per axis of \[2, 3\]/);
  });
  test('pad with a negative padding is rejected by pad', () => {
    assert.throws(() => gf.pad(gf.zeros([3]), [-1], [1]), /pad:/);
  });
  test('backward with a missing or mis-shaped upstream gradient names the shapes', () => {
    const x = gf.zeros([2, 3]).requireGrad();
    assert.throws(() => gf.mul(x, 2).backward(), /backward: the output has shape \[2, 3\]/);
    assert.throws(() => gf.mul(x, 2).backward(gf.zeros([3])), /backward: upstream gradient shape \[3\] does not match output shape \[2, 3\]/);
  });
  test('a Tensor whose data does not fit its shape', () => {
    assert.throws(() => new gf.Tensor(new Float32Array(5), [2, 3]), /Tensor: shape \[2, 3\] needs 6 values, got 5/);
    assert.throws(() => gf.tensor([1, 2, 3], [2, 2]), /tensor: shape \[2, 2\] needs 4 values, got 3/);
  });
});

describe('bad shapes', () => {
  const makers: Array<[string, (shape: number[]) => unknown]> = [
    ['zeros', (s) => gf.zeros(s)], ['ones', (s) => gf.ones(s)], ['full', (s) => gf.full(s, 1)],
    ['randomNormal', (s) => gf.randomNormal(s)], ['randomUniform', (s) => gf.randomUniform(s)],
    ['truncatedNormal', (s) => gf.truncatedNormal(s)], ['bernoulli', (s) => gf.bernoulli(s, 0.5)],
    ['reshape', (s) => gf.reshape(gf.zeros([0]), s)], ['broadcastTo', (s) => gf.broadcastTo(gf.zeros([1]), s)],
  ];
  for (const [name, make] of makers) {
    test(`${name} rejects NaN, negative and fractional dimensions`, () => {
      assert.throws(() => make([2, NaN]), new RegExp(`${name}: shape must be an array of non-negative integers.*dimension 1 is NaN`));
      assert.throws(() => make([-2, 3]), new RegExp(`${name}: shape must be .*dimension 0 is -2`));
      assert.throws(() => make([1.5]), new RegExp(`${name}: shape .*dimension 0 is 1.5`));
    });
  }
  test('tensor rejects a NaN in an explicit shape', () => {
    assert.throws(() => gf.tensor([1, 2], [NaN]), /tensor: shape must be .*NaN/);
  });
});

describe('bad dtypes', () => {
  test('requireGrad on an int32 tensor', () => {
    assert.throws(() => i32([1]).requireGrad(), /requireGrad: only float tensors can require gradients, this one is int32/);
  });
  test('gather with float indices that are not integers', () => {
    assert.throws(() => gf.gather(gf.zeros([3]), gf.tensor([0, 1.5])), /gather: indices must be integers, got 1.5 at position 1/);
    assert.throws(() => gf.gather(gf.zeros([3]), gf.tensor([NaN])), /gather: indices must be integers, got NaN/);
  });
  test('oneHot with non-integer labels', () => {
    assert.throws(() => gf.oneHot(gf.tensor([0.5]), 2), /oneHot: .*must be integers, got 0.5/);
  });
  const unknown = 'float16' as gf.DType;
  const withDtype: Array<[string, () => unknown]> = [
    ['tensor', () => gf.tensor([1], undefined, unknown)],
    ['randomNormal', () => gf.randomNormal([2], { dtype: unknown })],
    ['zeros', () => gf.zeros([2], unknown)],
    ['ones', () => gf.ones([2], unknown)],
    ['full', () => gf.full([2], 1, unknown)],
    ['scalar', () => gf.scalar(1, unknown)],
    ['arange', () => gf.arange(3, undefined, 1, unknown)],
    ['cast', () => gf.cast(gf.tensor([1]), unknown)],
    ['oneHot', () => gf.oneHot(i32([0]), 2, unknown)],
  ];
  for (const [name, fn] of withDtype) {
    test(`${name} with an unknown dtype string names the op and the dtype`, () => {
      assert.throws(fn, new RegExp(`${name}: dtype must be one of float32, float64, int32, got "float16"`));
    });
  }
  test('random draws refuse int32', () => {
    assert.throws(() => gf.randomUniform([2], { dtype: 'int32' }), /randomUniform: dtype must be float32 or float64, got int32/);
  });
  test('tensor refuses other typed arrays and non-numbers', () => {
    assert.throws(() => gf.tensor(new Uint8Array(2) as unknown as Float32Array), /tensor: typed arrays must be Float32Array, Float64Array or Int32Array, got Uint8Array/);
    assert.throws(() => gf.tensor(['a'] as unknown as number[]), /tensor: expected numbers, got string/);
  });
});

describe('out-of-range axes and indices', () => {
  const axisCases: Array<[string, () => unknown, RegExp]> = [
    ['sum axis 5', () => gf.sum(x23(), 5), /sum: axis 5 is out of range for a tensor of rank 2 \(expected an integer in \[-2, 1\]\)/],
    ['sum axis -3', () => gf.sum(x23(), -3), /sum: axis -3 is out of range for a tensor of rank 2/],
    ['sum repeated axes', () => gf.sum(x23(), [1, -1]), /sum: axis -1 is repeated in \[1, -1\]/],
    ['mean axis 2', () => gf.mean(x23(), 2), /mean: axis 2 is out of range/],
    ['max axis 1.5', () => gf.max(x23(), 1.5), /max: axis 1.5 is out of range/],
    ['argmax axis 2', () => gf.argmax(x23(), 2), /argmax: axis 2 is out of range/],
    ['concat axis 2', () => gf.concat([x23(), x23()], 2), /concat: axis 2 is out of range/],
    ['gather axis -3', () => gf.gather(x23(), i32([0]), -3), /gather: axis -3 is out of range/],
    ['transpose perm with a repeat', () => gf.transpose(x23(), [0, 0]), /transpose: perm \[0, 0\] is not a permutation of the 2 axes of \[2, 3\]/],
    ['transpose perm too short', () => gf.transpose(x23(), [1]), /transpose: perm \[1\] is not a permutation/],
    ['transpose perm out of range', () => gf.transpose(x23(), [0, 2]), /transpose: axis 2 is out of range for a tensor of rank 2/],
  ];
  for (const name of ['softmax', 'logSoftmax', 'logSumExp', 'variance'] as const) {
    // composites must name themselves, not the primitive they happen to call first
    axisCases.push([`${name} axis 5`, () => gf[name](x23(), 5), new RegExp(`${name}: axis 5 is out of range for a tensor of rank 2`)]);
  }
  for (const [name, fn, re] of axisCases) test(`${name} is rejected with the op and the valid range`, () => assert.throws(fn, re));

  test('gather, scatterAdd and oneHot indices outside the axis name the value and the range', () => {
    assert.throws(() => gf.gather(x23(), i32([0, 2]), 0), /gather: indices contain 2 at position 1, expected values in \[0, 1\]/);
    assert.throws(() => gf.gather(x23(), i32([-1]), 1), /gather: indices contain -1 at position 0, expected values in \[0, 2\]/);
    assert.throws(() => gf.scatterAdd(gf.zeros([1]), i32([4]), 0, [4]), /scatterAdd: indices contain 4 .*\[0, 3\]/);
    assert.throws(() => gf.oneHot(i32([0, 3]), 3), /oneHot: labels contain 3 at position 1, expected values in \[0, 2\]/);
    assert.throws(() => gf.oneHot(i32([0]), 0), /oneHot: depth must be a positive integer, got 0/);
  });
  test('max, min and argmax over an empty axis', () => {
    assert.throws(() => gf.max(gf.zeros([0, 2]), 0), /max: cannot reduce over axis 0 of size 0 \(shape \[0, 2\]\)/);
    assert.throws(() => gf.argmax(gf.zeros([2, 0])), /argmax: axis 1 has size 0/);
  });
});

describe('other bad arguments', () => {
  test('ragged nested arrays name where they are ragged', () => {
    assert.throws(() => gf.tensor([[1, 2], [3]]), /tensor: ragged nested array at value\[1\]: expected length 2, got 1/);
    assert.throws(() => gf.tensor([[1], 2] as gf.NestedArray), /tensor: ragged nested array at value\[1\]: expected length 1, got number/);
    assert.throws(() => gf.tensor([1, [2]]), /tensor: ragged nested array at value\[1\]: expected a number, got an array/);
  });
  test("setBackend('nope') lists the registered backends", () => {
    const before = gf.getBackend();
    assert.throws(() => gf.setBackend('nope'), new RegExp(`setBackend: unknown backend 'nope'; registered backends: ${gf.listBackends().join(', ')}`));
    assert.equal(gf.getBackend(), before);
  });
  test('clip with lo > hi, and random parameters out of range', () => {
    assert.throws(() => gf.clip(x23(), 1, 0), /clip: expected lo ≤ hi, got lo=1, hi=0/);
    assert.throws(() => gf.randomNormal([2], { stddev: -1 }), /randomNormal: stddev must be a finite number ≥ 0, got -1/);
    assert.throws(() => gf.randomUniform([2], { minval: 2, maxval: 1 }), /randomUniform: expected minval ≤ maxval, got 2, 1/);
    assert.throws(() => gf.bernoulli([2], 1.5), /bernoulli: p must be in \[0, 1\], got 1.5/);
    assert.throws(() => gf.setSeed(NaN), /setSeed: seed must be a finite number, got NaN/);
    assert.throws(() => gf.arange(0, 5, 0), /arange: expected finite start\/stop and a non-zero step/);
  });
  test('grad with bad arguments', () => {
    const f = (a: gf.Tensor): gf.Tensor => gf.sum(a);
    assert.throws(() => gf.grad(f, [1])(gf.zeros([1])), /grad: argnums contains 1, but the function got 1 arguments/);
    assert.throws(() => gf.grad(f)(3 as unknown as gf.Tensor), /grad: argument 0 must be a Tensor, got number/);
    assert.throws(() => gf.noGrad(() => gf.grad(f)(gf.zeros([1]))), /grad: cannot differentiate inside noGrad\(\)/);
  });
});
