/**
 * Runs a model while recording what each leaf layer received and returned. The leaf layers'
 * `call` (or `callMany`) methods are wrapped on the instances for the duration of one forward
 * pass, so Sequential stacks, functional graphs, nested models and subclassed models are all
 * walked the same way, in execution order, by the model's own forward().
 *
 * With `outputGradients`, each layer output y is passed on as y + z where z is a zero leaf that
 * requires gradients: z's gradient after backpropagation is ∂L/∂y (the tape frees intermediate
 * gradients, but keeps the leaves').
 */
import * as o from '../core/ops.js';
import { Tensor } from '../core/tensor.js';
import type { CallOptions, Layer } from '../layers/layer.js';
import { leafLayers } from './layer-info.js';

export interface LayerRecord {
  layer: Layer;
  /** The layer's name, prefixed by its enclosing models' names when nested ('encoder/dense'). */
  path: string;
  /** The tensors the layer's call received (one, or several for merge layers). */
  inputs: Tensor[];
  /** What the layer returned (passed on as `passed`). */
  output: Tensor;
  /** The tensor the next layers received: the output itself, or output + zero leaf. */
  passed: Tensor;
  /** The zero leaf whose gradient is ∂L/∂output, with `outputGradients`. */
  gradientLeaf: Tensor | null;
}

export interface ForwardModel {
  forward(xs: Tensor[], options: CallOptions): Tensor[];
  subLayers(): Layer[];
}

type CallFn = (x: Tensor, options: CallOptions) => Tensor;
type CallManyFn = (xs: Tensor[], options: CallOptions) => Tensor;

/**
 * Wrappers around every leaf layer's call/callMany that record what each layer received and
 * returned while armed, and pass values through otherwise. Installed once per fit (or per
 * inspection), not per sample: changing a layer's methods changes its hidden class, and doing
 * that on every sample would make V8 deoptimize the hot training code each time.
 */
export interface Taps {
  /** Records the next forward pass (first application of each leaf layer) into the returned list. */
  arm(options?: { outputGradients?: boolean }): LayerRecord[];
  /** Stops recording; returns what was recorded (empty when not armed). */
  disarm(): LayerRecord[];
  /** Puts the layers' own methods back (idempotent). */
  remove(): void;
}

export function installTaps(model: ForwardModel): Taps {
  let records: LayerRecord[] | null = null;
  let outputGradients = false;
  const seen = new Set<Layer>();
  const undo: Array<() => void> = [];
  const note = (layer: Layer, path: string, inputs: Tensor[], y: Tensor): Tensor => {
    if (records === null || seen.has(layer)) return y;
    seen.add(layer);
    let passed = y, gradientLeaf: Tensor | null = null;
    if (outputGradients && y.dtype !== 'int32') {
      gradientLeaf = o.zerosLike(y).requireGrad();
      passed = o.add(y, gradientLeaf);
    }
    records.push({ layer, path, inputs, output: y, passed, gradientLeaf });
    return passed;
  };
  for (const { layer, path } of leafLayers(model as unknown as Layer)) {
    const target = layer as unknown as Record<string, unknown>;
    for (const method of ['call', 'callMany'] as const) {
      const original = target[method];
      if (typeof original !== 'function') continue;
      const own = Object.getOwnPropertyDescriptor(target, method);
      target[method] = method === 'call'
        ? function (this: Layer, x: Tensor, opts: CallOptions) { return note(layer, path, [x], (original as CallFn).call(this, x, opts)); }
        : function (this: Layer, x: Tensor[], opts: CallOptions) { return note(layer, path, x, (original as CallManyFn).call(this, x, opts)); };
      undo.push(() => { if (own) Object.defineProperty(target, method, own); else delete target[method]; });
    }
  }
  let removed = false;
  return {
    arm(options = {}) {
      seen.clear();
      outputGradients = options.outputGradients ?? false;
      records = [];
      return records;
    },
    disarm() {
      const out = records ?? [];
      records = null;
      return out;
    },
    remove() {
      if (removed) return;
      removed = true;
      records = null;
      for (const u of undo.reverse()) u();
    },
  };
}

/** One forward pass with every leaf layer's first application recorded (shared layers: the first). */
export function instrumentedForward(model: ForwardModel, xs: Tensor[], options: CallOptions & { outputGradients?: boolean; taps?: Taps }):
  { outputs: Tensor[]; records: LayerRecord[] } {
  const taps = options.taps ?? installTaps(model);
  try {
    const records = taps.arm({ outputGradients: options.outputGradients });
    const outputs = model.forward(xs, { training: options.training ?? false, mcDropout: options.mcDropout });
    return { outputs, records };
  } finally {
    taps.disarm();
    if (!options.taps) taps.remove();
  }
}
