/**
 * Reverse-mode automatic differentiation on a tape of primitive ops (define-by-run).
 *
 * Each primitive records a TapeNode on its output when grad mode is on and an input requires
 * gradients. Backward: an iterative depth-first topological sort from the root (explicit
 * stack: a 100-layer network or a 2,000-op chain must not overflow the JS stack), then the
 * VJP rule of each node in reverse order. Gradients accumulate (+=) where a tensor is used
 * more than once. The backward pass itself runs with grad mode off.
 */
import { formatShape, shapesEqual } from './shape.js';
import type { PrimitiveOp, OpAttrs } from './primitives.js';
import { Tensor } from './tensor.js';
import { vjpRules } from './vjp-rules.js';
import * as ops from './ops.js';

export interface TapeNode<K extends PrimitiveOp = PrimitiveOp> {
  readonly op: K;
  readonly inputs: readonly Tensor[];
  readonly attrs: OpAttrs[K];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording on the tape (inference, optimizer updates, metrics). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Called by every primitive after computing `output`: attaches the tape node when needed. */
/** Ops whose outputs carry no gradient: their results never join the tape. */
const NON_DIFFERENTIABLE: ReadonlySet<PrimitiveOp> = new Set<PrimitiveOp>([
  'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'argmax', 'argmin', 'oneHot', 'sign', 'stopGradient',
]);

export function record<K extends PrimitiveOp>(op: K, inputs: readonly Tensor[], output: Tensor, attrs: OpAttrs[K]): Tensor {
  if (!gradEnabled || output.dtype === 'int32' || NON_DIFFERENTIABLE.has(op)) return output;
  for (const x of inputs) {
    if (x.requiresGrad) {
      output.requiresGrad = true;
      output.node = { op, inputs, attrs } as TapeNode;
      return output;
    }
  }
  return output;
}

/** Nodes reachable from `root` that need gradients, in topological order (inputs first). */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<[Tensor, number]> = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    const inputs = t.node ? t.node.inputs : [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = inputs[next];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Gradients of `root` with respect to every tensor on its tape, given the upstream gradient
 * `dy` (ones for a scalar root). Returns the map tensor → gradient.
 */
export function backpropagate(root: Tensor, dy?: Tensor): Map<Tensor, Tensor> {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not depend on any tensor that requires gradients' +
      ' (mark inputs with requireGrad(), or use gf.grad(f))');
  }
  let seed: Tensor;
  if (dy === undefined) {
    if (root.size !== 1) {
      throw new RangeError(`backward: the output has shape ${formatShape(root.shape)}; ` +
        'a non-scalar output needs an upstream gradient of the same shape');
    }
    seed = ops.onesLike(root);
  } else {
    if (!shapesEqual(dy.shape, root.shape)) {
      throw new RangeError(`backward: upstream gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(root.shape)}`);
    }
    seed = dy.dtype === root.dtype ? dy : ops.cast(dy, root.dtype);
  }
  return noGrad(() => {
    const order = topologicalOrder(root);
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const node = t.node;
      const g = grads.get(t);
      if (!node || !g) continue;
      const rule = vjpRules[node.op] as (dy: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: unknown,
        needs: readonly boolean[]) => (Tensor | null)[];
      const inputGrads = rule(g, node.inputs, t, node.attrs, node.inputs.map((x) => x.requiresGrad));
      for (let j = 0; j < node.inputs.length; j++) {
        const x = node.inputs[j];
        const gx = inputGrads[j];
        if (!gx || !x.requiresGrad) continue;
        if (!shapesEqual(gx.shape, x.shape)) {
          throw new Error(`internal: gradient of '${node.op}' input ${j} has shape ${formatShape(gx.shape)}, expected ${formatShape(x.shape)}`);
        }
        const prev = grads.get(x);
        grads.set(x, prev ? ops.add(prev, gx) : gx);
      }
      // free intermediate gradients early: a long chain keeps memory flat
      if (t !== root && t.node) grads.delete(t);
    }
    return grads;
  });
}

/** `tensor.backward()`: accumulates into `.grad` of the leaves that require gradients. */
export function backward(root: Tensor, dy?: Tensor): void {
  const grads = backpropagate(root, dy);
  for (const [t, g] of grads) {
    if (t.node || !t.requiresGrad) continue;
    // NOTE: a fresh copy on first store: gradients of several leaves (add, reshape) and the
    // caller's dy can share one array, and optimizers or clipping may modify .grad in place.
    const cast = g.dtype === t.dtype ? g : ops.cast(g, t.dtype);
    t.grad = t.grad ? noGrad(() => ops.add(t.grad!, cast)) : new Tensor(cast.data.slice(), cast.shape, cast.dtype);
  }
}

type Fn = (...args: Tensor[]) => Tensor;

function traced(fn: Fn, args: readonly unknown[], argnums: readonly number[] | undefined): {
  inputs: Tensor[]; value: Tensor; targets: number[];
} {
  const inputs = args.map((a, i) => {
    if (!(a instanceof Tensor)) throw new TypeError(`grad: argument ${i} must be a Tensor, got ${typeof a}`);
    return a;
  });
  // without argnums, every float argument is differentiated (int32 ones, e.g. labels, are held fixed)
  const targets = argnums ? argnums.slice() : inputs.flatMap((x, i) => (x.dtype === 'int32' ? [] : [i]));
  for (const i of targets) {
    if (i < 0 || i >= inputs.length) throw new RangeError(`grad: argnums contains ${i}, but the function got ${inputs.length} arguments`);
  }
  // fresh leaves sharing data: the caller's tensors and their .grad stay untouched
  const leaves = inputs.map((x, i) => {
    if (!targets.includes(i)) return x;
    const leaf = new Tensor(x.data, x.shape, x.dtype);
    return leaf.requireGrad();
  });
  const value = gradEnabled ? fn(...leaves) : (() => { throw new Error('grad: cannot differentiate inside noGrad()'); })();
  if (!(value instanceof Tensor)) throw new TypeError('grad: the function must return a Tensor');
  return { inputs: leaves, value, targets };
}

function gradsOf(inputs: Tensor[], value: Tensor, targets: number[], dy?: Tensor): Tensor[] {
  const grads = value.requiresGrad ? backpropagate(value, dy) : new Map<Tensor, Tensor>();
  return targets.map((i) => grads.get(inputs[i]) ?? ops.zerosLike(inputs[i]));
}

/**
 * `gf.grad(f)` returns a function computing the gradients of the scalar-valued `f` with
 * respect to its tensor arguments (all of them, or those in `argnums`).
 */
export function grad(fn: Fn, argnums?: readonly number[]): (...args: Tensor[]) => Tensor[] {
  return (...args) => {
    const { inputs, value, targets } = traced(fn, args, argnums);
    return gradsOf(inputs, value, targets);
  };
}

/** Like `grad`, also returning the value: `[value, grads]`. */
export function valueAndGrad(fn: Fn, argnums?: readonly number[]): (...args: Tensor[]) => [Tensor, Tensor[]] {
  return (...args) => {
    const { inputs, value, targets } = traced(fn, args, argnums);
    return [value, gradsOf(inputs, value, targets)];
  };
}

/**
 * Vector-Jacobian product of a (possibly non-scalar) function: returns `[value, vjpFn]` where
 * `vjpFn(dy)` gives the gradients for the upstream gradient `dy`.
 */
export function vjp(fn: Fn, ...args: Tensor[]): [Tensor, (dy: Tensor) => Tensor[]] {
  const { inputs, value, targets } = traced(fn, args, undefined);
  return [value, (dy: Tensor) => gradsOf(inputs, value, targets, dy)];
}
