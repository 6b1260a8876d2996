/**
 * The names and descriptions a run leaves on Lambda. They are how a later step recognises what a run
 * made (and only that), so they live in one place.
 */
import { createHash } from 'node:crypto';

/** Every description a run writes starts with this; nothing else is ever deleted by description. */
export const RUN_DESCRIPTION_PREFIX = 'lambda-cost-gate run ';

/** The description of `$LATEST` and of the version published for one memory size. */
export function runDescription(runId: string, memoryMb: number): string {
  return `${RUN_DESCRIPTION_PREFIX}${runId}: ${memoryMb} MB`;
}

/** The description of the safety version that freezes the original `$LATEST` before any change. */
export function originalDescription(runId: string): string {
  return `${RUN_DESCRIPTION_PREFIX}${runId}: original`;
}

/** The run id in a description this project wrote, or undefined for any other description. */
export function runIdOf(description: string): string | undefined {
  if (!description.startsWith(RUN_DESCRIPTION_PREFIX)) return undefined;
  const rest = description.slice(RUN_DESCRIPTION_PREFIX.length);
  const end = rest.lastIndexOf(': ');
  return end > 0 ? rest.slice(0, end) : undefined;
}

/** Lambda function names: letters, digits, `-` and `_`, at most 64 characters. */
const MAX_NAME = 64;

/**
 * The temporary copy's name: `<name>-lcg-<short run id>`, cut to Lambda's 64 characters. A run id
 * that is long or not name-safe is replaced by 8 hex digits of its SHA-256, so the name is still the
 * same for the same run (a later step can find the copy again).
 *
 * @example
 * ```ts
 * copyFunctionName('checkout-api', '1234567890'); // 'checkout-api-lcg-1234567890'
 * ```
 */
export function copyFunctionName(name: string, runId: string): string {
  const short = /^[A-Za-z0-9_-]{1,10}$/.test(runId)
    ? runId
    : createHash('sha256').update(runId).digest('hex').slice(0, 8);
  const suffix = `-lcg-${short}`;
  return `${name.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}
