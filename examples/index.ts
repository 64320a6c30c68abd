/**
 * The chapter's experiments, in the chapter's order. Each id is a readable script,
 * examples/<id>.ts, that exports `experiment` (see gf.experiments.Experiment) and runs itself
 * when executed directly:
 *
 *   npx tsx examples/optimizers.ts --epochs 2 --samples 5000
 *   gradflow experiment optimizers --epochs 2        (the same code, through the CLI)
 */
import type { Experiment } from '../src/experiments/types.js';

export const EXPERIMENT_IDS = [
  'vanishing-gradients',
  'activations',
  'batch-norm',
  'clipping',
  'transfer-learning',
  'autoencoder-pretraining',
  'self-supervised-pretraining',
  'optimizers',
  'schedules',
  'regularization',
  'mc-dropout',
  'max-norm',
  'guidelines',
] as const;

export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

export function isExperimentId(id: string): id is ExperimentId {
  return (EXPERIMENT_IDS as readonly string[]).includes(id);
}

/** Loads one experiment's module (examples/<id>.ts, or .js in the published build). */
export async function loadExperiment(id: string): Promise<Experiment> {
  if (!isExperimentId(id)) {
    throw new RangeError(`unknown experiment '${id}'; the experiments are: ${EXPERIMENT_IDS.join(', ')}`);
  }
  const mod = (await import(`./${id}.js`)) as { experiment?: Experiment };
  if (mod.experiment?.id !== id) throw new Error(`examples/${id} does not export an experiment with id '${id}'`);
  return mod.experiment;
}

/** Every experiment, in the chapter's order. */
export async function loadExperiments(): Promise<Experiment[]> {
  return Promise.all(EXPERIMENT_IDS.map((id) => loadExperiment(id)));
}
