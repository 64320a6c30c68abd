/**
 * Reports as PNG (for READMEs and slides): opens the HTML in headless Chromium (playwright-core,
 * optional) and takes a screenshot once every chart has rendered.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../saving/files.js';
import { launchChromium, openReport } from './browser.js';

export interface ExportPngOptions {
  /** Chromium or Chrome to run (default: $CHROMIUM_PATH, then the usual system paths, then Playwright's own download). */
  executablePath?: string;
  /** Viewport width in CSS pixels (default 1280). */
  width?: number;
  /** Pixels per CSS pixel (default 1). */
  scale?: number;
  /** Capture only the element matching this CSS selector, e.g. '#gradient-flow' (default: the whole page). */
  selector?: string;
  /** How long to wait for the charts, in milliseconds (default 30000). */
  timeoutMs?: number;
}

/** Screenshots a report (HTML written by writeReport / writeComparisonReport) to a PNG; returns its absolute path. */
export async function exportPng(htmlPath: string, pngPath: string, options: ExportPngOptions = {}): Promise<string> {
  const where = 'reports.exportPng';
  if (typeof htmlPath !== 'string' || htmlPath === '') throw new TypeError(`${where}: htmlPath must be a file path, got ${JSON.stringify(htmlPath)}`);
  if (typeof pngPath !== 'string' || pngPath === '') throw new TypeError(`${where}: pngPath must be a file path, got ${JSON.stringify(pngPath)}`);
  for (const k of ['width', 'scale', 'timeoutMs'] as const) {
    const v = options[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new RangeError(`${where}: options.${k} must be a positive number, got ${String(v)}`);
  }
  try {
    if (!(await stat(htmlPath)).isFile()) throw new Error('not a file');
  } catch (e) {
    throw new Error(`${where}: cannot read htmlPath '${htmlPath}': ${(e as Error).message}`);
  }
  const browser = await launchChromium(options, where);
  try {
    const page = await openReport(browser, htmlPath, options, where);
    let png: Uint8Array;
    if (options.selector !== undefined) {
      const target = page.locator(options.selector);
      if ((await target.count()) === 0) throw new Error(`${where}: no element matches selector '${options.selector}'`);
      png = await target.first().screenshot({ type: 'png' });
    } else {
      png = await page.screenshot({ type: 'png', fullPage: true });
    }
    await writeFileAtomic(pngPath, png);
  } finally {
    await browser.close();
  }
  return resolve(pngPath);
}
