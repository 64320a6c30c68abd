/**
 * The chapter's experiments, part B (examples/transfer-learning.ts, autoencoder-pretraining.ts,
 * self-supervised-pretraining.ts, regularization.ts, mc-dropout.ts, max-norm.ts), each run with a
 * tiny budget (a few hundred images, 1 epoch): the result's structure, finite numbers, and the
 * protocol details that matter — parameter counts (reference/chapter-experiments.md), frozen
 * layers bit-identical during the frozen phase, reused weights really copied, model_A untouched,
 * the ℓ2 penalty inside the reported loss, max-norm respected, MC dropout's spread and means.
 *
 * A recording callback (ExperimentOptions.callbacks) snapshots the weights of the model of every
 * fit at its start and end, so the checks look at the models the experiments really train.
 * Data: the real Fashion-MNIST (never downloaded here); skipped with the reason when absent.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import { experiment as transferLearning, transferPhases } from '../examples/transfer-learning.js';
import { experiment as autoencoderPretraining } from '../examples/autoencoder-pretraining.js';
import { experiment as selfSupervised, maskRandomPatches } from '../examples/self-supervised-pretraining.js';
import { experiment as regularization, regularizationPenalty } from '../examples/regularization.js';
import { experiment as mcDropout, probabilityStats } from '../examples/mc-dropout.js';
import { experiment as maxNorm, columnNorms } from '../examples/max-norm.js';

let skip: string | false = false;
try {
  await gf.datasets.resolveSource(gf.datasets.fashionMnist.spec, { download: false });
} catch (e) {
  if (!(e instanceof gf.datasets.DatasetNotFoundError)) throw e;
  skip = `Fashion-MNIST files absent (apt-get install -y dataset-fashion-mnist, or set GRADFLOW_DATA); tried: ${e.tried.join(' | ')}`;
}

/** One fit as the experiment ran it: the model and copies of its weights at the start and the end. */
interface FitRecord { name: string; model: gf.Model; begin: Float32Array[]; end: Float32Array[] }

class Recorder extends gf.Callback {
  constructor(private readonly runName: string, private readonly fits: FitRecord[]) { super(); }
  private record: FitRecord | null = null;
  private snapshot(): Float32Array[] {
    return (this.model as unknown as gf.Model).weights.map((w) => Float32Array.from(w.data));
  }
  override onTrainBegin(): void {
    this.record = { name: this.runName, model: this.model as unknown as gf.Model, begin: this.snapshot(), end: [] };
    this.fits.push(this.record);
  }
  override onTrainEnd(): void {
    this.record!.end = this.snapshot();
  }
}

/** Runs an experiment with a tiny budget and the recording callback. */
async function runTiny(experiment: gf.experiments.Experiment, samples: number, more: gf.experiments.ExperimentOptions = {}) {
  const fits: FitRecord[] = [];
  const result = await experiment.run({ epochs: 1, samples, seed: 7, verbose: 0, callbacks: (name) => [new Recorder(name, fits)], ...more });
  return { result, fits };
}

const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const fitsOf = (fits: FitRecord[], name: string): FitRecord[] => fits.filter((f) => f.name === name);

/** What every result must satisfy: ids, run names, finite histories, metrics and times, notes. */
function checkResult(result: gf.experiments.ExperimentResult, experiment: gf.experiments.Experiment, runNames: string[]): void {
  assert.equal(result.id, experiment.id);
  assert.equal(result.title, experiment.title);
  assert.equal(result.seed, 7);
  assert.equal(result.epochs, 1);
  assert.ok(Number.isInteger(result.samples) && result.samples > 0);
  assert.deepEqual(result.runs.map((r) => r.name), runNames);
  for (const run of result.runs) {
    for (const [key, values] of Object.entries(run.history)) {
      assert.ok(values.every(Number.isFinite), `${run.name}: history ${key} has a non-finite value: ${values}`);
      assert.equal(run.final[key], values.at(-1));
    }
    for (const [key, value] of Object.entries(run.test ?? {})) assert.ok(Number.isFinite(value), `${run.name}: test ${key} = ${value}`);
    for (const [key, value] of Object.entries(run.extra ?? {})) {
      assert.ok(typeof value === 'string' || Number.isFinite(value), `${run.name}: extra ${key} = ${value}`);
    }
    assert.ok(Number.isFinite(run.seconds) && run.seconds >= 0, `${run.name}: seconds ${run.seconds}`);
    assert.ok((run.params ?? 0) > 0 && typeof run.summary === 'string');
  }
  assert.ok(result.notes.length > 0 && result.notes.every((n) => typeof n === 'string' && n.length > 0));
  assert.ok(gf.experiments.formatResultTable(result).includes(runNames[0]));
}

describe('part B experiments: helpers', () => {
  test('transfer phases keep 4 : 16 of model_A\'s epochs, at least 1 each', () => {
    assert.deepEqual(transferPhases(20), { frozen: 4, fineTune: 16 });
    assert.deepEqual(transferPhases(10), { frozen: 2, fineTune: 8 });
    assert.deepEqual(transferPhases(1), { frozen: 1, fineTune: 1 });
  });

  test('maskRandomPatches hides exactly patches of size², reproducibly, and keeps the input', () => {
    const images = gf.ones([3, 28, 28]);
    gf.setSeed(1);
    const a = maskRandomPatches(images, { patches: 1, size: 7 });
    gf.setSeed(1);
    const b = maskRandomPatches(images, { patches: 1, size: 7 });
    assert.ok(same(a.masked.data as Float32Array, b.masked.data as Float32Array));
    for (let i = 0; i < 3; i++) {
      const zeros = a.masked.data.subarray(i * 784, (i + 1) * 784).filter((v) => v === 0).length;
      assert.equal(zeros, 49);
    }
    assert.equal(a.hiddenFraction, 49 / 784);
    assert.ok(images.data.every((v) => v === 1), 'the input images are not modified');
    assert.throws(() => maskRandomPatches(gf.ones([2, 4, 4]), { patches: 1, size: 7 }), /size 7/);
  });

  test('probabilityStats: accuracy, clipped NLL, confidently-wrong fraction, row sums', () => {
    const proba = gf.tensor([[0.95, 0.05], [0.2, 0.8], [0.6, 0.3]]);
    const s = probabilityStats(proba, gf.tensor([1, 1, 0], undefined, 'int32'));
    assert.equal(s.accuracy, 2 / 3);
    assert.equal(s.confidentWrong, 1 / 3); // first row: p = 0.95 on the wrong class
    assert.ok(Math.abs(s.nll - -(Math.log(0.05) + Math.log(0.8) + Math.log(0.6)) / 3) < 1e-6);
    assert.ok(Math.abs(s.maxRowSumError - 0.1) < 1e-6);
  });

  test('columnNorms: the ℓ2 norm of each unit\'s incoming weights', () => {
    const norms = columnNorms(gf.tensor([[3, 0], [4, 1]]));
    assert.deepEqual(norms, [5, 1]);
  });
});

describe('part B experiments on Fashion-MNIST, tiny budgets', { skip }, () => {
  test('transfer-learning: param counts, frozen phase, weights copied from model_A, model_A intact', async () => {
    const { result, fits } = await runTiny(transferLearning, 600, { monitor: true, monitorEvery: 2 });
    checkResult(result, transferLearning, ['model_A', 'model_B', 'model_B_on_A']);
    const [a, b, bOnA] = result.runs;
    assert.deepEqual([a.params, b.params, bOnA.params], [99_508, 98_801, 98_801]);
    assert.equal(b.history.loss.length, 2);
    assert.equal(bOnA.history.loss.length, 2, 'one frozen epoch + one fine-tuning epoch');
    assert.ok(bOnA.monitor instanceof gf.diagnostics.Monitor);
    assert.equal(a.extra?.test_acc_after_transfer, a.test?.accuracy, 'model_A evaluates the same after model_B_on_A trained');
    const reduction = 1 - (1 - bOnA.test!.accuracy) / (1 - b.test!.accuracy);
    assert.ok(Math.abs((bOnA.extra?.error_rate_reduction as number) - reduction) < 1e-12);

    const [fitA] = fitsOf(fits, 'model_A');
    const [frozen, fineTune] = fitsOf(fits, 'model_B_on_A');
    assert.ok(frozen && fineTune, 'model_B_on_A trains in two fits');
    assert.equal(frozen.model, fineTune.model);
    // weights: 3 reused Dense (kernel, bias) then the new head's kernel and bias
    assert.equal(frozen.begin.length, 8);
    for (let i = 0; i < 6; i++) {
      assert.ok(same(frozen.begin[i], fitA.end[i]), `reused weight ${i} starts as model_A's trained value`);
      assert.ok(same(frozen.begin[i], frozen.end[i]), `reused weight ${i} is bit-identical through the frozen phase`);
    }
    assert.ok(!same(frozen.begin[6], frozen.end[6]), 'the new head learns during the frozen phase');
    assert.ok([0, 2, 4].some((i) => !same(fineTune.begin[i], fineTune.end[i])), 'unfrozen layers change during fine-tuning');
    assert.ok(fitA.model.weights.every((w, i) => same(Float32Array.from(w.data), fitA.end[i])), 'model_A\'s own weights never change');
  });

  test('regularization: the ℓ2 penalty is inside the reported loss; dropout and alpha-dropout models', async () => {
    const { result, fits } = await runTiny(regularization, 600);
    checkResult(result, regularization, ['l2(0.01)', 'Dropout(0.2)', 'AlphaDropout(0.1) + SELU']);
    const [l2, dropout, alpha] = result.runs;
    assert.equal(dropout.params, 89_610);
    assert.equal(alpha.params, 89_610);

    // Recompute the penalty and the plain cross-entropy on the test split independently.
    const [l2Fit] = fitsOf(fits, 'l2(0.01)');
    const model = l2Fit.model;
    const kernels = model.layers.filter((l): l is gf.layers.Dense => l instanceof gf.layers.Dense).map((l) => l.kernel!);
    assert.equal(kernels.length, 3);
    let penalty = 0;
    for (const k of kernels) for (const v of k.data) penalty += 0.01 * v * v;
    assert.ok(Math.abs(penalty - regularizationPenalty(model)) < 1e-3 * penalty);
    assert.ok(Math.abs((l2.extra?.l2_penalty as number) - penalty) < 1e-3 * penalty);
    const { test } = await gf.experiments.loadChapterData({ samples: 600 });
    const proba = await model.predict(test.x);
    let ce = 0;
    for (let i = 0; i < test.x.shape[0]; i++) ce -= Math.log(Math.max(proba.data[i * 10 + test.y.data[i]], 1e-7)) / test.x.shape[0];
    assert.ok(penalty > 0.5, `the l2 penalty is large at lr 0.02 after 1 epoch (${penalty})`);
    assert.ok(Math.abs(l2.test!.loss - (ce + penalty)) < 1e-3 * l2.test!.loss, `test loss ${l2.test!.loss} = CE ${ce} + penalty ${penalty}`);
    assert.ok(l2.final.loss > ce, 'the logged training loss includes the penalty too');

    const [alphaFit] = fitsOf(fits, 'AlphaDropout(0.1) + SELU');
    assert.equal(alphaFit.model.layers.filter((l) => l instanceof gf.layers.AlphaDropout).length, 3);
    assert.equal(alphaFit.model.layers.filter((l) => l instanceof gf.layers.Dropout).length, 0);
    for (const run of [dropout, alpha]) {
      const acc = run.extra?.train_acc_no_dropout as number;
      assert.ok(acc >= 0 && acc <= 1);
    }
  });

  test('mc-dropout: 89,610 params, MC std > 0, MC means are distributions', async () => {
    const { result, fits } = await runTiny(mcDropout, 300);
    checkResult(result, mcDropout, ['dropout off (deterministic)', 'MC dropout (mean of 100)']);
    const [det, mc] = result.runs;
    assert.equal(det.params, 89_610);
    assert.equal(fits.length, 1, 'one training run; MC dropout reuses the trained model');
    assert.ok((mc.extra?.mean_std as number) > 0, 'dropout at prediction time spreads the predictions');
    assert.ok((mc.extra?.row_sum_err as number) < 1e-5, 'each mean row sums to 1');
    assert.ok(mc.test!.accuracy >= 0 && mc.test!.accuracy <= 1);
    assert.deepEqual(mc.history, {});
    assert.match(result.notes[0], /First test image \(label 9, Ankle boot\)/);
  });

  test('max-norm: every hidden unit\'s incoming weights have norm ≤ 1 after training', async () => {
    const { result, fits } = await runTiny(maxNorm, 600);
    checkResult(result, maxNorm, ['max_norm(1.0)']);
    const [run] = result.runs;
    const [fit] = fits;
    const constrained = fit.model.layers.filter((l): l is gf.layers.Dense => l instanceof gf.layers.Dense && l.kernelConstraint !== null);
    assert.equal(constrained.length, 2);
    const norms = constrained.flatMap((l) => columnNorms(l.kernel!));
    assert.ok(norms.every((n) => n <= 1 + 1e-6), `largest column norm ${Math.max(...norms)}`);
    assert.equal(run.extra?.max_col_norm, Math.max(...norms));
    assert.ok((run.extra?.init_max_col_norm as number) > 1.2, 'He-initialized columns start above the bound');
  });

  test('autoencoder-pretraining: the classifiers reuse the trained encoders\' weights', async () => {
    const { result, fits } = await runTiny(autoencoderPretraining, 600);
    checkResult(result, autoencoderPretraining, [
      'classifier from scratch (500 labels)', 'stacked autoencoder 784-300-100-300-784', 'classifier on stacked-AE encoder',
      'greedy AE 1: 784-300-784', 'greedy AE 2: 300-100-300', 'classifier on greedy layer-wise encoder',
    ]);
    const params = result.runs.map((r) => r.params);
    assert.deepEqual(params, [266_610, 531_884, 266_610, 471_484, 60_400, 266_610]);
    assert.equal(result.runs[0].history.loss.length, 3, 'classifiers train 3 × epochs');
    const [ae] = fitsOf(fits, 'stacked autoencoder 784-300-100-300-784');
    const [clf] = fitsOf(fits, 'classifier on stacked-AE encoder');
    for (let i = 0; i < 4; i++) assert.ok(same(clf.begin[i], ae.end[i]), `encoder weight ${i} comes from the autoencoder`);
    const [ae1] = fitsOf(fits, 'greedy AE 1: 784-300-784');
    const [ae2] = fitsOf(fits, 'greedy AE 2: 300-100-300');
    const [greedy] = fitsOf(fits, 'classifier on greedy layer-wise encoder');
    for (let i = 0; i < 2; i++) {
      assert.ok(same(greedy.begin[i], ae1.end[i]), `layer 1 weight ${i} comes from greedy AE 1`);
      assert.ok(same(greedy.begin[2 + i], ae2.end[i]), `layer 2 weight ${i} comes from greedy AE 2`);
    }
    assert.ok(!same(clf.begin[0], fitsOf(fits, 'classifier from scratch (500 labels)')[0].begin[0]), 'pretrained ≠ fresh initialization');
  });

  test('self-supervised-pretraining: masked-pixel pretext, lower layers reused', async () => {
    const { result, fits } = await runTiny(selfSupervised, 600);
    checkResult(result, selfSupervised, ['classifier from scratch (500 labels)', 'pretext: restore 4 masked 7×7 patches', 'classifier on pretext-trained layers']);
    assert.deepEqual(result.runs.map((r) => r.params), [266_610, 266_610 - 1_010 + 100 * 784 + 784, 266_610]);
    const hidden = result.runs[1].extra?.hidden_pixels as number;
    assert.ok(hidden > 0.15 && hidden <= 0.25, `4 patches of 7×7 hide at most 25% of the pixels, got ${hidden}`);
    const [pretext] = fitsOf(fits, 'pretext: restore 4 masked 7×7 patches');
    const [clf] = fitsOf(fits, 'classifier on pretext-trained layers');
    for (let i = 0; i < 4; i++) assert.ok(same(clf.begin[i], pretext.end[i]), `lower-layer weight ${i} comes from the pretext model`);
  });
});
