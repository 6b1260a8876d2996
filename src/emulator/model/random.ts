/**
 * A small seeded pseudo-random generator for modelled functions.
 *
 * `Math.random` cannot be seeded, and a run of a modelled function must be reproducible from its
 * `seed`, so the model draws from xoshiro128** (fast, 2^128 - 1 period, good statistical quality,
 * only 32-bit integer maths, which JavaScript does exactly with `Math.imul` and `>>>`).
 */

/** 2^-32: turns a uint32 into a float in [0, 1). */
const UINT32_TO_UNIT = 1 / 4294967296;
const TWO_PI = 2 * Math.PI;

/** One step of splitmix32: spreads a seed over the state, so nearby seeds give unrelated streams. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Mixes a numeric seed and a string (e.g. an environment key) into one 32-bit seed, so that every
 * key gets its own reproducible stream from the same model seed.
 *
 * @param seed - any finite number; only its integer part's low 53 bits matter
 * @param salt - text that tells streams apart (FNV-1a hashed)
 */
export function mixSeed(seed: number, salt = ''): number {
  // Fold both 32-bit halves of the seed in, so seeds above 2^32 still differ.
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  let h = 0x811c9dc5 ^ splitmix32(low ^ splitmix32(high));
  for (let i = 0; i < salt.length; i++) {
    h = Math.imul(h ^ salt.charCodeAt(i), 0x01000193);
  }
  return splitmix32(h);
}

/** A seeded stream of random numbers; the same seed always gives the same sequence. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed - any finite number (see {@link mixSeed} to derive one from a seed and a key) */
  constructor(seed: number) {
    let s = mixSeed(seed);
    this.a = s = splitmix32(s);
    this.b = s = splitmix32(s);
    this.c = s = splitmix32(s);
    this.d = splitmix32(s);
    // xoshiro must not start from the all-zero state (it would stay there).
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The next uint32 (xoshiro128**). */
  nextUint32(): number {
    const b = this.b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float uniform in [0, 1). */
  next(): number {
    return this.nextUint32() * UINT32_TO_UNIT;
  }

  /**
   * A standard normal value (mean 0, standard deviation 1), by Box-Muller.
   *
   * Always consumes exactly two uniforms (the second Box-Muller value is dropped rather than kept
   * for the next call), so callers that draw a fixed number of values per step keep their streams
   * aligned: changing one model setting does not shift every later draw.
   */
  normal(): number {
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(TWO_PI * v);
  }

  /**
   * A log-normal factor with median 1: `exp(sigma * normal())`. Consumes two uniforms even when
   * `sigma` is 0 (see {@link Random.normal}).
   */
  logNormal(sigma: number): number {
    const z = this.normal();
    return sigma === 0 ? 1 : Math.exp(sigma * z);
  }

  /** True with probability `p` (below 0 acts as 0, above 1 as 1); always consumes one uniform. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A new seeded stream: `createRandom(seed)`, or `createRandom(seed, salt)` for a stream of its own
 * per key from one seed (same as `new Random(mixSeed(seed, salt))`).
 */
export function createRandom(seed: number, salt?: string): Random {
  return new Random(salt === undefined ? seed : mixSeed(seed, salt));
}
