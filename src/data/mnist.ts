/**
 * MNIST (LeCun, Bottou, Bengio & Haffner 1998): 70,000 28×28 grayscale handwritten digits,
 * 60,000 for training and 10,000 for test, as `keras.datasets.mnist.load_data()` returns them.
 * Read from the four IDX files (raw or gzipped) or from Keras' `mnist.npz`; the download is
 * Keras' `mnist.npz`, verified with the SHA-256 that keras/src/datasets/mnist.py pins.
 */
import { decodeIdxFiles, decodeMnistNpz, IDX_LAYOUT, type IdxFiles } from './mnist-format.js';
import { readSourceFiles, resolveSource, type DataSource, type DatasetSpec, type Layout } from './sources.js';
import { toTensors, type Dataset, type LoadOptions, type RawDataset } from './types.js';

export const classNames: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

const NPZ_LAYOUT: Layout = { name: 'Keras npz', files: { npz: ['mnist.npz'] } };

export const spec: DatasetSpec = {
  id: 'mnist',
  title: 'MNIST',
  caller: 'mnist.loadData',
  layouts: [IDX_LAYOUT, NPZ_LAYOUT],
  systemDirs: [],
  downloads: [{
    file: 'mnist.npz',
    sha256: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1',
    urls: ['https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz'],
  }],
};

/** Decodes the four IDX files, or the bytes of `mnist.npz`, handed over in memory: the browser path. */
export async function decode(files: IdxFiles | Uint8Array): Promise<RawDataset> {
  const npz = files instanceof Uint8Array;
  const source: DataSource = { kind: 'bytes', layout: npz ? NPZ_LAYOUT.name : IDX_LAYOUT.name, files: {} };
  return { ...(npz ? await decodeMnistNpz(files) : await decodeIdxFiles(files)), source, classNames };
}

/** The dataset as uint8 bytes: x [n, 28, 28], y [n]. Node (reads files). */
export async function loadBytes(options: LoadOptions = {}): Promise<RawDataset> {
  const source = await resolveSource(spec, options);
  const files = await readSourceFiles(source);
  const splits = source.layout === NPZ_LAYOUT.name
    ? await decodeMnistNpz(files.npz, source.files.npz)
    : await decodeIdxFiles(files as IdxFiles, source.files);
  return { ...splits, source, classNames };
}

/** The dataset as tensors: x float32 [n, 28, 28] with values 0 … 255, y int32 [n]. Node (reads files). */
export async function loadData(options: LoadOptions = {}): Promise<Dataset> {
  return toTensors(await loadBytes(options));
}
