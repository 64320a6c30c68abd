#!/usr/bin/env node
/**
 * Golden values for test/optimizers.test.ts: plain float64 JavaScript implementing the Keras
 * formulas of shared/reference/keras-semantics.md ("Optimizers") directly, written without the
 * library (no shared code), one function per optimizer, t = step index starting at 1.
 *
 *   node scripts/optimizer-goldens.mjs          # prints the trajectories pasted into the tests
 *
 * Each case starts from w = [1, -2, 3] and applies the fixed gradients G[0..4] (independent of w).
 */
const W0 = [1, -2, 3];
const G = [
  [0.1, -0.2, 0.3],
  [0.5, 0.1, -0.4],
  [-0.3, 0.7, 0.2],
  [0.05, -0.6, 0.9],
  [1.2, 0.4, -0.1],
];

const zeros = () => W0.map(() => 0);

function sgd({ lr = 0.01, momentum = 0, nesterov = false, wd = 0 }) {
  const w = [...W0], v = zeros(), out = [];
  for (const g of G) {
    for (let i = 0; i < w.length; i++) {
      w[i] = w[i] - lr * wd * w[i];
      if (momentum === 0) { w[i] = w[i] - lr * g[i]; continue; }
      v[i] = momentum * v[i] - lr * g[i];
      w[i] = nesterov ? w[i] + momentum * v[i] - lr * g[i] : w[i] + v[i];
    }
    out.push([...w]);
  }
  return out;
}

function adagrad({ lr = 0.001, init = 0.1, eps = 1e-7 }) {
  const w = [...W0], acc = W0.map(() => init), out = [];
  for (const g of G) {
    for (let i = 0; i < w.length; i++) {
      acc[i] = acc[i] + g[i] ** 2;
      w[i] = w[i] - lr * g[i] / Math.sqrt(acc[i] + eps);
    }
    out.push([...w]);
  }
  return out;
}

function rmsprop({ lr = 0.001, rho = 0.9, momentum = 0, eps = 1e-7, centered = false }) {
  const w = [...W0], s = zeros(), mg = zeros(), b = zeros(), out = [];
  for (const g of G) {
    for (let i = 0; i < w.length; i++) {
      s[i] = rho * s[i] + (1 - rho) * g[i] ** 2;
      mg[i] = rho * mg[i] + (1 - rho) * g[i];
      const denom = centered ? s[i] - mg[i] ** 2 + eps : s[i] + eps;
      const inc = lr * g[i] / Math.sqrt(denom);
      if (momentum > 0) { b[i] = momentum * b[i] + inc; w[i] = w[i] - b[i]; } else w[i] = w[i] - inc;
    }
    out.push([...w]);
  }
  return out;
}

function adam({ lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-7, amsgrad = false, wd = 0 }) {
  const w = [...W0], m = zeros(), v = zeros(), vmax = zeros(), out = [];
  G.forEach((g, k) => {
    const t = k + 1;
    const alpha = lr * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
    for (let i = 0; i < w.length; i++) {
      w[i] = w[i] - w[i] * wd * lr; // decoupled decay first (AdamW)
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
      vmax[i] = Math.max(vmax[i], v[i]);
      w[i] = w[i] - alpha * m[i] / (Math.sqrt(amsgrad ? vmax[i] : v[i]) + eps);
    }
    out.push([...w]);
  });
  return out;
}

function adamax({ lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-7 }) {
  const w = [...W0], m = zeros(), u = zeros(), out = [];
  G.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      w[i] = w[i] - lr / (1 - b1 ** t) * m[i] / (u[i] + eps);
    }
    out.push([...w]);
  });
  return out;
}

function nadam({ lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-7, decay = 1 }) {
  const mu = (t) => b1 * (1 - 0.5 * 0.96 ** (decay * t));
  const prod = (t) => { let p = 1; for (let i = 1; i <= t; i++) p *= mu(i); return p; };
  const w = [...W0], m = zeros(), v = zeros(), out = [];
  G.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
      const gPrime = g[i] / (1 - prod(t));
      const mPrime = m[i] / (1 - prod(t + 1));
      const mBar = (1 - mu(t)) * gPrime + mu(t + 1) * mPrime;
      const vHat = v[i] / (1 - b2 ** t);
      w[i] = w[i] - lr * mBar / (Math.sqrt(vHat) + eps);
    }
    out.push([...w]);
  });
  return out;
}

const cases = {
  'sgd default': sgd({}),
  'sgd lr 0.1 momentum 0.9': sgd({ lr: 0.1, momentum: 0.9 }),
  'sgd lr 0.1 momentum 0.9 nesterov': sgd({ lr: 0.1, momentum: 0.9, nesterov: true }),
  'sgd lr 0.1 weightDecay 0.1': sgd({ lr: 0.1, wd: 0.1 }),
  'adagrad default': adagrad({}),
  'adagrad lr 0.1': adagrad({ lr: 0.1 }),
  'rmsprop default': rmsprop({}),
  'rmsprop lr 0.1 momentum 0.5': rmsprop({ lr: 0.1, momentum: 0.5 }),
  'rmsprop lr 0.1 centered': rmsprop({ lr: 0.1, centered: true }),
  'rmsprop lr 0.1 centered momentum 0.5': rmsprop({ lr: 0.1, centered: true, momentum: 0.5 }),
  'adam default': adam({}),
  'adam lr 0.1': adam({ lr: 0.1 }),
  'adam lr 0.1 beta2 0.5 amsgrad': adam({ lr: 0.1, b2: 0.5, amsgrad: true }),
  'adam lr 0.1 beta2 0.5': adam({ lr: 0.1, b2: 0.5 }),
  'adamw default': adam({ wd: 0.004 }),
  'adamw lr 0.1 weightDecay 0.5': adam({ lr: 0.1, wd: 0.5 }),
  'adamax default': adamax({}),
  'adamax lr 0.1': adamax({ lr: 0.1 }),
  'nadam default': nadam({}),
  'nadam lr 0.1': nadam({ lr: 0.1 }),
  'nadam lr 0.1 momentumDecay 0.004': nadam({ lr: 0.1, decay: 0.004 }),
};

for (const [name, traj] of Object.entries(cases)) {
  console.log(`  '${name}': [`);
  for (const w of traj) console.log(`    [${w.map((x) => x.toPrecision(17)).join(', ')}],`);
  console.log('  ],');
}
