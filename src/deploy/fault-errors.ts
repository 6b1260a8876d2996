/**
 * Faults the deploy step meets from outside the run, next to errors.ts (which holds the rest): a typed error
 * the caller tells apart by class, and how to tell Lambda refusing a value from Lambda failing.
 */
import { AwsCallError, LambdaCostGateError } from '../errors.js';

/**
 * The function was deleted by someone else while the run was using it. Its versions went with it, so the
 * run left nothing behind; and nothing it measured can be gated.
 *
 * @example
 * ```ts
 * throw new FunctionDeletedError('my-fn', 'delete version 3 of function my-fn', notFound);
 * // Function my-fn was deleted by someone else during the run (noticed while trying to delete version 3 …)
 * ```
 */
export class FunctionDeletedError extends LambdaCostGateError {
  /**
   * @param functionName - the function that is gone
   * @param doing - what the run was doing when it noticed, phrased to follow "while trying to …"
   * @param cause - the ResourceNotFoundException (or the error wrapping it)
   */
  constructor(
    readonly functionName: string,
    readonly doing: string,
    cause?: unknown
  ) {
    super(
      `Function ${functionName} was deleted by someone else during the run (noticed while trying to ${doing}); ` +
        'its versions went with it, so nothing of this run is left behind, and nothing was gated.',
      cause === undefined ? undefined : { cause }
    );
  }
}

/**
 * Lambda's reason when it refused a memory size as a value (InvalidParameterValueException about MemorySize:
 * the account's memory quota, say), as opposed to a fault; undefined for any other error.
 *
 * @example
 * ```ts
 * refusedMemorySize(error); // "'MemorySize' value failed to satisfy constraint: … less than or equal to 3008"
 * ```
 */
export function refusedMemorySize(error: unknown): string | undefined {
  const cause = error instanceof AwsCallError ? error.cause : undefined;
  if (!(cause instanceof Error) || cause.name !== 'InvalidParameterValueException') return undefined;
  return /MemorySize/i.test(cause.message) ? cause.message : undefined;
}
