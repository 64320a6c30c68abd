/**
 * Callbacks: ReduceLROnPlateau and EarlyStopping replayed on fixed sequences against Keras'
 * rules (expected values worked out by hand from keras/src/callbacks/*.py, written next to
 * each case), EarlyStopping's restoreBestWeights on a real model, LearningRateScheduler,
 * TerminateOnNaN, LambdaCallback and ProgbarLogger output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const cb = gf.callbacks;

interface Stub { stopTraining: boolean; optimizer: { learningRate: number; iterations: number } }
const stubModel = (lr = 1): Stub => ({ stopTraining: false, optimizer: { learningRate: lr, iterations: 0 } });

/** Feeds `values` as `key` through onEpochEnd; returns the lr after each epoch. */
function replayLr(rlr: gf.callbacks.ReduceLROnPlateau, values: number[], key = 'val_loss'): number[] {
  const model = stubModel();
  rlr.setModel(model);
  rlr.onTrainBegin();
  return values.map((v, epoch) => { rlr.onEpochEnd(epoch, { [key]: v }); return model.optimizer.learningRate; });
}

/** Feeds values through EarlyStopping; returns the epoch at which it stopped training, or null. */
function replayStop(es: gf.callbacks.EarlyStopping, values: Array<number | undefined>, key = 'val_loss'): number | null {
  const model = stubModel();
  es.setModel(model);
  es.onTrainBegin();
  for (const [epoch, v] of values.entries()) {
    es.onEpochEnd(epoch, v === undefined ? { loss: 1 } : { [key]: v });
    if (model.stopTraining) return epoch;
  }
  return null;
}

function tinyModel(optimizer: gf.optimizers.Optimizer | string = 'sgd'): gf.Sequential {
  const model = new gf.Sequential([new gf.layers.Dense(4, { inputShape: [3], activation: 'tanh' }), new gf.layers.Dense(1)]);
  model.compile({ optimizer, loss: 'mse' });
  return model;
}

function tinyData(n = 32): { x: gf.Tensor; y: gf.Tensor } {
  const x = gf.randomNormal([n, 3]);
  return { x, y: gf.sum(x, 1, true) };
}

const bytes = (t: gf.Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
function assertSameWeights(a: gf.Tensor[], b: gf.Tensor[], message?: string): void {
  assert.equal(a.length, b.length);
  a.forEach((t, i) => assert.ok(bytes(t).equals(bytes(b[i])), `${message ?? 'weights'}: weight ${i} differs`));
}

describe('ReduceLROnPlateau: replay of Keras rules', () => {
  test('patience 2, minDelta 0: halves after 2 epochs without improvement, wait resets after each cut', () => {
    // e0 best 1; e1 best .9; e2 wait 1; e3 wait 2 → ×0.5; e4 best .8; e5 w1; e6 w2 → ×0.5; e7 w1; e8 w2 → ×0.5
    const lrs = replayLr(new cb.ReduceLROnPlateau({ factor: 0.5, patience: 2, minDelta: 0 }),
      [1, 0.9, 0.9, 0.9, 0.8, 0.85, 0.85, 0.85, 0.85]);
    assert.deepEqual(lrs, [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  test('improvement means value < best − minDelta; best is unchanged by non-improvements', () => {
    // minDelta .25: e0 best 2; e1 1.75 < 1.75? no → wait 1 ≥ 1 → cut; e2 1.5 < 2 − .25 → best 1.5;
    // e3 1.25 < 1.25? no → cut
    const rlr = new cb.ReduceLROnPlateau({ factor: 0.5, patience: 1, minDelta: 0.25 });
    assert.deepEqual(replayLr(rlr, [2, 1.75, 1.5, 1.25]), [1, 0.5, 0.5, 0.25]);
    assert.equal(rlr.best, 1.5);
  });

  test('the default minDelta 1e-4: a gain of 5e-5 is not an improvement', () => {
    // e1 .99995 not < .9999 → w1; e2 .9998 < .9999 → best; e3 .99975 ≥ .9997 → w1; e4 w2 → cut
    const lrs = replayLr(new cb.ReduceLROnPlateau({ factor: 0.5, patience: 2 }), [1, 0.99995, 0.9998, 0.99975, 0.99979]);
    assert.deepEqual(lrs, [1, 1, 1, 1, 0.5]);
  });

  test('cooldown: the counter is decremented before the check, so patience 1 + cooldown 2 cuts every 2 epochs', () => {
    // e1 cut (cd=2); e2 cd→1, in cooldown: nothing; e3 cd→0, wait 1 → cut (cd=2); e4 cd→1; e5 cut; e6 cd→1
    const rlr = new cb.ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 });
    assert.deepEqual(replayLr(rlr, [1, 1, 1, 1, 1, 1, 1]), [1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125]);
    assert.equal(rlr.cooldownCounter, 1);
  });

  test('an improvement during cooldown updates best; cooldown blocks waiting, not improving', () => {
    // patience 1, cooldown 1: e1 cut (cd 1); e2 cd→0, .5 improves → best; e3 wait 1 → cut
    assert.deepEqual(replayLr(new cb.ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 1 }), [1, 1, 0.5, 0.6]), [1, 0.5, 0.5, 0.25]);
  });

  test('minLr: lr = max(lr·factor, minLr), and nothing happens once lr ≤ minLr (wait keeps growing)', () => {
    const rlr = new cb.ReduceLROnPlateau({ factor: 0.5, patience: 1, minLr: 0.3 });
    assert.deepEqual(replayLr(rlr, [1, 1, 1, 1, 1]), [1, 0.5, 0.3, 0.3, 0.3]);
    assert.equal(rlr.wait, 2);
  });

  test("mode auto maximizes accuracy-like keys; mode 'max' with minDelta", () => {
    assert.equal(new cb.ReduceLROnPlateau({ monitor: 'val_accuracy' }).mode, 'max');
    assert.equal(new cb.ReduceLROnPlateau({ monitor: 'val_auc' }).mode, 'max');
    assert.equal(new cb.ReduceLROnPlateau({ monitor: 'val_loss' }).mode, 'min');
    assert.equal(new cb.ReduceLROnPlateau({ monitor: 'mae' }).mode, 'min');
    // max, minDelta .125: e1 .625 > .625? no → w1 → cut; e2 .75 > .625 → best; e3 .8125 > .875? no → cut
    const rlr = new cb.ReduceLROnPlateau({ monitor: 'val_accuracy', factor: 0.5, patience: 1, minDelta: 0.125 });
    assert.deepEqual(replayLr(rlr, [0.5, 0.625, 0.75, 0.8125], 'val_accuracy'), [1, 0.5, 0.5, 0.25]);
  });

  test('state resets at train begin; a missing monitor key warns once and changes nothing', (t) => {
    const rlr = new cb.ReduceLROnPlateau({ factor: 0.5, patience: 1 });
    replayLr(rlr, [1, 1]);
    assert.deepEqual(replayLr(rlr, [1, 1]), [1, 0.5]);
    const warn = t.mock.method(console, 'warn', () => {});
    const model = stubModel();
    rlr.setModel(model);
    rlr.onTrainBegin();
    for (let e = 0; e < 4; e++) rlr.onEpochEnd(e, { loss: 1 });
    assert.equal(model.optimizer.learningRate, 1);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]), /val_loss.*available keys: loss/);
  });

  test('bad arguments are rejected with the argument named', () => {
    assert.throws(() => new cb.ReduceLROnPlateau({ factor: 1 }), /factor must be < 1/);
    assert.throws(() => new cb.ReduceLROnPlateau({ patience: -1 }), /patience/);
    assert.throws(() => new cb.ReduceLROnPlateau({ mode: 'up' as 'max' }), /mode must be/);
    assert.throws(() => new cb.ReduceLROnPlateau({ minLr: -1 }), /minLr/);
  });

  test('in fit: the logged lr is the one each epoch trained with, and the optimizer is really changed', async () => {
    gf.setSeed(1);
    const model = tinyModel(new gf.optimizers.SGD({ learningRate: 0.1 }));
    const { x, y } = tinyData(16);
    const seq = [1, 1, 1, 0.5, 0.6, 0.7];
    const used: number[] = [];
    const history = await model.fit(x, y, {
      epochs: seq.length, batchSize: 16, verbose: 0,
      callbacks: [
        new cb.LambdaCallback({
          onTrainBatchEnd: () => { used.push(model.optimizer!.learningRate); },
          onEpochEnd: (epoch, logs) => { logs.val_loss = seq[epoch]; },
        }),
        new cb.ReduceLROnPlateau({ factor: 0.5, patience: 2 }),
      ],
    });
    // e2: wait 2 → cut after e2; e3 best .5; e5 wait 2 → cut after e5
    assert.deepEqual(history.history.lr, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05]);
    assert.deepEqual(used, history.history.lr);
    assert.equal(model.optimizer!.learningRate, 0.025);
    assert.deepEqual(history.history.val_loss, seq);
  });
});

describe('EarlyStopping: Keras rules', () => {
  test('patience 0 stops at the first epoch without improvement (never at epoch 0)', () => {
    assert.equal(replayStop(new cb.EarlyStopping(), [1, 1.1]), 1);
    assert.equal(replayStop(new cb.EarlyStopping(), [1, 0.9, 0.95]), 2);
    assert.equal(replayStop(new cb.EarlyStopping(), [1, 0.9, 0.8]), null);
  });

  test('patience counts epochs since the last improvement', () => {
    assert.equal(replayStop(new cb.EarlyStopping({ patience: 2 }), [1, 1.1, 1.2, 0.5]), 2);
    assert.equal(replayStop(new cb.EarlyStopping({ patience: 2 }), [1, 1.1, 0.9, 1.0, 0.95]), 4);
  });

  test('minDelta: value < best − |minDelta| is required (a negative minDelta means the same)', () => {
    // 1.875 and 1.75 are not below 2 − .25
    assert.equal(replayStop(new cb.EarlyStopping({ minDelta: 0.25, patience: 1 }), [2, 1.875, 1.75, 1.5]), 1);
    assert.equal(replayStop(new cb.EarlyStopping({ minDelta: -0.25, patience: 2 }), [2, 1.875, 1.75, 1.5]), 2);
    assert.equal(replayStop(new cb.EarlyStopping({ minDelta: 0.25, patience: 1 }), [2, 1.5, 1.125, 0.75]), null);
    // 1.25 + .25 is not < 1.5: a gain of exactly minDelta does not count
    assert.equal(replayStop(new cb.EarlyStopping({ minDelta: 0.25, patience: 1 }), [2, 1.5, 1.25]), 2);
  });

  test("mode: auto maximizes accuracy, 'min' forced on accuracy treats a rise as a worsening", () => {
    assert.equal(new cb.EarlyStopping({ monitor: 'val_accuracy' }).mode, 'max');
    assert.equal(new cb.EarlyStopping({ monitor: 'sparse_categorical_accuracy' }).mode, 'max');
    assert.equal(new cb.EarlyStopping({ monitor: 'val_cauchy_loss' }).mode, 'min');
    assert.equal(replayStop(new cb.EarlyStopping({ monitor: 'val_accuracy', patience: 1 }), [0.5, 0.6, 0.55, 0.58], 'val_accuracy'), 2);
    assert.equal(replayStop(new cb.EarlyStopping({ monitor: 'val_accuracy', mode: 'min' }), [0.5, 0.6], 'val_accuracy'), 1);
  });

  test('baseline: wait restarts only when the value beats both the best and the baseline', () => {
    // e0: wait 1, improves on ∞ but not on .5 → keeps wait; e1: wait 2, no improvement, 2 ≥ 2 → stop
    assert.equal(replayStop(new cb.EarlyStopping({ baseline: 0.5, patience: 2 }), [1, 1.1, 1.2]), 1);
    assert.equal(replayStop(new cb.EarlyStopping({ patience: 2 }), [1, 1.1, 1.2]), 2);
    // e1 beats the baseline → wait 0; e2 w1; e3 w2 → stop
    assert.equal(replayStop(new cb.EarlyStopping({ baseline: 0.5, patience: 2 }), [1, 0.4, 0.45, 0.46]), 3);
    // improving epochs return before the patience check (Keras), even above the baseline
    assert.equal(replayStop(new cb.EarlyStopping({ baseline: 0.5, patience: 1 }), [1, 0.9, 0.8, 0.7]), null);
  });

  test('startFromEpoch: earlier epochs are not monitored', () => {
    assert.equal(replayStop(new cb.EarlyStopping(), [1, 2, 3, 4]), 1);
    assert.equal(replayStop(new cb.EarlyStopping({ startFromEpoch: 2 }), [1, 2, 3, 4]), 3);
  });

  test('a missing monitor key warns once and never stops', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    assert.equal(replayStop(new cb.EarlyStopping(), [undefined, undefined, undefined]), null);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]), /EarlyStopping.*'val_loss'/);
  });

  test('restoreBestWeights restores the best epoch’s weights bit for bit, when patience runs out or at the end', async () => {
    const seq = [1.0, 0.8, 0.5, 0.7, 0.6, 0.9];
    for (const patience of [2, 10]) {
      gf.setSeed(3);
      const model = tinyModel(new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }));
      const { x, y } = tinyData();
      const snapshots: gf.Tensor[][] = [];
      const es = new cb.EarlyStopping({ patience, restoreBestWeights: true });
      const history = await model.fit(x, y, {
        epochs: seq.length, batchSize: 8, verbose: 0,
        callbacks: [
          new cb.LambdaCallback({ onEpochEnd: (epoch, logs) => { logs.val_loss = seq[epoch]; snapshots.push(model.getWeights()); } }),
          es,
        ],
      });
      // patience 2: e3 wait 1, e4 wait 2 → stop after epoch 4; patience 10: all 6 epochs
      assert.equal(history.epoch.length, patience === 2 ? 5 : 6);
      assert.equal(es.stoppedEpoch, patience === 2 ? 4 : 0);
      assert.equal(es.bestEpoch, 2);
      assert.ok(!bytes(snapshots.at(-1)![0]).equals(bytes(snapshots[2][0])), 'training moved the weights after the best epoch');
      assertSameWeights(model.getWeights(), snapshots[2], `patience ${patience}`);
    }
  });

  test('without restoreBestWeights the last weights stay', async () => {
    gf.setSeed(3);
    const model = tinyModel();
    const { x, y } = tinyData();
    let last: gf.Tensor[] = [];
    await model.fit(x, y, {
      epochs: 4, batchSize: 8, verbose: 0,
      callbacks: [new cb.LambdaCallback({ onEpochEnd: (e, logs) => { logs.val_loss = [1, 0.5, 0.7, 0.8][e]; last = model.getWeights(); } }),
        new cb.EarlyStopping({ patience: 1 })],
    });
    assertSameWeights(model.getWeights(), last);
  });
});

describe('LearningRateScheduler', () => {
  test('sets the lr at each epoch begin; History logs it as lr', async () => {
    gf.setSeed(2);
    const model = tinyModel(new gf.optimizers.SGD({ learningRate: 0.1 }));
    const { x, y } = tinyData(16);
    const seen: Array<[number, number]> = [];
    const used: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 4, batchSize: 8, verbose: 0,
      callbacks: [
        new cb.LearningRateScheduler((epoch, lr) => { seen.push([epoch, lr]); return epoch === 0 ? lr : lr / 2; }),
        new cb.LambdaCallback({ onTrainBatchBegin: () => { used.push(model.optimizer!.learningRate); } }),
      ],
    });
    assert.deepEqual(seen, [[0, 0.1], [1, 0.1], [2, 0.05], [3, 0.025]]);
    assert.deepEqual(history.history.lr, [0.1, 0.05, 0.025, 0.0125]);
    assert.deepEqual(used, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125]);
  });

  test("the chapter's per-epoch exponential decay 0.01·0.1^(epoch/20), epochs 21..24", () => {
    const model = stubModel(0.01);
    const sched = new cb.LearningRateScheduler((epoch) => 0.01 * 0.1 ** (epoch / 20));
    sched.setModel(model);
    const got = [21, 22, 23, 24].map((e) => { sched.onEpochBegin(e); return model.optimizer.learningRate; });
    [8.9125e-4, 7.9433e-4, 7.0795e-4, 6.3096e-4].forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 5e-8, `epoch ${21 + i}: ${got[i]}`));
  });

  test('a bad schedule value is an error naming the epoch', () => {
    const sched = new cb.LearningRateScheduler(() => NaN);
    sched.setModel(stubModel());
    assert.throws(() => sched.onEpochBegin(3), /returned NaN for epoch 3/);
    assert.throws(() => new cb.LearningRateScheduler(0.1 as never), /must be a function/);
  });
});

describe('TerminateOnNaN', () => {
  test('stops within the batch whose loss is NaN; History keeps the partial epoch', async () => {
    gf.setSeed(4);
    let trainingCalls = 0;
    const poison = new gf.layers.Lambda((t, { training }) => {
      if (training && ++trainingCalls === 3) return gf.mul(t, NaN);
      return t;
    });
    const model = new gf.Sequential([new gf.layers.Dense(2, { inputShape: [3] }), poison, new gf.layers.Dense(1)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = tinyData(64);
    const batchesEnded: number[] = [];
    const lines: string[] = [];
    const term = new cb.TerminateOnNaN((line) => lines.push(line));
    const history = await model.fit(x, y, {
      epochs: 5, batchSize: 8, verbose: 0,
      callbacks: [new cb.LambdaCallback({ onTrainBatchEnd: (b) => { batchesEnded.push(b); } }), term],
    });
    assert.deepEqual(batchesEnded, [0, 1, 2]);
    assert.equal(trainingCalls, 3);
    assert.deepEqual(term.terminatedAt, { epoch: 0, batch: 2 });
    assert.deepEqual(history.epoch, [0]);
    assert.ok(Number.isNaN(history.history.loss[0]));
    assert.deepEqual(lines, ['Batch 2: Invalid loss, terminating training']);
  });

  test('an infinite loss stops too; finite losses do not', () => {
    const model = stubModel();
    const term = new cb.TerminateOnNaN(() => {});
    term.setModel(model);
    term.onTrainBatchEnd(0, { loss: 1e30 });
    assert.equal(model.stopTraining, false);
    term.onTrainBatchEnd(1, { loss: Infinity });
    assert.equal(model.stopTraining, true);
  });
});

describe('LambdaCallback', () => {
  test('each given hook is called by fit, async ones awaited', async () => {
    gf.setSeed(5);
    const model = tinyModel();
    const { x, y } = tinyData(24);
    const calls: string[] = [];
    let awaited = false;
    await model.fit(x, y, {
      epochs: 2, batchSize: 8, verbose: 0,
      callbacks: [
        new cb.LambdaCallback({
          onTrainBegin: () => { calls.push('trainBegin'); },
          onEpochBegin: (e) => { calls.push(`epochBegin ${e}`); },
          onTrainBatchEnd: (b, logs) => { calls.push(`batch ${b} ${typeof logs.loss}`); },
          onEpochEnd: async (e) => { await new Promise((r) => setTimeout(r, 1)); awaited = true; calls.push(`epochEnd ${e}`); },
          onTrainEnd: () => { calls.push(`trainEnd ${awaited}`); },
        }),
      ],
    });
    assert.deepEqual(calls, ['trainBegin', 'epochBegin 0', 'batch 0 number', 'batch 1 number', 'batch 2 number', 'epochEnd 0',
      'epochBegin 1', 'batch 0 number', 'batch 1 number', 'batch 2 number', 'epochEnd 1', 'trainEnd true']);
  });

  test('evaluate and predict hooks; unknown hooks are rejected with a hint', async () => {
    const model = tinyModel();
    const { x, y } = tinyData(8);
    const calls: string[] = [];
    const lc = new cb.LambdaCallback({ onTestEnd: (logs) => { calls.push(`testEnd ${Object.keys(logs)}`); }, onPredictBegin: () => { calls.push('predictBegin'); } });
    await model.evaluate(x, y, { callbacks: [lc] });
    await model.predict(x, { callbacks: [lc] });
    assert.deepEqual(calls, ['testEnd loss', 'predictBegin']);
    assert.throws(() => new cb.LambdaCallback({ on_epoch_end: () => {} } as never), /unknown hook 'on_epoch_end' \(did you mean 'onEpochEnd'\?\)/);
  });
});

describe('ProgbarLogger', () => {
  const params = (verbose: number) => ({ epochs: 2, steps: 5, batchSize: 8, samples: 40, verbose });

  test('non-TTY: one line per epoch, "Epoch i/n - time - ms/step - key: value"', async () => {
    gf.setSeed(6);
    const model = tinyModel();
    const { x, y } = tinyData(16);
    const lines: string[] = [];
    await model.fit(x, y, { epochs: 2, batchSize: 8, validationData: [x, y], callbacks: [new cb.ProgbarLogger((l) => lines.push(l))] });
    assert.equal(lines.length, 2);
    lines.forEach((line, i) => assert.match(line,
      new RegExp(`^Epoch ${i + 1}/2 - \\d+\\.\\ds - \\d+\\.\\dms/step - loss: \\d+\\.\\d{4} - val_loss: \\d+\\.\\d{4} - lr: 0\\.0100$`)));
  });

  test('TTY: a live bar with ETA, redrawn at most every interval, then the final epoch line', () => {
    let clock = 0;
    let out = '';
    const p = new cb.ProgbarLogger({ writer: { isTTY: true, write: (s) => { out += s; } }, now: () => clock });
    p.setParams(params(1));
    p.onTrainBegin();
    p.onEpochBegin(0);
    clock = 2000; p.onTrainBatchEnd(0, { loss: 0.5, accuracy: 0.25 });
    clock = 2050; p.onTrainBatchEnd(1, { loss: 0.4, accuracy: 0.3 }); // within 100 ms: not drawn
    clock = 6000; p.onTrainBatchEnd(2, { loss: 0.43219, accuracy: 0.87654 });
    clock = 8000; p.onTrainBatchEnd(3, { loss: 0.3, accuracy: 0.9 });
    clock = 9000; p.onTrainBatchEnd(4, { loss: 0.2, accuracy: 0.9 }); // last batch: drawn by onEpochEnd
    clock = 10000; p.onEpochEnd(0, { loss: 0.2, accuracy: 0.9, val_loss: 0.00012 });
    const first = '1/5 [=====>........................] - ETA: 8s - loss: 0.5000 - accuracy: 0.2500';
    const third = '3/5 [=================>............] - ETA: 4s - loss: 0.4322 - accuracy: 0.8765';
    const fourth = '4/5 [=======================>......] - ETA: 2s - loss: 0.3000 - accuracy: 0.9000';
    const final = '5/5 [==============================] - 10s 2s/step - loss: 0.2000 - accuracy: 0.9000 - val_loss: 1.2000e-04';
    assert.equal(out, `Epoch 1/2\n\r${first}\r${third}\r${fourth}\r${final}\n`);
  });

  test('TTY: a shorter redraw blanks the rest of the previous text', () => {
    let clock = 0;
    let out = '';
    const p = new cb.ProgbarLogger({ writer: { isTTY: true, write: (s) => { out += s; } }, now: () => clock, interval: 0 });
    p.setParams({ ...params(1), steps: 3 });
    p.onEpochBegin(0);
    clock = 1000; p.onTrainBatchEnd(0, { loss: 1, some_long_metric_name: 1 });
    clock = 2000; p.onTrainBatchEnd(1, { loss: 1 });
    const [, a, b] = out.split('\r');
    assert.equal(b.length, a.length);
    assert.match(b, /loss: 1\.0000 +$/);
  });

  test('verbose 2 prints one line per epoch even in a TTY; verbose 0 prints nothing', async () => {
    gf.setSeed(6);
    const model = tinyModel();
    const { x, y } = tinyData(16);
    for (const verbose of [2, 0] as const) {
      let out = '';
      await model.fit(x, y, { epochs: 2, batchSize: 8, verbose, callbacks: [new cb.ProgbarLogger({ writer: { isTTY: true, write: (s) => { out += s; } } })] });
      if (verbose === 0) assert.equal(out, '');
      else {
        assert.ok(!out.includes('\r'));
        assert.equal(out.split('\n').filter(Boolean).length, 2);
        assert.match(out, /^Epoch 1\/2 - /);
      }
    }
  });

  test('ETA formats as Keras: 7s, 2:05, 1:02:03', async () => {
    const { formatEta } = await import('../src/callbacks/progbar-logger.js');
    assert.equal(formatEta(7.9), '7s');
    assert.equal(formatEta(125), '2:05');
    assert.equal(formatEta(3723), '1:02:03');
  });
});

describe('fit and callbacks', () => {
  test('fit returns a History passed in callbacks, and stopTraining from onTrainBatchEnd ends the epoch', async () => {
    gf.setSeed(7);
    const model = tinyModel();
    const { x, y } = tinyData(32);
    const mine = new cb.History();
    let batches = 0;
    const h = await model.fit(x, y, {
      epochs: 3, batchSize: 8, verbose: 0,
      callbacks: [mine, new cb.LambdaCallback({ onTrainBatchEnd: (b) => { batches++; if (b === 1) model.stopTraining = true; } })],
    });
    assert.equal(h, mine);
    assert.equal(batches, 2);
    assert.deepEqual(h.epoch, [0]);
  });

  test('gf.callbacks exports every callback', () => {
    for (const name of ['Callback', 'CallbackList', 'History', 'ProgbarLogger', 'EarlyStopping', 'ModelCheckpoint',
      'LearningRateScheduler', 'ReduceLROnPlateau', 'TerminateOnNaN', 'CSVLogger', 'LambdaCallback']) {
      assert.equal(typeof (gf.callbacks as Record<string, unknown>)[name], 'function', name);
    }
    assert.equal(gf.callbacks.History, gf.History);
  });
});

