/**
 * The chapter's experiments, part A (examples/vanishing-gradients.ts … guidelines.ts), each run
 * with a tiny budget: the result's structure, finite numbers, and the protocol details that
 * matter — parameter counts, activations and initializers, one set of initial weights across
 * the optimizer and clipping runs, the clipping settings, the schedules' exact values and the
 * learning rate logged per epoch, the presets' choices.
 *
 * Data: the real Fashion-MNIST, found the way users find it (skipped, with the reason, when no
 * copy exists). To keep the file fast, `before` writes a subset of the real IDX files to a temp
 * folder — the first 5,000 and the last 5,000 training images, the first 1,000 test images —
 * and every experiment reads it through `dataDir`: with a `samples` cap of 256 the splits are
 * the real split's first 256 train / valid / test images; only the SELU runs' standardization
 * statistics come from 5,000 images instead of 55,000.
 *
 * Every run is observed through ExperimentOptions.callbacks: a callback captures the model, its
 * weights before training, the optimizer and fit's parameters.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/node.js';
import { experiment as vanishing } from '../examples/vanishing-gradients.js';
import { experiment as activations } from '../examples/activations.js';
import { experiment as batchNorm } from '../examples/batch-norm.js';
import { experiment as clipping } from '../examples/clipping.js';
import { experiment as optimizersExperiment, OPTIMIZERS } from '../examples/optimizers.js';
import {
  experiment as schedules, powerSchedule, exponentialSchedule, exponentialDecayPerEpoch, piecewiseSchedule, oneCycleSchedule,
} from '../examples/schedules.js';
import { experiment as guidelines } from '../examples/guidelines.js';

const SAMPLES = 256;

let skip: string | false = false;
try {
  await gf.datasets.resolveSource(gf.datasets.fashionMnist.spec, { download: false });
} catch (e) {
  if (!(e instanceof gf.datasets.DatasetNotFoundError)) throw e;
  skip = 'Fashion-MNIST files absent (apt-get install -y dataset-fashion-mnist, or set GRADFLOW_DATA)';
}

/** An IDX file: magic (0, 0, 8 = uint8, ndim), big-endian dims, then the bytes. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint8(2, 8);
  header.setUint8(3, dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(data, header.byteLength);
  return out;
}

let dataDir = '';
before(async () => {
  if (skip) return;
  const raw = await gf.datasets.fashionMnist.loadBytes({ download: false });
  const px = 28 * 28, n = raw.train.y.length, head = 5000, tail = 5000;
  const trainX = new Uint8Array((head + tail) * px), trainY = new Uint8Array(head + tail);
  trainX.set(raw.train.x.subarray(0, head * px), 0);
  trainX.set(raw.train.x.subarray((n - tail) * px), head * px);
  trainY.set(raw.train.y.subarray(0, head), 0);
  trainY.set(raw.train.y.subarray(n - tail), head);
  dataDir = await mkdtemp(join(tmpdir(), 'gradflow-experiments-a-'));
  await writeFile(join(dataDir, 'train-images-idx3-ubyte'), idx([head + tail, 28, 28], trainX));
  await writeFile(join(dataDir, 'train-labels-idx1-ubyte'), idx([head + tail], trainY));
  await writeFile(join(dataDir, 't10k-images-idx3-ubyte'), idx([1000, 28, 28], raw.test.x.subarray(0, 1000 * px)));
  await writeFile(join(dataDir, 't10k-labels-idx1-ubyte'), idx([1000], raw.test.y.subarray(0, 1000)));
});
after(async () => { if (dataDir) await rm(dataDir, { recursive: true, force: true }); });

interface Seen {
  model: gf.Model;
  /** The weights when fit began (copies). */
  initial: gf.Tensor[];
  optimizer: gf.optimizers.Optimizer;
  params: gf.callbacks.TrainingParams;
}

/** ExperimentOptions.callbacks that record every run's model, initial weights, optimizer and fit params. */
function observer(): { callbacks: (runName: string) => gf.Callback[]; seen: Map<string, Seen> } {
  const seen = new Map<string, Seen>();
  return {
    seen,
    callbacks: (runName) => [new (class extends gf.Callback {
      override onTrainBegin(): void {
        const model = this.model as unknown as gf.Model;
        seen.set(runName, { model, initial: model.getWeights().map((w) => w.clone()), optimizer: model.optimizer!, params: { ...this.params! } });
      }
    })()],
  };
}

async function runTiny(experiment: gf.experiments.Experiment, epochs = 1): Promise<{ result: gf.experiments.ExperimentResult; seen: Map<string, Seen> }> {
  const { callbacks, seen } = observer();
  const result = await experiment.run({ samples: SAMPLES, epochs, dataDir, verbose: 0, callbacks });
  return { result, seen };
}

/** What every experiment's result must satisfy. */
function checkResult(experiment: gf.experiments.Experiment, result: gf.experiments.ExperimentResult, names: string[], epochs: number): void {
  assert.equal(result.id, experiment.id);
  assert.equal(result.title, experiment.title);
  assert.equal(result.seed, 42);
  assert.equal(result.epochs, epochs);
  assert.equal(result.samples, SAMPLES);
  assert.deepEqual(result.runs.map((r) => r.name), names);
  for (const r of result.runs) {
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']) {
      assert.ok(Array.isArray(r.history[key]) && r.history[key].length >= 1 && r.history[key].length <= epochs, `${r.name}: history.${key}`);
      assert.ok(r.history[key].every(Number.isFinite), `${r.name}: history.${key} has non-finite values: ${r.history[key]}`);
      assert.equal(r.final[key], r.history[key][r.history[key].length - 1]);
    }
    assert.ok(r.final.accuracy >= 0 && r.final.accuracy <= 1 && r.final.val_accuracy >= 0 && r.final.val_accuracy <= 1, r.name);
    assert.ok(r.seconds >= 0 && Number.isFinite(r.seconds), `${r.name}: seconds`);
    assert.ok(typeof r.params === 'number' && r.params > 0, `${r.name}: params`);
    assert.match(r.summary ?? '', /Total params/);
    for (const [k, v] of Object.entries(r.extra ?? {})) assert.ok(typeof v === 'string' || Number.isFinite(v), `${r.name}: extra.${k} = ${v}`);
    for (const [k, v] of Object.entries(r.test ?? {})) assert.ok(Number.isFinite(v), `${r.name}: test.${k} = ${v}`);
  }
  assert.ok(result.notes.length > 0 && result.notes.every((n) => typeof n === 'string' && n.length > 0));
  assert.ok(!result.notes.some((n) => /NaN|undefined/.test(n)), `a note shows NaN or undefined:\n${result.notes.join('\n')}`);
  const table = gf.experiments.formatResultTable(result);
  for (const name of names) assert.ok(table.includes(name), `the table lists ${name}`);
}

const sameWeights = (a: gf.Tensor[], b: gf.Tensor[]): boolean =>
  a.length === b.length && a.every((t, i) => t.shape.join() === b[i].shape.join() && t.data.every((v, j) => Object.is(v, b[i].data[j])));

const denseLayers = (m: gf.Model): gf.layers.Dense[] => m.layers.filter((l): l is gf.layers.Dense => l instanceof gf.layers.Dense);
const config = (l: gf.layers.Layer): Record<string, unknown> => l.getConfig() as Record<string, unknown>;
const initName = (l: gf.layers.Layer): unknown => (config(l).kernelInitializer as { className: string }).className;
const activationName = (l: gf.layers.Layer): unknown => {
  const a = config(l).activation;
  return typeof a === 'string' ? a : (a as { className?: string } | undefined)?.className;
};

describe('experiments, part A (tiny budgets, real Fashion-MNIST)', { skip }, () => {
  test('vanishing-gradients: selu-100 (1,079,410 params) and relu-100 at SGD 0.001, a saturating sigmoid net, gradient profiles', async () => {
    const { result, seen } = await runTiny(vanishing);
    const names = ['SELU + lecun_normal (100 layers)', 'ReLU + he_normal (100 layers)', 'sigmoid + random_normal(1) (20 layers)'];
    checkResult(vanishing, result, names, 1);
    assert.equal(vanishing.defaultEpochs, 5);
    const [selu, relu, sigmoid] = result.runs;
    assert.equal(selu.params, 1_079_410);
    assert.equal(relu.params, 1_079_410);
    assert.equal(sigmoid.params, 784 * 100 + 100 + 19 * (100 * 100 + 100) + 1010);
    const expect: Array<[string, number, string, string]> = [[names[0], 100, 'selu', 'LecunNormal'], [names[1], 100, 'relu', 'HeNormal'], [names[2], 20, 'sigmoid', 'RandomNormal']];
    for (const [name, depth, activation, init] of expect) {
      const s = seen.get(name)!;
      const dense = denseLayers(s.model);
      assert.equal(dense.length, depth + 1, name);
      assert.ok(dense.slice(0, depth).every((l) => activationName(l) === activation && initName(l) === init), `${name}: ${activation} + ${init}`);
      assert.equal(activationName(dense[depth]), 'softmax');
      assert.equal(s.optimizer.className, 'SGD');
      assert.equal(s.optimizer.learningRate, 0.001);
    }
    for (const r of result.runs) {
      assert.ok(Number(r.extra?.grad_ratio_init) > 0 && Number(r.extra?.grad_ratio_trained) > 0, r.name);
    }
    // N(0, 1) weights saturate the sigmoids: the diagnostics see it at init
    assert.ok(Number(sigmoid.extra?.saturated_init) > 0.2, `saturated_init ${sigmoid.extra?.saturated_init}`);
    assert.ok(result.notes.some((n) => n.startsWith(names[2]) && /findings at init: [^;]*saturation/.test(n)), result.notes.join('\n'));
    assert.ok(result.notes.some((n) => n.startsWith(names[0]) && /self-normalization check: passed/.test(n)), 'the SELU net is self-normalizing at init');
  });

  test('activations: mlp-300-100 with each activation, He init (SELU: LeCun), SGD 0.001', async () => {
    const { result, seen } = await runTiny(activations);
    const names = ['ReLU (baseline)', 'LeakyReLU(0.2)', 'PReLU', 'ELU', 'SELU (lecun_normal, standardized)', 'GELU', 'Swish', 'Mish'];
    checkResult(activations, result, names, 1);
    assert.equal(activations.defaultEpochs, 10);
    for (const r of result.runs) assert.equal(r.params, r.name === 'PReLU' ? 266_610 + 400 : 266_610, r.name);
    const hidden = (name: string): gf.layers.Dense[] => denseLayers(seen.get(name)!.model).slice(0, 2);
    for (const [name, activation] of [['ReLU (baseline)', 'relu'], ['ELU', 'elu'], ['GELU', 'gelu'], ['Swish', 'swish'], ['Mish', 'mish']]) {
      assert.ok(hidden(name).every((l) => activationName(l) === activation && initName(l) === 'HeNormal'), name);
    }
    assert.ok(hidden('SELU (lecun_normal, standardized)').every((l) => activationName(l) === 'selu' && initName(l) === 'LecunNormal'));
    const leaky = seen.get('LeakyReLU(0.2)')!.model.layers.filter((l) => l instanceof gf.layers.LeakyReLU);
    assert.equal(leaky.length, 2);
    assert.ok(leaky.every((l) => (config(l).negativeSlope ?? config(l).alpha) === 0.2), JSON.stringify(config(leaky[0])));
    assert.equal(seen.get('PReLU')!.model.layers.filter((l) => l instanceof gf.layers.PReLU).length, 2);
    for (const s of seen.values()) assert.equal(s.optimizer.learningRate, 0.001);
  });

  test("batch-norm: bn-after and bn-before have the chapter's exact parameter counts; SGD 0.01", async () => {
    const { result, seen } = await runTiny(batchNorm);
    checkResult(batchNorm, result, ['bn-after', 'bn-before', 'no BN (baseline)'], 1);
    assert.equal(batchNorm.defaultEpochs, 2);
    const counts = (name: string): number[] => {
      const m = seen.get(name)!.model;
      const size = (ws: gf.layers.Variable[]): number => ws.reduce((n, w) => n + w.size, 0);
      return [m.countParams(), size(m.trainableWeights), size(m.nonTrainableWeights)];
    };
    assert.deepEqual(counts('bn-after'), [271_346, 268_978, 2_368]);
    assert.deepEqual(counts('bn-before'), [267_810, 267_010, 800]);
    assert.deepEqual(counts('no BN (baseline)'), [266_610, 266_610, 0]);
    const bnParams = seen.get('bn-after')!.model.layers.filter((l) => l instanceof gf.layers.BatchNormalization).map((l) => l.countParams());
    assert.deepEqual(bnParams, [3_136, 1_200, 400]);
    assert.ok(denseLayers(seen.get('bn-before')!.model).slice(0, 2).every((l) => config(l).useBias === false));
    assert.equal(result.runs[0].extra?.trainable_params, '268,978');
    assert.ok(result.notes.filter((n) => n.includes('✓')).length === 3 && !result.notes.some((n) => n.includes('MISMATCH')), result.notes.join('\n'));
    for (const s of seen.values()) assert.equal(s.optimizer.learningRate, 0.01);
  });

  test('clipping: clipvalue / clipnorm / globalClipnorm 1.0 and no clipping, from the same initial weights', async () => {
    const { result, seen } = await runTiny(clipping);
    const names = ['no clipping', 'clipvalue=1.0', 'clipnorm=1.0', 'globalClipnorm=1.0'];
    checkResult(clipping, result, names, 1);
    const opt = (name: string): gf.optimizers.Optimizer => seen.get(name)!.optimizer;
    assert.deepEqual([opt(names[0]).clipvalue, opt(names[0]).clipnorm, opt(names[0]).globalClipnorm], [null, null, null]);
    assert.equal(opt(names[1]).clipvalue, 1.0);
    assert.equal(opt(names[2]).clipnorm, 1.0);
    assert.equal(opt(names[3]).globalClipnorm, 1.0);
    for (const name of names) {
      assert.equal(opt(name).learningRate, 0.01);
      assert.ok(sameWeights(seen.get(name)!.initial, seen.get(names[0])!.initial), `${name} starts from the same weights`);
    }
    assert.equal(result.runs[0].extra?.clipped_fraction, undefined);
    for (const r of result.runs.slice(1)) {
      const f = Number(r.extra?.clipped_fraction), s = Number(r.extra?.clip_scale);
      assert.ok(f >= 0 && f <= 1 && s > 0 && s <= 1, `${r.name}: clipped_fraction ${f}, clip_scale ${s}`);
    }
    // a norm cap can only shrink a step: the unclipped run's largest gradient norm bounds nothing, but every norm is positive
    assert.ok(result.runs.every((r) => Number(r.extra?.grad_norm_mean) > 0 && Number(r.extra?.grad_norm_max) >= Number(r.extra?.grad_norm_mean)));
    // the same weights and batches with clipping that did not fire must give the same run
    const clipvalue = result.runs[1];
    if (Number(clipvalue.extra?.clipped_fraction) === 0) assert.deepEqual(clipvalue.history.loss, result.runs[0].history.loss);
  });

  test('optimizers: nine optimizers at lr 0.001 on build_model (99,710 params), all from the same initial weights', async () => {
    const { result, seen } = await runTiny(optimizersExperiment);
    const names = OPTIMIZERS.map((o) => o.name);
    assert.deepEqual(names, ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam', 'AdaMax', 'Nadam', 'AdamW']);
    checkResult(optimizersExperiment, result, names, 1);
    assert.equal(optimizersExperiment.defaultEpochs, 10);
    const first = seen.get('SGD')!.initial;
    for (const name of names) {
      const s = seen.get(name)!;
      assert.equal(s.model.countParams(), 99_710, name);
      assert.equal(s.optimizer.learningRate, 0.001, name);
      assert.ok(sameWeights(s.initial, first), `${name} starts from the same weights as SGD`);
    }
    const cfg = (name: string): Record<string, unknown> => ({ className: seen.get(name)!.optimizer.className, ...seen.get(name)!.optimizer.getConfig() });
    assert.deepEqual([cfg('SGD').className, cfg('SGD').momentum, cfg('SGD').nesterov], ['SGD', 0, false]);
    assert.deepEqual([cfg('Momentum').momentum, cfg('Momentum').nesterov], [0.9, false]);
    assert.deepEqual([cfg('Nesterov').momentum, cfg('Nesterov').nesterov], [0.9, true]);
    assert.equal(cfg('AdaGrad').className, 'Adagrad');
    assert.deepEqual([cfg('RMSProp').className, cfg('RMSProp').rho], ['RMSprop', 0.9]);
    for (const name of ['Adam', 'AdaMax', 'Nadam', 'AdamW']) assert.deepEqual([cfg(name).beta1, cfg(name).beta2], [0.9, 0.999], name);
    assert.deepEqual([cfg('AdamW').className, cfg('AdamW').weightDecay], ['AdamW', 1e-5]);
    assert.deepEqual([cfg('AdaMax').className, cfg('Nadam').className], ['Adamax', 'Nadam']);
    // a different optimizer from the same start must end elsewhere
    assert.notDeepEqual(result.runs[0].history.loss, result.runs[5].history.loss);
  });

  test("schedules: the chapter's exact values, the learning rate logged per epoch, 1cycle at batch 128 after the LR finder", async () => {
    const close = (a: number, b: number, rel = 1e-4): boolean => Math.abs(a - b) <= rel * Math.abs(b);
    // chapter-experiments.md, "Experiments" 9
    assert.ok(close(powerSchedule().call(1719), 0.0085332) && close(powerSchedule().call(17_190), 0.0036778));
    assert.ok(close(exponentialSchedule().call(1719), 0.0082045) && close(exponentialSchedule().call(17_190), 0.0013820));
    [8.9125e-4, 7.9433e-4, 7.0795e-4, 6.3096e-4].forEach((v, i) => assert.ok(close(exponentialDecayPerEpoch(21 + i), v), `epoch ${21 + i}`));
    const cycle = oneCycleSchedule(25 * 430);
    assert.ok(close(cycle.call(0), 0.01) && close(cycle.call(4837), 0.1) && close(cycle.call(9674), 0.01) && close(cycle.call(10_750), 1e-5));
    assert.equal(cycle.lastPhaseSteps, 1076);
    const pw = piecewiseSchedule(1719); // epoch e's steps are 1719·e … 1719·(e + 1) − 1
    assert.deepEqual([pw.call(5 * 1719 - 1), pw.call(5 * 1719), pw.call(15 * 1719 - 1), pw.call(15 * 1719)], [0.01, 0.005, 0.005, 0.001]);

    const epochs = 2;
    const { result, seen } = await runTiny(schedules, epochs);
    const names = ['constant 0.01', 'power', 'exponential', 'exponential per epoch', 'piecewise constant', 'performance', '1cycle'];
    checkResult(schedules, result, names, epochs);
    assert.equal(schedules.defaultEpochs, 25);
    const run = (name: string): gf.experiments.RunRecord => result.runs.find((r) => r.name === name)!;
    const spe = Math.ceil(SAMPLES / 32);
    // history.lr: the rate at the end of each epoch (the schedule at the step count so far)
    run('power').history.lr.forEach((lr, e) => assert.ok(close(lr, powerSchedule().call(spe * (e + 1))), `power epoch ${e}: ${lr}`));
    run('exponential').history.lr.forEach((lr, e) => assert.ok(close(lr, exponentialSchedule().call(spe * (e + 1))), `exponential epoch ${e}`));
    run('exponential per epoch').history.lr.forEach((lr, e) => assert.ok(close(lr, exponentialDecayPerEpoch(e)), `per-epoch ${e}: ${lr}`));
    assert.deepEqual(run('constant 0.01').history.lr, [0.01, 0.01]);
    assert.deepEqual(run('piecewise constant').history.lr, [0.01, 0.01]);
    assert.deepEqual(run('performance').history.lr, [0.01, 0.01]); // patience 5 cannot act in 2 epochs
    const oneCycle = seen.get('1cycle')!;
    assert.equal(oneCycle.params.batchSize, 128);
    const schedule = oneCycle.optimizer.learningRateSchedule as gf.schedules.OneCycle;
    assert.ok(schedule instanceof gf.schedules.OneCycle);
    assert.deepEqual([schedule.maxLr, schedule.totalSteps], [0.1, epochs * Math.ceil(SAMPLES / 128)]);
    assert.ok(close(run('1cycle').final.lr, 1e-5), `1cycle ends at 1e-5: ${run('1cycle').final.lr}`);
    for (const name of names.slice(0, 6)) assert.equal(seen.get(name)!.params.batchSize, 32, name);
    assert.ok(seen.get('performance')!.model instanceof gf.Model);
    // the LR finder: 1e-4 → 1 over one epoch at batch 128 (here 2 batches: ×100 per batch)
    assert.ok(close(Number(run('1cycle').extra?.lr_finder_factor), (1 / 1e-4) ** (1 / Math.ceil(SAMPLES / 128))));
    assert.ok(Number(run('1cycle').extra?.lr_finder_suggestion) > 0);
    for (const s of seen.values()) assert.equal(s.optimizer.className, 'SGD');
  });

  test('guidelines: the presets train on Fashion-MNIST and are evaluated on the test set', async () => {
    const epochs = 2;
    const { result, seen } = await runTiny(guidelines, epochs);
    const names = ['defaultDNN', 'defaultDNN (AdamW, 1cycle)', 'selfNormalizing'];
    checkResult(guidelines, result, names, epochs);
    for (const r of result.runs) {
      assert.ok(r.test && r.test.accuracy >= 0 && r.test.accuracy <= 1 && r.test.loss > 0, r.name);
      assert.ok(Number(r.extra?.epochs_run) <= epochs && Number(r.extra?.best_epoch) >= 1, r.name);
    }
    const sgd = seen.get('defaultDNN')!.optimizer as gf.optimizers.SGD;
    assert.deepEqual([sgd.className, sgd.getConfig().nesterov, sgd.getConfig().momentum], ['SGD', true, 0.9]);
    const adamw = seen.get('defaultDNN (AdamW, 1cycle)')!.optimizer;
    assert.equal(adamw.className, 'AdamW');
    assert.ok(adamw.learningRateSchedule instanceof gf.schedules.OneCycle);
    assert.ok(denseLayers(seen.get('defaultDNN')!.model).slice(0, 3).every((l) => activationName(l) === 'swish' && initName(l) === 'HeNormal'));
    assert.ok(denseLayers(seen.get('selfNormalizing')!.model).slice(0, 3).every((l) => activationName(l) === 'selu' && initName(l) === 'LecunNormal'));
  });
});
