/**
 * The training loop (issue 3): compile / fit / evaluate / predict / trainOnBatch / testOnBatch,
 * History, validationSplit (the LAST fraction, before shuffling), shuffle, initialEpoch, batched
 * predict, running-mean training metrics, validation in inference mode, stopTraining, callback
 * order, reproducibility under gf.setSeed, and an end-to-end learning check.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';

const L = gf.layers;
const values = (ts: readonly gf.Tensor[]) => ts.map((t) => Array.from(t.data));

/** A learnable task: the class is the argmax of a fixed linear map of Gaussian inputs. */
function task(n: number, features = 8, classes = 3, seed = 5) {
  const rng = new gf.RandomGenerator(seed);
  const x = gf.tensor(Float32Array.from({ length: n * features }, () => rng.normal()), [n, features]);
  const w = gf.tensor(Float32Array.from({ length: features * classes }, () => rng.normal()), [features, classes]);
  return { x, y: gf.cast(gf.argmax(gf.matmul(x, w), -1), 'int32') };
}

const mlp = (features = 8, classes = 3, extra: gf.layers.Layer[] = []) => new gf.Sequential([
  new L.Dense(16, { inputShape: [features], activation: 'relu', kernelInitializer: 'he_normal' }),
  ...extra,
  new L.Dense(classes, { activation: 'softmax' }),
]);

const rows = (t: gf.Tensor, start: number, count: number) =>
  gf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [count, ...t.shape.slice(1)]);

/** A callback recording every hook call as 'hook' or 'hook(index)'. */
class Recorder extends gf.Callback {
  readonly calls: string[] = [];
  readonly epochLogs: gf.Logs[] = [];
  constructor(private readonly tag = '') { super(); }
  private rec(s: string) { this.calls.push(this.tag + s); }
  override onTrainBegin() { this.rec('trainBegin'); }
  override onTrainEnd() { this.rec('trainEnd'); }
  override onEpochBegin(e: number) { this.rec(`epochBegin(${e})`); }
  override onEpochEnd(e: number, logs: gf.Logs = {}) { this.rec(`epochEnd(${e})`); this.epochLogs.push({ ...logs }); }
  override onTrainBatchBegin(b: number) { this.rec(`batchBegin(${b})`); }
  override onTrainBatchEnd(b: number) { this.rec(`batchEnd(${b})`); }
  override onTestBegin() { this.rec('testBegin'); }
  override onTestEnd() { this.rec('testEnd'); }
  override onTestBatchBegin(b: number) { this.rec(`testBatchBegin(${b})`); }
  override onTestBatchEnd(b: number) { this.rec(`testBatchEnd(${b})`); }
  override onPredictBegin() { this.rec('predictBegin'); }
  override onPredictEnd() { this.rec('predictEnd'); }
}

describe('fit, History and callbacks', () => {
  test('History: loss, accuracy, val_loss, val_accuracy and lr, one value per epoch', async () => {
    gf.setSeed(1);
    const { x, y } = task(40);
    const model = mlp();
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.02 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, validationData: [rows(x, 0, 10), rows(y, 0, 10)], verbose: 0 });
    assert.ok(history instanceof gf.History);
    assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss']);
    for (const [k, v] of Object.entries(history.history)) {
      assert.equal(v.length, 3, k);
      assert.ok(v.every(Number.isFinite), `${k}: ${v}`);
    }
    assert.deepEqual(history.epoch, [0, 1, 2]);
    assert.deepEqual(history.history.lr.map((v) => Math.fround(v)), [0.02, 0.02, 0.02].map(Math.fround));
    assert.ok(history.history.accuracy.every((a) => a >= 0 && a <= 1));
    // the last val_loss is the model's evaluation on the validation data after the last epoch
    const evaluated = await model.evaluate(rows(x, 0, 10), rows(y, 0, 10), { batchSize: 8 });
    assertClose(history.history.val_loss[2], evaluated.loss, { atol: 1e-6 });
    assertClose(history.history.val_accuracy[2], evaluated.accuracy, { atol: 1e-9 });
  });

  test('without validation there are no val_* keys; epochs: 0 trains nothing', async () => {
    const { x, y } = task(8);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const h = await model.fit(x, y, { epochs: 1, verbose: 0 });
    assert.deepEqual(Object.keys(h.history).sort(), ['loss', 'lr']);
    const before = values(model.getWeights());
    const none = await model.fit(x, y, { epochs: 0, verbose: 0 });
    assert.deepEqual(none.epoch, []);
    assert.deepEqual(values(model.getWeights()), before);
  });

  test('validationSplit holds out the LAST fraction, taken before shuffling', async () => {
    // lr 0: weights never change, so the logged losses are exact evaluations of fixed rows
    const n = 10;
    const x = gf.tensor(Float32Array.from({ length: n * 2 }, (_, i) => (i % 7) / 7), [n, 2]);
    // the last 3 targets are far away: any other split would change val_loss a lot
    const y = gf.tensor(Float32Array.from({ length: n }, (_, i) => (i >= 7 ? 100 + i : i / 10)), [n, 1]);
    const model = new gf.Sequential([new L.Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const history = await model.fit(x, y, { epochs: 2, batchSize: 3, validationSplit: 0.3, shuffle: true, verbose: 0 });
    const val = await model.evaluate(rows(x, 7, 3), rows(y, 7, 3));
    const train = await model.evaluate(rows(x, 0, 7), rows(y, 0, 7));
    for (let e = 0; e < 2; e++) {
      assertClose(history.history.val_loss[e], val.loss, { rtol: 1e-6, message: `val_loss, epoch ${e}` });
      assertClose(history.history.loss[e], train.loss, { rtol: 1e-5, message: `training loss, epoch ${e}` });
    }
  });

  test('validationSplit out of (0, 1) is rejected', async () => {
    const { x, y } = task(8);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    for (const split of [1, 1.5, -0.2]) {
      await assert.rejects(model.fit(x, y, { validationSplit: split, verbose: 0 }), /validationSplit must be in \(0, 1\)/);
    }
  });

  test('shuffle: false is deterministic whatever the generator state; shuffle: true is not', async () => {
    const { x, y } = task(48);
    const base = mlp();
    const initial = base.getWeights();
    const train = async (seed: number, shuffle: boolean) => {
      const m = gf.cloneModel(base);
      m.setWeights(initial);
      m.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
      gf.setSeed(seed);
      await m.fit(x, y, { epochs: 2, batchSize: 8, shuffle, verbose: 0 });
      return values(m.getWeights());
    };
    assert.deepEqual(await train(1, false), await train(2, false));
    assert.notDeepEqual(await train(1, true), await train(2, true));
    assert.deepEqual(await train(3, true), await train(3, true));
  });

  test('shuffle: false visits the batches in order', async () => {
    const n = 7;
    const x = gf.tensor(Float32Array.from({ length: n }, (_, i) => i), [n, 1]);
    const seen: number[][] = [];
    class Spy extends gf.layers.Layer {
      static override className = 'SpyLayerTrainingLoop';
      call(t: gf.Tensor) { seen.push(Array.from(t.data)); return t; }
      computeOutputShape(s: gf.layers.LayerShape) { return s; }
    }
    const model = new gf.Sequential([new Spy({ inputShape: [1] }), new L.Dense(1)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(x, gf.zeros([n, 1]), { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    assert.deepEqual(seen, [[0, 1, 2], [3, 4, 5], [6]]);
  });

  test('initialEpoch: epochs counts from it (History and callbacks see epochs 3 and 4)', async () => {
    const { x, y } = task(8);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const rec = new Recorder();
    const history = await model.fit(x, y, { epochs: 5, initialEpoch: 3, batchSize: 8, callbacks: [rec], verbose: 0 });
    assert.deepEqual(history.epoch, [3, 4]);
    assert.equal(history.history.loss.length, 2);
    assert.deepEqual(rec.calls.filter((c) => c.startsWith('epochBegin')), ['epochBegin(3)', 'epochBegin(4)']);
  });

  test('training metrics are running means over the epoch\'s batches (sample-weighted)', async () => {
    const { x, y } = task(10);
    const model = mlp();
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    // expected: per-batch loss and accuracy of the fixed model, batches of 4, 4, 2
    const sizes = [4, 4, 2];
    const perBatch = sizes.map((count, b) => model.testOnBatch(rows(x, 4 * b, count), rows(y, 4 * b, count)));
    const batchLogs: gf.Logs[] = [];
    const cb = new (class extends gf.Callback {
      override onTrainBatchEnd(_b: number, logs: gf.Logs = {}) { batchLogs.push({ ...logs }); }
    })();
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, callbacks: [cb], verbose: 0 });
    let seen = 0, lossSum = 0, accSum = 0;
    sizes.forEach((count, b) => {
      seen += count;
      lossSum += perBatch[b].loss * count;
      accSum += perBatch[b].accuracy * count;
      assertClose(batchLogs[b].loss, lossSum / seen, { rtol: 1e-5, message: `running loss after batch ${b}` });
      assertClose(batchLogs[b].accuracy, accSum / seen, { atol: 1e-9, message: `running accuracy after batch ${b}` });
    });
    const full = await model.evaluate(x, y);
    assertClose(history.history.loss[0], full.loss, { rtol: 1e-5 });
    assertClose(history.history.accuracy[0], full.accuracy, { atol: 1e-9 });
  });

  test('validation and evaluate run in inference mode (a Dropout(0.5) model evaluates deterministically)', async () => {
    const { x, y } = task(32);
    const model = mlp(8, 3, [new L.Dropout(0.5)]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy' });
    const a = await model.evaluate(x, y, { batchSize: 8 });
    const b = await model.evaluate(x, y, { batchSize: 8 });
    assert.deepEqual(a, b);
    assert.deepEqual(model.testOnBatch(x, y), model.testOnBatch(x, y));
    const history = await model.fit(x, y, { epochs: 2, batchSize: 8, validationData: [x, y], verbose: 0 });
    assertClose(history.history.val_loss, [a.loss, a.loss], { rtol: 1e-6, message: 'validation = evaluate' });
    assert.ok(history.history.loss.every((l) => Math.abs(l - a.loss) > 1e-4), 'training-mode loss (dropout on) differs from the inference loss');
  });

  test('predict in batches gives the same result as one big batch', async () => {
    const { x } = task(23);
    const model = mlp(8, 3, [new L.BatchNormalization(), new L.Dropout(0.3)]);
    const whole = await model.predict(x, { batchSize: 100 });
    for (const batchSize of [1, 5, 23]) {
      const batched = await model.predict(x, { batchSize });
      assert.deepEqual(batched.shape, [23, 3]);
      assertClose(batched, whole, { atol: 1e-6, message: `batchSize ${batchSize}` });
    }
  });

  test('a callback that sets model.stopTraining stops fit after the current batch', async () => {
    const { x, y } = task(40);
    const model = mlp();
    const optimizer = new gf.optimizers.SGD();
    model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
    let batches = 0;
    const stopper = new (class extends gf.Callback {
      override onTrainBatchEnd(b: number) { batches++; if (b === 1) this.model!.stopTraining = true; }
    })();
    const history = await model.fit(x, y, { epochs: 5, batchSize: 8, callbacks: [stopper], verbose: 0 });
    assert.equal(batches, 2);
    assert.equal(optimizer.iterations, 2);
    assert.ok(history.epoch.length <= 1, `epochs recorded: ${history.epoch}`);
    // at an epoch end: the epochs up to and including that one run
    const atEpoch = new (class extends gf.Callback {
      override onEpochEnd(e: number) { if (e === 1) this.model!.stopTraining = true; }
    })();
    const h2 = await model.fit(x, y, { epochs: 5, batchSize: 8, callbacks: [atEpoch], verbose: 0 });
    assert.deepEqual(h2.epoch, [0, 1]);
    // a later fit starts again
    const h3 = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    assert.deepEqual(h3.epoch, [0, 1]);
  });

  test('callbacks receive the hooks in order, each callback in list order, with params and model', async () => {
    const { x, y } = task(5);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const first = new Recorder('A:'), second = new Recorder('B:');
    const shared: string[] = [];
    first.calls.push = (...s: string[]) => shared.push(...s);
    second.calls.push = (...s: string[]) => shared.push(...s);
    await model.fit(x, y, { epochs: 2, batchSize: 2, validationData: [x, y], callbacks: [first, second], verbose: 0 });
    const epoch = (e: number) => [
      `epochBegin(${e})`,
      ...[0, 1, 2].flatMap((b) => [`batchBegin(${b})`, `batchEnd(${b})`]),
      `epochEnd(${e})`,
    ];
    const expected = ['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd'];
    assert.deepEqual(shared.filter((c) => !c.includes('test')), expected.flatMap((c) => [`A:${c}`, `B:${c}`]));
    assert.equal(first.model, model);
    assert.deepEqual({ ...first.params }, { epochs: 2, steps: 3, batchSize: 2, samples: 5, verbose: 0 });
    assert.ok('val_loss' in first.epochLogs[0] && 'loss' in first.epochLogs[0] && 'lr' in first.epochLogs[0]);
  });

  test('async callbacks are awaited before the loop goes on', async () => {
    const { x, y } = task(8);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const events: string[] = [];
    const slow = new (class extends gf.Callback {
      override async onEpochEnd(e: number) { await new Promise((r) => setTimeout(r, 5)); events.push(`end ${e}`); }
      override onEpochBegin(e: number) { events.push(`begin ${e}`); }
    })();
    await model.fit(x, y, { epochs: 2, batchSize: 8, callbacks: [slow], verbose: 0 });
    assert.deepEqual(events, ['begin 0', 'end 0', 'begin 1', 'end 1']);
  });

  test('evaluate calls onTestBegin, onTestBatchBegin/End per batch and onTestEnd; predict its hooks', async () => {
    const { x, y } = task(5);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const rec = new Recorder();
    await model.evaluate(x, y, { batchSize: 2, callbacks: [rec] });
    assert.deepEqual(rec.calls, ['testBegin', 'testBatchBegin(0)', 'testBatchEnd(0)', 'testBatchBegin(1)', 'testBatchEnd(1)',
      'testBatchBegin(2)', 'testBatchEnd(2)', 'testEnd']);
    const rec2 = new Recorder();
    await model.predict(x, { callbacks: [rec2] });
    assert.deepEqual(rec2.calls.filter((c) => !c.includes('Batch')), ['predictBegin', 'predictEnd']);
  });

  test('verbose prints one Keras-like line per epoch through a ProgbarLogger', async () => {
    const { x, y } = task(8);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const lines: string[] = [];
    await model.fit(x, y, { epochs: 2, batchSize: 4, validationData: [x, y], verbose: 2, callbacks: [new gf.ProgbarLogger((l) => lines.push(l))] });
    const epochLines = lines.filter((l) => /Epoch \d\/2/.test(l));
    assert.equal(epochLines.length, 2, lines.join('\n'));
    assert.match(epochLines[0], /loss: \d\.\d{4}.*accuracy: \d\.\d{4}.*val_loss: \d\.\d{4}/);
  });
});

describe('trainOnBatch / testOnBatch', () => {
  test('trainOnBatch is one optimizer step (SGD: w ← w − η·∇) and returns the pre-step loss', () => {
    const model = new gf.Sequential([new L.Dense(1, { inputShape: [2], kernelInitializer: 'zeros' })]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = gf.tensor([[1, 2], [3, -1]]);
    const y = gf.tensor([[1], [2]]);
    const logs = model.trainOnBatch(x, y);
    // initial prediction 0: loss = (1 + 4) / 2; ∇w = −(2/2)·Σ eᵢxᵢ = −[1·1 + 2·3, 1·2 + 2·(−1)] = [−7, 0]; ∇b = −3
    assertClose(logs.loss, 2.5, { atol: 1e-6 });
    assertClose(model.weights[0], [[0.7], [0]], { atol: 1e-6 });
    assertClose(model.weights[1], [0.3], { atol: 1e-6 });
    assert.equal(model.optimizer!.iterations, 1);
    const test = model.testOnBatch(x, y);
    const pred = [0.7 + 0.3, 2.1 + 0.3];
    assertClose(test.loss, ((1 - pred[0]) ** 2 + (2 - pred[1]) ** 2) / 2, { atol: 1e-6 });
    assert.equal(model.optimizer!.iterations, 1, 'testOnBatch does not train');
  });

  test('trainOnBatch reports metrics of that batch only', () => {
    const { x, y } = task(6);
    const model = mlp();
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    model.trainOnBatch(x, y);
    const one = model.trainOnBatch(rows(x, 0, 2), rows(y, 0, 2));
    const expected = model.testOnBatch(rows(x, 0, 2), rows(y, 0, 2));
    assertClose(one.accuracy, expected.accuracy, { atol: 1e-9 });
    assertClose(one.loss, expected.loss, { rtol: 1e-6 });
  });
});

describe('reproducibility and end to end', () => {
  test('gf.setSeed(s) then build + fit twice gives bit-identical weights (shuffle and dropout included)', async () => {
    const { x, y } = task(64);
    const run = async (seed: number) => {
      gf.setSeed(seed);
      const model = mlp(8, 3, [new L.Dropout(0.2)]);
      model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
      await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25, verbose: 0 });
      return values(model.getWeights());
    };
    const a = await run(42);
    assert.deepEqual(await run(42), a);
    assert.notDeepEqual(await run(43), a);
  });

  test('an MLP learns a synthetic task: the loss falls by more than 50%', async () => {
    gf.setSeed(3);
    const { x, y } = task(600, 10, 3, 8);
    const model = new gf.Sequential([
      new L.Dense(32, { inputShape: [10], activation: 'relu', kernelInitializer: 'he_normal' }),
      new L.Dense(16, { activation: 'relu', kernelInitializer: 'he_normal' }),
      new L.Dense(3, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const initial = (await model.evaluate(x, y)).loss;
    const history = await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
    const final = (await model.evaluate(x, y)).loss;
    assert.ok(final < 0.5 * initial, `loss ${initial} → ${final}`);
    const loss = history.history.loss;
    assert.ok(loss[loss.length - 1] < 0.5 * loss[0], `epoch losses ${loss[0]} → ${loss[loss.length - 1]}`);
    assert.ok(history.history.accuracy[loss.length - 1] > 0.85, `accuracy ${history.history.accuracy[loss.length - 1]}`);
  });
});
