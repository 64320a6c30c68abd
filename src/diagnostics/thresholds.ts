/**
 * The detectors' thresholds, in one place so docs/diagnostics.md, the findings' messages and
 * user overrides agree. Every value is a judgement call calibrated on the chapter's nets (deep
 * sigmoid / SELU / ReLU MLPs on 28×28 inputs); override any of them per inspect() or Monitor.
 */
export interface Thresholds {
  /**
   * Vanishing gradients: the gradient scale (RMS) of the layer nearest the input divided by the
   * scale of the layer nearest the output is below this (two orders of magnitude).
   */
  vanishingRatio: number;
  /** Exploding gradients: that same ratio is above this (growing toward the input). */
  explodingRatio: number;
  /** Exploding over time (Monitor): the global gradient norm grew by more than this factor since the first sample. */
  explodingGrowth: number;
  /**
   * Dead units: a ReLU-family layer with more than this fraction of units at 0 for every probe
   * sample (a few percent of rarely firing units look dead on any finite probe: He-initialized
   * layers on 128 samples show up to ~10%).
   */
  deadFraction: number;
  /** Saturation: a sigmoid/tanh hidden layer with more than this fraction of outputs saturated. */
  saturatedFraction: number;
  /** A sigmoid output is saturated when |σ − 0.5| > this. */
  sigmoidMargin: number;
  /** A tanh output is saturated when |tanh| > this. */
  tanhMargin: number;
  /** Init variance mismatch: the weights' variance gain over the recommended one outside [lo, hi]. */
  initGain: readonly [number, number];
  /** Large updates (Monitor): a kernel's ‖Δw‖/‖w‖ above this in one step (≈1e-3 is typical). */
  updateRatio: number;
  /** Self-normalization: inputs' mean of |per-feature mean| at most this. */
  selfNormInputMean: number;
  /** Self-normalization: inputs' RMS of per-feature std inside [lo, hi]. */
  selfNormInputStd: readonly [number, number];
  /** Self-normalization: each SELU layer's output |mean| at most this. */
  selfNormActivationMean: number;
  /** Self-normalization: each SELU layer's output std inside [lo, hi]. */
  selfNormActivationStd: readonly [number, number];
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  vanishingRatio: 1e-2,
  explodingRatio: 1e2,
  explodingGrowth: 1e3,
  deadFraction: 0.2,
  saturatedFraction: 0.2,
  sigmoidMargin: 0.49,
  tanhMargin: 0.99,
  initGain: [0.5, 2] as const,
  updateRatio: 0.1,
  selfNormInputMean: 0.25,
  selfNormInputStd: [0.75, 1.33] as const,
  selfNormActivationMean: 0.3,
  selfNormActivationStd: [0.6, 1.6] as const,
});

export function resolveThresholds(overrides: Partial<Thresholds> | undefined, where: string): Thresholds {
  const t = { ...DEFAULT_THRESHOLDS, ...(overrides ?? {}) } as Thresholds;
  for (const key of Object.keys(overrides ?? {})) {
    if (!(key in DEFAULT_THRESHOLDS)) {
      throw new TypeError(`${where}: unknown threshold '${key}'; expected one of ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`);
    }
  }
  return t;
}
