/** MCAlphaDropout: an AlphaDropout that stays active at prediction time (MC dropout for SELU networks). */
import type { CallOptions } from './layer.js';
import { AlphaDropout } from './alpha-dropout.js';

export class MCAlphaDropout extends AlphaDropout {
  static override className = 'MCAlphaDropout';

  protected override isActive(_options: CallOptions): boolean {
    return true;
  }
}
