/**
 * The real Fashion-MNIST against the exact numbers of reference/chapter-experiments.md ("Data"):
 * shapes, first labels, label sums of the 55,000 / 5,000 / 10,000 split, the transfer-learning
 * task split, and the smallest per-pixel std of the standardized inputs.
 *
 * Data: found the way users find it (GRADFLOW_DATA, the cache, Debian's dataset-fashion-mnist,
 * which CI installs), never downloaded. Skipped only when no copy exists, with the reason.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const ds = gf.datasets;
const sum = (t: gf.Tensor): number => { let s = 0; for (let i = 0; i < t.size; i++) s += t.data[i]; return s; };

const options: gf.datasets.LoadOptions = { download: false };
let skip: string | false = false;
try {
  await ds.resolveSource(ds.fashionMnist.spec, options);
} catch (e) {
  if (!(e instanceof ds.DatasetNotFoundError)) throw e;
  skip = 'Fashion-MNIST files absent (install them: apt-get install -y dataset-fashion-mnist, or set GRADFLOW_DATA); ' +
    `tried: ${e.tried.join(' | ')}`;
}

describe('Fashion-MNIST, the real files', { skip }, () => {
  let data: gf.datasets.Dataset;
  let split: ReturnType<typeof ds.trainValidSplit>;
  before(async () => {
    data = await ds.fashionMnist.loadData(options);
    split = ds.trainValidSplit(data.train.x, data.train.y);
  });

  test('shapes, dtypes and pixel range as keras.datasets.fashion_mnist (uint8 values as float32)', () => {
    assert.deepEqual(data.train.x.shape, [60000, 28, 28]);
    assert.deepEqual(data.train.y.shape, [60000]);
    assert.deepEqual(data.test.x.shape, [10000, 28, 28]);
    assert.deepEqual(data.test.y.shape, [10000]);
    assert.equal(data.train.x.dtype, 'float32');
    assert.equal(data.train.y.dtype, 'int32');
    let max = 0;
    for (const v of data.test.x.data) { assert.ok(Number.isInteger(v) && v >= 0); if (v > max) max = v; }
    assert.equal(max, 255);
    assert.deepEqual(data.classNames, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  });

  test('first labels: train 9,0,0,3,0,2,7,2,5,5; test 9,2,1,1,6,1,4,6,5,7', () => {
    assert.deepEqual(Array.from(data.train.y.data.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    assert.deepEqual(Array.from(data.test.y.data.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
  });

  test('split 55,000 / 5,000 (last) / 10,000: label sums 247,606 / 22,394 / 45,000', () => {
    assert.deepEqual(split.train.x.shape, [55000, 28, 28]);
    assert.deepEqual(split.valid.x.shape, [5000, 28, 28]);
    assert.equal(sum(split.train.y), 247606);
    assert.equal(sum(split.valid.y), 22394);
    assert.equal(sum(data.test.y), 45000);
  });

  test('standardized inputs (per pixel, train split / 255, no epsilon): min std 3.77e-4', () => {
    const xTrain = ds.scalePixels(split.train.x);
    const { std, mean, others } = ds.standardize(xTrain, ds.scalePixels(split.valid.x));
    assert.deepEqual(std.shape, [28, 28]);
    let min = Infinity;
    for (const s of std.data) min = Math.min(min, s);
    assert.ok(Math.abs(min - 3.77e-4) < 5e-7, `min std ${min}`);
    assert.ok(mean.data.every((m) => m >= 0 && m <= 1));
    assert.deepEqual(others[0].shape, [5000, 28, 28]);
  });

  test('transfer split: A 44,011 / 3,989 / 8,000; B 200 (89 positive) / 1,011 / 2,000', () => {
    const train = ds.splitTaskAB(split.train.x, split.train.y, { maxB: 200 });
    const valid = ds.splitTaskAB(split.valid.x, split.valid.y);
    const test = ds.splitTaskAB(data.test.x, data.test.y);
    assert.equal(train.a.y.size, 44011);
    assert.equal(Math.ceil(train.a.y.size / 32), 1376, 'steps per epoch at batch 32');
    assert.equal(valid.a.y.size, 3989);
    assert.equal(test.a.y.size, 8000);
    assert.deepEqual(train.b.x.shape, [200, 28, 28]);
    assert.equal(sum(train.b.y), 89);
    assert.equal(valid.b.y.size, 1011);
    assert.equal(test.b.y.size, 2000);
    let maxA = 0;
    for (const v of train.a.y.data) maxA = Math.max(maxA, v);
    assert.equal(maxA, 7);
  });

  test('loadBytes: the same data as uint8', async () => {
    const raw = await ds.fashionMnist.loadBytes(options);
    assert.ok(raw.train.x instanceof Uint8Array);
    assert.equal(raw.train.x.length, 60000 * 784);
    assert.equal(raw.source.dir, data.source.dir);
    for (const i of [0, 12345, 47039999]) assert.equal(raw.train.x[i], data.train.x.data[i]);
  });
});
