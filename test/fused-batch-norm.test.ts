/**
 * The fused batch-norm primitive (`batchNorm`, training mode, features last; issue 7):
 * - every backend gives the js reference's bits (forward, statistics, backward), float32 and
 *   float64, with and without γ / β, at sizes on and off the native fast path;
 * - it agrees with Keras' formula computed op by op in float64, also for |mean| ≫ std;
 * - central-difference gradient checks in float64 for x, γ and β;
 * - BatchNormalization uses it in training mode (one tape node) and keeps the composite for
 *   another feature axis and for inference.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import type { Tensor } from '../src/node.js';
import * as o from '../src/core/ops.js';
import { assertClose } from './helpers/assert-close.js';
import { on } from './helpers/backends.js';
import { checkGradients, randn } from './helpers/gradcheck.js';

let seed = 9100;
function rand(shape: number[], dtype: 'float32' | 'float64' = 'float32', scale = 1, offset = 0): Tensor {
  const rng = new gf.RandomGenerator(seed++);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = offset + scale * rng.normal();
  return new gf.Tensor(data, shape, dtype);
}

/** [y, mean, variance, dx, dγ, dβ] (the gradients of Σ y·dy) on the active backend. */
function run(x: Tensor, gamma: Tensor | null, beta: Tensor | null, dy: Tensor, eps = 1e-3): Tensor[] {
  const params = [gamma, beta].filter((p): p is Tensor => p !== null);
  let stats: { mean: Tensor; variance: Tensor } | null = null;
  const f = (xx: Tensor, ...ps: Tensor[]) => {
    const r = o.batchNorm(xx, gamma ? ps[0] : null, beta ? ps[gamma ? 1 : 0] : null, eps);
    stats = r;
    return r.output;
  };
  const [y, back] = gf.vjp(f, x, ...params);
  return [y, stats!.mean, stats!.variance, ...back(dy)];
}

/** Keras' formula, op by op (float64 in, float64 out). */
function keras(x: Tensor, gamma: Tensor | null, beta: Tensor | null, eps = 1e-3): Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const mean = gf.mean(x, axes, true);
  const variance = gf.mean(gf.square(gf.sub(x, mean)), axes, true);
  let y = gf.div(gf.sub(x, mean), gf.sqrt(gf.add(variance, eps)));
  if (gamma) y = gf.mul(y, gamma);
  if (beta) y = gf.add(y, beta);
  return y;
}

const sizes: number[][] = [[32, 300], [7, 5], [256, 100], [1, 4], [3, 2, 6]];

for (const backend of gf.listBackends()) {
  describe(`fused batchNorm on '${backend}'`, () => {
    for (const shape of sizes) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [scale, center] of [[true, true], [false, true], [true, false], [false, false]]) {
          const label = `[${shape}] ${dtype}${scale ? ' γ' : ''}${center ? ' β' : ''}`;
          test(`${label}: forward, statistics and gradients are the js reference's bits`, () => {
            const C = shape[shape.length - 1];
            const x = rand(shape, dtype, 2, 0.5), dy = rand(shape, dtype);
            const gamma = scale ? rand([C], dtype, 0.5, 1) : null, beta = center ? rand([C], dtype) : null;
            const got = on(backend, () => run(x, gamma, beta, dy));
            const ref = on('js', () => run(x, gamma, beta, dy));
            assert.equal(got.length, ref.length);
            got.forEach((t, i) => {
              assert.deepEqual(t.shape, ref[i].shape, `${label} output ${i} shape`);
              assert.deepEqual(Array.from(t.data), Array.from(ref[i].data), `${label} output ${i} (y, mean, var, dx, dγ, dβ)`);
            });
          });
        }
      }
    }
  });
}

describe('fused batchNorm: semantics', () => {
  test('matches Keras\' formula computed op by op in float64, also when |mean| ≫ std', () => {
    for (const offset of [0, 1e4]) {
      const x = rand([64, 9], 'float64', 0.5, offset), gamma = rand([9], 'float64'), beta = rand([9], 'float64');
      const { output, mean, variance } = o.batchNorm(x, gamma, beta, 1e-3);
      assertClose(output, keras(x, gamma, beta), { atol: 1e-9, message: `y, offset ${offset}` });
      assertClose(mean, gf.reshape(gf.mean(x, 0), [9]), { rtol: 1e-13, atol: 1e-14, message: 'mean' });
      assertClose(variance, gf.mean(gf.square(gf.sub(x, gf.mean(x, 0, true))), 0), { rtol: 1e-9, atol: 1e-15, message: 'biased variance' });
    }
  });

  test('float32 input: y within float32 rounding of the float64 formula', () => {
    const x = rand([128, 17], 'float32', 3, 1), gamma = rand([17]), beta = rand([17]);
    const got = o.batchNorm(x, gamma, beta, 1e-3).output;
    const f64 = (t: Tensor) => gf.cast(t, 'float64');
    assertClose(got, keras(f64(x), f64(gamma), f64(beta)), { atol: 1e-5, rtol: 1e-5 });
  });

  test('a single row or a constant column has variance 0: y = β', () => {
    const { output, variance } = o.batchNorm(gf.tensor([[1, 2, 3]], undefined, 'float64'), null, gf.tensor([5, 6, 7], undefined, 'float64'), 1e-3);
    assert.deepEqual(Array.from(output.data), [5, 6, 7]);
    assert.deepEqual(Array.from(variance.data), [0, 0, 0]);
    const constant = o.batchNorm(gf.tensor([[4, 1], [4, 2], [4, 3]], undefined, 'float64'), null, null, 1e-3);
    assert.deepEqual(Array.from(constant.output.data).filter((_, i) => i % 2 === 0), [0, 0, 0]);
  });

  test('gradient checks (float64): x, γ and β; rank 3; without γ or β', () => {
    const x = randn([6, 4], 1, 1.5, 0.3), gamma = randn([4], 2, 0.5, 1), beta = randn([4], 3);
    checkGradients((xx, g, b) => o.batchNorm(xx, g, b, 1e-3).output, [x, gamma, beta], { name: 'batchNorm' });
    checkGradients((xx) => o.batchNorm(xx, null, null, 1e-2).output, [randn([2, 3, 5], 4)], { name: 'batchNorm rank 3, no γ β' });
    checkGradients((xx, g) => o.batchNorm(xx, g, null, 1e-3).output, [randn([5, 3], 5), randn([3], 6)], { name: 'batchNorm γ only' });
  });

  test('bad arguments are named', () => {
    assert.throws(() => o.batchNorm(gf.tensor([[1, 2]], undefined, 'int32'), null, null, 1e-3), /batchNorm: expected a float tensor/);
    assert.throws(() => o.batchNorm(rand([2, 3]), rand([2]), null, 1e-3), /gamma must have shape \[3\], got \[2\]/);
    assert.throws(() => o.batchNorm(rand([2, 3]), null, null, 0), /epsilon must be > 0/);
  });
});

describe('BatchNormalization and the fused primitive', () => {
  test('training mode on features-last inputs: one batchNorm node, Keras\' values and moving statistics', () => {
    const bn = new gf.layers.BatchNormalization({ momentum: 0.9, dtype: 'float64' });
    const x = rand([16, 3], 'float64', 2, 1);
    const y = bn.apply(x, { training: true });
    assert.equal(y.node?.op, 'batchNorm');
    assert.equal(y.node?.inputs.length, 3);
    assertClose(y, keras(x, bn.gamma, bn.beta), { atol: 1e-12 });
    const mean = gf.mean(x, 0), variance = gf.mean(gf.square(gf.sub(x, mean)), 0);
    assertClose(bn.movingMean!, gf.mul(mean, 0.1), { atol: 1e-14, message: 'moving mean' });
    assertClose(bn.movingVariance!, gf.add(gf.mul(variance, 0.1), 0.9), { atol: 1e-14, message: 'moving variance' });
  });

  test('another feature axis keeps the composite; inference uses the moving statistics', () => {
    const x = rand([4, 3, 5], 'float64');
    const channelsFirst = new gf.layers.BatchNormalization({ axis: 1, dtype: 'float64' });
    const y = channelsFirst.apply(x, { training: true });
    assert.notEqual(y.node?.op, 'batchNorm');
    const axes = [0, 2];
    const mean = gf.mean(x, axes, true), variance = gf.mean(gf.square(gf.sub(x, mean)), axes, true);
    assertClose(y, gf.div(gf.sub(x, mean), gf.sqrt(gf.add(variance, 1e-3))), { atol: 1e-12 });
    const last = new gf.layers.BatchNormalization({ dtype: 'float64' });
    assert.notEqual(last.apply(x, { training: false }).node?.op, 'batchNorm');
  });
});
