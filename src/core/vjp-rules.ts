/**
 * Backward (vector-Jacobian product) rules, one per primitive. The mapped type over
 * PrimitiveOp makes a missing rule a compile error. Rules are written with ops, so they run on
 * any backend; they run with grad mode off. A rule returns one gradient per input (null where
 * no gradient flows: comparisons, indices, stopGradient).
 */
import { formatShape, shapesEqual, type Shape } from './shape.js';
import type { OpAttrs, PrimitiveOp } from './primitives.js';
import type { Tensor } from './tensor.js';
import * as o from './ops.js';
import { softmax } from '../functional/math.js';

/**
 * `needs[i]` says whether input i needs a gradient; a rule may return null for the others
 * (matmul skips dy·Wᵀ for a data input: a third of a first layer's backward work).
 */
type VjpRule<K extends PrimitiveOp> =
  (dy: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: OpAttrs[K], needs: readonly boolean[]) => (Tensor | null)[];

/** Sums a broadcast gradient back to the operand's shape. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0) throw new Error(`internal: cannot reduce gradient ${formatShape(g.shape)} to ${formatShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return o.reshape(o.sum(g, axes), shape);
}

const none = (inputs: readonly Tensor[]): null[] => inputs.map(() => null);
/** Restores reduced axes as size-1 dimensions so the gradient broadcasts back. */
const keep = (t: Tensor, inShape: Shape, axes: number[]): Tensor =>
  o.reshape(t, inShape.map((d, i) => (axes.includes(i) ? 1 : d)));

function minMaxRule(dy: Tensor, [x]: readonly Tensor[], out: Tensor, { axes }: { axes: number[] }): Tensor[] {
  // NOTE: the gradient is shared equally among tied extrema (as TensorFlow's reduce_max).
  const mask = o.equal(x, keep(out, x.shape, axes));
  const count = keep(o.sum(mask, axes), x.shape, axes);
  return [o.div(o.mul(mask, keep(dy, x.shape, axes)), count)];
}

/** Gradient of a batched matmul operand, summed over the batch when that operand broadcast. */
function batchReduce(g: Tensor, input: Tensor): Tensor {
  if (g.rank === input.rank && g.shape[0] === input.shape[0]) return g;
  if (input.rank === 2) return g.rank === 3 ? o.sum(g, 0) : g;
  return o.sum(g, 0, true);
}

export const vjpRules: { [K in PrimitiveOp]: VjpRule<K> } = {
  neg: (dy) => [o.neg(dy)],
  exp: (dy, _, out) => [o.mul(dy, out)],
  log: (dy, [x]) => [o.div(dy, x)],
  sqrt: (dy, _, out) => [o.div(dy, o.mul(out, 2))],
  // NOTE: abs'(0) = 0 (sign(0) = 0), as TensorFlow.
  abs: (dy, [x]) => [o.mul(dy, o.sign(x))],
  sign: (_, [x]) => [o.zerosLike(x)],
  tanh: (dy, _, out) => [o.mul(dy, o.sub(1, o.mul(out, out)))],
  // d/dx erf(x) = 2/√π · exp(−x²)
  erf: (dy, [x]) => [o.mul(dy, o.mul(o.exp(o.neg(o.mul(x, x))), 1.1283791670955126))],
  reciprocal: (dy, _, out) => [o.neg(o.mul(dy, o.mul(out, out)))],
  // NOTE: relu'(0) = 0: the mask is out > 0.
  relu: (dy, _, out) => [o.reluGrad(dy, out)],
  // reluGrad is linear in dy with the same mask; y only selects (zero gradient almost everywhere)
  reluGrad: (g, [dy, y]) => [sumToShape(o.reluGrad(g, y), dy.shape), null],

  add: (dy, [a, b], _, __, needs) => [needs[0] ? sumToShape(dy, a.shape) : null, needs[1] ? sumToShape(dy, b.shape) : null],
  sub: (dy, [a, b], _, __, needs) => [needs[0] ? sumToShape(dy, a.shape) : null, needs[1] ? sumToShape(o.neg(dy), b.shape) : null],
  mul: (dy, [a, b], _, __, needs) => [
    needs[0] ? sumToShape(o.mul(dy, b), a.shape) : null,
    needs[1] ? sumToShape(o.mul(dy, a), b.shape) : null,
  ],
  // a constant divisor (the loss's mean over the batch) costs nothing
  div: (dy, [a, b], out, __, needs) => [
    needs[0] ? sumToShape(o.div(dy, b), a.shape) : null,
    needs[1] ? sumToShape(o.neg(o.div(o.mul(dy, out), b)), b.shape) : null,
  ],
  pow: (dy, [a, b], out) => {
    const da = o.mul(dy, o.mul(b, o.pow(a, o.sub(b, 1))));
    // NOTE: d/db a^b = a^b·log(a), taken as 0 where a ≤ 0 (log undefined), as TensorFlow.
    const positive = o.greater(a, 0);
    const logA = o.log(o.where(positive, a, 1));
    const db = o.mul(dy, o.mul(out, o.where(positive, logA, 0)));
    return [sumToShape(da, a.shape), sumToShape(db, b.shape)];
  },
  maximum: (dy, [a, b]) => {
    const toA = o.greaterEqual(a, b); // ties → a, as TensorFlow
    return [sumToShape(o.mul(dy, toA), a.shape), sumToShape(o.mul(dy, o.sub(1, toA)), b.shape)];
  },
  minimum: (dy, [a, b]) => {
    const toA = o.lessEqual(a, b);
    return [sumToShape(o.mul(dy, toA), a.shape), sumToShape(o.mul(dy, o.sub(1, toA)), b.shape)];
  },
  greater: (_, inputs) => none(inputs),
  greaterEqual: (_, inputs) => none(inputs),
  less: (_, inputs) => none(inputs),
  lessEqual: (_, inputs) => none(inputs),
  equal: (_, inputs) => none(inputs),
  notEqual: (_, inputs) => none(inputs),
  where: (dy, [cond, a, b]) => [
    null,
    sumToShape(o.where(cond, dy, 0), a.shape),
    sumToShape(o.where(cond, 0, dy), b.shape),
  ],

  sum: (dy, [x], _, { axes }) => [o.broadcastTo(keep(dy, x.shape, axes), x.shape)],
  max: minMaxRule,
  min: minMaxRule,
  argmax: (_, inputs) => none(inputs),
  argmin: (_, inputs) => none(inputs),

  matmul: (dy, [a, b], _, { transA, transB }, needs) => {
    const da = !needs[0] ? null
      : !transA ? o.matmul(dy, b, false, !transB) // dy·Bᵀ, or dy·B when B was transposed
        : o.matmul(b, dy, transB, true); // (dy·op(B)ᵀ)ᵀ = op(B)·dyᵀ
    const db = !needs[1] ? null
      : !transB ? o.matmul(a, dy, !transA, false) // Aᵀ·dy, or A·dy when A was transposed
        : o.matmul(dy, a, true, transA); // (op(A)ᵀ·dy)ᵀ = dyᵀ·op(A)
    return [da && batchReduce(da, a), db && batchReduce(db, b)];
  },

  reshape: (dy, [x]) => [o.reshape(dy, x.shape)],
  broadcastTo: (dy, [x]) => [sumToShape(dy, x.shape)],
  transpose: (dy, _, __, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => { inverse[p] = i; });
    return [o.transpose(dy, inverse)];
  },
  slice: (dy, [x], _, { begin, size }) => [o.pad(dy, begin, x.shape.map((d, i) => d - begin[i] - size[i]))],
  pad: (dy, [x], _, { before }) => [o.slice(dy, before, x.shape)],
  concat: (dy, inputs, _, { axis }) => {
    let offset = 0;
    return inputs.map((x) => {
      const begin = x.shape.map((__, i) => (i === axis ? offset : 0));
      offset += x.shape[axis];
      return o.slice(dy, begin, x.shape);
    });
  },
  gather: (dy, [x, indices], _, { axis }) => [o.scatterAdd(dy, indices, axis, x.shape), null],
  scatterAdd: (dy, [, indices], _, { axis }) => [o.gather(dy, indices, axis), null],
  oneHot: (_, inputs) => none(inputs),
  // NOTE: the gradient passes where lo ≤ x ≤ hi (boundaries included), as TensorFlow.
  clip: (dy, [x], _, { lo, hi }) => [o.mul(dy, o.mul(o.greaterEqual(x, lo), o.lessEqual(x, hi)))],
  cast: (dy, [x]) => [x.dtype === 'int32' ? null : o.cast(dy, x.dtype)],
  stopGradient: (_, inputs) => none(inputs),
  // y ⊙ (dy − Σ dy⊙y) over the last axis: the softmax Jacobian-vector product
  softmax: (dy, _, out) => [o.mul(out, o.sub(dy, o.sum(o.mul(dy, out), -1, true)))],
  sparseSoftmaxCrossEntropy: (dy, [z, y]) => [o.sparseSoftmaxCrossEntropyGrad(z, y, dy), null],
  // one fused backward kernel: g = act'(y)·dy; dx = g·Wᵀ (skipped for data), dW = xᵀ·g, db = Σ g
  dense: (dy, [x, w, b], out, { activation }, needs) => {
    const [dx, dw, db] = o.denseGrads(dy, x, w, out, activation, { x: needs[0], w: needs[1], b: b !== undefined && needs[2] });
    return b ? [dx, dw, db] : [dx, dw];
  },
  // two reductions (Σ dy, Σ dy·x̂) and one pass for dx, in one kernel
  batchNorm: (dy, [x, ...params], _, attrs, needs) => {
    const gamma = attrs.scale ? params[0] : null;
    const betaIndex = attrs.scale ? 2 : 1;
    const [dx, dgamma, dbeta] = o.batchNormGrads(dy, x, gamma, attrs,
      { x: needs[0], gamma: attrs.scale && needs[1], beta: attrs.center && needs[betaIndex] });
    return [dx, ...(attrs.scale ? [dgamma] : []), ...(attrs.center ? [dbeta] : [])];
  },
  // Second order, as composites: the rule is linear in dy, and d/dz of p − onehot is the
  // softmax Jacobian, whose product with g is p ⊙ (g − Σ p⊙g).
  sparseSoftmaxCrossEntropyGrad: (g, [z, y, dy], _, __, needs) => {
    const p = softmax(z);
    const dyCol = o.reshape(dy, [...dy.shape, 1]);
    const dz = needs[0] ? o.mul(o.mul(p, o.sub(g, o.sum(o.mul(p, g), -1, true))), dyCol) : null;
    const ddy = needs[2] ? o.sum(o.mul(g, o.sub(p, o.oneHot(y, z.shape[z.rank - 1], z.dtype))), -1) : null;
    return [dz, null, ddy];
  },
};
