/**
 * Backend conformance: every op on every registered (available) backend, float32 inputs,
 * compared with the js reference backend computing in float64 on the same (exactly widened)
 * inputs. int32 ops are compared exactly with js in int32. Cases are generated from tables.
 *
 * Tolerance: |got − ref| ≤ 1e-6 + 1e-5·scale, where scale is |ref| for element-wise ops and the
 * same op on |inputs| for sums and matrix products (whose float32 rounding grows with Σ|terms|).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
// node.js = the core plus the native backend when its addon is built, so that 'native' is
// among gf.listBackends() and runs the same tables (without the addon: js and wasm only).
import * as gf from '../src/node.js';
import type { Tensor } from '../src/node.js';
import { getBackendInfo } from '../src/backend/registry.js';
import { assertClose } from './helpers/assert-close.js';
import { on } from './helpers/backends.js';

type Fn = (...xs: Tensor[]) => Tensor;
interface Case {
  name: string;
  inputs: () => Tensor[];
  run: Fn;
  /** The same op on |inputs| (float64), for the relative tolerance of accumulating ops. */
  scale?: Fn;
  /** Exact comparison (integer results, masks, indices, data movement). */
  exact?: boolean;
}

const RTOL = 1e-5, ATOL = 1e-6;

// ---------------------------------------------------------------- inputs (seeded, float32)

let seedCounter = 1;
function rand(shape: readonly number[], opts: { scale?: number; offset?: number; positive?: boolean; awayFromZero?: number; step?: number } = {}): Tensor {
  const rng = new gf.RandomGenerator(seedCounter++);
  const { scale = 1, offset = 0, positive = false, awayFromZero = 0, step = 0 } = opts;
  const data = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) {
    let v = offset + scale * rng.normal();
    if (positive) v = Math.abs(v) + 0.1;
    if (Math.abs(v) < awayFromZero) v = v < 0 ? -awayFromZero : awayFromZero;
    if (step) v = Math.round(v / step) * step;   // creates ties for comparisons / argmax
    data[i] = v;
  }
  return new gf.Tensor(data, shape, 'float32');
}
function randInt(shape: readonly number[], lo: number, hi: number, avoidZero = false): Tensor {
  const rng = new gf.RandomGenerator(seedCounter++);
  const data = new Int32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) {
    let v = lo + rng.int(hi - lo);
    if (avoidZero && v === 0) v = 1;
    data[i] = v;
  }
  return new gf.Tensor(data, shape, 'int32');
}
const absAll = (xs: Tensor[]): Tensor[] => xs.map((x) => (x.dtype === 'int32' ? x : gf.abs(x)));

// ---------------------------------------------------------------- case tables

const cases: Case[] = [];

// unary ops over shapes that stress SIMD tails and empty / rank-0 tensors
const unaryShapes: number[][] = [[], [7], [4, 17], [1037], [0], [2, 0, 3]];
const unaryOps: Array<[string, Fn, Parameters<typeof rand>[1]]> = [
  ['neg', gf.neg, {}], ['exp', gf.exp, { scale: 2 }], ['log', gf.log, { positive: true }],
  ['sqrt', gf.sqrt, { positive: true }], ['abs', gf.abs, {}], ['sign', gf.sign, { step: 0.5 }],
  ['tanh', gf.tanh, { scale: 3 }], ['erf', gf.erf, { scale: 2 }], ['reciprocal', gf.reciprocal, { awayFromZero: 0.1 }],
  ['sigmoid', gf.sigmoid, { scale: 5 }], ['relu', gf.relu, { step: 0.25 }], ['softplus', gf.softplus, { scale: 5 }],
  ['square', gf.square, {}],
];
for (const [name, fn, opts] of unaryOps) {
  for (const shape of unaryShapes) cases.push({ name: `${name} on [${shape}]`, inputs: () => [rand(shape, opts)], run: fn });
}

// binary ops with broadcasting
const shapePairs: Array<[number[], number[], string]> = [
  [[3, 5], [3, 5], 'same shape'], [[4, 5], [5], 'row vector over a matrix'], [[4, 5], [], 'scalar'],
  [[], [4, 5], 'scalar first'], [[4, 5], [4, 1], 'column vector'], [[3, 1, 4], [2, 1], '[3,1,4] with [2,1]'],
  [[1037], [1037], 'long vectors'], [[0, 3], [3], 'empty'],
];
const binaryOps: Array<[string, Fn, Parameters<typeof rand>[1], Parameters<typeof rand>[1], boolean?]> = [
  ['add', gf.add, {}, {}], ['sub', gf.sub, {}, {}], ['mul', gf.mul, {}, {}],
  ['div', gf.div, {}, { awayFromZero: 0.2 }], ['pow', gf.pow, { positive: true }, { scale: 1.5 }],
  ['maximum', gf.maximum, { step: 0.5 }, { step: 0.5 }], ['minimum', gf.minimum, { step: 0.5 }, { step: 0.5 }],
  ['greater', gf.greater, { step: 0.5 }, { step: 0.5 }, true], ['greaterEqual', gf.greaterEqual, { step: 0.5 }, { step: 0.5 }, true],
  ['less', gf.less, { step: 0.5 }, { step: 0.5 }, true], ['lessEqual', gf.lessEqual, { step: 0.5 }, { step: 0.5 }, true],
  ['equal', gf.equal, { step: 0.5 }, { step: 0.5 }, true], ['notEqual', gf.notEqual, { step: 0.5 }, { step: 0.5 }, true],
];
for (const [name, fn, oa, ob, exact] of binaryOps) {
  for (const [sa, sb, label] of shapePairs) {
    cases.push({ name: `${name} of [${sa}] and [${sb}] (${label})`, inputs: () => [rand(sa, oa), rand(sb, ob)], run: fn, exact });
  }
}

// int32 element-wise ops (compared exactly with js int32)
const intOps: Array<[string, Fn]> = [
  ['add', gf.add], ['sub', gf.sub], ['mul', gf.mul], ['div (truncating)', gf.div], ['maximum', gf.maximum],
  ['minimum', gf.minimum], ['greater', gf.greater], ['equal', gf.equal], ['neg', (a) => gf.neg(a)], ['abs', (a) => gf.abs(a)],
];
for (const [name, fn] of intOps) {
  cases.push({ name: `int32 ${name} with broadcasting`, inputs: () => [randInt([4, 5], -9, 10), randInt([5], -9, 10, true)], run: fn, exact: true });
}

// reductions
const reductionAxes: Array<[string, number | number[] | undefined, boolean]> = [
  ['all axes', undefined, false], ['axis 0', 0, false], ['axis -1', -1, false], ['both axes', [0, 1], false],
  ['axis 0 with keepDims', 0, true], ['axis -1 with keepDims', -1, true],
];
const reductionShapes: number[][] = [[4, 5], [3, 1037], [1, 1], [17, 33]];
const reductions: Array<[string, (x: Tensor, ax: number | number[] | undefined, keep: boolean) => Tensor, boolean]> = [
  ['sum', gf.sum, true], ['mean', gf.mean, true], ['max', gf.max, false], ['min', gf.min, false],
];
for (const [name, fn, accumulates] of reductions) {
  for (const shape of reductionShapes) {
    for (const [label, axes, keep] of reductionAxes) {
      cases.push({
        name: `${name} of [${shape}] over ${label}`, inputs: () => [rand(shape)], run: (x) => fn(x, axes, keep),
        scale: accumulates ? (x) => fn(x, axes, keep) : undefined,
      });
    }
  }
}
cases.push({ name: 'sum of [2,3,4] over axes [0, 2]', inputs: () => [rand([2, 3, 4])], run: (x) => gf.sum(x, [0, 2]), scale: (x) => gf.sum(x, [0, 2]) });
cases.push({ name: 'sum of [0, 3] over axis 0', inputs: () => [rand([0, 3])], run: (x) => gf.sum(x, 0) });
for (const op of [gf.argmax, gf.argmin]) {
  for (const axis of [0, -1]) {
    cases.push({ name: `${op === gf.argmax ? 'argmax' : 'argmin'} along axis ${axis} with ties`, inputs: () => [rand([6, 9], { step: 0.5 })],
      run: (x) => op(x, axis), exact: true });
  }
}
for (const [name, fn] of [['softmax', gf.softmax], ['logSoftmax', gf.logSoftmax], ['logSumExp', gf.logSumExp]] as const) {
  cases.push({ name: `${name} over the last axis of [5, 33]`, inputs: () => [rand([5, 33], { scale: 3 })], run: (x) => fn(x) });
}
cases.push({ name: 'variance over axis 0 of [9, 7]', inputs: () => [rand([9, 7])], run: (x) => gf.variance(x, 0) });

// matmul: tiling edges, all transpose combos, batched and broadcast batches
const mkn: Array<[number, number, number]> = [[1, 1, 1], [5, 7, 3], [33, 65, 17], [64, 64, 64], [0, 3, 4], [3, 0, 4], [3, 4, 0], [1, 130, 1]];
const combos: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const operandShape = (rows: number, cols: number, trans: boolean): number[] => (trans ? [cols, rows] : [rows, cols]);
for (const [M, K, N] of mkn) {
  for (const [ta, tb] of combos) {
    cases.push({
      name: `matmul ${M}×${K}×${N} with transA=${ta}, transB=${tb}`,
      inputs: () => [rand(operandShape(M, K, ta)), rand(operandShape(K, N, tb))],
      run: (a, b) => gf.matmul(a, b, ta, tb), scale: (a, b) => gf.matmul(a, b, ta, tb),
    });
  }
}
const batched: Array<[string, number[], number[], boolean, boolean]> = [
  ['batched [3,5,7]·[3,7,4]', [3, 5, 7], [3, 7, 4], false, false],
  ['batched transposed [3,7,5]ᵀ·[3,4,7]ᵀ', [3, 7, 5], [3, 4, 7], true, true],
  ['a 2-D b broadcast over the batch [2,33,17]·[17,9]', [2, 33, 17], [17, 9], false, false],
  ['a 2-D a broadcast over the batch [9,17]·[2,17,33]', [9, 17], [2, 17, 33], false, false],
  ['a batch of 1 broadcast [1,4,6]ᵀ·[3,4,5]', [1, 4, 6], [3, 4, 5], true, false],
];
for (const [name, sa, sb, ta, tb] of batched) {
  cases.push({ name: `matmul ${name}`, inputs: () => [rand(sa), rand(sb)], run: (a, b) => gf.matmul(a, b, ta, tb), scale: (a, b) => gf.matmul(a, b, ta, tb) });
}

// data movement
const movement: Array<[string, () => Tensor[], Fn]> = [
  ['transpose [3,5] by default', () => [rand([3, 5])], (x) => gf.transpose(x)],
  ['transpose [33,65] (blocked path)', () => [rand([33, 65])], (x) => gf.transpose(x)],
  ['transpose [2,3,4] with perm [2,0,1]', () => [rand([2, 3, 4])], (x) => gf.transpose(x, [2, 0, 1])],
  ['transpose [2,3,4,5] with perm [1,3,0,2]', () => [rand([2, 3, 4, 5])], (x) => gf.transpose(x, [1, 3, 0, 2])],
  ['transpose [0,3]', () => [rand([0, 3])], (x) => gf.transpose(x)],
  ['slice [4,5] from [1,2] with size [2,-1]', () => [rand([4, 5])], (x) => gf.slice(x, [1, 2], [2, -1])],
  ['slice [2,3,4] from [0,1,1] with size [2,1,3]', () => [rand([2, 3, 4])], (x) => gf.slice(x, [0, 1, 1], [2, 1, 3])],
  ['pad [2,3] by [1,0] and [2,1]', () => [rand([2, 3])], (x) => gf.pad(x, [1, 0], [2, 1])],
  ['concat of three along axis 0', () => [rand([1, 4]), rand([3, 4]), rand([2, 4])], (a, b, c) => gf.concat([a, b, c], 0)],
  ['concat of three along axis 1', () => [rand([2, 1]), rand([2, 5]), rand([2, 2])], (a, b, c) => gf.concat([a, b, c], 1)],
  ['concat along axis -1 of 3-D', () => [rand([2, 3, 1]), rand([2, 3, 4])], (a, b) => gf.concat([a, b], -1)],
  ['concat of float32 and int32 (promotes)', () => [rand([2, 2]), randInt([2, 2], -5, 5)], (a, b) => gf.concat([a, b], 0)],
  ['gather along axis 0 with repeats', () => [rand([5, 3]), randInt([7], 0, 5)], (x, i) => gf.gather(x, i, 0)],
  ['gather along axis 1 with 2-D indices', () => [rand([4, 6, 2]), randInt([3, 2], 0, 6)], (x, i) => gf.gather(x, i, 1)],
  ['where with a broadcast mask', () => [rand([4, 1], { step: 1 }), rand([4, 5]), rand([5])], (c, a, b) => gf.where(c, a, b)],
  ['where with a scalar branch', () => [rand([3, 4], { step: 1 }), rand([3, 4])], (c, a) => gf.where(c, a, 0)],
  ['broadcastTo [3,1] → [2,3,4]', () => [rand([3, 1])], (x) => gf.broadcastTo(x, [2, 3, 4])],
  ['oneHot of int32 labels', () => [randInt([3, 4], 0, 5)], (l) => gf.oneHot(l, 5)],
  ['cast float32 → int32 (truncates)', () => [rand([1037], { scale: 10 })], (x) => gf.cast(x, 'int32')],
  ['cast float32 → float64', () => [rand([17])], (x) => gf.cast(x, 'float64')],
  ['cast int32 → float32', () => [randInt([17], -100, 100)], (x) => gf.cast(x, 'float32')],
];
for (const [name, inputs, run] of movement) cases.push({ name, inputs, run, exact: true });
// these round (a float32 sum; 0.7 is not a float32), so they get the tolerance
cases.push({ name: 'scatterAdd along axis 0 with repeats', inputs: () => [rand([7, 3]), randInt([7], 0, 4)],
  run: (u, i) => gf.scatterAdd(u, i, 0, [4, 3]), scale: (u, i) => gf.scatterAdd(u, i, 0, [4, 3]) });
cases.push({ name: 'clip to [-0.5, 0.7]', inputs: () => [rand([1037])], run: (x) => gf.clip(x, -0.5, 0.7) });

// ---------------------------------------------------------------- runner


const widen = (xs: Tensor[]): Tensor[] => xs.map((x) => (x.dtype === 'float32' ? gf.cast(x, 'float64') : x));

function check(backend: string, c: Case): void {
  const inputs = c.inputs();
  const got = on(backend, () => c.run(...inputs));
  const js32 = on('js', () => c.run(...inputs));
  assert.deepEqual(got.shape, js32.shape, `shape on ${backend}`);
  assert.equal(got.dtype, js32.dtype, `dtype on ${backend}`);
  if (c.exact) {
    const ref = on('js', () => c.run(...widen(inputs)));
    assertClose(Array.from(got.data), Array.from(ref.data), { message: `${c.name} on ${backend}` });
    return;
  }
  const ref = on('js', () => c.run(...widen(inputs)));
  const scale = c.scale ? on('js', () => c.scale!(...absAll(widen(inputs)))).data : undefined;
  assertClose(Array.from(got.data), Array.from(ref.data), { atol: ATOL, rtol: RTOL, scale, message: `${c.name} on ${backend}` });
}

const backends = gf.listBackends();

test('the js reference backend is registered', () => {
  assert.ok(backends.includes('js'), `registered: ${backends.join(', ')}`);
});

for (const backend of backends) {
  const available = getBackendInfo(backend)?.isAvailable() ?? false;
  describe(`backend '${backend}'`, () => {
    test(available ? 'is available here' : 'reports itself unavailable and setBackend refuses it', () => {
      if (!available) assert.throws(() => gf.setBackend(backend), /not available/);
    });
    if (!available) return;
    for (const c of cases) test(`${c.name} matches the float64 reference`, () => check(backend, c));
    test('setBackend restores the previous backend afterwards', () => {
      const before = gf.getBackend();
      on(backend, () => assert.equal(gf.getBackend(), backend));
      assert.equal(gf.getBackend(), before);
    });
  });
}
