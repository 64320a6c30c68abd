/** wasm element-wise and reduction kernels vs plain loops (and vs the js kernels on edge values). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../src/backend/js/index.js';
import '../src/backend/wasm/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { BinaryOp, TensorInfo, UnaryOp } from '../src/backend/backend.js';

const wasm = kernelsFor('wasm');
const js = kernelsFor('js');

function f32(shape: number[], seed: number, specials = false): TensorInfo {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 31 - 1) * 4;
  }
  if (specials && n > 8) data.set([0, -0, NaN, Infinity, -Infinity, 1, 1, -2], 3);
  return { data, shape, dtype: 'float32' };
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  greater: (a, b) => +(a > b), less: (a, b) => +(a < b), equal: (a, b) => +(a === b),
};

/** Element i of a broadcast operand for the layouts the tests use. */
const at = (x: TensorInfo, i: number, cols: number): number =>
  x.data.length === 1 ? x.data[0] : x.data.length === cols ? x.data[i % cols] : x.data[i];

test('wasm binary ops: same shape, row-vector and scalar broadcasts, odd sizes', () => {
  for (const [M, N] of [[7, 13], [16, 64], [3, 101], [1, 67]]) {
    const a = f32([M, N], 1, true), b = f32([M, N], 2, true);
    const cases: [TensorInfo, TensorInfo][] = [
      [a, b], [a, f32([N], 3)], [f32([N], 4), b], [a, f32([], 5)], [f32([1], 6), b], [a, f32([1, N], 7)],
    ];
    for (const op of Object.keys(BINARY)) {
      for (const [x, y] of cases) {
        const got = wasm.binary(op as BinaryOp, x, y, [M, N], 'float32');
        const want = new Float32Array(M * N).map((_, i) => BINARY[op](at(x, i, N), at(y, i, N)));
        assert.deepEqual(got, want, `${op} ${x.shape} ${y.shape}`);
      }
    }
  }
});

test('wasm binary falls back to js for other broadcasts and dtypes', () => {
  const a = f32([8, 16], 1), col = f32([8, 1], 2);
  assert.deepEqual(wasm.binary('add', a, col, [8, 16], 'float32'), js.binary('add', a, col, [8, 16], 'float32'));
  const d: TensorInfo = { data: Float64Array.from(a.data), shape: [8, 16], dtype: 'float64' };
  const out = wasm.binary('mul', d, d, [8, 16], 'float64');
  assert.ok(out instanceof Float64Array);
  assert.deepEqual(out, js.binary('mul', d, d, [8, 16], 'float64'));
});

test('wasm unary ops match plain loops', () => {
  const fns: Partial<Record<UnaryOp, (x: number) => number>> = {
    neg: (x) => -x, abs: Math.abs, sqrt: Math.sqrt, reciprocal: (x) => 1 / x,
    sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  };
  for (const n of [65, 128, 1003]) {
    const x = f32([n], n, true);
    for (const [op, f] of Object.entries(fns)) {
      assert.deepEqual(wasm.unary(op as UnaryOp, x, 'float32'), x.data.map(f), `${op} n=${n}`);
    }
  }
  const exp = wasm.unary('exp', f32([100], 9), 'float32'); // not in wasm: js fallback
  assert.equal(exp.length, 100);
});

function reduceLoop(op: 'sum' | 'max' | 'min', x: TensorInfo, outer: number, red: number, inner: number): Float32Array {
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      for (let r = 0; r < red; r++) {
        const v = x.data[(o * red + r) * inner + i];
        acc = op === 'sum' ? acc + v : (op === 'max' ? v > acc : v < acc) || Number.isNaN(v) ? v : acc;
      }
      out[o * inner + i] = acc;
    }
  }
  return out;
}

test('wasm reductions over the last axis, the first axis and middle blocks', () => {
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const [M, N] of [[9, 37], [64, 100], [3, 1000], [200, 5]]) {
      const x = f32([M, N], M + N);
      const close = (got: Float32Array, want: Float32Array, what: string) => {
        assert.equal(got.length, want.length);
        for (let i = 0; i < want.length; i++) {
          assert.ok(Math.abs(got[i] - want[i]) <= 1e-5 * Math.max(1, Math.abs(want[i])), `${what} [${i}] ${got[i]} vs ${want[i]}`);
        }
      };
      close(wasm.reduce(op, x, [1]) as Float32Array, reduceLoop(op, x, M, N, 1), `${op} last ${M}x${N}`);
      close(wasm.reduce(op, x, [0]) as Float32Array, reduceLoop(op, x, 1, M, N), `${op} first ${M}x${N}`);
      close(wasm.reduce(op, x, [0, 1]) as Float32Array, reduceLoop(op, x, 1, M * N, 1), `${op} all ${M}x${N}`);
    }
    const x3 = f32([4, 6, 10], 3);
    assert.deepEqual(wasm.reduce(op, x3, [1]), js.reduce(op, x3, [1]), `${op} middle`);
  }
  const nan = f32([4, 32], 11);
  nan.data[40] = NaN;
  assert.ok(Number.isNaN(wasm.reduce('max', nan, [1])[1]));
  assert.ok(Number.isNaN(wasm.reduce('min', nan, [0])[8]));
});
