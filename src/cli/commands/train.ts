/**
 * `gradflow train <config>`: checks the whole config, builds the model, loads the data, trains
 * with a progress bar and writes the run folder — config.json (resolved), history.json,
 * history.csv, model.safetensors, summary.txt, metrics.json, run.json and, with --report,
 * report.html (standardization.safetensors too with preprocessing 'standardize').
 */
import { resolve } from 'node:path';
import type { Callback } from '../../callbacks/callback.js';
import { History } from '../../callbacks/history.js';
import { getBackend } from '../../backend/registry.js';
import { Monitor } from '../../diagnostics/monitor.js';
import { encodeSafetensors } from '../../saving/safetensors.js';
import { isObject } from '../config/keys.js';
import { configName, readConfigFile } from '../config/load.js';
import { planTraining, type TrainPlan } from '../config/plan.js';
import { DATASETS, loadData, plannedSizes } from '../data.js';
import { ConfigError, println, type CliIO, shownPath } from '../io.js';
import { MODEL_FILE, STANDARDIZATION_FILE } from '../model-files.js';
import { CliProgress, formatLogs } from '../progress.js';
import { chooseRunDir, partialOf, RunFolder } from '../run-folder.js';
import { environmentSummary } from './info.js';

export interface TrainOptions {
  out?: string;
  epochs?: number;
  seed?: number;
  samples?: number;
  batchSize?: number;
  report?: boolean;
  quiet?: boolean;
}

/** history.csv: 'epoch' then the history keys (sorted, as Keras' CSVLogger), one row per epoch. */
export function historyCsv(history: Record<string, number[]>): string {
  const keys = Object.keys(history).sort();
  const epochs = Math.max(0, ...keys.map((k) => history[k].length));
  const cell = (v: number | undefined): string => (v === undefined ? '' : Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));
  const rows = [['epoch', ...keys].join(',')];
  for (let e = 0; e < epochs; e++) rows.push([String(e), ...keys.map((k) => cell(history[k][e]))].join(','));
  return `${rows.join('\n')}\n`;
}

const count = (n: number): string => n.toLocaleString('en-US');

export async function trainCommand(configArg: string, options: TrainOptions, io: CliIO, argv: readonly string[]): Promise<void> {
  const configPath = resolve(io.cwd, configArg);
  let raw: unknown;
  let plan: TrainPlan;
  let finalDir: string;
  try {
    raw = await readConfigFile(configPath, configArg);
    const named = isObject(raw) && typeof raw.name === 'string' && /^[\w.+-]+$/.test(raw.name) ? raw.name : configName(configPath);
    finalDir = await chooseRunDir(options.out, named, io.cwd, io.now());
    plan = planTraining(raw, {
      name: configName(configPath), runDir: partialOf(finalDir), cwd: io.cwd, print: (line) => println(io.stdout, line),
      overrides: { epochs: options.epochs, seed: options.seed, samples: options.samples, batchSize: options.batchSize },
    });
  } catch (e) {
    throw e instanceof ConfigError && e.file === undefined ? e.inFile(configArg) : e;
  }

  const say = (line = ''): void => { if (!options.quiet) println(io.stdout, line); };
  const info = DATASETS[plan.data.name];
  const sizes = plannedSizes(plan.data);
  say(`gradflow train: ${plan.name} — ${info.title} (${count(sizes.train)} train / ${count(sizes.valid)} valid / ${count(sizes.test)} test, ` +
    `preprocessing ${plan.data.preprocessing}), ${plan.epochs} epoch${plan.epochs === 1 ? '' : 's'}, batch ${plan.batchSize}, seed ${plan.seed}, backend ${getBackend()}`);

  const folder = await RunFolder.create(finalDir);
  const started = new Date();
  try {
    const data = await loadData(plan.data);
    const history = new History();
    const monitor = options.report ? new Monitor({ every: 50 }) : null;
    const callbacks: Callback[] = [
      ...(options.quiet ? [] : [new CliProgress(io.stdout)]),
      ...plan.callbacks,
      ...(monitor ? [monitor] : []),
      history,
    ];
    const t0 = performance.now();
    await plan.model.fit(data.train.x, data.train.y, {
      epochs: plan.epochs, batchSize: plan.batchSize, shuffle: plan.shuffle, verbose: 0, callbacks,
      ...(data.valid ? { validationData: [data.valid.x, data.valid.y] as [typeof data.valid.x, typeof data.valid.y] } : {}),
    });
    const seconds = (performance.now() - t0) / 1000;
    const evaluated = await plan.model.evaluate(data.test.x, data.test.y, { batchSize: plan.batchSize });
    const test: Record<string, number> = typeof evaluated === 'number' ? { loss: evaluated } : { ...evaluated };
    const final: Record<string, number> = {};
    for (const [k, v] of Object.entries(history.history)) if (v.length > 0) final[k] = v[v.length - 1];
    const summary = plan.model.summary(null);

    await folder.writeJson('config.json', plan.resolved);
    await folder.writeJson('history.json', history.history);
    await folder.writeText('history.csv', historyCsv(history.history));
    await plan.model.save(folder.path(MODEL_FILE));
    await folder.writeText('summary.txt', `${summary}\n`);
    await folder.writeJson('metrics.json', {
      test, final, epochs: history.epoch.length, seconds,
      samples: { train: data.train.x.shape[0], valid: data.valid?.x.shape[0] ?? 0, test: data.test.x.shape[0] },
    });
    if (data.standardization) {
      await folder.writeBytes(STANDARDIZATION_FILE, encodeSafetensors(new Map([['mean', data.standardization.mean], ['std', data.standardization.std]]),
        { format: 'gradflow-standardization', about: 'per-feature mean and population std of the training split, after pixels / 255' }));
    }
    await folder.writeJson('run.json', {
      command: ['gradflow', ...argv], started: started.toISOString(), finished: new Date().toISOString(), seconds,
      data_source: data.source, preset_choices: plan.presetChoices, ...(await environmentSummary()),
    });
    if (monitor) {
      const { writeReport } = await import('../../reports/index.js');
      await writeReport(folder.path('report.html'), {
        name: plan.name, history: history.history, monitor, summary, final, test, seconds, params: plan.model.countParams(),
      }, { title: `gradflow train: ${plan.name}`, description: plan.description ?? `${info.title}, ${history.epoch.length} epochs, batch ${plan.batchSize}, seed ${plan.seed}.` });
    }
    const dir = await folder.commit();
    println(io.stdout, `test: ${formatLogs(test)}`);
    println(io.stdout, `run folder: ${shownPath(io.cwd, dir)}${monitor ? ` (report: ${shownPath(io.cwd, resolve(dir, 'report.html'))})` : ''}`);
  } catch (e) {
    const left = await folder.abandon().catch(() => folder.dir);
    if (left !== null && e instanceof Error) e.message += `\n(what the run wrote so far is in ${shownPath(io.cwd, left)})`;
    throw e;
  }
}
