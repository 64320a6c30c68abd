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
      for (const n of [7, 1000]) {
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
