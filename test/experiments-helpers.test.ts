/** gf.experiments helpers: phase concatenation, result rows and the result table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';

const { concatHistories, recordRun, formatResultTable } = gf.experiments;

test('concatHistories joins phases epoch by epoch and pads keys a phase lacks with NaN', () => {
  const h = concatHistories({ loss: [3, 2], accuracy: [0.1, 0.2] }, { loss: [1], val_loss: [1.5] });
  assert.deepEqual(h.loss, [3, 2, 1]);
  assert.deepEqual(h.accuracy, [0.1, 0.2, NaN]);
  assert.deepEqual(h.val_loss, [NaN, NaN, 1.5]);
});

test('recordRun keeps the last value of each key, the parameter count and the summary', async () => {
  gf.setSeed(1);
  const model = new gf.Sequential([new gf.layers.Dense(3, { inputShape: [4] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const history = await model.fit(gf.randomNormal([8, 4]), gf.randomNormal([8, 3]), { epochs: 2, verbose: 0 });
  const r = recordRun('tiny', model, history, 0.5, { extra: { units: 3 } });
  assert.equal(r.params, 15);
  assert.equal(r.final.loss, history.history.loss[1]);
  assert.match(r.summary ?? '', /Total params: 15/);
  assert.deepEqual(r.extra, { units: 3 });
});

test('formatResultTable: one row per run, test and extra columns, integer counts without decimals, notes', () => {
  const table = formatResultTable({
    id: 'demo', title: 'Demo', seed: 42, epochs: 1, samples: 55000, notes: ['look here'],
    runs: [
      { name: 'a', history: {}, final: { loss: 0.5, accuracy: 0.8, val_loss: 0.6, val_accuracy: 0.75 }, seconds: 1.25, test: { accuracy: 0.7 }, extra: { params: 268978 } },
      { name: 'bb', history: {}, final: { loss: 2e-5 }, seconds: 3, extra: { note: 'x' } },
    ],
  });
  const lines = table.split('\n');
  assert.equal(lines[0], 'Demo (demo; seed 42, 1 epoch, 55,000 training samples)');
  assert.match(lines[1], /^run\s+loss\s+accuracy\s+val_loss\s+val_accuracy\s+test_accuracy\s+params\s+note\s+time$/);
  assert.match(lines[3], /^a\s+0\.5000\s+0\.8000\s+0\.6000\s+0\.7500\s+0\.7000\s+268,978\s+—\s+1\.3 s$/);
  assert.match(lines[4], /^bb\s+2\.00e-5\s+—\s+—\s+—\s+—\s+—\s+x\s+3\.0 s$/);
  assert.equal(lines[5], '• look here');
});
