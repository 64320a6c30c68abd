/**
 * Numeric assertions for tests: element-wise closeness with clear messages (which index,
 * got vs expected), shape and dtype checks. NaN matches NaN; ±Infinity matches itself.
 */
import assert from 'node:assert/strict';
import { Tensor, type DType, type NestedArray } from '../../src/index.js';

export type Numeric = Tensor | number | NestedArray | ArrayLike<number>;

export interface CloseOptions {
  atol?: number;
  rtol?: number;
  /** Per-element scale for the relative part instead of |expected| (e.g. Σ|a||b| for matmul). */
  scale?: ArrayLike<number>;
  message?: string;
}

function shapeOf(x: Numeric): number[] | null {
  if (x instanceof Tensor) return x.shape.slice();
  if (typeof x === 'number') return [];
  if (Array.isArray(x)) {
    const shape: number[] = [];
    let v: unknown = x;
    while (Array.isArray(v)) { shape.push(v.length); v = v[0]; }
    return shape;
  }
  return null; // typed array: shape unknown, compare lengths only
}

export function flat(x: Numeric): number[] {
  if (x instanceof Tensor) return Array.from(x.data);
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return (x as unknown[]).flat(Infinity as 1) as number[];
  return Array.from(x as ArrayLike<number>);
}

function same(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || a === b;
}

/** |actual − expected| ≤ atol + rtol·|expected| element-wise (defaults: exact). */
export function assertClose(actual: Numeric, expected: Numeric, opts: CloseOptions = {}): void {
  const { atol = 0, rtol = 0, scale, message } = opts;
  const where = message ? `${message}: ` : '';
  const sa = shapeOf(actual), se = shapeOf(expected);
  if (sa && se) assert.deepEqual(sa, se, `${where}shape [${sa}] differs from expected [${se}]`);
  const a = flat(actual), e = flat(expected);
  assert.equal(a.length, e.length, `${where}${a.length} values, expected ${e.length}`);
  const bad: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (same(a[i], e[i])) continue;
    const s = scale ? Math.abs(scale[i]) : Math.abs(e[i]);
    const tol = atol + rtol * s;
    if (!(Math.abs(a[i] - e[i]) <= tol)) {
      bad.push(`[${i}] got ${a[i]}, expected ${e[i]} (|diff| ${Math.abs(a[i] - e[i]).toExponential(2)} > tol ${tol.toExponential(2)})`);
    }
  }
  if (bad.length) {
    assert.fail(`${where}${bad.length} of ${a.length} values differ:\n  ${bad.slice(0, 8).join('\n  ')}` +
      (bad.length > 8 ? `\n  … ${bad.length - 8} more` : ''));
  }
}

/** Shape, dtype and exact (or close) values of a tensor. */
export function assertTensor(t: Tensor, expected: { shape?: readonly number[]; dtype?: DType; values?: Numeric },
  opts: CloseOptions = {}): void {
  assert.ok(t instanceof Tensor, `expected a Tensor, got ${String(t)}`);
  if (expected.shape) assert.deepEqual(t.shape, expected.shape, `shape [${t.shape}], expected [${expected.shape}]`);
  if (expected.dtype) assert.equal(t.dtype, expected.dtype, `dtype ${t.dtype}, expected ${expected.dtype}`);
  if (expected.values !== undefined) assertClose(flat(t), flat(expected.values), opts);
}
