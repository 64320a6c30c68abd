/**
 * SGD with optional momentum and Nesterov momentum, Keras' formulation:
 *   v ← μ·v − η·g;  w ← w + v            (momentum)
 *   w ← w + μ·v − η·g                    (Nesterov, after updating v)
 * NOTE: PyTorch keeps v ← μ·v + g and w ← w − η·v; the trajectories agree for a constant η.
 */
import * as o from '../core/ops.js';
import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../layers/variable.js';
import { checkHyper, Optimizer, type OptimizerArgs } from './optimizer.js';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  static override className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    this.momentum = checkHyper(args.momentum ?? 0, 'momentum', 'SGD', { max: 1 });
    this.nesterov = args.nesterov ?? false;
  }

  protected updateStep(g: Tensor, w: Variable, lr: number): void {
    if (this.momentum === 0) {
      w.assign(o.sub(w, o.mul(g, lr)));
      return;
    }
    const v = o.sub(o.mul(this.slot(w, 'momentum', () => o.zerosLike(w)), this.momentum), o.mul(g, lr));
    this.setSlot(w, 'momentum', v);
    w.assign(this.nesterov ? o.sub(o.add(w, o.mul(v, this.momentum)), o.mul(g, lr)) : o.add(w, v));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
