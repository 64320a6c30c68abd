/**
 * The reports in a real browser: headless Chromium (/usr/bin/chromium or $CHROMIUM_PATH) through
 * playwright-core opens a single-run and a comparison report written from real training runs,
 * and checks that no script fails, every chart container holds an ECharts instance whose canvas
 * has been drawn on, hostile names inject nothing (also in tooltips), and exportPng writes a PNG.
 * Screenshots go to test-artifacts/ (gitignored): report.png, comparison.png.
 * Skipped, with the reason, where playwright-core or Chromium is missing (CI installs Chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as gf from '../src/node.js';
import * as reports from '../src/reports/index.js';
import { findChromium, launchChromium, loadPlaywright } from '../src/reports/browser.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
// an onerror that would run if the name were ever parsed as markup
const HOSTILE = '</script><img src=x onerror="window.__pwned=1">';

async function whyNot(): Promise<string | null> {
  try {
    await loadPlaywright();
  } catch {
    return 'playwright-core is not installed';
  }
  // the browser launchChromium() will use: $CHROMIUM_PATH, a system Chromium, or Playwright's own
  const path = findChromium() ?? (await loadPlaywright()).chromium.executablePath();
  if (!path || !existsSync(path)) return `no Chromium found (install chromium or set CHROMIUM_PATH)${path ? `: ${path} does not exist` : ''}`;
  return null;
}

async function trainedRun(name: string, activation: string, kernelInitializer: string): Promise<reports.ReportRun> {
  gf.setSeed(21);
  const x = gf.randomNormal([128, 8]);
  const d = x.data as Float32Array;
  const y = gf.tensor(Array.from({ length: 128 }, (_, i) => (d[i * 8] > 0 ? 1 : 0)), [128], 'int32');
  const model = new gf.Sequential([
    new gf.layers.Dense(12, { inputShape: [8], activation, kernelInitializer, name: 'hidden_a' }),
    new gf.layers.Dense(12, { activation, kernelInitializer, name: 'hidden_b' }),
    new gf.layers.Dense(2, { activation: 'softmax', name: 'out' }),
  ]);
  model.compile({ optimizer: new gf.optimizers.Adam({ learningRate: 0.01, clipnorm: 1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const monitor = new gf.diagnostics.Monitor({ every: 2 });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 32, validationSplit: 0.25, callbacks: [monitor], verbose: 0 });
  return { name, history, monitor, inspection: gf.diagnostics.inspect(model, x, y), summary: model.summary(null), params: model.countParams(), seconds: 0.4 };
}

interface ChartCheck { id: string; key: string; instance: boolean; canvas: boolean; inked: number; colorful: number; colors: number }

test('reports render in headless Chromium: every chart drawn, no errors, nothing injected', { timeout: 120_000 }, async (t) => {
  const reason = await whyNot();
  if (reason) { t.skip(reason); return; }
  const relu = await trainedRun(HOSTILE, 'relu', 'he_normal');
  const selu = await trainedRun('SELU', 'selu', 'lecun_normal');
  const single = await reports.writeReport(`${ARTIFACTS}report.html`, relu, { description: 'Render test: a small MLP with a Monitor and an inspection.' });
  const comparison = await reports.writeComparisonReport(`${ARTIFACTS}comparison.html`, [relu, selu], { title: 'SELU vs ReLU', notes: [HOSTILE] });

  const browser = await launchChromium();
  try {
    for (const [file, png] of [[single, 'report.png'], [comparison, 'comparison.png']] as const) {
      const errors: string[] = [];
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-rendered]', { state: 'attached', timeout: 30_000 });
      const expected = ((JSON.parse(await page.locator('#gradflow-report-data').textContent() ?? '{}')) as { charts: unknown[] }).charts.length;
      assert.ok(expected > 3, `${png}: charts in the payload`);
      assert.equal(await page.getAttribute('body', 'data-rendered'), String(expected), `${png}: every chart finished rendering; ${errors.join('; ')}`);
      await page.screenshot({ path: `${ARTIFACTS}${png}`, fullPage: true });
      // legends are drawn in the series' colors: hide them, so that color on the canvas means data
      await page.evaluate(() => new Promise<void>((done) => {
        const w = window as unknown as { gradflowReport: { charts: Array<{ setOption(o: object): void } | null>; payload: { charts: Array<{ kind: string }> } } };
        w.gradflowReport.charts.forEach((c, i) => {
          c?.setOption(w.gradflowReport.payload.charts[i].kind === 'heatmap' ? { visualMap: { show: false } } : { legend: { show: false } });
        });
        requestAnimationFrame(() => requestAnimationFrame(() => done()));
      }));
      const checks = await page.evaluate(() => {
        const w = window as unknown as { echarts: { getInstanceByDom(el: Element): unknown }; gradflowReport: { payload: { charts: Array<{ id: string; key: string }> } } };
        return w.gradflowReport.payload.charts.map(({ id, key }) => {
          const el = document.getElementById(id)!;
          // ECharts may draw on several layered canvases (e.g. a heat map's own layer): look at all
          const canvases = [...el.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
          let inked = 0, colorful = 0;
          const colors = new Set<number>();
          for (const canvas of canvases) {
            const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < px.length; i += 4 * 7) { // every 7th pixel is plenty
              if (px[i + 3] === 0) continue;
              const r = px[i], g = px[i + 1], b = px[i + 2];
              if (r < 235 || g < 235 || b < 235) { inked++; colors.add((r << 16) | (g << 8) | b); }
              // axes and text are gray; the data (lines, bars, heat map cells) is drawn in color
              if (Math.max(r, g, b) - Math.min(r, g, b) > 60) colorful++;
            }
          }
          return { id, key, instance: !!w.echarts.getInstanceByDom(el), canvas: canvases.length > 0, inked, colorful, colors: colors.size };
        });
      }) as ChartCheck[];
      assert.equal(await page.locator('.gf-chart').count(), expected, `${png}: one container per chart`);
      if (process.env.GF_RENDER_DEBUG) console.log(checks.map((c) => `${c.key} ${c.inked} ${c.colorful} ${c.colors}`).join('\n'));
      for (const c of checks) {
        assert.ok(c.instance && c.canvas, `${png} ${c.key}: an ECharts instance with a canvas`);
        // with the legends hidden, a chart whose series drew nothing has no colored pixel (checked: 0)
        assert.ok(c.inked > 200 && c.colors >= 3 && c.colorful > 100,
          `${png} ${c.key}: the data is drawn (${c.inked} inked samples, ${c.colorful} in color, ${c.colors} colors)`);
      }
      // tooltips print run and layer names as HTML: show one on every line chart and heat map
      const tips = await page.evaluate(() => new Promise<string[]>((done) => {
        type Spec = { id: string; kind: string; option: { series: Array<{ data: unknown[] }> } };
        const w = window as unknown as { gradflowReport: { charts: Array<{ dispatchAction(a: object): void } | null>; payload: { charts: Spec[] } } };
        const shown = w.gradflowReport.payload.charts.filter((c, i) => (c.kind === 'line' || c.kind === 'heatmap') && w.gradflowReport.charts[i]);
        w.gradflowReport.payload.charts.forEach((c, i) => {
          // the last point: early samples of some rows are not measured yet (dead units)
          if (shown.includes(c)) w.gradflowReport.charts[i]!.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: c.option.series[0].data.length - 1 });
        });
        requestAnimationFrame(() => requestAnimationFrame(() => done(shown.map((c) =>
          [...document.getElementById(c.id)!.querySelectorAll('div')].map((d) => (d.style.zIndex === '9999999' ? d.textContent ?? '' : '')).join('')))));
      }));
      assert.ok(tips.length > 0 && tips.every((t) => t.length > 0), `${png}: every tooltip shows: ${JSON.stringify(tips)}`);
      if (png === 'comparison.png') assert.ok(tips.some((t) => t.includes(HOSTILE)), 'the hostile run name is printed as text in a tooltip');
      const injected = await page.evaluate(() => ({ pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0, images: document.querySelectorAll('img').length }));
      assert.deepEqual(injected, { pwned: 0, images: 0 }, `${png}: nothing injected`);
      assert.deepEqual(errors, [], `${png}: no console or page errors`);
      await page.close();
    }
  } finally {
    await browser.close();
  }

  // exportPng: one section of the page, as a PNG file
  const out = await reports.exportPng(single, `${ARTIFACTS}report-gradient-flow.png`, { selector: '#gradient-flow' });
  const bytes = await readFile(out);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.ok(bytes.readUInt32BE(16) > 600 && bytes.readUInt32BE(20) > 200, 'a section-sized image');
  await assert.rejects(reports.exportPng(single, `${ARTIFACTS}x.png`, { selector: '#no-such-section' }), /no element matches selector '#no-such-section'/);
});
