/**
 * CIFAR-10 binary batches (https://www.cs.toronto.edu/~kriz/cifar.html, "Binary version"):
 * `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`, each 10,000 records of 1 label
 * byte followed by 3,072 pixel bytes: the 1,024 red values of the 32×32 image row by row, then
 * green, then blue (channels first). gradflow returns images channels-last, [N, 32, 32, 3], as
 * `keras.datasets.cifar10.load_data()` does. Browser-safe: bytes in, typed arrays out.
 */
import { DataFormatError } from './idx.js';

export const CIFAR10_IMAGE_SHAPE = [32, 32, 3] as const;
const PIXELS = 32 * 32;
const RECORD = 1 + 3 * PIXELS;

export interface Cifar10Batch {
  readonly count: number;
  /** [count, 32, 32, 3] uint8, channels last. */
  readonly images: Uint8Array;
  /** [count] labels 0 … 9. */
  readonly labels: Uint8Array;
}

/** Number of records in a batch file, after checking its length (a multiple of 3,073 bytes). */
export function cifar10BatchCount(bytes: Uint8Array, name = 'CIFAR-10 batch', expectedCount?: number): number {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    const whole = Math.floor(bytes.length / RECORD);
    throw new DataFormatError(`${name}: not a CIFAR-10 binary batch: ${bytes.length} bytes is not a positive multiple of ` +
      `the ${RECORD}-byte record (1 label + 3072 pixels); ${whole} whole records and ${bytes.length - whole * RECORD} stray bytes ` +
      `(a full batch is ${10000 * RECORD} bytes); the file is probably truncated`);
  }
  const count = bytes.length / RECORD;
  if (expectedCount !== undefined && count !== expectedCount) {
    throw new DataFormatError(`${name}: expected ${expectedCount} records (${expectedCount * RECORD} bytes), ` +
      `got ${count} (${bytes.length} bytes)`);
  }
  return count;
}

/**
 * Copies a batch into `images` ([N, 32, 32, 3], channels last) and `labels` from record
 * `offset` on: the loaders fill one preallocated array (uint8 or float32) across the batches
 * instead of concatenating copies. Returns the number of records copied.
 */
export function copyCifar10Batch(bytes: Uint8Array, images: Uint8Array | Float32Array, labels: Uint8Array | Int32Array,
  offset = 0, name = 'CIFAR-10 batch'): number {
  const count = cifar10BatchCount(bytes, name);
  if ((offset + count) * 3 * PIXELS > images.length || offset + count > labels.length) {
    throw new RangeError(`${name}: ${count} records from offset ${offset} do not fit arrays of ${labels.length} images`);
  }
  for (let r = 0; r < count; r++) {
    const src = r * RECORD;
    const label = bytes[src];
    if (label > 9) {
      throw new DataFormatError(`${name}: record ${r} has label ${label}; CIFAR-10 labels are 0 … 9 (corrupt file?)`);
    }
    labels[offset + r] = label;
    const dst = (offset + r) * 3 * PIXELS;
    for (let c = 0; c < 3; c++) {
      const plane = src + 1 + c * PIXELS;
      for (let p = 0; p < PIXELS; p++) images[dst + 3 * p + c] = bytes[plane + p];
    }
  }
  return count;
}

/** Parses one binary batch into channels-last uint8 images and labels. */
export function parseCifar10Batch(bytes: Uint8Array, options: { name?: string; expectedCount?: number } = {}): Cifar10Batch {
  const count = cifar10BatchCount(bytes, options.name, options.expectedCount);
  const images = new Uint8Array(count * 3 * PIXELS);
  const labels = new Uint8Array(count);
  copyCifar10Batch(bytes, images, labels, 0, options.name);
  return { count, images, labels };
}
