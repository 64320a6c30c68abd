/**
 * Just enough of tar (POSIX ustar / GNU) and zip to read the archives that datasets ship in:
 * `cifar-10-binary.tar.gz` and Keras' `mnist.npz` (a zip of `.npy` files). Browser-safe.
 */
import { inflateRaw } from './compression.js';
import { DataFormatError } from './idx.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const cString = (b: Uint8Array): string => { const z = b.indexOf(0); return text(z < 0 ? b : b.subarray(0, z)); };

/** Regular files of an (uncompressed) tar archive, by path; values are views, not copies. */
export function readTar(bytes: Uint8Array, name = 'tar archive'): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= bytes.length) {
    const header = bytes.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const sizeField = cString(header.subarray(124, 136)).trim();
    const size = parseInt(sizeField || '0', 8);
    if (!Number.isFinite(size)) throw new DataFormatError(`${name}: corrupt tar header at byte ${pos} (size field '${sizeField}')`);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = text(header.subarray(257, 263)).startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
    const path = longName ?? (prefix ? `${prefix}/` : '') + cString(header.subarray(0, 100));
    longName = undefined;
    const start = pos + 512;
    if (start + size > bytes.length) {
      throw new DataFormatError(`${name}: truncated tar archive: member '${path}' needs ${size} bytes from byte ${start}, ` +
        `but the archive has ${bytes.length} bytes`);
    }
    const body = bytes.subarray(start, start + size);
    if (type === 'L') longName = cString(body);
    else if (type === '0' || type === '\0') files.set(path, body);
    pos = start + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Members of a zip archive (stored or deflated), by name. Supports the zip64 fields numpy writes. */
export async function readZip(bytes: Uint8Array, name = 'zip archive'): Promise<Map<string, Uint8Array>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new DataFormatError(`${name}: not a zip archive (no end-of-central-directory record; truncated download?)`);
  const entries = view.getUint16(eocd + 10, true);
  let pos = view.getUint32(eocd + 16, true);
  const files = new Map<string, Uint8Array>();
  for (let e = 0; e < entries; e++) {
    if (pos + 46 > bytes.length || view.getUint32(pos, true) !== 0x02014b50) {
      throw new DataFormatError(`${name}: corrupt zip central directory at byte ${pos}`);
    }
    const method = view.getUint16(pos + 10, true);
    let compressed = view.getUint32(pos + 20, true);
    const nameLen = view.getUint16(pos + 28, true), extraLen = view.getUint16(pos + 30, true), commentLen = view.getUint16(pos + 32, true);
    let local = view.getUint32(pos + 42, true);
    const member = text(bytes.subarray(pos + 46, pos + 46 + nameLen));
    // zip64: 0xFFFFFFFF fields live, in order, in extra field 0x0001 (uncompressed, compressed, offset).
    let uncompressed = view.getUint32(pos + 24, true);
    for (let x = pos + 46 + nameLen; x + 4 <= pos + 46 + nameLen + extraLen;) {
      const id = view.getUint16(x, true), len = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let f = x + 4;
        if (uncompressed === 0xffffffff) { uncompressed = Number(view.getBigUint64(f, true)); f += 8; }
        if (compressed === 0xffffffff) { compressed = Number(view.getBigUint64(f, true)); f += 8; }
        if (local === 0xffffffff) { local = Number(view.getBigUint64(f, true)); }
      }
      x += 4 + len;
    }
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) {
      throw new DataFormatError(`${name}: corrupt zip: member '${member}' has no local header at byte ${local}`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > bytes.length) {
      throw new DataFormatError(`${name}: truncated zip: member '${member}' needs ${compressed} bytes from byte ${start}, ` +
        `but the archive has ${bytes.length} bytes`);
    }
    const raw = bytes.subarray(start, start + compressed);
    if (method === 0) files.set(member, raw);
    else if (method === 8) files.set(member, await inflateRaw(raw, `${name}:${member}`));
    else throw new DataFormatError(`${name}: member '${member}' uses zip compression method ${method}; only stored (0) and deflate (8) are supported`);
    const got = files.get(member)!.length;
    if (got !== uncompressed) throw new DataFormatError(`${name}: member '${member}' should be ${uncompressed} bytes, got ${got}`);
    pos += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

export interface NpyArray {
  readonly dtype: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  readonly shape: number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const NPY_TYPES: Record<string, { dtype: NpyArray['dtype']; bytes: number }> = {
  u1: { dtype: 'uint8', bytes: 1 }, i1: { dtype: 'int8', bytes: 1 }, i2: { dtype: 'int16', bytes: 2 },
  i4: { dtype: 'int32', bytes: 4 }, f4: { dtype: 'float32', bytes: 4 }, f8: { dtype: 'float64', bytes: 8 },
};

/** Parses a `.npy` file (format versions 1–3, little-endian or byte-sized C-order arrays). */
export function parseNpy(bytes: Uint8Array, name = 'npy'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) throw new DataFormatError(`${name}: not a .npy file (bad magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = text(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeMatch) throw new DataFormatError(`${name}: corrupt .npy header ${JSON.stringify(header)}`);
  const type = NPY_TYPES[descr[2]];
  if (!type || (descr[1] === '>' && type.bytes > 1)) {
    throw new DataFormatError(`${name}: unsupported .npy dtype '${descr[1]}${descr[2]}' (supported: u1, i1, <i2, <i4, <f4, <f8)`);
  }
  if (fortran[1] === 'True') throw new DataFormatError(`${name}: Fortran-ordered .npy arrays are not supported`);
  const shape = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start !== count * type.bytes) {
    throw new DataFormatError(`${name}: .npy length mismatch: shape (${shape.join(', ')}) ${type.dtype} needs ${count * type.bytes} ` +
      `data bytes, the file has ${bytes.length - start}`);
  }
  if (type.dtype === 'uint8') return { dtype: type.dtype, shape, data: bytes.subarray(start) };
  // NOTE: multi-byte values are read through typed-array views, i.e. in host byte order, which is
  // little-endian on every platform Node and browsers run on; the copy makes the view aligned.
  const body = bytes.slice(start).buffer;
  const data = type.dtype === 'int8' ? new Int8Array(body)
    : type.dtype === 'int16' ? new Int16Array(body)
    : type.dtype === 'int32' ? new Int32Array(body)
    : type.dtype === 'float32' ? new Float32Array(body) : new Float64Array(body);
  return { dtype: type.dtype, shape, data };
}
