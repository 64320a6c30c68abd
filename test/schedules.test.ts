/**
 * Learning-rate schedules (src/schedules): the exact values of reference/chapter-experiments.md
 * (experiment 9) and Keras' formulas (reference/keras-semantics.md, "Learning-rate schedules"),
 * PiecewiseConstantDecay's boundary semantics, the 1cycle breakpoints, momentum cycling, the
 * registry with a config round trip generated from scheduleNames(), use through an optimizer,
 * and errors for bad arguments.
 *
 * Golden values: the chapter quotes 5 significant digits, so they are checked to half a unit
 * in the last quoted digit; the formulas themselves are checked exactly (bit for bit) where
 * the arithmetic is the same.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import * as S from '../src/schedules/index.js';
import { assertClose } from './helpers/assert-close.js';

/** |actual − expected| ≤ half a unit in the last of `digits` significant digits of expected. */
function assertSignificant(actual: number, expected: number, digits: number, what: string): void {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - digits + 1);
  assert.ok(Math.abs(actual - expected) <= unit / 2, `${what}: got ${actual}, expected ${expected} (±${unit / 2})`);
}

describe('chapter 11, experiment 9: exact schedule values', () => {
  test('InverseTimeDecay(0.01, 10000, 1.0): step 1719 → 0.0085332, step 17190 → 0.0036778', () => {
    const s = new S.InverseTimeDecay(0.01, 10_000, 1.0);
    assertSignificant(s.call(1719), 0.0085332, 5, 'step 1719');
    assertSignificant(s.call(17_190), 0.0036778, 5, 'step 17190');
    assert.equal(s.call(0), 0.01);
    assert.equal(s.call(1719), 0.01 / (1 + 1719 / 10_000));
  });

  test('ExponentialDecay(0.01, 20000, 0.1): step 1719 → 0.0082045, step 17190 → 0.0013820', () => {
    const s = new S.ExponentialDecay(0.01, 20_000, 0.1);
    assertSignificant(s.call(1719), 0.0082045, 5, 'step 1719');
    assertSignificant(s.call(17_190), 0.0013820, 5, 'step 17190');
    assert.equal(s.call(0), 0.01);
    assert.equal(s.call(1719), 0.01 * 0.1 ** (1719 / 20_000));
  });

  test('per-epoch exponential 0.01·0.1^(epoch/20), epochs 21..24 → 8.9125e-4, 7.9433e-4, 7.0795e-4, 6.3096e-4', () => {
    const perEpoch = (epoch: number): number => 0.01 * 0.1 ** (epoch / 20);
    const expected = [8.9125e-4, 7.9433e-4, 7.0795e-4, 6.3096e-4];
    [21, 22, 23, 24].forEach((epoch, i) => assertSignificant(perEpoch(epoch), expected[i], 5, `epoch ${epoch}`));
    // the same curve as an ExponentialDecay whose "step" is the epoch
    const asSchedule = new S.ExponentialDecay(0.01, 20, 0.1);
    for (let epoch = 0; epoch < 25; epoch++) assertClose(asSchedule.call(epoch), perEpoch(epoch), { rtol: 1e-15 });
  });

  test('1cycle over 10,750 steps, maxLr 0.1: lr(0) = 0.01, lr(4837) = 0.1, lr(9674) = 0.01, last 1,076 steps down to 1e-5', () => {
    const s = new S.OneCycle({ maxLr: 0.1, totalSteps: 10_750 });
    assert.equal(s.startLr, 0.01);
    assert.equal(s.endLr, 1e-5);
    assert.equal(s.lastPhaseSteps, 1076);
    assert.equal(s.halfSteps, 4837);
    assert.deepEqual(s.breakpoints, [0, 4837, 9674, 10_750]);
    assert.equal(s.call(0), 0.01);
    assert.equal(s.call(4837), 0.1);
    assert.equal(s.call(9674), 0.01);
    assert.equal(10_750 - 9674, 1076);
    assertClose(s.call(10_750), 1e-5, { rtol: 1e-12 });
    assert.equal(s.call(20_000), 1e-5, 'after the cycle the rate stays at endLr');
    // the last step actually taken (iterations 10,749) is one 1076th above 1e-5
    assertClose(s.call(10_749), 0.01 + (1e-5 - 0.01) * (1075 / 1076), { rtol: 1e-12 });
    // linear in between: half way up and half way down
    assertClose(s.call(4837 / 2), 0.055, { rtol: 1e-12 });
    assertClose(s.call(4837 * 1.5), 0.055, { rtol: 1e-12 });
  });
});

describe('InverseTimeDecay / ExponentialDecay: staircase and forms', () => {
  test('staircase floors step / decaySteps', () => {
    const inv = new S.InverseTimeDecay(0.01, 100, 1.0, true);
    assert.equal(inv.call(99), 0.01);
    assert.equal(inv.call(100), 0.01 / 2);
    assert.equal(inv.call(199.5), 0.01 / 2);
    const exp = new S.ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true });
    assert.deepEqual([0, 9, 10, 19, 20, 35].map((t) => exp.call(t)), [1, 1, 0.5, 0.5, 0.25, 0.125]);
  });

  test('the positional and options forms are the same schedule', () => {
    const a = new S.ExponentialDecay(0.1, 50, 0.96, true, 'decay');
    const b = new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 50, decayRate: 0.96, staircase: true, name: 'decay' });
    assert.deepEqual(a.getConfig(), b.getConfig());
    assert.deepEqual(a.getConfig(), { initialLearningRate: 0.1, decaySteps: 50, decayRate: 0.96, staircase: true, name: 'decay' });
    assert.equal(new S.InverseTimeDecay(0.1, 10, 1).name, 'InverseTimeDecay');
  });
});

describe('PiecewiseConstantDecay: Keras boundary semantics (step ≤ b keeps the earlier value)', () => {
  const s = new S.PiecewiseConstantDecay([1000, 2000], [1.0, 0.5, 0.1]);

  test('values[0] through b0, values[1] from b0 + 1 through b1, values[2] after', () => {
    const steps = [0, 999, 1000, 1001, 1999, 2000, 2001, 1e6];
    assert.deepEqual(steps.map((t) => s.call(t)), [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1]);
    assert.equal(s.call(1000.5), 0.5, 'a fractional step past the boundary is past it');
  });

  test('a single boundary and the options form', () => {
    const one = new S.PiecewiseConstantDecay({ boundaries: [5], values: [0.1, 0.01] });
    assert.deepEqual([0, 5, 6].map((t) => one.call(t)), [0.1, 0.1, 0.01]);
  });

  test('clear errors: lengths, order, values', () => {
    assert.throws(() => new S.PiecewiseConstantDecay([10, 20], [1, 0.5]), /values must have one more element than boundaries \(2 boundaries → 3 values\), got 2/);
    assert.throws(() => new S.PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1, 0.01]), /one more element.*got 4/);
    assert.throws(() => new S.PiecewiseConstantDecay([20, 10], [1, 0.5, 0.1]), /boundaries must be strictly increasing, got 20 then 10 at index 1/);
    assert.throws(() => new S.PiecewiseConstantDecay([10, 10], [1, 0.5, 0.1]), /strictly increasing/);
    assert.throws(() => new S.PiecewiseConstantDecay([10, NaN], [1, 0.5, 0.1]), /boundaries\[1\] must be a finite number/);
    assert.throws(() => new S.PiecewiseConstantDecay([10], [1, -0.5]), /values\[1\] must be ≥ 0/);
    assert.throws(() => new S.PiecewiseConstantDecay({ boundaries: [10] } as any), /PiecewiseConstantDecay: values is required/);
  });
});

describe('PolynomialDecay (Keras formula)', () => {
  test('(lr0 − end)·(1 − s/decaySteps)^power + end with s = min(step, decaySteps)', () => {
    const s = new S.PolynomialDecay(0.1, 100, 0.01, 2);
    assertClose(s.call(0), 0.1, { rtol: 1e-15 });
    assertClose(s.call(50), 0.09 * 0.25 + 0.01, { rtol: 1e-15 });
    assertClose(s.call(100), 0.01, { rtol: 1e-15 });
    assertClose(s.call(500), 0.01, { rtol: 1e-15 });
  });

  test('defaults: endLearningRate 1e-4, power 1 (linear), no cycle', () => {
    const s = new S.PolynomialDecay(1, 10);
    assert.deepEqual([s.endLearningRate, s.power, s.cycle], [1e-4, 1, false]);
    assertClose(s.call(5), (1 - 1e-4) * 0.5 + 1e-4, { rtol: 1e-15 });
  });

  test('cycle: decaySteps stretches to decaySteps·⌈step/decaySteps⌉ (×1 at step 0)', () => {
    const s = new S.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 2, cycle: true });
    assertClose(s.call(0), 0.1, { rtol: 1e-15 });
    assertClose(s.call(100), 0.01, { rtol: 1e-15 });
    assertClose(s.call(150), 0.09 * 0.25 ** 2 + 0.01, { rtol: 1e-15 }); // decaySteps 200
    assertClose(s.call(101), 0.09 * (1 - 101 / 200) ** 2 + 0.01, { rtol: 1e-15 });
  });
});

describe('CosineDecay (Keras 3, with warmup)', () => {
  test('lr0·((1 − alpha)·½(1 + cos(π·s/decaySteps)) + alpha), constant after decaySteps', () => {
    const s = new S.CosineDecay(0.1, 100, 0.1);
    assertClose(s.call(0), 0.1, { rtol: 1e-15 });
    assertClose(s.call(50), 0.1 * (0.9 * 0.5 + 0.1), { rtol: 1e-12 });
    assertClose(s.call(100), 0.01, { rtol: 1e-12 });
    assertClose(s.call(1000), 0.01, { rtol: 1e-12 });
    assertClose(s.call(25), 0.1 * (0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1), { rtol: 1e-12 });
  });

  test('linear warmup from initialLearningRate to warmupTarget, then cosine decay from warmupTarget', () => {
    const s = new S.CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
    assert.equal(s.call(0), 0);
    assertClose(s.call(5), 0.05, { rtol: 1e-15 });
    assertClose(s.call(10), 0.1, { rtol: 1e-15 });
    assertClose(s.call(60), 0.05, { rtol: 1e-12 });
    assertClose(s.call(110), 0, { atol: 1e-17 });
    assertClose(s.call(500), 0, { atol: 1e-17 });
  });

  test('warmupSteps is ignored without warmupTarget (as Keras)', () => {
    const a = new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, warmupSteps: 10 });
    const b = new S.CosineDecay(0.1, 100);
    for (const t of [0, 5, 50, 100]) assert.equal(a.call(t), b.call(t));
  });
});

describe('OneCycle: phases, rounding rules, momentum cycling', () => {
  test('rises in phase 1, falls in phase 2 and phase 3 (monotone between breakpoints)', () => {
    const s = new S.OneCycle({ maxLr: 1, totalSteps: 1000 });
    const [, h, h2, n] = s.breakpoints;
    for (let t = 1; t <= n; t++) {
      const d = s.call(t) - s.call(t - 1);
      if (t <= h) assert.ok(d > 0, `step ${t}: expected rising`);
      else assert.ok(d < 0, `step ${t}: expected falling (h ${h}, 2h ${h2})`);
    }
  });

  test('integer rules: L = ⌊n·f⌋ + 1, h = ⌊(n − L)/2⌋; the last phase spans n − 2h steps', () => {
    const cases: Array<[number, number | undefined, number, number]> = [
      // totalSteps, lastPhaseFraction, L, h
      [10_750, undefined, 1076, 4837],
      [1000, undefined, 101, 449],
      [100, 0.29, 30, 35], // 100·0.29 = 28.999999999999996 in floating point: still 29
      [10, 0, 1, 4],
      [1, undefined, 1, 0],
    ];
    for (const [n, f, L, h] of cases) {
      const s = new S.OneCycle({ maxLr: 0.1, totalSteps: n, lastPhaseFraction: f });
      assert.equal(s.lastPhaseSteps, L, `L for n = ${n}, f = ${f}`);
      assert.equal(s.halfSteps, h, `h for n = ${n}, f = ${f}`);
    }
    const explicit = new S.OneCycle({ maxLr: 0.1, totalSteps: 100, lastPhaseSteps: 20 });
    assert.deepEqual(explicit.breakpoints, [0, 40, 80, 100]);
    // a one-step cycle is all last phase: startLr at step 0, endLr after
    const tiny = new S.OneCycle({ maxLr: 0.1, totalSteps: 1 });
    assert.deepEqual([tiny.call(0), tiny.call(1)], [0.01, 1e-5]);
  });

  test('custom startLr / endLr', () => {
    const s = new S.OneCycle({ maxLr: 0.5, totalSteps: 100, startLr: 0.02, endLr: 0 });
    assert.equal(s.call(0), 0.02);
    assert.equal(s.call(s.halfSteps), 0.5);
    assert.equal(s.call(100), 0);
  });

  test("anneal 'cos' (PyTorch's default) meets the same breakpoints and midpoints", () => {
    const lin = new S.OneCycle({ maxLr: 0.1, totalSteps: 10_750 });
    const cos = new S.OneCycle({ maxLr: 0.1, totalSteps: 10_750, anneal: 'cos' });
    for (const t of [0, 4837, 9674, 10_750]) assertClose(cos.call(t), lin.call(t), { rtol: 1e-12 });
    assertClose(cos.call(4837 / 2), 0.055, { rtol: 1e-12 });
    // a quarter of the way up: 0.1 + (0.01 − 0.1)/2·(1 + cos(π/4))
    assertClose(cos.call(4837 / 4), 0.1 - 0.045 * (1 + Math.SQRT1_2), { rtol: 1e-12 });
  });

  test('momentumAt: 0.95 → 0.85 at the peak → 0.95 at 2h, then held (inverse to the rate)', () => {
    const s = new S.OneCycle({ maxLr: 0.1, totalSteps: 10_750, cycleMomentum: true });
    assert.equal(s.cycleMomentum, true);
    assert.equal(s.momentumAt(0), 0.95);
    assert.equal(s.momentumAt(4837), 0.85);
    assert.equal(s.momentumAt(9674), 0.95);
    assert.equal(s.momentumAt(10_500), 0.95);
    assert.equal(s.momentumAt(50_000), 0.95);
    assertClose(s.momentumAt(4837 / 2), 0.9, { rtol: 1e-12 });
    for (const t of [100, 2000, 4000, 6000, 9000]) {
      // lr and momentum move in opposite directions
      assert.ok(Math.sign(s.call(t + 1) - s.call(t)) === -Math.sign(s.momentumAt(t + 1) - s.momentumAt(t)), `step ${t}`);
    }
    assert.equal(new S.OneCycle({ maxLr: 0.1, totalSteps: 10 }).cycleMomentum, false, 'off by default (the book)');
    const custom = new S.OneCycle({ maxLr: 0.1, totalSteps: 100, maxMomentum: 0.99, minMomentum: 0.9 });
    assert.equal(custom.momentumAt(custom.halfSteps), 0.9);
  });

  test('bad options name the argument', () => {
    assert.throws(() => new S.OneCycle({ totalSteps: 100 } as any), /OneCycle: maxLr is required/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10.5 }), /OneCycle: totalSteps must be a positive integer, got 10.5/);
    assert.throws(() => new S.OneCycle({ maxLr: -1, totalSteps: 10 }), /OneCycle: maxLr must be > 0/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, lastPhaseFraction: 1 }), /lastPhaseFraction must be in \[0, 1\)/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, lastPhaseSteps: 11 }), /lastPhaseSteps \(11\) must be ≤ totalSteps \(10\)/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, lastPhaseSteps: 2, lastPhaseFraction: 0.2 }), /not both/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, anneal: 'exp' as any }), /anneal must be 'linear' or 'cos'/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, minMomentum: 0.99 }), /minMomentum ≤ maxMomentum/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, max_lr: 1 } as any), /OneCycle: option 'maxLr' is given twice \(as 'max_lr' too\)/);
    assert.throws(() => new S.OneCycle({ maxLr: 0.1, totalSteps: 10, maxlr: 1 } as any), /unknown option 'maxlr' \(did you mean 'maxLr'\?\)/);
  });
});

describe('schedules: bad arguments', () => {
  test('every schedule rejects a negative or non-finite step, naming the schedule', () => {
    for (const s of [new S.ExponentialDecay(0.1, 10, 0.5), new S.PiecewiseConstantDecay([1], [1, 2]), new S.OneCycle({ maxLr: 1, totalSteps: 10 })]) {
      assert.throws(() => s.call(-1), /step must be a finite number ≥ 0 \(optimizer.iterations\), got -1/);
      assert.throws(() => s.call(NaN), /step must be a finite number ≥ 0/);
    }
  });

  test('hyper-parameters are validated with the argument named', () => {
    assert.throws(() => new S.ExponentialDecay(-0.1, 10, 0.5), /ExponentialDecay: initialLearningRate must be ≥ 0, got -0.1/);
    assert.throws(() => new S.ExponentialDecay(0.1, 0, 0.5), /ExponentialDecay: decaySteps must be > 0, got 0/);
    assert.throws(() => new S.ExponentialDecay(0.1, 10, 0), /ExponentialDecay: decayRate must be > 0, got 0/);
    assert.throws(() => new S.InverseTimeDecay(0.1, 10, -1), /InverseTimeDecay: decayRate must be ≥ 0, got -1/);
    assert.throws(() => new S.InverseTimeDecay(0.1, 10, 1, 'yes' as any), /InverseTimeDecay: staircase must be true or false/);
    assert.throws(() => new S.InverseTimeDecay(0.1 as any), /InverseTimeDecay: decaySteps is required/);
    assert.throws(() => new S.PolynomialDecay(0.1, 10, -1), /PolynomialDecay: endLearningRate must be ≥ 0/);
    assert.throws(() => new S.CosineDecay(0.1, 10, 2), /CosineDecay: alpha must be in \[0, 1\]/);
    assert.throws(() => new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, decay_rate: 2 } as any), /CosineDecay: unknown option 'decay_rate'/);
  });
});

/** Non-default arguments for every registered schedule (the round trip below fails if one is missing). */
const EXAMPLES: Record<string, () => S.LearningRateSchedule> = {
  inverse_time_decay: () => new S.InverseTimeDecay(0.01, 10_000, 1.0, true, 'power'),
  exponential_decay: () => new S.ExponentialDecay(0.01, 20_000, 0.1),
  piecewise_constant_decay: () => new S.PiecewiseConstantDecay([500, 1500], [0.1, 0.05, 0.01]),
  polynomial_decay: () => new S.PolynomialDecay(0.1, 100, 0.001, 0.5, true),
  cosine_decay: () => new S.CosineDecay({ initialLearningRate: 0.001, decaySteps: 1000, alpha: 0.05, warmupTarget: 0.01, warmupSteps: 100 }),
  one_cycle: () => new S.OneCycle({ maxLr: 0.1, totalSteps: 10_750, anneal: 'cos', cycleMomentum: true, maxMomentum: 0.9, minMomentum: 0.8 }),
};

describe('schedules: registry and config round trip', () => {
  test('scheduleNames() lists every schedule; every spelling resolves', () => {
    assert.deepEqual(S.scheduleNames(), Object.keys(EXAMPLES).sort());
    const spellings: Array<[string, unknown]> = [
      ['ExponentialDecay', S.ExponentialDecay], ['exponential_decay', S.ExponentialDecay], ['exponentialDecay', S.ExponentialDecay],
      ['InverseTimeDecay', S.InverseTimeDecay], ['PiecewiseConstantDecay', S.PiecewiseConstantDecay],
      ['PolynomialDecay', S.PolynomialDecay], ['CosineDecay', S.CosineDecay], ['OneCycle', S.OneCycle], ['1cycle', S.OneCycle],
    ];
    for (const [name, cls] of spellings) assert.equal(S.scheduleClass(name), cls, name);
  });

  for (const name of S.scheduleNames()) {
    test(`${name}: getConfig → JSON → get({ className, config }) → same config and same values`, () => {
      assert.ok(EXAMPLES[name], `add an example for '${name}' to EXAMPLES`);
      const s = EXAMPLES[name]();
      const spec = S.serialize(s);
      assert.equal(spec.className, (s.constructor as typeof S.LearningRateSchedule).className);
      const rebuilt = S.get(JSON.parse(JSON.stringify(spec))) as S.LearningRateSchedule;
      assert.equal(rebuilt.constructor, s.constructor);
      assert.deepEqual(rebuilt.getConfig(), spec.config);
      for (const t of [0, 1, 99, 100, 101, 1719, 5000, 10_749, 20_000]) assert.equal(rebuilt.call(t), s.call(t), `step ${t}`);
      // the saving class registry knows it too (optimizer configs and loadModel rebuild through it)
      assert.deepEqual((gf.deserialize(spec) as S.LearningRateSchedule).getConfig(), spec.config);
    });
  }

  test('Keras snake_case config keys are accepted', () => {
    const s = S.get({ className: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: false } });
    assert.deepEqual((s as S.ExponentialDecay).getConfig(), { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: false, name: 'ExponentialDecay' });
  });

  test('get returns instances and (step) => lr functions unchanged; errors are explicit', () => {
    const s = new S.ExponentialDecay(0.1, 10, 0.5);
    const fn = (step: number): number => 0.1 / (1 + step);
    assert.equal(S.get(s), s);
    assert.equal(S.get(fn), fn);
    assert.throws(() => S.get('exponential_decay' as any), /'exponential_decay' needs its arguments: pass \{ className: 'ExponentialDecay', config/);
    assert.throws(() => S.get({ className: 'StepDecay' }), /unknown learning-rate schedule 'StepDecay'; expected one of: cosine_decay, exponential_decay/);
    assert.throws(() => S.get(42 as any), /expected a LearningRateSchedule, a \(step\) => lr function or a \{ className, config \} object/);
    assert.throws(() => S.serialize(fn), /a plain \(step\) => lr function cannot be serialized/);
  });
});

describe('schedules drive an optimizer (step = optimizer.iterations, 0 at the first update)', () => {
  test('SGD with ExponentialDecay reads the rate at its iteration count', () => {
    const sgd = new gf.optimizers.SGD({ learningRate: new S.ExponentialDecay(0.01, 20_000, 0.1) });
    assert.equal(sgd.learningRate, 0.01);
    sgd.iterations = 1719;
    assertSignificant(sgd.learningRate, 0.0082045, 5, 'after 1,719 steps');
  });

  test('a plain (step) => lr function is a LearningRate', () => {
    const lr: S.LearningRate = (step) => 0.1 / (1 + step);
    const sgd = new gf.optimizers.SGD({ learningRate: lr });
    assert.equal(sgd.learningRate, 0.1);
    sgd.iterations = 4;
    assert.equal(sgd.learningRate, 0.02);
  });

  test('real updates: the k-th update uses the rate at step k', () => {
    const schedule = new S.PiecewiseConstantDecay([0, 1], [1, 0.5, 0.25]);
    const sgd = new gf.optimizers.SGD({ learningRate: schedule });
    const w = new gf.layers.Variable(gf.tensor([0], undefined, 'float64'), 'w');
    const g = gf.tensor([1], undefined, 'float64');
    for (let k = 0; k < 3; k++) sgd.applyGradients([[g, w]]);
    assert.deepEqual(Array.from(w.data), [-(1 + 0.5 + 0.25)]);
  });

  test('an optimizer holding a schedule round-trips through its config', () => {
    const sgd = new gf.optimizers.SGD({ learningRate: new S.OneCycle({ maxLr: 0.1, totalSteps: 10_750 }), momentum: 0.9 });
    const rebuilt = gf.optimizers.get(JSON.parse(JSON.stringify(gf.optimizers.serialize(sgd))));
    rebuilt.iterations = 4837;
    assert.equal(rebuilt.learningRate, 0.1);
    assert.ok(rebuilt.learningRateSchedule instanceof S.OneCycle);
  });
});

describe('OneCycle momentum cycling reaches the optimizer', () => {
  test('SGD uses momentumAt(step) as μ when cycleMomentum is on, its own momentum otherwise', () => {
    const schedule = new S.OneCycle({ maxLr: 0.1, totalSteps: 20, cycleMomentum: true });
    const opt = new gf.optimizers.SGD({ learningRate: schedule, momentum: 0.5 });
    const w = new gf.layers.Variable(gf.tensor([1], undefined, 'float64'), 'w');
    let v = 0, expected = 1;
    for (let step = 0; step < 6; step++) {
      const g = 2 * expected; // d/dw w²
      v = schedule.momentumAt(step) * v - schedule.call(step) * g;
      expected += v;
      opt.applyGradients([[gf.tensor([g], undefined, 'float64'), w]]);
      assert.ok(Math.abs(w.data[0] - expected) < 1e-12, `step ${step}: ${w.data[0]} vs ${expected}`);
    }
    assert.notEqual(schedule.momentumAt(5), 0.5);
  });

  test('Adam uses momentumAt(step) as β1', () => {
    const schedule = new S.OneCycle({ maxLr: 0.01, totalSteps: 10, cycleMomentum: true });
    const cycled = new gf.optimizers.Adam({ learningRate: schedule });
    const sameLrs = new S.OneCycle({ maxLr: 0.01, totalSteps: 10, cycleMomentum: false });
    const fixed = new gf.optimizers.Adam({ learningRate: sameLrs, beta1: schedule.momentumAt(0) });
    const a = new gf.layers.Variable(gf.tensor([1, -1], undefined, 'float64'), 'a');
    const b = new gf.layers.Variable(gf.tensor([1, -1], undefined, 'float64'), 'b');
    const g = () => gf.tensor([0.3, -0.2], undefined, 'float64');
    cycled.applyGradients([[g(), a]]);
    fixed.applyGradients([[g(), b]]);
    assert.deepEqual(Array.from(a.data), Array.from(b.data)); // step 0: β1 = momentumAt(0) in both
    cycled.applyGradients([[g(), a]]);
    fixed.applyGradients([[g(), b]]);
    assert.notDeepEqual(Array.from(a.data), Array.from(b.data)); // step 1: the cycled β1 moved
  });
});
