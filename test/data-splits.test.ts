/**
 * The chapter's split helpers on small hand-made tensors: the validation split takes the LAST
 * samples, pixels scale by 1/255, standardization uses the training split's per-feature mean and
 * population std (no epsilon), and the transfer split follows the notebook's split_dataset.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const ds = gf.datasets;
const arr = (t: gf.Tensor) => Array.from(t.data);

describe('trainValidSplit', () => {
  const x = gf.tensor(Array.from({ length: 12 }, (_, i) => i), [6, 2]);
  const y = gf.tensor(Int32Array.from([0, 1, 2, 3, 4, 5]));

  test('validation = the last validSize samples, in order; inputs untouched', () => {
    const { train, valid } = ds.trainValidSplit(x, y, { validSize: 2 });
    assert.deepEqual(train.x.shape, [4, 2]);
    assert.deepEqual(arr(train.y), [0, 1, 2, 3]);
    assert.deepEqual(arr(valid.x), [8, 9, 10, 11]);
    assert.deepEqual(arr(valid.y), [4, 5]);
    assert.equal(valid.y.dtype, 'int32');
    assert.equal(x.size, 12);
  });

  test('bad sizes and mismatched counts are errors that name the argument', () => {
    assert.throws(() => ds.trainValidSplit(x, y), /validSize must be an integer in 1 … 5 \(there are 6 samples\), got 5000/);
    assert.throws(() => ds.trainValidSplit(x, y, { validSize: 1.5 }), /validSize/);
    assert.throws(() => ds.trainValidSplit(x, gf.tensor([1, 2])), /same number of samples, got x \[6, 2\] and y \[2\]/);
  });
});

describe('scalePixels', () => {
  test('divides by 255: float32 (also from int32), float64 stays float64; equal to gf.div', () => {
    const x = gf.tensor([0, 51, 255, 128], [2, 2]);
    const s = ds.scalePixels(x);
    assert.equal(s.dtype, 'float32');
    assert.deepEqual(arr(s), arr(gf.div(x, 255)));
    assert.deepEqual(arr(s).slice(0, 3), [0, Math.fround(0.2), 1]);
    assert.equal(ds.scalePixels(gf.tensor(Int32Array.from([255]))).dtype, 'float32');
    const d = ds.scalePixels(gf.tensor([51], undefined, 'float64'));
    assert.equal(d.dtype, 'float64');
    assert.equal(d.data[0], 0.2);
  });
});

describe('standardize', () => {
  // 4 samples × 2 features: feature 0 = [0, 1, 2, 3] (mean 1.5, population std √1.25), feature 1 = [10, 10, 10, 14] (mean 11, std √3).
  const xTrain = gf.tensor([0, 10, 1, 10, 2, 10, 3, 14], [4, 2], 'float64');

  test('per-feature mean and population std of the training split, applied to every split', () => {
    const xValid = gf.tensor([1.5, 11, 4, 8], [2, 2], 'float64');
    const { train, others, mean, std } = ds.standardize(xTrain, xValid);
    assert.deepEqual(arr(mean), [1.5, 11]);
    assert.ok(Math.abs(std.data[0] - Math.sqrt(1.25)) < 1e-15 && Math.abs(std.data[1] - Math.sqrt(3)) < 1e-15);
    assert.deepEqual(std.shape, [2]);
    assert.ok(Math.abs(train.data[0] + 1.5 / Math.sqrt(1.25)) < 1e-12);
    assert.deepEqual(others.length, 1);
    assert.ok(Math.abs(others[0].data[0]) < 1e-15 && Math.abs(others[0].data[1]) < 1e-15);
    assert.ok(Math.abs(others[0].data[3] + 3 / Math.sqrt(3)) < 1e-12);
    // the standardized training split has mean 0 and population std 1 per feature
    const m = gf.mean(train, 0), v = gf.mean(gf.square(train), 0);
    for (let j = 0; j < 2; j++) { assert.ok(Math.abs(m.data[j]) < 1e-12); assert.ok(Math.abs(v.data[j] - 1) < 1e-12); }
  });

  test('feature shape is kept ([n, h, w] images → [h, w] statistics); float32 in, float32 out', () => {
    const x = gf.tensor(Array.from({ length: 3 * 4 }, (_, i) => (i * 7) % 5), [3, 2, 2]);
    const { train, mean, std } = ds.standardize(x);
    assert.deepEqual(mean.shape, [2, 2]);
    assert.equal(std.dtype, 'float32');
    assert.deepEqual(train.shape, [3, 2, 2]);
  });

  test('a constant feature is an error (no silent NaN) unless { epsilon } is given', () => {
    const constant = gf.tensor([1, 5, 2, 5], [2, 2]);
    assert.throws(() => ds.standardize(constant), /feature 1 is constant in the training split \(std 0\).*\{ epsilon \}/);
    const { std, train } = ds.standardize(constant, { epsilon: 1e-3 });
    assert.ok(Math.abs(std.data[1] - 1e-3) < 1e-9);
    assert.equal(train.data[1], 0);
    // { constantFeatures: 'center' }: std 1 for the constant feature (centered only), others untouched
    const centered = ds.standardize(constant, gf.tensor([3, 7], [1, 2]), { constantFeatures: 'center' });
    assert.deepEqual(Array.from(centered.std.data), [0.5, 1]);
    assert.deepEqual(Array.from(centered.train.data), [-1, 0, 1, 0]);
    assert.deepEqual(Array.from(centered.others[0].data), [3, 2]);
    assert.throws(() => ds.standardize(constant, { constantFeatures: 'drop' as never }), /constantFeatures must be 'error' or 'center', got "drop"/);
    assert.throws(() => ds.standardize(xTrain, gf.tensor([1, 2, 3], [1, 3])), /argument 2 must have shape \[n, 2\] like xTrain, got \[1, 3\]/);
    assert.throws(() => ds.standardize(gf.tensor(Int32Array.from([1, 2]))), /scalePixels first/);
  });
});

describe('splitTaskAB', () => {
  // labels 0 … 9 twice; x rows carry their index so the selected rows are visible
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
  const x = gf.tensor(Array.from({ length: 40 }, (_, i) => Math.floor(i / 2)), [20, 2]);
  const y = gf.tensor(Int32Array.from(labels));

  test('B = T-shirt/top (0) vs Pullover (2, positive) as float32; A = the rest remapped [1,3,4,5,6,7,8,9] → 0 … 7', () => {
    const { a, b } = ds.splitTaskAB(x, y);
    assert.deepEqual(arr(b.y), [0, 1, 1, 0]);
    assert.equal(b.y.dtype, 'float32');
    assert.deepEqual(arr(b.x).filter((_, i) => i % 2 === 0), [0, 2, 17, 19]);
    assert.equal(a.y.dtype, 'int32');
    assert.deepEqual(arr(a.y), [0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0]);
    assert.deepEqual(arr(a.x).filter((_, i) => i % 2 === 0), [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18]);
    assert.deepEqual(a.x.shape, [16, 2]);
  });

  test('maxB keeps the first B samples in file order; y of shape [n, 1] works; bad labels are errors', () => {
    const { a, b } = ds.splitTaskAB(x, gf.reshape(y, [20, 1]), { maxB: 3 });
    assert.deepEqual(arr(b.y), [0, 1, 1]);
    assert.equal(a.y.size, 16);
    assert.throws(() => ds.splitTaskAB(gf.zeros([2, 1]), gf.tensor(Int32Array.from([1, 12]))), /label 12 at index 1 is not a class id 0 … 9/);
    assert.equal(ds.FASHION_MNIST_CLASS_NAMES[ds.TASK_B.positive], 'Pullover');
    assert.equal(ds.FASHION_MNIST_CLASS_NAMES[ds.TASK_B.negative], 'T-shirt/top');
  });
});
