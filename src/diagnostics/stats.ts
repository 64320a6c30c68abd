/**
 * Statistics over raw tensor data, in plain loops (no tape, no allocation beyond a per-unit
 * flag array): activation statistics per layer output, histograms, norms, per-feature input
 * statistics. Sums are in float64 whatever the tensor's dtype.
 */
import { kernelsFor } from '../backend/registry.js';
import type { DataArray } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';

/** How a layer's outputs can saturate: sigmoid-like (0…1) or tanh-like (−1…1). */
export type SaturationKind = 'sigmoid' | 'tanh' | null;

export interface ActivationStats {
  /** Mean, standard deviation (population), mean of squares, min and max over the finite values. */
  mean: number;
  std: number;
  meanSquare: number;
  min: number;
  max: number;
  /** Fraction of values exactly 0. */
  zeroFraction: number;
  /** Units = the size of the last axis (features / channels). */
  units: number;
  /** Units whose output is exactly 0 for every sample (and position) of the probe batch. */
  deadUnits: number;
  deadFraction: number;
  /** Fraction of values saturated (|σ−0.5| > margin or |tanh| > margin); null for other activations. */
  saturatedFraction: number | null;
  /** NaN and ±Inf values. */
  nonFinite: number;
}

export interface SaturationMargins {
  sigmoidMargin: number;
  tanhMargin: number;
}

/**
 * Statistics of one layer output (`[batch, …, units]`); with `bins`, its histogram in the same
 * pass. NOTE: one loop per saturation kind keeps the hot loop free of string compares.
 */
export function activationStats(t: Tensor, saturation: SaturationKind, margins: SaturationMargins,
  bins: HistogramSpec | null = null): ActivationStats & { histogram: number[] | null; alive: Uint8Array } {
  const d = t.data;
  const n = d.length;
  const units = t.rank === 0 ? 1 : t.shape[t.rank - 1] || 1;
  const rows = n / units;
  const alive = new Uint8Array(units);
  const counts = bins ? new Int32Array(bins.bins + 2) : null;
  const lo = bins ? bins.lo : 0, scale = bins ? bins.bins / (bins.hi - bins.lo) : 0, top = bins ? bins.bins + 1 : 0;
  let sum = 0, sumSq = 0, zeros = 0, nonFinite = 0, saturated = 0;
  let min = Infinity, max = -Infinity;
  const sigmoidMargin = margins.sigmoidMargin, tanhMargin = margins.tanhMargin;
  const mode = saturation === 'sigmoid' ? 1 : saturation === 'tanh' ? 2 : 0;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let u = 0; u < units; u++, i++) {
      const v = d[i];
      if (v === 0) { zeros++; if (counts) counts[bin(0, lo, scale, top)]++; continue; }
      if (v - v !== 0) { nonFinite++; alive[u] = 1; continue; } // NaN or ±Inf
      alive[u] = 1;
      sum += v;
      sumSq += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (mode === 1) { if (v - 0.5 > sigmoidMargin || 0.5 - v > sigmoidMargin) saturated++; }
      else if (mode === 2) { if (v > tanhMargin || -v > tanhMargin) saturated++; }
      if (counts !== null) {
        const b = Math.floor((v - lo) * scale) + 1;
        counts[b < 0 ? 0 : b > top ? top : b]++;
      }
    }
  }
  const count = n - nonFinite;
  const mean = count ? sum / count : NaN;
  // E[x²] − mean² cancels badly only when |mean| ≫ std; then a second pass
  let variance = count ? Math.max(0, sumSq / count - mean * mean) : NaN;
  if (count && variance < 1e-6 * mean * mean) {
    let dev = 0;
    for (let i = 0; i < n; i++) { const v = d[i]; if (v - v === 0) dev += (v - mean) * (v - mean); }
    variance = dev / count;
  }
  if (zeros > 0) { min = Math.min(min, 0); max = Math.max(max, 0); }
  // a sigmoid output of exactly 0 is saturated too (it underflowed)
  if (mode === 1) saturated += zeros;
  let dead = 0;
  for (let u = 0; u < units; u++) if (!alive[u]) dead++;
  return {
    mean,
    std: Math.sqrt(variance),
    meanSquare: count ? sumSq / count : NaN,
    min: count ? min : NaN,
    max: count ? max : NaN,
    zeroFraction: n ? zeros / n : 0,
    units,
    deadUnits: n ? dead : 0,
    deadFraction: n ? dead / units : 0,
    saturatedFraction: saturation === null ? null : n ? saturated / n : 0,
    nonFinite,
    histogram: counts && Array.from(counts),
    alive,
  };
}

function bin(v: number, lo: number, scale: number, top: number): number {
  const b = Math.floor((v - lo) * scale) + 1;
  return b < 0 ? 0 : b > top ? top : b;
}

/** Fixed bins over [lo, hi): counts[0] is below lo, counts[bins + 1] at or above hi. */
export interface HistogramSpec {
  lo: number;
  hi: number;
  bins: number;
}

export function histogram(d: DataArray, spec: HistogramSpec): number[] {
  const counts = new Array<number>(spec.bins + 2).fill(0);
  const scale = spec.bins / (spec.hi - spec.lo), top = spec.bins + 1;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isNaN(v)) counts[bin(v, spec.lo, scale, top)]++;
  }
  return counts;
}

/**
 * Bins for a layer, fixed at its first sample so the histograms of later samples line up
 * (a heat map over time): the activation's range when bounded, else ±1.5× the largest
 * magnitude seen (from 0 when nothing was negative).
 */
export function histogramSpecFor(stats: ActivationStats, saturation: SaturationKind, bins: number): HistogramSpec {
  if (saturation === 'sigmoid') return { lo: 0, hi: 1 + 1e-6, bins };
  if (saturation === 'tanh') return { lo: -1, hi: 1 + 1e-6, bins };
  const a = Math.max(Math.abs(stats.min), Math.abs(stats.max));
  const span = Number.isFinite(a) && a > 0 ? 1.5 * a : 1;
  return { lo: stats.min >= 0 ? 0 : -span, hi: span, bins };
}

/** L2 norm, accumulated in float64. */
export function l2(d: DataArray): number {
  return Math.sqrt(kernelsFor().sumSquares(d, null)[0]);
}

/** ‖a‖₂ and ‖a − b‖₂ of two arrays of equal length, in one pass. */
export function l2AndDiff(a: DataArray, b: DataArray): { norm: number; diff: number } {
  // the active backend's kernel: native runs it vectorized in C, ~10× a JS loop — the norms of
  // whole weight matrices are most of what a Monitor sample costs
  const [sq, diffSq] = kernelsFor().sumSquares(a, b);
  return { norm: Math.sqrt(sq), diff: Math.sqrt(diffSq) };
}

export function allFinite(d: DataArray): boolean {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  return true;
}

/** Per-feature statistics of an input batch (features = everything after the batch axis). */
export interface InputStats {
  /** Mean over features of |per-feature mean|. */
  meanAbsMean: number;
  /** RMS over features of the per-feature (population) std. */
  rmsStd: number;
  /** Overall mean and std. */
  mean: number;
  std: number;
  features: number;
  samples: number;
}

export function inputStats(t: Tensor): InputStats {
  const samples = t.rank === 0 ? 1 : t.shape[0];
  const features = samples ? t.size / samples : 0;
  const d = t.data;
  const sums = new Float64Array(features), sq = new Float64Array(features);
  for (let s = 0; s < samples; s++) {
    const base = s * features;
    for (let f = 0; f < features; f++) { const v = d[base + f]; sums[f] += v; sq[f] += v * v; }
  }
  let absMean = 0, varSum = 0, total = 0, totalSq = 0;
  for (let f = 0; f < features; f++) {
    const m = sums[f] / samples;
    absMean += Math.abs(m);
    varSum += Math.max(0, sq[f] / samples - m * m);
    total += sums[f];
    totalSq += sq[f];
  }
  const n = samples * features;
  const mean = total / n;
  return {
    meanAbsMean: absMean / features,
    rmsStd: Math.sqrt(varSum / features),
    mean,
    std: Math.sqrt(Math.max(0, totalSq / n - mean * mean)),
    features,
    samples,
  };
}
