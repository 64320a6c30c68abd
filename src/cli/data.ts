/**
 * The CLI's data: the three image datasets with the chapter's split (the LAST samples of the
 * training file for validation), a sample cap, and the preprocessing (pixels / 255, per-pixel
 * standardization on top of that, or none); plus array files given on the command line (.npy,
 * IDX — gzipped or not — and JSON nested arrays).
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Tensor } from '../core/tensor.js';
import * as datasets from '../data/index.js';
import type { DataSource } from '../data/sources.js';
import { UsageError } from './io.js';

export const DATASET_NAMES = ['fashion-mnist', 'mnist', 'cifar10'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
export const PREPROCESSING = ['scale', 'standardize', 'none'] as const;
export type Preprocessing = (typeof PREPROCESSING)[number];

export interface DatasetInfo {
  title: string;
  /** One sample's shape, as the loader returns it. */
  sampleShape: number[];
  classes: number;
  trainSize: number;
  testSize: number;
  classNames: readonly string[];
  spec: datasets.DatasetSpec;
  load(options: datasets.LoadOptions): Promise<datasets.Dataset>;
}

export const DATASETS: Record<DatasetName, DatasetInfo> = {
  'fashion-mnist': {
    title: 'Fashion-MNIST', sampleShape: [28, 28], classes: 10, trainSize: 60_000, testSize: 10_000,
    classNames: datasets.fashionMnist.classNames, spec: datasets.fashionMnist.spec, load: (o) => datasets.fashionMnist.loadData(o),
  },
  mnist: {
    title: 'MNIST', sampleShape: [28, 28], classes: 10, trainSize: 60_000, testSize: 10_000,
    classNames: datasets.mnist.classNames, spec: datasets.mnist.spec, load: (o) => datasets.mnist.loadData(o),
  },
  cifar10: {
    title: 'CIFAR-10', sampleShape: [32, 32, 3], classes: 10, trainSize: 50_000, testSize: 10_000,
    classNames: datasets.cifar10.classNames, spec: datasets.cifar10.spec, load: (o) => datasets.cifar10.loadData(o),
  },
};

/** How the training file is split and capped (the resolved `dataset` section of a train config). */
export interface DataPlan {
  name: DatasetName;
  dir: string | null;
  /** Cap on each split's size (train, valid, test), or null for all. */
  samples: number | null;
  preprocessing: Preprocessing;
  /** Validation samples taken from the END of the training file (0: none). */
  validationSize: number;
}

/** Split sizes before loading (for steps per epoch and 1cycle lengths). */
export function plannedSizes(plan: DataPlan): { train: number; valid: number; test: number } {
  const info = DATASETS[plan.name];
  const cap = (n: number): number => (plan.samples === null ? n : Math.min(n, plan.samples));
  return { train: cap(info.trainSize - plan.validationSize), valid: cap(plan.validationSize), test: cap(info.testSize) };
}

export interface Standardization { mean: Tensor; std: Tensor }

export interface LoadedData {
  train: datasets.XY;
  valid: datasets.XY | null;
  test: datasets.XY;
  source: DataSource;
  classNames: readonly string[];
  /** The training split's statistics, with preprocessing 'standardize'. */
  standardization: Standardization | null;
}

function cap(s: datasets.XY, n: number | null): datasets.XY {
  if (n === null || n >= s.x.shape[0]) return s;
  return { x: datasets.takeRange(s.x, 0, n), y: datasets.takeRange(s.y, 0, n) };
}

/** Loads, splits, caps and preprocesses a dataset as `plan` says. */
export async function loadData(plan: DataPlan): Promise<LoadedData> {
  const info = DATASETS[plan.name];
  const data = await info.load(plan.dir !== null ? { dir: plan.dir } : {});
  let train: datasets.XY = { x: data.train.x, y: data.train.y };
  let valid: datasets.XY | null = null;
  if (plan.validationSize > 0) ({ train, valid } = datasets.trainValidSplit(data.train.x, data.train.y, { validSize: plan.validationSize }));
  train = cap(train, plan.samples);
  valid = valid && cap(valid, plan.samples);
  let test = cap({ x: data.test.x, y: data.test.y }, plan.samples);
  let standardization: Standardization | null = null;
  if (plan.preprocessing !== 'none') {
    const scale = (s: datasets.XY): datasets.XY => ({ x: datasets.scalePixels(s.x), y: s.y });
    train = scale(train); valid = valid && scale(valid); test = scale(test);
  }
  if (plan.preprocessing === 'standardize') {
    standardization = fitStandardization(train.x);
    train = { x: standardizeWith(train.x, standardization), y: train.y };
    valid = valid && { x: standardizeWith(valid.x, standardization), y: valid.y };
    test = { x: standardizeWith(test.x, standardization), y: test.y };
  }
  return { train, valid, test, source: data.source, classNames: data.classNames, standardization };
}

/**
 * Per-feature mean and population std of the training split (the chapter's SELU protocol,
 * as gf.datasets.standardize), accumulated in float64 and stored as float32 — the values that
 * are saved with the run, so training, evaluate and predict apply exactly the same numbers.
 * A feature constant in the training split (possible with a small --samples cap) gets std 1:
 * centered, not scaled, as scikit-learn's StandardScaler does.
 */
export function fitStandardization(x: Tensor): Standardization {
  const n = x.shape[0], d = x.size / Math.max(n, 1), data = x.data;
  const mean = new Float64Array(d), variance = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) { const c = data[i * d + j] - mean[j]; variance[j] += c * c; }
  const std = variance.map((v) => Math.sqrt(v / n) || 1);
  const shape = x.shape.slice(1);
  return { mean: new Tensor(Float32Array.from(mean), shape, 'float32'), std: new Tensor(Float32Array.from(std), shape, 'float32') };
}

/** (x − mean) / std per feature, with the training split's statistics (x already scaled to [0, 1]). */
export function standardizeWith(x: Tensor, s: Standardization): Tensor {
  const d = s.mean.size;
  if (x.size % d !== 0 || x.shape.slice(1).reduce((a, b) => a * b, 1) !== d) {
    throw new UsageError(`the inputs have shape [${x.shape.join(', ')}], but the standardization saved with the model is for samples of ${d} values ([${s.mean.shape.join(', ')}])`);
  }
  const out = new Float32Array(x.size), src = x.data, mean = s.mean.data, std = s.std.data;
  for (let i = 0; i < src.length; i += d) for (let j = 0; j < d; j++) out[i + j] = (src[i + j] - mean[j]) / std[j];
  return new Tensor(out, x.shape, 'float32');
}

/** Applies a recorded preprocessing to raw inputs (pixels 0 … 255 for 'scale' and 'standardize'). */
export function preprocess(x: Tensor, kind: Preprocessing, stats: Standardization | null): Tensor {
  if (kind === 'none') return x.dtype === 'float32' || x.dtype === 'float64' ? x : x.cast('float32');
  const scaled = datasets.scalePixels(x.dtype === 'int32' ? x.cast('float32') : x);
  if (kind === 'scale') return scaled;
  if (!stats) throw new UsageError("preprocessing 'standardize' needs the training statistics (standardization.safetensors next to the model)");
  return standardizeWith(scaled, stats);
}

/** An array read from a file: its values as a tensor, and whether they were bytes (uint8 pixels). */
export interface ArrayFile { tensor: Tensor; bytes: boolean; format: 'npy' | 'idx' | 'json' }

const ARRAY_FORMATS = '.npy, IDX (.idx, *-ubyte, optionally .gz) or .json (nested arrays of numbers)';

/**
 * Reads an array file: .npy (numpy.save), IDX (MNIST's format, gzipped or not) or JSON (nested
 * arrays). A missing file is a UsageError (exit 2); unreadable contents are runtime errors.
 */
export async function readArrayFile(path: string, cwd: string, what: string): Promise<ArrayFile> {
  let bytes: Uint8Array;
  try {
    const b = await readFile(resolve(cwd, path));
    bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new UsageError(`${what}: cannot read '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const name = path.toLowerCase().replace(/\.gz$/, '');
  const raw = await datasets.maybeGunzip(bytes, path);
  if (extname(name) === '.json') {
    let value: unknown;
    try { value = JSON.parse(new TextDecoder().decode(raw)); } catch (e) { throw new Error(`${what}: '${path}' is not valid JSON: ${(e as Error).message}`); }
    return { tensor: jsonTensor(value, `${what} '${path}'`), bytes: false, format: 'json' };
  }
  if (raw.length >= 6 && raw[0] === 0x93 && raw[1] === 0x4e) {
    const a = datasets.parseNpy(raw, path);
    return { tensor: arrayTensor(a.data, a.shape), bytes: a.dtype === 'uint8', format: 'npy' };
  }
  if (raw.length >= 4 && raw[0] === 0 && raw[1] === 0) {
    const a = datasets.parseIdx(raw, { name: path });
    return { tensor: arrayTensor(a.data, a.shape), bytes: a.dtype === 'uint8', format: 'idx' };
  }
  throw new Error(`${what}: '${path}' is not a supported array file; expected ${ARRAY_FORMATS}`);
}

function arrayTensor(data: ArrayLike<number>, shape: readonly number[]): Tensor {
  if (data instanceof Float64Array) return new Tensor(Float64Array.from(data), shape, 'float64');
  if (data instanceof Int32Array || data instanceof Int16Array || data instanceof Int8Array) return new Tensor(Int32Array.from(data), shape, 'int32');
  return new Tensor(Float32Array.from(data), shape, 'float32');
}

function jsonTensor(value: unknown, what: string): Tensor {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: number[] = [];
  const walk = (v: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}: expected a finite number at ${at || '[]'}, got ${JSON.stringify(v)}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`${what}: ragged array: expected ${shape[depth]} entries at ${at || 'the top level'}, got ${Array.isArray(v) ? v.length : JSON.stringify(v)}`);
    }
    v.forEach((x, i) => walk(x, depth + 1, `${at}[${i}]`));
  };
  walk(value, 0, '');
  if (shape.length === 0) throw new Error(`${what}: expected an array of numbers, got ${JSON.stringify(value)}`);
  return new Tensor(Float32Array.from(flat), shape, 'float32');
}
