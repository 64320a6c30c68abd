/**
 * Callbacks that write files: ModelCheckpoint (saveBestOnly, templates, weights-only files,
 * atomic writes), CSVLogger (Keras' column order and Python number formatting), and the
 * Python-format helpers they use. Everything is written under a fresh temp directory.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/index.js';
import { formatNumber, formatTemplate, pyRepr } from '../src/callbacks/python-format.js';

const cb = gf.callbacks;
let dir = '';
before(async () => { dir = await mkdtemp(join(tmpdir(), 'gradflow-callbacks-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

function tinyModel(): gf.Sequential {
  const model = new gf.Sequential([new gf.layers.Dense(4, { inputShape: [3], activation: 'tanh' }), new gf.layers.Dense(1)]);
  model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  return model;
}

function tinyData(n = 16): { x: gf.Tensor; y: gf.Tensor } {
  const x = gf.randomNormal([n, 3]);
  return { x, y: gf.sum(x, 1, true) };
}

const bytes = (t: gf.Tensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
function assertSameWeights(a: gf.Tensor[], b: gf.Tensor[]): void {
  assert.equal(a.length, b.length);
  a.forEach((t, i) => assert.ok(bytes(t).equals(bytes(b[i])), `weight ${i} differs`));
}

/** A callback that sets logs.val_loss from `seq` (and records the weights) before the others run. */
function injectValLoss(model: gf.Model, seq: number[], snapshots: gf.Tensor[][] = []): gf.callbacks.LambdaCallback {
  return new cb.LambdaCallback({ onEpochEnd: (epoch, logs) => { logs.val_loss = seq[epoch]; snapshots.push(model.getWeights()); } });
}

describe('ModelCheckpoint', () => {
  test('saveBestOnly writes only on improvement; {epoch:02d} and {val_loss:.4f} in the name', async () => {
    gf.setSeed(11);
    const model = tinyModel();
    const { x, y } = tinyData();
    const sub = join(dir, 'best-only');
    const ckpt = new cb.ModelCheckpoint(join(sub, 'm-{epoch:02d}-{val_loss:.4f}.safetensors'), { saveBestOnly: true });
    await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0, callbacks: [injectValLoss(model, [1, 0.8, 0.9, 0.7, 0.7]), ckpt] });
    const expected = ['m-01-1.0000.safetensors', 'm-02-0.8000.safetensors', 'm-04-0.7000.safetensors'];
    assert.deepEqual((await readdir(sub)).sort(), expected); // no temp files left behind either
    assert.deepEqual(ckpt.saved, expected.map((f) => join(sub, f)));
    assert.equal(ckpt.best, 0.7);
  });

  test('one fixed path: the file changes only at improving epochs and holds that epoch’s model', async () => {
    gf.setSeed(12);
    const model = tinyModel();
    const { x, y } = tinyData();
    const path = join(dir, 'fixed', 'best.safetensors');
    const snapshots: gf.Tensor[][] = [];
    const contents: Buffer[] = [];
    await model.fit(x, y, {
      epochs: 5, batchSize: 8, verbose: 0,
      callbacks: [injectValLoss(model, [1, 0.8, 0.9, 0.7, 0.75], snapshots), new cb.ModelCheckpoint(path, { saveBestOnly: true }),
        new cb.LambdaCallback({ onEpochEnd: async () => { contents.push(await readFile(path)); } })],
    });
    const changed = contents.map((c, i) => i === 0 || !c.equals(contents[i - 1]));
    assert.deepEqual(changed, [true, true, false, true, false]);
    const loaded = await gf.loadModel(path);
    assertSameWeights(loaded.getWeights(), snapshots[3]);
    assert.equal(loaded.optimizer?.iterations, 8); // saved after epoch 4's two batches each
  });

  test('without saveBestOnly every epoch is saved; {epoch} without a spec is the plain number', async () => {
    gf.setSeed(13);
    const model = tinyModel();
    const { x, y } = tinyData();
    const sub = join(dir, 'every');
    const ckpt = new cb.ModelCheckpoint(join(sub, 'e{epoch}.safetensors'));
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [ckpt] });
    assert.deepEqual((await readdir(sub)).sort(), ['e1.safetensors', 'e2.safetensors', 'e3.safetensors']);
  });

  test("mode 'max' on accuracy-like keys; a missing monitor warns once and saves (Keras 3)", async (t) => {
    const model = { stopTraining: false, save: async (p: string) => { saved.push(p); } };
    const saved: string[] = [];
    const ckpt = new cb.ModelCheckpoint('acc-{epoch}', { monitor: 'val_accuracy', saveBestOnly: true });
    ckpt.setModel(model);
    for (const [e, acc] of [0.5, 0.4, 0.6, 0.6].entries()) await ckpt.onEpochEnd(e, { val_accuracy: acc });
    assert.deepEqual(saved, ['acc-1', 'acc-3']);
    const warn = t.mock.method(console, 'warn', () => {});
    await ckpt.onEpochEnd(4, { loss: 1 });
    await ckpt.onEpochEnd(5, { loss: 1 });
    assert.deepEqual(saved, ['acc-1', 'acc-3', 'acc-5', 'acc-6']);
    assert.equal(warn.mock.callCount(), 1);
  });

  test('initialValueThreshold is the first best; saveFreq N saves every N batches with {batch}', async () => {
    const saved: string[] = [];
    const model = { stopTraining: false, save: async (p: string) => { saved.push(p); } };
    const ckpt = new cb.ModelCheckpoint('t', { saveBestOnly: true, initialValueThreshold: 0.5 });
    ckpt.setModel(model);
    await ckpt.onEpochEnd(0, { val_loss: 0.6 });
    await ckpt.onEpochEnd(1, { val_loss: 0.4 });
    assert.deepEqual(saved, ['t']);
    saved.length = 0;
    const byBatch = new cb.ModelCheckpoint('b{epoch}-{batch}', { saveFreq: 2 });
    byBatch.setModel(model);
    for (const epoch of [0, 1]) {
      byBatch.onEpochBegin(epoch);
      for (let b = 0; b < 3; b++) await byBatch.onTrainBatchEnd(b, { loss: 1 });
      await byBatch.onEpochEnd(epoch, { loss: 1 });
    }
    assert.deepEqual(saved, ['b1-2', 'b2-1', 'b2-3']);
  });

  test('saveWeightsOnly writes a weights file that loadWeights reads into a fresh model bit for bit', async () => {
    gf.setSeed(14);
    const model = tinyModel();
    const { x, y } = tinyData();
    const path = join(dir, 'weights', 'w-{epoch:03d}.safetensors');
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [new cb.ModelCheckpoint(path, { saveWeightsOnly: true })] });
    const fresh = tinyModel(); // same architecture, other layer names
    assert.notEqual(fresh.layers[0].name, model.layers[0].name);
    await fresh.loadWeights(join(dir, 'weights', 'w-002.safetensors'));
    assertSameWeights(fresh.getWeights(), model.getWeights());
    await assert.rejects(gf.loadModel(join(dir, 'weights', 'w-002.safetensors')), /not a gradflow model file/);
    const other = new gf.Sequential([new gf.layers.Dense(5, { inputShape: [3] }), new gf.layers.Dense(1)]);
    await assert.rejects(other.loadWeights(join(dir, 'weights', 'w-002.safetensors')), /weight 0 .* float32 \[3, 4\].* \[3, 5\]/);
  });

  test('a template key missing from the logs is an error naming it; bad arguments are rejected', async () => {
    const ckpt = new cb.ModelCheckpoint('m-{val_acc:.2f}');
    ckpt.setModel({ stopTraining: false, save: async () => {} });
    await assert.rejects(ckpt.onEpochEnd(0, { loss: 1 }), /uses \{val_acc\}, which is not in the logs; available: loss, epoch/);
    assert.throws(() => new cb.ModelCheckpoint(''), /filepath/);
    assert.throws(() => new cb.ModelCheckpoint('x', { saveFreq: 0 }), /saveFreq/);
  });
});

describe('Python formatting for paths and CSV', () => {
  test('format specs as Python str.format', () => {
    const cases: Array<[number, string, string]> = [
      [3, '02d', '03'], [12, '02d', '12'], [0.123456, '.4f', '0.1235'], [1.5, '.0f', '2'], [0.000123456, '.2e', '1.23e-04'],
      [123456, '.3g', '1.23e+05'], [0.0001234, '.3g', '0.000123'], [2.5, 'g', '2.5'], [0.256, '.1%', '25.6%'],
      [-1.5, '08.3f', '-001.500'], [7, '5d', '    7'], [1.25, '+.2f', '+1.25'], [NaN, '.4f', 'nan'],
    ];
    for (const [v, spec, want] of cases) assert.equal(formatNumber(v, spec, 'v'), want, `${v}:${spec}`);
    assert.equal(formatTemplate('{{epoch}}-{epoch}-{loss}', { epoch: 3, loss: 0.5 }, 't'), '{epoch}-3-0.5');
    assert.throws(() => formatNumber(1.5, '02d', 'x'), /'d' needs an integer/);
    assert.throws(() => formatNumber(1, '>10', 'x'), /unsupported format spec/);
  });

  test("pyRepr is Python's repr(float)", () => {
    const cases: Array<[number, string]> = [
      [0.1, '0.1'], [1, '1.0'], [-2, '-2.0'], [0, '0.0'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1.5e-7, '1.5e-07'],
      [12345.678, '12345.678'], [1e16, '1e+16'], [1234567890123456, '1234567890123456.0'], [1.2345678901234568e17, '1.2345678901234568e+17'],
      [0.6931471805599453, '0.6931471805599453'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
    ];
    for (const [v, want] of cases) assert.equal(pyRepr(v), want, String(v));
  });
});

describe('CSVLogger', () => {
  test('epoch (0-based) then the sorted log keys; values as Python writes them; \\r\\n rows', async () => {
    gf.setSeed(15);
    const model = tinyModel();
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const { x, y } = tinyData();
    const path = join(dir, 'csv', 'log.csv');
    const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationData: [x, y], callbacks: [new cb.CSVLogger(path)] });
    const text = await readFile(path, 'utf8');
    const h = history.history;
    const keys = Object.keys(h).sort();
    assert.deepEqual(keys, ['loss', 'lr', 'mean_absolute_error', 'val_loss', 'val_mean_absolute_error']);
    const row = (e: number) => [String(e), ...keys.map((k) => pyRepr(h[k][e]))].join(',');
    assert.equal(text, `epoch,${keys.join(',')}\r\n${row(0)}\r\n${row(1)}\r\n`);
    assert.match(text, /,0\.05,/);
  });

  test('append keeps old rows and writes the header only into an empty file; separator', async () => {
    const path = join(dir, 'csv', 'append.csv');
    await writeFile(path, '');
    const logger = new cb.CSVLogger(path, ';', true);
    for (const run of [0, 1]) {
      await logger.onTrainBegin();
      await logger.onEpochEnd(0, { loss: run + 0.5, acc: 1e-5 });
      await logger.onEpochEnd(1, { acc: 0.25 }); // loss missing → NA
      await logger.onTrainEnd();
    }
    assert.equal(await readFile(path, 'utf8'), 'epoch;acc;loss\r\n0;1e-05;0.5\r\n1;0.25;NA\r\n0;1e-05;1.5\r\n1;0.25;NA\r\n');
    const fresh = new cb.CSVLogger(path); // append = false: overwrite
    await fresh.onTrainBegin();
    await fresh.onEpochEnd(0, { loss: 1 });
    await fresh.onTrainEnd();
    assert.equal(await readFile(path, 'utf8'), 'epoch,loss\r\n0,1.0\r\n');
    assert.throws(() => new cb.CSVLogger(path, ';;'), /separator/);
  });
});
