/** Plain-text rendering of the per-layer table and the findings (for terminals and logs). */
import type { Finding, FindingCode } from './detectors.js';
import type { LayerReport } from './report.js';

/** A compact number: 3 significant digits, exponent form when very large or small. */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(1) : x.toPrecision(3);
}

const pct = (x: number | null): string => (x === null ? '—' : x === 0 ? '0' : `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The per-layer table: output statistics, gradient norms, init gain and verdict. */
export function formatLayers(layers: LayerReport[]): string {
  const rows = layers.map((l) => {
    const grads = l.weights.filter((w) => w.gradNorm !== null);
    const gradNorm = grads.length ? Math.sqrt(grads.reduce((a, w) => a + w.gradNorm! ** 2, 0)) : null;
    return [
      l.name,
      `${l.className}${l.activation && l.className !== 'Activation' ? `(${l.activation})` : l.activation ? `(${l.activation})` : ''}`,
      `[${l.outputShape.slice(1).join(',')}]`,
      num(l.stats.mean), num(l.stats.std), pct(l.stats.zeroFraction),
      Number.isNaN(l.stats.deadFraction) ? '—' : l.stats.deadUnits ? `${l.stats.deadUnits}/${l.stats.units}` : '0',
      pct(l.stats.saturatedFraction),
      num(gradNorm), num(l.outputGradNorm),
      l.init ? num(l.init.ratio) : '—',
      l.verdict.length ? l.verdict.join(', ') : 'ok',
    ];
  });
  return table(['layer', 'class', 'output', 'mean', 'std', 'zeros', 'dead', 'saturated', '‖∂L/∂W‖', '‖∂L/∂out‖', 'init', 'verdict'], rows);
}

const SYMBOL = { error: '✗', warning: '!', info: 'i' } as const;

/** Findings grouped by code: the first few messages of each, then the advice once. */
export function formatFindings(findings: Finding[], perCode = 3): string {
  if (findings.length === 0) return 'No problems found: gradient flow and activations look healthy.';
  const byCode = new Map<FindingCode, Finding[]>();
  for (const f of findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const out: string[] = [];
  for (const [code, list] of byCode) {
    const worst = list.some((f) => f.severity === 'error') ? 'error' : list.some((f) => f.severity === 'warning') ? 'warning' : 'info';
    const layers = [...new Set(list.map((f) => f.layer).filter((l): l is string => l !== null))];
    out.push(`${SYMBOL[worst]} ${code}${layers.length ? ` — ${layers.length} layer(s): ${layers.slice(0, 6).join(', ')}${layers.length > 6 ? ', …' : ''}` : ''}`);
    for (const f of list.slice(0, perCode)) {
      const seen = f.occurrences && f.occurrences > 1 ? ` [seen in ${f.occurrences} samples, last at step ${f.lastStep}]` : '';
      out.push(`    ${f.message}${seen}`);
    }
    if (list.length > perCode) out.push(`    … and ${list.length - perCode} more`);
    for (const advice of new Set(list.map((f) => f.advice))) out.push(`    → ${advice}`);
  }
  return out.join('\n');
}
