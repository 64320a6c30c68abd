/**
 * What a report is made of. A run is a name, its per-epoch history and, when they were
 * recorded, the diagnostics of gf.diagnostics (a Monitor over training, an Inspection at one
 * moment). The diagnostics are typed by their data, so a Monitor or an Inspection works as well
 * as their `toJSON()` read back from a file; a gf.experiments.RunRecord is a ReportRun.
 */
import type { History } from '../callbacks/history.js';
import type { Finding, SelfNormalization } from '../diagnostics/detectors.js';
import type { ClippingTelemetry, MonitorSeries, NonFiniteEvent } from '../diagnostics/monitor.js';
import type { LayerReport } from '../diagnostics/report.js';
import type { Thresholds } from '../diagnostics/thresholds.js';

/** A gf.diagnostics.Monitor, or its toJSON(). */
export interface MonitorData {
  readonly series: MonitorSeries;
  readonly findings: readonly Finding[];
  readonly clipping?: ClippingTelemetry;
  readonly nonFinite?: NonFiniteEvent | null;
  /** The per-layer table of the latest sample. */
  readonly latest?: readonly LayerReport[];
  readonly thresholds?: Readonly<Partial<Thresholds>>;
}

/** A gf.diagnostics.Inspection (the result of inspect()), or its toJSON(). */
export interface InspectionData {
  readonly model: string;
  readonly loss: number;
  readonly samples: number;
  readonly atInit: boolean;
  readonly layers: readonly LayerReport[];
  readonly findings: readonly Finding[];
  readonly selfNormalization: SelfNormalization;
}

export interface ReportRun {
  name: string;
  /** `model.fit`'s History, or its `.history` (key → one value per epoch). */
  history: Record<string, number[]> | History;
  monitor?: MonitorData | null;
  inspection?: InspectionData | null;
  /** The model's summary() table. */
  summary?: string;
  /** Final values; they override the last value of each history key (the default). */
  final?: Record<string, number>;
  /** Metrics on the test set. */
  test?: Record<string, number>;
  /** Training time in seconds. */
  seconds?: number;
  /** Parameter count. */
  params?: number;
  /** Anything else the run measured. */
  extra?: Record<string, number | string>;
}

export interface ReportOptions {
  /** The page's title (default: the run's name, or "Comparison of N runs"). */
  title?: string;
  /** A paragraph under the title: what was trained, on what, and why. */
  description?: string;
}

export interface ComparisonOptions extends ReportOptions {
  /** What the reader should look at, one bullet each (e.g. an ExperimentResult's notes). */
  notes?: string[];
}

/** Options of `write(history, diagnostics, path, options)`. */
export interface WriteOptions extends ReportOptions {
  /** The run's name (default 'run'). */
  name?: string;
  /** The model's summary() table. */
  summary?: string;
}
