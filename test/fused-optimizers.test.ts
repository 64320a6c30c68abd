/**
 * The optimizers' fused in-place kernels (sgdUpdate, adamUpdate; issue 7) on every backend: the
 * same bits as the js reference, float32 and float64, with momentum / Nesterov / AMSGrad, and
 * sizes on both sides of the native kernels' js cutoff. Golden trajectories of the optimizers
 * themselves are in test/optimizers.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import { kernelsFor } from '../src/backend/registry.js';
import { Variable } from '../src/layers/variable.js';

let seed = 4400;
function array(n: number, dtype: 'float32' | 'float64', positive = false): Float32Array | Float64Array {
  const rng = new gf.RandomGenerator(seed++);
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = positive ? Math.abs(rng.normal()) * 0.01 : rng.normal();
  return a;
}
const copy = <T extends Float32Array | Float64Array>(a: T): T => a.slice() as T;

for (const backend of gf.listBackends()) {
  describe(`optimizer kernels on '${backend}' give the js reference's bits`, () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const n of [7, 1000, 1003]) { // 1003: the SIMD kernels' scalar tails
        test(`adamUpdate ${dtype} n=${n}, plain and AMSGrad, three steps`, () => {
          for (const amsgrad of [false, true]) {
            const w = array(n, dtype), m = array(n, dtype), v = array(n, dtype, true), vHat = amsgrad ? array(n, dtype, true) : null;
            const state = [w, m, v, vHat];
            const ref = state.map((a) => a && copy(a));
            for (let step = 0; step < 3; step++) {
              const g = array(n, dtype);
              kernelsFor(backend).adamUpdate(state[0]!, g, state[1]!, state[2]!, state[3], 0.01 / (step + 1), 0.9, 0.999, 1e-7);
              kernelsFor('js').adamUpdate(ref[0]!, g, ref[1]!, ref[2]!, ref[3], 0.01 / (step + 1), 0.9, 0.999, 1e-7);
            }
            state.forEach((a, i) => { if (a) assert.deepEqual(Array.from(a), Array.from(ref[i]!), `array ${i} (w, m, v, vHat), amsgrad ${amsgrad}`); });
          }
        });
        test(`sgdUpdate ${dtype} n=${n}: plain, momentum, Nesterov`, () => {
          for (const [mu, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
            const w = array(n, dtype), v = mu ? array(n, dtype) : null, g = array(n, dtype);
            const rw = copy(w), rv = v && copy(v);
            kernelsFor(backend).sgdUpdate(w, g, v, 0.05, mu, nesterov);
            kernelsFor('js').sgdUpdate(rw, g, rv, 0.05, mu, nesterov);
            assert.deepEqual(Array.from(w), Array.from(rw), `w, μ=${mu} nesterov=${nesterov}`);
            if (v) assert.deepEqual(Array.from(v), Array.from(rv!), `v, μ=${mu} nesterov=${nesterov}`);
          }
        });
      }
    }
  });
}

describe('SGD on float32 weights computes in float32, one rounding per operation (Keras 3 / TF)', () => {
  // Keras 3 SGD.update_step, op by op in the variable's dtype:
  //   m ← m·μ − g·η;  w ← w + m   (Nesterov: w ← w + (m·μ − g·η));  no momentum: w ← w − g·η
  const f = Math.fround;
  function keras(w: Float32Array, g: Float32Array, v: Float32Array | null, lr: number, mu: number, nesterov: boolean): void {
    const lr32 = f(lr), mu32 = f(mu);
    for (let i = 0; i < w.length; i++) {
      if (!v) { w[i] = f(w[i] - f(g[i] * lr32)); continue; }
      v[i] = f(f(v[i] * mu32) - f(g[i] * lr32));
      w[i] = f(w[i] + (nesterov ? f(f(v[i] * mu32) - f(g[i] * lr32)) : v[i]));
    }
  }
  for (const backend of gf.listBackends()) {
    test(`'${backend}': the same bits as the float32 op-by-op formula (and not the float64 one)`, () => {
      for (const [mu, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
        const w = array(1000, 'float32') as Float32Array, g = array(1000, 'float32') as Float32Array;
        const v = mu ? (array(1000, 'float32') as Float32Array) : null;
        const rw = copy(w), rv = v && copy(v), w64 = copy(w), v64 = v && copy(v);
        kernelsFor(backend).sgdUpdate(w, g, v, 0.013, mu, nesterov);
        keras(rw, g, rv, 0.013, mu, nesterov);
        assert.deepEqual(Array.from(w), Array.from(rw), `w, μ=${mu} nesterov=${nesterov}`);
        if (v) assert.deepEqual(Array.from(v), Array.from(rv!), `v, μ=${mu} nesterov=${nesterov}`);
        // float64 arithmetic rounded once at the store gives other bits for some elements
        for (let i = 0; i < w64.length; i++) {
          if (!v64) { w64[i] = w64[i] - 0.013 * g[i]; continue; }
          const vi = 0.9 * v64[i] - 0.013 * g[i];
          v64[i] = vi;
          w64[i] = w64[i] + (nesterov ? 0.9 * vi - 0.013 * g[i] : vi);
        }
        assert.ok(w64.some((x, i) => x !== w[i]), 'the test data tells float32 from float64 arithmetic');
      }
    });
  }
});

describe('Adam runs through the kernel and keeps its state in place', () => {
  test('a step allocates no new slot arrays (state is updated in place)', () => {
    const variable = new Variable(gf.tensor(array(300, 'float32')), 'w');
    const opt = new gf.optimizers.Adam({ learningRate: 0.01, amsgrad: true });
    const g = gf.tensor(array(300, 'float32'));
    opt.applyGradients([[g, variable]]);
    const slots = opt.slotsOf(variable);
    const arrays = Object.fromEntries(Object.entries(slots).map(([k, t]) => [k, t.data]));
    opt.applyGradients([[g, variable]]);
    for (const [k, t] of Object.entries(opt.slotsOf(variable))) assert.equal(t.data, arrays[k], `slot ${k} is the same array`);
    assert.deepEqual(Object.keys(arrays).sort(), ['momentum', 'velocity', 'velocityHat']);
  });
});
