/**
 * The demo: a Keras-style MLP learns the two-spirals problem (not linearly separable).
 * He initialization + ReLU + batch norm + Nesterov momentum — the chapter's default recipe.
 *
 *   npm run demo
 */
import * as gf from '../src/node.js'; // what `import 'gradflow'` gives in Node

gf.setSeed(42);
console.log(`gradflow demo — backend: ${gf.getBackend()}\n`);

/** Two interleaved spirals with a little noise; label = which spiral. */
function spirals(n: number): { x: gf.Tensor; y: gf.Tensor } {
  const points: number[][] = [];
  const labels: number[] = [];
  const rng = gf.getRng();
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 5;
      const t = 1.75 * (i / n) * 2 * Math.PI + c * Math.PI;
      points.push([r * Math.sin(t) + 0.1 * rng.normal(), r * Math.cos(t) + 0.1 * rng.normal()]);
      labels.push(c);
    }
  }
  return { x: gf.tensor(points), y: gf.tensor(labels, undefined, 'int32') };
}

// separate sets: validationSplit would take the *last* 10% (Keras semantics) — one class here
const train = spirals(1000);
const valid = spirals(200);
const test = spirals(200);

const model = new gf.Sequential([
  new gf.layers.Dense(64, { inputShape: [2], activation: 'relu', kernelInitializer: 'he_normal' }),
  new gf.layers.BatchNormalization(),
  new gf.layers.Dense(64, { activation: 'relu', kernelInitializer: 'he_normal' }),
  new gf.layers.BatchNormalization(),
  new gf.layers.Dense(2, { activation: 'softmax' }),
]);
model.summary();
console.log();

model.compile({
  optimizer: new gf.optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
  loss: 'sparse_categorical_crossentropy',
  metrics: ['accuracy'],
});
const start = Date.now();
await model.fit(train.x, train.y, { epochs: 30, batchSize: 32, validationData: [valid.x, valid.y] });
const { loss, accuracy } = await model.evaluate(test.x, test.y);
console.log(`\ntest loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(1)}% ` +
  `(${((Date.now() - start) / 1000).toFixed(1)} s)`);
