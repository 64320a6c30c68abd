/**
 * `gradflow evaluate <model>`: loss and metrics of a saved model on a dataset split (default:
 * the dataset and split recorded in the run folder, else Fashion-MNIST's test set) or on arrays
 * from files (--x, --y: .npy, IDX, JSON). Inputs are preprocessed as the model was trained
 * (the run folder's config.json), else / 255 for image data; the output says which.
 */
import { resolve } from 'node:path';
import { Tensor } from '../../core/tensor.js';
import { takeRange } from '../../data/splits.js';
import type { Model } from '../../models/model.js';
import { DATASETS, loadData, preprocess, readArrayFile, type DatasetName, type Preprocessing } from '../data.js';
import { println, UsageError, type CliIO, shownPath } from '../io.js';
import { choosePreprocessing, describePreprocessing, loadModelFile, readRunRecord, type PreprocessingFlag, type RunRecordFile } from '../model-files.js';
import { formatValue } from '../progress.js';

export const SPLITS = ['test', 'valid', 'train'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface EvaluateOptions {
  data?: DatasetName;
  split?: SplitName;
  x?: string;
  y?: string;
  batchSize?: number;
  samples?: number;
  dataDir?: string;
  preprocessing?: PreprocessingFlag;
  json?: boolean;
}

/** Labels as int32 when they are whole numbers (sparse class ids), else as they are. */
export function asLabels(t: Tensor): Tensor {
  const data = t.data;
  for (let i = 0; i < data.length; i++) if (!Number.isInteger(data[i])) return t;
  return t.dtype === 'int32' ? t : new Tensor(Int32Array.from(data), t.shape, 'int32');
}

/** Prepends a batch axis when `x` is one sample of the model's input. */
export function batchOf(model: Model, x: Tensor): Tensor {
  const declared = (model.builtInputShape ?? model.batchInputShape) as readonly (number | null)[] | null;
  if (declared && x.rank === declared.length - 1 && x.shape.join() === declared.slice(1).join()) return x.reshape([1, ...x.shape]);
  return x;
}

function capRows(t: Tensor, n: number | undefined): Tensor {
  return n === undefined || n >= t.shape[0] ? t : takeRange(t, 0, n);
}

interface Inputs { x: Tensor; y: Tensor; what: string; preprocessing: { kind: Preprocessing; why: string } }

async function datasetInputs(options: EvaluateOptions, run: RunRecordFile, cwd: string): Promise<Inputs> {
  const name = options.data ?? run.dataset ?? 'fashion-mnist';
  const split = options.split ?? 'test';
  let validationSize = run.validation ?? 5000;
  if (split === 'valid' && validationSize === 0) {
    throw new UsageError(`--split valid: ${run.configPath} records no validation split (validation 0); use --split test or train`);
  }
  if (split === 'test') validationSize = 0;
  const data = await loadData({ name, dir: options.dataDir !== undefined ? resolve(cwd, options.dataDir) : null, samples: null, preprocessing: 'none', validationSize });
  const s = split === 'test' ? data.test : split === 'valid' ? data.valid! : data.train;
  const chosen = choosePreprocessing(options.preprocessing ?? 'auto', run, { dataset: true });
  const x = preprocess(capRows(s.x, options.samples), chosen.kind, run.standardization);
  return { x, y: capRows(s.y, options.samples), what: `${DATASETS[name].title} ${split} split`, preprocessing: chosen };
}

async function fileInputs(options: EvaluateOptions, run: RunRecordFile, cwd: string): Promise<Inputs> {
  const xf = await readArrayFile(options.x!, cwd, '--x');
  const yf = await readArrayFile(options.y!, cwd, '--y');
  const chosen = choosePreprocessing(options.preprocessing ?? 'auto', run, { dataset: false, bytes: xf.bytes });
  const x = preprocess(capRows(xf.tensor, options.samples), chosen.kind, run.standardization);
  const y = asLabels(capRows(yf.tensor, options.samples));
  if (x.shape[0] !== y.shape[0]) throw new UsageError(`--x has ${x.shape[0]} samples but --y has ${y.shape[0]}; they must match`);
  return { x, y, what: `${options.x} / ${options.y}`, preprocessing: chosen };
}

export async function evaluateCommand(modelArg: string, options: EvaluateOptions, io: CliIO): Promise<void> {
  if ((options.x === undefined) !== (options.y === undefined)) {
    throw new UsageError(`--x and --y go together (inputs and labels); got only ${options.x !== undefined ? '--x' : '--y'}`);
  }
  if (options.x !== undefined && (options.data !== undefined || options.split !== undefined)) {
    throw new UsageError('give either --data/--split (a dataset) or --x/--y (files), not both');
  }
  const { model, path } = await loadModelFile(modelArg, io.cwd);
  if (!model.compiledState) {
    throw new Error(`the model '${path}' was saved without its compile settings (loss, metrics), so it cannot be evaluated; save it after model.compile()`);
  }
  const run = await readRunRecord(path, io.cwd);
  const inputs = options.x !== undefined ? await fileInputs(options, run, io.cwd) : await datasetInputs(options, run, io.cwd);
  const x = batchOf(model, inputs.x);
  const result = await model.evaluate(x, inputs.y, { batchSize: options.batchSize ?? 32 });
  const metrics: Record<string, number> = typeof result === 'number' ? { loss: result } : { ...result };
  const preprocessing = `${describePreprocessing(inputs.preprocessing.kind)}, ${inputs.preprocessing.why}`;
  if (options.json) {
    println(io.stdout, JSON.stringify({ model: shownPath(io.cwd, path), data: inputs.what, samples: x.shape[0], preprocessing, metrics }, null, 2));
    return;
  }
  println(io.stdout, `model: ${shownPath(io.cwd, path)}`);
  println(io.stdout, `data: ${inputs.what} (${x.shape[0].toLocaleString('en-US')} samples)`);
  println(io.stdout, `preprocessing: ${preprocessing}`);
  for (const [k, v] of Object.entries(metrics)) println(io.stdout, `${k}: ${formatValue(v)}`);
}
