/**
 * TEMPORARY shim while src/index.ts cannot be imported yet (it names modules still being
 * written): the same engine API and the same backend setup. Replace imports of this file by
 * '../src/index.js' (or '../../src/index.js' from helpers/) and delete it.
 */
import '../../src/backend/js/index.js';
import '../../src/backend/wasm/index.js';
import { getBackendInfo, setBackend } from '../../src/backend/registry.js';

if (getBackendInfo('wasm')?.isAvailable()) setBackend('wasm');

export { Tensor, type TensorLike, type NestedArray } from '../../src/core/tensor.js';
export type { DType, DataArray } from '../../src/core/dtype.js';
export type { Shape } from '../../src/core/shape.js';
export {
  tensor, scalar, zeros, ones, full, zerosLike, onesLike, arange,
  randomNormal, truncatedNormal, randomUniform, bernoulli, type RandomOptions,
} from '../../src/core/creation.js';
export { setSeed, getRng, RandomGenerator } from '../../src/core/random.js';
export {
  neg, exp, log, sqrt, abs, sign, tanh, erf, reciprocal,
  add, sub, mul, div, pow, maximum, minimum,
  greater, greaterEqual, less, lessEqual, equal, notEqual, where,
  sum, mean, max, min, argmax, argmin,
  matmul, reshape, broadcastTo, transpose, slice, pad, concat, gather, scatterAdd, oneHot, clip, cast, stopGradient,
} from '../../src/core/ops.js';
export { square, sigmoid, relu, softplus, logSumExp, softmax, logSoftmax, variance } from '../../src/functional/math.js';
export { grad, valueAndGrad, vjp, noGrad, isGradEnabled } from '../../src/core/autograd.js';
export type { PrimitiveOp } from '../../src/core/primitives.js';
export { setBackend, getBackend, listBackends, registerKernel, registerBackend } from '../../src/backend/registry.js';
export type { Kernels, KernelName, BackendInfo, TensorInfo } from '../../src/backend/backend.js';
