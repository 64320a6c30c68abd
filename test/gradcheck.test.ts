/** The gradient checker itself: it must pass correct rules and catch wrong ones clearly. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { checkGradients, f64, randn } from './helpers/gradcheck.js';

describe('checkGradients', () => {
  test('passes a correct gradient and returns both sides', () => {
    const { analytic, numeric } = checkGradients((x) => gf.sum(gf.mul(x, x)), [f64([1, -2])]);
    assert.deepEqual(Array.from(analytic[0].data), [2, -4]);
    assert.ok(Math.abs(numeric[0][1] + 4) < 1e-6);
  });

  test('catches a wrong gradient and names the input, the element and both values', () => {
    // x·stopGradient(x) has the analytic gradient x but the numeric gradient 2x
    const wrong = (a: gf.Tensor, x: gf.Tensor): gf.Tensor => gf.add(a, gf.mul(x, gf.stopGradient(x)));
    assert.throws(() => checkGradients(wrong, [f64([0]), f64([[1, 2], [3, 4]])], { name: 'wrong' }),
      /wrong: gradient check failed for 4 element\(s\)[\s\S]*input 1 \(shape \[2,2\]\) at \[0, 1\]: analytic -?[\d.e-]+, numeric -?[\d.e-]+/);
  });

  test('uses a random upstream gradient for non-scalar outputs', () => {
    const { dy } = checkGradients((x) => gf.mul(x, 3), [randn([2, 3], 1)]);
    assert.deepEqual(dy.shape, [2, 3]);
    assert.ok(new Set(dy.data).size > 1, 'dy should not be constant');
  });

  test('holds int32 inputs fixed and refuses float32 inputs', () => {
    checkGradients((x, i) => gf.gather(x, i), [randn([3, 2], 2), gf.tensor([2, 0], undefined, 'int32')]);
    assert.throws(() => checkGradients(gf.exp, [gf.tensor([1, 2])]), /need float64 inputs; input 0 is float32/);
  });
});
