/**
 * `gf.datasets`: loaders for Fashion-MNIST, MNIST and CIFAR-10 with Keras' shapes, the file
 * parsers they use (IDX, CIFAR-10 binary batches; bytes in, browser-safe), and the chapter's
 * split helpers. Only the loaders read files; they import `node:` modules lazily, on call.
 *
 *   const { train, test } = await gf.datasets.fashionMnist.loadData();
 *   const { train: tr, valid } = gf.datasets.trainValidSplit(train.x, train.y);   // last 5,000
 *   const xTrain = gf.datasets.scalePixels(tr.x);
 */
export * as fashionMnist from './fashion-mnist.js';
export * as mnist from './mnist.js';
export * as cifar10 from './cifar10.js';
export { parseIdx, decodeIdx, encodeIdx, DataFormatError, type IdxArray, type IdxDType, type IdxData, type IdxOptions } from './idx.js';
export { parseCifar10Batch, copyCifar10Batch, cifar10BatchCount, type Cifar10Batch } from './cifar.js';
export { readTar, readZip, parseNpy, type NpyArray } from './archive.js';
export { gunzip, isGzip, maybeGunzip } from './compression.js';
export { downloadFile, stderrProgress, type DownloadProgress, type ProgressCallback, type FetchFunction, type DownloadFileOptions } from './download.js';
export {
  resolveSource, defaultCacheDir, DatasetNotFoundError,
  type DataSource, type SourceKind, type SourceOptions, type DatasetSpec, type Layout, type DownloadSpec,
} from './sources.js';
export { toTensors, type Dataset, type RawDataset, type RawSplit, type Split, type LoadOptions } from './types.js';
export { trainValidSplit, scalePixels, standardize, splitTaskAB, takeRange, takeRows, TASK_B, type XY, type TaskSplit, type Standardized, type StandardizeOptions } from './splits.js';
export { classNames as FASHION_MNIST_CLASS_NAMES } from './fashion-mnist.js';
export { classNames as CIFAR10_CLASS_NAMES } from './cifar10.js';
