/**
 * Data types. float32 is the default for training; float64 exists so that gradient
 * checks by central differences are meaningful; int32 holds labels and indices.
 */
export type DType = 'float32' | 'float64' | 'int32';
export type DataArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

export function assertDType(x: unknown, where: string): DType {
  if (!isDType(x)) {
    throw new TypeError(`${where}: dtype must be one of ${DTYPES.join(', ')}, got ${JSON.stringify(x)}`);
  }
  return x;
}

export function allocate(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'float64': return new Float64Array(size);
    case 'int32': return new Int32Array(size);
  }
}

export function dtypeOfArray(data: DataArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/** Result dtype of a binary op: float64 > float32 > int32. */
export function promote(a: DType, b: DType): DType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}
