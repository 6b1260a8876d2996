/**
 * Full-jitter exponential backoff for the one failure the SDK does not retry by itself: 409
 * ResourceConflictException ("an update is in progress"), which clears once the other update settles.
 * Bounded twice: by wall time (no delay runs past the budget) and by attempts (full jitter may draw
 * delays near zero, which must not turn into a tight loop against the control plane).
 */

/** How long and how often to retry. Every member has a default; tests inject `sleep`, `now`, `random`. */
export interface BackoffOptions {
  /** First delay cap, in ms (default 250). */
  baseMs?: number;
  /** Largest single delay, in ms (default 5,000). */
  capMs?: number;
  /** Wall time after which the last error is thrown instead of retrying, in ms (default 60,000). */
  maxTotalMs?: number;
  /** Calls of `fn` at most, the first included (default 50). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** A number in [0, 1); Math.random by default. */
  random?: () => number;
  /** Told about each retry, e.g. to log it. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` until it succeeds, `shouldRetry` says no, or the time or attempt budget is spent. Each delay is
 * uniform in [0, min(cap, base·2^attempt)] ("full jitter"), so runs that collide do not retry in
 * lock-step; a delay never overshoots the budget.
 *
 * @example
 * ```ts
 * await retryWithBackoff(() => send(update), (e) => e instanceof ResourceConflictException, { maxTotalMs: 30_000 });
 * ```
 * @throws the last error, unchanged, when it is not retryable or the budget is spent
 */
export async function retryWithBackoff<T>(
  fn: () => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
  options: BackoffOptions = {}
): Promise<T> {
  const { baseMs = 250, capMs = 5_000, maxTotalMs = 60_000, maxAttempts = 50 } = options;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const deadline = now() + maxTotalMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const left = deadline - now();
      if (!shouldRetry(error) || left <= 0 || attempt + 1 >= maxAttempts) throw error;
      const delay = Math.min(left, Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt)));
      options.onRetry?.(attempt + 1, delay, error);
      await sleep(delay);
    }
  }
}
