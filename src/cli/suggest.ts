/**
 * Spelling helpers for config keys and names: Keras' snake_case and the library's camelCase are
 * both accepted, and an unknown word gets a "did you mean" when a known one is close.
 */

/** 'kernel_initializer' → 'kernelInitializer' (camelCase input is returned unchanged). */
export function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** 'kernelInitializer' → 'kernel_initializer' (snake_case input is returned unchanged). */
export function toSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Case, '_' and '-' ignored: 'he_normal', 'heNormal' and 'HeNormal' compare equal. */
export function canonical(word: string): string {
  return word.replace(/[_\-\s]/g, '').toLowerCase();
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known word closest to `word` (ignoring case and separators), when it is close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = canonical(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const c = canonical(k);
    const distance = c === w ? 0 : c.startsWith(w) || w.startsWith(c) ? Math.abs(c.length - w.length) : editDistance(w, c);
    if (distance < bestDistance) { best = k; bestDistance = distance; }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(w.length / 3)) ? best : undefined;
}

/** " (did you mean 'x'?)" or ''. */
export function didYouMean(word: string, known: readonly string[]): string {
  const hint = closest(word, known);
  return hint !== undefined ? ` (did you mean '${hint}'?)` : '';
}

/** Whether the user writes keys Keras' way (snake_case) — suggestions follow the user's style. */
export function prefersSnake(keys: readonly string[]): boolean {
  return !keys.some((k) => /[a-z][A-Z]/.test(k));
}

