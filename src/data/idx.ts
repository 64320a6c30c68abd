/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 * a 4-byte magic number `00 00 <type> <ndim>`, then ndim big-endian uint32 dimensions, then the
 * values in row-major order, big-endian. Images are magic 2051 (0x00000803: uint8, 3-D), labels
 * 2049 (0x00000801: uint8, 1-D).
 *
 * Browser-safe: bytes in, typed arrays out. Every check names the file and says what the header
 * promised against what the file holds, so a truncated download is diagnosed, not mis-read.
 */
import { maybeGunzip } from './compression.js';

/** Raised for a malformed dataset file (IDX, CIFAR-10 batch, npz, tar). */
export class DataFormatError extends Error {
  override name = 'DataFormatError';
}

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  readonly dtype: IdxDType;
  readonly shape: number[];
  /** Row-major values in native byte order. For uint8 a view on the input bytes (no copy). */
  readonly data: IdxData;
}

export interface IdxOptions {
  /** The file name, used in error messages. */
  name?: string;
  /** Checks on the header: number of dimensions, dimensions (null = any), value type. */
  expect?: { ndim?: number; shape?: readonly (number | null)[]; dtype?: IdxDType };
}

/** Type codes of the third magic byte. */
const TYPES: Record<number, { dtype: IdxDType; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};
const CODE_OF: Record<IdxDType, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const fmtShape = (s: readonly (number | null)[]): string => `[${s.map((d) => d ?? '*').join(', ')}]`;

/** Parses uncompressed IDX bytes (use `decodeIdx` for bytes that may be gzipped). */
export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}): IdxArray {
  const name = options.name ?? 'IDX data';
  if (bytes.length < 4) {
    throw new DataFormatError(`${name}: not an IDX file: ${bytes.length} bytes is shorter than the 4-byte magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || bytes[3] === 0) {
    const hint = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (the bytes are gzip-compressed: use decodeIdx, which gunzips)' : '';
    throw new DataFormatError(`${name}: not an IDX file: bad magic number ${hex(magic)} (${magic})${hint}; ` +
      'expected 00 00 <type> <ndim> with type 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32 or 0x0E float64 ' +
      'and ndim ≥ 1, e.g. 2051 (0x00000803) for images, 2049 (0x00000801) for labels');
  }
  const ndim = bytes[3];
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${name}: truncated IDX header: magic ${magic} announces ${ndim} dimensions ` +
      `(${headerBytes} header bytes), but the file has only ${bytes.length} bytes`);
  }
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  checkExpectations(name, magic, type.dtype, shape, options.expect);

  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    const what = `the header says ${shape.join('×')} ${type.dtype} (${headerBytes} + ${count * type.bytes} = ${expected} bytes)`;
    throw new DataFormatError(bytes.length < expected
      ? `${name}: truncated IDX file: ${what}, but the file has ${bytes.length} bytes (${expected - bytes.length} missing)`
      : `${name}: IDX length mismatch: ${what}, but the file has ${bytes.length} bytes (${bytes.length - expected} extra)`);
  }
  return { dtype: type.dtype, shape, data: readValues(bytes, headerBytes, count, type.dtype) };
}

function checkExpectations(name: string, magic: number, dtype: IdxDType, shape: number[], expect: IdxOptions['expect']): void {
  if (!expect) return;
  const ndim = expect.ndim ?? expect.shape?.length;
  if (ndim !== undefined && ndim !== shape.length) {
    throw new DataFormatError(`${name}: expected a ${ndim}-D IDX array (magic ${0x800 + ndim} for uint8), ` +
      `got ${shape.length}-D shape [${shape.join(', ')}] (magic ${magic})`);
  }
  if (expect.dtype !== undefined && expect.dtype !== dtype) {
    throw new DataFormatError(`${name}: expected ${expect.dtype} values (type code 0x${CODE_OF[expect.dtype].toString(16).padStart(2, '0')}), got ${dtype}`);
  }
  if (expect.shape && expect.shape.some((d, i) => d !== null && d !== shape[i])) {
    throw new DataFormatError(`${name}: expected shape ${fmtShape(expect.shape)}, got [${shape.join(', ')}]`);
  }
}

function readValues(bytes: Uint8Array, offset: number, count: number, dtype: IdxDType): IdxData {
  if (dtype === 'uint8') return bytes.subarray(offset, offset + count);
  if (dtype === 'int8') return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
  switch (dtype) {
    case 'int16': { const a = new Int16Array(count); for (let i = 0; i < count; i++) a[i] = view.getInt16(2 * i, false); return a; }
    case 'int32': { const a = new Int32Array(count); for (let i = 0; i < count; i++) a[i] = view.getInt32(4 * i, false); return a; }
    case 'float32': { const a = new Float32Array(count); for (let i = 0; i < count; i++) a[i] = view.getFloat32(4 * i, false); return a; }
    case 'float64': { const a = new Float64Array(count); for (let i = 0; i < count; i++) a[i] = view.getFloat64(8 * i, false); return a; }
  }
}

/** Parses IDX bytes, gunzipping first when they start with the gzip magic number 1f 8b. */
export async function decodeIdx(bytes: Uint8Array, options: IdxOptions = {}): Promise<IdxArray> {
  return parseIdx(await maybeGunzip(bytes, options.name), options);
}

/** Writes an IDX file (uncompressed): the inverse of `parseIdx`. */
export function encodeIdx(array: { dtype?: IdxDType; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const dtype = array.dtype ?? 'uint8';
  const { bytes: size } = TYPES[CODE_OF[dtype]];
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.shape.length < 1 || array.shape.length > 255) throw new RangeError(`encodeIdx: ndim must be 1 … 255, got ${array.shape.length}`);
  if (count !== array.data.length) throw new RangeError(`encodeIdx: shape [${array.shape.join(', ')}] needs ${count} values, got ${array.data.length}`);
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = CODE_OF[dtype];
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = array.data[i], at = header + i * size;
    switch (dtype) {
      case 'uint8': out[at] = v; break;
      case 'int8': view.setInt8(at, v); break;
      case 'int16': view.setInt16(at, v, false); break;
      case 'int32': view.setInt32(at, v, false); break;
      case 'float32': view.setFloat32(at, v, false); break;
      case 'float64': view.setFloat64(at, v, false); break;
    }
  }
  return out;
}
