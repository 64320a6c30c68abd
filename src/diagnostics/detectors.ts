/**
 * Detectors: read a Snapshot (one look at the network), mark each layer's verdict, and return
 * findings that name the layer and give the chapter's remedy ("Training Deep Neural Networks",
 * Hands-On Machine Learning ch. 11). Thresholds are in thresholds.ts and docs/diagnostics.md.
 */
import {
  canDie, classNameOf, hasRegularizer, INIT_NAMES, initializerName, isLecunNormal, kernelOf, NON_SATURATING,
} from './layer-info.js';
import type { LayerReport, Snapshot, Verdict } from './report.js';
import type { Thresholds } from './thresholds.js';

export type FindingCode = 'non-finite' | 'vanishing-gradients' | 'exploding-gradients' | 'dead-units' | 'saturation'
  | 'init-variance' | 'self-normalization' | 'large-updates' | 'clipping';

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** The layer concerned (nested layers as 'model/layer'), or null for the model as a whole. */
  layer: string | null;
  /** The optimizer step where it was seen first (Monitor), or null (inspect). */
  step: number | null;
  /** Monitor: the last sampled step where it still held, and in how many samples. */
  lastStep?: number;
  occurrences?: number;
  /** Sub-check of the self-normalization validator ('initializer', 'inputs', …). */
  check?: string;
  /** What was measured, with the numbers. */
  message: string;
  /** The chapter's remedy. */
  advice: string;
  /** The numbers behind the message, for reports. */
  values: Record<string, number>;
}

export const ADVICE = {
  vanishing: 'Use He initialization (he_normal) with ReLU-family activations or LeCun normal with SELU, a non-saturating ' +
    'activation (ReLU, ELU, GELU, Swish, SELU) instead of sigmoid/tanh, or BatchNormalization after the hidden layers.',
  exploding: 'Clip gradients (e.g. SGD({ clipnorm: 1.0 }) or clipvalue: 1.0), lower the learning rate, use He/LeCun ' +
    'initialization, or add BatchNormalization.',
  nonFinite: 'Lower the learning rate, clip gradients (clipnorm: 1.0), check the inputs for huge values (standardize them) ' +
    'and the loss for log(0); callbacks.TerminateOnNaN stops training at the first NaN loss.',
  dead: 'Use a leaky variant (LeakyReLU(0.2), ELU, SELU, GELU) or He initialization, lower the learning rate, ' +
    'and check the biases (a large negative bias keeps a unit at 0).',
  saturation: `Use a non-saturating activation — ${NON_SATURATING} — or Glorot initialization for sigmoid/tanh layers, ` +
    'or BatchNormalization before the activation.',
  largeUpdates: 'Lower the learning rate (update/weight ratios near 1e-3 are typical) or clip gradients.',
  clipping: 'Clipping as a safety net is fine; if it clips on most steps, lower the learning rate or fix the initialization.',
} as const;

const fmt = (x: number): string => (x === 0 || !Number.isFinite(x) ? String(x) : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(1) : x.toPrecision(3));
const pct = (x: number): string => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

function mark(layer: LayerReport, v: Verdict): void {
  if (!layer.verdict.includes(v)) layer.verdict.push(v);
}

/** Runs every detector on the snapshot (verdicts are written into its layers). */
export function detect(s: Snapshot, t: Thresholds): { findings: Finding[]; selfNormalization: SelfNormalization } {
  const selfNorm = selfNormalization(s, t);
  const findings = [
    ...nonFinite(s),
    ...gradientFlow(s, t),
    ...deadUnits(s, t),
    ...saturation(s, t),
    ...(s.atInit ? initVariance(s, t) : []),
    ...largeUpdates(s, t),
    ...selfNorm.findings,
  ];
  return { findings, selfNormalization: { applicable: selfNorm.applicable, passed: selfNorm.passed, checks: selfNorm.checks } };
}

function finding(s: Snapshot, code: FindingCode, severity: Severity, layer: string | null, message: string, advice: string,
  values: Record<string, number> = {}, check?: string): Finding {
  return { code, severity, layer, step: s.step, message, advice, values, ...(check ? { check } : {}) };
}

const at = (s: Snapshot): string => (s.step === null ? '' : ` at step ${s.step}`);

/**
 * NaN/Inf: the first layer in forward order whose weights or outputs are non-finite; else the
 * layer nearest the loss whose gradients are (the backward pass runs from the output).
 */
function nonFinite(s: Snapshot): Finding[] {
  const bad = s.layers.filter((l) => l.stats.nonFinite > 0 || l.weights.some((w) => w.nonFinite) || l.outputGradNonFinite);
  for (const l of bad) mark(l, 'non-finite');
  const forward = s.layers.find((l) => l.stats.nonFinite > 0 || l.weights.some((w) => w.nonFinite && !Number.isFinite(w.norm)));
  const backward = [...s.layers].reverse().find((l) => l.outputGradNonFinite || l.weights.some((w) => w.nonFinite));
  const first = forward ?? backward;
  if (!first && Number.isFinite(s.loss)) return [];
  const where = forward
    ? (forward.stats.nonFinite > 0 ? `its output has ${forward.stats.nonFinite} NaN/Inf values` : 'its weights are NaN/Inf')
    : backward ? 'its gradients are NaN/Inf' : 'the loss is NaN/Inf while every layer output is finite';
  return [finding(s, 'non-finite', 'error', first?.name ?? null,
    `${first ? `${first.name}: first layer with a non-finite value${at(s)}: ${where}` : `${where}${at(s)}`}` +
    ` (${bad.length} layer(s) affected, loss ${fmt(s.loss)}).`, ADVICE.nonFinite, { loss: s.loss, layersAffected: bad.length })];
}

/** Layers with trainable weights and a finite gradient scale, input side first. */
function flowLayers(s: Snapshot): LayerReport[] {
  return s.layers.filter((l) => l.gradRms !== null && Number.isFinite(l.gradRms));
}

/** Vanishing / exploding: the gradient scale of the input-most layer against the output-most one. */
function gradientFlow(s: Snapshot, t: Thresholds): Finding[] {
  const layers = flowLayers(s);
  if (layers.length < 2) return [];
  const last = layers[layers.length - 1];
  const first = layers[0];
  if (!(last.gradRms! > 0)) return [];
  const ratio = first.gradRms! / last.gradRms!;
  const values = { ratio, firstGradRms: first.gradRms!, lastGradRms: last.gradRms! };
  if (ratio < t.vanishingRatio) {
    const affected = layers.filter((l) => l.gradRms! / last.gradRms! < t.vanishingRatio);
    for (const l of affected) mark(l, 'vanishing');
    // a layer dead on every sample passes no gradient at all: say so, it is the cause
    const wall = s.layers.find((l) => canDie(l.activation) && l.stats.deadFraction === 1 && s.layers.indexOf(l) > s.layers.indexOf(first));
    return [finding(s, 'vanishing-gradients', 'error', first.name,
      `${first.name}: gradients vanish toward the input${at(s)}: RMS gradient ${fmt(first.gradRms!)} vs ${fmt(last.gradRms!)} at ` +
      `${last.name} (ratio ${fmt(ratio)} < ${fmt(t.vanishingRatio)}); ${affected.length} layer(s) below the threshold` +
      `${wall ? `; ${wall.name} is entirely dead, so no gradient passes it` : ''}.`,
      wall ? `${ADVICE.dead} ${ADVICE.vanishing}` : ADVICE.vanishing, values)];
  }
  if (ratio > t.explodingRatio) {
    const affected = layers.filter((l) => l.gradRms! / last.gradRms! > t.explodingRatio);
    for (const l of affected) mark(l, 'exploding');
    return [finding(s, 'exploding-gradients', 'error', first.name,
      `${first.name}: gradients grow toward the input${at(s)}: RMS gradient ${fmt(first.gradRms!)} vs ${fmt(last.gradRms!)} at ` +
      `${last.name} (ratio ${fmt(ratio)} > ${fmt(t.explodingRatio)}).`, ADVICE.exploding, values)];
  }
  return [];
}

function deadUnits(s: Snapshot, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  for (const l of s.layers) {
    if (!canDie(l.activation) || l.stats.nonFinite > 0 || !(l.stats.deadFraction > t.deadFraction)) continue;
    mark(l, 'dead');
    out.push(finding(s, 'dead-units', l.stats.deadFraction > 0.5 ? 'error' : 'warning', l.name,
      `${l.name}: ${l.stats.deadUnits} of ${l.stats.units} units (${pct(l.stats.deadFraction)}) output 0 for every probe sample${at(s)} ` +
      `(threshold ${pct(t.deadFraction)}).`, ADVICE.dead, { deadUnits: l.stats.deadUnits, units: l.stats.units, deadFraction: l.stats.deadFraction }));
  }
  return out;
}

function saturation(s: Snapshot, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  for (const l of s.layers) {
    const f = l.stats.saturatedFraction;
    // an output layer's sigmoid is the loss's choice: confident outputs are not a hidden-layer problem
    if (f === null || l.isOutput || !(f > t.saturatedFraction)) continue;
    mark(l, 'saturated');
    const rule = l.activation === 'tanh' || l.activation === 'softsign' ? `|tanh| > ${t.tanhMargin}` : `|σ − 0.5| > ${t.sigmoidMargin}`;
    out.push(finding(s, 'saturation', f > 0.5 ? 'error' : 'warning', l.name,
      `${l.name} (${l.activation}): ${pct(f)} of outputs saturated (${rule}) on the probe batch${at(s)}; ` +
      'their gradient is near 0.', ADVICE.saturation, { saturatedFraction: f }));
  }
  return out;
}

function initVariance(s: Snapshot, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  const [lo, hi] = t.initGain;
  for (const l of s.layers) {
    const c = l.init;
    if (!c || !Number.isFinite(c.ratio) || (c.ratio >= lo && c.ratio <= hi)) continue;
    mark(l, 'init-variance');
    const measured = l.varianceRatio !== null ? `; measured Var(output)/Var(input) ${fmt(l.varianceRatio)}` : '';
    out.push(finding(s, 'init-variance', 'warning', l.name,
      `${l.name}: kernel${c.initializer ? ` (${c.initializer})` : ''} scales the pre-activation variance by ${fmt(c.gain)}× ` +
      `its input's mean square; ${INIT_NAMES[c.recommended]} for ${c.activation ?? 'linear'} gives ${fmt(c.expected)}× ` +
      `(ratio ${fmt(c.ratio)}, outside [${lo}, ${hi}])${measured}.`,
      `Use kernelInitializer: '${INIT_NAMES[c.recommended]}' for ${c.activation ?? 'linear'} layers ` +
      '(chapter Table 11-1: Glorot for none/tanh/sigmoid/softmax, He for ReLU and variants, LeCun for SELU).',
      { gain: c.gain, expected: c.expected, ratio: c.ratio, ...(l.varianceRatio !== null ? { varianceRatio: l.varianceRatio } : {}) }));
  }
  return out;
}

function largeUpdates(s: Snapshot, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  for (const l of s.layers) {
    const k = l.weights.find((w) => w.name.endsWith('kernel')) ?? l.weights[0];
    const r = k?.updateRatio;
    if (r === null || r === undefined || !(r > t.updateRatio)) continue;
    mark(l, 'large-updates');
    out.push(finding(s, 'large-updates', 'warning', l.name,
      `${l.name}: one step changed ${k.name} by ${fmt(r)}× its norm${at(s)} (‖Δw‖/‖w‖ > ${t.updateRatio}).`,
      ADVICE.largeUpdates, { updateRatio: r }));
  }
  return out;
}

export interface SelfNormCheck {
  check: 'initializer' | 'inputs' | 'incompatible-layer' | 'regularizer' | 'activation' | 'activation-stats';
  passed: boolean;
  detail: string;
}

export interface SelfNormalization {
  /** Whether the net uses SELU at all (the validator applies). */
  applicable: boolean;
  /** Whether every check passed (true when not applicable). */
  passed: boolean;
  checks: SelfNormCheck[];
}

/**
 * The self-normalization validator (Klambauer et al. 2017; the chapter's conditions for SELU):
 * applicable when any layer uses SELU. Conditions: LeCun normal kernels, standardized inputs,
 * SELU in every hidden kernel layer, no BatchNormalization / Dropout (use AlphaDropout) /
 * l1-l2 regularization / skip connections, and outputs ≈ mean 0, std 1 at init.
 */
export function selfNormalization(s: Snapshot, t: Thresholds): SelfNormalization & { findings: Finding[] } {
  const applicable = s.layers.some((l) => l.activation === 'selu');
  if (!applicable) return { applicable, passed: true, checks: [], findings: [] };
  const checks: SelfNormCheck[] = [];
  const findings: Finding[] = [];
  const fail = (check: SelfNormCheck['check'], layer: string | null, detail: string, advice: string, values: Record<string, number> = {}) => {
    checks.push({ check, passed: false, detail });
    findings.push(finding(s, 'self-normalization', 'warning', layer, detail, advice, values, check));
  };
  const before = checks.length;
  const reports = new Map(s.layers.map((l) => [l.name, l]));
  for (const { name, layer } of s.structure) {
    const cls = classNameOf(layer);
    const l = reports.get(name);
    const activation = l?.activation ?? null;
    if (kernelOf(layer) && activation === 'selu' && !isLecunNormal(layer)) {
      fail('initializer', name, `${name}: SELU layer initialized with ${initializerName(layer) ?? 'a non-LeCun initializer'}, not LeCun normal.`,
        "Use kernelInitializer: 'lecun_normal' with SELU.");
    }
    if (kernelOf(layer) && l && !l.isOutput && activation !== 'selu') {
      fail('activation', name, `${name}: hidden layer uses ${activation ?? 'linear'}; self-normalization needs SELU in every hidden layer.`,
        "Use activation: 'selu' (with lecun_normal) in every hidden layer.");
    }
    if (cls === 'BatchNormalization' || cls === 'Dropout' || cls === 'GaussianDropout' || cls === 'Add' || cls === 'Concatenate') {
      const advice = cls === 'Dropout' || cls === 'GaussianDropout' ? 'Use AlphaDropout, which keeps mean and variance, instead.'
        : cls === 'BatchNormalization' ? 'Remove BatchNormalization: SELU normalizes by itself.'
          : 'Self-normalization holds for plain sequential stacks; skip connections break it.';
      fail('incompatible-layer', name, `${name}: ${cls} breaks self-normalization.`, advice);
    }
    if (hasRegularizer(layer)) {
      fail('regularizer', name, `${name}: an l1/l2 regularizer pulls the weights away from the self-normalizing scale.`,
        'Remove l1/l2 regularization from a SELU net; use AlphaDropout (or max-norm) instead.');
    }
  }
  if (checks.length === before) checks.push({ check: 'initializer', passed: true, detail: 'every SELU layer is LeCun normal; no incompatible layers' });
  s.inputs.forEach((input, i) => {
    const ok = input.meanAbsMean <= t.selfNormInputMean && input.rmsStd >= t.selfNormInputStd[0] && input.rmsStd <= t.selfNormInputStd[1];
    const detail = `input ${i}: per-feature |mean| ${fmt(input.meanAbsMean)}, std ${fmt(input.rmsStd)} ` +
      `(standardized: |mean| ≤ ${t.selfNormInputMean}, std in [${t.selfNormInputStd.join(', ')}])`;
    if (ok) checks.push({ check: 'inputs', passed: true, detail });
    else fail('inputs', null, `Inputs are not standardized: ${detail}.`,
      'Standardize the inputs: subtract the per-feature mean and divide by the std of the training set.',
      { meanAbsMean: input.meanAbsMean, rmsStd: input.rmsStd });
  });
  if (s.atInit) {
    const [lo, hi] = t.selfNormActivationStd;
    let ok = true;
    for (const l of s.layers) {
      if (l.activation !== 'selu' || l.stats.nonFinite > 0) continue;
      if (Math.abs(l.stats.mean) <= t.selfNormActivationMean && l.stats.std >= lo && l.stats.std <= hi) continue;
      ok = false;
      fail('activation-stats', l.name, `${l.name}: SELU output mean ${fmt(l.stats.mean)}, std ${fmt(l.stats.std)} at init ` +
        `(self-normalized: |mean| ≤ ${t.selfNormActivationMean}, std in [${lo}, ${hi}]).`,
      "Check lecun_normal init and standardized inputs; the fixed point is mean 0, std 1.", { mean: l.stats.mean, std: l.stats.std });
    }
    if (ok) checks.push({ check: 'activation-stats', passed: true, detail: 'every SELU layer outputs ≈ mean 0, std 1 at init' });
  }
  return { applicable, passed: checks.every((c) => c.passed), checks, findings };
}
