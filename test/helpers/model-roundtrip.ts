/**
 * `saveLoadRoundTrip`: a model save/load check for `runLayerTest`'s `extraChecks` hook.
 *
 *   runLayerTest({ create: (a) => new Dense(4, a), inputShape: [2, 3], expectedOutputShape: [2, 4],
 *                  extraChecks: saveLoadRoundTrip });
 *
 * The layer (rebuilt from its config, holding the tested layer's weights) is wrapped in a
 * functional model `gf.input(per-sample shape) → layer`, written with `gf.modelToBytes` (the
 * bytes `model.save` puts in the file) and read back with `gf.modelFromBytes`. The loaded model
 * must hold a layer of the same class and config, the same weights (names, shapes, dtypes, bit
 * for bit), and compute the same outputs, in inference and in training mode under the same seed.
 * Single-input layers only (merge layers are tested through their models).
 */
import assert from 'node:assert/strict';
import * as gf from '../../src/index.js';
import type { Layer } from '../../src/layers/index.js';
import { deserialize } from '../../src/saving/class-registry.js';
import type { LayerTestContext } from './layer-test.js';

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

export function saveLoadRoundTrip<L extends Layer>(context: LayerTestContext<L>): void {
  const { layer, input, config, seed } = context;
  const className = (layer.constructor as typeof Layer).className;
  const fresh = deserialize<Layer>({ className, config: structuredClone(config) });
  const inp = gf.input(input.shape.slice(1), { dtype: layer.dtype });
  const model = new gf.Model({ inputs: inp, outputs: fresh.apply(inp), name: `${layer.name}_roundtrip` });
  fresh.setWeights(layer.getWeights());

  const bytes = gf.modelToBytes(model);
  const loaded = gf.modelFromBytes(bytes, `${className} round trip`);

  const loadedLayer = loaded.layers.find((l) => l.name === layer.name);
  assert.ok(loadedLayer, `save/load: the loaded model has no layer '${layer.name}' (layers: ${loaded.layers.map((l) => l.name).join(', ')})`);
  assert.equal((loadedLayer.constructor as typeof Layer).className, className, 'save/load: the layer class changed');
  assert.deepEqual(json(loadedLayer.getConfig()), config, 'save/load: the layer config changed');

  const expected = model.weights, actual = loaded.weights;
  assert.deepEqual(actual.map((w) => [w.name, w.shape, w.dtype, w.trainable]), expected.map((w) => [w.name, w.shape, w.dtype, w.trainable]),
    'save/load: weight names, shapes, dtypes or trainable flags changed');
  actual.forEach((w, i) => assert.deepEqual(Array.from(w.data), Array.from(expected[i].data), `save/load: weight ${w.name} values changed`));

  for (const training of [false, true]) {
    gf.setSeed(seed);
    const want = gf.noGrad(() => model.forward([input], { training })[0]);
    gf.setSeed(seed);
    const got = gf.noGrad(() => loaded.forward([input], { training })[0]);
    assert.deepEqual(got.shape, want.shape, `save/load: output shape (${training ? 'training' : 'inference'})`);
    assert.deepEqual(Array.from(got.data), Array.from(want.data),
      `save/load: the loaded model computes different ${training ? 'training' : 'inference'} outputs`);
  }
}
