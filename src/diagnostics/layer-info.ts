/**
 * What the detectors need to know about a layer without importing every layer class (classes
 * are recognized by their registered `className`, stable under minification): its activation,
 * the initializer the chapter recommends for it (Table 11-1 of "Training Deep Neural Networks":
 * Glorot for none/tanh/sigmoid/softmax, He for ReLU and its variants, LeCun for SELU), and the
 * variance gain its kernel gives the pre-activations.
 */
import { Tensor } from '../core/tensor.js';
import type { Layer } from '../layers/layer.js';
import type { SaturationKind } from './stats.js';

export function classNameOf(layer: Layer): string {
  return (layer.constructor as typeof Layer).className ?? layer.constructor.name;
}

/** Layers that only rescale or reshape their input: the activation "passes through" them. */
const ACTIVATION_LAYERS: Record<string, string> = {
  LeakyReLU: 'leaky_relu', PReLU: 'prelu', ELU: 'elu', Softmax: 'softmax', RReLU: 'rrelu',
};

/**
 * The Keras name of the layer's activation ('relu', 'sigmoid', 'linear', …), 'custom' for an
 * unnamed function, or null when the layer has no activation (Flatten, Dropout, BN, models).
 */
export function activationOf(layer: Layer): string | null {
  // layers do not change activation: look each one up once (getConfig is not free)
  if (activationCache.has(layer)) return activationCache.get(layer)!;
  const a = lookUpActivation(layer);
  activationCache.set(layer, a);
  return a;
}

const activationCache = new WeakMap<Layer, string | null>();

function lookUpActivation(layer: Layer): string | null {
  const cls = classNameOf(layer);
  if (cls === 'ReLU') {
    const slope = (layer as unknown as { negativeSlope?: number }).negativeSlope ?? 0;
    return slope > 0 ? 'leaky_relu' : 'relu';
  }
  if (cls in ACTIVATION_LAYERS) return ACTIVATION_LAYERS[cls];
  if (!('activation' in layer) && !('fn' in layer)) return null;
  let config: Record<string, unknown>;
  try {
    config = layer.getConfig();
  } catch {
    return 'custom'; // a custom activation function has no config
  }
  const a = config.activation;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && typeof (a as { className?: unknown }).className === 'string') return (a as { className: string }).className;
  return null;
}

export type InitFamily = 'he' | 'lecun' | 'glorot';

const HE = new Set(['relu', 'leaky_relu', 'prelu', 'rrelu', 'elu', 'gelu', 'swish', 'silu', 'mish', 'softplus', 'relu6']);

/** Table 11-1: the initialization the chapter pairs with an activation. */
export function recommendedInit(activation: string | null): InitFamily {
  if (activation === 'selu') return 'lecun';
  if (activation !== null && HE.has(activation)) return 'he';
  return 'glorot';
}

export const INIT_NAMES: Record<InitFamily, string> = { he: 'he_normal', lecun: 'lecun_normal', glorot: 'glorot_uniform' };

/**
 * Layers that pass values through unchanged in inference mode (the Monitor skips their
 * statistics: they repeat their input's).
 */
export const IDENTITY_AT_INFERENCE = new Set(['Flatten', 'Reshape', 'Dropout', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise']);

/** Activations that output exact zeros for a whole half-line (units can die). */
export function canDie(activation: string | null): boolean {
  return activation === 'relu' || activation === 'relu6';
}

export function saturationOf(activation: string | null): SaturationKind {
  if (activation === 'sigmoid' || activation === 'hard_sigmoid') return 'sigmoid';
  if (activation === 'tanh' || activation === 'softsign') return 'tanh';
  return null;
}

/** Non-saturating activations the chapter suggests instead of sigmoid/tanh. */
export const NON_SATURATING = 'ReLU (he_normal), ELU/GELU/Swish (he_normal) or SELU (lecun_normal)';

/** The layer's kernel (Dense and, later, convolutions), or null. */
export function kernelOf(layer: Layer): Tensor | null {
  const k = (layer as unknown as { kernel?: unknown }).kernel;
  return k instanceof Tensor && k.rank >= 2 ? k : null;
}

/** Keras' computeFans: a kernel [..., fanInChannels, fanOutChannels] with a receptive field. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
}

export interface InitCheck {
  /** fanIn · mean(W²): the factor by which the kernel scales E[x²] into Var(pre-activation). */
  gain: number;
  /** The gain of the recommended initializer: 2 (He), 1 (LeCun), 2·fanIn/(fanIn+fanOut) (Glorot). */
  expected: number;
  /** gain / expected. */
  ratio: number;
  /** The activation the check assumed (the layer's own, or the next layer's when this one is linear). */
  activation: string | null;
  recommended: InitFamily;
  /** The configured kernel initializer's class name, when known. */
  initializer: string | null;
}

/** The variance gain of a kernel against the recommendation for `activation`. */
export function initCheck(layer: Layer, kernel: Tensor, activation: string | null): InitCheck {
  const { fanIn, fanOut } = fans(kernel.shape);
  const d = kernel.data;
  let sq = 0;
  for (let i = 0; i < d.length; i++) sq += d[i] * d[i];
  const gain = fanIn * (d.length ? sq / d.length : 0);
  const recommended = recommendedInit(activation);
  const expected = recommended === 'he' ? 2 : recommended === 'lecun' ? 1 : (2 * fanIn) / (fanIn + fanOut);
  return { gain, expected, ratio: gain / expected, activation, recommended, initializer: initializerName(layer) };
}

/** The class name of the layer's kernel initializer ('HeNormal', 'RandomNormal', …), or null. */
export function initializerName(layer: Layer): string | null {
  const init = (layer as unknown as { kernelInitializer?: { constructor: { className?: string } } }).kernelInitializer;
  return init?.constructor?.className ?? null;
}

/** LeCun normal, as Keras' LecunNormal or an equivalent VarianceScaling(1, fan_in, normal). */
export function isLecunNormal(layer: Layer): boolean {
  const init = (layer as unknown as { kernelInitializer?: { constructor: { className?: string }; scale?: number; mode?: string; distribution?: string } }).kernelInitializer;
  const cls = init?.constructor?.className;
  if (cls === 'LecunNormal') return true;
  return cls === 'VarianceScaling' && init!.scale === 1 && init!.mode === 'fan_in' && init!.distribution !== 'uniform';
}

/** Whether any of the layer's weights or outputs carry an l1/l2 penalty. */
export function hasRegularizer(layer: Layer): boolean {
  const l = layer as unknown as Record<string, unknown>;
  return ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'gammaRegularizer', 'betaRegularizer', 'alphaRegularizer']
    .some((k) => l[k] !== null && l[k] !== undefined);
}

/** Leaf layers (models and other containers expanded, input layers dropped) with their paths. */
export function leafLayers(root: Layer): Array<{ layer: Layer; path: string }> {
  const out: Array<{ layer: Layer; path: string }> = [];
  const seen = new Set<Layer>();
  const stack: Array<{ layer: Layer; prefix: string }> = root.subLayers().slice().reverse().map((layer) => ({ layer, prefix: '' }));
  while (stack.length) {
    const { layer, prefix } = stack.pop()!;
    if (seen.has(layer) || classNameOf(layer) === 'InputLayer') continue;
    seen.add(layer);
    const children = layer.subLayers();
    if (children.length) {
      for (const c of children.slice().reverse()) stack.push({ layer: c, prefix: `${prefix}${layer.name}/` });
    } else {
      out.push({ layer, path: `${prefix}${layer.name}` });
    }
  }
  return out;
}
