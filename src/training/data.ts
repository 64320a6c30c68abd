/** Input handling for fit / evaluate / predict: coercion, validation and batching. */
import * as o from '../core/ops.js';
import { formatShape } from '../core/shape.js';
import { Tensor, tensor, type TensorLike } from '../core/tensor.js';
import { getRng } from '../core/random.js';

/** Coerces model inputs: tensors pass through; typed arrays become 1-D; nested arrays are parsed. */
export function toDataTensor(x: TensorLike, what: string): Tensor {
  if (x instanceof Tensor) return x;
  if (x === null || x === undefined) throw new TypeError(`${what}: expected a tensor or an array, got ${String(x)}`);
  return tensor(x);
}

/** Rejects NaN / ±Infinity with the first offending position (opt out with checkFinite: false). */
export function assertFinite(t: Tensor, what: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new RangeError(`${what} contains ${d[i]} at flat index ${i} (sample ${Math.floor(i / Math.max(1, t.size / Math.max(t.shape[0], 1)))}); ` +
        'clean the data, or pass checkFinite: false to skip this check');
    }
  }
}

export function assertSameCount(x: Tensor, y: Tensor): void {
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new RangeError(`fit: x and y must have the same number of samples: x ${formatShape(x.shape)} has ` +
      `${x.shape[0] ?? 0}, y ${formatShape(y.shape)} has ${y.shape[0] ?? 0}`);
  }
}

/** Rows [start, start + count) along the first axis. */
export function takeRows(t: Tensor, start: number, count: number): Tensor {
  return o.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [count, ...t.shape.slice(1)]);
}

/** Rows at `indices` along the first axis. */
export function gatherRows(t: Tensor, indices: Int32Array): Tensor {
  return o.gather(t, new Tensor(indices, [indices.length], 'int32'), 0);
}

/** A random permutation of 0 … n−1 (Fisher–Yates on the library generator). */
export function permutation(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = getRng();
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

export function checkBatchSize(batchSize: unknown, where: string): number {
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`${where}: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  return batchSize;
}
