/**
 * The chapter's data preparation (Géron, Hands-On Machine Learning, 3rd ed., ch. 11; notebook
 * `11_training_deep_neural_networks.ipynb`): hold out the last 5,000 training images for
 * validation, scale pixels to [0, 1], standardize per pixel for SELU, and split Fashion-MNIST into
 * task A (8 classes) and task B (T-shirt/top vs Pullover) for transfer learning.
 * Plain array work on the first axis: no autograd, the input tensors are never modified.
 */
import { allocate } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';

export interface XY {
  readonly x: Tensor;
  readonly y: Tensor;
}

function rowSize(t: Tensor): number {
  return t.rank === 0 ? 1 : t.size / Math.max(1, t.shape[0]);
}

/** Rows [start, end) as a new tensor (a copy). */
export function takeRange(t: Tensor, start: number, end: number): Tensor {
  const r = rowSize(t);
  return new Tensor(t.data.slice(start * r, end * r), [end - start, ...t.shape.slice(1)], t.dtype);
}

/** Rows at `indices`, in that order, as a new tensor. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const r = rowSize(t);
  const out = allocate(t.dtype, indices.length * r);
  for (let i = 0; i < indices.length; i++) out.set(t.data.subarray(indices[i] * r, (indices[i] + 1) * r), i * r);
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

function checkPair(x: Tensor, y: Tensor, where: string): number {
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new TypeError(`${where}: x and y must be tensors`);
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new RangeError(`${where}: x and y must have the same number of samples, got x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
  }
  return x.shape[0];
}

/**
 * Splits off the LAST `validSize` samples for validation, in file order (no shuffling), as
 * the book does: `X_train, X_valid = X_train_full[:-5000], X_train_full[-5000:]`.
 */
export function trainValidSplit(x: Tensor, y: Tensor, options: { validSize?: number } = {}): { train: XY; valid: XY } {
  const n = checkPair(x, y, 'trainValidSplit');
  const validSize = options.validSize ?? 5000;
  if (!Number.isInteger(validSize) || validSize <= 0 || validSize >= n) {
    throw new RangeError(`trainValidSplit: validSize must be an integer in 1 … ${n - 1} (there are ${n} samples), got ${validSize}`);
  }
  const cut = n - validSize;
  return {
    train: { x: takeRange(x, 0, cut), y: takeRange(y, 0, cut) },
    valid: { x: takeRange(x, cut, n), y: takeRange(y, cut, n) },
  };
}

/** Pixels 0 … 255 → 0 … 1 (float32; float64 stays float64). */
export function scalePixels(x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError('scalePixels: expected a tensor');
  // NOTE: a plain loop, not o.div: no tape, no backend round trip for ~40M values. Dividing in
  // float64 and rounding once to float32 equals float32 division (double rounding is innocuous
  // for division when 53 ≥ 2·24 + 2), and equals NumPy's `X / 255.` cast to float32.
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const src = x.data, out = allocate(dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = src[i] / 255;
  return new Tensor(out, x.shape, dtype);
}

export interface Standardized {
  /** The standardized training split. */
  readonly train: Tensor;
  /** The other splits, standardized with the training statistics, in argument order. */
  readonly others: Tensor[];
  /** Per-feature mean of the training split, shape x.shape.slice(1). */
  readonly mean: Tensor;
  /** Per-feature population standard deviation (ddof 0, as NumPy's std) of the training split. */
  readonly std: Tensor;
}

/**
 * Per-feature (per-pixel) standardization with the mean and population standard deviation of
 * the training split, as the book does for SELU: `(X - X_train.mean(0)) / X_train.std(0)`,
 * with no epsilon (on Fashion-MNIST / 255 the smallest std is 3.77e-4, never zero). Statistics
 * are accumulated in float64 (two passes). A feature that is constant in the training split
 * would divide by zero: that is an error unless the last argument is `{ epsilon }`, added to std,
 * or `{ constantFeatures: 'center' }`, which gives such features std 1 (centered, not scaled, as
 * scikit-learn's StandardScaler does; useful on a small sample where some pixels are always 0).
 */
export interface StandardizeOptions {
  /** Added to every std (default 0). */
  epsilon?: number;
  /** A feature with std 0 in the training split: 'error' (default) or 'center' (std taken as 1). */
  constantFeatures?: 'error' | 'center';
}

export function standardize(xTrain: Tensor, ...rest: (Tensor | StandardizeOptions)[]): Standardized {
  const last = rest[rest.length - 1];
  const options = last !== undefined && !(last instanceof Tensor) ? (rest.pop() as StandardizeOptions) : {};
  const constantFeatures = options.constantFeatures ?? 'error';
  if (constantFeatures !== 'error' && constantFeatures !== 'center') {
    throw new RangeError(`standardize: constantFeatures must be 'error' or 'center', got ${JSON.stringify(constantFeatures)}`);
  }
  const others = rest as Tensor[];
  const epsilon = options.epsilon ?? 0;
  if (!(xTrain instanceof Tensor) || xTrain.rank < 1 || xTrain.shape[0] < 1) throw new TypeError('standardize: xTrain must be a tensor with at least one sample');
  if (xTrain.dtype === 'int32') throw new TypeError('standardize: expected float tensors (scale with scalePixels first), got int32');
  const n = xTrain.shape[0], d = rowSize(xTrain), data = xTrain.data;
  const mean = new Float64Array(d), variance = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0, row = i * d; j < d; j++) mean[j] += data[row + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0, row = i * d; j < d; j++) { const c = data[row + j] - mean[j]; variance[j] += c * c; }
  }
  const std = variance.map((v) => Math.sqrt(v / n) + epsilon);
  if (constantFeatures === 'center') for (let j = 0; j < d; j++) if (std[j] === 0) std[j] = 1;
  const zero = std.findIndex((s) => s === 0);
  if (zero >= 0) {
    throw new RangeError(`standardize: feature ${zero} is constant in the training split (std 0), so standardizing divides by zero; ` +
      "pass { epsilon } or { constantFeatures: 'center' } as the last argument (e.g. standardize(xTrain, xValid, { epsilon: 1e-7 }))");
  }
  const apply = (t: Tensor, what: string): Tensor => {
    if (!(t instanceof Tensor) || t.rank < 1 || rowSize(t) !== d || t.shape.slice(1).join() !== xTrain.shape.slice(1).join()) {
      throw new RangeError(`standardize: ${what} must have shape [n, ${xTrain.shape.slice(1).join(', ')}] like xTrain, got ` +
        `${t instanceof Tensor ? `[${t.shape.join(', ')}]` : typeof t}`);
    }
    const out = allocate(t.dtype === 'int32' ? 'float32' : t.dtype, t.size), src = t.data;
    for (let i = 0; i < src.length; i += d) for (let j = 0; j < d; j++) out[i + j] = (src[i + j] - mean[j]) / std[j];
    return new Tensor(out, t.shape, t.dtype === 'int32' ? 'float32' : t.dtype);
  };
  const featureShape = xTrain.shape.slice(1);
  const stat = (a: Float64Array): Tensor => { const out = allocate(xTrain.dtype, d); out.set(a); return new Tensor(out, featureShape, xTrain.dtype); };
  return {
    train: apply(xTrain, 'xTrain'),
    others: others.map((t, i) => apply(t, `argument ${i + 2}`)),
    mean: stat(mean),
    std: stat(std),
  };
}

/** Task B of the chapter's transfer-learning experiment: T-shirt/top (0) vs Pullover (2, positive). */
export const TASK_B = Object.freeze({ negative: 0, positive: 2 });

export interface TaskSplit {
  /** The 8 other classes, relabelled 0 … 7 in sorted order of their original ids (int32). */
  readonly a: XY;
  /** The two task-B classes: y = 1 for the positive class, 0 for the negative (float32, as the notebook). */
  readonly b: XY;
}

/**
 * Splits a labelled set into task A and task B exactly as the notebook's `split_dataset`:
 * B = samples of classes `negative` (default 0, T-shirt/top) and `positive` (default 2,
 * Pullover), y_B = (y == positive) as float32; A = every other sample, its classes remapped in
 * sorted order ([1, 3, 4, 5, 6, 7, 8, 9] → [0 … 7]). File order is kept in both. `maxB` keeps
 * only the first maxB B samples: the chapter trains B on the first 200 (`{ maxB: 200 }` on the
 * training split).
 */
export function splitTaskAB(x: Tensor, y: Tensor, options: { negative?: number; positive?: number; maxB?: number; numClasses?: number } = {}): TaskSplit {
  const n = checkPair(x, y, 'splitTaskAB');
  if (y.size !== n) throw new RangeError(`splitTaskAB: y must hold one class id per sample ([n] or [n, 1]), got [${y.shape.join(', ')}]`);
  const { negative = TASK_B.negative, positive = TASK_B.positive, maxB = Infinity, numClasses = 10 } = options;
  if (negative === positive) throw new RangeError(`splitTaskAB: negative and positive classes must differ, both are ${negative}`);
  const remap = new Map<number, number>();
  for (let c = 0, k = 0; c < numClasses; c++) if (c !== negative && c !== positive) remap.set(c, k++);
  const aIdx: number[] = [], bIdx: number[] = [], yA: number[] = [], yB: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = y.data[i];
    if (label === negative || label === positive) {
      if (bIdx.length < maxB) { bIdx.push(i); yB.push(label === positive ? 1 : 0); }
    } else {
      const mapped = remap.get(label);
      if (mapped === undefined) throw new RangeError(`splitTaskAB: label ${label} at index ${i} is not a class id 0 … ${numClasses - 1}`);
      aIdx.push(i); yA.push(mapped);
    }
  }
  return {
    a: { x: takeRows(x, aIdx), y: new Tensor(Int32Array.from(yA), [yA.length], 'int32') },
    b: { x: takeRows(x, bIdx), y: new Tensor(Float32Array.from(yB), [yB.length], 'float32') },
  };
}
