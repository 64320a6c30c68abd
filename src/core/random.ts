/**
 * The library's seeded random number generator. `setSeed(s)` makes every later draw in the
 * library (initializers, dropout masks, shuffling) deterministic.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018) — 32-bit arithmetic only, so it is exact and
 * fast in JavaScript; its 128-bit state is seeded through splitmix32 so that nearby seeds give
 * unrelated streams.
 */
export class RandomGenerator {
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed: number) { this.seed(seed); }

  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new RangeError(`setSeed: seed must be a finite number, got ${seed}`);
    // splitmix32 over the seed's low and high 32-bit halves.
    let x = (Math.floor(seed) >>> 0) ^ Math.floor(seed / 4294967296) * 0x9e3779b9;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Marsaglia polar method; the spare value is kept). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt(-2 * Math.log(s) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Standard normal truncated to [-2, 2] by rejection (as TensorFlow's truncated_normal). */
  truncatedNormal(): number {
    for (;;) {
      const z = this.normal();
      if (z >= -2 && z <= 2) return z;
    }
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let globalRng = new RandomGenerator(Date.now() ^ Math.floor(Math.random() * 0xffffffff));

/** Seeds the library-wide generator: every later random draw becomes reproducible. */
export function setSeed(seed: number): void {
  globalRng = new RandomGenerator(seed);
}

/** The library-wide generator (used by random tensors, initializers, dropout, shuffling). */
export function getRng(): RandomGenerator {
  return globalRng;
}
