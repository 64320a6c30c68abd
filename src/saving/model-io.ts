/**
 * Model files: one safetensors file holding the weights (and the optimizer's state when the
 * model is compiled), with the architecture, compile settings and optimizer config as JSON in
 * the `__metadata__` header. `modelToBytes` / `modelFromBytes` are browser-safe; `save` /
 * `loadModel` (files.ts) add atomic file writes for Node.
 */
import type { Tensor } from '../core/tensor.js';
import type { Layer } from '../layers/layer.js';
import type { Model } from '../models/model.js';
import * as optimizers from '../optimizers/index.js';
import { deserialize } from './class-registry.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

const FORMAT = 'gradflow-model';
const VERSION = '1';

/** Stable, readable tensor keys: the weight names, suffixed where two collide. */
function weightKeys(model: Model): string[] {
  const seen = new Map<string, number>();
  return model.weights.map((w) => {
    const base = w.name ?? 'weight';
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}#${n}`;
  });
}

export function modelToBytes(model: Model): Uint8Array {
  const tensors = new Map<string, Tensor>();
  const keys = weightKeys(model);
  model.weights.forEach((w, i) => tensors.set(keys[i], w));
  const metadata: Record<string, string> = {
    format: FORMAT,
    version: VERSION,
    model: JSON.stringify({ className: (model.constructor as typeof Layer).className, config: model.getConfig() }),
    weights: JSON.stringify(keys),
  };
  const optimizer = model.optimizer;
  if (optimizer) {
    metadata.optimizer = JSON.stringify({
      className: (optimizer.constructor as typeof optimizers.Optimizer).className,
      config: optimizer.getConfig(),
      iterations: optimizer.iterations,
    });
    model.weights.forEach((w, i) => {
      for (const [slot, value] of Object.entries(optimizer.slotsOf(w))) tensors.set(`optimizer/${slot}/${keys[i]}`, value);
    });
  }
  const compileConfig = model.compileConfig();
  if (compileConfig) metadata.compile = JSON.stringify(compileConfig);
  return encodeSafetensors(tensors, metadata);
}

/** Rebuilds a model (architecture, weights, and optimizer state when saved compiled). */
export function modelFromBytes(bytes: Uint8Array, source = 'model data'): Model {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (metadata.format !== FORMAT) {
    throw new Error(`${source}: not a gradflow model file (metadata format is ${JSON.stringify(metadata.format)}, expected '${FORMAT}')`);
  }
  if (metadata.version !== VERSION) throw new Error(`${source}: unsupported model file version ${metadata.version} (this gradflow reads ${VERSION})`);
  const parse = (key: string): any => {
    try { return JSON.parse(metadata[key]); } catch { throw new Error(`${source}: corrupt '${key}' entry in the metadata`); }
  };
  const model = deserialize<Model>(parse('model'));
  const keys: string[] = parse('weights');
  const weights = model.weights;
  if (keys.length !== weights.length) {
    throw new Error(`${source}: the file has ${keys.length} weights, but its architecture builds ${weights.length}`);
  }
  weights.forEach((w, i) => {
    const t = tensors.get(keys[i]);
    if (!t) throw new Error(`${source}: weight '${keys[i]}' is missing from the file`);
    if (t.shape.join() !== w.shape.join() || t.dtype !== w.dtype) {
      throw new Error(`${source}: weight '${keys[i]}' has ${t.dtype} [${t.shape.join(', ')}], the model expects ${w.dtype} [${w.shape.join(', ')}]`);
    }
    w.assign(t);
  });
  if (metadata.compile) {
    const compile = parse('compile');
    const spec = metadata.optimizer ? parse('optimizer') : null;
    model.compile({ ...compile, optimizer: spec ? optimizers.get({ className: spec.className, config: spec.config }) : 'sgd' });
    if (spec) {
      const optimizer = model.optimizer!;
      optimizer.iterations = spec.iterations ?? 0;
      weights.forEach((w, i) => {
        const slots: Record<string, Tensor> = {};
        const suffix = `/${keys[i]}`;
        for (const [name, t] of tensors) {
          if (name.startsWith('optimizer/') && name.endsWith(suffix)) slots[name.slice('optimizer/'.length, -suffix.length)] = t;
        }
        if (Object.keys(slots).length) optimizer.restoreSlots(w, slots);
      });
    }
  }
  return model;
}
