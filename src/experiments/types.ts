/**
 * The chapter's experiments as code: the types every experiment script in `examples/` shares,
 * so that the CLI (`gradflow experiment <id>`), reports and tests can run any of them alike.
 */
import type { Callback } from '../callbacks/callback.js';
import type { Monitor } from '../diagnostics/monitor.js';

export interface ExperimentOptions {
  /**
   * Epochs of the experiment's main training phase (default: the protocol's). Experiments with
   * several phases say in their description how the others follow (e.g. transfer learning
   * keeps its 4 : 16 ratio).
   */
  epochs?: number;
  /** Seed for initializers, dropout and shuffling (default 42); each run re-seeds with it. */
  seed?: number;
  /**
   * Cap on the number of training samples (validation and test sets are capped to the same
   * number): tiny budgets prove an experiment wires up; the full protocol leaves it unset.
   */
  samples?: number;
  /** Override the protocol's batch size (rarely useful; the CLI exposes it). */
  batchSize?: number;
  /** Where the data set files are (see gf.datasets source order); default: the usual search. */
  dataDir?: string;
  /** fit's verbosity for each run (0 silent, 1 progress bar, 2 one line per epoch); default 0. */
  verbose?: 0 | 1 | 2;
  /** Attach a gf.diagnostics.Monitor to every run (reports show its gradient flow). */
  monitor?: boolean;
  /** Sampling interval of that Monitor, in batches (default 50; tiny runs use fewer). */
  monitorEvery?: number;
  /** Progress messages ("run 3/9: Adam"); default: silent. */
  log?: (line: string) => void;
  /** Extra callbacks for every fit of every run (e.g. the CLI's progress bar). */
  callbacks?: (runName: string) => Callback[];
}

/** One trained configuration of an experiment (one line of the result table). */
export interface RunRecord {
  name: string;
  /** History.history of the run's fit (concatenated over phases, epoch by epoch). */
  history: Record<string, number[]>;
  /** Last epoch's value of each history key (loss, accuracy, val_loss, val_accuracy, …). */
  final: Record<string, number>;
  /** Metrics on the test set, when the protocol evaluates on it. */
  test?: Record<string, number>;
  /** Wall-clock seconds of the run's training (fit calls only). */
  seconds: number;
  /** Total parameter count of the trained model. */
  params?: number;
  /** The model's summary() table. */
  summary?: string;
  /** The run's diagnostics, when options.monitor was set. */
  monitor?: Monitor;
  /** Anything else the experiment measures (e.g. MC-dropout std, final learning rate). */
  extra?: Record<string, number | string>;
}

export interface ExperimentResult {
  id: string;
  title: string;
  seed: number;
  /** The main phase's epoch count that was used. */
  epochs: number;
  /** Training samples used (the full split unless options.samples capped it). */
  samples: number;
  runs: RunRecord[];
  /** What the reader should look at, e.g. "SELU reaches ~0.80 val accuracy, ReLU lags". */
  notes: string[];
}

export interface Experiment {
  /** The CLI id, e.g. 'transfer-learning'. */
  id: string;
  title: string;
  /** One paragraph: the protocol, as in ../shared/reference/chapter-experiments.md. */
  description: string;
  /** The protocol's epochs of the main phase. */
  defaultEpochs: number;
  run(options?: ExperimentOptions): Promise<ExperimentResult>;
}
