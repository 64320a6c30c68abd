/**
 * The fused Dense primitive (`dense`: activation(x·W + b), issue 7) on every backend:
 * - forward and backward give the bits of the unfused chain (matmul → add → relu, and their
 *   rules) on the same backend, float32 and float64, with and without bias, relu and linear,
 *   at sizes that take each kernel's fast path and its js fallback (tiny, one column, empty);
 * - float32 results match the float64 js reference within the conformance tolerance;
 * - central-difference gradient checks in float64;
 * - the Dense layer records one tape node, skips dx for a data input, and trains as before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import type { Tensor } from '../src/node.js';
import * as o from '../src/core/ops.js';
import { kernelOwner, kernelsFor } from '../src/backend/registry.js';
import { assertClose } from './helpers/assert-close.js';
import { on } from './helpers/backends.js';
import { checkGradients, randn } from './helpers/gradcheck.js';

type Act = 'linear' | 'relu';

let seed = 7000;
function rand(shape: number[], dtype: 'float32' | 'float64' = 'float32', scale = 1): Tensor {
  const rng = new gf.RandomGenerator(seed++);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = scale * rng.normal();
  return new gf.Tensor(data, shape, dtype);
}

/** The chain the fused op replaces (three primitives each way). */
function unfused(x: Tensor, w: Tensor, b: Tensor | null, act: Act): Tensor {
  let y = gf.matmul(x, w);
  if (b) y = gf.add(y, b);
  return act === 'relu' ? gf.relu(y) : y;
}

/** [value, dx, dw, db] of Σ f(x, w, b)·dy, through the tape. */
function valueAndGrads(f: (x: Tensor, w: Tensor, b: Tensor | null) => Tensor, x: Tensor, w: Tensor, b: Tensor | null, dy: Tensor): Tensor[] {
  if (b) {
    const [value, back] = gf.vjp((xx, ww, bb) => f(xx, ww, bb), x, w, b);
    return [value, ...back(dy)];
  }
  const [value, back] = gf.vjp((xx, ww) => f(xx, ww, null), x, w);
  return [value, ...back(dy)];
}

const backends = gf.listBackends();
// [M, K, N]: a training step's layer, odd sizes, a single unit (the bias gradient's one-column
// path), tiny (below the native kernels' js cutoff), a single row
const sizes: Array<[number, number, number]> = [[32, 784, 300], [37, 19, 23], [96, 17, 1], [3, 4, 5], [1, 9, 130]];

for (const backend of backends) {
  describe(`fused dense on '${backend}'`, () => {
    for (const [M, K, N] of sizes) {
      for (const act of ['relu', 'linear'] as const) {
        for (const withBias of [true, false]) {
          for (const dtype of ['float32', 'float64'] as const) {
            const label = `${M}×${K}×${N} ${act}${withBias ? ' + bias' : ''} ${dtype}`;
            test(`${label}: forward and gradients are the bits of matmul → add → ${act}`, () => {
              const x = rand([M, K], dtype), w = rand([K, N], dtype, 0.1), b = withBias ? rand([N], dtype) : null;
              const dy = rand([M, N], dtype);
              const fused = on(backend, () => valueAndGrads((xx, ww, bb) => o.dense(xx, ww, bb, act), x, w, b, dy));
              const chain = on(backend, () => valueAndGrads((xx, ww, bb) => unfused(xx, ww, bb, act), x, w, b, dy));
              assert.equal(fused.length, chain.length);
              fused.forEach((t, i) => {
                assert.deepEqual(t.shape, chain[i].shape, `${label} output ${i} shape`);
                assert.equal(t.dtype, dtype, `${label} output ${i} dtype`);
                assert.deepEqual(Array.from(t.data), Array.from(chain[i].data), `${label} output ${i} (0 value, 1 dx, 2 dw, 3 db)`);
              });
            });
          }
        }
      }
    }

    test('float32 forward and gradients match the float64 js reference (conformance tolerance)', () => {
      const [M, K, N] = [45, 130, 67];
      const x = rand([M, K]), w = rand([K, N], 'float32', 0.1), b = rand([N]), dy = rand([M, N]);
      const got = on(backend, () => valueAndGrads((xx, ww, bb) => o.dense(xx, ww, bb, 'relu'), x, w, b, dy));
      const f64 = (t: Tensor) => gf.cast(t, 'float64');
      const ref = on('js', () => valueAndGrads((xx, ww, bb) => unfused(xx, ww, bb, 'relu'), f64(x), f64(w), f64(b), f64(dy)));
      got.forEach((t, i) => {
        const scale = Math.max(...Array.from(ref[i].data, Math.abs));
        assertClose(Array.from(t.data), Array.from(ref[i].data), { atol: 1e-5 * scale + 1e-6, rtol: 1e-4, message: `output ${i} on ${backend}` });
      });
    });

    test('an empty batch gives empty outputs and a zero weight gradient', () => {
      const x = rand([0, 5]), w = rand([5, 3]), b = rand([3]);
      const [value, dx, dw, db] = on(backend, () => valueAndGrads((xx, ww, bb) => o.dense(xx, ww, bb, 'relu'), x, w, b, rand([0, 3])));
      assert.deepEqual(value.shape, [0, 3]);
      assert.deepEqual(dx.shape, [0, 5]);
      assert.deepEqual(Array.from(dw.data), new Array(15).fill(0));
      assert.deepEqual(Array.from(db.data), [0, 0, 0]);
    });
  });
}

describe('fused dense: gradient checks (float64, central differences)', () => {
  for (const act of ['relu', 'linear'] as const) {
    test(`${act} with bias`, () => {
      const x = randn([4, 3], 1), w = randn([3, 5], 2), b = randn([5], 3);
      // central differences must not straddle relu's kink: no pre-activation near 0
      const pre = gf.add(gf.matmul(x, w), b);
      assert.ok(Math.min(...Array.from(pre.data, Math.abs)) > 1e-3, 'a pre-activation is too close to 0');
      checkGradients((xx, ww, bb) => o.dense(xx, ww, bb, act), [x, w, b], { name: `dense ${act}` });
    });
    test(`${act} without bias, one unit`, () => {
      checkGradients((xx, ww) => o.dense(xx, ww, null, act), [randn([6, 4], 6), randn([4, 1], 7)], { name: `dense ${act} no bias` });
    });
  }
  test('relu at exactly zero pre-activation passes no gradient (relu\'(0) = 0, as Keras)', () => {
    const x = gf.tensor([[1, -1]], undefined, 'float64'), w = gf.tensor([[1], [1]], undefined, 'float64');
    const [dx, dw] = gf.grad((xx, ww) => gf.sum(o.dense(xx, ww, null, 'relu')))(x, w);
    assert.deepEqual(Array.from(dx.data), [0, 0]);
    assert.deepEqual(Array.from(dw.data), [0, 0]);
  });
});

describe('fused dense: validation and the Dense layer', () => {
  test('bad shapes and activations are named', () => {
    assert.throws(() => o.dense(rand([2, 3, 4]), rand([4, 5])), /dense: x and w must be 2-D, got x \[2, 3, 4\]/);
    assert.throws(() => o.dense(rand([2, 3]), rand([4, 5])), /inner dimensions differ \(3 vs 4\)/);
    assert.throws(() => o.dense(rand([2, 3]), rand([3, 5]), rand([4])), /bias must have shape \[5\], got \[4\]/);
    assert.throws(() => o.dense(rand([2, 3]), rand([3, 5]), null, 'tanh' as Act), /activation must be one of 'linear', 'relu'/);
  });

  test('Dense(relu) records a single tape node with its three inputs', () => {
    const layer = new gf.layers.Dense(4, { activation: 'relu' });
    const y = layer.apply(rand([2, 3]));
    assert.equal(y.node?.op, 'dense');
    assert.equal(y.node?.inputs.length, 3);
    assert.deepEqual(y.node?.attrs, { activation: 'relu' });
    const linear = new gf.layers.Dense(4, { useBias: false }).apply(rand([2, 3]));
    assert.equal(linear.node?.op, 'dense');
    assert.equal(linear.node?.inputs.length, 2);
    // other activations run after a linear fused Dense
    const tanh = new gf.layers.Dense(4, { activation: 'tanh' }).apply(rand([2, 3]));
    assert.equal(tanh.node?.op, 'tanh');
    assert.equal(tanh.node?.inputs[0].node?.op, 'dense');
  });

  test('Dense on a rank-3 input still runs the fused op on the flattened rows', () => {
    const layer = new gf.layers.Dense(4, { activation: 'relu' });
    const x = rand([2, 3, 5]);
    const y = layer.apply(x);
    assert.deepEqual(y.shape, [2, 3, 4]);
    const ref = gf.relu(gf.add(gf.matmul(gf.reshape(x, [6, 5]), layer.kernel!), layer.bias!));
    assert.deepEqual(Array.from(y.data), Array.from(ref.data));
  });

  test('the backward kernel is not asked for dx of a data input (the first layer\'s third GEMM)', () => {
    const table = kernelsFor() as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = table.denseGrad;
    const seen: unknown[] = [];
    table.denseGrad = (...args: unknown[]) => { seen.push(args[5]); return original(...args); };
    try {
      const w = rand([3, 2]).requireGrad(), b = rand([2]).requireGrad();
      gf.sum(o.dense(rand([4, 3]), w, b, 'relu')).backward();
    } finally {
      table.denseGrad = original;
    }
    assert.deepEqual(seen, [{ x: false, w: true, b: true }]);
  });

  test('every backend has a dense kernel: its own, or the chain of its own kernels', () => {
    for (const backend of gf.listBackends()) {
      const owner = kernelOwner('dense', backend);
      assert.ok(owner === backend || owner === 'composite', `${backend}: ${owner}`);
    }
    if (gf.listBackends().includes('native')) assert.equal(kernelOwner('denseGrad', 'native'), 'native');
  });
});
