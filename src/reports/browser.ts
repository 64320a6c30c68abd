/**
 * Headless Chromium through playwright-core, for exportPng and the render test. playwright-core
 * is optional: it is imported here only, on demand, with a clear error when missing; its types
 * stay in this file (not re-exported), so the public declarations do not need it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Playwright = typeof import('playwright-core');
type Browser = Awaited<ReturnType<Playwright['chromium']['launch']>>;

export interface BrowserOptions {
  /** Chromium or Chrome to run (default: $CHROMIUM_PATH, then the usual system paths, then Playwright's own download). */
  executablePath?: string;
}

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

/** playwright-core, or a clear error saying how to get it. */
export async function loadPlaywright(where = 'reports'): Promise<Playwright> {
  const name: string = 'playwright-core'; // through a variable: bundlers leave it alone
  try {
    return (await import(name)) as Playwright;
  } catch (e) {
    throw new Error(`${where}: rendering to PNG needs the optional package 'playwright-core' (npm install playwright-core): ${(e as Error).message}`);
  }
}

/** The browser to launch: the option, $CHROMIUM_PATH, a system Chromium/Chrome, or null. */
export function findChromium(explicit?: string): string | null {
  if (explicit !== undefined) return explicit;
  const env = process.env.CHROMIUM_PATH;
  if (env) return env;
  return SYSTEM_CHROMIUMS.find((p) => existsSync(p)) ?? null;
}

/** Headless Chromium (with --no-sandbox when running as root, where its sandbox cannot start). */
export async function launchChromium(options: BrowserOptions = {}, where = 'reports'): Promise<Browser> {
  const { chromium } = await loadPlaywright(where);
  const found = findChromium(options.executablePath);
  const executablePath = found ?? chromium.executablePath();
  if (!executablePath || !existsSync(executablePath)) {
    const which = options.executablePath !== undefined ? `executablePath '${options.executablePath}' does not exist`
      : process.env.CHROMIUM_PATH ? `CHROMIUM_PATH '${process.env.CHROMIUM_PATH}' does not exist`
        : 'no Chromium found; install one (apt-get install chromium), pass { executablePath } or set CHROMIUM_PATH';
    throw new Error(`${where}: ${which}`);
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath, headless: true, args: [...(root ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'] });
}

/** Opens a report and waits until `<body data-rendered>` says every chart has drawn. */
export async function openReport(browser: Browser, htmlPath: string, options: { width?: number; scale?: number; timeoutMs?: number } = {}, where = 'reports') {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 }, deviceScaleFactor: options.scale ?? 1 });
  await page.goto(pathToFileURL(resolve(htmlPath)).href);
  try {
    await page.waitForSelector('body[data-rendered]', { state: 'attached', timeout: options.timeoutMs ?? 30_000 });
  } catch (e) {
    throw new Error(`${where}: '${htmlPath}' did not finish rendering (is it a gradflow report?): ${(e as Error).message}`);
  }
  return page;
}

