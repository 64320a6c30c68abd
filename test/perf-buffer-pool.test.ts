/**
 * The training step's buffer pool (src/core/buffers.ts, issue 7): arrays are handed out again
 * only after release; a steady-state fit step allocates no new backward arrays; training with
 * the pool gives the same bits as without; and the pool stays off wherever a gradient could
 * outlive the step (a step observer, a user-defined optimizer, gf.grad).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import type { Tensor } from '../src/node.js';
import { BufferPool, activeBufferPool, outputArray, withBufferPool, zeroedOutputArray } from '../src/core/buffers.js';
import { backwardBufferPool } from '../src/training/loop.js';

describe('BufferPool', () => {
  test('hands an array out again only after release, by dtype and length', () => {
    const pool = new BufferPool();
    const [a, b, c] = withBufferPool(pool, () => [outputArray('float32', 8), outputArray('float32', 8), outputArray('float64', 8)]);
    assert.notEqual(a, b);
    assert.ok(c instanceof Float64Array);
    assert.equal(pool.allocated, 3);
    pool.release();
    const [d, e, f, g] = withBufferPool(pool, () => [outputArray('float32', 8), outputArray('float32', 8), outputArray('float64', 8), outputArray('float32', 9)]);
    assert.deepEqual(new Set([d, e]), new Set([a, b]));
    assert.equal(f, c);
    assert.ok(g !== a && g !== b && g.length === 9);
    assert.equal(pool.reused, 3);
    assert.equal(pool.allocated, 4);
  });

  test('zeroedOutputArray clears a reused array; outside a scope arrays are fresh and zero', () => {
    const pool = new BufferPool();
    const a = withBufferPool(pool, () => outputArray('int32', 4));
    a.fill(7);
    pool.release();
    const b = withBufferPool(pool, () => zeroedOutputArray('int32', 4));
    assert.equal(b, a);
    assert.deepEqual(Array.from(b), [0, 0, 0, 0]);
    assert.equal(activeBufferPool(), null);
    const fresh = outputArray('float32', 4);
    assert.notEqual(fresh, a);
    assert.deepEqual(Array.from(fresh), [0, 0, 0, 0]);
  });

  test('scopes nest and restore the outer pool, also when the function throws', () => {
    const outer = new BufferPool(), inner = new BufferPool();
    withBufferPool(outer, () => {
      assert.throws(() => withBufferPool(inner, () => { assert.equal(activeBufferPool(), inner); throw new Error('boom'); }), /boom/);
      assert.equal(activeBufferPool(), outer);
    });
    assert.equal(activeBufferPool(), null);
  });

  test('sizes not asked for during two steps are dropped (a smaller last batch pins nothing)', () => {
    const pool = new BufferPool();
    withBufferPool(pool, () => outputArray('float32', 100));
    pool.release();
    assert.equal(pool.bytesHeld, 400);
    for (let i = 0; i < 3; i++) { withBufferPool(pool, () => outputArray('float32', 50)); pool.release(); }
    assert.equal(pool.bytesHeld, 200);
  });
});

function mlp(seed: number, bn = false): gf.Sequential {
  gf.setSeed(seed);
  const norm = () => (bn ? [new gf.layers.BatchNormalization()] : []);
  return new gf.Sequential([
    new gf.layers.Dense(16, { activation: 'relu', inputShape: [12] }), ...norm(),
    new gf.layers.Dense(8, { activation: 'relu' }), ...norm(),
    new gf.layers.Dense(3, { activation: 'softmax' }),
  ]);
}

function data(n: number): [Tensor, Tensor] {
  gf.setSeed(99);
  return [gf.randomNormal([n, 12]), gf.tensor(Int32Array.from({ length: n }, (_, i) => i % 3))];
}

/** SGD that the loop does not know: it might keep gradients, so the loop pools nothing for it. */
class UnknownSGD extends gf.optimizers.SGD {}

describe('the training loop and the pool', () => {
  for (const bn of [false, true]) {
    test(`steady state: after the first steps a fit step allocates no new backward arrays${bn ? ' (with BatchNormalization)' : ''}`, async () => {
      const model = mlp(1, bn);
      model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
      const [x, y] = data(64);
      await model.fit(x, y, { batchSize: 16, epochs: 1, verbose: 0 });
      const pool = backwardBufferPool(model.compiledState!)!;
      assert.ok(pool, 'fit used a pool');
      const allocated = pool.allocated, reused = pool.reused;
      await model.fit(x, y, { batchSize: 16, epochs: 3, verbose: 0 });
      assert.equal(pool.allocated, allocated, 'no array allocated in 12 more steps');
      assert.ok(pool.reused > reused);
    });
  }

  test('training with the pool gives the bits of training without it', async () => {
    const [x, y] = data(50); // 4 steps of 16, then a smaller last batch of 2
    const pooled = mlp(5, true), plain = mlp(5, true);
    pooled.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
    plain.compile({ optimizer: new UnknownSGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
    for (const m of [pooled, plain]) { gf.setSeed(3); await m.fit(x, y, { batchSize: 16, epochs: 3, verbose: 0 }); }
    assert.ok(backwardBufferPool(pooled.compiledState!));
    assert.equal(backwardBufferPool(plain.compiledState!), undefined, 'no pool for an optimizer that might keep gradients');
    pooled.weights.forEach((w, i) => assert.deepEqual(Array.from(w.data), Array.from(plain.weights[i].data), String(w.name)));
  });

  test('a step observer sees gradients that later steps leave intact (no pool while observed)', async () => {
    const model = mlp(2);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const kept: Array<[Tensor, number[]]> = [];
    model.stepObserver = ({ grads }) => { for (const g of grads.values()) kept.push([g, Array.from(g.data)]); };
    const [x, y] = data(48);
    await model.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0 });
    assert.ok(kept.length > 0);
    for (const [g, values] of kept) assert.deepEqual(Array.from(g.data), values);
    assert.equal(backwardBufferPool(model.compiledState!), undefined);
  });

  test('a transient observer (the diagnostics Monitor) keeps the pool; one it chains to that may keep gradients turns it off', async () => {
    const [x, y] = data(48);
    const monitored = mlp(2);
    monitored.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const monitor = new gf.diagnostics.Monitor({ every: 1 });
    await monitored.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0, callbacks: [monitor] });
    assert.ok(backwardBufferPool(monitored.compiledState!), 'the Monitor alone keeps the pool');
    assert.ok(monitor.series.steps.length >= 6);
    assert.equal(monitored.stepObserver, null, 'the Monitor removes its observer after fit');

    const chained = mlp(2);
    chained.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const kept: Array<[Tensor, number[]]> = [];
    const user = ({ grads }: { grads: ReadonlyMap<Tensor, Tensor> }): void => { for (const g of grads.values()) kept.push([g, Array.from(g.data)]); };
    chained.stepObserver = user;
    await chained.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0, callbacks: [new gf.diagnostics.Monitor({ every: 1 })] });
    assert.equal(backwardBufferPool(chained.compiledState!), undefined);
    for (const [g, values] of kept) assert.deepEqual(Array.from(g.data), values);
    assert.equal(chained.stepObserver, user, 'the previous observer is restored');
  });

  test('gf.grad outside the training loop returns gradients that are never recycled', async () => {
    const model = mlp(4);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const [x, y] = data(32);
    const w = model.trainableWeights[0];
    const [g] = gf.grad((ww) => gf.sum(gf.matmul(x, ww)))(w);
    const before = Array.from(g.data);
    await model.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0 });
    assert.deepEqual(Array.from(g.data), before);
  });
});
