/**
 * What the loaders return. Keras returns uint8 NumPy arrays; gradflow tensors have no uint8
 * dtype, so `loadData` gives
 *   x: a float32 Tensor holding the raw pixel values 0 … 255 (scaling, e.g. `scalePixels(x)` or
 *      `x.div(255)`, stays the user's explicit step, as in the book), and
 *   y: an int32 Tensor of class ids,
 * while `loadBytes` gives the untouched uint8 bytes (a quarter of the memory) for users who
 * want to convert them their own way. Neither keeps a second copy of the other.
 */
import { Tensor } from '../core/tensor.js';
import { DataFormatError } from './idx.js';
import type { DataSource, SourceOptions } from './sources.js';

export interface RawSplit {
  /** Pixels, row-major in the order of `xShape`. */
  readonly x: Uint8Array;
  readonly y: Uint8Array;
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
}

export interface RawDataset {
  readonly train: RawSplit;
  readonly test: RawSplit;
  readonly source: DataSource;
  readonly classNames: readonly string[];
}

export interface Split {
  /** float32, raw pixel values 0 … 255. */
  readonly x: Tensor;
  /** int32 class ids. */
  readonly y: Tensor;
}

export interface Dataset {
  readonly train: Split;
  readonly test: Split;
  readonly source: DataSource;
  readonly classNames: readonly string[];
}

/** Options of every `loadData` / `loadBytes`: where to look (see sources.ts). */
export type LoadOptions = SourceOptions;

/** float32 copy of the pixels and int32 labels; the uint8 arrays are left to the collector. */
export function splitToTensors(raw: RawSplit): Split {
  const x = new Float32Array(raw.x.length);
  x.set(raw.x);
  return { x: new Tensor(x, raw.xShape, 'float32'), y: new Tensor(Int32Array.from(raw.y), raw.yShape, 'int32') };
}

export function toTensors(raw: RawDataset): Dataset {
  return { train: splitToTensors(raw.train), test: splitToTensors(raw.test), source: raw.source, classNames: raw.classNames };
}

/** Throws when a label is outside 0 … classes−1 (a corrupt file), naming the file and position. */
export function checkLabels(labels: Uint8Array, classes: number, name: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new DataFormatError(`${name}: label ${labels[i]} at index ${i} is out of range 0 … ${classes - 1} (corrupt file?)`);
    }
  }
}
