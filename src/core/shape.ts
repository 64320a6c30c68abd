/** Shape utilities: validation, sizes, strides and NumPy broadcasting. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Throws unless every dimension is a non-negative integer. */
export function assertShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${where}: shape must be an array of non-negative integers, got ${String(shape)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `${where}: shape must be an array of non-negative integers, got [${shape.map(String).join(', ')}] ` +
        `(dimension ${i} is ${String(d)})`);
    }
  }
  return shape.slice() as number[];
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; the error names the op and both shapes. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
        `(dimension ${i} of the result: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalizes an axis (negative counts from the end); the error names the op and the rank. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${String(axis)} is out of range for a tensor of rank ${rank}` +
      ` (expected an integer in [${-rank}, ${Math.max(rank - 1, 0)}])`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalizes an axis list; undefined means every axis. Sorted, unique. */
export function normalizeAxes(axes: number | readonly number[] | undefined | null, rank: number, op: string): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(a, rank, op);
    if (out.has(n)) throw new RangeError(`${op}: axis ${a} is repeated in [${list.join(', ')}]`);
    out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}
