/**
 * Tensor: shape, dtype and contiguous row-major data in a JS typed array. Memory is owned by
 * the garbage collector: users never dispose anything (see docs/architecture.md).
 *
 * A tensor with `requiresGrad` is a leaf of the autograd tape (a variable); tensors computed
 * from it carry the `node` that made them, and `backward()` accumulates into leaves' `.grad`.
 */
import { allocate, assertDType, dtypeOfArray, type DataArray, type DType } from './dtype.js';
import { assertShape, formatShape, sizeOf, type Shape } from './shape.js';
import type { TapeNode } from './autograd.js';
import * as ops from './ops.js';
import * as autograd from './autograd.js';

export type NestedArray = number | boolean | NestedArray[];
export type TensorLike = Tensor | number | boolean | NestedArray | DataArray | readonly number[];

let nextId = 0;

export class Tensor {
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Row-major values. Read freely; write only through `assign` (kept for variables). */
  data: DataArray;
  /** Leaf flag: gradients are accumulated into `.grad` by `backward()`. */
  requiresGrad = false;
  grad: Tensor | null = null;
  /** The op that produced this tensor on the tape (null for leaves and untracked results). */
  node: TapeNode | null = null;
  name: string | undefined;
  /**
   * Set on the output of softmax (over the last axis) and sigmoid: the logits it came from.
   * Cross-entropy losses on probabilities use them for the stable, fused logits path, as Keras
   * does with `_keras_logits`.
   */
  sourceLogits: { kind: 'softmax' | 'sigmoid'; logits: Tensor } | undefined;

  constructor(data: DataArray, shape: Shape, dtype: DType = dtypeOfArray(data)) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new RangeError(`Tensor: shape ${formatShape(shape)} needs ${size} values, got ${data.length}`);
    }
    if (dtypeOfArray(data) !== dtype) {
      throw new TypeError(`Tensor: data is a ${data.constructor.name} but dtype is '${dtype}'`);
    }
    this.data = data;
    // an input's shape (already a frozen copy) is shared: freezing costs ~0.15 µs per tensor
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
    this.dtype = dtype;
    this.size = size;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Marks this tensor as a trainable leaf; returns this. */
  requireGrad(flag = true): this {
    if (flag && this.dtype === 'int32') {
      throw new TypeError(`requireGrad: only float tensors can require gradients, this one is int32`);
    }
    this.requiresGrad = flag;
    return this;
  }

  /** Scalar value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} values, expected 1`);
    return this.data[0];
  }

  /** Nested JS arrays (a number for a scalar). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const n = this.shape[dim];
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** A copy of the values as a typed array. */
  dataSync(): DataArray {
    return this.data.slice();
  }

  /** Overwrites the values in place (shapes must match); used for variables and optimizer updates. */
  assign(value: Tensor | DataArray): this {
    const src = value instanceof Tensor ? value.data : value;
    if (value instanceof Tensor && value.shape.join() !== this.shape.join()) {
      throw new RangeError(`assign: cannot assign a tensor of shape ${formatShape(value.shape)} to one of shape ${formatShape(this.shape)}`);
    }
    if (src.length !== this.size) {
      throw new RangeError(`assign: expected ${this.size} values for shape ${formatShape(this.shape)}, got ${src.length}`);
    }
    this.data.set(src);
    return this;
  }

  /** A new leaf with a copy of the values and no tape history. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.dtype);
  }

  /**
   * Back-propagates from this tensor and accumulates (+=) into the `.grad` of every leaf that
   * requires gradients. A non-scalar tensor needs the upstream gradient `dy`.
   */
  backward(dy?: TensorLike): void {
    autograd.backward(this, dy === undefined ? undefined : toTensor(dy, 'backward', this.dtype));
  }

  toString(): string {
    const values = this.size > 100 ? `${Array.from(this.data.subarray(0, 8)).join(', ')}, …` : JSON.stringify(this.toArray());
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}) ${values}`;
  }

  // Convenience methods: thin aliases of the functions in ops.ts.
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  tanh(): Tensor { return ops.tanh(this); }
  square(): Tensor { return ops.mul(this, this); }
  matmul(b: TensorLike, transA = false, transB = false): Tensor { return ops.matmul(this, b, transA, transB); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  sum(axes?: number | readonly number[], keepDims = false): Tensor { return ops.sum(this, axes, keepDims); }
  mean(axes?: number | readonly number[], keepDims = false): Tensor { return ops.mean(this, axes, keepDims); }
  max(axes?: number | readonly number[], keepDims = false): Tensor { return ops.max(this, axes, keepDims); }
  min(axes?: number | readonly number[], keepDims = false): Tensor { return ops.min(this, axes, keepDims); }
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
}

/** Infers the shape of a (rectangular) nested array; the error names where it is ragged. */
function inferShape(value: NestedArray, where: string): number[] {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const check = (node: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(node)) throw new RangeError(`${where}: ragged nested array at ${path}: expected a number, got an array`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new RangeError(`${where}: ragged nested array at ${path}: expected length ${shape[dim]}, ` +
        `got ${Array.isArray(node) ? node.length : typeof node}`);
    }
    node.forEach((child, i) => check(child, dim + 1, `${path}[${i}]`));
  };
  check(value, 0, 'value');
  return shape;
}

function flatten(value: NestedArray, out: DataArray, where: string): void {
  let i = 0;
  const walk = (node: NestedArray): void => {
    if (Array.isArray(node)) { for (const c of node) walk(c); return; }
    if (typeof node === 'boolean') { out[i++] = node ? 1 : 0; return; }
    if (typeof node !== 'number') throw new TypeError(`${where}: expected numbers, got ${typeof node}`);
    out[i++] = node;
  };
  walk(value);
}

/**
 * Creates a tensor from a number, nested array or typed array. Default dtype: the typed
 * array's own, else float32.
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  const where = 'tensor';
  if (dtype !== undefined) assertDType(dtype, where);
  if (values instanceof Tensor) {
    const t = dtype && dtype !== values.dtype ? ops.cast(values, dtype) : values.clone();
    return shape ? ops.reshape(t, shape) : t;
  }
  if (ArrayBuffer.isView(values)) {
    if (!(values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array)) {
      throw new TypeError(`${where}: typed arrays must be Float32Array, Float64Array or Int32Array, got ${(values as object).constructor.name}`);
    }
    const dt = dtype ?? dtypeOfArray(values);
    const s = shape ? assertShape(shape, where) : [values.length];
    if (sizeOf(s) !== values.length) {
      throw new RangeError(`${where}: shape ${formatShape(s)} needs ${sizeOf(s)} values, got ${values.length}`);
    }
    const data = allocate(dt, values.length);
    data.set(values);
    return new Tensor(data, s, dt);
  }
  const inferred = inferShape(values as NestedArray, where);
  const dt = dtype ?? 'float32';
  const data = allocate(dt, sizeOf(inferred));
  flatten(values as NestedArray, data, where);
  if (shape) {
    const s = assertShape(shape, where);
    if (sizeOf(s) !== data.length) {
      throw new RangeError(`${where}: shape ${formatShape(s)} needs ${sizeOf(s)} values, got ${data.length}`);
    }
    return new Tensor(data, s, dt);
  }
  return new Tensor(data, inferred, dt);
}

/** Coerces an op argument; a plain number takes `likeDtype` (weak typing, as JAX). */
export function toTensor(x: TensorLike, where: string, likeDtype: DType = 'float32'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || typeof x === 'boolean') {
    const data = allocate(likeDtype, 1);
    data[0] = Number(x);
    return new Tensor(data, [], likeDtype);
  }
  if (x === null || x === undefined) throw new TypeError(`${where}: expected a tensor, got ${String(x)}`);
  return tensor(x);
}
