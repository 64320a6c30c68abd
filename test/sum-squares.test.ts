/**
 * Kernels.sumSquares — [Σ a², Σ (a − b)²] in float64 — on every backend against a plain float64
 * sum (the diagnostics Monitor's weight, gradient and update norms come from it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as gf from '../src/node.js';
import { kernelsFor } from '../src/backend/registry.js';
import { l2, l2AndDiff } from '../src/diagnostics/stats.js';

function reference(a: ArrayLike<number>, b: ArrayLike<number> | null): [number, number] {
  let s = 0, d = 0;
  for (let i = 0; i < a.length; i++) { s += a[i] * a[i]; if (b) d += (a[i] - b[i]) ** 2; }
  return [s, d];
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

for (const backend of gf.listBackends()) {
  test(`sumSquares on ${backend}: float32 and float64, with and without b, lengths around the unrolling`, () => {
    gf.setSeed(5);
    for (const n of [0, 1, 7, 8, 9, 63, 64, 65, 1001, 70_000]) {
      for (const Type of [Float32Array, Float64Array]) {
        const a = Type.from(gf.randomNormal([n]).data), b = Type.from(gf.randomNormal([n]).data);
        const [s, d] = kernelsFor(backend).sumSquares(a, b);
        const [rs, rd] = reference(a, b);
        close(s, rs, `${backend} n=${n} ${Type.name} Σa²`);
        close(d, rd, `${backend} n=${n} ${Type.name} Σ(a−b)²`);
        const [s0, d0] = kernelsFor(backend).sumSquares(a, null);
        close(s0, rs, `${backend} n=${n} ${Type.name} Σa² (no b)`);
        assert.equal(d0, 0);
      }
    }
  });
}

test('the diagnostics norms use the active backend and agree with float64 sums', () => {
  const a = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i)), b = a.map((v) => v * 0.5);
  const [rs, rd] = reference(a, b);
  close(l2(a), Math.sqrt(rs), 'l2');
  const { norm, diff } = l2AndDiff(a, b);
  close(norm, Math.sqrt(rs), 'norm');
  close(diff, Math.sqrt(rd), 'diff');
  assert.equal(l2(Int32Array.from([3, 4])), 5);
});
