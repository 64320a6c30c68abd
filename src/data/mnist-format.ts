/**
 * The shared shape of MNIST and Fashion-MNIST: four IDX files (28×28 uint8 images, uint8
 * labels 0 … 9), or, for MNIST, Keras' `mnist.npz`. Browser-safe decoding of bytes.
 */
import { readZip, parseNpy } from './archive.js';
import { DataFormatError, decodeIdx } from './idx.js';
import type { Layout } from './sources.js';
import { checkLabels, type RawSplit } from './types.js';

const ROLES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type IdxRole = keyof typeof ROLES;
/** The IDX files of a split pair, raw or gzipped. */
export type IdxFiles = Record<IdxRole, Uint8Array>;

/** The official names, gzipped or not, plus the dotted spelling some mirrors use (train-images.idx3-ubyte). */
export const IDX_LAYOUT: Layout = {
  name: 'IDX files',
  files: Object.fromEntries(Object.entries(ROLES).map(([role, base]) =>
    [role, [`${base}.gz`, base, base.replace(/-(idx\d)/, '.$1')]])),
};

/** The official IDX file names (gzipped), e.g. for download specs. */
export const IDX_FILE_NAMES: Readonly<Record<IdxRole, string>> =
  Object.fromEntries(Object.entries(ROLES).map(([r, b]) => [r, `${b}.gz`])) as Record<IdxRole, string>;

async function idxSplit(images: Uint8Array, labels: Uint8Array, names: [string, string]): Promise<RawSplit> {
  const x = await decodeIdx(images, { name: names[0], expect: { dtype: 'uint8', shape: [null, 28, 28] } });
  const y = await decodeIdx(labels, { name: names[1], expect: { dtype: 'uint8', ndim: 1 } });
  if (x.shape[0] !== y.shape[0]) {
    throw new DataFormatError(`${names[0]} has ${x.shape[0]} images but ${names[1]} has ${y.shape[0]} labels`);
  }
  checkLabels(y.data as Uint8Array, 10, names[1]);
  return { x: x.data as Uint8Array, y: y.data as Uint8Array, xShape: x.shape, yShape: y.shape };
}

/** Decodes the four IDX files; `names` (role → file name) go into error messages. */
export async function decodeIdxFiles(files: IdxFiles, names: Partial<Record<IdxRole, string>> = {}): Promise<{ train: RawSplit; test: RawSplit }> {
  const n = (r: IdxRole): string => names[r] ?? ROLES[r];
  for (const role of Object.keys(ROLES) as IdxRole[]) {
    if (!(files[role] instanceof Uint8Array)) throw new TypeError(`decode: expected ${role} (${ROLES[role]}) as a Uint8Array`);
  }
  return {
    train: await idxSplit(files.trainImages, files.trainLabels, [n('trainImages'), n('trainLabels')]),
    test: await idxSplit(files.testImages, files.testLabels, [n('testImages'), n('testLabels')]),
  };
}

/** Decodes Keras' `mnist.npz` (x_train, y_train, x_test, y_test). */
export async function decodeMnistNpz(bytes: Uint8Array, name = 'mnist.npz'): Promise<{ train: RawSplit; test: RawSplit }> {
  const members = await readZip(bytes, name);
  const get = (key: string, rank: number): { data: Uint8Array; shape: number[] } => {
    const m = members.get(`${key}.npy`);
    if (!m) throw new DataFormatError(`${name}: no ${key}.npy member (has ${[...members.keys()].join(', ')})`);
    const a = parseNpy(m, `${name}:${key}.npy`);
    if (a.dtype !== 'uint8' || a.shape.length !== rank || (rank === 3 && (a.shape[1] !== 28 || a.shape[2] !== 28))) {
      throw new DataFormatError(`${name}:${key}.npy: expected uint8 ${rank === 3 ? '[n, 28, 28]' : '[n]'}, got ${a.dtype} [${a.shape.join(', ')}]`);
    }
    return { data: a.data as Uint8Array, shape: a.shape };
  };
  const split = (s: 'train' | 'test'): RawSplit => {
    const x = get(`x_${s}`, 3), y = get(`y_${s}`, 1);
    if (x.shape[0] !== y.shape[0]) throw new DataFormatError(`${name}: x_${s} has ${x.shape[0]} images but y_${s} has ${y.shape[0]} labels`);
    checkLabels(y.data, 10, `${name}:y_${s}.npy`);
    return { x: x.data, y: y.data, xShape: x.shape, yShape: y.shape };
  };
  return { train: split('train'), test: split('test') };
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
