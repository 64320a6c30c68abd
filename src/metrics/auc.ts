/**
 * AUC of the ROC or precision–recall curve for binary labels, approximated on a fixed grid of
 * thresholds as Keras (keras/src/metrics/confusion_metrics.py, AUC): numThresholds = 200 evenly
 * spaced in [0, 1], the ends nudged to −ε and 1 + ε so that predictions of exactly 0 and 1 fall
 * inside; a prediction counts as positive at threshold θ when p > θ. The confusion counts are
 * accumulated across batches; result() integrates the curve:
 *   'interpolation' (default): trapezoids for ROC; for PR the interpolation of Davis & Goadrich
 *      (2006), "The relationship between precision-recall and ROC curves", as Keras;
 *   'minoring' / 'majoring': left/right Riemann sums with the smaller/larger height.
 */
import { noGrad } from '../core/autograd.js';
import { formatShape } from '../core/shape.js';
import type { TensorLike } from '../core/tensor.js';
import { sigmoid } from '../functional/math.js';
import { alignSampleWeight } from '../losses/loss.js';
import { alignPair } from '../losses/validate.js';
import { Metric, type MetricConfig } from './metric.js';

export type AucCurve = 'ROC' | 'PR';
export type AucSummation = 'interpolation' | 'minoring' | 'majoring';

const EPSILON = 1e-7;

export interface AucConfig extends MetricConfig {
  numThresholds?: number;
  curve?: AucCurve;
  summationMethod?: AucSummation;
  /** yPred holds logits: σ is applied before thresholding. */
  fromLogits?: boolean;
}

export class AUC extends Metric {
  static override className = 'AUC';
  readonly numThresholds: number;
  readonly curve: AucCurve;
  readonly summationMethod: AucSummation;
  readonly fromLogits: boolean;
  /** Ascending thresholds: −ε, 1/(n−1), …, (n−2)/(n−1), 1 + ε. */
  readonly thresholds: Float64Array;
  private tp: Float64Array;
  private fp: Float64Array;
  private tn: Float64Array;
  private fn: Float64Array;

  constructor({ name = 'auc', numThresholds = 200, curve = 'ROC', summationMethod = 'interpolation', fromLogits = false }: AucConfig = {}) {
    super(name);
    if (!Number.isInteger(numThresholds) || numThresholds < 2) {
      throw new RangeError(`${name}: numThresholds must be an integer > 1, got ${String(numThresholds)}`);
    }
    const c = typeof curve === 'string' ? (curve.toUpperCase() as AucCurve) : curve;
    if (c !== 'ROC' && c !== 'PR') throw new RangeError(`${name}: curve must be 'ROC' or 'PR', got ${JSON.stringify(curve)}`);
    if (!['interpolation', 'minoring', 'majoring'].includes(summationMethod)) {
      throw new RangeError(`${name}: summationMethod must be 'interpolation', 'minoring' or 'majoring', got ${JSON.stringify(summationMethod)}`);
    }
    this.numThresholds = numThresholds;
    this.curve = c;
    this.summationMethod = summationMethod;
    this.fromLogits = Boolean(fromLogits);
    const n = numThresholds;
    this.thresholds = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) this.thresholds[i] = i / (n - 1);
    this.thresholds[0] = -EPSILON;
    this.thresholds[n - 1] = 1 + EPSILON;
    this.tp = new Float64Array(n); this.fp = new Float64Array(n);
    this.tn = new Float64Array(n); this.fn = new Float64Array(n);
  }

  /** Labels: non-zero = positive (Keras casts to bool). Predictions must lie in [0, 1]. */
  updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike | null): void {
    if (yPred === undefined) throw new TypeError(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
    noGrad(() => {
      const [t, p0] = alignPair(yTrue, yPred, this.name);
      const p = this.fromLogits ? sigmoid(p0) : p0;
      let w: Float64Array | null = null;
      if (sampleWeight !== undefined && sampleWeight !== null) {
        const sw = alignSampleWeight(sampleWeight, p, this.name);
        w = new Float64Array(p.size);
        const repeat = sw.size === 1 ? p.size : p.size / sw.size;
        for (let i = 0; i < p.size; i++) w[i] = sw.size === 1 ? sw.data[0] : sw.data[Math.floor(i / repeat)];
      }
      const n = this.numThresholds;
      // histogram by the number of thresholds strictly below p: p is "positive" at exactly
      // thresholds 0 … above−1, so suffix sums give the counts per threshold in O(N log T + T)
      const pos = new Float64Array(n + 1), neg = new Float64Array(n + 1);
      for (let i = 0; i < p.size; i++) {
        const v = p.data[i];
        if (!(v >= 0 && v <= 1)) {
          throw new RangeError(`${this.name}: predictions must be probabilities in [0, 1], got ${v} at position ${i} ` +
            `(of shape ${formatShape(p.shape)}); pass fromLogits: true for logits`);
        }
        const wi = w ? w[i] : 1;
        const bucket = this.countBelow(v);
        if (t.data[i] !== 0) pos[bucket] += wi; else neg[bucket] += wi;
      }
      let posAbove = 0, negAbove = 0, posTotal = 0, negTotal = 0;
      for (let b = 0; b <= n; b++) { posTotal += pos[b]; negTotal += neg[b]; }
      // threshold i is exceeded by every p with more than i thresholds below it
      for (let i = n - 1; i >= 0; i--) {
        posAbove += pos[i + 1];
        negAbove += neg[i + 1];
        this.tp[i] += posAbove; this.fp[i] += negAbove;
        this.fn[i] += posTotal - posAbove; this.tn[i] += negTotal - negAbove;
      }
    });
  }

  /** Number of thresholds θ with θ < v (thresholds are ascending). */
  private countBelow(v: number): number {
    let lo = 0, hi = this.numThresholds;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.thresholds[mid] < v) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The accumulated confusion counts per threshold (copies). */
  confusion(): { tp: Float64Array; fp: Float64Array; tn: Float64Array; fn: Float64Array } {
    return { tp: this.tp.slice(), fp: this.fp.slice(), tn: this.tn.slice(), fn: this.fn.slice() };
  }

  result(): number {
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.interpolatePrAuc();
    const n = this.numThresholds;
    const x = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const recall = divideNoNan(this.tp[i], this.tp[i] + this.fn[i]);
      if (this.curve === 'ROC') {
        x[i] = divideNoNan(this.fp[i], this.fp[i] + this.tn[i]);
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = divideNoNan(this.tp[i], this.tp[i] + this.fp[i]);
      }
    }
    let auc = 0;
    for (let i = 0; i < n - 1; i++) {
      const h = this.summationMethod === 'interpolation' ? (y[i] + y[i + 1]) / 2
        : this.summationMethod === 'minoring' ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
      auc += (x[i] - x[i + 1]) * h;
    }
    return auc;
  }

  /**
   * PR-AUC with precision interpolated between thresholds (Davis & Goadrich, 2006), exactly
   * Keras' `interpolate_pr_auc`: within a bucket, precision = tp / p varies as
   * (slope·p + intercept) / p, integrated in closed form over recall.
   */
  private interpolatePrAuc(): number {
    let auc = 0;
    for (let i = 0; i < this.numThresholds - 1; i++) {
      const dtp = this.tp[i] - this.tp[i + 1];
      const p0 = this.tp[i] + this.fp[i];
      const p1 = this.tp[i + 1] + this.fp[i + 1];
      const slope = divideNoNan(dtp, Math.max(p0 - p1, 0));
      const intercept = this.tp[i + 1] - slope * p1;
      const ratio = p0 > 0 && p1 > 0 ? divideNoNan(p0, Math.max(p1, 0)) : 1;
      auc += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(this.tp[i + 1] + this.fn[i + 1], 0));
    }
    return auc;
  }

  resetState(): void {
    for (const a of [this.tp, this.fp, this.tn, this.fn]) a.fill(0);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), numThresholds: this.numThresholds, curve: this.curve,
      summationMethod: this.summationMethod, fromLogits: this.fromLogits };
  }
}

function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
