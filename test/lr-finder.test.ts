/**
 * findLearningRate (Smith's LR range test, the book's exponential-growth callback): the growth
 * factor with the chapter's numbers, increasing rates, early stop on divergence, the suggestion
 * heuristic, and an exact restore of the weights and the optimizer (checked against a twin
 * model that never ran the finder).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

function tinyModel(optimizer: gf.optimizers.Optimizer): gf.Sequential {
  const model = new gf.Sequential([new gf.layers.Dense(6, { inputShape: [3], activation: 'relu' }), new gf.layers.Dense(1)]);
  model.compile({ optimizer, loss: 'mse' });
  return model;
}

function tinyData(n: number): { x: gf.Tensor; y: gf.Tensor } {
  const x = gf.randomNormal([n, 3]);
  return { x, y: gf.sum(gf.mul(x, gf.tensor([1, -2, 0.5])), 1, true) };
}

const bytes = (t: gf.Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
function assertSame(a: gf.Tensor[], b: gf.Tensor[], what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((t, i) => assert.ok(bytes(t).equals(bytes(b[i])), `${what} ${i} differs`));
}

function slotsOf(model: gf.Model): gf.Tensor[] {
  const opt = model.optimizer!;
  return model.weights.flatMap((w) => Object.entries(opt.slotsOf(w)).sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t.clone()));
}

describe('findLearningRate', () => {
  test("the chapter's run: 55,000 samples at batch 128 = 430 steps, 1e-4 → 1 gives ×1.0216504 per batch", () => {
    const steps = Math.ceil(55000 / 128);
    assert.equal(steps, 430);
    const factor = gf.lrGrowthFactor(1e-4, 1, steps);
    assert.ok(Math.abs(factor - 1.0216504) < 5e-8, String(factor));
    assert.ok(Math.abs(1e-4 * factor ** steps - 1) < 1e-12);
  });

  test('rates grow exponentially per batch from minLr; losses are recorded per batch; the suggestion is argmin/10', async () => {
    gf.setSeed(21);
    const model = tinyModel(new gf.optimizers.SGD({ learningRate: 0.01 }));
    const { x, y } = tinyData(64);
    const r = await gf.findLearningRate(model, x, y, { minLr: 1e-4, maxLr: 1, batchSize: 8, epochs: 2, verbose: 0, stopFactor: 1e9 });
    assert.equal(r.factor, gf.lrGrowthFactor(1e-4, 1, 16));
    assert.equal(r.lrs.length, 16);
    assert.equal(r.lrs[0], 1e-4);
    for (let i = 1; i < r.lrs.length; i++) {
      assert.ok(r.lrs[i] > r.lrs[i - 1]);
      assert.ok(Math.abs(r.lrs[i] / r.lrs[i - 1] - r.factor) < 1e-12);
    }
    assert.equal(r.losses.length, 16);
    assert.equal(r.rawLosses.length, 16);
    assert.equal(r.losses[0], r.rawLosses[0]); // bias-corrected EMA starts at the first loss
    const best = r.losses.indexOf(Math.min(...r.losses));
    assert.equal(r.suggestedMaxLr, r.lrs[best] / 10);
    assert.equal(r.stoppedEarly, false);
  });

  test('raw losses are the per-batch losses (recovered from the running mean, also with a short last batch)', async () => {
    gf.setSeed(22);
    const model = tinyModel(new gf.optimizers.SGD({ learningRate: 0.01 }));
    const { x, y } = tinyData(20); // batches of 8, 8, 4
    const probe = tinyModel(new gf.optimizers.SGD({ learningRate: 0.01 }));
    probe.setWeights(model.getWeights());
    const r = await gf.findLearningRate(model, x, y, { minLr: 1e-3, maxLr: 1e-2, batchSize: 8, shuffle: false, verbose: 0, smoothing: 0 });
    // replay by hand with trainOnBatch at the same rates
    const expected = r.lrs.map((lr, i) => {
      probe.optimizer!.learningRate = lr;
      const count = Math.min(8, 20 - i * 8);
      return probe.trainOnBatch(gf.slice(x, [i * 8, 0], [count, 3]), gf.slice(y, [i * 8, 0], [count, 1])).loss;
    });
    r.rawLosses.forEach((l, i) => assert.ok(Math.abs(l - expected[i]) < 1e-9 * Math.max(1, Math.abs(expected[i])), `batch ${i}: ${l} vs ${expected[i]}`));
    assert.deepEqual(r.losses, r.rawLosses); // smoothing 0
  });

  test('stops early once the smoothed loss exceeds stopFactor × its best', async () => {
    gf.setSeed(23);
    const model = tinyModel(new gf.optimizers.SGD({ learningRate: 0.01 }));
    const { x, y } = tinyData(256);
    const r = await gf.findLearningRate(model, x, y, { minLr: 1e-3, maxLr: 1e4, batchSize: 8, verbose: 0 });
    assert.equal(r.stoppedEarly, true);
    assert.ok(r.lrs.length < 32, `ran ${r.lrs.length} of 32 batches`);
    const last = r.losses.at(-1)!;
    assert.ok(!Number.isFinite(last) || last > 4 * Math.min(...r.losses.slice(0, -1)));
    assert.ok(r.suggestedMaxLr > 0 && r.suggestedMaxLr < r.lrs.at(-1)!);
    for (const w of model.getWeights()) assert.ok(Array.from(w.data).every(Number.isFinite), 'weights restored after divergence');
  });

  test('restores weights, learning rate, iterations and Adam’s moments exactly: training afterwards matches a twin', async () => {
    const make = () => {
      gf.setSeed(24);
      const model = tinyModel(new gf.optimizers.Adam({ learningRate: 0.01 }));
      return model;
    };
    const a = make();
    const b = make();
    const { x, y } = tinyData(48);
    await a.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    await b.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const weights = a.getWeights();
    const slots = slotsOf(a);
    assert.ok(slots.length > 0);
    const iterations = a.optimizer!.iterations;

    const r = await gf.findLearningRate(a, x, y, { batchSize: 8, epochs: 2, verbose: 0 });
    assert.ok(r.lrs.length > 1);
    assertSame(a.getWeights(), weights, 'weight');
    assertSame(slotsOf(a), slots, 'slot');
    assert.equal(a.optimizer!.iterations, iterations);
    assert.equal(a.optimizer!.learningRate, 0.01);

    await a.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    await b.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    assertSame(a.getWeights(), b.getWeights(), 'weight after more training');
    assertSame(slotsOf(a), slotsOf(b), 'slot after more training');
  });

  test('a learning-rate schedule on the optimizer is put back; variables without state stay without', async () => {
    gf.setSeed(25);
    const schedule = (step: number) => 0.1 / (1 + step);
    const model = tinyModel(new gf.optimizers.SGD({ learningRate: schedule, momentum: 0.9 }));
    const { x, y } = tinyData(32);
    await gf.findLearningRate(model, x, y, { batchSize: 8, verbose: 0 });
    assert.equal(model.optimizer!.learningRateSchedule, schedule);
    assert.equal(model.optimizer!.iterations, 0);
    assert.equal(slotsOf(model).length, 0);
  });

  test('bad arguments', async () => {
    const { x, y } = tinyData(8);
    const uncompiled = new gf.Sequential([new gf.layers.Dense(1, { inputShape: [3] })]);
    await assert.rejects(gf.findLearningRate(uncompiled, x, y), /must be compiled first/);
    const model = tinyModel(new gf.optimizers.SGD());
    await assert.rejects(gf.findLearningRate(model, x, y, { minLr: 1, maxLr: 0.1 }), /maxLr \(0\.1\) must be greater than minLr \(1\)/);
    await assert.rejects(gf.findLearningRate(model, x, y, { minLr: 0 }), /minLr must be a finite number > 0/);
    await assert.rejects(gf.findLearningRate(model, x, y, { stopFactor: 1 }), /stopFactor/);
  });
});
