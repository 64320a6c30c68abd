#!/usr/bin/env node
/**
 * The `gradflow` command line: train from a config file, run the chapter's experiments,
 * evaluate / predict with / summarize saved models, and show what the installation runs on.
 * Thin by design: arguments → config → library calls (docs/cli.md).
 *
 *   gradflow train examples/configs/fashion-mnist-mlp.json
 *   gradflow experiment --list
 *   gradflow evaluate runs/fashion-mnist-mlp-20250314-093005
 *
 * `main(argv, io)` runs in-process (tests pass captured streams and a fake experiment registry)
 * and returns the exit code: 0 ok, 1 runtime error, 2 usage or config error. Errors print as one
 * line on stderr; GRADFLOW_DEBUG=1 adds the stack trace.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { getBackend, getBackendInfo, listBackends, setBackend } from '../backend/registry.js';
import { getNumThreads, nativeLoadError, setNumThreads } from '../node.js';
import { evaluateCommand, SPLITS } from './commands/evaluate.js';
import { experimentCommand } from './commands/experiment.js';
import { gradflowVersion, infoCommand } from './commands/info.js';
import { predictCommand, PREDICT_FORMATS } from './commands/predict.js';
import { summaryCommand } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { DATASET_NAMES, PREPROCESSING } from './data.js';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, println, UsageError, type CliIO } from './io.js';

export type { CliIO, ExperimentRegistry, OutputStream } from './io.js';

/** An integer option value ≥ min; commander reports the option, the value and this message. */
function integer(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}.`);
    return n;
  };
}

const BACKENDS = ['js', 'wasm', 'native'] as const;

function useBackend(name: string): void {
  const info = getBackendInfo(name);
  if (!info || !info.isAvailable()) {
    const available = listBackends().filter((b) => getBackendInfo(b)?.isAvailable());
    const why = name === 'native' ? ` (${nativeLoadError() ?? 'the addon is not built: npm run build:native'})` : '';
    throw new UsageError(`--backend ${name}: not available here${why}; available: ${available.join(', ')}`);
  }
  setBackend(name);
}

function useThreads(n: number, io: CliIO): void {
  setNumThreads(n);
  const now = getNumThreads();
  if (now !== n) println(io.stderr, `gradflow: note: --threads ${n}: the ${getBackend()} backend runs ${now} thread${now === 1 ? '' : 's'} (its thread count is not settable)`);
}

const EXAMPLES = `
Examples:
  gradflow train examples/configs/fashion-mnist-mlp.json           train the chapter's MLP, write runs/<name>-<time>/
  gradflow train examples/configs/fashion-mnist-bn-1cycle.yaml --epochs 3 --report
  gradflow evaluate runs/fashion-mnist-mlp-20250314-093005         test-set loss and accuracy of a run's model
  gradflow predict runs/fashion-mnist-mlp-20250314-093005 x.npy --top 3
  gradflow experiment --list                                       the chapter's experiments
  gradflow experiment batch-norm --epochs 1 --samples 5000 --report
  gradflow info                                                    backends, BLAS kernel, threads, datasets found

Exit codes: 0 ok, 1 runtime error, 2 usage or config error. GRADFLOW_DEBUG=1 prints stack traces.
Docs: docs/cli.md (commands, options and the train config format).`;

function buildProgram(io: CliIO, argv: readonly string[]): Command {
  const program = new Command('gradflow')
    .description('Train deep neural networks in Node.js with Keras semantics (Hands-On ML, ch. 11).')
    .version(gradflowVersion(), '-V, --version', 'print the gradflow version')
    .addOption(new Option('--backend <name>', 'kernel backend for this command').choices(BACKENDS))
    .option('--threads <n>', 'threads for the backend kernels (GEMM pool on native, worker pool on wasm)', integer(1))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => { io.stdout.write(s); },
      writeErr: (s) => { io.stderr.write(s); },
      outputError: (s, write) => write(`gradflow: ${s}`),
    })
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', EXAMPLES);

  program.hook('preAction', (_root, action) => {
    const globals = action.optsWithGlobals<{ backend?: string; threads?: number }>();
    if (globals.backend !== undefined) useBackend(globals.backend);
    if (globals.threads !== undefined) useThreads(globals.threads, io);
  });

  program.command('train')
    .description('train the model a config file describes and write a run folder')
    .argument('<config>', 'the train config (.json, .yaml or .yml; format in docs/cli.md)')
    .option('--out <dir>', 'the run folder (default runs/<name>-<timestamp>; must not exist or be empty)')
    .option('--epochs <n>', "override the config's epochs", integer(1))
    .option('--seed <s>', "override the config's seed", integer(0))
    .option('--samples <n>', 'cap each split (train, valid, test) at n samples: quick runs', integer(1))
    .option('--batch-size <n>', "override the config's batch_size", integer(1))
    .option('--report', 'also write report.html (curves and gradient-flow diagnostics, sampled every 50 steps)')
    .option('--quiet', 'no progress output (the final lines still print)')
    .action((config: string, options) => trainCommand(config, options, io, argv));

  program.command('experiment')
    .description("run one of the chapter's experiments and print its result table")
    .argument('[id]', 'the experiment (see --list)')
    .option('--list', 'list the experiments: id, default epochs, title')
    .option('--epochs <n>', "epochs of the experiment's main phase", integer(1))
    .option('--seed <s>', 'seed of every run (default 42)', integer(0))
    .option('--samples <n>', 'cap each split at n samples: quick runs', integer(1))
    .option('--batch-size <n>', "override the protocol's batch size", integer(1))
    .option('--data-dir <dir>', 'where the Fashion-MNIST files are (default: the usual search)')
    .option('--report', 'also write a comparison report (report.html) with every run\'s diagnostics')
    .option('--out <dir>', 'the run folder for result.json (default runs/<id>-<timestamp>)')
    .option('--json', 'print the result (or the list) as JSON')
    .action((id: string | undefined, options) => experimentCommand(id, options, io));

  program.command('evaluate')
    .description('loss and metrics of a saved model on a dataset split or on array files')
    .argument('<model>', 'a model file (.safetensors) or a run folder')
    .addOption(new Option('--data <name>', "dataset (default: the run's, else fashion-mnist)").choices(DATASET_NAMES))
    .addOption(new Option('--split <split>', 'which split (default test)').choices(SPLITS))
    .option('--x <file>', 'inputs: .npy, IDX (.gz ok) or .json')
    .option('--y <file>', 'labels: .npy, IDX (.gz ok) or .json')
    .option('--batch-size <n>', 'batch size (default 32)', integer(1))
    .option('--samples <n>', 'use the first n samples', integer(1))
    .option('--data-dir <dir>', 'where the dataset files are (default: the usual search)')
    .addOption(new Option('--preprocessing <kind>', "how inputs are prepared; auto: as recorded in the run's config.json, else / 255 for image data").choices(['auto', ...PREPROCESSING]).default('auto'))
    .option('--json', 'print the result as JSON')
    .action((model: string, options) => evaluateCommand(model, options, io));

  program.command('predict')
    .description("a saved model's predictions (class ids and probabilities for classifiers)")
    .argument('<model>', 'a model file (.safetensors) or a run folder')
    .argument('<input>', 'samples: .npy, IDX (.gz ok) or .json (nested arrays); one sample or a batch')
    .option('--output <file>', 'write the predictions here (atomically) instead of stdout')
    .addOption(new Option('--format <format>', 'output format (default: from --output\'s extension, else json)').choices(PREDICT_FORMATS))
    .option('--top <k>', 'the k most likely classes per sample (default 1)', integer(1))
    .option('--batch-size <n>', 'batch size (default 32)', integer(1))
    .addOption(new Option('--preprocessing <kind>', "how inputs are prepared; auto: as recorded in the run's config.json, else / 255 for uint8 data").choices(['auto', ...PREPROCESSING]).default('auto'))
    .action((model: string, input: string, options) => predictCommand(model, input, options, io));

  program.command('summary')
    .description("a saved model's summary table (layers, output shapes, parameters)")
    .argument('<model>', 'a model file (.safetensors) or a run folder')
    .action((model: string) => summaryCommand(model, io));

  program.command('info')
    .description('versions, backends (BLAS library, kernel, threads), wasm SIMD, datasets found, cache directory')
    .option('--json', 'print as JSON')
    .action((options) => infoCommand(options, io));

  return program;
}

function reportError(error: unknown, io: CliIO): void {
  const debug = io.env.GRADFLOW_DEBUG === '1';
  const message = error instanceof Error ? error.message : String(error);
  println(io.stderr, `gradflow: error: ${message}`);
  if (debug && error instanceof Error && error.stack) println(io.stderr, error.stack);
}

/**
 * Runs the CLI on `argv` (the arguments after `gradflow`) and returns the exit code. The
 * backend and thread count in effect before are restored afterwards, so tests can call it often.
 */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = {
    stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), now: () => new Date(), ...io,
  };
  const backend = getBackend();
  const threads = getNumThreads();
  try {
    await buildProgram(full, argv).parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    // commander has printed its own message (unknown option, bad value, help, version)
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    reportError(error, full);
    return exitCodeOf(error);
  } finally {
    if (getBackend() !== backend) setBackend(backend);
    if (getNumThreads() !== threads) setNumThreads(threads);
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try { return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url)); } catch { return false; }
}

if (isMain()) {
  // `gradflow … | head`: a reader that goes away ends the command quietly, as Unix tools do
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  }
  const code = await main(process.argv.slice(2));
  // flush pipes before exiting (process.exit also ends worker threads a backend may hold)
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}
