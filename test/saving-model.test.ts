/**
 * model.save(path) / gf.loadModel(path) (issue 3, "Models"): one safetensors file with the
 * architecture, weights, compile settings and optimizer state; atomic writes; clear errors for
 * truncated, corrupt and mismatched files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/index.js';

const L = gf.layers;
const values = (ts: readonly gf.Tensor[]) => ts.map((t) => Array.from(t.data));
let dir = '';
let counter = 0;
/** A fresh empty subfolder of this file's temp folder. */
const folder = () => { const d = join(dir, `case${counter++}`); mkdirSync(d); return d; };

before(() => { dir = mkdtempSync(join(tmpdir(), 'gradflow-saving-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

function data(n = 16, seed = 2) {
  const rng = new gf.RandomGenerator(seed);
  const x = gf.tensor(Float32Array.from({ length: n * 6 }, () => rng.normal()), [n, 6]);
  const y = gf.tensor(Int32Array.from({ length: n }, (_, i) => (x.data[6 * i] > 0 ? 1 : 0) + (x.data[6 * i + 1] > 0 ? 1 : 0)), [n], 'int32');
  return { x, y };
}

function sequential() {
  return new gf.Sequential([
    new L.Dense(8, { inputShape: [6], activation: 'relu', kernelInitializer: 'he_normal', name: 'sv_hidden' }),
    new L.BatchNormalization({ name: 'sv_bn' }),
    new L.Dropout(0.2, { name: 'sv_drop' }),
    new L.Dense(3, { activation: 'softmax', name: 'sv_out' }),
  ], { name: 'sv_seq' });
}

function functional() {
  const a = gf.input([6], { name: 'fn_a' });
  const b = gf.input([2], { name: 'fn_b' });
  const h = new L.Dense(5, { activation: 'tanh', name: 'fn_h' }).apply(new L.Concatenate({ name: 'fn_cat' }).apply([a, b]));
  const cls = new L.Dense(3, { activation: 'softmax', name: 'fn_cls' }).apply(h);
  const reg = new L.Dense(1, { name: 'fn_reg' }).apply(h);
  return new gf.Model({ inputs: [a, b], outputs: [cls, reg], name: 'fn_model' });
}

const momentum = () => new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 });

describe('save / loadModel round trip', () => {
  test('Sequential: same config, weights, predictions; optimizer state continues identically', async () => {
    gf.setSeed(1);
    const { x, y } = data();
    const model = sequential();
    model.compile({ optimizer: momentum(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const path = join(folder(), 'model.safetensors');
    await model.save(path);
    const loaded = await gf.loadModel(path);
    assert.ok(loaded instanceof gf.Sequential);
    assert.deepEqual(loaded.getConfig(), model.getConfig());
    assert.equal(loaded.summary(null), model.summary(null));
    assert.deepEqual(loaded.weights.map((w) => w.name), model.weights.map((w) => w.name));
    assert.deepEqual(values(loaded.getWeights()), values(model.getWeights()));
    assert.deepEqual(Array.from((await loaded.predict(x)).data), Array.from((await model.predict(x)).data));
    // compiled: same loss and metrics, same optimizer config and step count
    assert.deepEqual(await loaded.evaluate(x, y), await model.evaluate(x, y));
    assert.ok(loaded.optimizer instanceof gf.optimizers.SGD);
    assert.deepEqual(loaded.optimizer.getConfig(), model.optimizer!.getConfig());
    assert.equal(loaded.optimizer.iterations, model.optimizer!.iterations);
    // one more step on each: identical only if the momentum buffers were restored
    gf.setSeed(9);
    model.trainOnBatch(x, y);
    gf.setSeed(9);
    loaded.trainOnBatch(x, y);
    assert.deepEqual(values(loaded.getWeights()), values(model.getWeights()));
    // and the restored state is not shared with the original
    assert.notEqual(loaded.weights[0], model.weights[0]);
  });

  test('a fresh optimizer would have diverged (the state check above can fail)', async () => {
    gf.setSeed(1);
    const { x, y } = data();
    const model = sequential();
    model.compile({ optimizer: momentum(), loss: 'sparse_categorical_crossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const copy = gf.cloneModel(model);
    copy.setWeights(model.getWeights());
    copy.compile({ optimizer: momentum(), loss: 'sparse_categorical_crossentropy' });
    gf.setSeed(9); model.trainOnBatch(x, y);
    gf.setSeed(9); copy.trainOnBatch(x, y);
    assert.notDeepEqual(values(copy.getWeights()), values(model.getWeights()));
  });

  test('functional multi-input / multi-output model with loss and lossWeights maps', async () => {
    gf.setSeed(2);
    const { x, y } = data(12);
    const xb = gf.randomNormal([12, 2]);
    const yReg = gf.randomNormal([12, 1]);
    const model = functional();
    model.compile({
      optimizer: momentum(), loss: { fn_cls: 'sparse_categorical_crossentropy', fn_reg: 'mse' },
      lossWeights: { fn_cls: 1, fn_reg: 0.25 }, metrics: { fn_cls: ['accuracy'] },
    });
    await model.fit([x, xb], [y, yReg], { epochs: 2, batchSize: 4, verbose: 0 });
    const path = join(folder(), 'fn.safetensors');
    await model.save(path);
    const loaded = await gf.loadModel(path);
    assert.deepEqual(loaded.inputNames, ['fn_a', 'fn_b']);
    assert.deepEqual(loaded.outputNames, ['fn_cls', 'fn_reg']);
    const [p, q] = [await loaded.predictAll([x, xb]), await model.predictAll([x, xb])];
    assert.deepEqual(values(p), values(q));
    const logs = loaded.testOnBatch([x, xb], [y, yReg]);
    assert.deepEqual(logs, model.testOnBatch([x, xb], [y, yReg]));
    assert.ok(Math.abs(logs.loss - (logs.fn_cls_loss + 0.25 * logs.fn_reg_loss)) < 1e-5, 'lossWeights restored');
    model.trainOnBatch([x, xb], [y, yReg]);
    loaded.trainOnBatch([x, xb], [y, yReg]);
    assert.deepEqual(values(loaded.getWeights()), values(model.getWeights()));
  });

  test('nested models (an autoencoder) and a frozen part round-trip', async () => {
    const encoder = new gf.Sequential([new L.Dense(3, { inputShape: [6], activation: 'relu', name: 'ae_enc' })], { name: 'ae_encoder' });
    const decoder = new gf.Sequential([new L.Dense(6, { inputShape: [3], name: 'ae_dec' })], { name: 'ae_decoder' });
    const inp = gf.input([6], { name: 'ae_in' });
    const ae = new gf.Model({ inputs: inp, outputs: decoder.apply(encoder.apply(inp)), name: 'ae' });
    encoder.trainable = false;
    const { x } = data();
    ae.compile({ optimizer: momentum(), loss: 'mse' });
    ae.trainOnBatch(x, x);
    const path = join(folder(), 'ae.safetensors');
    await ae.save(path);
    const loaded = await gf.loadModel(path);
    assert.deepEqual(Array.from((await loaded.predict(x)).data), Array.from((await ae.predict(x)).data));
    assert.equal(loaded.getLayer('ae_encoder').trainable, false, 'the frozen flag is saved');
    assert.deepEqual(loaded.trainableWeights.map((w) => w.name), ae.trainableWeights.map((w) => w.name));
    ae.trainOnBatch(x, x);
    loaded.trainOnBatch(x, x);
    assert.deepEqual(values(loaded.getWeights()), values(ae.getWeights()));
  });

  test('an uncompiled model loads uncompiled', async () => {
    const model = sequential();
    const path = join(folder(), 'plain.safetensors');
    await model.save(path);
    const loaded = await gf.loadModel(path);
    assert.equal(loaded.optimizer, null);
    const { x } = data(4);
    assert.deepEqual(Array.from((await loaded.predict(x)).data), Array.from((await model.predict(x)).data));
    await assert.rejects(loaded.evaluate(x, gf.zeros([4], 'int32')), /compile/);
  });

  test('a Sequential built by its first batch (no inputShape) round-trips', async () => {
    // Keras records the build input shape in the config; without it the loaded model has no weights
    const model = new gf.Sequential([new L.Dense(4, { name: 'lz_1' }), new L.Dense(2, { name: 'lz_2' })]);
    const { x } = data(3);
    await model.predict(x);
    const path = join(folder(), 'lazy.safetensors');
    await model.save(path);
    const loaded = await gf.loadModel(path);
    assert.deepEqual(values(loaded.getWeights()), values(model.getWeights()));
    assert.deepEqual(Array.from((await loaded.predict(x)).data), Array.from((await model.predict(x)).data));
  });

  test('a float64 model keeps its dtype', async () => {
    const model = new gf.Sequential([new L.Dense(3, { inputShape: [2], dtype: 'float64', name: 'f64_dense' })]);
    const path = join(folder(), 'f64.safetensors');
    await model.save(path);
    const loaded = await gf.loadModel(path);
    assert.deepEqual(loaded.weights.map((w) => w.dtype), ['float64', 'float64']);
    assert.deepEqual(values(loaded.getWeights()), values(model.getWeights()));
  });
});

describe('the file format', () => {
  test('the file is a valid safetensors file: header length, JSON header, offsets, metadata', async () => {
    const model = sequential();
    model.compile({ optimizer: momentum(), loss: 'sparse_categorical_crossentropy' });
    const { x, y } = data(4);
    model.trainOnBatch(x, y);
    const path = join(folder(), 'm.safetensors');
    await model.save(path);
    const bytes = new Uint8Array(readFileSync(path));
    // by hand, per the safetensors spec
    const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    const dataLength = bytes.length - 8 - headerLength;
    const entries = Object.entries(header).filter(([k]) => k !== '__metadata__') as Array<[string, { dtype: string; shape: number[]; data_offsets: [number, number] }]>;
    const spans = entries.map(([, e]) => e.data_offsets).sort((p, q) => p[0] - q[0]);
    assert.equal(spans[0][0], 0);
    for (let i = 1; i < spans.length; i++) assert.equal(spans[i][0], spans[i - 1][1], 'contiguous tensor data');
    assert.equal(spans[spans.length - 1][1], dataLength, 'the data ends with the file');
    for (const [name, e] of entries) {
      assert.equal(e.data_offsets[1] - e.data_offsets[0], e.shape.reduce((p, d) => p * d, 1) * 4, `${name}: F32 byte count`);
      assert.equal(e.dtype, 'F32');
    }
    // through the library
    const { tensors, metadata } = gf.decodeSafetensors(bytes);
    assert.equal(metadata.format, 'gradflow-model');
    for (const k of ['model', 'weights', 'optimizer', 'compile']) assert.doesNotThrow(() => JSON.parse(metadata[k]), `metadata '${k}' is JSON`);
    assert.equal(JSON.parse(metadata.model).className, 'Sequential');
    for (const w of model.weights) {
      const t = tensors.get(w.name!);
      assert.ok(t, `tensor '${w.name}' in the file`);
      assert.deepEqual(t.shape, w.shape);
      assert.deepEqual(Array.from(t.data), Array.from(w.data));
    }
    const slots = [...tensors.keys()].filter((k) => k.startsWith('optimizer/'));
    assert.equal(slots.length, model.trainableWeights.length, 'one momentum buffer per trainable weight');
  });

  test('save writes nothing else; saving again replaces the file', async () => {
    const d = folder();
    const path = join(d, 'model.safetensors');
    const model = sequential();
    await model.save(path);
    const first = readFileSync(path);
    model.setWeights(model.getWeights().map((t) => gf.add(t, 1)));
    await model.save(path);
    assert.deepEqual(readdirSync(d), ['model.safetensors'], 'no temp files left');
    assert.notDeepEqual(readFileSync(path), first);
    const loaded = await gf.loadModel(path);
    assert.deepEqual(values(loaded.getWeights()), values(model.getWeights()));
  });

  test('save creates missing parent folders', async () => {
    const path = join(folder(), 'a', 'b', 'model.safetensors');
    await sequential().save(path);
    assert.ok(existsSync(path));
  });
});

describe('bad files give clear errors', () => {
  let good: Uint8Array;
  let model: gf.Sequential;
  before(async () => {
    model = sequential();
    model.compile({ optimizer: momentum(), loss: 'sparse_categorical_crossentropy' });
    const { x, y } = data(4);
    model.trainOnBatch(x, y);
    good = gf.modelToBytes(model);
  });
  const write = (bytes: Uint8Array) => { const p = join(folder(), 'bad.safetensors'); writeFileSync(p, bytes); return p; };

  test('a missing file', async () => {
    await assert.rejects(gf.loadModel(join(dir, 'nope.safetensors')), /cannot read.*nope\.safetensors/);
  });

  test('a truncated file (cut in the data, in the header, before the header length)', async () => {
    await assert.rejects(gf.loadModel(write(good.subarray(0, good.length - 7))), /truncated/);
    const headerLength = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    await assert.rejects(gf.loadModel(write(good.subarray(0, 8 + Math.floor(headerLength / 2)))), /corrupt or truncated/);
    await assert.rejects(gf.loadModel(write(good.subarray(0, 5))), /too short/);
    await assert.rejects(gf.loadModel(write(new Uint8Array(0))), /too short/);
  });

  test('a corrupt header: not JSON, absurd length, bad tensor entry', async () => {
    const notJson = Uint8Array.from(good);
    notJson[8] = 'x'.charCodeAt(0);
    await assert.rejects(gf.loadModel(write(notJson)), /corrupt header/);
    const huge = Uint8Array.from(good);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    await assert.rejects(gf.loadModel(write(huge)), /corrupt or truncated/);
    const { tensors, metadata } = gf.decodeSafetensors(good);
    const reencoded = gf.encodeSafetensors(tensors, metadata);
    const text = new TextDecoder().decode(reencoded);
    const bad = new TextEncoder().encode(text.replace('"dtype":"F32"', '"dtype":"Q99"'));
    await assert.rejects(gf.loadModel(write(bad)), /unsupported dtype "Q99"/);
  });

  test('a safetensors file that is not a gradflow model', async () => {
    const other = gf.encodeSafetensors(new Map([['w', gf.ones([2])]]), { format: 'pt' });
    await assert.rejects(gf.loadModel(write(other)), /not a gradflow model file.*"pt"/);
    await assert.rejects(gf.loadModel(write(gf.encodeSafetensors(new Map()))), /not a gradflow model file/);
  });

  test('weights whose shapes do not match the architecture', async () => {
    const { tensors, metadata } = gf.decodeSafetensors(good);
    const config = JSON.parse(metadata.model);
    const hidden = config.config.layers.find((l: { config: { name: string } }) => l.config.name === 'sv_hidden');
    hidden.config.units = 9;
    const bytes = gf.encodeSafetensors(tensors, { ...metadata, model: JSON.stringify(config) });
    await assert.rejects(gf.loadModel(write(bytes)), (e: Error) =>
      /sv_hidden\/kernel/.test(e.message) && /\[6, 8\]/.test(e.message) && /\[6, 9\]/.test(e.message));
  });

  test('a missing weight, and a weight count that does not match', async () => {
    const { tensors, metadata } = gf.decodeSafetensors(good);
    const without = new Map(tensors);
    without.delete('sv_out/bias');
    await assert.rejects(gf.loadModel(write(gf.encodeSafetensors(without, metadata))), /'sv_out\/bias' is missing/);
    const keys = JSON.parse(metadata.weights) as string[];
    const fewer = { ...metadata, weights: JSON.stringify(keys.slice(1)) };
    await assert.rejects(gf.loadModel(write(gf.encodeSafetensors(tensors, fewer))), /7 weights.*builds 8/);
  });

  test('corrupt architecture JSON and unknown layer classes', async () => {
    const { tensors, metadata } = gf.decodeSafetensors(good);
    await assert.rejects(gf.loadModel(write(gf.encodeSafetensors(tensors, { ...metadata, model: '{oops' }))), /corrupt 'model'/);
    const unknown = metadata.model.replace('"className":"Dropout"', '"className":"NoSuchLayer"');
    await assert.rejects(gf.loadModel(write(gf.encodeSafetensors(tensors, { ...metadata, model: unknown }))), /unknown class 'NoSuchLayer'/);
  });
});

describe('saving is atomic', () => {
  const tempFiles = (d: string) => readdirSync(d).filter((f) => f.includes('.tmp') || f.startsWith('.'));

  test('a path under a regular file fails and leaves nothing behind', async () => {
    const d = folder();
    writeFileSync(join(d, 'file'), 'not a folder');
    await assert.rejects(sequential().save(join(d, 'file', 'model.safetensors')));
    assert.deepEqual(readdirSync(d), ['file']);
    assert.equal(readFileSync(join(d, 'file'), 'utf8'), 'not a folder');
  });

  test('a failed save keeps the old model file unchanged and leaves no temp file', async () => {
    const d = folder();
    const path = join(d, 'model.safetensors');
    const original = sequential();
    await original.save(path);
    const before = readFileSync(path);
    // a model that cannot be serialized (subclassed, no config): the save must fail before touching the file
    class Custom extends gf.Model {
      static override className = 'CustomUnsavedModelSavingTest';
      readonly inner = new L.Dense(2);
      override call(x: gf.Tensor) { return this.inner.apply(x); }
    }
    await assert.rejects(new Custom().save(path), /config/);
    assert.deepEqual(readFileSync(path), before);
    assert.deepEqual(tempFiles(d), []);
    // a target that is a folder: the rename fails; the folder and its content stay, no temp file
    const target = join(d, 'is_a_folder');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'keep');
    await assert.rejects(original.save(target));
    assert.deepEqual(readdirSync(target), ['keep.txt']);
    assert.deepEqual(tempFiles(d), []);
    assert.deepEqual(readFileSync(path), before);
    const loaded = await gf.loadModel(path);
    assert.deepEqual(values(loaded.getWeights()), values(original.getWeights()));
  });

  test('save rejects an empty or non-string path', async () => {
    await assert.rejects(sequential().save(''), /file path/);
    await assert.rejects(sequential().save(undefined as unknown as string), /file path/);
  });
});
