/**
 * The primitive op list. Every primitive has exactly one backward rule in vjp-rules.ts, whose
 * type `{ [K in PrimitiveOp]: VjpRule<K> }` makes a missing rule a compile error. Everything
 * else (softmax, logSumExp, sigmoid, mean, losses, layers) is composed from these.
 */
import type { DenseActivation } from '../backend/backend.js';
import type { DType } from './dtype.js';
import type { Shape } from './shape.js';

export interface OpAttrs {
  // unary element-wise
  neg: {}; exp: {}; log: {}; sqrt: {}; abs: {}; sign: {}; tanh: {}; erf: {}; reciprocal: {};
  // fused: the hottest activation and its backward (one kernel each instead of three)
  relu: {}; reluGrad: {};
  // binary element-wise with broadcasting
  add: {}; sub: {}; mul: {}; div: {}; pow: {}; maximum: {}; minimum: {};
  // comparisons produce 0/1 masks (no gradient)
  greater: {}; greaterEqual: {}; less: {}; lessEqual: {}; equal: {}; notEqual: {};
  where: {};
  // reductions (axes sorted and unique; output without the reduced axes)
  sum: { axes: number[] }; max: { axes: number[] }; min: { axes: number[] };
  argmax: { axis: number }; argmin: { axis: number };
  // linear algebra: 2-D or batched 3-D operands
  matmul: { transA: boolean; transB: boolean };
  // data movement
  reshape: { shape: Shape };
  broadcastTo: { shape: Shape };
  transpose: { perm: number[] };
  slice: { begin: number[]; size: number[] };
  pad: { before: number[]; shape: Shape };
  concat: { axis: number };
  gather: { axis: number };
  scatterAdd: { axis: number; shape: Shape };
  oneHot: { depth: number };
  clip: { lo: number; hi: number };
  cast: { dtype: DType };
  stopGradient: {};
  // fused: the classification loss and its gradient (one kernel each instead of ~10 ops)
  softmax: {};
  sparseSoftmaxCrossEntropy: {};
  sparseSoftmaxCrossEntropyGrad: {};
  // fused: a Dense layer's activation(x·W + b) — one kernel forward, one backward (issue 7)
  dense: { activation: DenseActivation };
  // fused: training-mode batch normalization over the rows, features last; inputs [x, γ?, β?].
  // mean and variance are the forward's batch statistics (float64), saved for the backward.
  batchNorm: { epsilon: number; scale: boolean; center: boolean; mean: Float64Array; variance: Float64Array };
}

export type PrimitiveOp = keyof OpAttrs;
