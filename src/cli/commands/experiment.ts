/**
 * `gradflow experiment --list` and `gradflow experiment <id>`: runs one of the chapter's
 * experiments (examples/<id>.ts, through examples/index.ts), prints its result table (or JSON),
 * and writes result.json — and with --report a comparison report — into a run folder.
 * Progress (each run's epochs) goes to stderr, so stdout holds only the result.
 */
import { relative } from 'node:path';
import { formatResultTable } from '../../experiments/helpers.js';
import type { ExperimentResult } from '../../experiments/types.js';
import { println, UsageError, type CliIO, type ExperimentRegistry } from '../io.js';
import { CliProgress } from '../progress.js';
import { chooseRunDir, jsonReplacer, RunFolder } from '../run-folder.js';
import { didYouMean } from '../suggest.js';

export interface ExperimentCommandOptions {
  list?: boolean;
  epochs?: number;
  seed?: number;
  samples?: number;
  batchSize?: number;
  dataDir?: string;
  report?: boolean;
  out?: string;
  json?: boolean;
}

/** The experiments in examples/ (loaded lazily: each script imports the library). */
export async function defaultRegistry(): Promise<ExperimentRegistry> {
  // the same relative path from src/cli/commands (tsx) and dist/src/cli/commands (the build)
  const mod = await import('../../../examples/index.js');
  return { ids: mod.EXPERIMENT_IDS, load: (id) => mod.loadExperiment(id) };
}

/** The result without the Monitor objects (result.json holds numbers; the report holds the diagnostics). */
export function plainResult(result: ExperimentResult): ExperimentResult {
  return { ...result, runs: result.runs.map(({ monitor: _monitor, ...run }) => run) };
}

async function listExperiments(registry: ExperimentRegistry, io: CliIO, json: boolean): Promise<void> {
  const rows: Array<{ id: string; title: string; defaultEpochs: number | null; error?: string }> = [];
  for (const id of registry.ids) {
    try {
      const e = await registry.load(id);
      rows.push({ id, title: e.title, defaultEpochs: e.defaultEpochs });
    } catch (err) {
      rows.push({ id, title: '', defaultEpochs: null, error: (err as Error).message.split('\n')[0] });
    }
  }
  if (json) {
    println(io.stdout, JSON.stringify(rows, null, 2));
    return;
  }
  const w = Math.max(2, ...rows.map((r) => r.id.length));
  println(io.stdout, `${'id'.padEnd(w)}  epochs  title`);
  for (const r of rows) {
    println(io.stdout, `${r.id.padEnd(w)}  ${String(r.defaultEpochs ?? '—').padStart(6)}  ${r.error !== undefined ? `(unavailable: ${r.error})` : r.title}`);
  }
}

export async function experimentCommand(id: string | undefined, options: ExperimentCommandOptions, io: CliIO): Promise<void> {
  const registry = io.experiments ?? await defaultRegistry();
  if (options.list) {
    if (id !== undefined) throw new UsageError(`experiment: give an id or --list, not both (got '${id}' and --list)`);
    await listExperiments(registry, io, options.json === true);
    return;
  }
  if (id === undefined) throw new UsageError(`experiment: missing <id>; expected one of: ${registry.ids.join(', ')} (or --list)`);
  if (!registry.ids.includes(id)) {
    throw new UsageError(`experiment: unknown id '${id}'${didYouMean(id, registry.ids)}; expected one of: ${registry.ids.join(', ')}`);
  }
  const finalDir = await chooseRunDir(options.out, id, io.cwd, io.now());
  const experiment = await registry.load(id);
  const log = (line: string): void => println(io.stderr, line);
  log(`gradflow experiment: ${experiment.title} (${id})`);
  const result = await experiment.run({
    epochs: options.epochs, seed: options.seed, samples: options.samples, batchSize: options.batchSize, dataDir: options.dataDir,
    verbose: 0, monitor: options.report === true, log,
    callbacks: (runName) => [new CliProgress(io.stderr, { label: runName })],
  });
  const folder = await RunFolder.create(finalDir);
  try {
    await folder.writeJson('result.json', plainResult(result));
    if (options.report) {
      const { writeComparisonReport } = await import('../../reports/index.js');
      await writeComparisonReport(folder.path('report.html'), result.runs, { title: result.title, description: experiment.description, notes: result.notes });
    }
  } catch (e) {
    const left = await folder.abandon().catch(() => folder.dir);
    if (left !== null && e instanceof Error) e.message += `\n(what was written so far is in ${relative(io.cwd, left)})`;
    throw e;
  }
  const dir = await folder.commit();
  if (options.json) println(io.stdout, JSON.stringify(plainResult(result), jsonReplacer, 2));
  else println(io.stdout, formatResultTable(result));
  const where = relative(io.cwd, dir) || '.';
  log(`result: ${where}/result.json${options.report ? `, report: ${where}/report.html` : ''}`);
}
