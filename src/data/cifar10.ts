/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 60,000
 * 32×32 colour images of 10 classes, 50,000 for training (data_batch_1 … 5) and 10,000 for test,
 * as `keras.datasets.cifar10.load_data()` returns them: x [n, 32, 32, 3] channels last, y [n, 1].
 * Read from the binary version (`cifar-10-batches-bin/*.bin` or the `cifar-10-binary.tar.gz`
 * archive itself); the download is that archive from the authors' site, verified by SHA-256.
 */
import { Tensor } from '../core/tensor.js';
import { readTar } from './archive.js';
import { cifar10BatchCount, copyCifar10Batch } from './cifar.js';
import { gunzip } from './compression.js';
import { DataFormatError } from './idx.js';
import { baseName } from './mnist-format.js';
import { readSourceFiles, resolveSource, type DataSource, type DatasetSpec, type Layout } from './sources.js';
import type { Dataset, LoadOptions, RawDataset, RawSplit, Split } from './types.js';

export const classNames: readonly string[] = Object.freeze([
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
]);

const TRAIN = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
const TEST = 'test_batch.bin';
const FOLDER = 'cifar-10-batches-bin';
const ARCHIVE = 'cifar-10-binary.tar.gz';

const BATCH_LAYOUT: Layout = {
  name: 'binary batches',
  files: Object.fromEntries([...TRAIN, TEST].map((f) => [f.replace('.bin', ''), [f, `${FOLDER}/${f}`]])),
};
const ARCHIVE_LAYOUT: Layout = { name: 'binary archive', files: { archive: [ARCHIVE] } };

export const spec: DatasetSpec = {
  id: 'cifar10',
  title: 'CIFAR-10',
  caller: 'cifar10.loadData',
  aliases: ['cifar-10', FOLDER],
  layouts: [BATCH_LAYOUT, ARCHIVE_LAYOUT],
  systemDirs: [],
  downloads: [{
    file: ARCHIVE,
    // SHA-256 of the authors' archive (170,052,171 bytes; MD5 c32a1d4ab5d03f1284b67883e8d87530 on the site).
    sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
  }],
};

type Batch = { bytes: Uint8Array; name: string };
type Target = 'uint8' | 'float32';

/** Concatenates batches straight into one array of the target type (no intermediate copy). */
function assemble<T extends Target>(batches: Batch[], target: T): { x: T extends 'uint8' ? Uint8Array : Float32Array; y: Uint8Array; n: number } {
  const n = batches.reduce((s, b) => s + cifar10BatchCount(b.bytes, b.name), 0);
  const x = target === 'uint8' ? new Uint8Array(n * 3072) : new Float32Array(n * 3072);
  const y = new Uint8Array(n);
  let offset = 0;
  for (const b of batches) offset += copyCifar10Batch(b.bytes, x, y, offset, b.name);
  return { x: x as T extends 'uint8' ? Uint8Array : Float32Array, y, n };
}

/** The train and test batches from the files of a source (or from archive members). */
async function batchesOf(files: Record<string, Uint8Array>, names: Record<string, string>): Promise<{ train: Batch[]; test: Batch[] }> {
  if (files.archive) {
    const name = names.archive ?? ARCHIVE;
    const members = readTar(await gunzip(files.archive, name), name);
    const find = (f: string): Batch => {
      const key = [...members.keys()].find((k) => baseName(k) === f);
      if (!key) throw new DataFormatError(`${name}: the archive has no ${f} (members: ${[...members.keys()].join(', ') || 'none'})`);
      return { bytes: members.get(key)!, name: `${name}:${key}` };
    };
    return { train: TRAIN.map(find), test: [find(TEST)] };
  }
  const batch = (f: string): Batch => {
    const role = f.replace('.bin', '');
    if (!(files[role] instanceof Uint8Array)) throw new TypeError(`cifar10.decode: expected ${role} (${f}) as a Uint8Array`);
    return { bytes: files[role], name: names[role] ?? f };
  };
  return { train: TRAIN.map(batch), test: [batch(TEST)] };
}

function rawSplit(batches: Batch[]): RawSplit {
  const { x, y, n } = assemble(batches, 'uint8');
  return { x, y, xShape: [n, 32, 32, 3], yShape: [n, 1] };
}

function tensorSplit(batches: Batch[]): Split {
  const { x, y, n } = assemble(batches, 'float32');
  return { x: new Tensor(x, [n, 32, 32, 3], 'float32'), y: new Tensor(Int32Array.from(y), [n, 1], 'int32') };
}

/**
 * Decodes batches handed over in memory: `{ data_batch_1, …, data_batch_5, test_batch }` (the
 * .bin contents) or `{ archive }` (the bytes of cifar-10-binary.tar.gz). The browser path.
 */
export async function decode(files: Record<string, Uint8Array>): Promise<RawDataset> {
  const { train, test } = await batchesOf(files, {});
  const source: DataSource = { kind: 'bytes', layout: files.archive ? ARCHIVE_LAYOUT.name : BATCH_LAYOUT.name, files: {} };
  return { train: rawSplit(train), test: rawSplit(test), source, classNames };
}

/** The dataset as uint8 bytes: x [n, 32, 32, 3] (channels last), y [n, 1]. Node (reads files). */
export async function loadBytes(options: LoadOptions = {}): Promise<RawDataset> {
  const source = await resolveSource(spec, options);
  const { train, test } = await batchesOf(await readSourceFiles(source), source.files);
  return { train: rawSplit(train), test: rawSplit(test), source, classNames };
}

/**
 * The dataset as tensors: x float32 [n, 32, 32, 3] with values 0 … 255 (50,000 training images
 * take 614 MB as float32), y int32 [n, 1]. Node (reads files).
 */
export async function loadData(options: LoadOptions = {}): Promise<Dataset> {
  const source = await resolveSource(spec, options);
  const { train, test } = await batchesOf(await readSourceFiles(source), source.files);
  return { train: tensorSplit(train), test: tensorSplit(test), source, classNames };
}
