import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/index.js';
import { ScaledDense } from '../examples/custom-layer.js';
import { runLayerTest } from './helpers/layer-test.js';

describe('custom layers (docs/custom-layers.md)', () => {
  test('the documented ScaledDense passes the layer test helper', () => {
    runLayerTest({
      create: (args) => new ScaledDense(3, args),
      inputShape: [4, 5],
      expectedOutputShape: [4, 3],
      expectedWeights: [
        { name: 'kernel', shape: [5, 3] }, { name: 'bias', shape: [3] }, { name: 'gain', shape: [3] },
      ],
    });
  });

  test('a model with the custom layer trains, saves and loads', async () => {
    gf.setSeed(3);
    const model = new gf.Sequential([new ScaledDense(8, { inputShape: [2] }), new gf.layers.Dense(1)]);
    model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
    const x = gf.randomNormal([64, 2]);
    const y = gf.sum(x, -1, true);
    const history = await model.fit(x, y, { epochs: 10, verbose: 0 });
    assert.ok(history.history.loss[9] < history.history.loss[0] / 2);
    const dir = mkdtempSync(join(tmpdir(), 'gf-custom-'));
    try {
      await model.save(join(dir, 'm.safetensors'));
      const loaded = await gf.loadModel(join(dir, 'm.safetensors'));
      assert.ok(loaded.getLayer(0) instanceof ScaledDense);
      assert.deepEqual((await loaded.predict(x)).toArray(), (await model.predict(x)).toArray());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Lambda', () => {
  test('wraps a function; output shape defaults to the input shape', () => {
    const layer = new gf.layers.Lambda((x) => gf.mul(x, 2));
    assert.deepEqual(layer.apply(gf.tensor([[1, 2]])).toArray(), [[2, 4]]);
    assert.deepEqual(layer.computeOutputShape([null, 2]), [null, 2]);
  });

  test('an unregistered function cannot be saved, and the error says how to fix it', () => {
    const layer = new gf.layers.Lambda((x) => gf.mul(x, 3));
    assert.throws(() => layer.getConfig(), /registerLambdaFunction/);
  });

  test('a registered function round-trips through the config, with its output shape', () => {
    const sumRows = (x: gf.Tensor) => gf.sum(x, -1, true);
    gf.layers.registerLambdaFunction('sum_rows', sumRows);
    const layer = new gf.layers.Lambda(sumRows, { outputShape: [1] });
    const config = layer.getConfig();
    assert.equal(config.function, 'sum_rows');
    const rebuilt = gf.layers.Lambda.fromConfig(config);
    assert.deepEqual(rebuilt.apply(gf.tensor([[1, 2, 3]])).toArray(), [[6]]);
    assert.deepEqual(rebuilt.computeOutputShape([null, 3]), [null, 1]);
  });
});
