/** runLayerTest itself: it must pass correct layers and catch broken ones, naming the check. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/index.js';
import { runLayerTest } from './helpers/layer-test.js';
import { Layer, Variable, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from '../src/layers/index.js';
import { registerClass } from '../src/saving/class-registry.js';

/** y = x·scale (elementwise, one weight per unit); variants break one thing each. */
class Scale extends Layer {
  static override className = 'TestScale';
  scale: Variable | null = null;
  readonly factor: number;
  constructor(args: LayerArgs & { factor?: number } = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }
  override build(inputShape: LayerShape): void {
    this.scale = this.addWeight('scale', [inputShape[inputShape.length - 1] as number], { initializer: 'ones' });
    super.build(inputShape);
  }
  call(x: gf.Tensor, _options: CallOptions): gf.Tensor {
    return gf.mul(gf.mul(x, this.scale!), this.factor);
  }
  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
}
registerClass(Scale);

const spec = { inputShape: [2, 3], expectedOutputShape: [2, 3], expectedWeights: [{ name: 'scale', shape: [3] }] };

describe('runLayerTest', () => {
  test('passes a correct layer and returns its context', () => {
    const ctx = runLayerTest({ ...spec, create: (a) => new Scale({ ...a, factor: 2 }) });
    assert.equal(ctx.config.factor, 2);
    assert.equal(ctx.rebuilt.name, ctx.layer.name);
    let called = false;
    runLayerTest({ ...spec, create: (a) => new Scale(a), extraChecks: () => { called = true; } });
    assert.ok(called, 'extraChecks runs');
  });

  test('catches a wrong input gradient', () => {
    class NoInputGrad extends Scale {
      static override className = 'TestNoInputGrad';
      override call(x: gf.Tensor): gf.Tensor { return gf.mul(gf.stopGradient(x), this.scale!); }
    }
    registerClass(NoInputGrad);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new NoInputGrad(a) }),
      /TestNoInputGrad \(\w+\): gradients in inference mode: d output \/ d input: gradient check failed/);
  });

  test('catches a wrong weight gradient', () => {
    class NoWeightGrad extends Scale {
      static override className = 'TestNoWeightGrad';
      override call(x: gf.Tensor): gf.Tensor { return gf.add(gf.mul(x, gf.stopGradient(this.scale!)), gf.mul(this.scale!, 0)); }
    }
    registerClass(NoWeightGrad);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new NoWeightGrad(a) }),
      /gradients in inference mode: d output \/ d weight differs[\s\S]*\/scale\[0\]: analytic 0, numeric/);
  });

  test('catches a training-mode-only gradient bug, unless skipped with a reason', () => {
    class BadInTraining extends Scale {
      static override className = 'TestBadInTraining';
      override call(x: gf.Tensor, o: CallOptions): gf.Tensor { return gf.mul(o.training ? gf.stopGradient(x) : x, this.scale!); }
    }
    registerClass(BadInTraining);
    const create = (a: LayerArgs): Layer => new BadInTraining(a);
    assert.throws(() => runLayerTest({ ...spec, create }), /gradients in training mode/);
    runLayerTest({ ...spec, create, skipTrainingGradCheck: 'demonstration' });
    assert.throws(() => runLayerTest({ ...spec, create, skipTrainingGradCheck: ' ' }), /needs a reason/);
  });

  test('catches a config that loses an argument', () => {
    class Forgetful extends Scale {
      static override className = 'TestForgetful';
      override getConfig(): LayerConfig { const { factor: _, ...rest } = super.getConfig(); return rest; }
    }
    registerClass(Forgetful);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new Forgetful({ ...a, factor: 3 }) }),
      /config round trip: the layer rebuilt from its config .* computes different inference outputs/);
  });

  test('catches a config that is not plain JSON', () => {
    class NotJson extends Scale {
      static override className = 'TestNotJson';
      override getConfig(): LayerConfig { return { ...super.getConfig(), extra: undefined }; }
    }
    registerClass(NotJson);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new NotJson(a) }), /config round trip: getConfig\(\) must be plain JSON/);
  });

  test('catches an unregistered class', () => {
    class Unregistered extends Scale { static override className = 'TestUnregistered'; }
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new Unregistered(a) }), /class registry: .*unknown class 'TestUnregistered'/);
  });

  test('catches a wrong computeOutputShape, wrong weights, and a factory that drops dtype', () => {
    class WrongShape extends Scale {
      static override className = 'TestWrongShape';
      override computeOutputShape(s: LayerShape): LayerShape { return [s[0], 7]; }
    }
    registerClass(WrongShape);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new WrongShape(a) }), /output shape: computeOutputShape/);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new Scale(a), expectedWeights: [] }), /weights: weight names/);
    assert.throws(() => runLayerTest({ ...spec, create: (a) => new Scale(a), expectedWeights: [{ name: 'scale', shape: [3], trainable: false }] }),
      /weights: number of trainable weights/);
    assert.throws(() => runLayerTest({ ...spec, create: () => new Scale() }), /output shape: a float64 layer gave a float32 output/);
  });
});
