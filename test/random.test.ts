/**
 * Seeded random draws: reproducibility, independence of seeds, and moments on 100k samples.
 * Tolerances are ~5 standard errors, so a correct generator fails with negligible probability
 * (the draws are seeded, so every run sees the same numbers anyway).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const N = 100_000;

function moments(t: gf.Tensor): { mean: number; std: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (const v of t.data) { s += v; s2 += v * v; if (v < min) min = v; if (v > max) max = v; }
  const mean = s / t.size;
  return { mean, std: Math.sqrt(s2 / t.size - mean * mean), min, max };
}

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
}

describe('seeding', () => {
  const draws: Array<[string, (opts?: gf.RandomOptions) => gf.Tensor]> = [
    ['randomNormal', (o) => gf.randomNormal([7], o)],
    ['truncatedNormal', (o) => gf.truncatedNormal([7], o)],
    ['randomUniform', (o) => gf.randomUniform([7], o)],
    ['bernoulli', (o) => gf.bernoulli([64], 0.5, o)],
  ];
  for (const [name, draw] of draws) {
    test(`${name}: the same seed gives identical draws`, () => {
      gf.setSeed(42);
      const first = [draw(), draw()];
      gf.setSeed(42);
      const second = [draw(), draw()];
      assert.deepEqual(second.map((t) => Array.from(t.data)), first.map((t) => Array.from(t.data)));
      assert.notDeepEqual(Array.from(first[0].data), Array.from(first[1].data), 'consecutive draws should differ');
    });
    test(`${name}: different seeds give different draws`, () => {
      gf.setSeed(1);
      const a = Array.from(draw().data);
      gf.setSeed(2);
      const b = Array.from(draw().data);
      assert.notDeepEqual(a, b);
    });
    test(`${name}: a per-call seed is reproducible and leaves the global stream alone`, () => {
      assert.deepEqual(Array.from(draw({ seed: 7 }).data), Array.from(draw({ seed: 7 }).data));
      assert.notDeepEqual(Array.from(draw({ seed: 7 }).data), Array.from(draw({ seed: 8 }).data));
      gf.setSeed(3);
      const plain = Array.from(draw().data);
      gf.setSeed(3);
      draw({ seed: 99 });
      assert.deepEqual(Array.from(draw().data), plain);
    });
  }
  test('the dtype option gives float64 draws', () => {
    assert.equal(gf.randomNormal([2], { dtype: 'float64', seed: 1 }).dtype, 'float64');
    assert.equal(gf.randomUniform([2, 3], { seed: 1 }).dtype, 'float32');
  });
});

describe('moments on 100k samples', () => {
  test('randomNormal has the requested mean and standard deviation', () => {
    const m = moments(gf.randomNormal([N], { mean: 2, stddev: 3, seed: 11, dtype: 'float64' }));
    near(m.mean, 2, 5 * 3 / Math.sqrt(N), 'mean');
    near(m.std, 3, 5 * 3 / Math.sqrt(2 * N), 'std');
  });

  test('randomUniform stays in [minval, maxval) with mean (a+b)/2 and variance (b−a)²/12', () => {
    const m = moments(gf.randomUniform([N], { minval: -1, maxval: 3, seed: 12, dtype: 'float64' }));
    assert.ok(m.min >= -1 && m.max < 3, `range [${m.min}, ${m.max}]`);
    near(m.mean, 1, 5 * (4 / Math.sqrt(12)) / Math.sqrt(N), 'mean');
    // Var of a uniform sample variance: (b−a)⁴/180 / N
    near(m.std ** 2, 16 / 12, 5 * Math.sqrt(256 / 180 / N), 'variance');
    assert.ok(m.min < -0.99 && m.max > 2.99, 'draws should cover the whole interval');
  });

  test('truncatedNormal is bounded at ±2σ with std ≈ 0.8796·σ', () => {
    const sigma = 0.5, mu = 1;
    const m = moments(gf.truncatedNormal([N], { mean: mu, stddev: sigma, seed: 13, dtype: 'float64' }));
    assert.ok(m.min >= mu - 2 * sigma && m.max <= mu + 2 * sigma, `range [${m.min}, ${m.max}]`);
    assert.ok(m.min < mu - 1.95 * sigma && m.max > mu + 1.95 * sigma, 'draws should reach near ±2σ');
    near(m.mean, mu, 5 * 0.88 * sigma / Math.sqrt(N), 'mean');
    // std of N(0,1) truncated to [−2, 2]: sqrt(1 − 2·2·φ(2)/(Φ(2) − Φ(−2))) = 0.879596
    near(m.std, 0.879596 * sigma, 0.005 * sigma, 'std');
  });

  test('bernoulli draws 1 with frequency p', () => {
    for (const p of [0.1, 0.5, 0.9]) {
      const t = gf.bernoulli([N], p, { seed: 14 });
      assert.ok(t.data.every((v) => v === 0 || v === 1), 'values must be 0 or 1');
      near(moments(t).mean, p, 5 * Math.sqrt(p * (1 - p) / N), `frequency for p=${p}`);
    }
    assert.ok(gf.bernoulli([100], 0, { seed: 1 }).data.every((v) => v === 0));
    assert.ok(gf.bernoulli([100], 1, { seed: 1 }).data.every((v) => v === 1));
  });
});
