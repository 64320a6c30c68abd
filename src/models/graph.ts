/**
 * The graph of a functional model: its symbolic inputs and outputs, the layers in topological
 * order, and execution on concrete tensors (a map from symbolic to concrete, filled in order).
 */
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { InputLayer } from '../layers/input-layer.js';
import type { CallOptions, Layer, LayerConfig, LayerShape } from '../layers/layer.js';
import { deserialize } from '../saving/class-registry.js';
import { SymbolicTensor, topologicalOrder } from '../layers/symbolic.js';

export interface GraphConfig {
  layers: Array<{ className: string; config: LayerConfig }>;
  nodes: Array<{ layer: number; inputs: number[] }>;
  inputs: number[];
  outputs: number[];
}

export class Graph {
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Symbolic tensors in execution order. */
  private readonly order: SymbolicTensor[];
  /** Unique layers in execution order (input layers first, as Keras' model.layers). */
  readonly layers: Layer[];

  constructor(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[], modelName: string) {
    this.inputs = Array.isArray(inputs) ? inputs.slice() : [inputs];
    this.outputs = Array.isArray(outputs) ? outputs.slice() : [outputs];
    for (const [what, list] of [['inputs', this.inputs], ['outputs', this.outputs]] as const) {
      if (list.length === 0 || list.some((t) => !(t instanceof SymbolicTensor))) {
        throw new TypeError(`Model '${modelName}': ${what} must be symbolic tensors from gf.input() and layer applications`);
      }
    }
    for (const t of this.inputs) {
      if (!(t.layer instanceof InputLayer)) {
        throw new TypeError(`Model '${modelName}': input '${t.name}' is not a graph input; create inputs with gf.input(shape)`);
      }
    }
    this.order = topologicalOrder(this.outputs);
    for (const t of this.order) {
      if (t.layer instanceof InputLayer && !this.inputs.includes(t)) {
        throw new Error(`Model '${modelName}': output depends on input '${t.name}', which is not among the model's inputs`);
      }
    }
    const layers: Layer[] = [];
    for (const t of [...this.inputs, ...this.order]) if (!layers.includes(t.layer)) layers.push(t.layer);
    const names = new Set<string>();
    for (const l of layers) {
      if (names.has(l.name)) throw new Error(`Model '${modelName}': two layers are named '${l.name}'; layer names must be unique`);
      names.add(l.name);
    }
    this.layers = layers;
  }

  get outputNames(): string[] {
    return this.outputs.map((t) => t.layer.name);
  }

  get inputNames(): string[] {
    return this.inputs.map((t) => t.layer.name);
  }

  /** Runs the graph on concrete inputs (one per graph input, in order). */
  run(xs: readonly Tensor[], options: CallOptions): Tensor[] {
    if (xs.length !== this.inputs.length) {
      throw new RangeError(`model expects ${this.inputs.length} input(s) (${this.inputNames.join(', ')}), got ${xs.length}`);
    }
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => {
      const x = xs[i];
      const expected = t.shape;
      if (x.rank !== expected.length || expected.some((d, j) => d !== null && d !== x.shape[j])) {
        throw new RangeError(`input '${t.name}': expected shape (${expected.map((d) => d ?? 'None').join(', ')}), got ${formatShape(x.shape)}`);
      }
      values.set(t, x);
    });
    for (const t of this.order) {
      if (values.has(t)) continue;
      const args = t.inputs.map((s) => values.get(s)!);
      values.set(t, t.layer.callMany ? t.layer.apply(args, options) : t.layer.apply(args[0], options));
    }
    return this.outputs.map((t) => values.get(t)!);
  }

  /**
   * The graph as plain data: layer configs, and nodes (one per layer application, in
   * execution order) referring to layers and to earlier nodes by index.
   */
  toConfig(): GraphConfig {
    const nodes = [...new Set([...this.inputs, ...this.order])];
    const index = new Map(nodes.map((t, i) => [t, i]));
    return {
      layers: this.layers.map((l) => ({ className: (l.constructor as typeof Layer).className, config: l.getConfig() })),
      nodes: nodes.map((t) => ({ layer: this.layers.indexOf(t.layer), inputs: t.inputs.map((s) => index.get(s)!) })),
      inputs: this.inputs.map((t) => index.get(t)!),
      outputs: this.outputs.map((t) => index.get(t)!),
    };
  }

  /** Rebuilds the symbolic graph (fresh layers) from `toConfig()` output. */
  static fromConfig(config: GraphConfig): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
    const layers = config.layers.map((spec) => deserialize<Layer>(spec));
    const values: SymbolicTensor[] = [];
    for (const node of config.nodes) {
      const layer = layers[node.layer];
      if (!layer) throw new Error(`model config: node refers to missing layer ${node.layer}`);
      if (layer instanceof InputLayer) {
        values.push(new SymbolicTensor(layer.batchInputShape!, layer.dtype, layer, [], layer.name));
      } else {
        const args = node.inputs.map((i) => values[i]);
        if (args.some((a) => a === undefined)) throw new Error(`model config: layer '${layer.name}' refers to a node defined after it`);
        values.push(layer.callMany ? layer.apply(args) : layer.apply(args[0]));
      }
    }
    return { inputs: config.inputs.map((i) => values[i]), outputs: config.outputs.map((i) => values[i]) };
  }

  /** Layers with the output shape of their (first) application, for the summary. */
  summaryRows(): Array<{ layer: Layer; outputShape: LayerShape | null }> {
    const seen = new Set<Layer>();
    const rows: Array<{ layer: Layer; outputShape: LayerShape | null }> = [];
    for (const t of [...this.inputs, ...this.order]) {
      if (seen.has(t.layer)) continue;
      seen.add(t.layer);
      rows.push({ layer: t.layer, outputShape: t.shape });
    }
    return rows;
  }
}
