/**
 * The chapter's practical guidelines (Hands-On ML, 3rd ed., ch. 11, "Summary and Practical
 * Guidelines", Tables 11-3 and 11-4) as the two presets of gradflow, trained on Fashion-MNIST:
 *
 *   defaultDNN       He init, Swish, batch norm when deep (not here: 3 hidden layers), ℓ2 1e-4,
 *                    Nesterov momentum, performance scheduling, early stopping — on pixels / 255
 *   defaultDNN       the same network with the guidelines' alternatives: AdamW (weight decay
 *   (AdamW, 1cycle)  instead of ℓ2) and 1cycle (a fixed budget, no early stopping)
 *   selfNormalizing  LeCun normal, SELU, no BN or ℓ2, Nesterov, performance scheduling, early
 *                    stopping — on standardized pixels, as self-normalization requires
 *
 * Each preset returns a compiled model, the callbacks for fit and fit's defaults; the network is
 * 3 hidden layers of 100 units in all three runs (the presets' default, the notebook's
 * build_model), so the runs differ only by the guidelines' training choices. Early stopping
 * restores the best weights, which are then evaluated on the test set.
 *
 *   npx tsx examples/guidelines.ts [--epochs 30] [--samples 5000]
 */
import * as gf from '../src/node.js'; // what `import 'gradflow'` gives in Node
import { runIfMain } from './run-experiment.js';

const { loadChapterData, standardizeChapterData, seedRun, monitorFor, runCallbacks, timedFit, recordRun, testMetrics } = gf.experiments;

/** The most epochs a run may take (early stopping usually ends the performance-scheduled runs sooner). */
const EPOCHS = 30;

interface PresetRun {
  name: string;
  /** Which inputs: pixels / 255, or standardized (SELU). */
  standardized: boolean;
  make(epochs: number, stepsPerEpoch: number, batchSize: number): gf.presets.Preset;
}

const common = { inputShape: [28, 28], numClasses: 10 } as const;

const RUNS: PresetRun[] = [
  {
    name: 'defaultDNN',
    standardized: false,
    make: (epochs, _spe, batchSize) => gf.presets.defaultDNN({ ...common, epochs, batchSize }),
  },
  {
    name: 'defaultDNN (AdamW, 1cycle)',
    standardized: false,
    make: (epochs, stepsPerEpoch, batchSize) => gf.presets.defaultDNN({ ...common, optimizer: 'adamw', schedule: '1cycle', epochs, stepsPerEpoch, batchSize }),
  },
  {
    name: 'selfNormalizing',
    standardized: true,
    make: (epochs, _spe, batchSize) => gf.presets.selfNormalizing({ ...common, epochs, batchSize }),
  },
];

/** One line per run: what the preset chose. */
function describe(name: string, c: gf.presets.ResolvedPresetConfig): string {
  const training = `${c.optimizer} (η ${c.learningRate}${c.momentum !== null ? `, momentum ${c.momentum}` : ''}` +
    `${c.weightDecay !== null ? `, weight decay ${c.weightDecay}` : ''}), ${c.schedule} scheduling` +
    `${c.earlyStoppingPatience !== null ? `, early stopping (patience ${c.earlyStoppingPatience})` : ''}`;
  return `${name}: ${c.hiddenUnits.length} × Dense(${c.hiddenUnits[0]}, ${c.activation}, ${c.kernelInitializer})` +
    `${c.batchNormalization ? ' + BN' : ''}${c.l2 > 0 ? `, ℓ2 ${c.l2}` : ''}${c.alphaDropout > 0 ? `, AlphaDropout ${c.alphaDropout}` : ''}; ${training}.`;
}

async function run(options: gf.experiments.ExperimentOptions = {}): Promise<gf.experiments.ExperimentResult> {
  const log = options.log ?? ((): void => {});
  const epochs = options.epochs ?? EPOCHS;
  const data = await loadChapterData(options);
  const std = standardizeChapterData(data);

  const runs: gf.experiments.RunRecord[] = [];
  const notes: string[] = [];
  let seed = 42;
  for (const [i, spec] of RUNS.entries()) {
    log(`run ${i + 1}/${RUNS.length}: ${spec.name}`);
    const { train, valid, test } = spec.standardized ? std : data;
    const batchSize = options.batchSize ?? 32;
    seed = seedRun(options);
    const preset = spec.make(epochs, Math.ceil(train.x.shape[0] / batchSize), batchSize);
    const { model, callbacks, fitDefaults } = preset;
    const monitor = monitorFor(options);
    const { history, seconds } = await timedFit(model, train.x, train.y, {
      ...fitDefaults, validationData: [valid.x, valid.y], verbose: options.verbose ?? 0,
      callbacks: runCallbacks(options, spec.name, monitor, callbacks),
    });
    const valLoss = history.history.val_loss;
    const bestEpoch = valLoss.indexOf(Math.min(...valLoss));
    const test_ = await testMetrics(model, test, batchSize);
    runs.push(recordRun(spec.name, model, history, seconds, {
      monitor, test: test_,
      extra: { epochs_run: String(valLoss.length), best_epoch: String(bestEpoch + 1), lr_final: history.history.lr[history.history.lr.length - 1] },
    }));
    notes.push(describe(spec.name, preset.config));
  }

  const best = runs.reduce((a, b) => ((b.test?.accuracy ?? 0) > (a.test?.accuracy ?? 0) ? b : a));
  notes.unshift(
    `Test accuracy: ${runs.map((r) => `${r.name} ${r.test?.accuracy.toFixed(4)}`).join(', ')} (best: ${best.name}). ` +
      'The runs with early stopping are evaluated with their best epoch\'s weights (restoreBestWeights); the final loss and ' +
      'accuracy columns are the last epoch\'s.',
    'What to see: with the guidelines\' defaults, the same 3 × 100 network as the optimizers and schedules experiments trains ' +
      'without any tuning; compare with their best runs. The book gives the guidelines, not numbers for them: there is no ' +
      'notebook value to compare with.',
  );
  return { id: experiment.id, title: experiment.title, seed, epochs, samples: data.train.x.shape[0], runs, notes };
}

export const experiment: gf.experiments.Experiment = {
  id: 'guidelines',
  title: 'Practical guidelines: the defaultDNN and selfNormalizing presets',
  description: 'gradflow\'s two presets on Fashion-MNIST, 3 hidden layers of 100 units, batch 32, at most 30 epochs: defaultDNN ' +
    '(He init, Swish, ℓ2 1e-4, Nesterov, ReduceLROnPlateau(0.5, 5), early stopping patience 10) on pixels / 255; defaultDNN with ' +
    'AdamW and 1cycle; selfNormalizing (LeCun normal, SELU, Nesterov, ReduceLROnPlateau, early stopping) on standardized pixels. ' +
    'Each is evaluated on the test set with its best weights.',
  defaultEpochs: EPOCHS,
  run,
};

await runIfMain(import.meta.url, experiment);
