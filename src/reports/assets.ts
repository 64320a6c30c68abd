/**
 * What the reports read from disk: the ECharts bundle (inlined into every page, so a report
 * opens without network) and gradflow's version. Resolved from this file's location, so the
 * same code works from src/ (tsx) and from dist/src/ (the published build).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let echarts: string | null = null;
let version: string | null = null;

/** The minified ECharts bundle (a UMD script defining `window.echarts`), safe inside <script>. */
export function echartsSource(): string {
  if (echarts === null) {
    let file: string;
    try {
      file = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
    } catch (e) {
      throw new Error(`reports: cannot find the chart library 'echarts' (a dependency of gradflow; reinstall it): ${(e as Error).message}`);
    }
    // NOTE: today's bundle holds neither sequence; should one appear, `<\/script` and `<\!--` mean
    // the same inside the strings, regexes and comments where they can occur in a minified bundle
    echarts = readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
  }
  return echarts;
}

/** gradflow's version, from the nearest package.json named 'gradflow' above this file. */
export function gradflowVersion(): string {
  if (version === null) {
    version = 'unknown';
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'gradflow' && typeof pkg.version === 'string') { version = pkg.version; break; }
      } catch { /* no package.json here: look further up */ }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return version;
}
