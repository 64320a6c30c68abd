/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747; github.com/zalandoresearch/fashion-mnist):
 * 70,000 28×28 grayscale images of 10 clothing classes, 60,000 for training and 10,000 for test,
 * as `keras.datasets.fashion_mnist.load_data()` returns them.
 *
 *   const { train, test } = await gf.datasets.fashionMnist.loadData();
 *   train.x  // float32 [60000, 28, 28], values 0 … 255;  train.y  // int32 [60000]
 *
 * Sources and their order: see sources.ts. Debian/Ubuntu: `apt-get install dataset-fashion-mnist`.
 */
import { decodeIdxFiles, IDX_FILE_NAMES, IDX_LAYOUT, type IdxFiles, type IdxRole } from './mnist-format.js';
import { readSourceFiles, resolveSource, type DataSource, type DatasetSpec } from './sources.js';
import { toTensors, type Dataset, type LoadOptions, type RawDataset } from './types.js';

/** Class names by label, as in the dataset's README and the book. */
export const classNames: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/**
 * SHA-256 of the official gzipped files (github.com/zalandoresearch/fashion-mnist data/fashion,
 * mirrored byte for byte by Keras at storage.googleapis.com/tensorflow/tf-keras-datasets; the
 * README lists their MD5s 8d4fb7e6…, 25c81989…, bef4ecab…, bb300cfd…). Debian's package
 * recompresses the same IDX contents, so its .gz bytes differ: local files are checked by
 * their IDX headers and lengths, downloads by these hashes.
 */
const SHA256: Record<IdxRole, string> = {
  trainImages: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
  trainLabels: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
  testImages: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
  testLabels: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
};

const MIRRORS = [
  'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
];

export const spec: DatasetSpec = {
  id: 'fashion-mnist',
  title: 'Fashion-MNIST',
  caller: 'fashionMnist.loadData',
  aliases: ['fashion_mnist', 'fashion'],
  layouts: [IDX_LAYOUT],
  systemDirs: [{ dir: '/usr/share/datasets/fashion-mnist', package: 'dataset-fashion-mnist' }],
  downloads: (Object.keys(IDX_FILE_NAMES) as IdxRole[]).map((role) => ({
    file: IDX_FILE_NAMES[role], sha256: SHA256[role], urls: MIRRORS.map((m) => m + IDX_FILE_NAMES[role]),
  })),
};

/** Decodes the four IDX files handed over as bytes (raw or gzipped): the browser path. */
export async function decode(files: IdxFiles): Promise<RawDataset> {
  const source: DataSource = { kind: 'bytes', layout: IDX_LAYOUT.name, files: {} };
  return { ...(await decodeIdxFiles(files)), source, classNames };
}

/** The dataset as uint8 bytes: x [n, 28, 28], y [n]. Node (reads files). */
export async function loadBytes(options: LoadOptions = {}): Promise<RawDataset> {
  const source = await resolveSource(spec, options);
  const files = await readSourceFiles(source) as IdxFiles;
  return { ...(await decodeIdxFiles(files, source.files)), source, classNames };
}

/** The dataset as tensors: x float32 [n, 28, 28] with values 0 … 255, y int32 [n]. Node (reads files). */
export async function loadData(options: LoadOptions = {}): Promise<Dataset> {
  return toTensors(await loadBytes(options));
}
