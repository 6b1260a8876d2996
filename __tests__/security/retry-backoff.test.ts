/**
 * The backoff the adapter uses for 409 "an update is in progress" (which the SDK does not retry): full
 * jitter over an exponential ceiling, bounded in wall time and in attempts. Random numbers, the clock
 * and sleep are injected, so every delay is exact.
 */
import { describe, expect, it } from '@jest/globals';
import { retryWithBackoff } from '../../src/deploy/retry.js';

class Busy extends Error {}

/** A clock that moves only when slept on, and the delays it was asked for. */
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

const alwaysBusy = () => Promise.reject(new Busy('busy'));
const isBusy = (error: unknown) => error instanceof Busy;

describe('retryWithBackoff', () => {
  it('draws each delay uniformly below a ceiling that doubles up to the cap (full jitter)', async () => {
    const clock = fakeClock();
    const draws = [0.5, 0.25, 0.9, 0.1, 0.999, 0];
    let calls = 0;
    const retries: Array<[number, number]> = [];

    await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls <= draws.length) throw new Busy('busy');
        return 'ok';
      },
      isBusy,
      {
        baseMs: 100,
        capMs: 1_000,
        random: () => draws[calls - 1]!,
        sleep: clock.sleep,
        now: clock.now,
        onRetry: (attempt, delayMs) => retries.push([attempt, delayMs])
      }
    );

    // Ceilings 100, 200, 400, 800, then the cap 1000; each delay is floor(draw × ceiling).
    expect(clock.sleeps).toEqual([50, 50, 360, 80, 999, 0]);
    expect(retries).toEqual([
      [1, 50],
      [2, 50],
      [3, 360],
      [4, 80],
      [5, 999],
      [6, 0]
    ]);
  });

  it('never sleeps past the time budget, and then throws the last error', async () => {
    const clock = fakeClock();
    const error = await retryWithBackoff(alwaysBusy, isBusy, {
      baseMs: 1_000,
      capMs: 8_000,
      maxTotalMs: 20_000,
      random: () => 0.999,
      sleep: clock.sleep,
      now: clock.now
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Busy);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(8_000);
  });

  it('stops after maxAttempts even when jitter draws zero delays, instead of hammering the API', async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = await retryWithBackoff(
      () => {
        calls += 1;
        return alwaysBusy();
      },
      isBusy,
      { random: () => 0, sleep: clock.sleep, now: clock.now, maxAttempts: 7 }
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Busy);
    expect(calls).toBe(7);
    expect(clock.sleeps).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('bounds attempts by default too (50), where a clock that never moves would loop forever', async () => {
    const clock = fakeClock();
    let calls = 0;
    await retryWithBackoff(
      () => {
        calls += 1;
        return alwaysBusy();
      },
      isBusy,
      { random: () => 0, sleep: clock.sleep, now: clock.now }
    ).catch(() => undefined);

    expect(calls).toBe(50);
  });
});
