import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { LearningRateSchedule } from '../src/schedules/schedule.js';
import { assertClose } from './helpers/assert-close.js';

const { Variable } = gf.layers;
type Optimizer = gf.optimizers.Optimizer;

/** A float64 variable named like a layer weight. */
function variable(values: number[], name = 'dense/kernel'): gf.layers.Variable {
  return new Variable(gf.tensor(values, undefined, 'float64'), name);
}
const f64 = (values: number[]): gf.Tensor => gf.tensor(values, undefined, 'float64');

const W0 = [1, -2, 3];
const G = [
  [0.1, -0.2, 0.3],
  [0.5, 0.1, -0.4],
  [-0.3, 0.7, 0.2],
  [0.05, -0.6, 0.9],
  [1.2, 0.4, -0.1],
];

/**
 * Weights after each of 5 steps from W0 with gradients G, printed by
 * `node scripts/optimizer-goldens.mjs` (independent float64 implementation of the Keras
 * formulas in shared/reference/keras-semantics.md).
 */
const GOLDEN: Record<string, number[][]> = {
  'sgd default': [
    [0.99900000000000000, -1.9980000000000000, 2.9969999999999999],
    [0.99399999999999999, -1.9989999999999999, 3.0009999999999999],
    [0.99700000000000000, -2.0059999999999998, 2.9990000000000001],
    [0.99650000000000005, -1.9999999999999998, 2.9900000000000002],
    [0.98450000000000004, -2.0039999999999996, 2.9910000000000001],
  ],
  'sgd lr 0.1 momentum 0.9': [
    [0.98999999999999999, -1.9800000000000000, 2.9700000000000002],
    [0.93099999999999994, -1.9720000000000000, 2.9830000000000001],
    [0.90789999999999993, -2.0348000000000002, 2.9746999999999999],
    [0.88210999999999995, -2.0313200000000000, 2.8772300000000000],
    [0.73889899999999997, -2.0681880000000001, 2.7995069999999997],
  ],
  'sgd lr 0.1 momentum 0.9 nesterov': [
    [0.98099999999999998, -1.9620000000000000, 2.9430000000000001],
    [0.87789999999999990, -1.9647999999999999, 2.9946999999999999],
    [0.88710999999999995, -2.0913199999999996, 2.9672299999999998],
    [0.85889899999999997, -2.0281879999999997, 2.7895070000000000],
    [0.61000909999999997, -2.1013691999999997, 2.7295562999999996],
  ],
  'sgd lr 0.1 weightDecay 0.1': [
    [0.97999999999999998, -1.9600000000000000, 2.9400000000000004],
    [0.92019999999999991, -1.9503999999999999, 2.9506000000000006],
    [0.94099799999999989, -2.0008960000000000, 2.9010940000000005],
    [0.92658801999999985, -1.9208870400000000, 2.7820830600000006],
    [0.79732213979999988, -1.9416781696000001, 2.7642622294000003],
  ],
  'adagrad default': [
    [0.99969848879247281, -1.9994654777070759, 2.9993117529795059],
    [0.99886515557488020, -1.9997236765107569, 2.9999878762866996],
    [0.99931236912068977, -2.0005986764423973, 2.9996676200201478],
    [0.99923803971427827, -1.9999986764723974, 2.9988460362181226],
    [0.99836574490030261, -2.0003700671327431, 2.9989369453052750],
  ],
  'adagrad lr 0.1': [
    [0.96984887924727536, -1.9465477707075935, 2.9311752979505927],
    [0.88651555748801369, -1.9723676510756842, 2.9987876286699704],
    [0.93123691206897041, -2.0598676442397474, 2.9667620020148022],
    [0.92380397142781812, -1.9998676472397472, 2.8846036218122930],
    [0.83657449003025020, -2.0370067132743359, 2.8936945305275446],
  ],
  'rmsprop default': [
    [0.99683788044185706, -1.9968377618675612, 2.9968377399078943],
    [0.99373103760961135, -1.9983121654030720, 2.9994143610678159],
    [0.99540002134204963, -2.0013487602894742, 2.9981665549853718],
    [0.99510806316979261, -1.9992764173784479, 2.9953773968647091],
    [0.99220102125674314, -2.0005991850468088, 2.9957023377613043],
  ],
  'rmsprop lr 0.1 momentum 0.5': [
    [0.68378804418570760, -1.6837761867561230, 2.6837739907894442],
    [0.21499778305399087, -1.6731046336852526, 2.7833231021763480],
    [0.14750102573196047, -1.9714283457900379, 2.7083170496253737],
    [0.084556829845242959, -1.9133559107398008, 2.3918982112836291],
    [-0.23761945940306631, -2.0165964600507835, 2.2661828817722749],
  ],
  'rmsprop lr 0.1 centered': [
    [0.66668518364211815, -1.6666712961998478, 2.6666687242607834],
    [0.33275097018975114, -1.8151481272886201, 2.9252390369091334],
    [0.50104483843619363, -2.1307444948779808, 2.8002907869811078],
    [0.47151223121910163, -1.9234952325305725, 2.5077075548516410],
    [0.16155659465209854, -2.0567662018114787, 2.5412903014467783],
  ],
  'rmsprop lr 0.1 centered momentum 0.5': [
    [0.66668518364211815, -1.6666712961998478, 2.6666687242607834],
    [0.16609356201081016, -1.6484837753885440, 2.7585733990395256],
    [0.084091619441598708, -1.9549863825722527, 2.6795774865008708],
    [0.013558040939901012, -1.9009884238166987, 2.3474962981020768],
    [-0.33166438487795091, -2.0072604137198282, 2.2150384504978171],
  ],
  'adam default': [
    [0.99900003162177664, -1.9990000158111383, 2.9990000105408146],
    [0.99813899069976064, -1.9987336825395066, 2.9991935197258712],
    [0.99788946380588983, -1.9992796556147896, 2.9990950040450435],
    [0.99763681128585480, -1.9992583310273451, 2.9985547852344503],
    [0.99705316503648023, -1.9994538077313573, 2.9981520575816800],
  ],
  'adam lr 0.1': [
    [0.90000316217766341, -1.9000015811138304, 2.9000010540814425],
    [0.81389906997606853, -1.8733682539506664, 2.9193519725871018],
    [0.78894638058898747, -1.9279655614789670, 2.9095004045043460],
    [0.76368112858548232, -1.9258331027345190, 2.8554785234450120],
    [0.70531650364802412, -1.9453807731357327, 2.8152057581679775],
  ],
  'adam lr 0.1 beta2 0.5 amsgrad': [
    [0.90000014142115625, -1.9000000707106282, 2.9000000471404297],
    [0.82468646842297377, -1.8742159863871166, 2.9185079970184806],
    [0.80235632556393766, -1.9173543435365539, 2.9095594863610104],
    [0.78202107207334459, -1.9155838490480097, 2.8682176469325196],
    [0.74221756738812406, -1.9315961151163812, 2.8400755620175180],
  ],
  'adam lr 0.1 beta2 0.5': [
    [0.90000014142115625, -1.9000000707106282, 2.9000000471404297],
    [0.82468646842297377, -1.8702271779175019, 2.9185079970184806],
    [0.80050782385763586, -1.9133655350669392, 2.9077750192209377],
    [0.76972066529907768, -1.9115950405783950, 2.8664331797924469],
    [0.72991716061385714, -1.9299475903526437, 2.8270783383469915],
  ],
  'adamw default': [
    [0.99899603162177664, -1.9989920158111383, 2.9989880105408147],
    [0.99813099471563416, -1.9987176865714433, 2.9991695237738289],
    [0.99787747529778448, -1.9992556647759800, 2.9990590114149063],
    [0.99762083126784828, -1.9992263431658763, 2.9985067963682672],
    [0.99703319453514860, -1.9994138229645160, 2.9980920746883113],
  ],
  'adamw lr 0.1 weightDecay 0.5': [
    [0.85000316217766336, -1.8000015811138304, 2.7500010540814426],
    [0.72139891186718530, -1.6833681748949747, 2.6318519198830299],
    [0.66037627688674494, -1.6537970736785266, 2.4904077558061228],
    [0.60209221103890254, -1.5689747612501523, 2.3118654869564828],
    [0.51362297554949921, -1.5100736935888583, 2.1559994473316242],
  ],
  'adamax default': [
    [0.99900000099999897, -1.9990000004999997, 2.9990000003333330],
    [0.99837894849263054, -1.9987892635526314, 2.9991710529221489],
    [0.99820829817164258, -1.9991203125301147, 2.9990944080307362],
    [0.99805801231939129, -1.9991058420321073, 2.9987794909386554],
    [0.99776658478391034, -1.9992347132665920, 2.9985683963997958],
  ],
  'adamax lr 0.1': [
    [0.90000009999990005, -1.9000000499999750, 2.9000000333333222],
    [0.83789484926305546, -1.8789263552631381, 2.9171052922149023],
    [0.82082981716425829, -1.9120312530114631, 2.9094408030736179],
    [0.80580123193913089, -1.9105842032107134, 2.8779490938655141],
    [0.77665847839103863, -1.9234713266591832, 2.8568396399795377],
  ],
  'nadam default': [
    [0.99893721325947793, -1.9989372127280849, 2.9989372125509539],
    [0.99792122666951177, -1.9993298077400363, 2.9997114432924068],
    [0.99837775624382197, -2.0003384412037408, 2.9993350683544411],
    [0.99824361012076601, -1.9996864608012397, 2.9983537392462480],
    [0.99714491427659624, -2.0001497697314270, 2.9983641121406932],
  ],
  'nadam lr 0.1': [
    [0.89372132594779696, -1.8937212728084865, 2.8937212550953713],
    [0.79212266695117894, -1.9329807740036304, 2.9711443292406794],
    [0.83777562438219877, -2.0338441203740620, 2.9335068354441289],
    [0.82436101207660206, -1.9686460801239580, 2.8353739246248346],
    [0.71449142765962481, -2.0149769731426721, 2.8364112140693449],
  ],
  'nadam lr 0.1 momentumDecay 0.004': [
    [0.89435492780953341, -1.8943548749870236, 2.8943548573795086],
    [0.79064789140670444, -1.9354658219062371, 2.9741852743872292],
    [0.84060070420552480, -2.0421855136088003, 2.9340130901119368],
    [0.82695727408826192, -1.9693668124680634, 2.8271507478954931],
    [0.70395029110478935, -2.0216382944066207, 2.8315421299880290],
  ],
};

const CASES: Array<[string, () => Optimizer]> = [
  ['sgd default', () => new gf.optimizers.SGD()],
  ['sgd lr 0.1 momentum 0.9', () => new gf.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 })],
  ['sgd lr 0.1 momentum 0.9 nesterov', () => new gf.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['sgd lr 0.1 weightDecay 0.1', () => new gf.optimizers.SGD({ learningRate: 0.1, weightDecay: 0.1 })],
  ['adagrad default', () => new gf.optimizers.Adagrad()],
  ['adagrad lr 0.1', () => new gf.optimizers.Adagrad({ learningRate: 0.1 })],
  ['rmsprop default', () => new gf.optimizers.RMSprop()],
  ['rmsprop lr 0.1 momentum 0.5', () => new gf.optimizers.RMSprop({ learningRate: 0.1, momentum: 0.5 })],
  ['rmsprop lr 0.1 centered', () => new gf.optimizers.RMSprop({ learningRate: 0.1, centered: true })],
  ['rmsprop lr 0.1 centered momentum 0.5', () => new gf.optimizers.RMSprop({ learningRate: 0.1, centered: true, momentum: 0.5 })],
  ['adam default', () => new gf.optimizers.Adam()],
  ['adam lr 0.1', () => new gf.optimizers.Adam({ learningRate: 0.1 })],
  ['adam lr 0.1 beta2 0.5 amsgrad', () => new gf.optimizers.Adam({ learningRate: 0.1, beta2: 0.5, amsgrad: true })],
  ['adam lr 0.1 beta2 0.5', () => new gf.optimizers.Adam({ learningRate: 0.1, beta2: 0.5 })],
  ['adamw default', () => new gf.optimizers.AdamW()],
  ['adamw lr 0.1 weightDecay 0.5', () => new gf.optimizers.AdamW({ learningRate: 0.1, weightDecay: 0.5 })],
  ['adamax default', () => new gf.optimizers.Adamax()],
  ['adamax lr 0.1', () => new gf.optimizers.Adamax({ learningRate: 0.1 })],
  ['nadam default', () => new gf.optimizers.Nadam()],
  ['nadam lr 0.1', () => new gf.optimizers.Nadam({ learningRate: 0.1 })],
  ['nadam lr 0.1 momentumDecay 0.004', () => new gf.optimizers.Nadam({ learningRate: 0.1, momentumDecay: 0.004 })],
];

/** Runs `steps` updates of `opt` on a fresh W0 variable; returns the weights after each step. */
function trajectory(opt: Optimizer, steps = 5, w = variable(W0)): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    opt.applyGradients([[f64(G[k]), w]]);
    out.push(Array.from(w.data));
  }
  return out;
}

describe('optimizers: golden values (float64)', () => {
  for (const [name, make] of CASES) {
    test(`${name}: one update and a 5-step trajectory`, () => {
      const expected = GOLDEN[name];
      const opt = make();
      const got = trajectory(opt);
      assertClose(got[0], expected[0], { atol: 1e-6, rtol: 0, message: `${name}, step 1` });
      got.forEach((w, k) => assertClose(w, expected[k], { atol: 1e-6, rtol: 0, message: `${name}, step ${k + 1}` }));
      // the float64 path is exact up to reordering of the same operations
      got.forEach((w, k) => assertClose(w, expected[k], { atol: 1e-12, rtol: 1e-12, message: `${name}, step ${k + 1} (tight)` }));
      assert.equal(opt.iterations, 5);
    });
  }

  test('every registered optimizer has a golden case', () => {
    const covered = new Set(CASES.map(([, make]) => make().className));
    for (const name of gf.optimizers.optimizerNames()) {
      assert.ok(covered.has(gf.optimizers.get(name).className), `no golden trajectory for '${name}'`);
    }
  });

  test('float32 variables follow the float64 trajectory to float32 precision', () => {
    for (const [name, make] of CASES) {
      const w = new Variable(gf.tensor(W0), 'dense/kernel');
      const opt = make();
      for (let k = 0; k < 5; k++) opt.applyGradients([[gf.tensor(G[k]), w]]);
      assert.equal(w.dtype, 'float32');
      assertClose(Array.from(w.data), GOLDEN[name][4], { atol: 1e-5, rtol: 1e-5, message: name });
    }
  });

  test('defaults are Keras\'', () => {
    const o = gf.optimizers;
    assert.equal(new o.SGD().learningRate, 0.01);
    for (const cls of [o.Adagrad, o.RMSprop, o.Adam, o.AdamW, o.Adamax, o.Nadam]) assert.equal(new cls().learningRate, 0.001, cls.className);
    const adam = new o.Adam();
    assert.deepEqual([adam.beta1, adam.beta2, adam.epsilon, adam.amsgrad, adam.weightDecay], [0.9, 0.999, 1e-7, false, null]);
    assert.equal(new o.AdamW().weightDecay, 0.004);
    const rms = new o.RMSprop();
    assert.deepEqual([rms.rho, rms.momentum, rms.epsilon, rms.centered], [0.9, 0, 1e-7, false]);
    const ada = new o.Adagrad();
    assert.deepEqual([ada.initialAccumulatorValue, ada.epsilon], [0.1, 1e-7]);
    assert.equal(new o.Nadam().momentumDecay, 1);
    const sgd = new o.SGD();
    assert.deepEqual([sgd.momentum, sgd.nesterov], [0, false]);
  });
});

describe('optimizers: Adam-family details', () => {
  test('epsilon sits outside the square root after the bias-corrected step size (Keras, not PyTorch)', () => {
    // one step from m = v = 0: m = 0.1·g, v = 0.001·g², α = η·sqrt(0.001)/0.1,
    // Δ = α·m/(sqrt(v)+ε) = η·|g|·sqrt(0.001)/(sqrt(0.001)·|g| + ε)·sign(g)
    const eps = 0.01, lr = 1, g = 0.5;
    const w = variable([0]);
    new gf.optimizers.Adam({ learningRate: lr, epsilon: eps }).applyGradients([[f64([g]), w]]);
    const keras = -lr * Math.sqrt(0.001) * g / (Math.sqrt(0.001) * g + eps);
    const pytorch = -lr * g / (g + eps); // ε added to the bias-corrected sqrt(v̂) = |g|
    assertClose(w.data[0], keras, { atol: 1e-15 });
    assert.ok(Math.abs(w.data[0] - pytorch) > 1e-3);
  });

  test('amsgrad uses the running maximum of v (differs from Adam once v shrinks)', () => {
    const plain = trajectory(new gf.optimizers.Adam({ learningRate: 0.1, beta2: 0.5 }));
    const ams = new gf.optimizers.Adam({ learningRate: 0.1, beta2: 0.5, amsgrad: true });
    const w = variable(W0);
    const got = trajectory(ams, 5, w);
    assert.notDeepEqual(got[4], plain[4]);
    const { velocity, velocityHat } = ams.slotsOf(w);
    for (let i = 0; i < 3; i++) assert.ok(velocityHat.data[i] >= velocity.data[i]);
  });

  test('AdamW equals Adam after a manual decoupled decay w −= η·wd·w each step', () => {
    const lr = 0.05, wd = 0.3;
    const aw = variable(W0);
    const adamw = new gf.optimizers.AdamW({ learningRate: lr, weightDecay: wd });
    const a = variable(W0);
    const adam = new gf.optimizers.Adam({ learningRate: lr });
    for (let k = 0; k < 5; k++) {
      adamw.applyGradients([[f64(G[k]), aw]]);
      for (let i = 0; i < 3; i++) a.data[i] -= lr * wd * a.data[i];
      adam.applyGradients([[f64(G[k]), a]]);
      assertClose(aw, a, { atol: 1e-14, rtol: 0, message: `step ${k + 1}` });
    }
  });

  test('Adam with weightDecay is AdamW (Keras 3 decays in the base class)', () => {
    const a = trajectory(new gf.optimizers.Adam({ learningRate: 0.1, weightDecay: 0.5 }));
    assertClose(a[4], GOLDEN['adamw lr 0.1 weightDecay 0.5'][4], { atol: 1e-12 });
  });

  test('Nadam: the Keras 3 schedule (0.96^t) and the Dozat / Keras 2 one (0.96^(0.004·t)) differ', () => {
    const keras3 = new gf.optimizers.Nadam();
    const legacy = new gf.optimizers.Nadam({ momentumDecay: 0.004 });
    assertClose(keras3.momentumAt(1), 0.9 * (1 - 0.5 * 0.96), { atol: 1e-15 });
    assertClose(legacy.momentumAt(1), 0.9 * (1 - 0.5 * 0.96 ** 0.004), { atol: 1e-15 });
    assert.ok(keras3.momentumAt(200) > 0.899, 'Keras 3: μ_t ≈ β1 after 200 steps');
    assert.ok(legacy.momentumAt(200) < 0.47, 'legacy: μ_t still ≈ β1/2 after 200 steps');
  });

  test('Nadam recomputes its momentum product when iterations jump (e.g. after loading)', () => {
    const straight = new gf.optimizers.Nadam({ learningRate: 0.1 });
    const w1 = variable(W0);
    trajectory(straight, 5, w1);
    // replay steps 4 and 5 on a fresh optimizer whose state is copied after step 3
    const first = new gf.optimizers.Nadam({ learningRate: 0.1 });
    const w2 = variable(W0);
    trajectory(first, 3, w2);
    const resumed = new gf.optimizers.Nadam({ learningRate: 0.1 });
    resumed.iterations = 3;
    resumed.restoreSlots(w2, first.slotsOf(w2));
    resumed.applyGradients([[f64(G[3]), w2]]);
    resumed.applyGradients([[f64(G[4]), w2]]);
    assertClose(w2, w1, { atol: 1e-15, rtol: 0 });
  });
});

describe('optimizers: gradient clipping', () => {
  test('clipnorm of [1, 1] at 1 gives [√2/2, √2/2]', () => {
    const w = variable([0, 0]);
    const opt = new gf.optimizers.SGD({ learningRate: 1, clipnorm: 1 });
    opt.applyGradients([[f64([1, 1]), w]]);
    assertClose(w, [-Math.SQRT1_2, -Math.SQRT1_2], { atol: 1e-15 });
    assert.deepEqual(opt.lastClip, { method: 'clipnorm', clipped: true, normBefore: Math.SQRT2, normAfter: 1 });
  });

  test('clipnorm rescales each variable separately and leaves small gradients alone', () => {
    const a = variable([0, 0]), b = variable([0]);
    const opt = new gf.optimizers.SGD({ learningRate: 1, clipnorm: 1 });
    opt.applyGradients([[f64([3, 4]), a], [f64([0.5]), b]]);
    assertClose(a, [-0.6, -0.8], { atol: 1e-15 });
    assertClose(b, [-0.5], { atol: 1e-15 });
    assertClose(opt.lastClip!.normBefore, Math.sqrt(25.25), { atol: 1e-12 });
    assertClose(opt.lastClip!.normAfter, Math.sqrt(1.25), { atol: 1e-12 });
  });

  test('globalClipnorm rescales all gradients jointly', () => {
    const a = variable([0, 0]), b = variable([0]);
    const opt = new gf.optimizers.SGD({ learningRate: 1, globalClipnorm: 2.5 });
    // global norm of [3, 4] and [0] is 5 → every gradient × 0.5
    opt.applyGradients([[f64([3, 4]), a], [f64([0]), b]]);
    assertClose(a, [-1.5, -2], { atol: 1e-15 });
    assertClose(b, [0], { atol: 1e-15 });
    assert.deepEqual(opt.lastClip, { method: 'globalClipnorm', clipped: true, normBefore: 5, normAfter: 2.5 });
    const c = variable([0, 0]), d = variable([0]);
    const two = new gf.optimizers.SGD({ learningRate: 1, globalClipnorm: 1 });
    two.applyGradients([[f64([1, 2]), c], [f64([2]), d]]); // norm 3
    assertClose(c, [-1 / 3, -2 / 3], { atol: 1e-15 });
    assertClose(d, [-2 / 3], { atol: 1e-15 });
    two.applyGradients([[f64([0.1, 0]), c], [f64([0]), d]]);
    assert.equal(two.lastClip!.clipped, false);
    assertClose(c, [-1 / 3 - 0.1, -2 / 3], { atol: 1e-15 });
  });

  test('clipvalue clips each element to ±v', () => {
    const w = variable([0, 0, 0, 0]);
    const opt = new gf.optimizers.SGD({ learningRate: 1, clipvalue: 0.5 });
    opt.applyGradients([[f64([2, -3, 0.25, -0.5]), w]]);
    assertClose(w, [-0.5, 0.5, -0.25, 0.5], { atol: 1e-15 });
    assert.equal(opt.lastClip!.clipped, true);
    assertClose(opt.lastClip!.normAfter, Math.sqrt(0.25 + 0.25 + 0.0625 + 0.25), { atol: 1e-15 });
  });

  test('clipping never modifies the caller\'s gradient tensors', () => {
    const g = f64([3, 4]);
    new gf.optimizers.SGD({ clipnorm: 1 }).applyGradients([[g, variable([0, 0])]]);
    new gf.optimizers.SGD({ clipvalue: 1 }).applyGradients([[g, variable([0, 0])]]);
    new gf.optimizers.SGD({ globalClipnorm: 1 }).applyGradients([[g, variable([0, 0])]]);
    assert.deepEqual(Array.from(g.data), [3, 4]);
  });

  test('without clipping the global norm is measured only when asked (it costs a pass per step)', () => {
    const opt = new gf.optimizers.Adam();
    assert.equal(opt.lastClip, null);
    opt.applyGradients([[f64([3, 0]), variable([0, 0])], [f64([4]), variable([0])]]);
    assert.equal(opt.lastClip, null);
    opt.recordGradientNorm = true;
    opt.applyGradients([[f64([3, 0]), variable([0, 0])], [f64([4]), variable([0])]]);
    assert.deepEqual(opt.lastClip, { method: null, clipped: false, normBefore: 5, normAfter: 5 });
  });

  test('at most one clipping option, with a clear error', () => {
    assert.throws(() => new gf.optimizers.Adam({ clipnorm: 1, clipvalue: 1 }), /Adam: at most one of clipvalue, clipnorm and globalClipnorm can be set, got clipvalue and clipnorm/);
    assert.throws(() => new gf.optimizers.SGD({ clipnorm: 1, globalClipnorm: 1 }), /at most one/);
    assert.doesNotThrow(() => new gf.optimizers.SGD({ clipnorm: null, globalClipnorm: 1 }));
  });
});

describe('optimizers: pipeline', () => {
  test('variables without a gradient are skipped (no state created), iterations counts steps', () => {
    const a = variable([1, 2]), b = variable([3]);
    const opt = new gf.optimizers.Adam();
    opt.applyGradients([[f64([1, 1]), a], [null, b]]);
    assert.deepEqual(Array.from(b.data), [3]);
    assert.deepEqual(Object.keys(opt.slotsOf(b)), []);
    assert.deepEqual(Object.keys(opt.slotsOf(a)).sort(), ['momentum', 'velocity']);
    assert.equal(opt.iterations, 1);
    opt.applyGradients([[undefined, a], [null, b]]);
    assert.equal(opt.iterations, 2);
  });

  test('weight decay is decoupled (w −= η·wd·w before the step) and honours exclusions', () => {
    const kernel = variable([1, -2], 'dense/kernel');
    const bias = variable([1, -2], 'dense/bias');
    const other = variable([1, -2], 'other/gamma');
    const opt = new gf.optimizers.SGD({ learningRate: 0.1, weightDecay: 0.5, excludeFromWeightDecay: ['bias'] });
    opt.excludeFromWeightDecay(other);
    const zero = f64([0, 0]);
    opt.applyGradients([[zero, kernel], [zero, bias], [zero, other]]);
    assertClose(kernel, [0.95, -1.9], { atol: 1e-15 });
    assert.deepEqual(Array.from(bias.data), [1, -2]);
    assert.deepEqual(Array.from(other.data), [1, -2]);
    assert.equal(opt.usesWeightDecay(kernel), true);
    assert.equal(opt.usesWeightDecay(bias), false);
    opt.excludeFromWeightDecay('kernel');
    assert.equal(opt.usesWeightDecay(kernel), false);
    assert.deepEqual(opt.getConfig().excludeFromWeightDecay, ['bias', 'kernel']);
  });

  test('weight decay uses the learning rate of the step, before the update (Keras order)', () => {
    const w = variable([2]);
    const opt = new gf.optimizers.SGD({ learningRate: (step) => (step === 0 ? 0.1 : 0.2), weightDecay: 1 });
    opt.applyGradients([[f64([1]), w]]);
    assertClose(w, [2 - 0.1 * 2 - 0.1], { atol: 1e-15 });
    opt.applyGradients([[f64([1]), w]]);
    assertClose(w, [1.7 - 0.2 * 1.7 - 0.2], { atol: 1e-15 });
  });

  test('the variable\'s constraint is applied after the update', () => {
    const nonNeg = { call: (x: gf.Tensor) => gf.relu(x), getConfig: () => ({}) };
    const w = new Variable(f64([0.05, 1]), 'dense/kernel', true, { constraint: nonNeg });
    new gf.optimizers.SGD({ learningRate: 1 }).applyGradients([[f64([0.1, 0.1]), w]]);
    assertClose(w, [0, 0.9], { atol: 1e-15 });
  });

  test('a gradient whose size does not match its variable is an error naming the variable', () => {
    assert.throws(() => new gf.optimizers.SGD().applyGradients([[f64([1, 2, 3]), variable([1, 2])]]),
      /SGD.applyGradients: gradient of shape \[3\] does not match variable 'dense\/kernel' of shape \[2\]/);
  });

  test('Nesterov SGD looks ahead: w ← w + μ·v − η·g with the updated v', () => {
    const w = variable([0]);
    const opt = new gf.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    opt.applyGradients([[f64([1]), w]]); // v = −0.1; w = 0.9·(−0.1) − 0.1
    assertClose(w, [-0.19], { atol: 1e-15 });
    opt.applyGradients([[f64([1]), w]]); // v = −0.19; w += 0.9·(−0.19) − 0.1
    assertClose(w, [-0.19 - 0.171 - 0.1], { atol: 1e-15 });
    assertClose(opt.slotsOf(w).momentum, [-0.19], { atol: 1e-15 });
  });
});

/** A tiny local schedule: lr0 · 0.5^step. */
class Halving extends LearningRateSchedule {
  static override className = 'TestHalving';
  constructor(readonly lr0 = 0.1) { super(); }
  call(step: number): number { return this.lr0 * 0.5 ** step; }
  getConfig(): Record<string, unknown> { return { lr0: this.lr0 }; }
}

describe('optimizers: learning rate', () => {
  test('a schedule drives the rate of every step (evaluated at iterations)', () => {
    const w = variable([0]);
    const opt = new gf.optimizers.SGD({ learningRate: new Halving(0.8) });
    const expected = [0];
    for (let k = 0; k < 4; k++) {
      assert.equal(opt.learningRate, 0.8 * 0.5 ** k);
      opt.applyGradients([[f64([1]), w]]);
      expected[0] -= 0.8 * 0.5 ** k;
      assertClose(w, expected, { atol: 1e-15 });
    }
    assert.ok(opt.learningRateSchedule instanceof Halving);
    assert.deepEqual(opt.getConfig().learningRate, { className: 'TestHalving', config: { lr0: 0.8 } });
  });

  test('a (step) => lr function works but cannot be serialized', () => {
    const seen: number[] = [];
    const opt = new gf.optimizers.Adam({ learningRate: (step) => { seen.push(step); return 0.01 / (1 + step); } });
    const w = variable([1]);
    opt.applyGradients([[f64([1]), w]]);
    opt.applyGradients([[f64([1]), w]]);
    assert.ok(seen.includes(0) && seen.includes(1));
    assert.equal(opt.learningRate, 0.01 / 3);
    assert.throws(() => opt.getConfig(), /Adam.getConfig: a learning-rate function cannot be serialized; use a LearningRateSchedule/);
  });

  test('a schedule returning a bad value is an error naming the step', () => {
    const opt = new gf.optimizers.SGD({ learningRate: (step) => (step < 1 ? 0.1 : Number.NaN) });
    opt.applyGradients([[f64([1]), variable([0])]]);
    assert.throws(() => opt.applyGradients([[f64([1]), variable([0])]]), /SGD: the learning-rate schedule function returned NaN at step 1/);
  });

  test('learningRate is live: read, set a number (replacing a schedule), set a schedule back', () => {
    const opt = new gf.optimizers.Adam({ learningRate: new Halving(1) });
    opt.iterations = 3;
    assert.equal(opt.learningRate, 0.125);
    const schedule = opt.learningRateSchedule!;
    opt.learningRate = 0.02;
    assert.equal(opt.learningRate, 0.02);
    assert.equal(opt.learningRateSchedule, null);
    assert.equal(opt.getConfig().learningRate, 0.02);
    const w = variable([0]);
    opt.applyGradients([[f64([1]), w]]);
    assert.equal(opt.iterations, 4);
    assert.equal(opt.learningRate, 0.02);
    opt.learningRate = schedule;
    assert.equal(opt.learningRate, 1 / 16);
    assert.throws(() => { opt.learningRate = -1; }, /Adam: learningRate must be a finite number ≥ 0, got -1/);
    assert.throws(() => { opt.learningRate = Number.NaN; }, /learningRate must be a finite number ≥ 0, got NaN/);
    assert.throws(() => { (opt as any).learningRate = '0.1'; }, /Adam: learningRate must be a number, a LearningRateSchedule/);
  });

  test('iterations starts at 0 and counts applyGradients calls', () => {
    const opt = new gf.optimizers.RMSprop();
    assert.equal(opt.iterations, 0);
    const w = variable([1, 2]);
    for (let i = 0; i < 3; i++) opt.applyGradients([[f64([1, 1]), w]]);
    assert.equal(opt.iterations, 3);
  });
});

describe('optimizers: hyper-parameter validation names the argument', () => {
  const o = gf.optimizers;
  const cases: Array<[() => unknown, RegExp]> = [
    [() => new o.SGD({ learningRate: -0.1 }), /SGD: learningRate must be a finite number ≥ 0, got -0.1/],
    [() => new o.Adam({ learningRate: Number.NaN }), /Adam: learningRate must be a finite number ≥ 0, got NaN/],
    [() => new o.Adam({ beta1: 1 }), /Adam: beta1 must be a number in \[0, 1\), got 1/],
    [() => new o.Adam({ beta1: -0.1 }), /Adam: beta1 must be a number in \[0, 1\), got -0.1/],
    [() => new o.Adamax({ beta2: 1.5 }), /Adamax: beta2 must be a number in \[0, 1\), got 1.5/],
    [() => new o.Nadam({ beta2: 1 }), /Nadam: beta2 must be a number in \[0, 1\)/],
    [() => new o.AdamW({ beta1: 1 }), /AdamW: beta1 must be a number in \[0, 1\)/],
    [() => new o.SGD({ momentum: -0.5 }), /SGD: momentum must be a number in \[0, 1\], got -0.5/],
    [() => new o.SGD({ momentum: 1.1 }), /SGD: momentum must be a number in \[0, 1\], got 1.1/],
    [() => new o.RMSprop({ momentum: 2 }), /RMSprop: momentum must be a number in \[0, 1\], got 2/],
    [() => new o.RMSprop({ rho: 1 }), /RMSprop: rho must be a number in \[0, 1\), got 1/],
    [() => new o.RMSprop({ rho: -0.1 }), /RMSprop: rho must be a number in \[0, 1\)/],
    [() => new o.Adam({ epsilon: 0 }), /Adam: epsilon must be a number > 0, got 0/],
    [() => new o.Adagrad({ epsilon: -1e-7 }), /Adagrad: epsilon must be a number > 0/],
    [() => new o.RMSprop({ epsilon: 0 }), /RMSprop: epsilon must be a number > 0/],
    [() => new o.Nadam({ epsilon: 0 }), /Nadam: epsilon must be a number > 0/],
    [() => new o.Adamax({ epsilon: 0 }), /Adamax: epsilon must be a number > 0/],
    [() => new o.AdamW({ weightDecay: -0.01 }), /AdamW: weightDecay must be a number ≥ 0, got -0.01/],
    [() => new o.SGD({ weightDecay: -1 }), /SGD: weightDecay must be a number ≥ 0/],
    [() => new o.Adagrad({ initialAccumulatorValue: -0.1 }), /Adagrad: initialAccumulatorValue must be a number ≥ 0, got -0.1/],
    [() => new o.SGD({ clipnorm: -1 }), /SGD: clipnorm must be a number ≥ 0, got -1/],
    [() => new o.SGD({ clipvalue: Number.NaN }), /SGD: clipvalue must be a number ≥ 0, got NaN/],
    [() => new o.SGD({ globalClipnorm: -1 }), /SGD: globalClipnorm must be a number ≥ 0/],
    [() => new o.Nadam({ momentumDecay: 0 }), /Nadam: momentumDecay must be a number > 0/],
    [() => new o.SGD({ nesterov: 'yes' as any }), /SGD: nesterov must be a boolean/],
    [() => new o.Adam({ learning_rate: 0.1 } as any), /Adam: unknown option 'learning_rate' \(did you mean 'learningRate'\?\)/],
    [() => new o.Adam({ beta_1: 0.8 } as any), /did you mean 'beta1'/],
    [() => new o.SGD({ excludeFromWeightDecay: 'bias' as any }), /SGD: excludeFromWeightDecay must be an array of variable-name substrings/],
  ];
  for (const [make, message] of cases) {
    test(String(message), () => assert.throws(make, message));
  }
});
