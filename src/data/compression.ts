/**
 * Decompression for dataset files: gzip (the IDX distributions, the CIFAR-10 archive) and raw
 * deflate (zip members of `mnist.npz`). In Node the built-in zlib does the work (fast, sync,
 * loaded lazily so the core stays browser-safe); elsewhere the standard `DecompressionStream`
 * (all current browsers, Deno, Bun) does it. No dependency either way.
 */
import { importNode } from '../utils/node-modules.js';

/** True when `bytes` starts with the gzip magic number 1f 8b (RFC 1952 §2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

type Format = 'gzip' | 'deflate-raw';

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function decompress(bytes: Uint8Array, format: Format, name: string): Promise<Uint8Array> {
  try {
    if (isNode()) {
      const zlib = await importNode('node:zlib');
      const out = format === 'gzip' ? zlib.gunzipSync(bytes) : zlib.inflateRawSync(bytes);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
    if (typeof DecompressionStream === 'undefined') {
      throw new Error('this runtime has neither node:zlib nor DecompressionStream');
    }
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream(format));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`${name}: cannot decompress ${format === 'gzip' ? 'gzip' : 'deflate'} data ` +
      `(${bytes.length} compressed bytes; the file is probably truncated or corrupt): ${(e as Error).message}`);
  }
}

/** Decompresses gzip bytes; `name` (a file name) goes into the error of a corrupt stream. */
export function gunzip(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  return decompress(bytes, 'gzip', name);
}

/** Inflates a raw deflate stream (RFC 1951), as stored in zip members. */
export function inflateRaw(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  return decompress(bytes, 'deflate-raw', name);
}

/** Gunzips when the bytes start with the gzip magic number; returns them unchanged otherwise. */
export async function maybeGunzip(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, name) : bytes;
}
