/** Dense, Flatten and Reshape through the shared layer checks. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';
import { randn } from './helpers/gradcheck.js';
import { runLayerTest } from './helpers/layer-test.js';
import { Dense, Flatten, Reshape } from '../src/layers/index.js';

describe('Dense', () => {
  test('runLayerTest with bias', () => {
    runLayerTest({
      create: (a) => new Dense(4, a), inputShape: [2, 3], expectedOutputShape: [2, 4],
      expectedWeights: [{ name: 'kernel', shape: [3, 4] }, { name: 'bias', shape: [4] }],
    });
  });

  test('runLayerTest without bias', () => {
    runLayerTest({
      create: (a) => new Dense(2, { ...a, useBias: false }), inputShape: [3, 5], expectedOutputShape: [3, 2],
      expectedWeights: [{ name: 'kernel', shape: [5, 2] }],
    });
  });

  test('runLayerTest with an activation and a non-default initializer', () => {
    runLayerTest({
      create: (a) => new Dense(3, { ...a, activation: 'tanh', biasInitializer: { className: 'RandomNormal', config: { stddev: 0.5 } } }),
      inputShape: [4, 2], expectedOutputShape: [4, 3],
      expectedWeights: [{ name: 'kernel', shape: [2, 3] }, { name: 'bias', shape: [3] }],
    });
  });

  test('runLayerTest on a rank-3 input (applied over the last axis)', () => {
    const { layer, input } = runLayerTest({
      create: (a) => new Dense(5, a), inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 5],
      expectedWeights: [{ name: 'kernel', shape: [4, 5] }, { name: 'bias', shape: [5] }],
    });
    // each position equals the rank-2 computation on that row (a second layer: a built layer
    // accepts only its build shape)
    const flat = new Dense(5, { dtype: 'float64' });
    flat.apply(gf.zeros([1, 4], 'float64'));
    flat.setWeights(layer.getWeights());
    assertClose(gf.reshape(layer.apply(input), [6, 5]), flat.apply(gf.reshape(input, [6, 4])), { atol: 1e-12 });
  });

  test('a frozen Dense has only non-trainable weights', () => {
    runLayerTest({
      create: (a) => new Dense(2, { ...a, trainable: false }), inputShape: [2, 3], expectedOutputShape: [2, 2],
      expectedWeights: [{ name: 'kernel', shape: [3, 2], trainable: false }, { name: 'bias', shape: [2], trainable: false }],
    });
  });
});

describe('Flatten', () => {
  test('runLayerTest', () => {
    runLayerTest({ create: (a) => new Flatten(a), inputShape: [2, 3, 4], expectedOutputShape: [2, 12] });
    runLayerTest({ create: (a) => new Flatten(a), inputShape: [3, 2, 2, 2], expectedOutputShape: [3, 8] });
  });
});

describe('Reshape', () => {
  test('runLayerTest (explicit and inferred sizes)', () => {
    runLayerTest({ create: (a) => new Reshape([4, 3], a), inputShape: [2, 3, 4], expectedOutputShape: [2, 4, 3] });
    runLayerTest({ create: (a) => new Reshape([2, -1, 2], a), inputShape: [2, 12], expectedOutputShape: [2, 2, 3, 2] });
    runLayerTest({ create: (a) => new Reshape([-1], a), inputShape: [3, 2, 5], expectedOutputShape: [3, 10] });
  });

  test('keeps the sample order and values', () => {
    const x = randn([2, 6], 4);
    const y = new Reshape([3, 2], { dtype: 'float64' }).apply(x);
    assert.deepEqual(y.shape, [2, 3, 2]);
    assert.deepEqual(Array.from(y.data), Array.from(x.data));
  });

  test('computeOutputShape with unknown dimensions', () => {
    assert.deepEqual(new Reshape([-1, 2]).computeOutputShape([null, 3, 4]), [null, 6, 2]);
    assert.deepEqual(new Reshape([-1, 2]).computeOutputShape([null, null, 4]), [null, null, 2]);
  });

  test('a size mismatch names the layer, both shapes and the sizes', () => {
    assert.throws(() => new Reshape([4, 4], { name: 'to_square' }).apply(gf.zeros([2, 3, 5])),
      /Reshape \(to_square\): cannot reshape samples of shape \[3, 5\] \(15 values\) into targetShape \[4, 4\] \(needs 16 values\)/);
    assert.throws(() => new Reshape([-1, 4]).apply(gf.zeros([2, 15])),
      /Reshape \(reshape\w*\): cannot reshape samples of shape \[15\] \(15 values\) into targetShape \[-1, 4\] \(needs a multiple of 4 values\)/);
    assert.throws(() => new Reshape([4, 4]).computeOutputShape([null, 3, 5]), /Reshape \(reshape\w*\): cannot reshape/);
  });

  test('a bad targetShape names the layer', () => {
    assert.throws(() => new Reshape([-1, -1]), /Reshape \(reshape\w*\): at most one entry of targetShape may be -1/);
    assert.throws(() => new Reshape([2, -3]), /Reshape \(reshape\w*\): targetShape must be an array of non-negative integers/);
    assert.throws(() => new Reshape(3 as unknown as number[]), /Reshape \(reshape\w*\): targetShape must be an array/);
  });
});
