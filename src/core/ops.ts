/**
 * Primitive ops: validate arguments (errors name the op and the shapes), compute the output
 * shape, run the active backend's kernel, and record the op on the tape.
 */
import { kernelsFor } from '../backend/registry.js';
import type { BinaryOp, DenseActivation, UnaryOp } from '../backend/backend.js';
import { allocate, assertDType, isFloat, promote, type DType } from './dtype.js';
import { assertShape, broadcastShapes, formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf, type Shape } from './shape.js';
import { record } from './autograd.js';
import { Tensor, tensor, toTensor, type NestedArray, type TensorLike } from './tensor.js';

type Axes = number | readonly number[] | undefined | null;

function k() {
  return kernelsFor();
}

/** Binary op operands: a plain number takes the other operand's dtype. */
function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  const ta = a instanceof Tensor ? a : null;
  const tb = b instanceof Tensor ? b : null;
  const like = (ta ?? tb)?.dtype ?? 'float32';
  return [ta ?? literal(a, op, like), tb ?? literal(b, op, like)];
}

/**
 * A JS number or array beside a tensor takes the tensor's dtype (weak typing, as JAX), except
 * that a non-integer literal beside an int32 tensor makes float32 (0.5 must not become 0).
 */
function literal(x: TensorLike, op: string, like: DType): Tensor {
  if (typeof x === 'number' || typeof x === 'boolean') {
    return toTensor(x, op, like === 'int32' && !Number.isInteger(Number(x)) ? 'float32' : like);
  }
  if (ArrayBuffer.isView(x)) return toTensor(x, op);
  const t = toTensor(x, op, like);
  if (like === 'float32' || t.dtype === like) return t;
  const exact = tensor(x as NestedArray, undefined, like);
  return like === 'int32' && t.data.some((v) => !Number.isInteger(v)) ? t : exact;
}

// ---------------------------------------------------------------- unary element-wise

/** Math ops produce floats: an int32 input is computed in float32. */
function unaryOp(op: UnaryOp, x: TensorLike, keepsInt: boolean): Tensor {
  const t = toTensor(x, op);
  const dtype: DType = t.dtype === 'int32' && !keepsInt ? 'float32' : t.dtype;
  const src = dtype === t.dtype ? t : cast(t, dtype);
  return record(op, [src], new Tensor(k().unary(op, src, dtype), t.shape, dtype), {});
}

export const neg = (x: TensorLike): Tensor => unaryOp('neg', x, true);
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x, false);
export const log = (x: TensorLike): Tensor => unaryOp('log', x, false);
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x, false);
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x, true);
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x, true);
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x, false);
export const erf = (x: TensorLike): Tensor => unaryOp('erf', x, false);
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x, false);
/** max(x, 0) in one kernel; NOTE: relu'(0) = 0, as Keras. */
export const relu = (x: TensorLike): Tensor => unaryOp('relu', x, true);

// ---------------------------------------------------------------- binary element-wise

function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const dtype = promote(ta.dtype, tb.dtype);
  const x = ta.dtype === dtype ? ta : cast(ta, dtype);
  const y = tb.dtype === dtype ? tb : cast(tb, dtype);
  return record(op, [x, y], new Tensor(k().binary(op, x, y, shape, dtype), shape, dtype), {});
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binaryOp('div', a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => binaryOp('pow', a, b);
/** NOTE: at ties the gradient goes to `a`, as TensorFlow's Maximum (x >= y). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', a, b);
/** NOTE: at ties the gradient goes to `a`, as TensorFlow's Minimum (x <= y). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', a, b);
/** Comparisons return 0/1 masks in the operands' (promoted) dtype; they have no gradient. */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', a, b);
export const equal = (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', a, b);
/** The backward of relu: `dy` where `y > 0`, else 0. */
export const reluGrad = (dy: TensorLike, y: TensorLike): Tensor => binaryOp('reluGrad', dy, y);

/** Element-wise `cond ? a : b` with broadcasting; cond is any tensor (non-zero = true). */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor(cond, 'where');
  const [ta, tb] = operands(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(c.shape, ta.shape, 'where'), tb.shape, 'where');
  const dtype = promote(ta.dtype, tb.dtype);
  const x = ta.dtype === dtype ? ta : cast(ta, dtype);
  const y = tb.dtype === dtype ? tb : cast(tb, dtype);
  return record('where', [c, x, y], new Tensor(k().where(c, x, y, shape, dtype), shape, dtype), {});
}

// ---------------------------------------------------------------- reductions

function reduced(shape: Shape, axes: number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

function reduceOp(op: 'sum' | 'max' | 'min', x: TensorLike, axes: Axes, keepDims: boolean): Tensor {
  const t = toTensor(x, op);
  const ax = normalizeAxes(axes, t.rank, op);
  if (op !== 'sum') {
    for (const a of ax) {
      if (t.shape[a] === 0) throw new RangeError(`${op}: cannot reduce over axis ${a} of size 0 (shape ${formatShape(t.shape)})`);
    }
  }
  const out = record(op, [t], new Tensor(k().reduce(op, t, ax), reduced(t.shape, ax, false), t.dtype), { axes: ax });
  return keepDims ? reshape(out, reduced(t.shape, ax, true)) : out;
}

export const sum = (x: TensorLike, axes?: Axes, keepDims = false): Tensor => reduceOp('sum', x, axes, keepDims);
/** NOTE: the gradient of max/min is shared equally among tied maxima. */
export const max = (x: TensorLike, axes?: Axes, keepDims = false): Tensor => reduceOp('max', x, axes, keepDims);
export const min = (x: TensorLike, axes?: Axes, keepDims = false): Tensor => reduceOp('min', x, axes, keepDims);

export function mean(x: TensorLike, axes?: Axes, keepDims = false): Tensor {
  const t = toTensor(x, 'mean');
  const ax = normalizeAxes(axes, t.rank, 'mean');
  const n = ax.reduce((p, a) => p * t.shape[a], 1);
  const s = sum(isFloat(t.dtype) ? t : cast(t, 'float32'), ax, keepDims);
  return div(s, n);
}

function argOp(op: 'argmax' | 'argmin', x: TensorLike, axis: number): Tensor {
  const t = toTensor(x, op);
  const a = normalizeAxis(axis, t.rank, op);
  if (t.shape[a] === 0) throw new RangeError(`${op}: axis ${a} has size 0 (shape ${formatShape(t.shape)})`);
  const shape = t.shape.filter((_, i) => i !== a);
  return record(op, [t], new Tensor(k().argReduce(op, t, a), shape, 'int32'), { axis: a });
}

/** Index of the largest value along `axis` (default last); ties give the first index. */
export const argmax = (x: TensorLike, axis = -1): Tensor => argOp('argmax', x, axis);
export const argmin = (x: TensorLike, axis = -1): Tensor => argOp('argmin', x, axis);

// ---------------------------------------------------------------- linear algebra

/**
 * Matrix product of 2-D operands, or batched over a leading dimension (3-D; a 2-D operand
 * broadcasts over the batch). `transA` / `transB` use the transposed operand without copying
 * it on backends that support it (all of ours do).
 */
export function matmul(a: TensorLike, b: TensorLike, transA = false, transB = false): Tensor {
  const [ta, tb] = operands(a, b, 'matmul');
  for (const [t, name] of [[ta, 'a'], [tb, 'b']] as const) {
    if (t.rank !== 2 && t.rank !== 3) {
      throw new RangeError(`matmul: operand ${name} must be 2-D or 3-D (batched), got shape ${formatShape(t.shape)}`);
    }
  }
  const A = ta.rank === 2 ? [1, ...ta.shape] : ta.shape;
  const B = tb.rank === 2 ? [1, ...tb.shape] : tb.shape;
  const M = transA ? A[2] : A[1], Ka = transA ? A[1] : A[2];
  const Kb = transB ? B[2] : B[1], N = transB ? B[1] : B[2];
  if (Ka !== Kb) {
    throw new RangeError(`matmul: inner dimensions differ: a ${formatShape(ta.shape)}${transA ? 'ᵀ' : ''} · ` +
      `b ${formatShape(tb.shape)}${transB ? 'ᵀ' : ''} (${Ka} vs ${Kb})`);
  }
  if (A[0] !== B[0] && A[0] !== 1 && B[0] !== 1) {
    throw new RangeError(`matmul: batch sizes differ: a ${formatShape(ta.shape)} vs b ${formatShape(tb.shape)}`);
  }
  const dtype = promote(ta.dtype, tb.dtype);
  const x = ta.dtype === dtype ? ta : cast(ta, dtype);
  const y = tb.dtype === dtype ? tb : cast(tb, dtype);
  const batch = Math.max(A[0], B[0]);
  const data = k().matmul({ data: x.data, shape: A, dtype }, { data: y.data, shape: B, dtype }, transA, transB, dtype);
  const shape = ta.rank === 2 && tb.rank === 2 ? [M, N] : [batch, M, N];
  return record('matmul', [x, y], new Tensor(data, shape, dtype), { transA, transB });
}

const DENSE_ACTIVATIONS: readonly DenseActivation[] = ['linear', 'relu'];

/**
 * A Dense layer's `activation(x·w + bias)` as one fused primitive: x [M, K], w [K, N], bias [N]
 * (or null), activation 'linear' or 'relu'. One kernel forward and one backward instead of
 * three ops each way; the results are the bits of matmul → add → relu on the same backend.
 */
export function dense(x: TensorLike, w: TensorLike, bias: TensorLike | null = null, activation: DenseActivation = 'linear'): Tensor {
  const tx = toTensor(x, 'dense'), tw = toTensor(w, 'dense');
  const tb = bias === null ? null : toTensor(bias, 'dense', tw.dtype);
  if (tx.rank !== 2 || tw.rank !== 2) {
    throw new RangeError(`dense: x and w must be 2-D, got x ${formatShape(tx.shape)} and w ${formatShape(tw.shape)}`);
  }
  const [M, K] = tx.shape, N = tw.shape[1];
  if (tw.shape[0] !== K) throw new RangeError(`dense: x ${formatShape(tx.shape)} · w ${formatShape(tw.shape)}: inner dimensions differ (${K} vs ${tw.shape[0]})`);
  if (tb && (tb.rank !== 1 || tb.shape[0] !== N)) throw new RangeError(`dense: bias must have shape [${N}], got ${formatShape(tb.shape)}`);
  if (!DENSE_ACTIVATIONS.includes(activation)) {
    throw new RangeError(`dense: activation must be one of ${DENSE_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(activation)}`);
  }
  let dtype = promote(tx.dtype, tw.dtype);
  if (tb) dtype = promote(dtype, tb.dtype);
  if (dtype === 'int32') dtype = 'float32';
  const xs = tx.dtype === dtype ? tx : cast(tx, dtype);
  const ws = tw.dtype === dtype ? tw : cast(tw, dtype);
  const bs = tb === null || tb.dtype === dtype ? tb : cast(tb, dtype);
  const out = new Tensor(k().dense(xs, ws, bs, activation, dtype), [M, N], dtype);
  return record('dense', bs ? [xs, ws, bs] : [xs, ws], out, { activation });
}

/**
 * The backward of `dense` (called by its rule, with grad mode off): [dx, dw, db] for the
 * upstream gradient dy, null where `needs` is false. Not itself a primitive: rules run
 * untracked, so no tape ever records it.
 */
export function denseGrads(dy: Tensor, x: Tensor, w: Tensor, y: Tensor, activation: DenseActivation,
  needs: { x: boolean; w: boolean; b: boolean }): [Tensor | null, Tensor | null, Tensor | null] {
  const g = dy.dtype === y.dtype ? dy : cast(dy, y.dtype);
  const { dx, dw, db } = k().denseGrad(x, w, y, g, activation, needs);
  return [
    dx && new Tensor(dx, x.shape, y.dtype),
    dw && new Tensor(dw, w.shape, y.dtype),
    db && new Tensor(db, [w.shape[1]], y.dtype),
  ];
}

/**
 * Training-mode batch normalization (Ioffe & Szegedy, 2015) as one fused primitive, over every
 * axis but the last (the features): y = (x − mean)/√(var + ε)·γ + β with the batch mean and
 * biased variance, which it also returns (float64, shape [C], no gradient: Keras' moving
 * statistics take them as constants). γ or β null: 1 or 0 (scale / center off).
 */
export function batchNorm(x: TensorLike, gamma: TensorLike | null, beta: TensorLike | null, epsilon: number): {
  output: Tensor; mean: Tensor; variance: Tensor;
} {
  const t = toTensor(x, 'batchNorm');
  if (!isFloat(t.dtype) || t.rank < 1) throw new TypeError(`batchNorm: expected a float tensor of rank ≥ 1, got ${t.dtype} ${formatShape(t.shape)}`);
  if (!(epsilon > 0)) throw new RangeError(`batchNorm: epsilon must be > 0, got ${epsilon}`);
  const C = t.shape[t.rank - 1];
  const param = (p: TensorLike | null, name: string): Tensor | null => {
    if (p === null) return null;
    const v = toTensor(p, 'batchNorm', t.dtype);
    if (v.rank !== 1 || v.shape[0] !== C) throw new RangeError(`batchNorm: ${name} must have shape [${C}], got ${formatShape(v.shape)}`);
    return v.dtype === t.dtype ? v : cast(v, t.dtype);
  };
  const g = param(gamma, 'gamma'), b = param(beta, 'beta');
  const { y, mean, variance } = k().batchNorm(t, g, b, epsilon);
  const inputs = [t, ...(g ? [g] : []), ...(b ? [b] : [])];
  const output = record('batchNorm', inputs, new Tensor(y, t.shape, t.dtype), { epsilon, scale: g !== null, center: b !== null, mean, variance });
  return { output, mean: new Tensor(mean, [C], 'float64'), variance: new Tensor(variance, [C], 'float64') };
}

/** The backward of `batchNorm` (called by its rule, grad mode off): [dx, dγ, dβ], null where not needed. */
export function batchNormGrads(dy: Tensor, x: Tensor, gamma: Tensor | null, attrs: { epsilon: number; mean: Float64Array; variance: Float64Array },
  needs: { x: boolean; gamma: boolean; beta: boolean }): [Tensor | null, Tensor | null, Tensor | null] {
  const g = dy.dtype === x.dtype ? dy : cast(dy, x.dtype);
  const C = x.shape[x.rank - 1];
  const { dx, dgamma, dbeta } = k().batchNormGrad(x, gamma, attrs.mean, attrs.variance, g, attrs.epsilon, needs);
  return [
    dx && new Tensor(dx, x.shape, x.dtype),
    dgamma && new Tensor(dgamma, [C], x.dtype),
    dbeta && new Tensor(dbeta, [C], x.dtype),
  ];
}

// ---------------------------------------------------------------- data movement

/** Reshape without copying data semantics; one dimension may be -1 (inferred). */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'reshape');
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array, got ${String(shape)}`);
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: at most one dimension can be -1, got ${formatShape(shape)}`);
  let target = shape.slice();
  if (inferred === 1) {
    const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || t.size % known !== 0) {
      throw new RangeError(`reshape: cannot reshape ${formatShape(t.shape)} (${t.size} values) into ${formatShape(shape)}`);
    }
    target = shape.map((d) => (d === -1 ? t.size / known : d));
  }
  assertShape(target, 'reshape');
  if (sizeOf(target) !== t.size) {
    throw new RangeError(`reshape: cannot reshape ${formatShape(t.shape)} (${t.size} values) into ${formatShape(shape)} (${sizeOf(target)} values)`);
  }
  if (shapesEqual(target, t.shape)) return t;
  // shares the data array: tensors are immutable except through assign() on leaves
  return record('reshape', [t], new Tensor(t.data, target, t.dtype), { shape: target });
}

/** Broadcasts to `shape` (NumPy rules). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, 'broadcastTo');
  const target = assertShape(shape as number[], 'broadcastTo');
  const out = broadcastShapes(t.shape, target, 'broadcastTo');
  if (!shapesEqual(out, target)) {
    throw new RangeError(`broadcastTo: cannot broadcast ${formatShape(t.shape)} to ${formatShape(target)}`);
  }
  if (shapesEqual(t.shape, target)) return t;
  return record('broadcastTo', [t], new Tensor(k().broadcastTo(t, target), target, t.dtype), { shape: target });
}

/** Permutes axes (default: reverses them). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor(x, 'transpose');
  const p = perm ? perm.map((a) => normalizeAxis(a, t.rank, 'transpose')) : t.shape.map((_, i) => t.rank - 1 - i);
  if (p.length !== t.rank || new Set(p).size !== t.rank) {
    throw new RangeError(`transpose: perm [${perm?.join(', ')}] is not a permutation of the ${t.rank} axes of ${formatShape(t.shape)}`);
  }
  if (p.every((a, i) => a === i)) return t;
  const shape = p.map((a) => t.shape[a]);
  return record('transpose', [t], new Tensor(k().transpose(t, p), shape, t.dtype), { perm: p });
}

/** The box from `begin` with `size` (-1 = to the end), per axis. */
export function slice(x: TensorLike, begin: readonly number[], size?: readonly number[]): Tensor {
  const t = toTensor(x, 'slice');
  if (begin.length !== t.rank || (size && size.length !== t.rank)) {
    throw new RangeError(`slice: begin [${begin.join(', ')}] and size [${size?.join(', ') ?? ''}] must have one entry per axis of ${formatShape(t.shape)}`);
  }
  const b = begin.slice();
  const s = t.shape.map((d, i) => (size === undefined || size[i] === -1 ? d - b[i] : size[i]));
  for (let i = 0; i < t.rank; i++) {
    if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > t.shape[i]) {
      throw new RangeError(`slice: begin ${b[i]} with size ${s[i]} is out of range for axis ${i} of ${formatShape(t.shape)}`);
    }
  }
  return record('slice', [t], new Tensor(k().slice(t, b, s), s, t.dtype), { begin: b, size: s });
}

/** Zero-pads: `before[i]` zeros before and `after[i]` after each axis. */
export function pad(x: TensorLike, before: readonly number[], after: readonly number[]): Tensor {
  const t = toTensor(x, 'pad');
  if (before.length !== t.rank || after.length !== t.rank) {
    throw new RangeError(`pad: paddings need one entry per axis of ${formatShape(t.shape)}`);
  }
  for (const [name, list] of [['before', before], ['after', after]] as const) {
    if (list.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new RangeError(`pad: '${name}' paddings must be non-negative integers, got [${list.join(', ')}]`);
    }
  }
  const shape = t.shape.map((d, i) => d + before[i] + after[i]);
  assertShape(shape, 'pad');
  return record('pad', [t], new Tensor(k().pad(t, before, shape), shape, t.dtype), { before: before.slice(), shape });
}

/** Joins tensors along `axis`; other dimensions must agree. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new RangeError('concat: expected a non-empty array of tensors');
  const ts = xs.map((x) => toTensor(x, 'concat'));
  const rank = ts[0].rank;
  const a = normalizeAxis(axis, rank, 'concat');
  const dtype = ts.map((t) => t.dtype).reduce(promote);
  for (const t of ts) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i])) {
      throw new RangeError(`concat: shapes ${ts.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${a}`);
    }
  }
  const inputs = ts.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
  const shape = ts[0].shape.slice();
  shape[a] = ts.reduce((p, t) => p + t.shape[a], 0);
  return record('concat', inputs, new Tensor(k().concat(inputs, a, dtype), shape, dtype), { axis: a });
}

function checkIndices(indices: Tensor, limit: number, op: string, what: string): void {
  if (indices.dtype !== 'int32') throw new TypeError(`${op}: ${what} must be int32, got ${indices.dtype}`);
  const d = indices.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= limit) {
      throw new RangeError(`${op}: ${what} contain ${d[i]} at position ${i}, expected values in [0, ${limit - 1}]`);
    }
  }
}

/** Takes the entries at integer `indices` (any shape) along `axis`. */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'gather');
  const idx = indices instanceof Tensor ? indices : toTensor(indices, 'gather', 'int32');
  const idxInt = idx.dtype === 'int32' ? idx : tensorInt(idx, 'gather');
  const a = normalizeAxis(axis, t.rank, 'gather');
  checkIndices(idxInt, t.shape[a], 'gather', 'indices');
  const shape = [...t.shape.slice(0, a), ...idxInt.shape, ...t.shape.slice(a + 1)];
  return record('gather', [t, idxInt], new Tensor(k().gather(t, idxInt, a), shape, t.dtype), { axis: a });
}

/** Sums `updates` into zeros of `shape` at `indices` along `axis` (the adjoint of gather). */
export function scatterAdd(updates: TensorLike, indices: TensorLike, axis: number, shape: readonly number[]): Tensor {
  const u = toTensor(updates, 'scatterAdd');
  const raw = indices instanceof Tensor ? indices : toTensor(indices, 'scatterAdd', 'int32');
  const idx = raw.dtype === 'int32' ? raw : tensorInt(raw, 'scatterAdd');
  const a = normalizeAxis(axis, shape.length, 'scatterAdd');
  checkIndices(idx, shape[a], 'scatterAdd', 'indices');
  const expected = [...shape.slice(0, a), ...idx.shape, ...shape.slice(a + 1)];
  if (!shapesEqual(expected, u.shape)) {
    throw new RangeError(`scatterAdd: updates have shape ${formatShape(u.shape)}, expected ${formatShape(expected)}`);
  }
  return record('scatterAdd', [u, idx], new Tensor(k().scatterAdd(u, idx, a, shape), shape, u.dtype), { axis: a, shape: shape.slice() });
}

function tensorInt(t: Tensor, op: string): Tensor {
  for (let i = 0; i < t.size; i++) {
    if (!Number.isInteger(t.data[i])) throw new TypeError(`${op}: indices must be integers, got ${t.data[i]} at position ${i}`);
  }
  return cast(t, 'int32');
}

/** One-hot encoding of integer labels: shape [...labels.shape, depth]. */
export function oneHot(labels: TensorLike, depth: number, dtype: DType = 'float32'): Tensor {
  const l = toTensor(labels, 'oneHot', 'int32');
  const li = l.dtype === 'int32' ? l : tensorInt(l, 'oneHot');
  assertDType(dtype, 'oneHot');
  if (!Number.isInteger(depth) || depth <= 0) throw new RangeError(`oneHot: depth must be a positive integer, got ${depth}`);
  checkIndices(li, depth, 'oneHot', 'labels');
  const out = allocate(dtype, li.size * depth);
  for (let i = 0; i < li.size; i++) out[i * depth + li.data[i]] = 1;
  return record('oneHot', [li], new Tensor(out, [...li.shape, depth], dtype), { depth });
}

/** Clamps values to [lo, hi]; the gradient passes where lo ≤ x ≤ hi. */
export function clip(x: TensorLike, lo: number, hi: number): Tensor {
  const t = toTensor(x, 'clip');
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) throw new RangeError(`clip: expected lo ≤ hi, got lo=${lo}, hi=${hi}`);
  return record('clip', [t], new Tensor(k().clip(t, lo, hi), t.shape, t.dtype), { lo, hi });
}

export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = toTensor(x, 'cast');
  assertDType(dtype, 'cast');
  if (t.dtype === dtype) return t;
  return record('cast', [t], new Tensor(k().cast(t, dtype), t.shape, dtype), { dtype });
}

/** Identity whose gradient is zero (blocks back-propagation). */
export function stopGradient(x: TensorLike): Tensor {
  const t = toTensor(x, 'stopGradient');
  return record('stopGradient', [t], new Tensor(t.data, t.shape, t.dtype), {});
}

/** Softmax over the last axis in one stable kernel (functional softmax uses it for axis −1). */
export function softmaxLastAxis(x: TensorLike): Tensor {
  const t = toTensor(x, 'softmax');
  if (!isFloat(t.dtype) || t.rank === 0) throw new TypeError(`softmax: expected a float tensor of rank ≥ 1, got ${t.dtype} ${formatShape(t.shape)}`);
  return record('softmax', [t], new Tensor(k().softmax(t), t.shape, t.dtype), {});
}

/**
 * −log softmax(logits)[label] per row over the last axis, fused and stable (max-shifted):
 * logits [..., C] float, labels int32 [...] in [0, C). Output shape labels.shape.
 */
export function sparseSoftmaxCrossEntropy(logits: TensorLike, labels: TensorLike): Tensor {
  const z = toTensor(logits, 'sparseSoftmaxCrossEntropy');
  const y = labels instanceof Tensor ? labels : toTensor(labels, 'sparseSoftmaxCrossEntropy', 'int32');
  checkSparsePair(z, y, 'sparseSoftmaxCrossEntropy');
  return record('sparseSoftmaxCrossEntropy', [z, y],
    new Tensor(k().sparseSoftmaxCrossEntropy(z, y), y.shape, z.dtype), {});
}

/** The gradient of sparseSoftmaxCrossEntropy: dy[..., None] · (softmax(logits) − onehot(labels)). */
export function sparseSoftmaxCrossEntropyGrad(logits: Tensor, labels: Tensor, dy: Tensor): Tensor {
  checkSparsePair(logits, labels, 'sparseSoftmaxCrossEntropyGrad');
  const g = dy.dtype === logits.dtype ? dy : cast(dy, logits.dtype);
  return record('sparseSoftmaxCrossEntropyGrad', [logits, labels, g],
    new Tensor(k().sparseSoftmaxCrossEntropyGrad(logits, labels, g), logits.shape, logits.dtype), {});
}

function checkSparsePair(z: Tensor, y: Tensor, op: string): void {
  if (!isFloat(z.dtype)) throw new TypeError(`${op}: logits must be float, got ${z.dtype}`);
  if (z.rank < 1 || y.rank !== z.rank - 1 || y.shape.some((d, i) => d !== z.shape[i])) {
    throw new RangeError(`${op}: labels of shape ${formatShape(y.shape)} do not match logits of shape ${formatShape(z.shape)} ` +
      '(expected the logits shape without its last axis)');
  }
  checkIndices(y, z.shape[z.rank - 1], op, 'labels');
}

// ---------------------------------------------------------------- creation helpers used by rules

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const s = assertShape(shape as number[], 'zeros');
  assertDType(dtype, 'zeros');
  return new Tensor(allocate(dtype, sizeOf(s)), s, dtype);
}

function filled(shape: readonly number[], value: number, dtype: DType, op: string): Tensor {
  const s = assertShape(shape as number[], op);
  assertDType(dtype, op);
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${typeof value}`);
  const data = allocate(dtype, sizeOf(s));
  data.fill(value);
  return new Tensor(data, s, dtype);
}

export const full = (shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor => filled(shape, value, dtype, 'full');
export const ones = (shape: readonly number[], dtype: DType = 'float32'): Tensor => filled(shape, 1, dtype, 'ones');
export const zerosLike = (x: Tensor): Tensor => zeros(x.shape, x.dtype);
export const onesLike = (x: Tensor): Tensor => ones(x.shape, x.dtype);
