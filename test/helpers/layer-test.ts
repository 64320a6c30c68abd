/**
 * `runLayerTest`: the checks every layer must pass (after Keras' `run_layer_test`):
 *
 *   runLayerTest({
 *     create: (args) => new Dense(4, args),            // args carries { dtype } — pass it on
 *     inputShape: [2, 3], expectedOutputShape: [2, 4],
 *     expectedWeights: [{ name: 'kernel', shape: [3, 4] }, { name: 'bias', shape: [4] }],
 *   });
 *
 * 1. shapes: the output of a real call (inference and training) has `expectedOutputShape`, and
 *    `computeOutputShape` agrees, with a concrete and with a null batch dimension; float32 and
 *    float64 layers give outputs of their own dtype;
 * 2. weights: names (`<layer>/<name>`), shapes, trainable / non-trainable counts, countParams;
 * 3. gradients (float64, central differences) of the output with respect to the input and to
 *    each trainable weight, in inference mode and in training mode. The generator is reseeded
 *    before every call, so random layers (dropout, noise) draw the same mask each time and are
 *    checked too; opt out of the training-mode check only with a reason;
 * 4. config round trip: getConfig → JSON → Cls.fromConfig → getConfig is deep-equal (the name
 *    included), and the rebuilt layer given `setWeights(original.getWeights())` computes the same
 *    outputs (inference, and training under the same seed);
 * 5. the class registry resolves `className` to the class, and `deserialize` rebuilds it;
 * 6. `extraChecks(context)`, the extension point for checks added later (model save/load).
 *
 * A failure names the layer class and the check.
 */
import assert from 'node:assert/strict';
import * as gf from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { checkGradients, randn, randnAwayFrom } from './gradcheck.js';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig } from '../../src/layers/index.js';
import { deserialize, getClass } from '../../src/saving/class-registry.js';

export interface ExpectedWeight {
  /** The weight's own name: the full name is `<layer name>/<name>`. */
  name: string;
  shape: readonly number[];
  /** Default true. */
  trainable?: boolean;
}

export interface LayerTestContext<L extends Layer> {
  /** The float64 layer under test (built, weights as initialized). */
  layer: L;
  /** The layer rebuilt from its config, holding the same weights. */
  rebuilt: L;
  /** The float64 input used by the checks. */
  input: Tensor;
  /** The JSON form of `layer.getConfig()`. */
  config: LayerConfig;
  /** The seed reseeded before every call (for comparing random layers' outputs). */
  seed: number;
}

export interface LayerTestSpec<L extends Layer> {
  /** Makes a fresh layer; must pass `args` (dtype, name) to the constructor. */
  create: (args: LayerArgs) => L;
  /** Input shape, batch dimension included. */
  inputShape: readonly number[];
  /** Output shape, batch dimension included. */
  expectedOutputShape: readonly number[];
  /** Weights in `layer.weights` order (default: none). */
  expectedWeights?: readonly ExpectedWeight[];
  /** A specific float64 input (default: standard normal values away from `kinks`). */
  input?: Tensor;
  /** Points where the layer is not differentiable; random inputs keep `kinkMargin` away. */
  kinks?: readonly number[];
  kinkMargin?: number;
  /** Skips the training-mode gradient check; the reason is required and shows in failures. */
  skipTrainingGradCheck?: string;
  /** Gradient-check tolerances (DESIGN.md defaults: eps 1e-6, atol 1e-5, rtol 1e-3). */
  gradCheck?: { eps?: number; atol?: number; rtol?: number };
  /** Seed of the input, the upstream gradients, and the generator before every call. */
  seed?: number;
  /** Runs after the standard checks; the extension point for e.g. model save/load round trips. */
  extraChecks?: (context: LayerTestContext<L>) => void;
}

const INFERENCE: CallOptions = { training: false };
const TRAINING: CallOptions = { training: true };

function mode(options: CallOptions): string {
  return options.training ? 'training' : 'inference';
}

/** Runs `fn`, prefixing any assertion failure with the layer class and the check's name. */
function check(label: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) {
      const message = `${label}: ${e.message}`;
      // reporters print the stack, which captured the old message
      if (e.stack) e.stack = e.stack.replace(e.message, message);
      e.message = message;
    }
    throw e;
  }
}

/** Runs every standard check on the layer made by `spec.create`; returns the context. */
export function runLayerTest<L extends Layer>(spec: LayerTestSpec<L>): LayerTestContext<L> {
  const seed = spec.seed ?? 7;
  const layer = spec.create({ dtype: 'float64' });
  assert.ok(layer instanceof Layer, 'runLayerTest: create() must return a Layer');
  const Cls = layer.constructor as typeof Layer;
  const className = Cls.className;
  const at = (what: string): string => `${className} (${layer.name}): ${what}`;
  const input = spec.input ?? randnAwayFrom(spec.inputShape, seed, spec.kinks ?? [], spec.kinkMargin ?? 0.05);
  assert.deepEqual(input.shape, spec.inputShape, at(`the given input has shape [${input.shape}], inputShape is [${spec.inputShape}]`));
  assert.equal(input.dtype, 'float64', at('the input must be float64'));
  /** A call with the generator reseeded first: random layers repeat their draws. */
  const run = (l: Layer, x: Tensor, options: CallOptions): Tensor => {
    gf.setSeed(seed);
    return l.apply(x, options);
  };

  check(at('output shape'), () => checkShapes(layer, input, spec.expectedOutputShape, run));
  check(at('float32'), () => checkFloat32(spec, input));
  check(at('weights'), () => checkWeights(layer, spec.expectedWeights ?? []));

  const tolerances = { ...spec.gradCheck, seed };
  check(at('gradients in inference mode'), () => checkLayerGradients(layer, input, INFERENCE, run, tolerances));
  if (spec.skipTrainingGradCheck === undefined) {
    check(at('gradients in training mode'), () => checkLayerGradients(layer, input, TRAINING, run, tolerances));
  } else {
    assert.ok(spec.skipTrainingGradCheck.trim().length > 0, at('skipTrainingGradCheck needs a reason'));
  }

  let rebuilt!: L;
  let config!: LayerConfig;
  check(at('config round trip'), () => {
    ({ rebuilt, config } = checkConfigRoundTrip(layer, Cls));
    checkSameOutputs(layer, rebuilt, input, run);
  });
  check(at('class registry'), () => {
    assert.equal(getClass(className), Cls, `getClass('${className}') does not return the class: is it registered?`);
    const viaRegistry = deserialize<Layer>({ className, config });
    assert.ok(viaRegistry instanceof Cls, `deserialize({ className: '${className}' }) did not make a ${className}`);
    assert.deepEqual(toJson(viaRegistry.getConfig()), config);
  });

  const context: LayerTestContext<L> = { layer, rebuilt, input, config, seed };
  if (spec.extraChecks) check(at('extraChecks'), () => spec.extraChecks!(context));
  return context;
}

function checkShapes(layer: Layer, input: Tensor, expected: readonly number[],
  run: (l: Layer, x: Tensor, o: CallOptions) => Tensor): void {
  for (const options of [INFERENCE, TRAINING]) {
    const y = run(layer, input, options);
    assert.deepEqual(y.shape, expected, `${mode(options)} call gives [${y.shape}], expected [${expected}]`);
    assert.equal(y.dtype, 'float64', `a float64 layer gave a ${y.dtype} output`);
  }
  assert.deepEqual(layer.computeOutputShape(input.shape), expected, 'computeOutputShape (concrete batch)');
  assert.deepEqual(layer.computeOutputShape([null, ...input.shape.slice(1)]), [null, ...expected.slice(1)],
    'computeOutputShape (batch null)');
}

function checkFloat32<L extends Layer>(spec: LayerTestSpec<L>, input: Tensor): void {
  const layer = spec.create({ dtype: 'float32' });
  assert.equal(layer.dtype, 'float32', 'create(args) must pass args.dtype to the layer');
  const y = layer.apply(gf.cast(input, 'float32'), INFERENCE);
  assert.equal(y.dtype, 'float32', `a float32 layer gave a ${y.dtype} output`);
  assert.deepEqual(y.shape, spec.expectedOutputShape);
  assert.ok(layer.weights.every((w) => w.dtype === 'float32'), 'a float32 layer made non-float32 weights');
}

function checkWeights(layer: Layer, expected: readonly ExpectedWeight[]): void {
  const names = layer.weights.map((w) => w.name ?? '');
  assert.deepEqual(names.map((n) => n.slice(n.lastIndexOf('/') + 1)), expected.map((w) => w.name),
    `weight names [${names.join(', ')}]`);
  for (const [i, w] of layer.weights.entries()) {
    assert.equal(names[i], `${layer.name}/${expected[i].name}`, 'weight names are <layer name>/<weight name>');
    assert.deepEqual(w.shape, expected[i].shape, `weight ${names[i]} shape`);
    assert.equal(w.dtype, 'float64', `weight ${names[i]} of a float64 layer is ${w.dtype}`);
  }
  const nTrainable = expected.filter((w) => w.trainable ?? true).length;
  assert.equal(layer.trainableWeights.length, nTrainable, 'number of trainable weights');
  assert.equal(layer.nonTrainableWeights.length, expected.length - nTrainable, 'number of non-trainable weights');
  const params = expected.reduce((p, w) => p + w.shape.reduce((q, d) => q * d, 1), 0);
  assert.equal(layer.countParams(), params, 'countParams');
}

interface Tolerances { eps?: number; atol?: number; rtol?: number; seed: number }

function checkLayerGradients(layer: Layer, input: Tensor, options: CallOptions,
  run: (l: Layer, x: Tensor, o: CallOptions) => Tensor, tol: Tolerances): void {
  checkGradients((x) => run(layer, x, options), [input], { ...tol, name: 'd output / d input' });
  const weights = layer.trainableWeights;
  if (weights.length === 0) return;
  // Weights are leaves on the tape: backward() fills their .grad, exactly as in training.
  const dy = randn(run(layer, input, options).shape, tol.seed + 1);
  for (const w of weights) w.grad = null;
  const y = run(layer, input, options);
  if (y.requiresGrad) y.backward(dy); // else no weight reaches the output: analytic gradients are 0
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = tol;
  const failures: string[] = [];
  for (const w of weights) {
    const analytic = w.grad ?? gf.zerosLike(w);
    w.grad = null;
    for (let k = 0; k < w.size; k++) {
      const v = w.data[k];
      w.data[k] = v + eps;
      const plus = dot(gf.noGrad(() => run(layer, input, options)), dy);
      w.data[k] = v - eps;
      const minus = dot(gf.noGrad(() => run(layer, input, options)), dy);
      w.data[k] = v;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic.data[k];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        failures.push(`${w.name}[${k}]: analytic ${a}, numeric ${numeric}`);
      }
    }
  }
  assert.equal(failures.length, 0, `d output / d weight differs from central differences (eps ${eps}, atol ${atol}, ` +
    `rtol ${rtol}) at ${failures.length} element(s):\n  ${failures.slice(0, 10).join('\n  ')}`);
}

function dot(y: Tensor, dy: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += y.data[i] * dy.data[i];
  return s;
}

/** The config as saved: JSON round trip (undefined members dropped, no class instances). */
function toJson(config: LayerConfig): LayerConfig {
  return JSON.parse(JSON.stringify(config)) as LayerConfig;
}

function checkConfigRoundTrip<L extends Layer>(layer: L, Cls: typeof Layer): { rebuilt: L; config: LayerConfig } {
  const raw = layer.getConfig();
  assert.equal(raw.name, layer.name, 'getConfig() must carry the layer name');
  const config = toJson(raw);
  assert.deepEqual(config, raw, 'getConfig() must be plain JSON (no functions, class instances or undefined values)');
  const rebuilt = (Cls as unknown as { fromConfig(c: LayerConfig): L }).fromConfig(structuredClone(config));
  assert.ok(rebuilt instanceof Cls, `fromConfig made a ${rebuilt?.constructor?.name}, not a ${Cls.className}`);
  assert.deepEqual(toJson(rebuilt.getConfig()), config, 'getConfig() → fromConfig → getConfig() changed the config');
  return { rebuilt, config };
}

function checkSameOutputs(layer: Layer, rebuilt: Layer, input: Tensor,
  run: (l: Layer, x: Tensor, o: CallOptions) => Tensor): void {
  run(rebuilt, input, INFERENCE); // builds it
  rebuilt.setWeights(layer.getWeights());
  for (const options of [INFERENCE, TRAINING]) {
    const expected = run(layer, input, options);
    const actual = run(rebuilt, input, options);
    assert.deepEqual(Array.from(actual.data), Array.from(expected.data),
      `the layer rebuilt from its config (with the same weights and seed) computes different ${mode(options)} outputs`);
  }
}
