/**
 * foldBatchNorm: an inference copy of a Sequential model where each batch-norm layer is folded
 * into an adjacent Dense layer. In inference BN is the affine map y = a·x + c per feature, with
 * a = γ/√(σ² + ε) and c = β − μ·a (moving statistics), so
 *   Dense(linear) → BN   becomes Dense with W' = W·diag(a), b' = a·b + c;
 *   BN → Dense           becomes Dense with W' = diag(a)·W, b' = b + c·W.
 * Both are exact; a BN with neither neighbour (e.g. between two activations) is kept.
 */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import * as activations from '../activations/index.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { deserialize } from '../saving/class-registry.js';
import type { Model } from './model.js';
import { Sequential } from './sequential.js';

/** a and c of a built BN layer over the last axis. */
function affineOf(bn: BatchNormalization): { a: Tensor; c: Tensor } {
  const weights = Object.fromEntries(bn.weights.map((w) => [w.name!.split('/').pop()!, w as Tensor]));
  const inv = o.div(1, o.sqrt(o.add(weights.moving_variance, bn.epsilon)));
  const a = weights.gamma ? o.mul(weights.gamma, inv) : inv;
  const c = o.sub(weights.beta ?? o.zerosLike(a), o.mul(weights.moving_mean, a));
  return { a, c };
}

function copyLayer(layer: Layer): Layer {
  const copy = deserialize<Layer>({ className: (layer.constructor as typeof Layer).className, config: layer.getConfig() });
  if (layer.builtInputShape) {
    copy.build(layer.builtInputShape);
    copy.built = true;
    copy.builtInputShape = layer.builtInputShape;
  }
  copy.setWeights(layer.getWeights());
  return copy;
}

/** A Dense equal to `dense` with kernel `w` and bias `b`. */
function denseWith(dense: Dense, w: Tensor, b: Tensor): Dense {
  const config = { ...dense.getConfig(), useBias: true };
  const folded = deserialize<Dense>({ className: 'Dense', config });
  folded.build(dense.builtInputShape!);
  folded.built = true;
  folded.builtInputShape = dense.builtInputShape;
  folded.setWeights([w, b]);
  return folded;
}

const isLinear = (d: Dense): boolean => d.activation === activations.linear;
const foldable = (bn: Layer): bn is BatchNormalization =>
  bn instanceof BatchNormalization && bn.built && (bn.axis === -1 || bn.axis === (bn.builtInputShape?.length ?? 0) - 1);

export function foldBatchNorm(model: Model): Sequential {
  if (!(model instanceof Sequential)) throw new TypeError('foldBatchNorm: only Sequential models are supported');
  if (!model.built) throw new Error(`foldBatchNorm: model '${model.name}' is not built yet (give the first layer an inputShape or run it once)`);
  const source = model.layers;
  const out: Layer[] = [];
  for (let i = 0; i < source.length; i++) {
    const layer = source[i];
    const next = source[i + 1];
    if (layer instanceof Dense && isLinear(layer) && next && foldable(next) && layer.kernel!.rank === 2) {
      // Dense(linear) → BN: scale the kernel's columns
      const { a, c } = affineOf(next);
      const b = layer.bias ? o.add(o.mul(layer.bias, a), c) : c;
      out.push(denseWith(layer, o.mul(layer.kernel!, a), b));
      i++;
    } else if (foldable(layer) && next instanceof Dense && next.builtInputShape?.length === 2) {
      // BN → Dense: scale the kernel's rows, shift the bias
      const { a, c } = affineOf(layer);
      const w = next.kernel!;
      const shift = o.reshape(o.matmul(o.reshape(c, [1, -1]), w), [-1]);
      const b = next.bias ? o.add(next.bias, shift) : shift;
      out.push(denseWith(next, o.mul(w, o.reshape(a, [-1, 1])), b));
      i++;
    } else {
      out.push(copyLayer(layer));
    }
  }
  const folded = new Sequential(out, { name: `${model.name}_folded` });
  if (model.builtInputShape) folded.build(model.builtInputShape);
  return folded;
}
