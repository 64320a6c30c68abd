/**
 * Reusing pretrained layers (Géron, Hands-On Machine Learning, 3rd ed., ch. 11, "Transfer Learning
 * with Keras"; notebook 11_training_deep_neural_networks.ipynb in ageron/handson-ml3).
 *
 * Fashion-MNIST is split in two tasks: task A, the 8 classes other than T-shirt/top and Pullover
 * (44,011 training images), and task B, T-shirt/top vs Pullover with only 200 labelled training
 * images. model_A learns task A; its hidden layers are then reused for task B, first frozen (so
 * the randomly initialized new head cannot wreck them with large early gradients), then
 * unfrozen and fine-tuned. model_B, the same network trained on task B from scratch, is the
 * baseline.
 *
 *   npx tsx examples/transfer-learning.ts            (the full protocol, ~3 minutes on 2 cores)
 *   npx tsx examples/transfer-learning.ts --epochs 5 --samples 10000
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/node.js';
import { runIfMain } from './run-experiment.js';

const { seedRun, monitorFor, runCallbacks, timedFit, recordRun, testMetrics, concatHistories } = gf.experiments;

/** The notebook's build_model hidden stack: Flatten, then 3 × Dense(100, relu, he_normal). */
function hiddenStack(): gf.layers.Layer[] {
  return [
    new gf.layers.Flatten({ inputShape: [28, 28] }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
  ];
}

/** The phases' epochs: model_A trains `epochs` (20); the frozen / fine-tuning phases keep 4 : 16. */
export function transferPhases(epochs: number): { frozen: number; fineTune: number } {
  return { frozen: Math.max(1, Math.round((4 * epochs) / 20)), fineTune: Math.max(1, Math.round((16 * epochs) / 20)) };
}

export const experiment: gf.experiments.Experiment = {
  id: 'transfer-learning',
  title: 'Transfer learning: reusing model_A for task B',
  description:
    'Task split of Fashion-MNIST (gf.datasets.splitTaskAB): task A = the 8 classes other than T-shirt/top and ' +
    'Pullover (train 44,011), task B = T-shirt/top vs Pullover with the first 200 B images of the training split. ' +
    'model_A (Flatten → 3 × Dense(100, relu, he_normal) → Dense(8, softmax), 99,508 params) trains with SGD(0.001) ' +
    'for 20 epochs, is saved and loaded back, cloned with its weights (so model_A stays intact), and its head is ' +
    'replaced by Dense(1, sigmoid) (model_B_on_A). The reused layers are frozen for 4 epochs, then unfrozen and ' +
    'fine-tuned for 16 more with a fresh SGD(0.001); model_B (98,801 params) trains from scratch for the same 20 ' +
    'epochs. Both are evaluated on test B. `epochs` sets model_A\'s epochs (20); the frozen and fine-tuning phases ' +
    'scale as 4/20 and 16/20 of it (at least 1 each), and model_B trains for their sum.',
  defaultEpochs: 20,

  async run(options: gf.experiments.ExperimentOptions = {}): Promise<gf.experiments.ExperimentResult> {
    const log = options.log ?? (() => {});
    const epochsA = options.epochs ?? experiment.defaultEpochs;
    const { frozen, fineTune } = transferPhases(epochsA);
    const batchSize = options.batchSize ?? 32;
    const verbose = options.verbose ?? 0;
    let seed = 42;

    // --- The data: task A (8 classes) and task B (binary, only 200 training images) ---------------
    const data = await gf.experiments.loadChapterData({ samples: options.samples, dataDir: options.dataDir });
    const train = gf.datasets.splitTaskAB(data.train.x, data.train.y, { maxB: 200 });
    const valid = gf.datasets.splitTaskAB(data.valid.x, data.valid.y);
    const test = gf.datasets.splitTaskAB(data.test.x, data.test.y);
    log(`task A: ${train.a.x.shape[0]} training images; task B: ${train.b.x.shape[0]} training images`);
    const runs: gf.experiments.RunRecord[] = [];

    // --- 1. model_A: the pretrained model, on the 8-class task ------------------------------------
    seed = seedRun(options);
    log(`run 1/3: model_A (${epochsA} epochs)`);
    const modelA = new gf.Sequential([...hiddenStack(), new gf.layers.Dense(8, { activation: 'softmax' })], { name: 'model_A' });
    modelA.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const monitorA = monitorFor(options);
    const fitA = await timedFit(modelA, train.a.x, train.a.y, {
      epochs: epochsA, batchSize, verbose, validationData: [valid.a.x, valid.a.y], callbacks: runCallbacks(options, 'model_A', monitorA),
    });
    const testA = await testMetrics(modelA, test.a, batchSize);

    // Save and load it back, as one would reuse a model trained elsewhere.
    const dir = await mkdtemp(join(tmpdir(), 'gradflow-transfer-'));
    let loadedA: gf.Model;
    try {
      await modelA.save(join(dir, 'model_A.safetensors'));
      loadedA = await gf.loadModel(join(dir, 'model_A.safetensors'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // --- 2. model_B: the same network trained on task B alone (200 images) --------------------------
    seed = seedRun(options);
    log(`run 2/3: model_B from scratch (${frozen + fineTune} epochs)`);
    const modelB = new gf.Sequential([...hiddenStack(), new gf.layers.Dense(1, { activation: 'sigmoid' })], { name: 'model_B' });
    modelB.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.001 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const monitorB = monitorFor(options);
    const fitB = await timedFit(modelB, train.b.x, train.b.y, {
      epochs: frozen + fineTune, batchSize, verbose, validationData: [valid.b.x, valid.b.y], callbacks: runCallbacks(options, 'model_B', monitorB),
    });
    const testB = await testMetrics(modelB, test.b, batchSize);

    // --- 3. model_B_on_A: model_A's hidden layers + a new sigmoid head ------------------------------
    seed = seedRun(options);
    log(`run 3/3: model_B_on_A (${frozen} epochs frozen + ${fineTune} fine-tuning)`);
    // Layers are objects: a model built from loadedA.layers would share them, and training it would
    // change model_A too. So clone the architecture and copy the weights first.
    const cloneA = gf.cloneModel(loadedA);
    cloneA.setWeights(loadedA.getWeights());
    const modelBonA = new gf.Sequential([...cloneA.layers.slice(0, -1), new gf.layers.Dense(1, { activation: 'sigmoid' })], { name: 'model_B_on_A' });
    const reused = modelBonA.layers.slice(0, -1);

    // Phase 1: freeze the reused layers, so only the new head learns. (compile after changing `trainable`.)
    for (const layer of reused) layer.trainable = false;
    modelBonA.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.001 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const monitorBonA = monitorFor(options);
    const phase1 = await timedFit(modelBonA, train.b.x, train.b.y, {
      epochs: frozen, batchSize, verbose, validationData: [valid.b.x, valid.b.y], callbacks: runCallbacks(options, 'model_B_on_A', monitorBonA),
    });

    // Phase 2: unfreeze, recompile, fine-tune everything with a small learning rate.
    for (const layer of reused) layer.trainable = true;
    modelBonA.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.001 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const phase2 = await timedFit(modelBonA, train.b.x, train.b.y, {
      epochs: fineTune, batchSize, verbose, validationData: [valid.b.x, valid.b.y], callbacks: runCallbacks(options, 'model_B_on_A', monitorBonA),
    });
    const testBonA = await testMetrics(modelBonA, test.b, batchSize);

    // model_A itself was never touched: evaluating it again gives the same numbers.
    loadedA.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const testAAfter = await testMetrics(loadedA, test.a, batchSize);

    // The book's measure: how much of model_B's test error transfer removes, 1 − err(B_on_A) / err(B).
    const errB = 1 - testB.accuracy, errBonA = 1 - testBonA.accuracy;
    const reduction = errB > 0 ? 1 - errBonA / errB : NaN;

    runs.push(recordRun('model_A', modelA, fitA.history, fitA.seconds, { test: testA, monitor: monitorA, extra: { test_acc_after_transfer: testAAfter.accuracy } }));
    runs.push(recordRun('model_B', modelB, fitB.history, fitB.seconds, { test: testB, monitor: monitorB }));
    runs.push(recordRun('model_B_on_A', modelBonA, concatHistories(phase1.history, phase2.history), phase1.seconds + phase2.seconds, {
      test: testBonA, monitor: monitorBonA, extra: { error_rate_reduction: Number.isFinite(reduction) ? reduction : 'n/a' },
    }));

    const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
    const notes = [
      `Parameters: model_A ${modelA.countParams().toLocaleString('en-US')} (book: 99,508), model_B ${modelB.countParams().toLocaleString('en-US')} (book: 98,801).`,
      `Test B accuracy: model_B ${pct(testB.accuracy)}, model_B_on_A ${pct(testBonA.accuracy)}; error rate ${pct(errB)} → ${pct(errBonA)}, ` +
        `error_rate_reduction = 1 − err(B_on_A) / err(B) = ${Number.isFinite(reduction) ? pct(reduction) : 'n/a (model_B made no error)'} ` +
        '(book: 91.85% → 93.85%, a reduction of almost 25%; negative means transfer hurt).',
      `model_A kept its test-A accuracy after model_B_on_A was trained (${pct(testA.accuracy)} → ${pct(testAAfter.accuracy)}): the clone owns its own weights.`,
      'The gain is fragile: Dense layers only reuse patterns at the same pixel positions, and the book admits that its ' +
        'configuration was picked among many tries (other seeds shrink, erase or reverse the gain): run with other --seed ' +
        'values to see the spread. Transfer pays off far more with deep convolutional nets.',
    ];
    return { id: experiment.id, title: experiment.title, seed, epochs: epochsA, samples: train.a.x.shape[0], runs, notes };
  },
};

await runIfMain(import.meta.url, experiment);
