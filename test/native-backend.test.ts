/**
 * The `native` backend (N-API + CBLAS), beyond the shared conformance tables (which run on it
 * through test/conformance.test.ts): GEMM in every transpose form at training sizes and the
 * batched single-GEMM path against the float64 js reference, float64 DGEMM, the js NaN / ±0
 * conventions of the element-wise kernels, thread control, backendInfo, and a training run
 * that matches the wasm backend. Skipped where the addon is not built (no compiler or BLAS).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import type { Tensor } from '../src/node.js';
import { kernelOwner, kernelsFor as kernelsOf } from '../src/backend/registry.js';
import { assertClose } from './helpers/assert-close.js';
import { on } from './helpers/backends.js';
import { loadAddon } from '../src/backend/native/addon.js';

const hasNative = gf.listBackends().includes('native');
const skip = hasNative ? false : `addon not built (${gf.nativeLoadError() ?? 'unknown'})`;


let seed = 100;
function rand(shape: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const rng = new gf.RandomGenerator(seed++);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return new gf.Tensor(data, shape, dtype);
}
const f64 = (x: Tensor): Tensor => (x.dtype === 'float64' ? x : gf.cast(x, 'float64'));

/** Runs fn, then gives gf its thread count back (the native pool belongs to the whole process). */
async function keepingThreads<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = gf.getNumThreads();
  try {
    return await fn();
  } finally {
    gf.setNumThreads(before);
  }
}

/** native result vs js in float64 on the same inputs; tolerance scaled by |a|·|b|. */
function checkMatmul(a: Tensor, b: Tensor, ta: boolean, tb: boolean, rtol: number, label: string): void {
  const got = on('native', () => gf.matmul(a, b, ta, tb));
  const ref = on('js', () => gf.matmul(f64(a), f64(b), ta, tb));
  const scale = on('js', () => gf.matmul(gf.abs(f64(a)), gf.abs(f64(b)), ta, tb));
  assert.deepEqual(got.shape, ref.shape, label);
  assert.equal(got.dtype, a.dtype, label);
  assertClose(Array.from(got.data), Array.from(ref.data), { atol: 1e-6, rtol, scale: scale.data, message: label });
}

describe('native backend', { skip }, () => {
  test('is the default backend when the addon loads, and owns matmul and the hot kernels', () => {
    if (process.env.GRADFLOW_NATIVE === '0') return;
    assert.equal(gf.getBackend(), 'native');
    for (const k of ['matmul', 'binary', 'unary', 'reduce'] as const) assert.equal(kernelOwner(k, 'native'), 'native', k);
    assert.equal(kernelOwner('gather', 'native'), 'js');
  });

  const forms: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
  for (const [M, K, N] of [[32, 784, 300], [67, 129, 45], [1, 300, 1]] as const) {
    for (const [ta, tb] of forms) {
      test(`float32 matmul ${M}×${K}×${N}, transA=${ta}, transB=${tb}, matches the float64 reference`, () => {
        const a = rand(ta ? [K, M] : [M, K]), b = rand(tb ? [N, K] : [K, N]);
        checkMatmul(a, b, ta, tb, 1e-5, `${M}×${K}×${N} ${ta} ${tb}`);
      });
    }
  }

  test('batched matmul: a stack of A times one B (one GEMM), broadcast A, and a per-batch B', () => {
    for (const [sa, sb, ta, tb] of [
      [[4, 9, 13], [13, 6], false, false], [[4, 9, 13], [6, 13], false, true],
      [[4, 13, 9], [13, 6], true, false], [[9, 13], [4, 13, 6], false, false],
      [[3, 9, 13], [3, 6, 13], false, true], [[1, 13, 9], [3, 6, 13], true, true],
    ] as Array<[number[], number[], boolean, boolean]>) {
      checkMatmul(rand(sa), rand(sb), ta, tb, 1e-5, `[${sa}]·[${sb}] ${ta} ${tb}`);
    }
  });

  test('float64 matmul runs DGEMM with float64 accuracy in every transpose form', () => {
    for (const [ta, tb] of forms) checkMatmul(rand(ta ? [40, 33] : [33, 40], 'float64'), rand(tb ? [21, 40] : [40, 21], 'float64'), ta, tb, 1e-13, `f64 ${ta} ${tb}`);
  });

  test('int32 and mixed-size edge cases fall back or return zeros', () => {
    const ai = new gf.Tensor(new Int32Array([1, 2, 3, 4]), [2, 2], 'int32');
    assert.deepEqual(Array.from(on('native', () => gf.matmul(ai, ai)).data), [7, 10, 15, 22]);
    assert.deepEqual(Array.from(on('native', () => gf.matmul(rand([3, 0]), rand([0, 4]))).data), new Array(12).fill(0));
    assert.deepEqual(on('native', () => gf.matmul(rand([0, 5]), rand([5, 4]))).shape, [0, 4]);
  });

  test('element-wise kernels keep the js conventions for NaN, ±0 and broadcasting (bit for bit)', () => {
    const special = [NaN, -0, 0, 1, -1, Infinity, -Infinity, 2.5, -2.5];
    const n = 9 * 16;
    const a = new Float32Array(n), b = new Float32Array(n);
    for (let i = 0; i < n; i++) { a[i] = special[i % 9]; b[i] = special[Math.floor(i / 9) % 9]; }
    const A = new gf.Tensor(a, [16, 9]), B = new gf.Tensor(b, [16, 9]), row = new gf.Tensor(a.slice(0, 9), [9]);
    const ops: Array<[string, (x: Tensor, y: Tensor) => Tensor]> = [
      ['add', gf.add], ['sub', gf.sub], ['mul', gf.mul], ['div', gf.div], ['maximum', gf.maximum], ['minimum', gf.minimum],
      ['greater', gf.greater], ['lessEqual', gf.lessEqual], ['equal', gf.equal], ['notEqual', gf.notEqual],
    ];
    const same = (x: Tensor, y: Tensor, label: string): void => {
      assert.deepEqual(x.shape, y.shape, label);
      const xs = Array.from(x.data), ys = Array.from(y.data);
      for (let i = 0; i < xs.length; i++) assert.ok(Object.is(xs[i], ys[i]), `${label} at ${i}: ${xs[i]} vs ${ys[i]}`);
    };
    for (const [name, f] of ops) {
      same(on('native', () => f(A, B)), on('js', () => f(A, B)), name);
      same(on('native', () => f(A, row)), on('js', () => f(A, row)), `${name} with a row`);
      same(on('native', () => f(gf.scalar(-0), B)), on('js', () => f(gf.scalar(-0), B)), `${name} with a scalar`);
    }
    for (const [name, f] of [['relu', gf.relu], ['neg', gf.neg], ['abs', gf.abs], ['sign', gf.sign], ['sqrt', gf.sqrt]] as const) {
      same(on('native', () => f(A)), on('js', () => f(A)), name);
    }
    for (const axis of [0, 1]) {
      for (const [name, f] of [['max', gf.max], ['min', gf.min]] as const) {
        same(on('native', () => f(A, axis)), on('js', () => f(A, axis)), `${name} over axis ${axis}`);
      }
    }
  });

  test('max/min over a long last axis keep the first of tied zeros, as js', () => {
    const row = new Float32Array(40).fill(-1);
    row[1] = 0; row[8] = -0; row[30] = 0;
    const x = new gf.Tensor(row, [1, 40]);
    assert.ok(Object.is(on('native', () => gf.max(x, 1)).data[0], 0));
    const neg = row.map((v) => (v === 0 ? v : 1));
    neg[1] = -0; neg[8] = 0;
    assert.ok(Object.is(on('native', () => gf.min(new gf.Tensor(neg, [1, 40]), 1)).data[0], -0));
  });

  test('sums accumulate in float64 like the reference (a column sum of 10,001 rows)', () => {
    const x = rand([10_001, 7]);
    const got = on('native', () => gf.sum(x, 0));
    const ref = on('js', () => gf.sum(f64(x), 0));
    assertClose(Array.from(got.data), Array.from(ref.data), { atol: 1e-4, rtol: 1e-6 });
    const rows = on('native', () => gf.sum(x, 1));
    assertClose(Array.from(rows.data), Array.from(on('js', () => gf.sum(f64(x), 1)).data), { atol: 1e-6, rtol: 1e-6 });
  });

  test('gf.setNumThreads: products split over gradflow\'s own threads give the bits of one thread', async () => {
    const before = gf.getNumThreads();
    // products split in two (from 80 MFLOP: blocks of 40 or more): batch 256 of the book MLP (forward, weight
    // gradient), odd sizes whose blocks do not divide evenly, a wide C (split by columns) and
    // float64 (DGEMM); and below it (batch 32), which one thread computes
    const cases: [number, number, number, 'float32' | 'float64'][] = [
      [256, 784, 300, 'float32'], [784, 256, 300, 'float32'], [715, 431, 139, 'float32'], [70, 1000, 600, 'float32'],
      [400, 360, 370, 'float64'], [32, 784, 300, 'float32'], [8, 8, 8, 'float32'],
    ];
    await keepingThreads(() => {
      for (const [M, K, N, dtype] of cases) {
        for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const a = rand(ta ? [K, M] : [M, K], dtype), b = rand(tb ? [N, K] : [K, N], dtype);
          gf.setNumThreads(1);
          const one = Array.from(on('native', () => gf.matmul(a, b, ta, tb)).data);
          for (const n of [2, 3]) {
            gf.setNumThreads(n);
            assert.equal(on('native', () => gf.getNumThreads()), n);
            assert.equal(gf.backendInfo('native').threads, n);
            const got = Array.from(on('native', () => gf.matmul(a, b, ta, tb)).data);
            assert.ok(got.every((v, i) => Object.is(v, one[i])), `${M}×${K}·${K}×${N} ${dtype} transA ${ta} transB ${tb}: ${n} threads = 1 thread, bit for bit`);
          }
        }
      }
    });
    assert.throws(() => gf.setNumThreads(0), /setNumThreads: expected an integer from 1 to 64, got 0/);
    // out of range for any backend: rejected before a single backend changes
    assert.throws(() => gf.setNumThreads(65), /from 1 to 64, got 65/);
    assert.equal(gf.getNumThreads(), before);
    assert.equal(gf.backendInfo('wasm').threads, 1);
  });

  test('gf.setNumThreads(2): products from several worker_threads at once (one process-wide pool) stay right', async () => {
    const { Worker } = await import('node:worker_threads');
    const M = 256, K = 784, N = 300; // 120 MFLOP: split on 2 threads
    const a = rand([M, K]).data as Float32Array, b = rand([K, N]).data as Float32Array;
    const addon = loadAddon().addon!;
    await keepingThreads(async () => {
      gf.setNumThreads(1);
      const ref = new Float32Array(M * N);
      addon.gemm(a, b, ref, 1, 1, M, N, K, false, false);
      gf.setNumThreads(2);
      // each worker loads the same addon (same process, same pool) and runs 40 products
      const code = `
        const { parentPort, workerData: d } = require('node:worker_threads');
        const addon = require(d.path);
        const c = new Float32Array(d.M * d.N);
        let same = true;
        for (let i = 0; i < 40; i++) {
          c.fill(NaN);
          addon.gemm(d.a, d.b, c, 1, 1, d.M, d.N, d.K, false, false);
          for (let j = 0; j < c.length; j++) if (!Object.is(c[j], d.ref[j])) { same = false; break; }
        }
        parentPort.postMessage(same);`;
      const run = () => new Promise<boolean>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { path: loadAddon().path, a, b, ref, M, N, K } });
        w.once('message', resolve);
        w.once('error', reject);
      });
      const results = await Promise.all([run(), run(), run()]);
      assert.deepEqual(results, [true, true, true], 'every product in every worker has the one-thread bits');
    });
  });

  test('gf.setNumThreads(4) on 2 cores: tasks with 2, 3 and 4 parts back to back keep their bits (stress)', async () => {
    const k = kernelsOf('native');
    // 2·M·N·K = 84, 126 and 168 MFLOP: 2, 3 and 4 blocks of ≥ 40 MFLOP; and a 1.1M-weight SGD step (2 blocks)
    const shapes = [[140, 1000, 300], [210, 1000, 300], [280, 1000, 300]].map(([M, K, N]) => ({ M, K, N, a: rand([M, K]), b: rand([K, N]) }));
    const n = 1_100_001, g = rand([n]).data as Float32Array, w0 = rand([n]).data as Float32Array;
    await keepingThreads(() => {
      gf.setNumThreads(1);
      const refs = shapes.map(({ a, b }) => Array.from(on('native', () => gf.matmul(a, b)).data));
      const w1 = w0.slice();
      k.sgdUpdate(w1, g, null, 0.01, 0, false);
      gf.setNumThreads(4);
      for (let round = 0; round < 25; round++) {
        shapes.forEach(({ a, b, M, K, N }, i) => {
          const got = on('native', () => gf.matmul(a, b)).data;
          assert.ok(refs[i].every((v, j) => Object.is(v, got[j])), `round ${round}: ${M}×${K}·${K}×${N} on 4 threads = 1 thread`);
        });
        const w = w0.slice();
        k.sgdUpdate(w, g, null, 0.01, 0, false);
        assert.ok(w.every((v, j) => Object.is(v, w1[j])), `round ${round}: SGD step on 4 threads = 1 thread`);
      }
    });
  });

  test('gf.setNumThreads(2): the optimizer steps split over the pool give the bits of one thread', async () => {
    const k = kernelsOf('native');
    const n = 1_100_001; // two blocks of at least 512k weights, not a multiple of the block
    const fresh = (positive = false) => { const a = rand([n]).data as Float32Array; return positive ? a.map((x) => Math.abs(x) * 0.01) : a; };
    const g = fresh(), w0 = fresh(), m0 = fresh(), v0 = fresh(true);
    const run = (threads: number) => {
      gf.setNumThreads(threads);
      const sgd = [w0.slice(), m0.slice()];
      k.sgdUpdate(sgd[0], g, sgd[1], 0.05, 0.9, true);
      const adam = [w0.slice(), m0.slice(), v0.slice(), v0.slice()];
      k.adamUpdate(adam[0], g, adam[1], adam[2], adam[3], 0.001, 0.9, 0.999, 1e-7);
      return [...sgd, ...adam];
    };
    const [one, two] = await keepingThreads(() => [run(1), run(2)]);
    one.forEach((a, i) => assert.ok(a.every((x, j) => Object.is(x, two[i][j])), `array ${i}: 2 threads = 1 thread, bit for bit`));
  });

  test('gf.setNumThreads(2): training (fused Dense and BN kernels) gives the weights of one thread', async () => {
    const x = rand([768, 784]);
    const y = new gf.Tensor(Int32Array.from({ length: 768 }, (_, i) => (i * 7) % 10), [768], 'int32');
    const train = (threads: number): Promise<number[][]> => keepingThreads(() => {
      gf.setNumThreads(threads);
      return on('native', async () => {
        gf.setSeed(3);
        const model = new gf.Sequential([
          new gf.layers.Dense(300, { activation: 'relu', inputShape: [784] }),
          new gf.layers.BatchNormalization(),
          new gf.layers.Dense(100, { activation: 'relu' }),
          new gf.layers.Dense(10, { activation: 'softmax' }),
        ]);
        model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy' });
        // batch 256: the first layer's products (120 MFLOP) are split over 2 threads
        await model.fit(x, y, { epochs: 2, batchSize: 256, verbose: 0 });
        return model.getWeights().map((w) => Array.from(w.data));
      });
    });
    const one = await train(1);
    const two = await train(2);
    one.forEach((w, i) => assert.ok(w.every((v, j) => Object.is(v, two[i][j])), `weight ${i}: 2 threads = 1 thread, bit for bit`));
  });

  test('backendInfo reports the BLAS, its kernel and its threads', () => {
    const info = gf.backendInfo('native');
    assert.equal(info.name, 'native');
    assert.equal(info.available, true);
    assert.equal(typeof info.blas, 'string');
    assert.equal(typeof info.threads, 'number');
    assert.ok((info.threads as number) >= 1);
    if (info.blas === 'OpenBLAS') {
      assert.match(String(info.blasConfig), /OpenBLAS/);
      assert.ok(String(info.blasCore).length > 0);
    }
    if (process.env.OPENBLAS_CORETYPE) assert.equal(info.OPENBLAS_CORETYPE, process.env.OPENBLAS_CORETYPE);
    assert.equal(gf.backendInfo('js').name, 'js');
    assert.throws(() => gf.backendInfo('nope'), /unknown backend 'nope'/);
  });

  test('a few training steps of an MLP match the wasm backend', async () => {
    const x = rand([64, 20]);
    const y = new gf.Tensor(Int32Array.from({ length: 64 }, (_, i) => i % 3), [64], 'int32');
    // fit runs on whichever backend is active while it trains
    const train = async (backend: string): Promise<number[]> => {
      const previous = gf.getBackend();
      gf.setBackend(backend);
      try {
        gf.setSeed(7);
        const model = new gf.Sequential([
          new gf.layers.Dense(16, { activation: 'relu', inputShape: [20] }),
          new gf.layers.Dense(3, { activation: 'softmax' }),
        ]);
        model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
        const history = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
        return history.history.loss;
      } finally {
        gf.setBackend(previous);
      }
    };
    const native = await train('native');
    const wasm = await train('wasm');
    assertClose(native, wasm, { atol: 1e-5, rtol: 1e-4 });
    assert.ok(native[2] < native[0], `loss falls: ${native}`);
  });
});

describe('sgdUpdate (the fused in-place SGD step) gives the same bits on every backend', { skip }, () => {
  test('native provides its own sgdUpdate', () => assert.equal(kernelOwner('sgdUpdate', 'native'), 'native'));
  const modes: Array<[string, number, boolean]> = [['plain', 0, false], ['momentum', 0.9, false], ['nesterov', 0.9, true]];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, mu, nesterov] of modes) {
      test(`${name} ${dtype}`, () => {
        const rng = new gf.RandomGenerator(11);
        const make = (n: number) => gf.tensor(Float64Array.from({ length: n }, () => rng.normal()), [n], 'float64').cast(dtype).data;
        const n = 1000;
        const w0 = make(n), g = make(n), v0 = make(n);
        const results = ['js', 'native'].map((backend) => {
          const w = w0.slice(), v = mu === 0 ? null : v0.slice();
          on(backend, () => kernelsOf().sgdUpdate(w, g, v, 0.01, mu, nesterov));
          return [Array.from(w), v ? Array.from(v) : null];
        });
        assert.deepEqual(results[1], results[0]);
        assert.notDeepEqual(results[0][0], Array.from(w0));
      });
    }
  }
});
