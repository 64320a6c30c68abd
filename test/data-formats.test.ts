/**
 * Dataset file formats, on small files built in the test: IDX (raw and gzipped, 1-D to 3-D,
 * every value type), with the errors for a bad magic number, a truncated header or body, extra
 * bytes and unexpected dimensions; CIFAR-10 binary batches (channels-first records → [N, 32, 32, 3]);
 * tar and zip/npy archives as the CIFAR-10 and MNIST downloads use them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, deflateRawSync } from 'node:zlib';
import * as gf from '../src/index.js';

const ds = gf.datasets;

/** An IDX header + body by hand (big-endian), independent of encodeIdx. */
function idxBytes(type: number, dims: number[], body: number[]): Uint8Array {
  const header = [0, 0, type, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...body]);
}

describe('IDX', () => {
  const images = idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  const labels = idxBytes(0x08, [3], [9, 0, 7]);

  test('3-D images (magic 2051) and 1-D labels (magic 2049)', () => {
    assert.equal(new DataView(images.buffer).getUint32(0), 2051);
    assert.equal(new DataView(labels.buffer).getUint32(0), 2049);
    const x = ds.parseIdx(images, { name: 'imgs' });
    assert.equal(x.dtype, 'uint8');
    assert.deepEqual(x.shape, [2, 2, 3]);
    assert.deepEqual(Array.from(x.data), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    assert.ok(x.data instanceof Uint8Array);
    const y = ds.parseIdx(labels);
    assert.deepEqual(y.shape, [3]);
    assert.deepEqual(Array.from(y.data), [9, 0, 7]);
  });

  test('decodeIdx reads gzipped and raw bytes alike', async () => {
    assert.ok(ds.isGzip(gzipSync(images)) && !ds.isGzip(images));
    for (const b of [images, new Uint8Array(gzipSync(images))]) {
      const x = await ds.decodeIdx(b);
      assert.deepEqual(x.shape, [2, 2, 3]);
      assert.equal(x.data[11], 255);
    }
  });

  test('big-endian multi-byte types, and encodeIdx is the inverse of parseIdx', () => {
    const i32 = ds.parseIdx(idxBytes(0x0c, [2], [0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0]));
    assert.equal(i32.dtype, 'int32');
    assert.deepEqual(Array.from(i32.data), [-2, 256]);
    const i16 = ds.parseIdx(idxBytes(0x0b, [1], [0x80, 0x00]));
    assert.deepEqual(Array.from(i16.data), [-32768]);
    for (const dtype of ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as const) {
      const values = dtype === 'uint8' ? [0, 7, 255, 3] : dtype.startsWith('float') ? [-1.5, 0.25, 3, 1e3] : [-3, 0, 5, 100];
      const back = ds.parseIdx(ds.encodeIdx({ dtype, shape: [2, 2], data: values }));
      assert.equal(back.dtype, dtype);
      assert.deepEqual(back.shape, [2, 2]);
      assert.deepEqual(Array.from(back.data), values);
    }
  });

  test('a bad magic number is named, with the expected form', () => {
    const bad = images.slice();
    bad[0] = 1;
    assert.throws(() => ds.parseIdx(bad, { name: 'train-images-idx3-ubyte' }),
      (e: Error) => e instanceof ds.DataFormatError && /train-images-idx3-ubyte: not an IDX file: bad magic number 0x01000803/.test(e.message) && /2051/.test(e.message));
    const badType = images.slice();
    badType[2] = 0x07;
    assert.throws(() => ds.parseIdx(badType, { name: 'f' }), /f: not an IDX file: bad magic number 0x00000703/);
    assert.throws(() => ds.parseIdx(Uint8Array.from([0, 0, 8])), /shorter than the 4-byte magic number/);
    // gzip bytes handed to the raw parser get a hint
    assert.throws(() => ds.parseIdx(new Uint8Array(gzipSync(images)), { name: 'x.gz' }), /gzip-compressed: use decodeIdx/);
  });

  test('truncated header, truncated body and extra bytes report expected vs actual bytes', () => {
    assert.throws(() => ds.parseIdx(images.subarray(0, 10), { name: 'imgs' }),
      /imgs: truncated IDX header: magic 2051 announces 3 dimensions \(16 header bytes\), but the file has only 10 bytes/);
    assert.throws(() => ds.parseIdx(images.subarray(0, 25), { name: 'imgs' }),
      /imgs: truncated IDX file: the header says 2×2×3 uint8 \(16 \+ 12 = 28 bytes\), but the file has 25 bytes \(3 missing\)/);
    assert.throws(() => ds.parseIdx(Uint8Array.from([...labels, 1, 2]), { name: 'labels' }),
      /labels: IDX length mismatch: the header says 3 uint8 \(8 \+ 3 = 11 bytes\), but the file has 13 bytes \(2 extra\)/);
  });

  test('a truncated gzip stream names the file', async () => {
    const gz = new Uint8Array(gzipSync(images));
    await assert.rejects(ds.decodeIdx(gz.subarray(0, gz.length - 6), { name: 'cut.gz' }), /cut\.gz: cannot decompress gzip data/);
  });

  test('expected dimensions and type are checked', () => {
    assert.throws(() => ds.parseIdx(labels, { name: 'l', expect: { shape: [null, 28, 28] } }),
      /l: expected a 3-D IDX array \(magic 2051 for uint8\), got 1-D shape \[3\] \(magic 2049\)/);
    assert.throws(() => ds.parseIdx(images, { name: 'i', expect: { shape: [null, 28, 28] } }),
      /i: expected shape \[\*, 28, 28\], got \[2, 2, 3\]/);
    assert.throws(() => ds.parseIdx(idxBytes(0x0c, [1], [0, 0, 0, 1]), { name: 'i', expect: { dtype: 'uint8' } }),
      /i: expected uint8 values \(type code 0x08\), got int32/);
    assert.deepEqual(ds.parseIdx(images, { expect: { ndim: 3, shape: [2, null, 3] } }).shape, [2, 2, 3]);
  });
});

describe('Fashion-MNIST / MNIST from bytes', () => {
  const img = (n: number) => ds.encodeIdx({ shape: [n, 28, 28], data: Array.from({ length: n * 784 }, (_, i) => i % 256) });
  const lab = (values: number[]) => ds.encodeIdx({ shape: [values.length], data: values });

  test('decode: float32 pixels 0 … 255 and int32 labels via toTensors, raw bytes kept as uint8', async () => {
    const raw = await ds.fashionMnist.decode({
      trainImages: new Uint8Array(gzipSync(img(3))), trainLabels: lab([9, 0, 3]), testImages: img(2), testLabels: lab([1, 2]),
    });
    assert.deepEqual(raw.train.xShape, [3, 28, 28]);
    assert.ok(raw.train.x instanceof Uint8Array);
    assert.equal(raw.source.kind, 'bytes');
    const data = ds.toTensors(raw);
    assert.equal(data.train.x.dtype, 'float32');
    assert.deepEqual(data.train.x.shape, [3, 28, 28]);
    assert.equal(data.train.x.data[255], 255);
    assert.equal(data.train.y.dtype, 'int32');
    assert.deepEqual(Array.from(data.train.y.data), [9, 0, 3]);
    assert.deepEqual(data.test.y.shape, [2]);
    assert.equal(data.classNames[0], 'T-shirt/top');
  });

  test('image/label count mismatch, out-of-range labels and wrong image size are errors', async () => {
    await assert.rejects(ds.fashionMnist.decode({ trainImages: img(3), trainLabels: lab([1, 2]), testImages: img(1), testLabels: lab([1]) }),
      /train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte has 2 labels/);
    await assert.rejects(ds.fashionMnist.decode({ trainImages: img(1), trainLabels: lab([10]), testImages: img(1), testLabels: lab([1]) }),
      /train-labels-idx1-ubyte: label 10 at index 0 is out of range 0 … 9/);
    const small = ds.encodeIdx({ shape: [1, 27, 28], data: new Array(27 * 28).fill(0) });
    await assert.rejects(ds.fashionMnist.decode({ trainImages: small, trainLabels: lab([1]), testImages: img(1), testLabels: lab([1]) }),
      /expected shape \[\*, 28, 28\], got \[1, 27, 28\]/);
  });
});

/** A synthetic binary batch: record r has label r % 10 and pixel (row i, col j, channel c) = (r + 3i + 5j + 7c) % 256. */
function cifarBatch(n: number, labelOf = (r: number) => r % 10): Uint8Array {
  const out = new Uint8Array(n * 3073);
  for (let r = 0; r < n; r++) {
    out[r * 3073] = labelOf(r);
    for (let c = 0; c < 3; c++) for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) {
      out[r * 3073 + 1 + c * 1024 + i * 32 + j] = (r + 3 * i + 5 * j + 7 * c) % 256;
    }
  }
  return out;
}
const pixel = (r: number, i: number, j: number, c: number) => (r + 3 * i + 5 * j + 7 * c) % 256;

describe('CIFAR-10 binary batches', () => {
  test('records become channels-last [N, 32, 32, 3] images and labels', () => {
    const b = ds.parseCifar10Batch(cifarBatch(4));
    assert.equal(b.count, 4);
    assert.deepEqual(Array.from(b.labels), [0, 1, 2, 3]);
    for (const [r, i, j, c] of [[0, 0, 0, 0], [1, 0, 0, 2], [3, 31, 31, 1], [2, 5, 17, 2]]) {
      assert.equal(b.images[((r * 32 + i) * 32 + j) * 3 + c], pixel(r, i, j, c), `record ${r} (${i}, ${j}, ${c})`);
    }
  });

  test('truncated batches, wrong counts and bad labels are errors', () => {
    assert.throws(() => ds.parseCifar10Batch(cifarBatch(2).subarray(0, 5000), { name: 'data_batch_1.bin' }),
      /data_batch_1\.bin: not a CIFAR-10 binary batch: 5000 bytes is not a positive multiple of the 3073-byte record .* 1 whole records and 1927 stray bytes/);
    assert.throws(() => ds.parseCifar10Batch(cifarBatch(2), { name: 'b', expectedCount: 10000 }), /b: expected 10000 records \(30730000 bytes\), got 2/);
    assert.throws(() => ds.parseCifar10Batch(cifarBatch(2, () => 12), { name: 'b' }), /b: record 0 has label 12/);
  });

  test('cifar10.decode from batches and from the tar.gz archive: x [n, 32, 32, 3], y [n, 1] like Keras', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let k = 1; k <= 5; k++) files[`data_batch_${k}`] = cifarBatch(2, (r) => (k + r) % 10);
    files.test_batch = cifarBatch(3);
    const raw = await ds.cifar10.decode(files);
    assert.deepEqual(raw.train.xShape, [10, 32, 32, 3]);
    assert.deepEqual(raw.train.yShape, [10, 1]);
    assert.deepEqual(Array.from(raw.train.y), [1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    assert.deepEqual(raw.test.xShape, [3, 32, 32, 3]);

    const archive = new Uint8Array(gzipSync(tar(Object.entries(files).map(([k, v]) => [`cifar-10-batches-bin/${k}.bin`, v]))));
    const fromArchive = await ds.cifar10.decode({ archive });
    assert.deepEqual(Array.from(fromArchive.train.x), Array.from(raw.train.x));
    assert.equal(fromArchive.source.layout, 'binary archive');
    const t = ds.toTensors(fromArchive);
    assert.equal(t.train.x.data[3 * 32 * 32 * 3 + 5], pixel(1, 0, 1, 2));
    assert.deepEqual(t.train.y.shape, [10, 1]);
    assert.equal(ds.CIFAR10_CLASS_NAMES[9], 'truck');
  });
});

/** A minimal ustar archive (what `tar` writes) of regular files. */
function tar(entries: [string, Uint8Array][]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, body] of entries) {
    const h = new Uint8Array(512);
    h.set(new TextEncoder().encode(name), 0);
    h.set(new TextEncoder().encode('0000644\0'), 100);
    h.set(new TextEncoder().encode(body.length.toString(8).padStart(11, '0') + '\0'), 124);
    h[156] = 0x30;
    h.set(new TextEncoder().encode('ustar\0' + '00'), 257);
    blocks.push(h, body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of blocks) { out.set(b, o); o += b.length; }
  return out;
}

/** A .npy file (format 1.0) of uint8 values. */
function npy(shape: number[], data: Uint8Array): Uint8Array {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** A zip archive with deflated members (central directory included), as numpy.savez_compressed writes. */
function zip(entries: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [], central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, body] of entries) {
    const nameBytes = new TextEncoder().encode(name), packed = new Uint8Array(deflateRawSync(body));
    const local = new Uint8Array(30 + nameBytes.length), lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(8, 8, true);
    lv.setUint32(18, packed.length, true); lv.setUint32(22, body.length, true); lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const cd = new Uint8Array(46 + nameBytes.length), cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(10, 8, true);
    cv.setUint32(20, packed.length, true); cv.setUint32(24, body.length, true); cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);
    parts.push(local, packed); central.push(cd);
    offset += local.length + packed.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22), ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, entries.length, true); ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true); ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of all) { out.set(b, o); o += b.length; }
  return out;
}


describe('archives', () => {
  test('Keras-style mnist.npz (zip of .npy, deflated) decodes to x [n, 28, 28], y [n]', async () => {
    const x = Uint8Array.from({ length: 2 * 784 }, (_, i) => i % 256);
    const npz = zip([
      ['x_train.npy', npy([2, 28, 28], x)], ['y_train.npy', npy([2], Uint8Array.from([5, 0]))],
      ['x_test.npy', npy([1, 28, 28], x.subarray(0, 784))], ['y_test.npy', npy([1], Uint8Array.from([7]))],
    ]);
    const raw = await ds.mnist.decode(npz);
    assert.deepEqual(raw.train.xShape, [2, 28, 28]);
    assert.deepEqual(Array.from(raw.train.y), [5, 0]);
    assert.equal(raw.train.x[1000], 1000 % 256);
    assert.deepEqual(Array.from(raw.test.y), [7]);
    await assert.rejects(ds.mnist.decode(npz.subarray(0, npz.length - 30)), /mnist\.npz: not a zip archive/);
  });

  test('a truncated tar member is an error', () => {
    const t = tar([['a.bin', new Uint8Array(1000)]]);
    assert.throws(() => ds.readTar(t.subarray(0, 900), 'x.tar'), /x\.tar: truncated tar archive: member 'a\.bin' needs 1000 bytes from byte 512/);
    assert.equal(ds.readTar(t).get('a.bin')?.length, 1000);
  });
});
