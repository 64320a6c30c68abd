/** wasm SGEMM vs a float64 triple loop: edge sizes, all transpose forms, batches, fallbacks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../src/backend/js/index.js';
import '../src/backend/wasm/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import { wasmMemoryBytes } from '../src/backend/wasm/index.js';
import type { TensorInfo } from '../src/backend/backend.js';

const wasm = kernelsFor('wasm');

function rand(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/** float64 reference for one (possibly broadcast) batched product. */
function reference(a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): Float64Array {
  const [ba, a1, a2] = a.shape, [bb, b1, b2] = b.shape;
  const M = tA ? a2 : a1, K = tA ? a1 : a2, N = tB ? b1 : b2, batch = Math.max(ba, bb);
  const out = new Float64Array(batch * M * N);
  for (let t = 0; t < batch; t++) {
    const ao = (ba === 1 ? 0 : t) * M * K, bo = (bb === 1 ? 0 : t) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          s += a.data[ao + (tA ? k * M + i : i * K + k)] * b.data[bo + (tB ? j * K + k : k * N + j)];
        }
        out[(t * M + i) * N + j] = s;
      }
    }
  }
  return out;
}

function check(batchA: number, batchB: number, M: number, N: number, K: number, tA: boolean, tB: boolean): void {
  const a: TensorInfo = { data: rand(batchA * M * K, M * 31 + K), shape: tA ? [batchA, K, M] : [batchA, M, K], dtype: 'float32' };
  const b: TensorInfo = { data: rand(batchB * K * N, N * 17 + K), shape: tB ? [batchB, N, K] : [batchB, K, N], dtype: 'float32' };
  const got = wasm.matmul(a, b, tA, tB, 'float32');
  const want = reference(a, b, tA, tB);
  assert.ok(got instanceof Float32Array);
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    // each term is a product of values in [-1, 1): scale the tolerance with √K
    const tol = 1e-5 * Math.max(1, Math.abs(want[i]), Math.sqrt(K));
    if (Math.abs(got[i] - want[i]) > tol) {
      assert.fail(`${batchA}/${batchB}×${M}×${N}×${K} tA=${tA} tB=${tB}: [${i}] ${got[i]} vs ${want[i]}`);
    }
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 8, 1], [33, 65, 17], [5, 9, 300], [8, 16, 4], [17, 3, 513], [130, 70, 260],
];
const COMBOS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

test('wasm matmul matches float64 reference for edge sizes and all transpose forms', () => {
  for (const [M, N, K] of SHAPES) for (const [tA, tB] of COMBOS) check(1, 1, M, N, K, tA, tB);
});

test('wasm matmul handles batches with broadcast batch dims', () => {
  for (const [tA, tB] of COMBOS) {
    check(3, 3, 5, 6, 7, tA, tB);
    check(1, 4, 9, 10, 11, tA, tB);
    check(2, 1, 12, 9, 33, tA, tB);
  }
});

test('wasm matmul with zero-sized dims', () => {
  for (const [M, N, K] of [[0, 3, 4], [3, 0, 4], [3, 4, 0], [0, 0, 0]]) {
    const a: TensorInfo = { data: new Float32Array(M * K), shape: [1, M, K], dtype: 'float32' };
    const b: TensorInfo = { data: new Float32Array(K * N), shape: [1, K, N], dtype: 'float32' };
    const out = wasm.matmul(a, b, false, false, 'float32');
    assert.equal(out.length, M * N);
    assert.ok(out.every((v) => v === 0));
  }
});

test('wasm matmul delegates float64 and int32 to js', () => {
  const a: TensorInfo = { data: new Float64Array([1, 2, 3, 4]), shape: [1, 2, 2], dtype: 'float64' };
  const out = wasm.matmul(a, a, false, false, 'float64');
  assert.ok(out instanceof Float64Array);
  assert.deepEqual([...out], [7, 10, 15, 22]);
  const i: TensorInfo = { data: new Int32Array([1, 2, 3, 4]), shape: [1, 2, 2], dtype: 'int32' };
  assert.deepEqual([...wasm.matmul(i, i, true, false, 'int32')], [10, 14, 14, 20]);
});

test('wasm scratch memory stays flat across repeated calls', () => {
  check(1, 1, 64, 64, 64, false, false);
  const before = wasmMemoryBytes();
  for (let r = 0; r < 20; r++) check(1, 1, 64, 64, 64, r % 2 === 0, r % 3 === 0);
  assert.equal(wasmMemoryBytes(), before);
});
