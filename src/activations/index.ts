/**
 * Activation functions (Keras names and values; see reference/keras-semantics.md). Each is a
 * composite of primitives, so its gradient comes from the rule table and is gradient-checked.
 *
 * `get(identifier)` accepts a Keras name ('leaky_relu'), camelCase ('leakyRelu'), a function,
 * or a config `{ className: 'elu', config: { alpha: 0.5 } }` for parameterized activations.
 */
import * as o from '../core/ops.js';
import { getRng } from '../core/random.js';
import { Tensor, toTensor, type TensorLike } from '../core/tensor.js';
import * as m from '../functional/math.js';
import { NameRegistry } from '../utils/registry.js';

export type ActivationFn = (x: Tensor) => Tensor;

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

export const sigmoid = (x: TensorLike): Tensor => m.sigmoid(x);
export const tanh = (x: TensorLike): Tensor => o.tanh(x);
/** NOTE: relu'(0) = 0, as Keras. */
export const relu = (x: TensorLike): Tensor => m.relu(x);
export const linear = (x: TensorLike): Tensor => toTensor(x, 'linear');

/** max(x, α·x) for α ≤ 1; Keras' function default α = 0.2 (the LeakyReLU *layer* defaults to 0.3). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = toTensor(x, 'leakyRelu');
  return o.where(o.greater(t, 0), t, o.mul(t, alpha));
}

/** ELU (Clevert et al., 2015): x if x > 0 else α(eˣ − 1). */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = toTensor(x, 'elu');
  // NOTE: exp of the clamped input: the discarded branch must not overflow to Inf (its
  // gradient would be 0·Inf = NaN through where()).
  const negative = o.mul(o.sub(o.exp(o.minimum(t, 0)), 1), alpha);
  return o.where(o.greater(t, 0), t, negative);
}

/** SELU (Klambauer et al., 2017): λ·elu(x, α) with the self-normalizing constants. */
export function selu(x: TensorLike): Tensor {
  return o.mul(elu(x, SELU_ALPHA), SELU_SCALE);
}

/**
 * GELU (Hendrycks & Gimpel, 2016). Exact: x·Φ(x) = ½x(1 + erf(x/√2)) — Keras' default;
 * approximate: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
 */
export function gelu(x: TensorLike, approximate = false): Tensor {
  const t = toTensor(x, 'gelu');
  if (approximate) {
    const inner = o.mul(o.add(t, o.mul(o.mul(o.mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return o.mul(o.mul(t, 0.5), o.add(o.tanh(inner), 1));
  }
  return o.mul(o.mul(t, 0.5), o.add(o.erf(o.mul(t, Math.SQRT1_2)), 1));
}

/** Swish / SiLU (Ramachandran et al., 2017; Elfwing et al., 2017): x·σ(x). */
export const swish = (x: TensorLike): Tensor => { const t = toTensor(x, 'swish'); return o.mul(t, m.sigmoid(t)); };

/** Mish (Misra, 2019): x·tanh(softplus(x)). */
export const mish = (x: TensorLike): Tensor => { const t = toTensor(x, 'mish'); return o.mul(t, o.tanh(m.softplus(t))); };

export const softplus = (x: TensorLike): Tensor => m.softplus(x);
/** x / (1 + |x|) */
export const softsign = (x: TensorLike): Tensor => { const t = toTensor(x, 'softsign'); return o.div(t, o.add(o.abs(t), 1)); };
export const softmax = (x: TensorLike, axis = -1): Tensor => m.softmax(x, axis);
export const exponential = (x: TensorLike): Tensor => o.exp(x);
/**
 * Keras 3: relu6(x + 3) / 6 = clip(x/6 + ½, 0, 1). NOTE: the gradient is 1/6 strictly inside
 * (−3, 3) and 0 at ±3, as TensorFlow's relu6 (clip's gradient would pass at the bounds).
 */
export function hardSigmoid(x: TensorLike): Tensor {
  const t = toTensor(x, 'hardSigmoid');
  return o.where(o.less(o.abs(t), 3), o.add(o.div(t, 6), 0.5), o.greaterEqual(t, 3));
}

/**
 * RReLU (Xu et al., 2015; PyTorch's definition, not in Keras): in training the negative slope is
 * drawn per element from U(lower, upper); at inference it is fixed at (lower + upper) / 2.
 */
export function rrelu(x: TensorLike, { lower = 1 / 8, upper = 1 / 3, training = false } = {}): Tensor {
  const t = toTensor(x, 'rrelu');
  if (!(lower >= 0 && upper >= lower)) throw new RangeError(`rrelu: expected 0 ≤ lower ≤ upper, got lower=${lower}, upper=${upper}`);
  if (!training) return leakyRelu(t, (lower + upper) / 2);
  const rng = getRng();
  const slopes = o.zerosLike(t);
  for (let i = 0; i < slopes.size; i++) slopes.data[i] = lower + (upper - lower) * rng.uniform();
  return o.where(o.greater(t, 0), t, o.mul(t, slopes));
}

/** Parameterized activations as configs: `{ className, config }` (Keras serialization). */
export interface ActivationConfig {
  className: string;
  config?: Record<string, unknown>;
}

type Factory = (config: Record<string, unknown>) => ActivationFn;

const registry = new NameRegistry<Factory>('activation');
const plain = (f: ActivationFn): Factory => () => f;
registry.register('linear', plain(linear), ['identity', 'none']);
registry.register('sigmoid', plain(sigmoid));
registry.register('tanh', plain(tanh));
registry.register('relu', plain(relu));
registry.register('leaky_relu', (c) => (x) => leakyRelu(x, num(c.negativeSlope ?? c.negative_slope ?? c.alpha, 0.2)));
registry.register('rrelu', (c) => (x) => rrelu(x, { lower: num(c.lower, 1 / 8), upper: num(c.upper, 1 / 3) }));
registry.register('elu', (c) => (x) => elu(x, num(c.alpha, 1)));
registry.register('selu', plain(selu));
registry.register('gelu', (c) => (x) => gelu(x, Boolean(c.approximate ?? false)));
registry.register('swish', plain(swish), ['silu']);
registry.register('mish', plain(mish));
registry.register('softplus', plain(softplus));
registry.register('softsign', plain(softsign));
registry.register('softmax', (c) => (x) => softmax(x, num(c.axis, -1)));
registry.register('exponential', plain(exponential));
registry.register('hard_sigmoid', plain(hardSigmoid));

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** Every registered activation's Keras name. */
export const activationNames = (): string[] => registry.names();

/** Resolves a name, config or function to an activation function. */
export function get(identifier: string | ActivationConfig | ActivationFn | null | undefined): ActivationFn {
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') return registry.get(identifier)({});
  if (typeof identifier === 'object' && typeof identifier.className === 'string') {
    return registry.get(identifier.className)(identifier.config ?? {});
  }
  throw new TypeError(`activation: expected a name, a { className, config } object or a function, got ${JSON.stringify(identifier)}`);
}

/** The Keras name of a named activation (for configs). */
export function kerasName(identifier: string): string {
  return registry.kerasName(identifier);
}
