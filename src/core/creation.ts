/** Tensor creation: constants, ranges and seeded random draws (see random.ts). */
import { allocate, assertDType, isFloat, type DType } from './dtype.js';
import { getRng, RandomGenerator } from './random.js';
import { assertShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export { tensor } from './tensor.js';
export { zeros, ones, full, zerosLike, onesLike } from './ops.js';

export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  assertDType(dtype, 'scalar');
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, [], dtype);
}

/** [start, stop) by step, as NumPy's arange; `arange(n)` counts 0 … n−1. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) { stop = start; start = 0; }
  assertDType(dtype, 'arange');
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new RangeError(`arange: expected finite start/stop and a non-zero step, got ${start}, ${stop}, ${step}`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], dtype);
}

export interface RandomOptions {
  dtype?: DType;
  /** A seed for this draw only; otherwise the library generator (gf.setSeed) is used. */
  seed?: number;
}

function draw(shape: readonly number[], opts: RandomOptions | undefined, where: string,
  sample: (rng: RandomGenerator) => number): Tensor {
  const s = assertShape(shape as number[], where);
  const dtype = assertDType(opts?.dtype ?? 'float32', where);
  if (!isFloat(dtype)) throw new TypeError(`${where}: dtype must be float32 or float64, got ${dtype}`);
  const rng = opts?.seed !== undefined ? new RandomGenerator(opts.seed) : getRng();
  const data = allocate(dtype, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = sample(rng);
  return new Tensor(data, s, dtype);
}

function checkStd(stddev: number, where: string): void {
  if (!(stddev >= 0) || !Number.isFinite(stddev)) throw new RangeError(`${where}: stddev must be a finite number ≥ 0, got ${stddev}`);
}

export function randomNormal(shape: readonly number[], opts: RandomOptions & { mean?: number; stddev?: number } = {}): Tensor {
  const { mean = 0, stddev = 1 } = opts;
  checkStd(stddev, 'randomNormal');
  return draw(shape, opts, 'randomNormal', (r) => mean + stddev * r.normal());
}

/**
 * Normal truncated at ±2 standard deviations (redrawn outside), as TensorFlow's
 * truncated_normal: `stddev` is the σ *before* truncation (the result's std is ≈ 0.88·σ).
 */
export function truncatedNormal(shape: readonly number[], opts: RandomOptions & { mean?: number; stddev?: number } = {}): Tensor {
  const { mean = 0, stddev = 1 } = opts;
  checkStd(stddev, 'truncatedNormal');
  return draw(shape, opts, 'truncatedNormal', (r) => mean + stddev * r.truncatedNormal());
}

export function randomUniform(shape: readonly number[], opts: RandomOptions & { minval?: number; maxval?: number } = {}): Tensor {
  const { minval = 0, maxval = 1 } = opts;
  if (!(maxval >= minval)) throw new RangeError(`randomUniform: expected minval ≤ maxval, got ${minval}, ${maxval}`);
  return draw(shape, opts, 'randomUniform', (r) => minval + (maxval - minval) * r.uniform());
}

/** 1 with probability p, else 0. */
export function bernoulli(shape: readonly number[], p: number, opts: RandomOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1], got ${p}`);
  return draw(shape, opts, 'bernoulli', (r) => (r.uniform() < p ? 1 : 0));
}
