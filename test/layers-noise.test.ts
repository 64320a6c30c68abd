/** Dropout, AlphaDropout, GaussianNoise, GaussianDropout, MCDropout and MCAlphaDropout. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';
import { randn } from './helpers/gradcheck.js';
import { runLayerTest } from './helpers/layer-test.js';
import {
  ALPHA_PRIME, AlphaDropout, alphaDropoutAffine, Dropout, GaussianDropout, GaussianNoise, MCAlphaDropout, MCDropout,
} from '../src/layers/index.js';

const F64 = { dtype: 'float64' } as const;
const values = (t: gf.Tensor): number[] => Array.from(t.data);

function stats(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  return { mean, variance: v / xs.length };
}

/** The same call twice under the same seed, and once under another. */
function seededTwice(fn: () => gf.Tensor): { a: number[]; b: number[]; other: number[] } {
  gf.setSeed(5);
  const a = values(fn());
  gf.setSeed(5);
  const b = values(fn());
  gf.setSeed(6);
  return { a, b, other: values(fn()) };
}

describe('Dropout', () => {
  test('runLayerTest (the training mask is reseeded per call, so training gradients are checked too)', () => {
    runLayerTest({ create: (a) => new Dropout(0.5, a), inputShape: [4, 5], expectedOutputShape: [4, 5] });
    runLayerTest({ create: (a) => new Dropout(0.2, a), inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4] });
  });

  test('identity at inference', () => {
    const x = randn([3, 4], 1);
    assert.equal(new Dropout(0.5, F64).apply(x), x);
    assert.equal(new Dropout(0.5, F64).apply(x, { training: false }), x);
  });

  test('training: kept units scaled by 1/(1 − rate), a fraction ≈ rate dropped', () => {
    gf.setSeed(1);
    const y = new Dropout(0.3, F64).apply(gf.ones([200, 500], 'float64'), { training: true });
    const dropped = values(y).filter((v) => v === 0).length / y.size;
    assert.ok(Math.abs(dropped - 0.3) < 0.005, `dropped fraction ${dropped}`);
    assert.ok(values(y).every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-15), 'kept units are 1/(1 − rate)');
    assert.ok(Math.abs(stats(y.data).mean - 1) < 0.01, 'the expected value is preserved');
  });

  test('masks are reproducible with gf.setSeed', () => {
    const layer = new Dropout(0.5, F64);
    const { a, b, other } = seededTwice(() => layer.apply(gf.ones([1, 200], 'float64'), { training: true }));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, other);
  });

  test('rate outside [0, 1) is rejected with the layer name', () => {
    assert.throws(() => new Dropout(1), /Dropout \(dropout\w*\): rate must be a number in \[0, 1\), got 1/);
    assert.throws(() => new Dropout(-0.1), /Dropout \(dropout\w*\): rate/);
  });
});

describe('AlphaDropout', () => {
  test('constants: α′ = −λα, and a, b at rates 0.1 and 0.2 (keras-semantics.md)', () => {
    assert.ok(Math.abs(ALPHA_PRIME - -1.7580993408473766) < 1e-15, `α′ = ${ALPHA_PRIME}`);
    const r1 = alphaDropoutAffine(0.1);
    assertClose([r1.a, r1.b], [0.9212845, 0.1619710], { atol: 5e-8 });
    const r2 = alphaDropoutAffine(0.2);
    assertClose([r2.a, r2.b], [0.8789036, 0.3090400], { atol: 5e-8 });
  });

  test('runLayerTest', () => {
    runLayerTest({ create: (a) => new AlphaDropout(0.1, a), inputShape: [4, 5], expectedOutputShape: [4, 5] });
  });

  test('identity at inference', () => {
    const x = randn([3, 4], 2);
    assert.equal(new AlphaDropout(0.2, F64).apply(x), x);
  });

  test('training: kept units map to a·x + b, dropped ones to a·α′ + b', () => {
    const { a, b } = alphaDropoutAffine(0.2);
    const x = randn([50, 40], 3);
    gf.setSeed(2);
    const y = new AlphaDropout(0.2, F64).apply(x, { training: true });
    let dropped = 0;
    for (let i = 0; i < y.size; i++) {
      const kept = Math.abs(y.data[i] - (a * x.data[i] + b)) < 1e-12;
      const saturated = Math.abs(y.data[i] - (a * ALPHA_PRIME + b)) < 1e-12;
      assert.ok(kept || saturated, `element ${i}: ${y.data[i]} is neither a·x + b nor a·α′ + b`);
      if (!kept) dropped++;
    }
    assert.ok(Math.abs(dropped / y.size - 0.2) < 0.03, `dropped fraction ${dropped / y.size}`);
  });

  test('training keeps mean ≈ 0 and variance ≈ 1 of a normalized input (self-normalizing)', () => {
    const x = randn([1, 200000], 4); // mean 0, variance 1: the SELU fixed point
    for (const rate of [0.1, 0.2]) {
      gf.setSeed(3);
      const { mean, variance } = stats(new AlphaDropout(rate, F64).apply(x, { training: true }).data);
      assert.ok(Math.abs(mean) < 0.01, `rate ${rate}: mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 0.02, `rate ${rate}: variance ${variance}`);
    }
  });

  test('masks are reproducible with gf.setSeed', () => {
    const layer = new AlphaDropout(0.3, F64);
    const { a, b, other } = seededTwice(() => layer.apply(gf.ones([1, 200], 'float64'), { training: true }));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, other);
  });

  test('rate outside [0, 1) is rejected with the layer name', () => {
    assert.throws(() => new AlphaDropout(1), /AlphaDropout \(alpha_dropout\w*\): rate must be a number in \[0, 1\), got 1/);
  });
});

describe('GaussianNoise', () => {
  test('runLayerTest', () => {
    runLayerTest({ create: (a) => new GaussianNoise(0.5, a), inputShape: [3, 4], expectedOutputShape: [3, 4] });
  });

  test('identity at inference; additive N(0, stddev²) noise in training', () => {
    const x = randn([3, 4], 5);
    assert.equal(new GaussianNoise(0.5, F64).apply(x), x);
    const zeros = gf.zeros([1, 100000], 'float64');
    gf.setSeed(4);
    const { mean, variance } = stats(new GaussianNoise(0.5, F64).apply(zeros, { training: true }).data);
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(variance) - 0.5) < 0.01, `std ${Math.sqrt(variance)}`);
    const layer = new GaussianNoise(1, F64);
    const { a, b, other } = seededTwice(() => layer.apply(gf.zeros([1, 50], 'float64'), { training: true }));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, other);
  });

  test('a negative stddev is rejected with the layer name', () => {
    assert.throws(() => new GaussianNoise(-0.1), /GaussianNoise \(gaussian_noise\w*\): stddev must be a finite number ≥ 0, got -0.1/);
  });
});

describe('GaussianDropout', () => {
  test('runLayerTest', () => {
    runLayerTest({ create: (a) => new GaussianDropout(0.3, a), inputShape: [3, 4], expectedOutputShape: [3, 4] });
  });

  test('identity at inference; multiplicative N(1, rate/(1 − rate)) noise in training', () => {
    const x = randn([3, 4], 6);
    assert.equal(new GaussianDropout(0.3, F64).apply(x), x);
    gf.setSeed(5);
    const y = new GaussianDropout(0.3, F64).apply(gf.ones([1, 100000], 'float64'), { training: true });
    const { mean, variance } = stats(y.data);
    assert.ok(Math.abs(mean - 1) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(variance - 0.3 / 0.7) < 0.01, `variance ${variance}`);
  });

  test('rate outside [0, 1) is rejected with the layer name', () => {
    assert.throws(() => new GaussianDropout(1), /GaussianDropout \(gaussian_dropout\w*\): rate must be a number in \[0, 1\)/);
  });
});

describe('MCDropout', () => {
  test('runLayerTest (active in both modes)', () => {
    runLayerTest({ create: (a) => new MCDropout(0.5, a), inputShape: [4, 5], expectedOutputShape: [4, 5] });
  });

  test('stays active at prediction time: predictions differ, values are 0 or x/(1 − rate)', () => {
    const layer = new MCDropout(0.25, F64);
    const x = gf.ones([1, 400], 'float64');
    const first = values(layer.apply(x));
    const second = values(layer.apply(x, { training: false }));
    assert.notDeepEqual(first, second);
    assert.ok(first.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-15));
  });

  test('the mean of many stochastic predictions approaches the input', () => {
    const layer = new MCDropout(0.5, F64);
    const x = randn([1, 20], 7);
    gf.setSeed(9);
    const n = 2000;
    const sum = new Float64Array(x.size);
    for (let i = 0; i < n; i++) layer.apply(x).data.forEach((v, j) => { sum[j] += v; });
    // each element's mean has std |x|/sqrt(n) ≈ 0.022·|x|: allow 5σ
    for (let j = 0; j < x.size; j++) {
      const mean = sum[j] / n;
      assert.ok(Math.abs(mean - x.data[j]) <= 5 * Math.abs(x.data[j]) / Math.sqrt(n), `element ${j}: mean ${mean}, input ${x.data[j]}`);
    }
  });

  test('is a Dropout, rebuilds as MCDropout and validates its rate', () => {
    const layer = new MCDropout(0.2);
    assert.ok(layer instanceof Dropout);
    assert.ok(MCDropout.fromConfig(layer.getConfig()) instanceof MCDropout);
    assert.throws(() => new MCDropout(1), /\(mc_dropout\w*\): rate must be a number in \[0, 1\)/);
  });
});

describe('MCAlphaDropout', () => {
  test('runLayerTest (active in both modes)', () => {
    runLayerTest({ create: (a) => new MCAlphaDropout(0.1, a), inputShape: [4, 5], expectedOutputShape: [4, 5] });
  });

  test('stays active at prediction time and keeps the moments', () => {
    const layer = new MCAlphaDropout(0.1, F64);
    const x = randn([1, 200000], 8);
    gf.setSeed(10);
    const first = layer.apply(x);
    const second = layer.apply(x);
    assert.notDeepEqual(values(first), values(second));
    const { mean, variance } = stats(first.data);
    assert.ok(Math.abs(mean) < 0.01 && Math.abs(variance - 1) < 0.02, `mean ${mean}, variance ${variance}`);
    assert.throws(() => new MCAlphaDropout(1.5), /MCAlphaDropout \(mc_alpha_dropout\w*\): rate must be a number in \[0, 1\)/);
  });
});
