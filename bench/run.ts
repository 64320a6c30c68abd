/**
 * `npm run bench`: runs the bench sections, prints markdown tables, and writes
 * docs/benchmarks.md with the machine description. Add a section by appending to SECTIONS.
 *
 *   npm run bench                 every section
 *   npm run bench -- train        one section (names: sgemm, train); the others' results
 *   npm run bench -- sgemm train  stay in docs/benchmarks.md as they were
 *   npm run bench -- train --full the slow systems train full epochs instead of a subset
 *   npm run bench -- train --quick a smoke test on small subsets; docs/benchmarks.md is not written
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchSgemm, type BenchTable } from './sgemm.js';
import { withWasmThreadColumns } from './sgemm-threads.js';
import { benchTrain } from './train.js';

interface BenchSection {
  /** Selects the section on the command line; also its marker in docs/benchmarks.md. */
  readonly name: string;
  readonly title: string;
  readonly note: string;
  /** A table, or the section's markdown body. */
  readonly run: (log: (line: string) => void, flags: string[]) => Promise<BenchTable | string>;
}

const SECTIONS: BenchSection[] = [
  {
    name: 'sgemm',
    title: 'SGEMM (float32 matrix product), single thread (wasm also on 2 threads), median GFLOPS',
    note: 'FLOPs = 2·M·N·K. gradflow columns include copying operands into wasm memory and the ' +
      'result out; tfjs operands are uploaded once outside the timing. Higher is better.\n\n' +
      'Ceiling: Node 20 (V8 11.3) has no relaxed-SIMD FMA by default, so the micro-kernel issues ' +
      'f32x4.mul + f32x4.add; on Zen 4 that is at most 2 mul + 2 add xmm ops per cycle = 16 flop/cycle, ' +
      'i.e. ~46 GFLOPS at the ~2.9 GHz this VM core sustains (measured with a dependent f32x4.add ' +
      'chain). The 4×8 micro-kernel loop is 28 instructions per 64 flops (V8 adds index ' +
      'zero-extensions and an interrupt check), about 85% of that ceiling when the core is quiet.',
    run: async (log) => withWasmThreadColumns(await benchSgemm(log), log),
  },
  {
    name: 'train',
    title: 'Training: seconds per epoch of the book MLP (784-300-100-10, SGD), gradflow vs TensorFlow.js vs PyTorch',
    note: '',
    run: (log, flags) => benchTrain(log, { full: flags.includes('--full'), quick: flags.includes('--quick') }),
  },
  { name: 'diagnostics', title: 'Diagnostics: seconds per epoch of the book MLP with and without gf.diagnostics.Monitor (every 50 steps)', note: 'Epoch-to-epoch noise on a shared machine exceeds the overhead; the per-sample cost against one training step (last rows, medians of interleaved short runs) is the figure to trust.', run: async (log, flags) => (await import('./diagnostics.js')).benchDiagnostics(log, { quick: flags.includes('--quick') }) },
];

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const names = args.filter((a) => !a.startsWith('--'));
const FLAGS = ['--full', '--quick'];
const unknown = [...names.filter((n) => !SECTIONS.some((s) => s.name === n)), ...flags.filter((f) => !FLAGS.includes(f))];
if (unknown.length) {
  console.error(`bench: unknown argument ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}; flags: ${FLAGS.join(', ')}`);
  process.exit(2);
}
const selected = names.length ? SECTIONS.filter((s) => names.includes(s.name)) : SECTIONS;

function markdown(t: BenchTable): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(t.columns), line(t.columns.map((_, i) => (i === 0 ? '---' : '---:'))), ...t.rows.map(line)].join('\n');
}

const cpus = os.cpus();
const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} logical cores visible, ` +
  `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.arch()}`;
const measured = () => `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; ` +
  `load average before the section ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}._`;

// Sections not run keep their previous text, found between their markers.
const DOC = 'docs/benchmarks.md';
const previous = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
const begin = (name: string) => `<!-- bench:${name} -->`;
const end = (name: string) => `<!-- /bench:${name} -->`;
function previousBlock(name: string): string | null {
  const i = previous.indexOf(begin(name)), j = previous.indexOf(end(name));
  return i >= 0 && j > i ? previous.slice(i, j + end(name).length) : null;
}

const blocks = new Map<string, string>();
for (const section of selected) {
  console.log(`## ${section.title}`);
  const t0 = performance.now();
  const stamp = measured();
  const result = await section.run((l) => console.log(l), flags);
  const body = typeof result === 'string' ? result : markdown(result);
  console.log(`\n${body}\n\n(${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  const note = section.note ? `${section.note}\n\n` : '';
  blocks.set(section.name, `${begin(section.name)}\n## ${section.title}\n\n${stamp}\n\n${note}${body}\n${end(section.name)}`);
}

const parts = SECTIONS.map((s) => blocks.get(s.name) ?? previousBlock(s.name) ??
  `${begin(s.name)}\n## ${s.title}\n\nNot run yet: \`npm run bench -- ${s.name}\`.\n${end(s.name)}`);

if (flags.includes('--quick')) {
  console.log(`--quick: ${DOC} not written`);
  process.exit(0);
}
mkdirSync('docs', { recursive: true });
writeFileSync(DOC, `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts). Each section says when and on which machine it
was measured; \`npm run bench -- ${SECTIONS.map((s) => s.name).join('|')}\` re-runs one section and
keeps the others.

${parts.join('\n\n')}

## Reproducing

\`\`\`sh
npm ci
npm run bench              # builds the wasm module, runs every section, rewrites this file
npm run bench -- train     # one section only (sgemm, train)
npm run bench -- train --full   # the slow systems (gradflow js, tfjs cpu) on full epochs too (~10 min more)
npm run bench -- train --quick  # smoke test on small subsets (~1 min); does not write this file
BENCH_PYTHON=/path/to/python3 npm run bench -- train   # a python with torch for the PyTorch row
\`\`\`

Close other programs first: the numbers are single-threaded and a busy or frequency-scaled core
moves them by tens of percent. The PyTorch row needs a python3 with torch (Debian:
\`apt-get install python3-torch\`; the bench tries \`python3\` on PATH, then \`/usr/bin/python3\`).
To profile one system, run its worker directly (see the comment at the top of bench/train.ts).
`);
console.log(`wrote ${DOC}`);
