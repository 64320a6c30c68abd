/**
 * Faster optimizers (Hands-On ML, 3rd ed., ch. 11, "Faster Optimizers").
 *
 * The notebook's build_model — Flatten → 3 × Dense(100, relu, he_normal) → Dense(10, softmax),
 * 99,710 params — trained for 10 epochs with each optimizer at learning rate 0.001:
 *
 *   SGD                  w ← w − η·g
 *   Momentum (μ 0.9)     a velocity accumulates past gradients: up to 10× faster on plateaus
 *   Nesterov             the gradient is measured slightly ahead, along the momentum
 *   AdaGrad              per-parameter rates shrink with the accumulated g²; stalls on long runs
 *   RMSProp (ρ 0.9)      AdaGrad with an exponential average of g², so it does not stall
 *   Adam (β1 0.9, β2 0.999)  momentum + RMSProp, bias-corrected
 *   AdaMax               Adam with the ∞-norm instead of the L2 norm of past gradients
 *   Nadam                Adam with Nesterov momentum
 *   AdamW (wd 1e-5)      Adam with decoupled weight decay (Loshchilov & Hutter 2019)
 *
 * The model is built ONCE; every run copies its initial weights (getWeights / setWeights) into
 * a fresh model and re-seeds the shuffling, so the runs differ only by their optimizer.
 *
 *   npx tsx examples/optimizers.ts [--epochs 10] [--samples 5000]
 */
import * as gf from '../src/node.js'; // what `import 'gradflow'` gives in Node
import { runIfMain } from './run-experiment.js';

const { loadChapterData, seedRun, monitorFor, runCallbacks, timedFit, recordRun } = gf.experiments;

const EPOCHS = 10;
const LEARNING_RATE = 0.001;

/**
 * Each optimizer, and the notebook's validation accuracy after 10 epochs (ageron/handson-ml3,
 * 11_training_deep_neural_networks.ipynb). Its "SGD" cell reuses the momentum optimizer (its
 * numbers equal Momentum's), so plain SGD has no reference number.
 */
export const OPTIMIZERS: Array<{ name: string; make(): gf.optimizers.Optimizer; notebook?: number }> = [
  { name: 'SGD', make: () => new gf.optimizers.SGD({ learningRate: LEARNING_RATE }) },
  { name: 'Momentum', make: () => new gf.optimizers.SGD({ learningRate: LEARNING_RATE, momentum: 0.9 }), notebook: 0.8672 },
  { name: 'Nesterov', make: () => new gf.optimizers.SGD({ learningRate: LEARNING_RATE, momentum: 0.9, nesterov: true }), notebook: 0.8708 },
  { name: 'AdaGrad', make: () => new gf.optimizers.Adagrad({ learningRate: LEARNING_RATE }), notebook: 0.8424 },
  { name: 'RMSProp', make: () => new gf.optimizers.RMSprop({ learningRate: LEARNING_RATE, rho: 0.9 }), notebook: 0.8636 },
  { name: 'Adam', make: () => new gf.optimizers.Adam({ learningRate: LEARNING_RATE, beta1: 0.9, beta2: 0.999 }), notebook: 0.8696 },
  { name: 'AdaMax', make: () => new gf.optimizers.Adamax({ learningRate: LEARNING_RATE, beta1: 0.9, beta2: 0.999 }), notebook: 0.8780 },
  { name: 'Nadam', make: () => new gf.optimizers.Nadam({ learningRate: LEARNING_RATE, beta1: 0.9, beta2: 0.999 }), notebook: 0.8740 },
  { name: 'AdamW', make: () => new gf.optimizers.AdamW({ learningRate: LEARNING_RATE, weightDecay: 1e-5, beta1: 0.9, beta2: 0.999 }), notebook: 0.8702 },
];

/** The notebook's build_model: Flatten → 3 × Dense(100, relu, he_normal) → Dense(10, softmax). */
function buildModel(): gf.Sequential {
  return new gf.Sequential([
    new gf.layers.Flatten({ inputShape: [28, 28] }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(10, { activation: 'softmax' }),
  ], { name: 'build_model' });
}

async function run(options: gf.experiments.ExperimentOptions = {}): Promise<gf.experiments.ExperimentResult> {
  const log = options.log ?? ((): void => {});
  const epochs = options.epochs ?? EPOCHS;
  const batchSize = options.batchSize ?? 32;
  const { train, valid } = await loadChapterData(options);

  // build once: every optimizer starts from these weights
  const seed = seedRun(options);
  const initialWeights = buildModel().getWeights();

  const runs: gf.experiments.RunRecord[] = [];
  for (const [i, spec] of OPTIMIZERS.entries()) {
    log(`run ${i + 1}/${OPTIMIZERS.length}: ${spec.name}`);
    seedRun(options); // the same batches in the same order for every optimizer
    const model = buildModel();
    model.setWeights(initialWeights);
    model.compile({ optimizer: spec.make(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const monitor = monitorFor(options);
    const { history, seconds } = await timedFit(model, train.x, train.y, {
      epochs, batchSize, validationData: [valid.x, valid.y], verbose: options.verbose ?? 0,
      callbacks: runCallbacks(options, spec.name, monitor),
    });
    runs.push(recordRun(spec.name, model, history, seconds, {
      monitor, extra: spec.notebook !== undefined ? { notebook_val_accuracy: spec.notebook } : {},
    }));
  }

  const byLoss = [...runs].sort((a, b) => a.final.loss - b.final.loss);
  const byVal = [...runs].sort((a, b) => b.final.val_accuracy - a.final.val_accuracy);
  const rising = runs.filter((r) => r.final.val_loss > Math.min(...r.history.val_loss) + 1e-4);
  const get = (name: string): gf.experiments.RunRecord => runs.find((r) => r.name === name)!;
  const notes = [
    `All ${runs.length} runs start from the same initial weights and see the same batches; learning rate ${LEARNING_RATE}, ` +
      `${epochs} epoch${epochs === 1 ? '' : 's'}. notebook_val_accuracy: the notebook's value after 10 epochs (its "SGD" cell ` +
      'reused the momentum optimizer, so plain SGD has none).',
    `Lowest training loss: ${byLoss.slice(0, 3).map((r) => `${r.name} ${r.final.loss.toFixed(4)}`).join(', ')}; highest: ` +
      `${byLoss.slice(-2).map((r) => `${r.name} ${r.final.loss.toFixed(4)}`).join(', ')}.`,
    `Best val_accuracy: ${byVal.slice(0, 3).map((r) => `${r.name} ${r.final.val_accuracy.toFixed(4)}`).join(', ')}.`,
    `What to see: at η = 0.001 plain SGD crawls (val_accuracy ${get('SGD').final.val_accuracy.toFixed(4)}); momentum and Nesterov ` +
      `speed it up (${get('Momentum').final.val_accuracy.toFixed(4)}, ${get('Nesterov').final.val_accuracy.toFixed(4)}); AdaGrad's ` +
      `shrinking rates slow it down (${get('AdaGrad').final.val_accuracy.toFixed(4)}); the Adam family fits the training set fastest. ` +
      `Runs whose val_loss ended above its best epoch (overfitting, which the chapter warns adaptive methods are prone to): ` +
      `${rising.length ? rising.map((r) => r.name).join(', ') : 'none'}.`,
  ];
  return { id: experiment.id, title: experiment.title, seed, epochs, samples: train.x.shape[0], runs, notes };
}

export const experiment: gf.experiments.Experiment = {
  id: 'optimizers',
  title: 'Faster optimizers: SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam, AdaMax, Nadam, AdamW',
  description: "The notebook's build_model (Flatten → 3 × Dense(100, relu, he_normal) → Dense(10, softmax), 99,710 params) " +
    'trained for 10 epochs at learning rate 0.001 with each optimizer (RMSProp ρ 0.9, Adam-family β 0.9 / 0.999, AdamW weight ' +
    'decay 1e-5), batch 32, every run from the same initial weights and shuffling.',
  defaultEpochs: EPOCHS,
  run,
};

await runIfMain(import.meta.url, experiment);
