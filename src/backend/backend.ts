/**
 * The narrow backend interface: a backend is a named set of kernels. Kernels work on plain
 * row-major typed arrays plus shapes and allocate their own output; they know nothing about
 * autograd. Ops in core/ validate arguments, compute output shapes, and then call kernels
 * through the registry (see registry.ts), keyed by (kernel name, backend name).
 */
import type { DataArray, DType } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';

export interface TensorInfo {
  readonly data: DataArray;
  readonly shape: Shape;
  readonly dtype: DType;
}

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'tanh' | 'erf' | 'reciprocal' | 'relu';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'greater' | 'greaterEqual' | 'less' | 'lessEqual' | 'equal' | 'notEqual'
  /** reluGrad(dy, y) = y > 0 ? dy : 0 — the backward of relu, fused. */
  | 'reluGrad';

export type ReduceOp = 'sum' | 'max' | 'min';

/** Activations that a fused Dense kernel applies itself (others run after a 'linear' one). */
export type DenseActivation = 'linear' | 'relu';

/** Which gradients a backward kernel computes (false: skip the work, return null). */
export interface DenseGradNeeds { readonly x: boolean; readonly w: boolean; readonly b: boolean }

export interface DenseGrads { dx: DataArray | null; dw: DataArray | null; db: DataArray | null }

/** A batch-norm forward's output and its batch statistics per feature (in float64). */
export interface BatchNormStats { y: DataArray; mean: Float64Array; variance: Float64Array }

export interface BatchNormGrads { dx: DataArray | null; dgamma: DataArray | null; dbeta: DataArray | null }

/** Every kernel a backend may provide. The `js` backend provides all of them. */
export interface Kernels {
  /** Element-wise unary op; output has x's shape and `dtype`. */
  unary(op: UnaryOp, x: TensorInfo, dtype: DType): DataArray;
  /** Element-wise binary op with NumPy broadcasting to `outShape`. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataArray;
  /** Reduces over the sorted, unique `axes`; output is x's shape without those axes (row-major). */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataArray;
  /** Index of the max/min along `axis` (int32), ties resolve to the first index. */
  argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number): Int32Array;
  /**
   * Batched matrix product of 3-D operands: a [batchA, M, K] (or [batchA, K, M] when transA),
   * b [batchB, K, N] (or [batchB, N, K] when transB); batchA and batchB are equal or 1.
   * Output [max(batchA, batchB), M, N].
   */
  matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean, dtype: DType): DataArray;
  /** NumPy broadcast of x to `outShape` (a copy). */
  broadcastTo(x: TensorInfo, outShape: Shape): DataArray;
  /** Permutes axes: output dimension i is input dimension perm[i]. */
  transpose(x: TensorInfo, perm: readonly number[]): DataArray;
  /** Copies the box begin[i] .. begin[i] + size[i]. */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataArray;
  /** Zero-pads: x is placed at offset `before` inside a zero tensor of `outShape` (the adjoint of slice). */
  pad(x: TensorInfo, before: readonly number[], outShape: Shape): DataArray;
  /** Joins along `axis`; shapes agree elsewhere. */
  concat(xs: readonly TensorInfo[], axis: number, dtype: DType): DataArray;
  /** Takes `indices` (int32, validated in range) along `axis`. */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataArray;
  /** Adds `updates` into a zero tensor of `shape` at `indices` along `axis` (the adjoint of gather). */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: Shape): DataArray;
  /** cond ? a : b element-wise with broadcasting to outShape (cond is non-zero = true). */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape, dtype: DType): DataArray;
  /** Clamps to [lo, hi]. */
  clip(x: TensorInfo, lo: number, hi: number): DataArray;
  /** Converts to `dtype` (float → int32 truncates toward zero). */
  cast(x: TensorInfo, dtype: DType): DataArray;
  /** Softmax over the last axis, max-shifted (rows of [..., classes], flattened). */
  softmax(x: TensorInfo): DataArray;
  /**
   * Per-row −log softmax(logits)[label] over the last axis (fused, stable: max-shifted).
   * logits [rows, classes] (flattened), labels int32 [rows], validated in range.
   */
  sparseSoftmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataArray;
  /** Its gradient: dy[row] · (softmax(logits) − onehot(label)), shape of logits. */
  sparseSoftmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, dy: TensorInfo): DataArray;
  /**
   * One SGD step, in place (the optimizer's hot loop, fused): plain w −= lr·g; with momentum
   * v ← μ·v − lr·g, w += v; Nesterov w += μ·v − lr·g (Keras' formulas). `w`, `g` and `v` have
   * the same length and float dtype; v is null when μ = 0. Arithmetic in float64, rounded once
   * per store, so every backend gives the same bits.
   */
  sgdUpdate(w: DataArray, g: DataArray, v: DataArray | null, lr: number, momentum: number, nesterov: boolean): void;
  /**
   * One Adam step in place (Keras' formulas, step size α with the bias corrections folded in):
   * m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2); w ← w − α·m/(√v̂ + ε), where v̂ = v, or
   * with AMSGrad (vHat not null) the running maximum vHat ← max(vHat, v). Float64 arithmetic,
   * rounded once per store, so every backend gives the js reference's bits.
   */
  adamUpdate(w: DataArray, g: DataArray, m: DataArray, v: DataArray, vHat: DataArray | null,
    alpha: number, beta1: number, beta2: number, epsilon: number): void;
  /**
   * [Σ a², Σ (a − b)²] over one float array (and one of the same length and dtype, or null: then
   * the second sum is 0), accumulated in float64 — the weight, gradient and update norms of the
   * diagnostics Monitor. Backends may add in a different order (last-bit differences).
   */
  sumSquares(a: DataArray, b: DataArray | null): [number, number];
  /**
   * Fused Dense forward: activation(x·w + bias) for x [M, K], w [K, N], bias [N] or null, one
   * float dtype. Must give the bits of matmul, then add, then the activation on this backend.
   * Composite by default (see registry.ts): a backend without it runs its own three kernels.
   */
  dense(x: TensorInfo, w: TensorInfo, bias: TensorInfo | null, activation: DenseActivation, dtype: DType): DataArray;
  /**
   * Fused Dense backward from the forward's x, w, output y and upstream dy ([M, N]):
   * g = activation'(y)·dy, dx = g·wᵀ, dw = xᵀ·g, db = Σ_rows g. Same bits as the composite.
   */
  denseGrad(x: TensorInfo, w: TensorInfo, y: TensorInfo, dy: TensorInfo, activation: DenseActivation,
    needs: DenseGradNeeds): DenseGrads;
  /**
   * Training-mode batch normalization over the rows of x [rows, C] (features last):
   * y = (x − mean)/√(var + ε)·γ + β with the batch mean and biased variance, which it returns
   * (float64). γ or β null: 1 or 0. Accumulates in float64; y rounds once (see js/batch-norm.ts).
   */
  batchNorm(x: TensorInfo, gamma: TensorInfo | null, beta: TensorInfo | null, epsilon: number): BatchNormStats;
  /** Its backward from the forward's statistics: dx, and dγ = Σ dy·x̂, dβ = Σ dy where needed. */
  batchNormGrad(x: TensorInfo, gamma: TensorInfo | null, mean: Float64Array, variance: Float64Array, dy: TensorInfo,
    epsilon: number, needs: { x: boolean; gamma: boolean; beta: boolean }): BatchNormGrads;
}

export type KernelName = keyof Kernels;

export interface BackendInfo {
  /** 'js', 'wasm', ... */
  readonly name: string;
  /** Whether the backend can run here (e.g. WebAssembly SIMD present). */
  isAvailable(): boolean;
  /** One-time synchronous setup (compiling a module, ...). Called by setBackend. */
  initialize?(): void;
  /** Human-readable details for `gradflow info`. */
  describe?(): Record<string, string | number | boolean>;
}
