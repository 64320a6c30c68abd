/**
 * ECharts options as plain JSON, built in Node and embedded in the page; the page's script only
 * adds tooltip and axis-label formatters (functions do not travel in JSON). Values are rounded
 * to 6 significant digits; NaN/±Inf and, on log axes, values ≤ 0 become null (a gap).
 */

/** One chart of a page: where it goes (`id`), what it shows (`key`, stable for tests) and its option. */
export interface ChartSpec {
  /** DOM id of the container (generated, never user text). */
  id: string;
  /** What the chart shows, e.g. 'curve:loss', 'gradient-flow', 'histogram:dense_1' (may hold user text). */
  key: string;
  kind: 'line' | 'heatmap' | 'bar' | 'histogram';
  /** Container height in pixels. */
  height: number;
  /** Heat maps: the cell values are log10 of the quantity. */
  log?: boolean;
  option: Record<string, unknown>;
}

/** Run colors (ECharts' default palette), so that a run keeps its color across charts. */
export const PALETTE = ['#5470c6', '#ee6666', '#91cc75', '#fac858', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554'];
const VIRIDIS = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'];

/** Hands out container ids: gf-chart-0, gf-chart-1, … */
export class ChartIds {
  private n = 0;
  next(): string {
    return `gf-chart-${this.n++}`;
  }
}

/** A finite value rounded to 6 significant digits, else null; on a log axis, also null for v ≤ 0. */
export function plotValue(v: number | null | undefined, log = false): number | null {
  if (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0)) return null;
  return Number(v.toPrecision(6));
}

const title = (text: string) => ({ text, left: 'center', top: 6, textStyle: { fontSize: 14, fontWeight: 600 } });

export interface LineSeries {
  name: string;
  /** Same length as x, or [x, y] pairs. */
  y: Array<number | null>;
  x: number[];
  color?: string;
  dashed?: boolean;
}

export interface LineChartArgs {
  key: string;
  title: string;
  xName: string;
  yName?: string;
  log?: boolean;
  series: LineSeries[];
  /** Vertical marks (e.g. epoch starts on a step axis). */
  xMarks?: Array<{ x: number; label: string }>;
  /** Horizontal marks (e.g. the typical update ratio). */
  yMarks?: Array<{ y: number; label: string }>;
  yMin?: number;
  yMax?: number;
  height?: number;
}

export function lineChart(ids: ChartIds, a: LineChartArgs): ChartSpec {
  const many = a.series.length > 6;
  const series = a.series.map((s, i) => {
    const points = s.x.length;
    const out: Record<string, unknown> = {
      type: 'line', name: s.name, data: s.x.map((x, j) => [x, plotValue(s.y[j], a.log)]),
      showSymbol: points <= 30, symbolSize: 5, connectNulls: false,
      lineStyle: { width: 2, ...(s.dashed ? { type: 'dashed' } : {}) },
      ...(s.color ? { color: s.color } : {}),
    };
    const marks = [
      ...(i === 0 ? (a.xMarks ?? []).map((m) => ({ xAxis: m.x, label: { formatter: m.label } })) : []),
      ...(i === 0 ? (a.yMarks ?? []).map((m) => ({ yAxis: m.y, label: { formatter: m.label } })) : []),
    ];
    if (marks.length) {
      out.markLine = { silent: true, symbol: 'none', precision: 10, lineStyle: { color: '#8c959f', type: 'dotted' },
        label: { position: 'insideEndTop', color: '#59636e', fontSize: 10 }, data: marks };
    }
    return out;
  });
  return {
    id: ids.next(), key: a.key, kind: 'line', height: a.height ?? (many ? 340 : 300),
    option: {
      title: title(a.title),
      tooltip: { trigger: 'axis', confine: true },
      legend: { type: 'scroll', bottom: 4 },
      grid: { left: 16, right: 24, top: 42, bottom: 62, containLabel: true },
      xAxis: { type: 'value', name: a.xName, nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax',
        minInterval: 1, splitLine: { show: false } },
      yAxis: { type: a.log ? 'log' : 'value', name: a.yName ?? '', scale: !a.log,
        ...(a.yMin !== undefined ? { min: a.yMin } : {}), ...(a.yMax !== undefined ? { max: a.yMax } : {}) },
      series,
    },
  };
}

export interface HeatmapArgs {
  key: string;
  title: string;
  /** Column labels (the sampled steps) and row labels (layers, forward order: shown top to bottom). */
  xLabels: string[];
  yLabels: string[];
  xName: string;
  /** [row][column]; null where not measured. */
  values: Array<Array<number | null>>;
  /** Color the log10 of the values (cells ≤ 0 are left empty). */
  log: boolean;
  /** Color range (log10 units when log); default the data's range. Shared ranges make heat maps comparable. */
  range?: [number, number];
  height?: number;
}

/** log10 (or plain) cell values of a heat map, for a shared color range. */
export function heatValues(values: Array<Array<number | null>>, log: boolean): number[] {
  const out: number[] = [];
  for (const row of values) {
    for (const v of row) {
      const p = plotValue(v, log);
      if (p !== null) out.push(log ? Math.log10(p) : p);
    }
  }
  return out;
}

export function valueRange(values: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(lo <= hi)) return [0, 1];
  if (hi - lo < 1e-9) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

export function heatmap(ids: ChartIds, a: HeatmapArgs): ChartSpec {
  const cells: Array<[number, number, number]> = [];
  a.values.forEach((row, r) => row.forEach((v, c) => {
    const p = plotValue(v, a.log);
    if (p !== null) cells.push([c, r, Number((a.log ? Math.log10(p) : p).toPrecision(6))]);
  }));
  const [lo, hi] = a.range ?? valueRange(cells.map((c) => c[2]));
  const label = (v: number) => (a.log ? compact(10 ** v) : compact(v));
  return {
    id: ids.next(), key: a.key, kind: 'heatmap', log: a.log,
    height: a.height ?? Math.min(720, Math.max(240, 110 + 22 * a.yLabels.length)),
    option: {
      title: title(a.title),
      tooltip: { trigger: 'item', confine: true },
      grid: { left: 16, right: 92, top: 42, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: a.xLabels, name: a.xName, nameLocation: 'middle', nameGap: 26, splitArea: { show: false } },
      yAxis: { type: 'category', data: a.yLabels, inverse: true, axisLabel: { width: 140, overflow: 'truncate' } },
      visualMap: {
        type: 'continuous', min: Number(lo.toPrecision(6)), max: Number(hi.toPrecision(6)), calculable: false, orient: 'vertical',
        right: 8, top: 'middle', itemHeight: 140, inRange: { color: VIRIDIS }, text: [label(hi), label(lo)],
        textStyle: { fontSize: 10 },
      },
      series: [{ type: 'heatmap', name: a.title, data: cells, progressive: 0 }],
    },
  };
}

export interface BarChartArgs {
  key: string;
  title: string;
  categories: string[];
  series: Array<{ name: string; values: Array<number | null>; color?: string }>;
  yName?: string;
  log?: boolean;
  yMax?: number;
  height?: number;
  /** Draw lines with markers over the categories (reads better than bars on a log axis). */
  lines?: boolean;
}

export function barChart(ids: ChartIds, a: BarChartArgs): ChartSpec {
  return {
    id: ids.next(), key: a.key, kind: 'bar', height: a.height ?? 300,
    option: {
      title: title(a.title),
      tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', bottom: 4, show: a.series.length > 1 },
      grid: { left: 16, right: 24, top: 42, bottom: a.series.length > 1 ? 40 : 16, containLabel: true },
      xAxis: { type: 'category', data: a.categories, axisLabel: { interval: 0, rotate: a.categories.length > 4 ? 30 : 0, width: 110, overflow: 'truncate' } },
      yAxis: { type: a.log ? 'log' : 'value', name: a.yName ?? '', ...(a.yMax !== undefined ? { max: a.yMax } : {}) },
      series: a.series.map((s) => ({
        type: a.lines ? 'line' : 'bar', name: s.name, data: s.values.map((v) => plotValue(v, a.log)),
        ...(a.lines ? { symbolSize: 7, connectNulls: false } : {}), ...(s.color ? { color: s.color } : {}),
      })),
    },
  };
}

/** A short label: 3 significant digits, exponent form when very large or small. */
export function compact(v: number): string {
  const a = Math.abs(v);
  return v === 0 ? '0' : a >= 1e4 || a < 1e-2 ? v.toExponential(1).replace('e+', 'e') : String(Number(v.toPrecision(3)));
}

/**
 * A histogram with fixed bins: counts = [below lo, bins…, at or above hi]; the out-of-range bars
 * are drawn only when they hold something. Bars are labeled by their bin's center.
 */
export function histogramChart(ids: ChartIds, key: string, chartTitle: string,
  spec: { lo: number; hi: number; bins: number }, allCounts: readonly number[]): ChartSpec {
  const width = (spec.hi - spec.lo) / spec.bins;
  let labels = [`< ${compact(spec.lo)}`, ...Array.from({ length: spec.bins }, (_, i) => compact(spec.lo + (i + 0.5) * width)), `≥ ${compact(spec.hi)}`];
  let counts = allCounts.slice();
  const first = counts[0] ? 0 : 1, end = counts[counts.length - 1] ? counts.length : counts.length - 1;
  labels = labels.slice(first, end);
  counts = counts.slice(first, end);
  return {
    id: ids.next(), key, kind: 'histogram', height: 210,
    option: {
      title: { ...title(chartTitle), textStyle: { fontSize: 12, fontWeight: 600 } },
      tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 12, top: 34, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 9 } },
      yAxis: { type: 'value', name: 'count', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 9 } },
      series: [{ type: 'bar', name: 'count', data: counts, barCategoryGap: '8%', color: '#5470c6' }],
    },
  };
}
