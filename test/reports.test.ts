/**
 * gf.reports: HTML from a real training run with a Monitor and from an experiment-like
 * comparison. The page is self-contained (no network), each chart's embedded data is the
 * history / Monitor series it claims to show, hostile names are escaped, files are written
 * atomically, and bad arguments get errors that name them.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as gf from '../src/node.js';
import * as reports from '../src/reports/index.js';
import type { ChartSpec } from '../src/reports/index.js';
import { escapeHtml } from '../src/reports/html.js';
import { echartsSource } from '../src/reports/assets.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>';
const HOSTILE_LAYER = 'h0"><img src=x onerror=alert(2)>';

interface Payload { generator: string; version: string; backend: string; kind: string; title: string; runs: string[]; charts: ChartSpec[] }

function payloadOf(html: string): Payload {
  const m = /<script type="application\/json" id="gradflow-report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page embeds its data');
  return JSON.parse(m[1]) as Payload;
}

/** The page without the inlined chart library (whose own strings hold markup such as '<img'). */
function ownPart(html: string): string {
  const lib = echartsSource();
  assert.ok(html.includes(lib), 'the chart library is inlined');
  return html.replace(lib, '');
}

/** A regex test that prints the match, not the megabyte page, when it fails. */
function assertNo(text: string, re: RegExp, what: string): void {
  const m = re.exec(text);
  assert.ok(!m, `${what}: found '${m?.[0]}' at ${m?.index}: …${m ? text.slice(Math.max(0, m.index - 80), m.index + 80) : ''}…`);
}

function chart(p: Payload, key: string): ChartSpec {
  const c = p.charts.find((x) => x.key === key);
  assert.ok(c, `chart '${key}' in ${p.charts.map((x) => x.key).join(', ')}`);
  return c;
}

type Series = { name: string; data: Array<[number, number | null]> };
const seriesOf = (c: ChartSpec) => c.option.series as Series[];
const ys = (s: Series) => s.data.map((p) => p[1]);

/** Equal up to the 6 significant digits the page keeps; null where the source is not finite. */
function assertSeries(actual: Array<number | null>, expected: ReadonlyArray<number | null>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => {
    const a = actual[i];
    if (e === null || !Number.isFinite(e)) { assert.equal(a, null, `${what}[${i}]`); return; }
    assert.ok(a !== null && Math.abs(a - e) <= 1e-5 * Math.abs(e) + 1e-12, `${what}[${i}]: ${a} vs ${e}`);
  });
}

function data(n: number, seed: number) {
  gf.setSeed(seed);
  const x = gf.randomNormal([n, 6]);
  const d = x.data as Float32Array;
  const y = gf.tensor(Array.from({ length: n }, (_, i) => (d[i * 6] + d[i * 6 + 1] > 0 ? 1 : 0) + (d[i * 6 + 2] > 0.6 ? 1 : 0)), [n], 'int32');
  return { x, y };
}

function mlp(activation: string, kernelInitializer: string, firstName = 'h0'): gf.Sequential {
  const model = new gf.Sequential([
    new gf.layers.Dense(16, { inputShape: [6], activation, kernelInitializer, name: firstName }),
    new gf.layers.Dense(16, { activation, kernelInitializer, name: 'h1' }),
    // a badly scaled sigmoid layer: saturation and init-variance findings to report
    new gf.layers.Dense(8, { activation: 'sigmoid', kernelInitializer: { className: 'RandomNormal', config: { stddev: 4 } }, name: 'squash' }),
    new gf.layers.Dense(3, { activation: 'softmax', name: 'out' }),
  ]);
  model.compile({ optimizer: new gf.optimizers.SGD({ learningRate: 0.05, clipnorm: 0.5 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

interface Trained { model: gf.Sequential; history: gf.History; monitor: gf.diagnostics.Monitor }

async function train(activation: string, init: string, firstName = 'h0'): Promise<Trained> {
  const { x, y } = data(192, 5);
  const valid = data(64, 6);
  gf.setSeed(7);
  const model = mlp(activation, init, firstName);
  const monitor = new gf.diagnostics.Monitor({ every: 3 });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 32, validationData: [valid.x, valid.y], callbacks: [monitor], verbose: 0 });
  return { model, history, monitor };
}

let relu: Trained, selu: Trained;
before(async () => {
  relu = await train('relu', 'he_normal');
  selu = await train('selu', 'lecun_normal');
});

describe('renderReport: one run', () => {
  test('a self-contained page whose charts embed the history and the Monitor series', () => {
    const { model, history, monitor } = relu;
    const html = reports.renderReport({ name: 'relu-mlp', history, monitor, summary: model.summary(null), seconds: 1.5, params: model.countParams() },
      { description: 'Tiny MLP on synthetic data.' });
    assert.match(html, /^<!doctype html>/);
    // self-contained: no external script, style sheet, image or frame; a CSP that forbids fetching
    const own = ownPart(html);
    assertNo(own, /<(?:script|img|iframe|link|object|embed)\b[^>]*\b(?:src|href|data)\s*=/i, 'an external resource');
    assertNo(own, /\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i, 'a network URL');
    assertNo(html, /<script\b[^>]*\bsrc\s*=/i, 'a script with src');
    assert.ok(own.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`), 'CSP');
    const p = payloadOf(html);
    assert.equal(p.kind, 'run');
    assert.deepEqual(p.runs, ['relu-mlp']);
    assert.equal(p.backend, gf.getBackend());
    assert.match(html, new RegExp(`gradflow ${p.version.replace(/\./g, '\\.')} · backend <code>${gf.getBackend()}</code>`));
    // every chart has its container, ids are unique
    const ids = p.charts.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.ok(html.includes(`id="${id}"`), `container ${id}`);
    assert.equal((html.match(/class="gf-chart /g) ?? []).length, p.charts.length);

    // training curves: train and validation per epoch
    const h = history.history;
    for (const m of ['loss', 'accuracy']) {
      const [train, val] = seriesOf(chart(p, `curve:${m}`));
      assertSeries(ys(train), h[m], m);
      assertSeries(ys(val), h[`val_${m}`], `val_${m}`);
      assert.deepEqual(train.data.map((q) => q[0]), [1, 2, 3]);
    }
    assertSeries(ys(seriesOf(chart(p, 'learning-rate'))[0]), h.lr, 'lr');

    // gradient flow: layer × sampled step, log10 of the RMS gradient, layers in forward order
    const s = monitor.series;
    assert.deepEqual(s.steps, [0, 3, 6, 9, 12, 15]); // 3 epochs of 6 steps, every 3
    const flow = chart(p, 'gradient-flow');
    const opt = flow.option as { xAxis: { data: string[] }; yAxis: { data: string[] }; series: Array<{ data: Array<[number, number, number]> }> };
    assert.deepEqual(opt.yAxis.data, ['h0 (relu)', 'h1 (relu)', 'squash (sigmoid)', 'out (softmax)']);
    assert.deepEqual(opt.xAxis.data, s.steps.map(String));
    const cells = opt.series[0].data;
    assert.equal(cells.length, s.layers.length * s.steps.length);
    for (const [c, r, v] of cells) {
      const g = s.gradRms[r][c]!;
      assert.ok(Math.abs(10 ** v - g) <= 1e-4 * g, `gradRms[${r}][${c}]: ${10 ** v} vs ${g}`);
    }
    const norm = seriesOf(chart(p, 'gradient-norm'))[0];
    assertSeries(ys(norm), s.gradNorm, 'gradNorm');
    assert.deepEqual(norm.data.map((q) => q[0]), s.steps);

    // update ratios and weight norms of each layer's kernel
    const kernels = ['h0/kernel', 'h1/kernel', 'squash/kernel', 'out/kernel'];
    for (const key of ['update-ratio', 'weight-norm'] as const) {
      const lines = seriesOf(chart(p, key));
      assert.deepEqual(lines.map((l) => l.name), kernels);
      const table = key === 'update-ratio' ? s.updateRatio : s.weightNorm;
      lines.forEach((l, i) => assertSeries(ys(l), table[s.weights.findIndex((w) => w.name === kernels[i])], `${key} ${l.name}`));
    }
    // activation statistics per layer over time
    const pairs = [['activation-mean', s.mean], ['activation-std', s.std], ['zero-fraction', s.zeroFraction], ['dead-fraction', s.deadFraction]] as const;
    for (const [key, table] of pairs) {
      const lines = seriesOf(chart(p, key));
      assert.equal(lines.length, s.layers.length, key);
      lines.forEach((l, i) => assertSeries(ys(l), table[i], `${key} ${l.name}`));
    }
    const saturated = seriesOf(chart(p, 'saturated-fraction'));
    assert.deepEqual(saturated.map((l) => l.name), ['squash (sigmoid)']);
    assertSeries(ys(saturated[0]), s.saturatedFraction[2], 'saturated');
    // histograms at the last sample: every value counted
    s.layers.forEach((l, i) => {
      const bars = (chart(p, `histogram:${l.name}`).option.series as Array<{ data: number[] }>)[0].data;
      const last = s.histograms[i].counts[s.steps.length - 1]!;
      assert.equal(bars.reduce((a, b) => a + b, 0), last.reduce((a, b) => a + b, 0), l.name);
      // the out-of-range bars are drawn only when they hold something
      assert.deepEqual(bars, last.slice(last[0] ? 0 : 1, last[last.length - 1] ? last.length : -1), l.name);
    });
    // clipping telemetry
    assert.equal(monitor.clipping.method, 'clipnorm');
    assertSeries(ys(seriesOf(chart(p, 'clipped-fraction'))[0]), s.clippedFraction, 'clippedFraction');
    assert.ok(html.includes(`<td class="num">${monitor.clipping.clippedSteps}</td>`), 'clipped steps in the table');

    // findings with advice, escaped
    assert.ok(monitor.findings.some((f) => f.code === 'saturation' && f.layer === 'squash'), 'the run has a saturation finding');
    for (const f of monitor.findings) {
      assert.ok(html.includes(escapeHtml(f.message)), `finding message: ${f.message}`);
      assert.ok(html.includes(escapeHtml(f.advice)), `advice of ${f.code}`);
    }
    assert.ok(html.includes(escapeHtml(model.summary(null))), 'model summary');
    assert.match(html, /Per-layer table \(step 15\)/);
    assert.doesNotMatch(html, /No gradient-flow diagnostics were recorded/);
  });

  test('without diagnostics: curves and summary only, and the page says so', () => {
    const html = reports.renderReport({ name: 'plain', history: relu.history.history, summary: 'Model: "tiny"' });
    const p = payloadOf(html);
    assert.deepEqual(p.charts.map((c) => c.key).sort(), ['curve:accuracy', 'curve:loss', 'learning-rate']);
    assert.match(html, /No gradient-flow diagnostics were recorded for this run/);
    assert.match(html, /Model: &quot;tiny&quot;/);
    assert.doesNotMatch(html, /id="gradient-flow"/);
  });

  test('an Inspection: per-layer snapshot and the self-normalization check (SELU)', async () => {
    const { x, y } = data(64, 9);
    const inspection = gf.diagnostics.inspect(selu.model, x, y);
    assert.equal(inspection.selfNormalization.applicable, true);
    const dir = await mkdtemp(join(tmpdir(), 'gf-reports-'));
    const path = await reports.write(selu.history, inspection, join(dir, 'inspect.html'), { name: 'selu', summary: selu.model.summary(null) });
    const html = await readFile(path, 'utf8');
    const p = payloadOf(html);
    assert.deepEqual(p.runs, ['selu']);
    const grads = seriesOf(chart(p, 'inspection:gradients'))[0] as unknown as { data: Array<number | null> };
    assertSeries(grads.data, inspection.layers.map((l) => l.gradRms), 'inspection gradRms');
    assert.deepEqual((chart(p, 'inspection:gradients').option.xAxis as { data: string[] }).data,
      inspection.layers.map((l) => `${l.name}${l.activation ? ` (${l.activation})` : ''}`));
    for (const l of inspection.layers) chart(p, `inspection-histogram:${l.name}`);
    assert.match(html, /Self-normalization \(SELU\)/);
    for (const c of inspection.selfNormalization.checks) assert.ok(html.includes(escapeHtml(c.detail)), c.detail);
    // the Monitor passed to write() goes to the Monitor sections
    const again = await reports.write(selu.history.history, selu.monitor, join(dir, 'monitor.html'));
    assert.ok(payloadOf(await readFile(again, 'utf8')).charts.some((c) => c.key === 'gradient-flow'));
  });

  test("a Monitor's toJSON() read back from a file renders like the Monitor (NaN became null)", () => {
    const json = JSON.parse(JSON.stringify(relu.monitor)) as reports.MonitorData;
    const p = payloadOf(reports.renderReport({ name: 'from-json', history: relu.history, monitor: json }));
    const dead = seriesOf(chart(p, 'dead-fraction'));
    dead.forEach((l, i) => assertSeries(ys(l), relu.monitor.series.deadFraction[i], 'dead'));
  });
});

/** The Monitor's JSON with every layer (and its weights) repeated `times` times under new names: a deep net's series. */
function deepened(monitor: gf.diagnostics.Monitor, times: number): reports.MonitorData {
  const s = (JSON.parse(JSON.stringify(monitor)) as { series: gf.diagnostics.MonitorSeries }).series;
  const rep = <T>(rows: T[]): T[] => Array.from({ length: times }, () => rows.map((r) => structuredClone(r))).flat();
  const layers = Array.from({ length: times }, (_, k) => s.layers.map((l) => ({ ...l, name: `${l.name}_${k}` }))).flat();
  const weights = Array.from({ length: times }, (_, k) => s.weights.map((w) => ({ ...w, name: `${w.layer}_${k}/${w.name.split('/')[1]}`, layer: `${w.layer}_${k}` }))).flat();
  const series: gf.diagnostics.MonitorSeries = {
    ...s, layers, weights, gradRms: rep(s.gradRms), outputGradNorm: rep(s.outputGradNorm), mean: rep(s.mean), std: rep(s.std),
    zeroFraction: rep(s.zeroFraction), deadFraction: rep(s.deadFraction), saturatedFraction: rep(s.saturatedFraction), histograms: rep(s.histograms),
    weightGradNorm: rep(s.weightGradNorm), weightNorm: rep(s.weightNorm), updateRatio: rep(s.updateRatio),
  };
  return { series, findings: [] };
}

describe('deep nets', () => {
  test('beyond 8 layers, per-layer series are heat maps (layer × step) instead of a tangle of lines', () => {
    const deep = deepened(relu.monitor, 3);
    const p = payloadOf(reports.renderReport({ name: 'deep', history: relu.history, monitor: deep }));
    const s = deep.series;
    assert.equal(s.layers.length, 12);
    for (const [key, table, log] of [['activation-std', s.std, null], ['zero-fraction', s.zeroFraction, false], ['activation-mean', s.mean, false]] as const) {
      const c = chart(p, key);
      assert.equal(c.kind, 'heatmap', key);
      const o = c.option as { yAxis: { data: string[] }; visualMap: { min: number; max: number }; series: Array<{ data: Array<[number, number, number]> }> };
      assert.equal(o.yAxis.data.length, 12, key);
      assert.equal(o.yAxis.data[4], 'h0_1 (relu)');
      if (key === 'zero-fraction') assert.deepEqual([o.visualMap.min, o.visualMap.max], [0, 1]);
      for (const [col, row, v] of o.series[0].data) {
        const expected = table[row][col]!;
        const shown = (log ?? c.log) ? 10 ** v : v;
        assert.ok(Math.abs(shown - expected) <= 1e-4 * Math.abs(expected) + 1e-9, `${key}[${row}][${col}]: ${shown} vs ${expected}`);
      }
    }
    const ratios = chart(p, 'update-ratio');
    assert.equal(ratios.kind, 'heatmap');
    assert.equal((ratios.option.yAxis as { data: string[] }).data[0], 'h0_0/kernel');
  });
});

describe('renderComparisonReport', () => {
  test("every run's curves on shared charts, heat maps side by side on one color scale, a result table", async () => {
    const record = gf.experiments.recordRun('SELU', selu.model, selu.history, 2.5, { monitor: selu.monitor, test: { loss: 0.9, accuracy: 0.61 } });
    const runs: reports.ReportRun[] = [{ name: 'ReLU', history: relu.history, monitor: relu.monitor, final: { accuracy: 0.5 } }, record];
    const html = reports.renderComparisonReport(runs, { title: 'SELU vs ReLU', notes: ['SELU keeps the std near 1 <b>deep</b>'] });
    const p = payloadOf(html);
    assert.equal(p.kind, 'comparison');
    assert.deepEqual(p.runs, ['ReLU', 'SELU']);
    for (const key of ['val_accuracy', 'accuracy', 'val_loss', 'loss', 'lr']) {
      const lines = seriesOf(chart(p, key === 'lr' ? 'learning-rate' : `curve:${key}`));
      assert.deepEqual(lines.map((l) => l.name), ['ReLU', 'SELU'], key);
      assertSeries(ys(lines[0]), relu.history.history[key], `ReLU ${key}`);
      assertSeries(ys(lines[1]), selu.history.history[key], `SELU ${key}`);
    }
    const maps = ['ReLU', 'SELU'].map((n) => chart(p, `gradient-flow:${n}`).option.visualMap as { min: number; max: number });
    assert.deepEqual(maps[0], maps[1], 'one color scale');
    const all = [relu, selu].flatMap((t) => t.monitor.series.gradRms.flat()).filter((v): v is number => v !== null && v > 0).map(Math.log10);
    assert.ok(Math.abs(maps[0].min - Math.min(...all)) < 1e-4 && Math.abs(maps[0].max - Math.max(...all)) < 1e-4, 'the range covers both runs');
    chart(p, 'activation-std:SELU');
    assert.equal(seriesOf(chart(p, 'gradient-norm')).length, 2);
    // the table: given final values win, test metrics and time
    assert.match(html, /<td class="num">(?:<strong>)?0\.5000(?:<\/strong>)?<\/td>/);
    assert.match(html, /test accuracy/);
    assert.match(html, /<td class="num">2\.5 s<\/td>/);
    assert.match(html, /SELU keeps the std near 1 &lt;b&gt;deep&lt;\/b&gt;/);
    assert.match(html, /<title>SELU vs ReLU<\/title>/);
  });

  test('duplicate run names are told apart; runs without a Monitor are said to be unmonitored', () => {
    const html = reports.renderComparisonReport([{ name: 'a', history: { loss: [1, 0.5] } }, { name: 'a', history: { loss: [2, 1] } }]);
    assert.deepEqual(payloadOf(html).runs, ['a', 'a (2)']);
    assert.match(html, /No run was monitored/);
  });
});

describe('escaping', () => {
  test('hostile run names, layer names, notes and summaries cannot close the script or inject markup', () => {
    const monitor = JSON.parse(JSON.stringify(relu.monitor)) as { series: { layers: Array<{ name: string }> }; latest: Array<{ name: string }> };
    monitor.series.layers[0].name = HOSTILE_LAYER;
    monitor.latest[0].name = HOSTILE_LAYER;
    const run = { name: HOSTILE, history: relu.history, monitor: monitor as unknown as reports.MonitorData, summary: HOSTILE, extra: { [HOSTILE]: HOSTILE } };
    for (const html of [
      reports.renderReport(run, { title: HOSTILE, description: HOSTILE }),
      reports.renderComparisonReport([run, { ...run, name: `${HOSTILE}2` }], { notes: [HOSTILE] }),
    ]) {
      const own = ownPart(html);
      assertNo(own, /<img/i, 'injected markup');
      assert.ok(!html.includes('</script><img'), 'no closed script');
      const opened = (html.match(/<script\b/gi) ?? []).length;
      assert.equal((html.match(/<\/script>/gi) ?? []).length, opened, 'every </script> closes one of ours');
      assert.equal(opened, 3);
      const p = payloadOf(html);
      assert.equal(p.runs[0], HOSTILE);
      const flow = p.charts.find((c) => c.key.startsWith('gradient-flow'))!;
      assert.equal((flow.option.yAxis as { data: string[] }).data[0], `${HOSTILE_LAYER} (relu)`, 'layer names survive the round trip');
      assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), 'escaped in the HTML');
    }
  });
});

describe('writing', () => {
  test('writes atomically, returns the absolute path, creates folders, leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gf-reports-'));
    const target = join(dir, 'nested', 'report.html');
    const path = await reports.writeReport(join(dir, 'nested', '.', 'report.html'), { name: 'r', history: relu.history, monitor: relu.monitor });
    assert.equal(path, target);
    const html = await readFile(path, 'utf8');
    assert.deepEqual(payloadOf(html).runs, ['r']);
    assert.deepEqual(await readdir(join(dir, 'nested')), ['report.html']);
    // a failing render leaves the previous file as it was
    await writeFile(target, 'previous');
    await assert.rejects(reports.writeReport(target, { name: '', history: {} }), /run\.name must be a non-empty string/);
    await assert.rejects(reports.writeComparisonReport(target, []), /runs must be a non-empty array/);
    assert.equal(await readFile(target, 'utf8'), 'previous');
    const cmp = await reports.writeComparisonReport(target, [{ name: 'x', history: { loss: [1] } }]);
    assert.equal(cmp, target);
    assert.equal(payloadOf(await readFile(target, 'utf8')).kind, 'comparison');
    assert.deepEqual(await readdir(join(dir, 'nested')), ['report.html']);
    await assert.rejects(reports.exportPng(target, join(dir, 'x.png'), { executablePath: '/nonexistent/chrome' }),
      /exportPng: executablePath '\/nonexistent\/chrome' does not exist|exportPng: rendering to PNG needs the optional package 'playwright-core'/);
  });
});

describe('bad arguments', () => {
  const h = { loss: [1, 0.5] };
  test('each names the argument and what was expected', async () => {
    assert.throws(() => reports.renderReport(null as never), /renderReport: run must be an object \{ name, history/);
    assert.throws(() => reports.renderReport({ name: '  ', history: h }), /renderReport: run\.name must be a non-empty string/);
    assert.throws(() => reports.renderReport({ name: 'a', history: 3 as never }), /run\.history must be a History or an object of per-epoch arrays/);
    assert.throws(() => reports.renderReport({ name: 'a', history: { loss: ['x'] } as never }), /run\.history\['loss'\] must be an array of numbers/);
    assert.throws(() => reports.renderReport({ name: 'a', history: h, monitor: {} as never }), /run\.monitor must be a gf\.diagnostics\.Monitor/);
    assert.throws(() => reports.renderReport({ name: 'a', history: h, inspection: { layers: [] } as never }), /run\.inspection must be a gf\.diagnostics\.Inspection/);
    assert.throws(() => reports.renderReport({ name: 'a', history: h, final: { loss: 'low' } as never }), /run\.final\['loss'\] must be a number/);
    assert.throws(() => reports.renderReport({ name: 'a', history: h, seconds: '3' as never }), /run\.seconds must be a number/);
    assert.throws(() => reports.renderReport({ name: 'a', history: h }, { title: 5 as never }), /renderReport: options\.title must be a string/);
    assert.throws(() => reports.renderComparisonReport([]), /renderComparisonReport: runs must be a non-empty array/);
    assert.throws(() => reports.renderComparisonReport([{ name: 'a', history: h }, { name: 7 as never, history: h }]), /runs\[1\]\.name must be a non-empty string/);
    assert.throws(() => reports.renderComparisonReport([{ name: 'a', history: h }], { notes: 'x' as never }), /options\.notes must be an array of strings/);
    await assert.rejects(reports.writeReport('', { name: 'a', history: h }), /writeReport: path must be a file path/);
    await assert.rejects(reports.write(h, { foo: 1 } as never, 'x.html'), /reports\.write: diagnostics must be a gf\.diagnostics\.Monitor or the Inspection/);
    await assert.rejects(reports.write(h, null, 'x.html', { name: '' }), /reports\.write: options\.name must be a non-empty string/);
    await assert.rejects(reports.write([1] as never, null, 'x.html'), /reports\.write: history must be a History/);
    await assert.rejects(reports.exportPng(join(tmpdir(), 'gf-no-such-report.html'), 'x.png'), /exportPng: cannot read htmlPath/);
    await assert.rejects(reports.exportPng('a.html', 'x.png', { width: -1 }), /exportPng: options\.width must be a positive number/);
  });
});
