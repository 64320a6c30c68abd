/**
 * The engine underneath: a small network trained by hand with gradflow's autograd on a
 * synthetic two-spirals problem — what model.fit does for you (see demo.ts).
 *
 *   npx tsx examples/autograd.ts
 */
import * as gf from '../src/node.js'; // what `import 'gradflow'` gives in Node

gf.setSeed(42);
console.log(`gradflow engine demo — backend: ${gf.getBackend()}`);

// Two interleaved spirals, 200 points each: not linearly separable.
const n = 200;
const points: number[][] = [];
const labels: number[] = [];
for (let c = 0; c < 2; c++) {
  for (let i = 0; i < n; i++) {
    const r = (i / n) * 5;
    const t = 1.75 * (i / n) * 2 * Math.PI + c * Math.PI;
    points.push([r * Math.sin(t) + 0.1 * gf.getRng().normal(), r * Math.cos(t) + 0.1 * gf.getRng().normal()]);
    labels.push(c);
  }
}
const x = gf.tensor(points);
const y = gf.oneHot(gf.tensor(labels, undefined, 'int32'), 2);

// He-initialized weights: std sqrt(2 / fan_in) keeps ReLU activations' variance stable.
const hidden = 64;
const w1 = gf.randomNormal([2, hidden], { stddev: Math.sqrt(2 / 2) }).requireGrad();
const b1 = gf.zeros([hidden]).requireGrad();
const w2 = gf.randomNormal([hidden, hidden], { stddev: Math.sqrt(2 / hidden) }).requireGrad();
const b2 = gf.zeros([hidden]).requireGrad();
const w3 = gf.randomNormal([hidden, 2], { stddev: Math.sqrt(1 / hidden) }).requireGrad();
const b3 = gf.zeros([2]).requireGrad();
const params = [w1, b1, w2, b2, w3, b3];

function forward(input: gf.Tensor): gf.Tensor {
  const h1 = gf.relu(gf.add(gf.matmul(input, w1), b1));
  const h2 = gf.relu(gf.add(gf.matmul(h1, w2), b2));
  return gf.add(gf.matmul(h2, w3), b3); // logits
}

function crossEntropy(logits: gf.Tensor, target: gf.Tensor): gf.Tensor {
  return gf.neg(gf.mean(gf.sum(gf.mul(target, gf.logSoftmax(logits)), -1)));
}

const learningRate = 0.05;
const velocity = params.map((p) => gf.zerosLike(p));
const start = Date.now();
let first = 0;
let last = 0;
for (let step = 0; step <= 1500; step++) {
  const loss = crossEntropy(forward(x), y);
  for (const p of params) p.grad = null;
  loss.backward();
  // SGD with momentum 0.9, written out by hand (the optimizers module does this for models).
  gf.noGrad(() => params.forEach((p, i) => {
    velocity[i] = gf.sub(gf.mul(velocity[i], 0.9), gf.mul(p.grad!, learningRate));
    p.assign(gf.add(p, velocity[i]));
  }));
  if (step === 0) first = loss.item();
  last = loss.item();
  if (step % 300 === 0) {
    const accuracy = gf.mean(gf.equal(gf.argmax(forward(x), -1), gf.argmax(y, -1))).item();
    console.log(`step ${String(step).padStart(4)}  loss ${loss.item().toFixed(4)}  accuracy ${(accuracy * 100).toFixed(1)}%`);
  }
}
console.log(`loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
