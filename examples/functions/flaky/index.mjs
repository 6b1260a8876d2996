/**
 * Flaky sample: fails on a share of invocations and is slow on another share.
 * Payload: { "failRate": 0.2, "slowRate": 0.1, "slowMs": 500, "baseMs": 20 } (all optional,
 * these are the defaults).
 */
import { setTimeout as sleep } from 'node:timers/promises';

const rate = (v, fallback) => (Number.isFinite(v) && v >= 0 && v <= 1 ? v : fallback);
const ms = (v, fallback) => (Number.isFinite(v) && v >= 0 ? v : fallback);

export class FlakyError extends Error {
  name = 'FlakyError';
}

export const handler = async (event) => {
  const failRate = rate(event?.failRate, 0.2);
  const slow = Math.random() < rate(event?.slowRate, 0.1);
  await sleep(ms(event?.baseMs, 20) + (slow ? ms(event?.slowMs, 500) : 0));
  if (Math.random() < failRate) {
    console.error('downstream call failed, giving up');
    throw new FlakyError('Downstream dependency failed');
  }
  return { ok: true, slow };
};
