/**
 * The train config format (docs/cli.md): every error names the key path, what was allowed and
 * what came, with a "did you mean" for typos; snake_case and camelCase keys both work; defaults
 * are filled into the resolved config, which plans again to itself; presets, schedules and
 * callbacks are built from their configs. No data is loaded here: validation precedes it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as gf from '../src/node.js';
import { ConfigError } from '../src/cli/io.js';
import { DATASET_KEYS, planTraining, TOP_KEYS, type TrainPlan } from '../src/cli/config/plan.js';
import { callbackNames } from '../src/cli/config/training.js';
import { readConfigFile } from '../src/cli/config/load.js';
import { closest, toSnake } from '../src/cli/suggest.js';
import { fitStandardization, standardizeWith } from '../src/cli/data.js';
import { runCli, tempDir, tinyConfig, writeJson } from './helpers/cli.js';

const plan = (raw: unknown): TrainPlan => planTraining(raw, { name: 'test', runDir: '/tmp/gradflow-run', cwd: '/tmp', print: () => {} });

/** Asserts a ConfigError at `path` whose message contains every `part`. */
function rejects(raw: unknown, path: string, ...parts: string[]): void {
  let error: unknown;
  try { plan(raw); } catch (e) { error = e; }
  assert.ok(error instanceof ConfigError, `expected a ConfigError at ${path}, got ${error === undefined ? 'no error' : String(error)}`);
  assert.equal(error.path, path, error.message);
  for (const part of parts) assert.ok(error.message.includes(part), `'${error.message}' lacks '${part}'`);
}

const layers = (...extra: unknown[]): unknown[] => [
  { class_name: 'Flatten' },
  ...extra,
  { class_name: 'Dense', config: { units: 10, activation: 'softmax' } },
];

describe('train config: errors name the key path and the allowed values', () => {
  test('unknown top-level key, with a did-you-mean and the allowed keys', () => {
    rejects(tinyConfig({ epoch: 3 }), 'epoch', "did you mean 'epochs'", 'allowed keys: name, description, seed, epochs, batch_size');
  });

  test('a layer activation names model.layers[i].config.activation and lists the activations', () => {
    rejects(tinyConfig({ model: { layers: layers({ class_name: 'Dense', config: { units: 30, activation: 'relux' } }) } }),
      'model.layers[1].config.activation', '"relux"', "did you mean 'relu'", 'expected one of:', 'selu', 'swish');
  });

  test('an unknown layer key is suggested in the spelling the config uses', () => {
    rejects(tinyConfig({ model: layers({ class_name: 'Dense', config: { units: 30, kernel_initializr: 'he_normal' } }) }),
      'model[1].config.kernel_initializr', "did you mean 'kernel_initializer'", 'use_bias');
    rejects(tinyConfig({ model: layers({ class_name: 'Dense', config: { units: 30, kernelInitializr: 'he_normal' } }) }),
      'model[1].config.kernelInitializr', "did you mean 'kernelInitializer'", 'useBias');
  });

  test('the same key in two spellings is an error; camelCase alone is accepted', () => {
    rejects(tinyConfig({ model: layers({ class_name: 'Dense', config: { units: 30, use_bias: false, useBias: true } }) }),
      'model[1].config.useBias', 'given twice');
    const p = plan(tinyConfig({ model: layers({ className: 'Dense', config: { units: 30, useBias: false, kernelInitializer: 'he_normal' } }) }));
    const dense = p.model.layers[1] as gf.layers.Dense;
    assert.equal(dense.useBias, false);
    assert.equal(dense.kernelInitializer.constructor, gf.initializers.HeNormal);
  });

  test('unknown layer class, initializer, regularizer value', () => {
    rejects(tinyConfig({ model: layers({ class_name: 'Dens', config: { units: 3 } }) }), 'model[1].class_name', "did you mean 'Dense'", 'BatchNormalization');
    rejects(tinyConfig({ model: layers({ class_name: 'Dense', config: { units: 3, kernel_initializer: 'he_normall' } }) }),
      'model[1].config.kernel_initializer', "did you mean 'he_normal'", 'lecun_normal');
    rejects(tinyConfig({ model: layers({ class_name: 'Dense', config: { units: 3, kernel_regularizer: { class_name: 'L2', config: { l2: -1 } } } }) }),
      'model[1].config.kernel_regularizer.config.l2', 'must be', '-1');
  });

  test('a value the layer rejects is reported at its key', () => {
    rejects(tinyConfig({ model: layers({ class_name: 'Dense', config: { units: -3 } }) }), 'model[1].config.units', 'positive integer', '-3');
    rejects(tinyConfig({ model: layers({ class_name: 'Dropout', config: { rate: 1.5 } }) }), 'model[1].config.rate', '[0, 1)', '1.5');
  });

  test('the model must fit the dataset: input shape and class count', () => {
    rejects(tinyConfig({ model: [{ class_name: 'Dense', config: { units: 10, activation: 'softmax', input_shape: [784] } }] }),
      'model[0]', 'input shape [784]', '[28, 28]');
    rejects(tinyConfig({ model: [{ class_name: 'Flatten' }, { class_name: 'Dense', config: { units: 5, activation: 'softmax' } }] }),
      'model[1]', 'outputs 5 values', '10 classes');
    rejects(tinyConfig({ model: [] }), 'model', 'at least one layer');
    rejects(tinyConfig({ model: 'mlp' }), 'model', 'a list of layers', '"mlp"');
  });

  test('optimizer: names, keys and learning-rate schedules', () => {
    rejects(tinyConfig({ optimizer: 'sgdd' }), 'optimizer', "did you mean 'sgd'", 'adam, adamax, adamw');
    rejects(tinyConfig({ optimizer: { class_name: 'SGD', config: { momentm: 0.9 } } }), 'optimizer.config.momentm', "did you mean 'momentum'", 'nesterov');
    rejects(tinyConfig({ optimizer: { class_name: 'SGD', config: { momentum: 2 } } }), 'optimizer.config.momentum', 'momentum', '2');
    rejects(tinyConfig({ optimizer: { class_name: 'SGD', config: { learning_rate: { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.01, decay_step: 10 } } } } }),
      'optimizer.config.learning_rate.config.decay_step', "did you mean 'decaySteps'");
    rejects(tinyConfig({ optimizer: { class_name: 'SGD', config: { learning_rate: { class_name: 'ExpDecay', config: {} } } } }),
      'optimizer.config.learning_rate.class_name', 'ExponentialDecay');
  });

  test('loss, metrics and callbacks', () => {
    rejects(tinyConfig({ loss: 'sparse_categorical_crossentropyy' }), 'loss', "did you mean 'sparse_categorical_crossentropy'");
    rejects(tinyConfig({ metrics: ['acuracy'] }), 'metrics[0]', "did you mean 'accuracy'");
    rejects(tinyConfig({ metrics: 'accuracy' }), 'metrics', 'a list of metrics');
    rejects(tinyConfig({ callbacks: [{ class_name: 'EarlyStoping' }] }), 'callbacks[0].class_name', "did you mean 'EarlyStopping'", 'ReduceLROnPlateau');
    rejects(tinyConfig({ callbacks: [{ class_name: 'EarlyStopping', config: { patiense: 2 } }] }), 'callbacks[0].config.patiense', "did you mean 'patience'");
    rejects(tinyConfig({ callbacks: [{ class_name: 'EarlyStopping', config: { patience: -2 } }] }), 'callbacks[0].config.patience', '-2');
    rejects(tinyConfig({ callbacks: [{ class_name: 'ModelCheckpoint' }] }), 'callbacks[0].config.filepath', 'required');
    rejects(tinyConfig({ callbacks: [{ class_name: 'History' }] }), 'callbacks[0].class_name', 'not needed');
  });

  test('dataset: name, preprocessing, validation, samples', () => {
    rejects(tinyConfig({ dataset: { name: 'fashion_mnistt' } }), 'dataset.name', "did you mean 'fashion-mnist'", 'cifar10');
    rejects(tinyConfig({ dataset: { preprocessing: 'scaled' } }), 'dataset.preprocessing', 'scale, standardize, none', "did you mean 'scale'");
    rejects(tinyConfig({ dataset: { validation: 1.5 } }), 'dataset.validation', 'fraction in (0, 1)', '1.5');
    rejects(tinyConfig({ dataset: { validation: 60000 } }), 'dataset.validation', '0 … 59999');
    rejects(tinyConfig({ dataset: { samples: 0 } }), 'dataset.samples', 'positive integer');
    rejects(tinyConfig({ dataset: { nmae: 'mnist' } }), 'dataset.nmae', "did you mean 'name'");
  });

  test('presets: options checked by the preset, settings the CLI owns refused', () => {
    rejects({ model: { preset: 'defaultDNN', hidden_layer: 3 } }, 'model.hidden_layer', "did you mean 'hiddenLayers'");
    rejects({ model: { preset: 'defaultDNN', optimizer: 'rms' } }, 'model.optimizer', "'nesterov'", "'rms'");
    rejects({ model: { preset: 'defaultDNN', input_shape: [784] } }, 'model.input_shape', 'from the dataset');
    rejects({ model: { preset: 'defaultDNN' }, optimizer: 'sgd' }, 'optimizer', 'not allowed with a preset');
    rejects({ model: { preset: 'defaultDN' } }, 'model.preset', "did you mean 'defaultDNN'");
    rejects({ model: { preset: 'defaultDNN', schedule: '1cycle' } }, 'epochs', '1cycle');
  });

  test('type errors say what came', () => {
    rejects(tinyConfig({ epochs: '10' }), 'epochs', 'positive integer', 'the string "10"');
    rejects(tinyConfig({ seed: -1 }), 'seed', 'non-negative integer');
    rejects(tinyConfig({ name: 'my run' }), 'name', 'letters, digits');
    rejects([], '', 'a config object');
  });
});

describe('train config: what it builds and resolves', () => {
  test('defaults filled in Keras spelling; the resolved config plans to itself', () => {
    const p = plan({ model: layers({ class_name: 'Dense', config: { units: 30, activation: 'relu' } }) });
    assert.deepEqual(
      { ...p.resolved, model: undefined },
      {
        name: 'test', seed: 42, epochs: 1, batch_size: 32, shuffle: true, model: undefined,
        dataset: { name: 'fashion-mnist', dir: null, samples: null, preprocessing: 'scale', validation: 5000 },
        optimizer: 'rmsprop', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], callbacks: [],
      },
    );
    assert.deepEqual(plan(p.resolved).resolved, p.resolved);
  });

  test('the example configs build the chapter\'s models (parameter counts of chapter-experiments.md)', async () => {
    const mlp = plan(await readConfigFile('examples/configs/fashion-mnist-mlp.json'));
    assert.equal(mlp.model.countParams(), 266_610);
    assert.equal(mlp.epochs, 10);
    const bn = plan(await readConfigFile('examples/configs/fashion-mnist-bn-1cycle.yaml'));
    assert.equal(bn.model.countParams(), 267_810);
    assert.equal(bn.model.nonTrainableWeights.reduce((n, w) => n + w.size, 0), 800);
    // OneCycle's total_steps defaults to epochs × ⌈55,000 / 128⌉ = 10 × 430
    const lr = ((bn.resolved.optimizer as { config: { learning_rate: { config: Record<string, unknown> } } }).config.learning_rate.config);
    assert.equal(lr.total_steps, 4300);
    const optimizer = bn.model.optimizer as gf.optimizers.SGD;
    assert.equal(optimizer.nesterov, true);
    assert.equal(optimizer.momentum, 0.9);
    const preset = plan(await readConfigFile('examples/configs/fashion-mnist-preset.yaml'));
    assert.equal(preset.model.countParams(), 99_710);
    assert.equal(preset.epochs, 10);
    assert.ok(preset.callbacks.some((c) => c instanceof gf.callbacks.ReduceLROnPlateau));
  });

  test('--samples and --epochs override the config and are recorded', () => {
    const p = planTraining(tinyConfig({ epochs: 5 }), { name: 't', runDir: '/tmp/r', cwd: '/tmp', print: () => {}, overrides: { epochs: 2, samples: 100, seed: 7 } });
    assert.equal(p.epochs, 2);
    assert.equal(p.seed, 7);
    assert.equal(p.data.samples, 100);
    assert.equal((p.resolved.dataset as { samples: number }).samples, 100);
  });

  test('LearningRateScheduler takes a schedule of the epoch: the chapter\'s 0.01 · 0.1^(epoch / 20)', () => {
    const p = plan(tinyConfig({
      callbacks: [{ class_name: 'LearningRateScheduler', config: { schedule: { class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.01, decay_steps: 20, decay_rate: 0.1 } } } }],
    }));
    const cb = p.callbacks[0] as gf.callbacks.LearningRateScheduler;
    // reference/chapter-experiments.md: epochs 21 … 24 → 8.9125e-04, 7.9433e-04, 7.0795e-04, 6.3096e-04
    [8.9125e-4, 7.9433e-4, 7.0795e-4, 6.3096e-4].forEach((want, i) => assert.ok(Math.abs(cb.schedule(21 + i, 0) - want) < 5e-8));
  });

  test('callback files resolve in the run folder', () => {
    const p = plan(tinyConfig({ callbacks: [{ class_name: 'CSVLogger', config: { filename: 'log.csv' } }, { class_name: 'ModelCheckpoint', config: { filepath: 'ckpt/m-{epoch:02d}.safetensors' } }] }));
    assert.equal((p.callbacks[0] as gf.callbacks.CSVLogger).filename, '/tmp/gradflow-run/log.csv');
    assert.equal((p.callbacks[1] as gf.callbacks.ModelCheckpoint).filepath, '/tmp/gradflow-run/ckpt/m-{epoch:02d}.safetensors');
  });

  test('the seed fixes the initial weights', () => {
    const a = plan(tinyConfig({ seed: 3 })).model.getWeights()[0].data;
    const b = plan(tinyConfig({ seed: 3 })).model.getWeights()[0].data;
    const c = plan(tinyConfig({ seed: 4 })).model.getWeights()[0].data;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('config files', () => {
  test('YAML syntax errors and duplicate keys give the line; JSON errors the position', async () => {
    const { dir, cleanup } = await tempDir('cfg');
    try {
      await writeFile(join(dir, 'a.yaml'), 'epochs: 3\nmodel:\n  - class_name: Flatten\n epochs: 4\n');
      await assert.rejects(readConfigFile(join(dir, 'a.yaml'), 'a.yaml'), (e: Error) => e instanceof ConfigError && /a\.yaml: not valid YAML at line \d/.test(e.message));
      await writeFile(join(dir, 'b.yaml'), 'epochs: 3\nepochs: 4\n');
      await assert.rejects(readConfigFile(join(dir, 'b.yaml'), 'b.yaml'), (e: Error) => e instanceof ConfigError && /line 2/.test(e.message));
      await writeFile(join(dir, 'c.json'), '{\n  "epochs": 3,\n  "model": [ }\n');
      await assert.rejects(readConfigFile(join(dir, 'c.json'), 'c.json'), (e: Error) => e instanceof ConfigError && /c\.json: not valid JSON/.test(e.message));
    } finally { await cleanup(); }
  });

  test('gradflow train: a config error exits 2 before any data is read, naming file and key path', async () => {
    const { dir, cleanup } = await tempDir('cfg');
    try {
      // the dataset directory does not exist: a config error must be reported first
      await writeJson(join(dir, 'bad.json'), tinyConfig({
        dataset: { dir: join(dir, 'no-such-dir') },
        model: { layers: layers({ class_name: 'Dense', config: { units: 30 } }, { class_name: 'Dense', config: { units: 30, activation: 'relux' } }) },
      }));
      const r = await runCli(['train', 'bad.json'], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^gradflow: error: bad\.json: model\.layers\[2\]\.config\.activation: unknown activation "relux" \(did you mean 'relu'\?\); expected one of: .*sigmoid/);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
      assert.equal(r.stdout, '');
    } finally { await cleanup(); }
  });

  test('gradflow train: data that cannot be found exits 1 and leaves no run folder', async () => {
    const { dir, cleanup } = await tempDir('cfg');
    try {
      await writeJson(join(dir, 'ok.json'), tinyConfig({ dataset: { dir: join(dir, 'empty') } }));
      const r = await runCli(['train', 'ok.json', '--quiet'], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /not found/);
      assert.deepEqual(await readdir(join(dir, 'runs')), [], 'the empty .partial work folder is removed');
    } finally { await cleanup(); }
  });
});

describe('docs/cli.md documents the format', () => {
  test('every top-level key, dataset key and callback appears in docs/cli.md', async () => {
    const doc = await readFile('docs/cli.md', 'utf8');
    for (const k of [...TOP_KEYS, ...DATASET_KEYS]) assert.ok(doc.includes(`\`${toSnake(k)}\``), `docs/cli.md lacks \`${toSnake(k)}\``);
    for (const c of callbackNames()) assert.ok(doc.includes(c), `docs/cli.md lacks ${c}`);
  });
});

describe('standardization saved with a run', () => {
  test("as gf.datasets.standardize (train statistics, population std); a constant feature gets std 1", () => {
    const x = gf.tensor([[0, 1, 5], [0, 3, 5], [0, 8, 5]]);
    const s = fitStandardization(x);
    assert.deepEqual(Array.from(s.std.data).map((v) => +v.toFixed(6)), [1, +Math.sqrt(26 / 3).toFixed(6), 1]);
    assert.deepEqual(Array.from(s.mean.data), [0, 4, 5]);
    const lib = gf.datasets.standardize(gf.tensor([[1], [3], [8]])).train;
    const ours = standardizeWith(x, s);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(ours.data[i * 3 + 1] - lib.data[i]) < 1e-6);
    assert.deepEqual([ours.data[0], ours.data[2]], [0, 0]);
  });
});

describe('did you mean', () => {
  test('close words are suggested, far ones are not', () => {
    assert.equal(closest('epoch', ['epochs', 'seed']), 'epochs');
    assert.equal(closest('kernel_initializr', ['kernelInitializer', 'units']), 'kernelInitializer');
    assert.equal(closest('xyz', ['epochs', 'seed']), undefined);
  });
});
