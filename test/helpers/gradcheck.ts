/**
 * Gradient checking by central differences in float64 (DESIGN.md, testing habits:
 * eps 1e-6, atol 1e-5, rtol 1e-3). Reusable by op, composite and layer tests:
 *
 *   checkGradients((x, w) => gf.matmul(x, w), [x64, w64]);
 *   checkGradients((x, idx) => gf.gather(x, idx), [x64, idx32]);   // int32 inputs are held fixed
 *
 * The analytic side uses the public API: `gf.grad` for scalar outputs, `gf.vjp` with a seeded
 * random upstream gradient `dy` for non-scalar ones. The numeric side perturbs one element at a
 * time and differentiates the scalar Σ f(x)·dy.
 */
import assert from 'node:assert/strict';
import * as gf from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

export interface GradCheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Indices of the inputs to check; default every float input (int32 inputs stay fixed). */
  argnums?: readonly number[];
  /** Upstream gradient for a non-scalar output; default a seeded standard normal draw. */
  dy?: Tensor;
  /** Seed of the random upstream gradient. */
  seed?: number;
  /** Prefix of failure messages (e.g. the op under test). */
  name?: string;
}

export interface GradCheckResult {
  /** Analytic gradients, one per checked input (in `argnums` order). */
  analytic: Tensor[];
  numeric: Float64Array[];
  /** The upstream gradient used (ones for a scalar output). */
  dy: Tensor;
}

type Fn = (...xs: Tensor[]) => Tensor;

/** A float64 standard-normal tensor from its own generator (independent of gf.setSeed). */
export function randn(shape: readonly number[], seed: number, scale = 1, offset = 0): Tensor {
  const rng = new gf.RandomGenerator(seed);
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = offset + scale * rng.normal();
  return new gf.Tensor(data, shape, 'float64');
}

/**
 * Like `randn`, with every value at least `margin` away from each kink in `avoid` (so central
 * differences never straddle a point where the function is not differentiable).
 */
export function randnAwayFrom(shape: readonly number[], seed: number, avoid: readonly number[] = [0], margin = 0.05): Tensor {
  const t = randn(shape, seed);
  for (let i = 0; i < t.size; i++) {
    for (const k of avoid) {
      const d = t.data[i] - k;
      if (Math.abs(d) < margin) t.data[i] = k + (d < 0 ? -margin : margin) * 2;
    }
  }
  return t;
}

/** float64 tensor from nested values. */
export const f64 = (values: gf.NestedArray | number[]): Tensor => gf.tensor(values, undefined, 'float64');

function describeIndex(shape: readonly number[], flatIndex: number): string {
  const idx: number[] = [];
  let r = flatIndex;
  for (let d = shape.length - 1; d >= 0; d--) { idx.unshift(r % shape[d]); r = Math.floor(r / shape[d]); }
  return `[${idx.join(', ')}]`;
}

function dot(y: Tensor, dy: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += y.data[i] * dy.data[i];
  return s;
}

/**
 * Checks the analytic gradients of `fn` at `inputs` against central differences; throws an
 * AssertionError naming the input, the element, and both values. Returns both gradients.
 */
export function checkGradients(fn: Fn, inputs: readonly Tensor[], opts: GradCheckOptions = {}): GradCheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 1234 } = opts;
  const name = opts.name ? `${opts.name}: ` : '';
  const argnums = opts.argnums ?? inputs.flatMap((x, i) => (x.dtype === 'int32' ? [] : [i]));
  for (const i of argnums) {
    assert.equal(inputs[i].dtype, 'float64',
      `${name}gradient checks need float64 inputs; input ${i} is ${inputs[i].dtype}`);
  }
  // Checked inputs become the arguments; the others are held fixed (vjp differentiates all args).
  const call = (checked: readonly Tensor[]): Tensor => {
    const all = inputs.slice();
    argnums.forEach((i, j) => { all[i] = checked[j]; });
    return fn(...all);
  };
  const wrapped: Fn = (...xs) => call(xs);
  const checkedInputs = argnums.map((i) => inputs[i]);

  const y0 = gf.noGrad(() => call(checkedInputs));
  let dy: Tensor;
  let analytic: Tensor[];
  if (y0.size === 1 && opts.dy === undefined) {
    dy = gf.onesLike(y0);
    analytic = gf.grad((...xs) => gf.reshape(wrapped(...xs), []))(...checkedInputs);
  } else {
    dy = opts.dy ?? randn(y0.shape, seed);
    assert.deepEqual(dy.shape, y0.shape, `${name}dy has shape [${dy.shape}], output has [${y0.shape}]`);
    const [value, vjpFn] = gf.vjp(wrapped, ...checkedInputs);
    assert.deepEqual(value.shape, y0.shape, `${name}vjp value shape`);
    analytic = vjpFn(dy);
  }
  assert.equal(analytic.length, argnums.length, `${name}expected ${argnums.length} gradients, got ${analytic.length}`);

  const numeric: Float64Array[] = [];
  const failures: string[] = [];
  argnums.forEach((inputIndex, j) => {
    const x = checkedInputs[j];
    const g = analytic[j];
    assert.deepEqual(g.shape, x.shape, `${name}gradient of input ${inputIndex} has shape [${g.shape}], expected [${x.shape}]`);
    assert.equal(g.dtype, 'float64', `${name}gradient of input ${inputIndex} has dtype ${g.dtype}, expected float64`);
    const probe = x.clone();
    const args = checkedInputs.slice();
    args[j] = probe;
    const num = new Float64Array(x.size);
    for (let k = 0; k < x.size; k++) {
      const v = probe.data[k];
      probe.data[k] = v + eps;
      const fp = dot(gf.noGrad(() => call(args)), dy);
      probe.data[k] = v - eps;
      const fm = dot(gf.noGrad(() => call(args)), dy);
      probe.data[k] = v;
      num[k] = (fp - fm) / (2 * eps);
      const a = g.data[k];
      const ok = Number.isFinite(num[k]) && Math.abs(a - num[k]) <= atol + rtol * Math.abs(num[k]);
      if (!ok) {
        failures.push(`input ${inputIndex} (shape [${x.shape}]) at ${describeIndex(x.shape, k)}: ` +
          `analytic ${a}, numeric ${num[k]}`);
      }
    }
    numeric.push(num);
  });
  if (failures.length) {
    const upstream = y0.size === 1 && opts.dy === undefined ? '' : `, gradients of Σ f·dy for the upstream dy [${dy.shape}]`;
    assert.fail(`${name}gradient check failed for ${failures.length} element(s) (eps ${eps}, atol ${atol}, rtol ${rtol}${upstream}):\n  ` +
      failures.slice(0, 10).join('\n  ') + (failures.length > 10 ? `\n  … ${failures.length - 10} more` : ''));
  }
  return { analytic, numeric, dy };
}
