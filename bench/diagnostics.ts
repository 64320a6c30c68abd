/**
 * Diagnostics overhead (issue 6): seconds per epoch of the book MLP (784-300-100-10, ReLU,
 * SGD lr 0.01, batch 32) on the training bench's synthetic data (60,000 uniform 28×28 images),
 * with and without gf.diagnostics.Monitor sampling every 50 steps (its default): statistics of
 * the sampled step's own batch (the default), and of a fixed 128-sample probe (one more forward
 * pass per sample). One model trains throughout; epochs alternate off / on / probe after a
 * warm-up epoch, and each configuration reports its fastest and median epoch, so drift of the
 * machine hits all alike. On a shared VM epoch times vary by ±15% from one epoch to the next, more
 * than the overhead itself: the cost of one sample against one training step (last rows, medians
 * of interleaved short runs) is the figure to trust.
 *
 *   npm run bench -- diagnostics           (5 epochs each)
 *   npm run bench -- diagnostics --quick   (6,000 samples, 2 epochs each)
 */
import * as gf from '../src/node.js';
import { IMAGE, SAMPLES, syntheticData } from './train.js';
import type { BenchTable } from './sgemm.js';

class EpochTimer extends gf.Callback {
  seconds: number[] = [];
  private t0 = 0;
  override onEpochBegin(): void { this.t0 = performance.now(); }
  override onEpochEnd(): void { this.seconds.push((performance.now() - this.t0) / 1000); }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

export async function benchDiagnostics(log: (line: string) => void, { quick = false } = {}): Promise<BenchTable> {
  const samples = quick ? 6_000 : SAMPLES;
  const rounds = quick ? 2 : 5;
  const data = syntheticData(samples);
  const x = new gf.Tensor(data.x.subarray(0, samples * IMAGE), [samples, 28, 28]);
  const y = new gf.Tensor(data.y.subarray(0, samples), [samples], 'int32');
  gf.setSeed(42);
  const model = new gf.Sequential([
    new gf.layers.Flatten({ inputShape: [28, 28] }),
    new gf.layers.Dense(300, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new gf.layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  const probe = new gf.Tensor(data.x.slice(0, 128 * IMAGE), [128, 28, 28]);
  const monitor = new gf.diagnostics.Monitor({ every: 50 });
  const probed = new gf.diagnostics.Monitor({ every: 50, probe });
  const off = new EpochTimer(), on = new EpochTimer(), onProbe = new EpochTimer();
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 }); // warm-up: JIT, wasm memory
  for (let r = 0; r < rounds; r++) {
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [off] });
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [on, monitor] });
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [onProbe, probed] });
    log(`  round ${r + 1}: off ${off.seconds[r].toFixed(3)} s, monitor ${on.seconds[r].toFixed(3)} s, with probe ${onProbe.seconds[r].toFixed(3)} s`);
  }
  // the cost of one sample alone: short runs that sample every step, between runs that do not
  // (medians of 5 interleaved rounds: the JIT is warm and load spikes fall out)
  const steps = 100;
  const short = { x: gf.slice(x, [0, 0, 0], [steps * 32, 28, 28]), y: gf.slice(y, [0], [steps * 32]) };
  const perStep = async (callbacks: gf.Callback[]) => {
    const t = new EpochTimer();
    await model.fit(short.x, short.y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [t, ...callbacks] });
    return (t.seconds[0] / steps) * 1000;
  };
  const stepTimes: number[] = [], sampleTimes: number[] = [], probeTimes: number[] = [];
  for (let r = 0; r < 5; r++) {
    const a = await perStep([]);
    const b = await perStep([new gf.diagnostics.Monitor({ every: 1 })]);
    const c = await perStep([new gf.diagnostics.Monitor({ every: 1, probe })]);
    const d = await perStep([]);
    const base = (a + d) / 2;
    stepTimes.push(base);
    sampleTimes.push(b - base);
    probeTimes.push(c - base);
  }
  const stepMs = median(stepTimes), sampleMs = median(sampleTimes), probeSampleMs = median(probeTimes);
  const tOff = median(off.seconds), tOn = median(on.seconds), tProbe = median(onProbe.seconds);
  const fOff = Math.min(...off.seconds), fOn = Math.min(...on.seconds), fProbe = Math.min(...onProbe.seconds);
  const stepsPerEpoch = Math.ceil(samples / 32);
  const pct = (t: number, base: number) => { const p = (t / base - 1) * 100; return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`; };
  const share = (ms: number) => `≈ ${((ms / 50 / stepMs) * 100).toFixed(1)}% at every 50`;
  log(`  ${monitor.series.steps.length} samples taken; findings: ${monitor.findings.map((f) => `${f.code} ${f.layer ?? ''}`).join('; ') || 'none'}`);
  return {
    columns: ['configuration', 's/epoch (fastest / median)', 'overhead (fastest / median)'],
    rows: [
      [`no monitor (${samples.toLocaleString('en-US')} samples, ${stepsPerEpoch} steps of 32)`, `${fOff.toFixed(3)} / ${tOff.toFixed(3)}`, '—'],
      [`Monitor every 50 steps (${Math.ceil(stepsPerEpoch / 50)} samples/epoch), training-batch statistics`, `${fOn.toFixed(3)} / ${tOn.toFixed(3)}`, `${pct(fOn, fOff)} / ${pct(tOn, tOff)}`],
      ['Monitor every 50 steps, fixed 128-sample probe', `${fProbe.toFixed(3)} / ${tProbe.toFixed(3)}`, `${pct(fProbe, fOff)} / ${pct(tProbe, tOff)}`],
      ['one sample vs one training step (training batch)', `${sampleMs.toFixed(2)} ms vs ${stepMs.toFixed(2)} ms`, share(sampleMs)],
      ['one sample vs one training step (128-sample probe)', `${probeSampleMs.toFixed(2)} ms vs ${stepMs.toFixed(2)} ms`, share(probeSampleMs)],
    ],
  };
}
