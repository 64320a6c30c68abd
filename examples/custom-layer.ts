/**
 * Writing your own layer: the pattern of docs/custom-layers.md, runnable.
 *
 *   npx tsx examples/custom-layer.ts
 */
import * as gf from '../src/node.js'; // what `import 'gradflow'` gives in Node

/** y = x·W + b scaled by a learned per-unit gain: a Dense layer with a twist. */
export class ScaledDense extends gf.layers.Layer {
  static override className = 'ScaledDense'; // stable name for saving (minifiers rename classes)
  readonly units: number;
  kernel: gf.layers.Variable | null = null;
  bias: gf.layers.Variable | null = null;
  gain: gf.layers.Variable | null = null;

  constructor(units: number, args: gf.layers.LayerArgs = {}) {
    super(args);
    this.units = units;
  }

  /** Create weights once the input shape is known (batch dimension is null). */
  override build(inputShape: gf.layers.LayerShape): void {
    const inputDim = inputShape[inputShape.length - 1]!;
    this.kernel = this.addWeight('kernel', [inputDim, this.units], { initializer: 'he_normal' });
    this.bias = this.addWeight('bias', [this.units], { initializer: 'zeros' });
    this.gain = this.addWeight('gain', [this.units], { initializer: 'ones' });
    super.build(inputShape);
  }

  /** A few lines over gradflow ops: autograd derives the backward pass. */
  call(x: gf.Tensor): gf.Tensor {
    return gf.mul(gf.add(gf.matmul(x, this.kernel!), this.bias!), this.gain!);
  }

  computeOutputShape(inputShape: gf.layers.LayerShape): gf.layers.LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  /** Everything the constructor needs, so the layer can be saved and rebuilt. */
  override getConfig(): gf.layers.LayerConfig {
    return { ...super.getConfig(), units: this.units };
  }

  static override fromConfig<T extends gf.layers.Layer>(this: new (...args: any[]) => T, config: gf.layers.LayerConfig): T {
    return new this(config.units as number, config);
  }
}
gf.registerClass(ScaledDense); // before gf.loadModel() reads a model that uses it

async function main(): Promise<void> {
  gf.setSeed(7);
  const model = new gf.Sequential([
    new ScaledDense(16, { inputShape: [4] }),
    new gf.layers.Activation('relu'),
    new gf.layers.Dense(1),
  ]);
  model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  const x = gf.randomNormal([256, 4]);
  const y = gf.sum(gf.mul(x, gf.tensor([1, -2, 0.5, 3])), -1, true);
  const history = await model.fit(x, y, { epochs: 20, verbose: 0 });
  const losses = history.history.loss;
  console.log(`loss ${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(4)}`);
  model.summary();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
