/**
 * Models named on the command line: a .safetensors file saved by gradflow (or a run folder,
 * meaning its model.safetensors), plus what the run folder around it records — the resolved
 * config (dataset, preprocessing) and the standardization statistics — so that evaluate and
 * predict preprocess inputs the way the model was trained.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Model } from '../models/model.js';
import { loadModel } from '../saving/files.js';
import { decodeSafetensors } from '../saving/safetensors.js';
import { DATASET_NAMES, PREPROCESSING, type DatasetName, type Preprocessing, type Standardization } from './data.js';
import { UsageError } from './io.js';

export const MODEL_FILE = 'model.safetensors';
export const STANDARDIZATION_FILE = 'standardization.safetensors';

/** The model file a path names (relative to `cwd`): the file itself, or a run folder's model.safetensors. */
export async function resolveModelPath(arg: string, cwd: string): Promise<string> {
  const path = resolve(cwd, arg);
  let info;
  try { info = await stat(path); } catch (e) {
    throw new UsageError(`<model>: cannot read '${arg}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!info.isDirectory()) return path;
  const inside = join(path, MODEL_FILE);
  try { await stat(inside); } catch { throw new UsageError(`<model>: '${arg}' is a directory without a ${MODEL_FILE} (expected a model file or a run folder)`); }
  return inside;
}

/** Loads a model file; a file that is not a gradflow model is a runtime error naming it. */
export async function loadModelFile(arg: string, cwd: string): Promise<{ model: Model; path: string }> {
  const file = await resolveModelPath(arg, cwd);
  try {
    return { model: await loadModel(file), path: file };
  } catch (e) {
    throw new Error(`cannot load the model '${relative(cwd, file) || file}': ${(e as Error).message.replace(/^loadModel\('[^']*'\): /, '')}`);
  }
}

/** What the run folder around a model recorded about its training data. */
export interface RunRecordFile {
  /** The config.json next to the model (relative to cwd, for messages), or null. */
  configPath: string | null;
  dataset: DatasetName | null;
  preprocessing: Preprocessing | null;
  validation: number | null;
  standardization: Standardization | null;
}

/** Reads config.json (and the standardization statistics) next to a model file, when there. */
export async function readRunRecord(modelFile: string, cwd: string): Promise<RunRecordFile> {
  const dir = dirname(modelFile);
  const none: RunRecordFile = { configPath: null, dataset: null, preprocessing: null, validation: null, standardization: null };
  let config: { dataset?: { name?: unknown; preprocessing?: unknown; validation?: unknown } };
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  } catch {
    return none;
  }
  const configPath = relative(cwd, join(dir, 'config.json')) || 'config.json';
  const d = config?.dataset ?? {};
  const dataset = DATASET_NAMES.includes(d.name as DatasetName) ? (d.name as DatasetName) : null;
  const preprocessing = PREPROCESSING.includes(d.preprocessing as Preprocessing) ? (d.preprocessing as Preprocessing) : null;
  const validation = typeof d.validation === 'number' ? d.validation : null;
  let standardization: Standardization | null = null;
  if (preprocessing === 'standardize') {
    const file = join(dir, STANDARDIZATION_FILE);
    let bytes: Uint8Array;
    try { bytes = await readFile(file); } catch {
      throw new Error(`${configPath} records preprocessing 'standardize', but ${file} (the training statistics) is missing`);
    }
    const { tensors } = decodeSafetensors(bytes, file);
    const mean = tensors.get('mean'), std = tensors.get('std');
    if (!mean || !std) throw new Error(`${file}: expected tensors 'mean' and 'std'`);
    standardization = { mean, std };
  }
  return { configPath, dataset, preprocessing, validation, standardization };
}

export type PreprocessingFlag = Preprocessing | 'auto';

/**
 * The preprocessing to apply, and why (printed): the --preprocessing flag, else what the run
 * recorded, else pixels / 255 for a dataset or a file of uint8 pixels, none for a file of floats.
 */
export function choosePreprocessing(flag: PreprocessingFlag, run: RunRecordFile, input: { dataset: true } | { dataset: false; bytes: boolean }): { kind: Preprocessing; why: string } {
  if (flag !== 'auto') return { kind: flag, why: 'from --preprocessing' };
  if (run.preprocessing !== null) return { kind: run.preprocessing, why: `as recorded in ${run.configPath}` };
  if (input.dataset) return { kind: 'scale', why: 'pixels / 255, the default for image datasets (no config.json next to the model)' };
  return input.bytes
    ? { kind: 'scale', why: 'pixels / 255: the file holds uint8 values (no config.json next to the model)' }
    : { kind: 'none', why: 'values used as they are: the file holds floats (no config.json next to the model)' };
}

export function describePreprocessing(kind: Preprocessing): string {
  return kind === 'scale' ? 'scale (x / 255)' : kind === 'standardize' ? 'standardize ((x / 255 − mean) / std, training statistics)' : 'none';
}
