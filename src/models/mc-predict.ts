/**
 * Monte Carlo dropout (Gal & Ghahramani, 2016): average many stochastic forward passes with
 * dropout on and batch norm in inference mode; the spread estimates the model's uncertainty.
 */
import { noGrad } from '../core/autograd.js';
import * as o from '../core/ops.js';
import type { Tensor, TensorLike } from '../core/tensor.js';
import { checkBatchSize, takeRows, toDataTensor } from '../training/data.js';
import type { Model } from './model.js';

export interface McPredictOptions {
  /** Number of stochastic passes (default 100, as in the chapter). */
  samples?: number;
  batchSize?: number;
}

/** Mean and (population) standard deviation over `samples` stochastic predictions. */
export function mcPredict(model: Model, x: TensorLike, options: McPredictOptions = {}): { mean: Tensor; std: Tensor } {
  const samples = options.samples ?? 100;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`mcPredict: samples must be a positive integer, got ${samples}`);
  const batchSize = checkBatchSize(options.batchSize ?? 32, 'mcPredict');
  const xt = toDataTensor(x, 'mcPredict x');
  const n = xt.shape[0];
  return noGrad(() => {
    const means: Tensor[] = [], stds: Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const xb = takeRows(xt, start, Math.min(batchSize, n - start));
      // Welford's running mean and sum of squares: memory stays flat in the sample count
      let mean: Tensor | null = null, m2: Tensor | null = null;
      for (let s = 1; s <= samples; s++) {
        const y = model.forward([xb], { training: false, mcDropout: true })[0];
        if (!mean) { mean = y; m2 = o.zerosLike(y); continue; }
        const delta = o.sub(y, mean);
        mean = o.add(mean, o.div(delta, s));
        m2 = o.add(m2!, o.mul(delta, o.sub(y, mean)));
      }
      means.push(mean!);
      stds.push(o.sqrt(o.div(m2!, samples)));
    }
    return { mean: o.concat(means, 0), std: o.concat(stds, 0) };
  });
}
