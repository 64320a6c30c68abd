/** runLayerTest with the save/load round trip (helpers/model-roundtrip.ts) for the layers of issue 3. */
import { describe, test } from 'node:test';
import * as gf from '../src/index.js';
import { runLayerTest } from './helpers/layer-test.js';
import { saveLoadRoundTrip } from './helpers/model-roundtrip.js';

const L = gf.layers;

describe('layers survive a model save/load round trip', () => {
  test('Dense (activation, no bias, regularizer and constraint slots)', () => {
    runLayerTest({
      create: (a) => new L.Dense(4, { ...a, activation: 'tanh' }), inputShape: [2, 3], expectedOutputShape: [2, 4],
      expectedWeights: [{ name: 'kernel', shape: [3, 4] }, { name: 'bias', shape: [4] }], extraChecks: saveLoadRoundTrip,
    });
    runLayerTest({
      create: (a) => new L.Dense(2, { ...a, useBias: false, kernelRegularizer: 'l2', kernelConstraint: 'max_norm' } as gf.layers.DenseArgs),
      inputShape: [3, 5], expectedOutputShape: [3, 2], expectedWeights: [{ name: 'kernel', shape: [5, 2] }], extraChecks: saveLoadRoundTrip,
    });
  });

  test('BatchNormalization (moving statistics restored)', () => {
    runLayerTest({
      create: (a) => new L.BatchNormalization({ ...a, momentum: 0.5 }), inputShape: [6, 3], expectedOutputShape: [6, 3],
      expectedWeights: [{ name: 'gamma', shape: [3] }, { name: 'beta', shape: [3] },
        { name: 'moving_mean', shape: [3], trainable: false }, { name: 'moving_variance', shape: [3], trainable: false }],
      extraChecks: (ctx) => {
        // move the statistics away from 0 / 1 first, so that restoring them is visible
        ctx.layer.apply(ctx.input, { training: true });
        saveLoadRoundTrip(ctx);
      },
    });
  });

  test('a frozen Dense stays frozen', () => {
    runLayerTest({
      create: (a) => new L.Dense(2, { ...a, trainable: false }), inputShape: [2, 3], expectedOutputShape: [2, 2],
      expectedWeights: [{ name: 'kernel', shape: [3, 2], trainable: false }, { name: 'bias', shape: [2], trainable: false }],
      extraChecks: saveLoadRoundTrip,
    });
  });

  test('Dropout, AlphaDropout, MCDropout, GaussianNoise (same draws under the same seed)', () => {
    runLayerTest({ create: (a) => new L.Dropout(0.4, a), inputShape: [3, 4], expectedOutputShape: [3, 4], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.AlphaDropout(0.2, a), inputShape: [3, 4], expectedOutputShape: [3, 4], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.MCDropout(0.3, a), inputShape: [3, 4], expectedOutputShape: [3, 4], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.GaussianNoise(0.5, a), inputShape: [3, 4], expectedOutputShape: [3, 4], extraChecks: saveLoadRoundTrip });
  });

  test('Flatten, Reshape, Activation, LeakyReLU, PReLU, ELU, Softmax', () => {
    runLayerTest({ create: (a) => new L.Flatten(a), inputShape: [2, 3, 4], expectedOutputShape: [2, 12], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.Reshape([4, 3], a), inputShape: [2, 12], expectedOutputShape: [2, 4, 3], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.Activation('selu', a), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.LeakyReLU({ ...a, negativeSlope: 0.2 } as gf.layers.LeakyReLUArgs), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0], extraChecks: saveLoadRoundTrip });
    runLayerTest({
      create: (a) => new L.PReLU(a), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0],
      expectedWeights: [{ name: 'alpha', shape: [4] }], extraChecks: saveLoadRoundTrip,
    });
    runLayerTest({ create: (a) => new L.ELU(a), inputShape: [3, 4], expectedOutputShape: [3, 4], kinks: [0], extraChecks: saveLoadRoundTrip });
    runLayerTest({ create: (a) => new L.Softmax(a), inputShape: [3, 4], expectedOutputShape: [3, 4], extraChecks: saveLoadRoundTrip });
  });
});
