/**
 * Symbolic tensors for the functional API: `gf.input(shape)` starts a graph, and applying a
 * layer to symbolic tensors records a node (layer + its symbolic inputs) instead of computing.
 * Nodes live on the symbolic tensors, not on the layers, so one layer applied twice shares its
 * weights across both applications, as in Keras.
 */
import type { DType } from '../core/dtype.js';
import type { Layer, LayerShape } from './layer.js';

export class SymbolicTensor {
  constructor(
    /** Shape with `null` for the batch dimension. */
    readonly shape: LayerShape,
    readonly dtype: DType,
    /** The layer that produces this tensor (an InputLayer for graph inputs). */
    readonly layer: Layer,
    /** The symbolic inputs of that application (empty for graph inputs). */
    readonly inputs: readonly SymbolicTensor[],
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor(${this.name}, shape=(${this.shape.map((d) => d ?? 'None').join(', ')}))`;
  }
}

export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor));
}

/** Symbolic tensors reachable from `outputs`, inputs before the tensors that use them (iterative). */
export function topologicalOrder(outputs: readonly SymbolicTensor[]): SymbolicTensor[] {
  const order: SymbolicTensor[] = [];
  const visited = new Set<SymbolicTensor>();
  const stack: Array<[SymbolicTensor, number]> = [];
  for (const out of outputs) {
    if (visited.has(out)) continue;
    visited.add(out);
    stack.push([out, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [t, next] = top;
      if (next < t.inputs.length) {
        top[1] = next + 1;
        const child = t.inputs[next];
        if (!visited.has(child)) { visited.add(child); stack.push([child, 0]); }
      } else {
        stack.pop();
        order.push(t);
      }
    }
  }
  return order;
}
