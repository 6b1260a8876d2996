/**
 * The small pure pieces: full-jitter backoff within its time budget, the deterministic zip, candidate
 * code checks, and the names and descriptions runs leave.
 */
import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { readCandidateZip } from '../../src/deploy/code.js';
import { originalDescription, runDescription, runIdOf } from '../../src/deploy/naming.js';
import { retryWithBackoff } from '../../src/deploy/retry.js';
import { sha256Base64, zipDirectory } from '../../src/deploy/zip.js';

class Conflict extends Error {}

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    }
  };
}

describe('retryWithBackoff', () => {
  it('retries only what it is told to, with full-jitter exponential delays', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls < 4) throw new Conflict('busy');
        return 'done';
      },
      (e) => e instanceof Conflict,
      { baseMs: 100, capMs: 250, random: () => 0.999, sleep: clock.sleep, now: clock.now }
    );
    expect(result).toBe('done');
    // ceilings 100, 200, then capped at 250; jitter close to 1 shows the ceilings
    expect(clock.sleeps).toEqual([99, 199, 249]);
  });

  it('throws a non-retryable error at once, and the last error once the budget is spent', async () => {
    const clock = fakeClock();
    const other = new Error('denied');
    await expect(
      retryWithBackoff(
        () => Promise.reject(other),
        (e) => e instanceof Conflict,
        { sleep: clock.sleep, now: clock.now }
      )
    ).rejects.toBe(other);
    expect(clock.sleeps).toEqual([]);

    const last = new Conflict('still busy');
    await expect(
      retryWithBackoff(
        () => Promise.reject(last),
        (e) => e instanceof Conflict,
        {
          maxTotalMs: 1_000,
          baseMs: 300,
          capMs: 300,
          random: () => 0.999,
          sleep: clock.sleep,
          now: clock.now
        }
      )
    ).rejects.toBe(last);
    // 299 + 299 + 299 + what is left of the second (103), never past the budget
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(1_000);
  });
});

describe('zipDirectory', () => {
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcg-zip-'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'z.js'), 'z');
    writeFileSync(join(dir, 'a.js'), 'a');
    writeFileSync(join(dir, 'bootstrap'), '#!/bin/sh');
    chmodSync(join(dir, 'bootstrap'), 0o700);
    return dir;
  };

  it('gives the same bytes for the same files, with sorted names and executables kept', () => {
    const first = zipDirectory(folder());
    const second = zipDirectory(folder());
    expect(sha256Base64(first)).toBe(sha256Base64(second));
    expect(Object.keys(unzipSync(first))).toEqual(['a.js', 'b/z.js', 'bootstrap']);
    // The central directory's external attributes carry the Unix mode (0100755 for bootstrap).
    expect(Buffer.from(first).includes(Buffer.from([0, 0, 0xed, 0x81]))).toBe(true);
    expect(Buffer.from(first).includes(Buffer.from([0, 0, 0xa4, 0x81]))).toBe(true);
  });

  it('refuses an empty folder and a wrong kind of path', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lcg-empty-'));
    expect(() => zipDirectory(empty)).toThrow(/holds no file/);
    await expect(readCandidateZip({ kind: 'zip', path: empty })).rejects.toThrow(/Could not read the candidate code/);
    await expect(readCandidateZip({ kind: 'directory', path: join(empty, 'missing') })).rejects.toThrow(
      /Could not read the candidate code/
    );
    expect(await readCandidateZip({ kind: 's3', bucket: 'b', key: 'k' })).toBeUndefined();
  });

  it('refuses a zip above the 50 MB direct upload limit, pointing to S3', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lcg-big-')), 'big.zip');
    writeFileSync(path, Buffer.alloc(51 * 1024 * 1024));
    await expect(readCandidateZip({ kind: 'zip', path })).rejects.toThrow(/above the 50 MB .* upload it to S3/);
  });
});

describe('run descriptions', () => {
  it('round-trips the run id, and ignores descriptions no run wrote', () => {
    expect(runDescription('42-1', 512)).toBe('lambda-cost-gate run 42-1: 512 MB');
    expect(runIdOf(runDescription('42-1', 512))).toBe('42-1');
    expect(runIdOf(originalDescription('a: b'))).toBe('a: b');
    expect(runIdOf('checkout API')).toBeUndefined();
    expect(runIdOf('lambda-cost-gate run ')).toBeUndefined();
  });
});
