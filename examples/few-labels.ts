/**
 * The protocol the two pretraining experiments share (autoencoder-pretraining.ts and
 * self-supervised-pretraining.ts): only the first 500 training images keep their labels; lower
 * layers, pretrained or fresh, get a Dense(10, softmax) head and are trained with Nadam on those.
 */
import * as gf from '../src/node.js';

const { monitorFor, runCallbacks, timedFit, recordRun, testMetrics } = gf.experiments;

/** Labelled training images: the first LABELS of the split. */
export const LABELS = 500;
/** The classifiers train this many times the pretraining's epochs (500 images are a short epoch). */
export const CLASSIFIER_EPOCHS_PER_EPOCH = 3;

export interface FewLabels {
  /** The first LABELS training images with their labels. */
  labelled: gf.datasets.XY;
  /** CLASSIFIER_EPOCHS_PER_EPOCH × the pretraining's epochs. */
  classifierEpochs: number;
  /**
   * Trains lower + Dense(10, softmax) on the labelled images, records the run in `runs` (with
   * its accuracy gain over `baseline` when given) and returns its test metrics.
   */
  trainClassifier(name: string, lower: gf.Model, baseline?: number): Promise<Record<string, number>>;
}

export function fewLabels(data: gf.experiments.ChapterData, epochs: number, runs: gf.experiments.RunRecord[],
  options: gf.experiments.ExperimentOptions): FewLabels {
  const { train, valid, test } = data;
  const n = Math.min(LABELS, train.x.shape[0]);
  const labelled = { x: gf.datasets.takeRange(train.x, 0, n), y: gf.datasets.takeRange(train.y, 0, n) };
  const batchSize = options.batchSize ?? 32;
  const classifierEpochs = CLASSIFIER_EPOCHS_PER_EPOCH * epochs;
  return {
    labelled,
    classifierEpochs,
    async trainClassifier(name, lower, baseline) {
      const model = new gf.Sequential([lower, new gf.layers.Dense(10, { activation: 'softmax' })], { name: 'classifier' });
      model.compile({ optimizer: new gf.optimizers.Nadam(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const monitor = monitorFor(options);
      const fit = await timedFit(model, labelled.x, labelled.y, {
        epochs: classifierEpochs, batchSize, verbose: options.verbose ?? 0,
        validationData: [valid.x, valid.y], callbacks: runCallbacks(options, name, monitor),
      });
      const testM = await testMetrics(model, test, batchSize);
      runs.push(recordRun(name, model, fit.history, fit.seconds, {
        test: testM, monitor, ...(baseline !== undefined ? { extra: { acc_gain_vs_scratch: testM.accuracy - baseline } } : {}),
      }));
      return testM;
    },
  };
}
