import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

test('a float32-default model passes float64 inputs to its float64 layers unrounded', () => {
  const dense = new gf.layers.Dense(1, { dtype: 'float64', useBias: false, kernelInitializer: 'ones' });
  const model = new gf.Sequential([dense], { name: 'f64_inside' });
  // 0.1 is not representable in float32: a cast on the way in would change the sum
  const x = gf.tensor([[0.1, 0.2]], undefined, 'float64');
  const y = model.forward([x], { training: false })[0];
  assert.equal(y.dtype, 'float64');
  assert.equal(y.item(), 0.1 + 0.2);
});
