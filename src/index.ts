/**
 * gradflow — the public API. Browser-safe: nothing here imports node: modules.
 *
 *   import * as gf from 'gradflow';
 *   gf.setSeed(42);
 *   const w = gf.randomNormal([3, 2]).requireGrad();
 *   const loss = gf.sum(gf.square(gf.matmul(x, w)));
 *   loss.backward();   // w.grad
 */
import './backend/js/index.js';
import './backend/wasm/index.js';
import { getBackendInfo, setBackend } from './backend/registry.js';

export { Tensor, type TensorLike, type NestedArray } from './core/tensor.js';
export type { DType, DataArray } from './core/dtype.js';
export type { Shape } from './core/shape.js';
export {
  tensor, scalar, zeros, ones, full, zerosLike, onesLike, arange,
  randomNormal, truncatedNormal, randomUniform, bernoulli, type RandomOptions,
} from './core/creation.js';
export { setSeed, getRng, RandomGenerator } from './core/random.js';
export {
  neg, exp, log, sqrt, abs, sign, tanh, erf, reciprocal,
  add, sub, mul, div, pow, maximum, minimum,
  greater, greaterEqual, less, lessEqual, equal, notEqual, where,
  sum, mean, max, min, argmax, argmin,
  matmul, reshape, broadcastTo, transpose, slice, pad, concat, gather, scatterAdd, oneHot, clip, cast, stopGradient,
  reluGrad, sparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropyGrad,
} from './core/ops.js';
export { square, sigmoid, relu, softplus, logSumExp, softmax, logSoftmax, variance } from './functional/math.js';
export { grad, valueAndGrad, vjp, noGrad, isGradEnabled } from './core/autograd.js';
export type { PrimitiveOp } from './core/primitives.js';
export { setBackend, getBackend, listBackends, registerKernel, registerBackend } from './backend/registry.js';
export { backendInfo, setNumThreads, getNumThreads, MAX_THREADS, type BackendReport } from './backend/control.js';
export { wasmThreadsReady } from './backend/wasm/index.js';
export type { Kernels, KernelName, BackendInfo, TensorInfo } from './backend/backend.js';

export * as activations from './activations/index.js';
export * as initializers from './initializers/index.js';
export * as layers from './layers/index.js';
export * as optimizers from './optimizers/index.js';
export * as schedules from './schedules/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export { Model, type ModelArgs, type CompileArgs, type FitArgs, type EvaluateArgs, type ModelData } from './models/model.js';
export { Sequential } from './models/sequential.js';
export { input, type InputArgs } from './layers/input-layer.js';
export { cloneModel } from './models/clone.js';
export { foldBatchNorm } from './models/fold-batch-norm.js';
export { mcPredict, type McPredictOptions } from './models/mc-predict.js';
export { loadModel, writeFileAtomic } from './saving/files.js';
export { modelToBytes, modelFromBytes } from './saving/model-io.js';
export { encodeSafetensors, decodeSafetensors } from './saving/safetensors.js';
export { registerClass, getClass, deserialize } from './saving/class-registry.js';
export { Callback, CallbackList, type Logs } from './callbacks/callback.js';
export { History } from './callbacks/history.js';
export { ProgbarLogger } from './callbacks/progbar-logger.js';
export * as callbacks from './callbacks/index.js';
export * as diagnostics from './diagnostics/index.js';
export * as datasets from './data/index.js';
export * as experiments from './experiments/index.js';
export * as presets from './presets/index.js';
export { findLearningRate, lrGrowthFactor, type FindLearningRateOptions, type LearningRateFinderResult } from './training/lr-finder.js';

/** The default backend: `wasm` where WebAssembly SIMD exists, else `js`. */
if (getBackendInfo('wasm')?.isAvailable()) setBackend('wasm');
