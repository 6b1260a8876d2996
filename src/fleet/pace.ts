/**
 * Time for the fleet core, injectable so tests need no real waiting: a clock, a sleep that a
 * cancellation cuts short, and the control-plane pacer that keeps a run within Lambda's 15 requests
 * per second (shared by every control-plane call of the account and region, so a run leaves room).
 */

/** The clock and sleep a run uses. */
export interface Clock {
  now: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts (it never rejects). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The real clock: `Date.now` and a timer that an abort clears.
 *
 * @example
 * ```ts
 * await realClock.sleep(250, controller.signal); // returns early when the run is cancelled
 * ```
 */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    })
};

/**
 * Spaces calls at least `1000 / rate` ms apart (start to start), so no one-second window holds more
 * than `rate` of them. Counts what it let through.
 *
 * @example
 * ```ts
 * const pacer = new Pacer(10, realClock);
 * await pacer.take(); // immediately
 * await pacer.take(); // 100 ms later
 * ```
 */
export class Pacer {
  private next = Number.NEGATIVE_INFINITY;
  /** Requests let through. */
  requests = 0;

  constructor(
    /** Requests per second, > 0. */
    readonly rate: number,
    private readonly clock: Clock
  ) {}

  /** Waits for the next slot. Concurrent callers are served in call order. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    // Claimed before waiting, so a caller arriving meanwhile queues behind this one.
    this.next = at + 1000 / this.rate;
    this.requests++;
    if (at > now) await this.clock.sleep(at - now);
  }
}
