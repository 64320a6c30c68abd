/**
 * Avoiding overfitting through regularization (Géron, Hands-On Machine Learning, 3rd ed., ch. 11:
 * "ℓ1 and ℓ2 Regularization", "Dropout"; notebook 11_training_deep_neural_networks.ipynb in
 * ageron/handson-ml3), and alpha dropout for self-normalizing nets (Klambauer et al., 2017,
 * "Self-Normalizing Neural Networks").
 *
 *   1. ℓ2: every Dense gets kernelRegularizer l2(0.01); SGD(0.02), 2 epochs. The penalty
 *      0.01·Σw² is part of the reported loss, which is why the logged losses are above 1.
 *   2. Dropout(0.2) before every Dense; SGD(0.01, momentum 0.9), 10 epochs. The training
 *      accuracy (dropout on) looks lower than the validation accuracy (dropout off).
 *   3. AlphaDropout with SELU + LeCun normal on standardized inputs: the dropout that keeps
 *      the mean and variance SELU's self-normalization relies on.
 *
 *   npx tsx examples/regularization.ts              (the full protocol, ~2 minutes on 2 cores)
 *   npx tsx examples/regularization.ts --epochs 2 --samples 5000
 */
import * as gf from '../src/node.js';
import { runIfMain } from './run-experiment.js';

const { loadChapterData, standardizeChapterData, seedRun, monitorFor, runCallbacks, timedFit, recordRun, testMetrics } = gf.experiments;

/** The book's RegularizedDense (functools.partial): relu, he_normal, l2(0.01) unless overridden. */
function regularizedDense(units: number, args: gf.layers.DenseArgs = {}): gf.layers.Dense {
  return new gf.layers.Dense(units, { activation: 'relu', kernelInitializer: 'he_normal', kernelRegularizer: gf.regularizers.l2(0.01), ...args });
}

/** Σ over the trainable weights of their regularizers' penalties: what fit and evaluate add to the loss. */
export function regularizationPenalty(model: gf.Model): number {
  let total = 0;
  for (const w of model.weights) if (w.regularizer && w.trainable) total += w.regularizer.call(w).data[0];
  return total;
}

/** The alpha-dropout rate: 0.1, within the 0.05 – 0.1 the SELU paper recommends (the notebook's exercise 8e uses 0.1). */
const ALPHA_DROPOUT_RATE = 0.1;

export const experiment: gf.experiments.Experiment = {
  id: 'regularization',
  title: 'Regularization: ℓ2, dropout and alpha dropout',
  description:
    'Three regularized MLPs on Fashion-MNIST (55,000 / 5,000 / 10,000 split). (1) ℓ2: Flatten → Dense(100) → ' +
    'Dense(100) → Dense(10, softmax), every Dense with relu (softmax for the output), he_normal and ' +
    'kernelRegularizer l2(0.01), SGD(0.02), 2 epochs: the reported losses include the penalty 0.01·Σw², hence > 1. ' +
    '(2) Dropout(0.2) before each Dense of Flatten → Dense(100, relu, he_normal) ×2 → Dense(10, softmax) ' +
    '(89,610 params), SGD(0.01, momentum 0.9), 10 epochs; evaluated without dropout on the training set too. ' +
    `(3) the same shape with AlphaDropout(${ALPHA_DROPOUT_RATE}), SELU and lecun_normal on standardized inputs, same optimizer ` +
    'and epochs. `epochs` is the dropout runs\' epoch count (10); the ℓ2 run trains 2/10 of it (at least 1).',
  defaultEpochs: 10,

  async run(options: gf.experiments.ExperimentOptions = {}): Promise<gf.experiments.ExperimentResult> {
    const log = options.log ?? (() => {});
    const epochs = options.epochs ?? experiment.defaultEpochs;
    const l2Epochs = Math.max(1, Math.round((2 * epochs) / 10));
    const batchSize = options.batchSize ?? 32;
    const verbose = options.verbose ?? 0;
    const data = await loadChapterData({ samples: options.samples, dataDir: options.dataDir });
    const { train, valid, test } = data;
    const runs: gf.experiments.RunRecord[] = [];
    let seed = 42;

    // --- 1. ℓ2 regularization ------------------------------------------------------------------
    seed = seedRun(options);
    log(`run 1/3: l2(0.01), SGD(0.02), ${l2Epochs} epochs`);
    const l2Model = new gf.Sequential([
      new gf.layers.Flatten({ inputShape: [28, 28] }),
      regularizedDense(100),
      regularizedDense(100),
      regularizedDense(10, { activation: 'softmax' }),
    ], { name: 'l2_model' });
    l2Model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.02 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const l2Monitor = monitorFor(options);
    const l2Fit = await timedFit(l2Model, train.x, train.y, {
      epochs: l2Epochs, batchSize, verbose, validationData: [valid.x, valid.y], callbacks: runCallbacks(options, 'l2(0.01)', l2Monitor),
    });
    const l2Test = await testMetrics(l2Model, test, batchSize);
    // The reported loss = cross-entropy + penalty: split it to show how much is the penalty.
    const penalty = regularizationPenalty(l2Model);
    runs.push(recordRun('l2(0.01)', l2Model, l2Fit.history, l2Fit.seconds, {
      test: l2Test, monitor: l2Monitor, extra: { l2_penalty: penalty, test_crossentropy: l2Test.loss - penalty },
    }));

    // --- 2. Dropout(0.2) -----------------------------------------------------------------------
    seed = seedRun(options);
    log(`run 2/3: Dropout(0.2), SGD(0.01, momentum 0.9), ${epochs} epochs`);
    const dropoutModel = new gf.Sequential([
      new gf.layers.Flatten({ inputShape: [28, 28] }),
      new gf.layers.Dropout(0.2),
      new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
      new gf.layers.Dropout(0.2),
      new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
      new gf.layers.Dropout(0.2),
      new gf.layers.Dense(10, { activation: 'softmax' }),
    ], { name: 'dropout_model' });
    dropoutModel.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const dropoutMonitor = monitorFor(options);
    const dropoutFit = await timedFit(dropoutModel, train.x, train.y, {
      epochs, batchSize, verbose, validationData: [valid.x, valid.y], callbacks: runCallbacks(options, 'Dropout(0.2)', dropoutMonitor),
    });
    // fit's training accuracy is measured with dropout on; evaluate gives the "real" one (dropout off).
    const dropoutTrainEval = await testMetrics(dropoutModel, train, batchSize);
    runs.push(recordRun('Dropout(0.2)', dropoutModel, dropoutFit.history, dropoutFit.seconds, {
      test: await testMetrics(dropoutModel, test, batchSize), monitor: dropoutMonitor,
      extra: { train_acc_no_dropout: dropoutTrainEval.accuracy },
    }));

    // --- 3. AlphaDropout + SELU on standardized inputs ----------------------------------------------
    seed = seedRun(options);
    log(`run 3/3: AlphaDropout(${ALPHA_DROPOUT_RATE}) + SELU, SGD(0.01, momentum 0.9), ${epochs} epochs`);
    const standardized = standardizeChapterData(data);
    const seluDense = (units: number): gf.layers.Dense => new gf.layers.Dense(units, { activation: 'selu', kernelInitializer: 'lecun_normal' });
    const alphaModel = new gf.Sequential([
      new gf.layers.Flatten({ inputShape: [28, 28] }),
      new gf.layers.AlphaDropout(ALPHA_DROPOUT_RATE),
      seluDense(100),
      new gf.layers.AlphaDropout(ALPHA_DROPOUT_RATE),
      seluDense(100),
      new gf.layers.AlphaDropout(ALPHA_DROPOUT_RATE),
      new gf.layers.Dense(10, { activation: 'softmax' }),
    ], { name: 'alpha_dropout_model' });
    alphaModel.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const alphaName = `AlphaDropout(${ALPHA_DROPOUT_RATE}) + SELU`;
    const alphaMonitor = monitorFor(options);
    const alphaFit = await timedFit(alphaModel, standardized.train.x, standardized.train.y, {
      epochs, batchSize, verbose, validationData: [standardized.valid.x, standardized.valid.y], callbacks: runCallbacks(options, alphaName, alphaMonitor),
    });
    const alphaTrainEval = await testMetrics(alphaModel, standardized.train, batchSize);
    runs.push(recordRun(alphaName, alphaModel, alphaFit.history, alphaFit.seconds, {
      test: await testMetrics(alphaModel, standardized.test, batchSize), monitor: alphaMonitor,
      extra: { train_acc_no_dropout: alphaTrainEval.accuracy },
    }));

    const f = (v: number): string => v.toFixed(4);
    const l2Loss = l2Fit.history.history.loss;
    const dropAcc = dropoutFit.history.history.accuracy.at(-1)!, dropVal = dropoutFit.history.history.val_accuracy.at(-1)!;
    const notes = [
      `ℓ2: the logged losses (${l2Loss.map(f).join(', ')} per epoch) include the penalty 0.01·Σw², ${f(penalty)} at the end; ` +
        `on the test set the loss ${f(l2Test.loss)} = cross-entropy ${f(l2Test.loss - penalty)} + penalty ${f(penalty)} ` +
        '(notebook: 3.1224 then 1.4263, val_loss 1.1269).',
      `Dropout: last-epoch training accuracy ${f(dropAcc)} (measured with dropout on) ${dropAcc < dropVal ? '<' : '≥'} validation ${f(dropVal)}; evaluated without dropout the ` +
        `training set gives ${f(dropoutTrainEval.accuracy)} (notebook: 0.8552 < 0.8732, then 0.8849 on train and 0.8700 on test).`,
      `AlphaDropout keeps SELU's mean 0 / variance 1 (dropped units go to −λα = ${gf.layers.ALPHA_PRIME.toFixed(4)}, then an affine ` +
        'correction), so the self-normalizing net still trains; plain Dropout would break self-normalization.',
    ];
    return { id: experiment.id, title: experiment.title, seed, epochs, samples: train.x.shape[0], runs, notes };
  },
};

await runIfMain(import.meta.url, experiment);
