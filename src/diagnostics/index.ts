/**
 * gf.diagnostics: why a network is not learning. `inspect(model, x, y)` looks once (one
 * forward/backward pass on a probe batch); `Monitor` is a callback that samples every N steps
 * during fit. Both produce per-layer statistics and findings with the chapter's advice
 * (docs/diagnostics.md).
 */
export { inspect, Inspection, type InspectOptions } from './inspect.js';
export { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';
export { ADVICE, type Finding, type FindingCode, type Severity, type SelfNormalization, type SelfNormCheck } from './detectors.js';
export type { LayerReport, WeightReport, Verdict } from './report.js';
export { activationStats, histogram, type ActivationStats, type HistogramSpec, type InputStats } from './stats.js';
export { activationOf, recommendedInit, type InitCheck, type InitFamily } from './layer-info.js';
export { formatFindings, formatLayers } from './format.js';
export { Monitor, type MonitorOptions, type MonitorSeries, type NonFiniteEvent, type ClippingTelemetry } from './monitor.js';
