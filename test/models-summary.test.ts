/**
 * The chapter's models (reference/chapter-experiments.md, "Models and exact parameter counts")
 * built with the public API: exact total / trainable / non-trainable counts, read both from the
 * `summary()` text and from countParams() / trainableWeights; and the Keras table format.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const L = gf.layers;
const he = (units: number, activation = 'relu', extra: gf.layers.DenseArgs = {}) =>
  new L.Dense(units, { activation, kernelInitializer: 'he_normal', ...extra });
const flatten = () => new L.Flatten({ inputShape: [28, 28] });
const hidden100x3 = () => [he(100), he(100), he(100)];

const MODELS: Record<string, () => gf.Sequential> = {
  'mlp-300-100': () => new gf.Sequential([flatten(), he(300), he(100), new L.Dense(10, { activation: 'softmax' })]),
  build_model: () => new gf.Sequential([flatten(), ...hidden100x3(), new L.Dense(10, { activation: 'softmax' })]),
  'bn-after': () => new gf.Sequential([flatten(), new L.BatchNormalization(), he(300), new L.BatchNormalization(), he(100),
    new L.BatchNormalization(), new L.Dense(10, { activation: 'softmax' })]),
  'bn-before': () => new gf.Sequential([flatten(), he(300, 'linear', { useBias: false }), new L.BatchNormalization(),
    new L.Activation('relu'), he(100, 'linear', { useBias: false }), new L.BatchNormalization(), new L.Activation('relu'),
    new L.Dense(10, { activation: 'softmax' })]),
  model_A: () => new gf.Sequential([flatten(), ...hidden100x3(), new L.Dense(8, { activation: 'softmax' })]),
  model_B: () => new gf.Sequential([flatten(), ...hidden100x3(), new L.Dense(1, { activation: 'sigmoid' })]),
  'mc-dropout': () => new gf.Sequential([flatten(), new L.Dropout(0.2), he(100), new L.Dropout(0.2), he(100),
    new L.Dropout(0.2), new L.Dense(10, { activation: 'softmax' })]),
  'selu-100': () => new gf.Sequential([flatten(),
    ...Array.from({ length: 100 }, () => new L.Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' })),
    new L.Dense(10, { activation: 'softmax' })]),
};

/** [total, trainable, non-trainable] from the API. */
function apiCounts(m: gf.Model): number[] {
  const trainable = m.trainableWeights.reduce((p, w) => p + w.size, 0);
  const nonTrainable = m.nonTrainableWeights.reduce((p, w) => p + w.size, 0);
  assert.equal(trainable + nonTrainable, m.countParams(), 'trainable + non-trainable = countParams');
  return [m.countParams(), trainable, nonTrainable];
}

/** [total, trainable, non-trainable] read from the summary text. */
function summaryCounts(text: string): number[] {
  return ['Total params', 'Trainable params', 'Non-trainable params'].map((label) => {
    const m = text.match(new RegExp(`^${label}: ([\\d,]+)\\s*$`, 'm'));
    assert.ok(m, `summary has no '${label}: N' line:\n${text}`);
    return Number(m[1].replace(/,/g, ''));
  });
}

describe('chapter models: exact parameter counts through summary() and countParams()', () => {
  const expected: Record<string, number[]> = {
    'mlp-300-100': [266_610, 266_610, 0],
    build_model: [99_710, 99_710, 0],
    'bn-after': [271_346, 268_978, 2_368],
    'bn-before': [267_810, 267_010, 800],
    model_A: [99_508, 99_508, 0],
    model_B: [98_801, 98_801, 0],
    'mc-dropout': [89_610, 89_610, 0],
    'selu-100': [1_079_410, 1_079_410, 0],
  };
  for (const [id, counts] of Object.entries(expected)) {
    test(`${id}: ${counts.map((n) => n.toLocaleString('en-US')).join(' / ')}`, () => {
      const model = MODELS[id]();
      assert.equal(model.built, true, 'a Sequential whose first layer declares inputShape is built at once');
      const text = model.summary(null);
      assert.deepEqual(summaryCounts(text), counts, 'summary totals');
      assert.deepEqual(apiCounts(model), counts, 'countParams / trainableWeights');
      // totals printed with thousands separators
      if (counts[0] >= 1000) assert.match(text, new RegExp(`Total params: ${counts[0].toLocaleString('en-US')}`));
    });
  }

  test('bn-after: the three BN layers hold 3,136, 1,200 and 400 parameters (half non-trainable)', () => {
    const model = MODELS['bn-after']();
    const bns = model.layers.filter((l): l is gf.layers.BatchNormalization => l instanceof L.BatchNormalization);
    assert.deepEqual(bns.map((l) => l.countParams()), [3_136, 1_200, 400]);
    assert.deepEqual(bns.map((l) => l.nonTrainableWeights.reduce((p, w) => p + w.size, 0)), [1_568, 600, 200]);
    const text = model.summary(null);
    for (const [i, n] of [3_136, 1_200, 400].entries()) {
      const row = text.split('\n').find((line) => line.trim().startsWith(`${bns[i].name} (BatchNormalization)`));
      assert.ok(row, `no summary row for ${bns[i].name}`);
      assert.ok(row.trimEnd().endsWith(n.toLocaleString('en-US')), `row '${row}' should end with ${n.toLocaleString('en-US')}`);
    }
  });

  test('bn-before: each BN layer has 2 trainable and 2 non-trainable vectors (1,200 and 400)', () => {
    const model = MODELS['bn-before']();
    const bns = model.layers.filter((l) => l instanceof L.BatchNormalization);
    assert.deepEqual(bns.map((l) => l.countParams()), [1_200, 400]);
    assert.deepEqual(bns.map((l) => l.weights.map((w) => w.name!.split('/').pop())),
      [['gamma', 'beta', 'moving_mean', 'moving_variance'], ['gamma', 'beta', 'moving_mean', 'moving_variance']]);
  });

  test('selu-100 has 102 layers with 202 weight tensors', () => {
    const model = MODELS['selu-100']();
    assert.equal(model.layers.length, 102);
    assert.equal(model.weights.length, 202);
  });
});

describe('summary() table format (Keras)', () => {
  const model = () => new gf.Sequential([
    new L.Flatten({ inputShape: [28, 28], name: 'flatten_in' }),
    new L.Dense(300, { activation: 'relu', name: 'hidden1' }),
    new L.BatchNormalization({ name: 'bn1' }),
    new L.Dense(10, { activation: 'softmax', name: 'output' }),
  ], { name: 'my_mlp' });

  test('title, header, one row per layer with name (type), output shape and param #, totals', () => {
    const text = model().summary(null);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Model: "my_mlp"');
    const header = lines.find((l) => l.includes('Layer (type)'));
    assert.ok(header && header.includes('Output Shape') && header.includes('Param #'), `header:\n${text}`);
    const rows: Array<[string, string, string]> = [
      ['flatten_in (Flatten)', '(None, 784)', '0'],
      ['hidden1 (Dense)', '(None, 300)', '235,500'],
      ['bn1 (BatchNormalization)', '(None, 300)', '1,200'],
      ['output (Dense)', '(None, 10)', '3,010'],
    ];
    const shapeCol = header.indexOf('Output Shape');
    const paramEnd = header.indexOf('Param #') + 'Param #'.length;
    let last = lines.indexOf(header);
    for (const [name, shape, params] of rows) {
      const i = lines.findIndex((l) => l.trim().startsWith(name));
      assert.ok(i > last, `row '${name}' missing or out of order:\n${text}`);
      last = i;
      const row = lines[i];
      assert.equal(row.indexOf(shape), shapeCol, `'${shape}' is aligned under 'Output Shape' in '${row}'`);
      assert.equal(row.trimEnd().length, paramEnd, `param # is right-aligned under 'Param #' in '${row}'`);
      assert.ok(row.trimEnd().endsWith(` ${params}`), `row '${row}' ends with ${params}`);
    }
    assert.match(text, /^Total params: 239,710$/m);
    assert.match(text, /^Trainable params: 239,110$/m);
    assert.match(text, /^Non-trainable params: 600$/m);
    // rules above and below the table
    assert.ok(lines.some((l) => /^=+$/.test(l)), 'an = rule under the header');
    assert.ok(/^_+$/.test(lines[lines.length - 1]), 'a closing _ rule');
  });

  test('summary() prints the text it returns (console.log by default, or the given printer)', () => {
    const m = model();
    const printed: string[] = [];
    const text = m.summary((line) => printed.push(line));
    assert.equal(printed.join('\n'), text);
    const original = console.log;
    const logged: unknown[] = [];
    console.log = (...args: unknown[]) => { logged.push(args.join(' ')); };
    try { m.summary(); } finally { console.log = original; }
    assert.equal(logged.join('\n'), text);
  });

  test('a functional model lists its input layers and multi-input merge layers', () => {
    const a = gf.input([3], { name: 'in_a' });
    const b = gf.input([2], { name: 'in_b' });
    const merged = new L.Concatenate({ name: 'merge' }).apply([a, b]);
    const out = new L.Dense(4, { name: 'head' }).apply(merged);
    const text = new gf.Model({ inputs: [a, b], outputs: out, name: 'fn' }).summary(null);
    assert.match(text, /in_a \(InputLayer\)\s+\(None, 3\)\s+0/);
    assert.match(text, /in_b \(InputLayer\)\s+\(None, 2\)\s+0/);
    assert.match(text, /merge \(Concatenate\)\s+\(None, 5\)\s+0/);
    assert.match(text, /head \(Dense\)\s+\(None, 4\)\s+24/);
    assert.match(text, /^Total params: 24$/m);
  });

  test('a Sequential with a nested model that declares its input shape is built (summary shows shapes)', () => {
    // Keras builds Sequential([encoder, decoder]) at once when the encoder knows its input shape.
    const encoder = new gf.Sequential([new L.Dense(4, { inputShape: [6], name: 'enc_dense' })], { name: 'encoder' });
    const model = new gf.Sequential([encoder, new L.Dense(3, { name: 'dec_dense' })], { name: 'outer' });
    assert.equal(model.countParams(), 28 + 15, 'the Dense after the nested model should be built (4·3 + 3)');
    const text = model.summary(null);
    assert.match(text, /encoder \(Sequential\)\s+\(None, 4\)\s+28/);
    assert.match(text, /dec_dense \(Dense\)\s+\(None, 3\)\s+15/);
  });
});
