/**
 * gf.diagnostics.Monitor during fit: sampling schedule and series layout (layer × sampled step),
 * vanishing/saturation in the first epoch of the deep sigmoid net, a healthy SELU run, the first
 * NaN of a ReLU net with a huge learning rate named by layer and step, clipping telemetry, and
 * no work between samples.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

function labels(n: number, classes = 10): gf.Tensor {
  return gf.tensor(Array.from({ length: n }, (_, i) => i % classes), [n], 'int32');
}

function mlp(depth: number, activation: string, kernelInitializer: gf.initializers.InitializerIdentifier,
  optimizer: gf.optimizers.Optimizer, width = 50): gf.Sequential {
  const model = new gf.Sequential([
    new gf.layers.Flatten({ inputShape: [28, 28] }),
    ...Array.from({ length: depth }, (_, i) => new gf.layers.Dense(width, { activation, kernelInitializer, name: `h${i}` })),
    new gf.layers.Dense(10, { activation: 'softmax', name: 'out' }),
  ]);
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });
  return model;
}

const sgd = (learningRate: number, extra: gf.optimizers.OptimizerArgs = {}) => new gf.optimizers.SGD({ learningRate, ...extra });

describe('Monitor', () => {
  test('samples every N steps; the series is layer × sampled step; the hook is removed after fit', async () => {
    gf.setSeed(11);
    const model = mlp(2, 'relu', 'he_normal', sgd(0.01));
    const x = gf.randomUniform([320, 28, 28]), y = labels(320);
    const monitor = new gf.diagnostics.Monitor({ every: 4, probe: gf.randomUniform([64, 28, 28]), histogramBins: 10 });
    // count forward passes: fit makes one per step, the monitor one per sample, nothing else
    let forwards = 0;
    const forward = model.forward.bind(model);
    model.forward = (xs, options) => { forwards++; return forward(xs, options); };
    await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, callbacks: [monitor] });
    const s = monitor.series;
    assert.deepEqual(s.steps, [0, 4, 8, 12, 16]);
    assert.deepEqual(s.epochs, [0, 0, 0, 1, 1], `epochs ${s.epochs}`);
    assert.equal(forwards, 20 + 5);
    assert.equal(model.stepObserver, null);
    // Flatten passes values through unchanged: the monitor leaves it out
    assert.deepEqual(s.layers.map((l) => l.name), ['h0', 'h1', 'out']);
    assert.deepEqual(s.weights.map((w) => w.name), ['h0/kernel', 'h0/bias', 'h1/kernel', 'h1/bias', 'out/kernel', 'out/bias']);
    for (const table of [s.gradRms, s.mean, s.std, s.zeroFraction, s.deadFraction, s.saturatedFraction]) {
      assert.equal(table.length, 3);
      for (const row of table) assert.equal(row.length, 5);
    }
    for (const table of [s.weightGradNorm, s.weightNorm, s.updateRatio]) {
      assert.equal(table.length, 6);
      for (const row of table) assert.equal(row.length, 5);
    }
    for (const table of [s.weightGradNorm, s.weightNorm]) for (const row of table) assert.ok(row.every((v) => typeof v === 'number' && v >= 0), 'norms are numbers');
    for (const row of s.updateRatio) assert.ok(row.every((v) => typeof v === 'number' && v > 0), 'update ratios are numbers (‖w‖ after the step)');
    // ‖Δw‖/‖w‖ of plain SGD is lr·‖g‖/‖w‖
    const k = s.weights.findIndex((w) => w.name === 'h0/kernel');
    for (let i = 0; i < 5; i++) {
      const expected = 0.01 * s.weightGradNorm[k][i]! / s.weightNorm[k][i]!;
      assert.ok(Math.abs(s.updateRatio[k][i]! - expected) < 1e-3 * expected + 1e-9, `${s.updateRatio[k][i]} vs ${expected}`);
    }
    assert.equal(s.histograms.length, 3);
    for (const h of s.histograms) {
      assert.equal(h.spec.bins, 10);
      assert.equal(h.counts.length, 5);
      for (const c of h.counts) assert.equal(c!.reduce((a, b) => a + b, 0) > 0, true);
    }
    // relu outputs: bins start at 0; every probe value is counted
    const h0 = s.histograms[0];
    assert.equal(h0.spec.lo, 0);
    assert.equal(h0.counts[0]!.reduce((a, b) => a + b, 0), 64 * 50);
    assert.ok(s.gradNorm.every((g) => g > 0) && s.loss.every(Number.isFinite), 's.gradNorm.every((g) => g > 0) && s.loss.every(Number.isFinite)');
    assert.deepEqual(s.clippedFraction, [null, null, null, null, null]);
    // a probe has no backward pass: no ∂L/∂output
    assert.ok(s.outputGradNorm.every((row) => row.every((g) => g === null)), 'no output gradients with a probe');
    const json = JSON.parse(JSON.stringify(monitor));
    assert.deepEqual(json.series.steps, s.steps);
    assert.match(monitor.report(), /Monitor: 5 samples \(every 4 steps, steps 0…16\)/);
  });

  test('deep sigmoid net with random_normal(stddev 1): vanishing and saturation in the first epoch', async () => {
    gf.setSeed(12);
    const model = mlp(20, 'sigmoid', { className: 'RandomNormal', config: { stddev: 1 } }, sgd(0.001));
    const monitor = new gf.diagnostics.Monitor({ every: 8 });
    await model.fit(gf.randomUniform([512, 28, 28]), labels(512), { epochs: 1, batchSize: 32, verbose: 0, callbacks: [monitor] });
    const vanishing = monitor.findings.find((f) => f.code === 'vanishing-gradients');
    const saturation = monitor.findings.filter((f) => f.code === 'saturation');
    assert.ok(vanishing && saturation.length > 0, monitor.report());
    assert.equal(vanishing.layer, 'h0');
    assert.equal(vanishing.step, 0);
    assert.equal(vanishing.occurrences, monitor.series.steps.length, 'it persists in every sample');
    assert.ok(saturation.some((f) => f.layer === 'h0' && f.step === 0), 'saturation.some((f) => f.layer === \'h0\' && f.step === 0)');
    assert.ok(monitor.findings.some((f) => f.code === 'init-variance' && f.layer === 'h0' && f.step === 0), 'monitor.findings.some((f) => f.code === \'init-variance\' && f.layer === \'h0\' && f.step === 0)');
    // the heat map shows it: h0's gradient scale orders of magnitude below h19's in every sample
    const row = (name: string) => monitor.series.gradRms[monitor.series.layers.findIndex((l) => l.name === name)];
    row('h0').forEach((g, i) => assert.ok(g! < 1e-2 * row('out')[i]!, `sample ${i}: ${g} vs ${row('out')[i]}`));
    assert.ok(monitor.series.saturatedFraction[0].every((f) => f! > 0.5), 'h0 saturated in every sample');
  });

  test('the same depth with SELU + lecun_normal on standardized inputs: no vanishing, no saturation', async () => {
    gf.setSeed(13);
    const model = mlp(20, 'selu', 'lecun_normal', sgd(0.001));
    const found: gf.diagnostics.Finding[] = [];
    const monitor = new gf.diagnostics.Monitor({ every: 8, onFinding: (f) => found.push(f) });
    await model.fit(gf.randomNormal([512, 28, 28]), labels(512), { epochs: 1, batchSize: 32, verbose: 0, callbacks: [monitor] });
    assert.deepEqual(monitor.findings.map((f) => `${f.code} ${f.layer} @${f.step}: ${f.message}`), []);
    assert.deepEqual(found, []);
    assert.equal(monitor.series.steps.length, 2);
    assert.ok(monitor.latest.every((l) => l.verdict.length === 0), 'monitor.latest.every((l) => l.verdict.length === 0)');
    assert.match(monitor.report(), /No problems found/);
  });

  test('ReLU with a huge learning rate: the first non-finite value is named by layer and step', async () => {
    gf.setSeed(14);
    const model = mlp(6, 'relu', 'he_normal', sgd(10));
    const monitor = new gf.diagnostics.Monitor({ every: 50 });
    const layerNames = model.layers.map((l) => l.name);
    await model.fit(gf.randomUniform([640, 28, 28]), labels(640), { epochs: 1, batchSize: 32, verbose: 0, callbacks: [monitor] });
    const event = monitor.nonFinite;
    assert.ok(event, monitor.report());
    assert.ok(event.step > 0 && event.step < 20, `step ${event.step}`);
    assert.ok(event.layer !== null && layerNames.includes(event.layer), String(event.layer));
    const nan = monitor.findings.filter((f) => f.code === 'non-finite');
    assert.equal(nan.length, 1, 'reported once, where it first appeared');
    assert.equal(nan[0].layer, event.layer);
    assert.equal(nan[0].step, event.step);
    assert.match(nan[0].advice, /learning rate/);
    assert.match(nan[0].advice, /clip/);
    // sampled at step 0 and at the step of the first NaN loss (the non-finite trigger), then every 50
    assert.equal(monitor.series.steps[0], 0);
    assert.ok(monitor.series.steps.includes(event.kind === 'weights' ? event.step + 1 : event.step), 'monitor.series.steps.includes(event.kind === \'weights\' ? event.step + 1 : event.step)');
    assert.match(monitor.report(), /First non-finite value: step \d+, h\d|out/);
    // the steps before were already flagged: updates far larger than the weights
    assert.ok(monitor.findings.some((f) => f.code === 'large-updates' && f.step === 0), 'monitor.findings.some((f) => f.code === \'large-updates\' && f.step === 0)');
  });

  test('clipping telemetry: how often and how much', async () => {
    gf.setSeed(15);
    const model = mlp(1, 'relu', 'he_normal', sgd(0.01, { clipnorm: 1e-3 }));
    const monitor = new gf.diagnostics.Monitor({ every: 5 });
    await model.fit(gf.randomUniform([384, 28, 28]), labels(384), { epochs: 1, batchSize: 32, verbose: 0, callbacks: [monitor] });
    const c = monitor.clipping;
    assert.equal(c.method, 'clipnorm');
    assert.equal(c.steps, 12);
    assert.equal(c.clippedSteps, 12);
    assert.ok(c.meanScale > 0 && c.meanScale < 1, 'c.meanScale > 0 && c.meanScale < 1');
    assert.ok(c.maxNormBefore > 1e-3, 'c.maxNormBefore > 1e-3');
    assert.deepEqual(monitor.series.clippedFraction, [1, 1, 1]);
    const info = monitor.findings.find((f) => f.code === 'clipping');
    assert.equal(info?.severity, 'info');
    assert.match(monitor.report(), /Clipping \(clipnorm\): 12 of 12 steps clipped/);
  });

  test('without a probe: statistics of the sampled batches, dead units over ≥ probeSize samples', async () => {
    gf.setSeed(16);
    const model = new gf.Sequential([
      new gf.layers.Dense(16, { inputShape: [8], activation: 'relu', biasInitializer: { className: 'Constant', config: { value: -50 } }, name: 'dead' }),
      new gf.layers.Dense(1, { name: 'out' }),
    ]);
    model.compile({ optimizer: sgd(0.01), loss: 'mse' });
    const monitor = new gf.diagnostics.Monitor({ every: 2, probeSize: 40 });
    await model.fit(gf.randomNormal([96, 8]), gf.randomNormal([96, 1]), { epochs: 2, batchSize: 16, verbose: 0, callbacks: [monitor] });
    assert.deepEqual(monitor.series.steps, [0, 2, 4, 6, 8, 10]);
    // batches of 16: the window holds ≥ 40 samples from the third sample on
    assert.deepEqual(monitor.series.deadFraction[0], [NaN, NaN, 1, 1, 1, 1]);
    const dead = monitor.findings.find((f) => f.code === 'dead-units');
    assert.equal(dead?.layer, 'dead');
    assert.equal(dead?.step, 4);
    assert.equal(dead?.lastStep, 10);
    assert.equal(dead?.occurrences, 4);
    // the captured training forward also gives ∂L/∂output; the layers' methods are restored
    assert.ok(monitor.series.outputGradNorm[1].every((g) => g !== null && g > 0), 'output gradients of out');
    for (const layer of model.layers) assert.ok(!Object.prototype.hasOwnProperty.call(layer, 'call'), `${layer.name} restored`);
    assert.throws(() => new gf.diagnostics.Monitor({ every: 0 }), /every must be a positive integer/);
  });
});
