/**
 * gf.diagnostics.inspect and the detectors on the chapter's nets (experiment 1, shrunk to stay
 * fast): a deep sigmoid MLP with random_normal(stddev 1) init saturates and its gradients vanish;
 * the same depth with SELU + LeCun normal on standardized inputs is healthy and passes the
 * self-normalization validator; dead ReLU units from a large negative bias; initializer variance
 * mismatch; non-finite weights; nested and functional models.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';

const N = 256;
const DEPTH = 20;

function labels(n: number): gf.Tensor {
  return gf.tensor(Array.from({ length: n }, (_, i) => i % 10), [n], 'int32');
}

/** Flatten(28×28) → depth × Dense(50, act, init) named h0…h{depth−1} → Dense(10, softmax) named out. */
function deepMlp(depth: number, activation: string, kernelInitializer: gf.initializers.InitializerIdentifier): gf.Sequential {
  const model = new gf.Sequential([
    new gf.layers.Flatten({ inputShape: [28, 28] }),
    ...Array.from({ length: depth }, (_, i) => new gf.layers.Dense(50, { activation, kernelInitializer, name: `h${i}` })),
    new gf.layers.Dense(10, { activation: 'softmax', name: 'out' }),
  ]);
  model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

const codes = (findings: gf.diagnostics.Finding[]) => new Set(findings.map((f) => f.code));

describe('inspect: the chapter\'s deep nets at init', () => {
  test('sigmoid + random_normal(stddev 1): saturation and vanishing gradients, named by layer, with advice', () => {
    gf.setSeed(1);
    const model = deepMlp(DEPTH, 'sigmoid', { className: 'RandomNormal', config: { stddev: 1 } });
    const report = gf.diagnostics.inspect(model, gf.randomUniform([N, 28, 28]), labels(N));
    const found = codes(report.findings);
    assert.ok(found.has('saturation') && found.has('vanishing-gradients'), [...found].join(', '));
    const vanishing = report.findings.find((f) => f.code === 'vanishing-gradients')!;
    assert.equal(vanishing.layer, 'h0', 'names the layer nearest the input');
    assert.ok(vanishing.values.ratio < 1e-2, 'vanishing.values.ratio < 1e-2');
    assert.match(vanishing.advice, /he_normal|non-saturating/i);
    const h0 = report.layer('h0');
    assert.ok(h0.verdict.includes('saturated') && h0.verdict.includes('vanishing'), h0.verdict.join());
    assert.ok(h0.stats.saturatedFraction! > 0.5, 'the first layer sees 784 inputs: its pre-activations are huge');
    assert.ok(report.findings.some((f) => f.code === 'saturation' && f.layer === 'h0'), 'report.findings.some((f) => f.code === \'saturation\' && f.layer === \'h0\')');
    // the output layer's softmax is the loss's choice: never judged saturated
    assert.ok(!report.findings.some((f) => f.layer === 'out' && f.code === 'saturation'), '!report.findings.some((f) => f.layer === \'out\' && f.code === \'saturation\')');
    // a healthy gradient scale at the top, a vanished one at the bottom
    assert.ok(report.layer('h0').gradRms! < 1e-2 * report.layer('out').gradRms!, 'report.layer(\'h0\').gradRms! < 1e-2 * report.layer(\'out\').gradRms!');
    const text = report.format();
    assert.match(text, /h0 +Dense\(sigmoid\)/);
    assert.match(text, /saturation/);
    assert.match(text, /vanishing-gradients/);
    assert.match(text, /→ Use a non-saturating activation/);
    assert.equal(String(report), text);
  });

  test('SELU + lecun_normal on standardized inputs: healthy flow, self-normalization passes', () => {
    gf.setSeed(2);
    const model = deepMlp(DEPTH, 'selu', 'lecun_normal');
    const report = gf.diagnostics.inspect(model, gf.randomNormal([N, 28, 28]), labels(N));
    assert.deepEqual(report.findings.map((f) => `${f.code} ${f.layer}: ${f.message}`), []);
    assert.ok(report.healthy, 'report.healthy');
    assert.ok(report.selfNormalization.applicable && report.selfNormalization.passed, 'report.selfNormalization.applicable && report.selfNormalization.passed');
    assert.deepEqual(report.selfNormalization.checks.map((c) => c.check).sort(), ['activation-stats', 'initializer', 'inputs']);
    for (const l of report.layers.filter((r) => r.activation === 'selu')) {
      assert.ok(Math.abs(l.stats.mean) < 0.3 && l.stats.std > 0.6 && l.stats.std < 1.6, `${l.name}: ${l.stats.mean}, ${l.stats.std}`);
      assert.deepEqual(l.verdict, []);
    }
    assert.match(report.format(), /Self-normalization \(SELU\): passed/);
  });

  test('the self-normalization validator names what breaks it', () => {
    gf.setSeed(3);
    const model = new gf.Sequential([
      new gf.layers.Dense(32, { inputShape: [20], activation: 'selu', kernelInitializer: 'lecun_normal', name: 'ok' }),
      new gf.layers.Dropout(0.2, { name: 'drop' }),
      new gf.layers.Dense(32, { activation: 'selu', kernelInitializer: 'he_normal', name: 'he' }),
      new gf.layers.Dense(32, { activation: 'selu', kernelInitializer: 'lecun_normal', kernelRegularizer: 'l2', name: 'reg' }),
      new gf.layers.Dense(32, { activation: 'relu', kernelInitializer: 'he_normal', name: 'relu' }),
      new gf.layers.Dense(1, { name: 'out' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = gf.add(gf.mul(gf.randomUniform([128, 20]), 4), 3); // mean 5, std 1.15: not standardized
    const report = gf.diagnostics.inspect(model, x, gf.zeros([128, 1]));
    const sn = report.selfNormalization;
    assert.ok(sn.applicable && !sn.passed, 'sn.applicable && !sn.passed');
    const failed = (check: string) => report.findings.filter((f) => f.code === 'self-normalization' && f.check === check);
    assert.deepEqual(failed('incompatible-layer').map((f) => f.layer), ['drop']);
    assert.match(failed('incompatible-layer')[0].advice, /AlphaDropout/);
    assert.deepEqual(failed('initializer').map((f) => f.layer), ['he']);
    assert.deepEqual(failed('regularizer').map((f) => f.layer), ['reg']);
    assert.deepEqual(failed('activation').map((f) => f.layer), ['relu']);
    assert.equal(failed('inputs').length, 1);
    assert.match(failed('inputs')[0].advice, /Standardize/);
    assert.match(report.format(), /Self-normalization \(SELU\): FAILED/);
  });
});

describe('inspect: dead units, init variance, non-finite values', () => {
  test('a ReLU layer with a large negative bias is dead on the whole probe batch', () => {
    gf.setSeed(4);
    const model = new gf.Sequential([
      new gf.layers.Dense(40, { inputShape: [30], activation: 'relu', kernelInitializer: 'he_normal', name: 'alive' }),
      new gf.layers.Dense(40, { activation: 'relu', kernelInitializer: 'he_normal', biasInitializer: { className: 'Constant', config: { value: -20 } }, name: 'dead' }),
      new gf.layers.Dense(3, { activation: 'softmax', name: 'out' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const report = gf.diagnostics.inspect(model, gf.randomNormal([128, 30]), gf.tensor(Array.from({ length: 128 }, (_, i) => i % 3), [128], 'int32'));
    const dead = report.findings.filter((f) => f.code === 'dead-units');
    assert.deepEqual(dead.map((f) => f.layer), ['dead']);
    assert.equal(dead[0].values.deadUnits, 40);
    assert.equal(dead[0].severity, 'error');
    assert.match(dead[0].advice, /LeakyReLU|ELU/);
    assert.equal(report.layer('dead').stats.deadFraction, 1);
    assert.equal(report.layer('dead').stats.zeroFraction, 1);
    assert.ok(report.layer('alive').stats.deadUnits <= 2, 'report.layer(\'alive\').stats.deadUnits <= 2');
    assert.ok(report.layer('dead').verdict.includes('dead'), 'report.layer(\'dead\').verdict.includes(\'dead\')');
    // no gradient passes a dead layer: the layers below it get none (and vanishing says why)
    assert.equal(report.layer('alive').gradRms, 0);
    const vanishing = report.findings.find((f) => f.code === 'vanishing-gradients');
    assert.match(vanishing?.message ?? '', /dead is entirely dead/);
  });

  test('random_normal(stddev 1) on wide layers: initializer variance mismatch, with the chapter\'s initializer', () => {
    gf.setSeed(5);
    const wide = { className: 'RandomNormal', config: { stddev: 1 } };
    const model = new gf.Sequential([
      new gf.layers.Dense(300, { inputShape: [100], activation: 'relu', kernelInitializer: wide, name: 'relu_wide' }),
      new gf.layers.Dense(300, { activation: 'tanh', kernelInitializer: wide, name: 'tanh_wide' }),
      new gf.layers.Dense(300, { activation: 'relu', kernelInitializer: 'he_normal', name: 'relu_he' }),
      new gf.layers.Dense(300, { activation: 'selu', kernelInitializer: 'lecun_normal', name: 'selu_lecun' }),
      new gf.layers.Dense(300, { activation: 'tanh', kernelInitializer: 'glorot_uniform', name: 'tanh_glorot' }),
      new gf.layers.Dense(1, { name: 'out' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const report = gf.diagnostics.inspect(model, gf.randomNormal([64, 100]), gf.zeros([64, 1]));
    const init = report.findings.filter((f) => f.code === 'init-variance');
    assert.deepEqual(init.map((f) => f.layer), ['relu_wide', 'tanh_wide']);
    assert.match(init[0].advice, /he_normal/);
    assert.match(init[1].advice, /glorot_uniform/);
    assert.ok(init[0].values.ratio > 20, `fan_in 100 × var 1 vs He's 2: ratio ${init[0].values.ratio}`);
    assert.ok(init[0].values.varianceRatio > 10, 'the measured output variance explodes too');
    for (const name of ['relu_he', 'selu_lecun', 'tanh_glorot', 'out']) {
      const c = report.layer(name).init!;
      assert.ok(c.ratio > 0.5 && c.ratio < 2, `${name}: ${c.ratio}`);
    }
    assert.equal(report.layer('relu_he').init!.recommended, 'he');
    assert.equal(report.layer('selu_lecun').init!.recommended, 'lecun');
    assert.equal(report.layer('tanh_glorot').init!.recommended, 'glorot');
  });

  test('init checks apply at init only; a linear Dense feeding an activation layer is judged by it', async () => {
    gf.setSeed(6);
    const model = new gf.Sequential([
      new gf.layers.Dense(50, { inputShape: [50], kernelInitializer: 'he_normal', name: 'lin' }),
      new gf.layers.Activation('relu', { name: 'act' }),
      new gf.layers.Dense(50, { kernelInitializer: { className: 'RandomNormal', config: { stddev: 1 } }, useBias: false, name: 'pre_bn' }),
      new gf.layers.BatchNormalization({ name: 'bn' }),
      new gf.layers.Dense(1, { name: 'out' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = gf.randomNormal([64, 50]), y = gf.zeros([64, 1]);
    const report = gf.diagnostics.inspect(model, x, y);
    assert.equal(report.layer('lin').init!.activation, 'relu');
    assert.equal(report.layer('lin').init!.recommended, 'he');
    assert.equal(report.layer('pre_bn').init, null, 'BN after the layer rescales whatever comes in');
    assert.ok(!report.findings.some((f) => f.code === 'init-variance'), '!report.findings.some((f) => f.code === \'init-variance\')');
    const bad = new gf.Sequential([new gf.layers.Dense(50, { inputShape: [50], kernelInitializer: { className: 'RandomNormal', config: { stddev: 1 } } })]);
    bad.compile({ optimizer: 'sgd', loss: 'mse' });
    assert.ok(gf.diagnostics.inspect(bad, x, gf.zeros([64, 50])).findings.some((f) => f.code === 'init-variance'));
    await bad.fit(x, gf.zeros([64, 50]), { epochs: 1, batchSize: 64, verbose: 0 });
    const trained = gf.diagnostics.inspect(bad, x, gf.zeros([64, 50]));
    assert.equal(trained.atInit, false);
    assert.ok(!trained.findings.some((f) => f.code === 'init-variance'), 'trained weights are not judged as an init');
  });

  test('a NaN weight: the first layer with a non-finite value is named', () => {
    gf.setSeed(7);
    const model = new gf.Sequential([
      new gf.layers.Dense(8, { inputShape: [4], activation: 'relu', name: 'a' }),
      new gf.layers.Dense(8, { activation: 'tanh', name: 'b' }),
      new gf.layers.Dense(2, { name: 'c' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const b = model.getLayer('b') as gf.layers.Dense;
    b.kernel!.data[3] = NaN;
    const report = gf.diagnostics.inspect(model, gf.randomNormal([16, 4]), gf.zeros([16, 2]));
    const nan = report.findings.filter((f) => f.code === 'non-finite');
    assert.equal(nan.length, 1);
    assert.equal(nan[0].layer, 'b');
    assert.equal(nan[0].severity, 'error');
    assert.ok(report.layer('b').verdict.includes('non-finite'), 'report.layer(\'b\').verdict.includes(\'non-finite\')');
    assert.equal(report.layer('a').stats.nonFinite, 0, 'the layer before is finite forward…');
    assert.ok(report.layer('a').weights.every((w) => w.nonFinite), '…but its gradients come back through b');
  });
});

describe('inspect: models, modes and inputs', () => {
  test('nested and functional models are walked layer by layer; gradients of every layer output', () => {
    gf.setSeed(8);
    const inner = new gf.Sequential([
      new gf.layers.Dense(16, { inputShape: [8], activation: 'relu', kernelInitializer: 'he_normal', name: 'inner_dense' }),
    ], { name: 'inner' });
    const input = gf.input([8], { name: 'x' });
    const a = inner.apply(input);
    const b = new gf.layers.Dense(16, { activation: 'relu', kernelInitializer: 'he_normal', name: 'side' }).apply(input);
    const sum = new gf.layers.Add({ name: 'sum' }).apply([a, b]);
    const out = new gf.layers.Dense(1, { name: 'out' }).apply(sum);
    const model = new gf.Model({ inputs: input, outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const report = gf.diagnostics.inspect(model, gf.randomNormal([32, 8]), gf.randomNormal([32, 1]));
    assert.deepEqual(report.layers.map((l) => l.name), ['inner/inner_dense', 'side', 'sum', 'out']);
    assert.equal(report.layer('inner_dense').className, 'Dense');
    assert.equal(report.layer('sum').className, 'Add');
    assert.equal(report.layer('out').isOutput, true);
    for (const l of report.layers) assert.ok(l.outputGradNorm! > 0, `${l.name} has ∂L/∂output`);
    assert.deepEqual(report.layer('inner_dense').outputShape, [32, 16]);
    // the layers' call methods are restored
    assert.ok(!Object.prototype.hasOwnProperty.call(model.getLayer('side'), 'call'));
    assert.ok(!Object.prototype.hasOwnProperty.call(model.getLayer('sum'), 'callMany'));
  });

  test('inference mode by default; training mode restores the BN moving statistics', () => {
    gf.setSeed(9);
    const model = new gf.Sequential([
      new gf.layers.Dense(8, { inputShape: [4], name: 'd' }),
      new gf.layers.BatchNormalization({ name: 'bn' }),
      new gf.layers.Dense(1, { name: 'out' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = model.getWeights().map((w) => Array.from(w.data));
    const x = gf.add(gf.randomNormal([32, 4]), 3), y = gf.zeros([32, 1]);
    const inference = gf.diagnostics.inspect(model, x, y);
    const training = gf.diagnostics.inspect(model, x, y, { training: true });
    assert.deepEqual(model.getWeights().map((w) => Array.from(w.data)), before, 'no weight or moving statistic changed');
    // in training mode BN normalizes by the batch: mean ≈ 0, std ≈ 1
    assert.ok(Math.abs(training.layer('bn').stats.mean) < 1e-3, 'Math.abs(training.layer(\'bn\').stats.mean) < 1e-3');
    assert.ok(Math.abs(inference.layer('bn').stats.mean) > 0.05, 'moving statistics at init (0, 1) leave the shift');
  });

  test('an uncompiled model needs a loss; bad arguments are named', () => {
    const model = new gf.Sequential([new gf.layers.Dense(2, { inputShape: [3] })]);
    const x = gf.randomNormal([4, 3]), y = gf.zeros([4, 2]);
    assert.throws(() => gf.diagnostics.inspect(model, x, y), /not compiled.*loss/);
    const report = gf.diagnostics.inspect(model, x, y, { loss: 'mse' });
    assert.equal(report.layers.length, 1);
    assert.throws(() => gf.diagnostics.inspect(model, x, y, { loss: 'mse', thresholds: { vanish: 1 } as never }), /unknown threshold 'vanish'/);
    assert.throws(() => gf.diagnostics.inspect(model, x, y, { loss: 'mse', batchSize: 0 }), /batchSize/);
    assert.throws(() => gf.noGrad(() => gf.diagnostics.inspect(model, x, y, { loss: 'mse' })), /noGrad/);
    // batchSize keeps the first samples
    assert.equal(gf.diagnostics.inspect(model, gf.randomNormal([10, 3]), gf.zeros([10, 2]), { loss: 'mse', batchSize: 6 }).samples, 6);
  });

  test('thresholds can be overridden; the result serializes to JSON', () => {
    gf.setSeed(10);
    const model = deepMlp(4, 'sigmoid', { className: 'RandomNormal', config: { stddev: 1 } });
    const x = gf.randomUniform([64, 28, 28]), y = labels(64);
    const strict = gf.diagnostics.inspect(model, x, y, { thresholds: { saturatedFraction: 0.99, initGain: [0, Infinity] } });
    assert.ok(!codes(strict.findings).has('saturation'), '!codes(strict.findings).has(\'saturation\')');
    assert.ok(!codes(strict.findings).has('init-variance'), '!codes(strict.findings).has(\'init-variance\')');
    const json = JSON.parse(JSON.stringify(gf.diagnostics.inspect(model, x, y)));
    assert.equal(json.layers.length, 6);
    assert.ok(Array.isArray(json.findings) && json.findings[0].advice, 'Array.isArray(json.findings) && json.findings[0].advice');
    assert.equal(gf.diagnostics.DEFAULT_THRESHOLDS.vanishingRatio, 1e-2);
  });
});
