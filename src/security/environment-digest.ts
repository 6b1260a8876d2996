/**
 * A keyed digest of a function's environment variables, to recognise "this is the original environment"
 * without keeping the variables: they may hold secrets, so they are never written to the runner's state or a
 * log. The key is random and lives in this process's memory only, so the digest is useless to anyone else.
 */
import { createHmac, randomBytes } from 'node:crypto';

const key = randomBytes(32);

/**
 * The digest of an environment, independent of the variables' order.
 *
 * @example
 * ```ts
 * environmentDigest({ A: '1', B: '2' }) === environmentDigest({ B: '2', A: '1' }) // true
 * ```
 */
export function environmentDigest(environment: Readonly<Record<string, string>>): string {
  const entries = Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha256', key).update(JSON.stringify(entries)).digest('hex');
}
