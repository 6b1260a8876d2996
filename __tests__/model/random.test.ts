import { describe, expect, it } from '@jest/globals';
import { Random, createRandom, mixSeed } from '../../src/emulator/model/random.js';

const draw = (rng: Random, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(new Random(42), 5)).toEqual(draw(new Random(42), 5));
    expect(draw(new Random(42), 5)).not.toEqual(draw(new Random(43), 5));
  });

  it('keeps seeds above 2^32 apart', () => {
    expect(draw(new Random(1), 3)).not.toEqual(draw(new Random(1 + 2 ** 32), 3));
  });

  it('derives separate streams per salt', () => {
    expect(mixSeed(1, 'a')).toBe(mixSeed(1, 'a'));
    expect(mixSeed(1, 'a')).not.toBe(mixSeed(1, 'b'));
    expect(draw(createRandom(7, 'key'), 3)).toEqual(draw(new Random(mixSeed(7, 'key')), 3));
  });

  it('draws uniforms in [0, 1) with mean 1/2', () => {
    const rng = new Random(3);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
  });

  it('draws normals with mean 0 and standard deviation 1', () => {
    const rng = new Random(5);
    const n = 100_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      squares += z * z;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.sqrt(squares / n - mean * mean)).toBeCloseTo(1, 1);
  });

  it('draws log-normals with median 1 and consumes the same draws whatever sigma is', () => {
    const rng = new Random(9);
    const values = Array.from({ length: 20_001 }, () => rng.logNormal(0.3)).sort((a, b) => a - b);
    expect(values[10_000]).toBeGreaterThan(0.98);
    expect(values[10_000]).toBeLessThan(1.02);

    const a = new Random(11);
    const b = new Random(11);
    expect(a.logNormal(0)).toBe(1);
    b.logNormal(0.5);
    expect(a.next()).toBe(b.next());
  });

  it('makes chance(p) true with probability p', () => {
    const rng = new Random(13);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.1)) hits++;
    expect(hits / 100_000).toBeCloseTo(0.1, 2);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
  });
});
