/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } }`,
 * then the raw little-endian tensor bytes. Chosen because it is simple, safe to parse (no
 * code execution), and readable from Python (`safetensors.numpy.load_file`).
 * Browser-safe: bytes in, bytes out.
 */
import { allocate, type DType } from '../core/dtype.js';
import { formatShape, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

const DTYPE_CODES: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32' };
const CODE_DTYPES: Record<string, DType> = { F32: 'float32', F64: 'float64', I32: 'int32' };
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
const MAX_HEADER = 100 * 1024 * 1024;

export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = t.size * BYTES[t.dtype];
    header[name] = { dtype: DTYPE_CODES[t.dtype], shape: t.shape.slice(), data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so the data starts 8-byte aligned (allowed by the format)
  const headerBytes = new TextEncoder().encode(json);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  json += ' '.repeat(padded - headerBytes.length);
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let pos = 8 + hb.length;
  for (const t of tensors.values()) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, pos); // typed arrays are little-endian on every platform JS runs on in practice
    pos += bytes.length;
  }
  return out;
}

export interface DecodedSafetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parses and validates a safetensors buffer; `what` names the source in errors. */
export function decodeSafetensors(bytes: Uint8Array, what = 'safetensors data'): DecodedSafetensors {
  const fail = (msg: string): never => { throw new Error(`${what}: ${msg}`); };
  if (bytes.length < 8) fail(`too short to be a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
    fail(`corrupt or truncated: the header claims ${headerLength} bytes, the file has ${bytes.length}`);
  }
  let header: Record<string, any>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    return fail(`corrupt header (not JSON: ${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null) fail('corrupt header (not an object)');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  for (const [name, spec] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const dtype = CODE_DTYPES[spec?.dtype];
    if (!dtype) fail(`tensor '${name}' has unsupported dtype ${JSON.stringify(spec?.dtype)} (supported: F32, F64, I32)`);
    const shape = spec.shape;
    if (!Array.isArray(shape) || shape.some((d: unknown) => !Number.isInteger(d) || (d as number) < 0)) fail(`tensor '${name}' has an invalid shape`);
    const [begin, end] = spec.data_offsets ?? [];
    const expected = sizeOf(shape) * BYTES[dtype];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > dataLength || end - begin !== expected) {
      fail(`tensor '${name}' (${dtype} ${formatShape(shape)}) has data offsets [${begin}, ${end}] that do not fit ` +
        `its ${expected} bytes within the ${dataLength} data bytes (truncated or corrupt file)`);
    }
    const data = allocate(dtype, sizeOf(shape));
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, new Tensor(data, shape, dtype));
  }
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  return { tensors, metadata };
}
