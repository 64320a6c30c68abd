/**
 * Weight initializers (src/initializers): golden statistics from reference/keras-semantics.md
 * ("Initializers") on large seeded draws, Keras' fan computation, the deterministic
 * initializers, orthogonal/identity structure, seeding, dtypes, the registry with its config
 * round trip (generated from initializerNames()), and errors for bad hyper-parameters.
 *
 * Statistical tolerances: a sample std from N ≥ 1e5 draws has relative standard error
 * ≈ 1/√(2N) < 0.25%, so the 2% tolerances below are > 8 standard errors wide; the seeds are
 * fixed anyway, so the tests are deterministic.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert-close.js';

const I = gf.initializers;

// keras-semantics.md: std of a unit normal truncated to [−2, 2]
const TRUNC_STD = 0.87962566103423978;

interface Stats { n: number; mean: number; std: number; min: number; max: number; maxAbs: number }

function stats(t: Tensor): Stats {
  const d = t.data;
  let s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < d.length; i++) { s += d[i]; if (d[i] < min) min = d[i]; if (d[i] > max) max = d[i]; }
  const mean = s / d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += (d[i] - mean) ** 2;
  return { n: d.length, mean, std: Math.sqrt(v / d.length), min, max, maxAbs: Math.max(-min, max) };
}

/** |actual − expected| ≤ rel·|expected| with a message naming the quantity. */
function near(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: got ${actual}, expected ${expected} ± ${(rel * 100).toFixed(1)}%`);
}

/** A normal truncated at ±2σ_pre: every sample within the bound, the extreme ones close to it. */
function assertTruncatedAt(s: Stats, sigmaPre: number, what: string): void {
  const bound = 2 * sigmaPre;
  assert.ok(s.maxAbs <= bound * (1 + 1e-6), `${what}: max |w| = ${s.maxAbs} exceeds 2σ_pre = ${bound}`);
  assert.ok(s.maxAbs >= 0.98 * bound, `${what}: max |w| = ${s.maxAbs} is far below 2σ_pre = ${bound} (truncated too early?)`);
}

const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe('he_normal / lecun_normal golden statistics (keras-semantics.md)', () => {
  test('he_normal 784×300: std ≈ sqrt(2/784) = 0.0505, |w| ≤ 2·0.0574195', () => {
    const w = new I.HeNormal({ seed: 1 }).call([784, 300]);
    assert.deepEqual(w.shape, [784, 300]);
    assert.equal(w.dtype, 'float32');
    const s = stats(w);
    near(s.std, Math.sqrt(2 / 784), 0.02, 'he_normal std');
    near(s.std, 0.0505, 0.02, 'he_normal std (reference value)');
    assert.ok(Math.abs(s.mean) < 0.002, `mean ${s.mean}`);
    assertTruncatedAt(s, 0.0574195, 'he_normal fan_in 784');
    // not TensorFlow.js' uncorrected truncated normal (std ≈ 0.88·sqrt(2/784) = 0.0444)
    assert.ok(s.std > 0.049, `std ${s.std} is the ~12% too narrow TF.js value`);
  });

  test('lecun_normal fan_in 784: std ≈ sqrt(1/784), σ_pre = 0.0406017', () => {
    const s = stats(new I.LecunNormal({ seed: 2 }).call([784, 300]));
    near(s.std, Math.sqrt(1 / 784), 0.02, 'lecun_normal std');
    assertTruncatedAt(s, 0.0406017, 'lecun_normal fan_in 784');
  });

  test('he_normal fan_in 300: std ≈ sqrt(2/300), σ_pre = 0.0928232', () => {
    const s = stats(new I.HeNormal({ seed: 3 }).call([300, 400]));
    near(s.std, Math.sqrt(2 / 300), 0.02, 'he_normal std');
    assertTruncatedAt(s, 0.0928232, 'he_normal fan_in 300');
  });

  test('he_normal fan_in 100: std ≈ sqrt(2/100), σ_pre = 0.1607745', () => {
    const s = stats(new I.HeNormal({ seed: 4 }).call([100, 1000]));
    near(s.std, Math.sqrt(2 / 100), 0.02, 'he_normal std');
    assertTruncatedAt(s, 0.1607745, 'he_normal fan_in 100');
  });

  test('the reference σ_pre values are sqrt(scale/n) / 0.8796…', () => {
    for (const [scale, n, ref] of [[2, 784, 0.0574195], [1, 784, 0.0406017], [2, 300, 0.0928232], [2, 100, 0.1607745]]) {
      assert.ok(Math.abs(Math.sqrt(scale / n) / I.TRUNCATED_NORMAL_STD - ref) < 1e-7, `scale ${scale}, n ${n}`);
    }
    assert.equal(I.TRUNCATED_NORMAL_STD, TRUNC_STD);
  });
});

describe('uniform presets and glorot_normal', () => {
  test('glorot_uniform: all samples within sqrt(6/(fan_in+fan_out)), std ≈ limit/√3', () => {
    const limit = Math.sqrt(6 / (784 + 300));
    const s = stats(new I.GlorotUniform({ seed: 5 }).call([784, 300]));
    assert.ok(s.maxAbs <= limit, `max |w| ${s.maxAbs} > limit ${limit}`);
    assert.ok(s.maxAbs >= 0.999 * limit, `max |w| ${s.maxAbs} should reach the limit ${limit}`);
    near(s.std, limit / Math.sqrt(3), 0.02, 'glorot_uniform std');
    assert.ok(Math.abs(s.mean) < 0.002, `mean ${s.mean}`);
  });

  test('glorot_normal: fan_avg truncated normal, std ≈ sqrt(2/(fan_in+fan_out))', () => {
    const s = stats(new I.GlorotNormal({ seed: 6 }).call([784, 300]));
    near(s.std, Math.sqrt(2 / (784 + 300)), 0.02, 'glorot_normal std');
    assertTruncatedAt(s, Math.sqrt(2 / (784 + 300)) / TRUNC_STD, 'glorot_normal');
  });

  test('he_uniform: limit sqrt(6/fan_in)', () => {
    const limit = Math.sqrt(6 / 784);
    const s = stats(new I.HeUniform({ seed: 7 }).call([784, 300]));
    assert.ok(s.maxAbs <= limit && s.maxAbs >= 0.999 * limit, `max |w| ${s.maxAbs}, limit ${limit}`);
    near(s.std, Math.sqrt(2 / 784), 0.02, 'he_uniform std');
  });

  test('lecun_uniform: limit sqrt(3/fan_in)', () => {
    const limit = Math.sqrt(3 / 784);
    const s = stats(new I.LecunUniform({ seed: 8 }).call([784, 300]));
    assert.ok(s.maxAbs <= limit && s.maxAbs >= 0.999 * limit, `max |w| ${s.maxAbs}, limit ${limit}`);
    near(s.std, Math.sqrt(1 / 784), 0.02, 'lecun_uniform std');
  });
});

describe('VarianceScaling: every mode × distribution', () => {
  // fan_in 400, fan_out 250 → n = 400, 250 or 325
  const shape = [400, 250];
  const fans: Record<string, number> = { fan_in: 400, fan_out: 250, fan_avg: 325 };
  const scale = 3;
  let seed = 100;
  for (const mode of ['fan_in', 'fan_out', 'fan_avg'] as const) {
    for (const distribution of ['truncated_normal', 'untruncated_normal', 'uniform'] as const) {
      const s0 = seed++;
      test(`${mode} × ${distribution}: variance scale/n`, () => {
        const init = new I.VarianceScaling({ scale, mode, distribution, seed: s0 });
        const w = init.call(shape, 'float64');
        const s = stats(w);
        const variance = scale / fans[mode];
        near(s.std, Math.sqrt(variance), 0.02, `${mode} × ${distribution} std`);
        assert.ok(Math.abs(s.mean) < 0.01 * Math.sqrt(variance) * 3, `mean ${s.mean}`);
        if (distribution === 'truncated_normal') {
          assertTruncatedAt(s, Math.sqrt(variance) / TRUNC_STD, `${mode} × ${distribution}`);
        } else if (distribution === 'uniform') {
          const limit = Math.sqrt(3 * variance);
          assert.ok(s.maxAbs <= limit && s.maxAbs >= 0.999 * limit, `max |w| ${s.maxAbs}, limit ${limit}`);
        } else {
          // untruncated: tails beyond 2.5σ exist (P ≈ 1.2%, ~1200 of 1e5 draws)
          assert.ok(s.maxAbs > 3 * Math.sqrt(variance), `max |w| ${s.maxAbs} looks truncated`);
        }
      });
    }
  }

  test("'normal' is Keras' legacy alias of truncated_normal", () => {
    const init = new I.VarianceScaling({ distribution: 'normal', seed: 1 });
    assert.equal(init.distribution, 'truncated_normal');
    assert.deepEqual(Array.from(init.call([3, 4]).data), Array.from(new I.VarianceScaling({ seed: 1 }).call([3, 4]).data));
  });

  test('defaults: scale 1, fan_in, truncated_normal (= lecun_normal)', () => {
    const init = new I.VarianceScaling();
    assert.equal(init.scale, 1);
    assert.equal(init.mode, 'fan_in');
    assert.equal(init.distribution, 'truncated_normal');
    const a = new I.VarianceScaling({ seed: 9 }).call([20, 10]);
    const b = new I.LecunNormal({ seed: 9 }).call([20, 10]);
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  });

  test('conv kernel uses the receptive field: he_normal [3,3,16,32] std ≈ sqrt(2/144)', () => {
    const s = stats(new I.HeNormal({ seed: 10 }).call([3, 3, 64, 200]));
    near(s.std, Math.sqrt(2 / (9 * 64)), 0.02, 'conv he_normal std');
    assertTruncatedAt(s, Math.sqrt(2 / (9 * 64)) / TRUNC_STD, 'conv he_normal');
  });
});

describe('computeFans', () => {
  test('scalar, vector, matrix and conv-like shapes (as Keras)', () => {
    assert.deepEqual(I.computeFans([]), { fanIn: 1, fanOut: 1 });
    assert.deepEqual(I.computeFans([5]), { fanIn: 5, fanOut: 5 });
    assert.deepEqual(I.computeFans([3, 4]), { fanIn: 3, fanOut: 4 });
    // receptive field 3·3 = 9: fan_in 16·9, fan_out 32·9
    assert.deepEqual(I.computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
    assert.deepEqual(I.computeFans([5, 2, 7]), { fanIn: 10, fanOut: 35 });
  });
});

describe('deterministic initializers', () => {
  test('zeros / ones / constant', () => {
    assertClose(new I.Zeros().call([2, 3]), [[0, 0, 0], [0, 0, 0]]);
    assertClose(new I.Ones().call([2, 2]), [[1, 1], [1, 1]]);
    assertClose(new I.Constant({ value: 0.25 }).call([3]), [0.25, 0.25, 0.25]);
    assertClose(new I.Constant().call([2]), [0, 0]);
    assertClose(I.get({ className: 'constant', config: { value: -2 } }).call([2]), [-2, -2]);
  });

  test('scalar shape []', () => {
    const t = new I.Ones().call([]);
    assert.deepEqual(t.shape, []);
    assert.equal(t.size, 1);
    assert.equal(t.data[0], 1);
    assert.deepEqual(new I.HeNormal({ seed: 1 }).call([]).shape, []);
  });

  test('identity: 2-D square, rectangular (both ways) and gain', () => {
    assertClose(new I.Identity().call([3, 3]), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assertClose(new I.Identity().call([2, 4]), [[1, 0, 0, 0], [0, 1, 0, 0]]);
    assertClose(new I.Identity().call([3, 2]), [[1, 0], [0, 1], [0, 0]]);
    assertClose(new I.Identity({ gain: 2.5 }).call([2, 2]), [[2.5, 0], [0, 2.5]]);
  });

  test('identity rejects rank ≠ 2 with a message naming it', () => {
    assert.throws(() => new I.Identity().call([4]), /Identity.*2-D.*\[4\]/);
    assert.throws(() => new I.Identity().call([2, 2, 2]), /Identity.*2-D/);
  });
});

describe('random initializers: defaults', () => {
  test('random_normal: mean 0, stddev 0.05', () => {
    const init = new I.RandomNormal({ seed: 20 });
    assert.equal(init.mean, 0);
    assert.equal(init.stddev, 0.05);
    const s = stats(init.call([400, 250]));
    near(s.std, 0.05, 0.02, 'random_normal std');
    assert.ok(Math.abs(s.mean) < 0.001, `mean ${s.mean}`);
    assert.ok(s.maxAbs > 0.15, `untruncated: max |w| ${s.maxAbs}`);
  });

  test('random_normal with mean and stddev', () => {
    const s = stats(new I.RandomNormal({ mean: 3, stddev: 2, seed: 21 }).call([100000], 'float64'));
    near(s.mean, 3, 0.01, 'mean');
    near(s.std, 2, 0.02, 'std');
  });

  test('random_uniform: [-0.05, 0.05]', () => {
    const init = new I.RandomUniform({ seed: 22 });
    assert.equal(init.minval, -0.05);
    assert.equal(init.maxval, 0.05);
    const s = stats(init.call([400, 250]));
    assert.ok(s.min >= -0.05 && s.max <= 0.05, `range [${s.min}, ${s.max}]`);
    assert.ok(s.min < -0.0499 && s.max > 0.0499, `range [${s.min}, ${s.max}] should fill [-0.05, 0.05]`);
    near(s.std, 0.1 / Math.sqrt(12), 0.02, 'random_uniform std');
  });

  test('random_uniform with bounds [2, 5]', () => {
    const s = stats(new I.RandomUniform({ minval: 2, maxval: 5, seed: 23 }).call([100000], 'float64'));
    assert.ok(s.min >= 2 && s.max < 5, `range [${s.min}, ${s.max}]`);
    near(s.mean, 3.5, 0.01, 'mean');
  });

  test('truncated_normal: default stddev 0.05 (σ before truncation), bounded at ±0.1', () => {
    const init = new I.TruncatedNormal({ seed: 24 });
    assert.equal(init.stddev, 0.05);
    const s = stats(init.call([400, 250]));
    assertTruncatedAt(s, 0.05, 'truncated_normal');
    // Keras' TruncatedNormal: stddev is σ before truncation, so the sample std is 0.05·0.8796
    near(s.std, 0.05 * TRUNC_STD, 0.02, 'truncated_normal std');
  });

  test('truncated_normal with a mean is bounded at mean ± 2σ', () => {
    const s = stats(new I.TruncatedNormal({ mean: 1, stddev: 0.5, seed: 25 }).call([100000], 'float64'));
    assert.ok(s.min >= 0 && s.max <= 2, `range [${s.min}, ${s.max}]`);
    near(s.mean, 1, 0.01, 'mean');
  });
});

describe('orthogonal', () => {
  /** M·Mᵀ (rowsAsVectors) or Mᵀ·M, computed in float64. */
  function gram(t: Tensor, rows: number, cols: number, ofRows: boolean): number[][] {
    const n = ofRows ? rows : cols, len = ofRows ? cols : rows;
    const at = (v: number, k: number): number => (ofRows ? t.data[v * cols + k] : t.data[k * cols + v]);
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => {
      let s = 0;
      for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
      return s;
    }));
  }
  const eye = (n: number, g = 1): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? g : 0)));

  test('tall [8, 4]: QᵀQ = I', () => {
    const q = new I.Orthogonal({ seed: 1 }).call([8, 4]);
    assert.deepEqual(q.shape, [8, 4]);
    assertClose(gram(q, 8, 4, false), eye(4), { atol: 1e-5 });
  });

  test('wide [4, 8]: QQᵀ = I', () => {
    const q = new I.Orthogonal({ seed: 2 }).call([4, 8]);
    assert.deepEqual(q.shape, [4, 8]);
    assertClose(gram(q, 4, 8, true), eye(4), { atol: 1e-5 });
  });

  test('square float64 [6, 6]: orthogonal both ways to 1e-12', () => {
    const q = new I.Orthogonal({ seed: 3 }).call([6, 6], 'float64');
    assert.equal(q.dtype, 'float64');
    assertClose(gram(q, 6, 6, false), eye(6), { atol: 1e-12 });
    assertClose(gram(q, 6, 6, true), eye(6), { atol: 1e-12 });
  });

  test('gain scales: QᵀQ = gain²·I', () => {
    const q = new I.Orthogonal({ gain: 2, seed: 4 }).call([8, 4], 'float64');
    assertClose(gram(q, 8, 4, false), eye(4, 4), { atol: 1e-12 });
  });

  test('rank 3 is flattened to [∏ shape[:-1], shape[-1]]', () => {
    const q = new I.Orthogonal({ seed: 5 }).call([2, 3, 4], 'float64');
    assert.deepEqual(q.shape, [2, 3, 4]);
    assertClose(gram(q, 6, 4, false), eye(4), { atol: 1e-12 });
    const wide = new I.Orthogonal({ seed: 6 }).call([2, 2, 8], 'float64');
    assertClose(gram(wide, 4, 8, true), eye(4), { atol: 1e-12 });
  });

  test('rank < 2 errors naming Orthogonal and the shape', () => {
    assert.throws(() => new I.Orthogonal().call([5]), /Orthogonal.*rank.*\[5\]/);
    assert.throws(() => new I.Orthogonal().call([]), /Orthogonal/);
  });
});

describe('seeding and dtypes', () => {
  const seeded = ['random_normal', 'random_uniform', 'truncated_normal', 'variance_scaling', 'glorot_uniform',
    'glorot_normal', 'he_normal', 'he_uniform', 'lecun_normal', 'lecun_uniform', 'orthogonal'];

  test('same seed → identical tensors; different seeds differ (seed option)', () => {
    for (const name of seeded) {
      const a = I.get({ className: name, config: { seed: 42 } }).call([6, 5]);
      const b = I.get({ className: name, config: { seed: 42 } }).call([6, 5]);
      const c = I.get({ className: name, config: { seed: 43 } }).call([6, 5]);
      assert.deepEqual(Array.from(a.data), Array.from(b.data), `${name}: same seed`);
      assert.notDeepEqual(Array.from(a.data), Array.from(c.data), `${name}: different seeds`);
    }
  });

  test('gf.setSeed makes unseeded initializers reproducible', () => {
    for (const name of seeded) {
      gf.setSeed(7);
      const a = I.get(name).call([6, 5]);
      gf.setSeed(7);
      const b = I.get(name).call([6, 5]);
      gf.setSeed(8);
      const c = I.get(name).call([6, 5]);
      assert.deepEqual(Array.from(a.data), Array.from(b.data), `${name}: same global seed`);
      assert.notDeepEqual(Array.from(a.data), Array.from(c.data), `${name}: different global seeds`);
    }
  });

  test('unseeded draws advance the global generator (two calls differ)', () => {
    gf.setSeed(9);
    const init = new I.HeNormal();
    assert.notDeepEqual(Array.from(init.call([4, 4]).data), Array.from(init.call([4, 4]).data));
  });

  test('float64 works for every initializer', () => {
    for (const name of I.initializerNames()) {
      const t = I.get(name).call([4, 4], 'float64');
      assert.equal(t.dtype, 'float64', name);
      assert.ok(t.data instanceof Float64Array, `${name}: data is ${t.data.constructor.name}`);
      assert.deepEqual(t.shape, [4, 4], name);
      for (const v of t.data) assert.ok(Number.isFinite(v), `${name}: ${v}`);
    }
  });

  test('float32 is the default dtype', () => {
    for (const name of I.initializerNames()) {
      const t = I.get(name).call([4, 4]);
      assert.equal(t.dtype, 'float32', name);
    }
  });

  test('int32 errors clearly for every initializer (naming it and the dtype)', () => {
    for (const name of I.initializerNames()) {
      const init = I.get(name);
      const className = (init.constructor as typeof I.Initializer).className;
      assert.throws(() => init.call([4, 4], 'int32'), (err: Error) => {
        assert.ok(err.message.includes(className), `${name}: message should name ${className}: ${err.message}`);
        assert.match(err.message, /dtype.*int32/, `${name}: ${err.message}`);
        return true;
      }, `${name}: int32 should be rejected`);
    }
  });
});

describe('registry', () => {
  const expectedNames = ['constant', 'glorot_normal', 'glorot_uniform', 'he_normal', 'he_uniform', 'identity',
    'lecun_normal', 'lecun_uniform', 'ones', 'orthogonal', 'random_normal', 'random_uniform', 'truncated_normal',
    'variance_scaling', 'zeros'];

  test('initializerNames() lists the Keras names', () => {
    assert.deepEqual(I.initializerNames(), expectedNames);
  });

  test('Keras names, camelCase names and class names resolve to the same class', () => {
    const classes: Record<string, unknown> = {
      zeros: I.Zeros, ones: I.Ones, constant: I.Constant, random_normal: I.RandomNormal, random_uniform: I.RandomUniform,
      truncated_normal: I.TruncatedNormal, variance_scaling: I.VarianceScaling, glorot_uniform: I.GlorotUniform,
      glorot_normal: I.GlorotNormal, he_normal: I.HeNormal, he_uniform: I.HeUniform, lecun_normal: I.LecunNormal,
      lecun_uniform: I.LecunUniform, orthogonal: I.Orthogonal, identity: I.Identity,
    };
    for (const name of I.initializerNames()) {
      const cls = classes[name] as typeof I.Initializer;
      assert.ok(cls, `no class expected for ${name}`);
      for (const spelling of [name, camelCase(name), cls.className]) {
        assert.ok(I.get(spelling) instanceof cls, `${spelling} → ${cls.className}`);
      }
    }
    assert.ok(I.get('HeNormal') instanceof I.HeNormal);
    assert.ok(I.get('heNormal') instanceof I.HeNormal);
  });

  test('aliases: xavier_uniform, xavier_normal, normal, uniform', () => {
    assert.ok(I.get('xavier_uniform') instanceof I.GlorotUniform);
    assert.ok(I.get('xavier_normal') instanceof I.GlorotNormal);
    assert.ok(I.get('normal') instanceof I.RandomNormal);
    assert.ok(I.get('uniform') instanceof I.RandomUniform);
  });

  test('an instance passes through', () => {
    const init = new I.HeUniform({ seed: 3 });
    assert.equal(I.get(init), init);
  });

  test('an unknown name lists the valid names', () => {
    assert.throws(() => I.get('he_normall'), (err: Error) => {
      assert.match(err.message, /unknown initializer 'he_normall'/);
      for (const n of I.initializerNames()) assert.ok(err.message.includes(n), `message should list ${n}`);
      return true;
    });
    assert.throws(() => I.get(42 as unknown as string), TypeError);
  });

  test('serialize gives { className, config } with Keras class names', () => {
    assert.deepEqual(I.serialize(new I.HeNormal({ seed: 5 })), { className: 'HeNormal', config: { seed: 5 } });
    assert.deepEqual(I.serialize(new I.HeNormal()), { className: 'HeNormal', config: { seed: null } });
    assert.deepEqual(I.serialize(new I.VarianceScaling({ scale: 2, mode: 'fan_out', distribution: 'uniform' })),
      { className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: null } });
    assert.deepEqual(I.serialize(new I.RandomNormal()), { className: 'RandomNormal', config: { mean: 0, stddev: 0.05, seed: null } });
    assert.deepEqual(I.serialize(new I.Zeros()), { className: 'Zeros', config: {} });
  });

  // non-default configs for the configurable ones; the rest round-trip their defaults plus a seed
  const configs: Record<string, Record<string, unknown>> = {
    constant: { value: 0.7 },
    random_normal: { mean: 1, stddev: 0.3, seed: 3 },
    random_uniform: { minval: -1, maxval: 2, seed: 4 },
    truncated_normal: { mean: -1, stddev: 0.2, seed: 5 },
    variance_scaling: { scale: 2.5, mode: 'fan_avg', distribution: 'untruncated_normal', seed: 6 },
    orthogonal: { gain: 1.5, seed: 7 },
    identity: { gain: 3 },
    zeros: {},
    ones: {},
  };
  const deterministic = ['zeros', 'ones', 'constant', 'identity'];
  for (const name of expectedNames) {
    test(`config round trip: ${name} (getConfig → get(serialize) → getConfig)`, () => {
      for (const config of [{}, configs[name] ?? { seed: 11 }]) {
        const a = I.get({ className: name, config });
        const b = I.get(I.serialize(a));
        assert.equal(b.constructor, a.constructor, name);
        assert.deepEqual(b.getConfig(), a.getConfig(), name);
        for (const [k, v] of Object.entries(config)) assert.deepEqual(a.getConfig()[k], v, `${name}.${k}`);
        // the rebuilt initializer draws the same values (seeded or deterministic)
        if ('seed' in config || deterministic.includes(name)) {
          assert.deepEqual(Array.from(b.call([3, 4]).data), Array.from(a.call([3, 4]).data), `${name}: values`);
        }
        // JSON-safe (seed null rather than undefined)
        assert.deepEqual(JSON.parse(JSON.stringify(I.serialize(a))), I.serialize(a), `${name}: JSON`);
      }
    });
  }
});

describe('bad hyper-parameters name the initializer and the argument', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['negative stddev (RandomNormal)', () => new I.RandomNormal({ stddev: -1 }), /RandomNormal.*stddev/],
    ['zero stddev (RandomNormal)', () => new I.RandomNormal({ stddev: 0 }), /RandomNormal.*stddev/],
    ['NaN stddev (RandomNormal)', () => new I.RandomNormal({ stddev: NaN }), /RandomNormal.*stddev/],
    ['negative stddev (TruncatedNormal)', () => new I.TruncatedNormal({ stddev: -0.1 }), /TruncatedNormal.*stddev/],
    ['negative stddev via get()', () => I.get({ className: 'random_normal', config: { stddev: -1 } }), /RandomNormal.*stddev/],
    ['minval > maxval', () => new I.RandomUniform({ minval: 1, maxval: 0 }), /RandomUniform.*minval.*maxval/],
    ['NaN minval', () => new I.RandomUniform({ minval: NaN }), /RandomUniform.*minval/],
    ['bad mode', () => new I.VarianceScaling({ mode: 'fan_sum' as never }), /VarianceScaling.*mode.*fan_in.*fan_sum/],
    ['bad distribution', () => new I.VarianceScaling({ distribution: 'gaussian' as never }), /VarianceScaling.*distribution.*truncated_normal.*gaussian/],
    ['bad mode via get()', () => I.get({ className: 'VarianceScaling', config: { mode: 'in' } }), /VarianceScaling.*mode/],
    ['non-positive scale', () => new I.VarianceScaling({ scale: 0 }), /VarianceScaling.*scale/],
    ['negative scale', () => new I.VarianceScaling({ scale: -2 }), /VarianceScaling.*scale/],
  ];
  for (const [name, fn, pattern] of cases) {
    test(name, () => { assert.throws(fn, pattern); });
  }

  test('bad shapes name the initializer', () => {
    assert.throws(() => new I.HeNormal().call([3, -1]), /HeNormal/);
    assert.throws(() => new I.Zeros().call([2.5]), /Zeros/);
    assert.throws(() => new I.Identity().call([2, -2]), /Identity/);
    // Orthogonal builds its tensor without fill(): its shape must be validated too
    assert.throws(() => new I.Orthogonal({ seed: 1 }).call([2, -3]), /Orthogonal/);
    assert.throws(() => new I.Orthogonal({ seed: 1 }).call([2.5, 3]), /Orthogonal/);
  });
});
