/**
 * Bad input to fit / evaluate / predict / trainOnBatch / testOnBatch (issue 3, "Input handling"):
 * each error says what is wrong — which argument, which layer, the shapes or values involved.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const L = gf.layers;

function classifier() {
  const m = new gf.Sequential([new L.Dense(3, { inputShape: [4], activation: 'softmax', name: 'first_dense' })], { name: 'clf' });
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  return m;
}

function twoInputs() {
  const a = gf.input([3], { name: 'in_a' });
  const b = gf.input([2], { name: 'in_b' });
  const out = new L.Dense(1, { name: 'out' }).apply(new L.Concatenate().apply([a, b]));
  const m = new gf.Model({ inputs: [a, b], outputs: out, name: 'two_in' });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const labels = (v: number[]) => gf.tensor(v, [v.length], 'int32');

/** Matches an error whose message satisfies every pattern. */
const mentions = (...patterns: RegExp[]) => (e: unknown) => {
  assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
  for (const p of patterns) assert.match(e.message, p);
  return true;
};

describe('sample counts', () => {
  test('x and y with different sample counts: fit, evaluate, trainOnBatch, testOnBatch', async () => {
    const m = classifier();
    const check = mentions(/same number of samples/, /4/, /3/);
    await assert.rejects(m.fit(gf.zeros([4, 4]), labels([0, 1, 2]), { verbose: 0 }), check);
    await assert.rejects(m.evaluate(gf.zeros([4, 4]), labels([0, 1, 2])), check);
    assert.throws(() => m.trainOnBatch(gf.zeros([4, 4]), labels([0, 1, 2])), check);
    assert.throws(() => m.testOnBatch(gf.zeros([4, 4]), labels([0, 1, 2])), check);
  });

  test('validationData with different sample counts names validationData', async () => {
    await assert.rejects(classifier().fit(gf.zeros([4, 4]), labels([0, 1, 2, 0]), { verbose: 0, validationData: [gf.zeros([2, 4]), labels([0])] }),
      mentions(/validationData/, /same number of samples/));
  });

  test('inputs of a multi-input model with different sample counts', async () => {
    await assert.rejects(twoInputs().fit([gf.zeros([2, 3]), gf.zeros([3, 2])], gf.zeros([2, 1]), { verbose: 0 }),
      mentions(/same number of samples/, /x\[1\]/, /3/));
  });
});

describe('shapes the model cannot take', () => {
  test('a feature size the first layer cannot take names the layer and both shapes', async () => {
    const check = mentions(/first_dense/, /Dense/, /\[None, 4\]/, /\[5, 5\]|\[\d+, 5\]/);
    await assert.rejects(classifier().fit(gf.zeros([5, 5]), labels([0, 0, 0, 0, 0]), { verbose: 0 }), check);
    await assert.rejects(classifier().evaluate(gf.zeros([5, 5]), labels([0, 0, 0, 0, 0])), check);
    await assert.rejects(classifier().predict(gf.zeros([5, 5])), check);
  });

  test('a wrong rank names the layer and both shapes', async () => {
    await assert.rejects(classifier().predict(gf.zeros([2, 2, 2])), mentions(/first_dense/, /\[None, 4\]/, /\[2, 2, 2\]/));
    const flat = new gf.Sequential([new L.Flatten({ inputShape: [28, 28], name: 'flat_in' }), new L.Dense(2)]);
    await assert.rejects(flat.predict(gf.zeros([3, 784])), mentions(/flat_in/, /Flatten/, /\[None, 28, 28\]/, /\[3, 784\]/));
  });

  test('a lazily built model rejects a later batch of another feature size, naming the layer', async () => {
    const m = new gf.Sequential([new L.Dense(3, { name: 'lazy_dense' }), new L.Dense(2)]);
    await m.predict(gf.zeros([2, 4]));
    await assert.rejects(m.predict(gf.zeros([2, 5])), mentions(/lazy_dense/, /4/, /5/));
  });

  test('targets of the wrong shape for the loss name the loss and both shapes', async () => {
    await assert.rejects(classifier().evaluate(gf.zeros([2, 4]), gf.zeros([2, 5])), mentions(/sparse_categorical_crossentropy/, /\[2, 5\]/, /\[2, 3\]/));
  });

  test('a multi-input model given the wrong number of inputs says how many it takes', async () => {
    const m = twoInputs();
    const check = mentions(/2 input/, /in_a, in_b/, /got (1|3)/);
    await assert.rejects(m.predict(gf.zeros([2, 3])), check);
    await assert.rejects(m.predict([gf.zeros([2, 3]), gf.zeros([2, 2]), gf.zeros([2, 2])]), check);
    await assert.rejects(m.fit(gf.zeros([2, 3]), gf.zeros([2, 1]), { verbose: 0 }), check);
    assert.throws(() => m.trainOnBatch([gf.zeros([2, 3])], gf.zeros([2, 1])), check);
  });

  test('inputs in the wrong order name the input and both shapes', async () => {
    await assert.rejects(twoInputs().predict([gf.zeros([2, 2]), gf.zeros([2, 3])]), mentions(/in_a/, /\(None, 3\)/, /\[2, 2\]/));
  });

  test('a single-output model given two targets says it has one output', async () => {
    await assert.rejects(twoInputs().fit([gf.zeros([2, 3]), gf.zeros([2, 2])], [gf.zeros([2, 1]), gf.zeros([2, 1])], { verbose: 0 }),
      mentions(/1 output/, /out/, /got 2/));
  });
});

describe('labels and values', () => {
  test('sparse CE labels out of range name the label, its position and the valid range', async () => {
    // checked before training, so the error names the sample in the data set (not in a shuffled batch)
    await assert.rejects(classifier().fit(gf.zeros([3, 4]), labels([0, 2, 7]), { verbose: 0 }),
      mentions(/fit y/, /sparse_categorical_crossentropy/, /label 7 of sample 2/, /3 classes/));
    await assert.rejects(classifier().fit(gf.zeros([3, 4]), labels([0, 2, 1]), { verbose: 0, validationData: [gf.zeros([2, 4]), labels([1, 3])] }),
      mentions(/fit validation y/, /label 3 of sample 1/));
    await assert.rejects(classifier().evaluate(gf.zeros([2, 4]), labels([-1, 0])), mentions(/label -1/));
    assert.throws(() => classifier().trainOnBatch(gf.zeros([1, 4]), labels([3])), mentions(/label 3/, /0 … 2|0\.\.2|0 to 2/));
  });

  test('sparse CE labels that are not integers are rejected', async () => {
    await assert.rejects(classifier().evaluate(gf.zeros([2, 4]), gf.tensor([0, 1.5])), mentions(/integer/, /1\.5/));
  });

  test('a rejected batch leaves the weights untouched', () => {
    const m = classifier();
    const before = m.getWeights().map((t) => Array.from(t.data));
    assert.throws(() => m.trainOnBatch(gf.zeros([2, 4]), labels([0, 9])));
    assert.deepEqual(m.getWeights().map((t) => Array.from(t.data)), before);
    assert.equal(m.optimizer!.iterations, 0);
  });

  test('NaN / Infinity in inputs or targets are rejected, naming the argument and position', async () => {
    const x = gf.tensor([[0, 0, 0, 0], [0, 0, NaN, 0]]);
    await assert.rejects(classifier().fit(x, labels([0, 1]), { verbose: 0 }), mentions(/fit x/, /NaN/, /sample 1/, /checkFinite/));
    await assert.rejects(classifier().evaluate(gf.tensor([[0, 0, 0, Infinity]]), labels([0])), mentions(/evaluate x/, /Infinity/));
    assert.throws(() => classifier().trainOnBatch(gf.tensor([[0, -Infinity, 0, 0]]), labels([0])), mentions(/trainOnBatch x/, /-Infinity/));
    assert.throws(() => classifier().testOnBatch(x, labels([0, 1])), mentions(/testOnBatch x/, /NaN/));
    const reg = new gf.Sequential([new L.Dense(1, { inputShape: [2] })]);
    reg.compile({ optimizer: 'sgd', loss: 'mse' });
    await assert.rejects(reg.fit(gf.zeros([2, 2]), gf.tensor([[1], [NaN]]), { verbose: 0 }), mentions(/fit y/, /NaN/));
    await assert.rejects(reg.fit(gf.zeros([2, 2]), gf.zeros([2, 1]), { verbose: 0, validationData: [gf.tensor([[NaN, 0]]), gf.zeros([1, 1])] }),
      mentions(/validationData/, /NaN/));
  });

  test('checkFinite: false opts out (fit and evaluate run; the loss is NaN)', async () => {
    const x = gf.tensor([[0, 0, 0, 0], [0, 0, NaN, 0]]);
    const m = classifier();
    const history = await m.fit(x, labels([0, 1]), { verbose: 0, checkFinite: false });
    assert.ok(Number.isNaN(history.history.loss[0]));
    const logs = await m.evaluate(x, labels([0, 1]), { checkFinite: false });
    assert.ok(Number.isNaN(logs.loss));
  });
});

describe('misuse', () => {
  test('a model used before compile: fit, evaluate, trainOnBatch and testOnBatch say to compile first', async () => {
    const m = new gf.Sequential([new L.Dense(1, { inputShape: [2] })], { name: 'uncompiled' });
    const check = mentions(/uncompiled/, /compile/);
    await assert.rejects(m.fit(gf.zeros([1, 2]), gf.zeros([1, 1]), { verbose: 0 }), check);
    await assert.rejects(m.evaluate(gf.zeros([1, 2]), gf.zeros([1, 1])), check);
    assert.throws(() => m.trainOnBatch(gf.zeros([1, 2]), gf.zeros([1, 1])), check);
    assert.throws(() => m.testOnBatch(gf.zeros([1, 2]), gf.zeros([1, 1])), check);
    // predict needs no compile (as Keras)
    assert.deepEqual((await m.predict(gf.zeros([3, 2]))).shape, [3, 1]);
  });

  test('compile without a loss is rejected', () => {
    const m = new gf.Sequential([new L.Dense(1, { inputShape: [2] })]);
    assert.throws(() => m.compile({ optimizer: 'sgd' } as unknown as gf.CompileArgs), /loss is required/);
  });

  test('batchSize 0 (or negative, or fractional) is rejected by fit, evaluate and predict', async () => {
    const m = classifier();
    const x = gf.zeros([2, 4]), y = labels([0, 1]);
    for (const batchSize of [0, -1, 1.5]) {
      const check = mentions(/batchSize must be a positive integer/, new RegExp(`got ${String(batchSize).replace('.', '\\.')}`));
      await assert.rejects(m.fit(x, y, { batchSize, verbose: 0 }), check);
      await assert.rejects(m.evaluate(x, y, { batchSize }), check);
      await assert.rejects(m.predict(x, { batchSize }), check);
    }
  });

  test('negative or fractional epochs are rejected', async () => {
    const m = classifier();
    await assert.rejects(m.fit(gf.zeros([2, 4]), labels([0, 1]), { epochs: -1, verbose: 0 }), /epochs must be a non-negative integer/);
    await assert.rejects(m.fit(gf.zeros([2, 4]), labels([0, 1]), { epochs: 1.5, verbose: 0 }), /epochs/);
  });

  test('plain JS arrays are accepted as data', async () => {
    const m = classifier();
    const logs = await m.evaluate([[0, 1, 0, 1], [1, 0, 1, 0]], [0, 2]);
    assert.ok(Number.isFinite(logs.loss));
    assert.deepEqual((await m.predict([[0, 1, 0, 1]])).shape, [1, 3]);
  });

  test('null or undefined data is rejected clearly', async () => {
    await assert.rejects(classifier().predict(null as unknown as gf.Tensor), /expected a tensor or an array/);
  });
});

describe('empty data', () => {
  test('fit on zero samples is an error naming the shape', async () => {
    await assert.rejects(classifier().fit(gf.zeros([0, 4]), labels([]), { verbose: 0 }), mentions(/fit: x has no samples/, /\[0, 4\]/));
  });
});
