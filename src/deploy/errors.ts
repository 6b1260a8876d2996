/**
 * Typed errors of the deploy step. The sweep's caller tells them apart by class: a concurrent change
 * means "nothing was measured, run again", a cleanup failure means "something was left behind, here
 * is how to remove it".
 */
import { AwsCallError, LambdaCostGateError, errorMessage } from '../errors.js';

/**
 * What to do when two runs meet on one function: said by every error that stops a run for that reason.
 * A `concurrency:` group queues the runs; a temporary copy never touches the function, so runs on copies
 * cannot meet at all.
 */
export const CONCURRENCY_ADVICE =
  'If two workflow runs gate this function at once, give the job a `concurrency:` group per function ' +
  '(for example `concurrency: lambda-cost-gate-<function name>`) so that they queue, or use ' +
  '`deploy-mode: temporary-copy`, which never changes the function itself.';

/**
 * Someone else changed the function while the run was using it (a RevisionId or CodeSha256
 * precondition failed, or `$LATEST` no longer looked as the run left it). Nothing was measured.
 *
 * @example
 * ```ts
 * throw new ConcurrentChangeError('my-fn', 'publish a version', sdkError);
 * ```
 */
export class ConcurrentChangeError extends LambdaCostGateError {
  /**
   * @param functionName - the function that changed
   * @param doing - what the run was doing when it noticed, phrased to follow "while trying to …"
   * @param cause - the precondition failure, when there was one
   */
  constructor(
    readonly functionName: string,
    readonly doing: string,
    cause?: unknown
  ) {
    super(
      `Function ${functionName} was changed by someone else during the run (noticed while trying to ${doing}); ` +
        `it was not measured. Run again when nobody else deploys or configures it. ${CONCURRENCY_ADVICE}`,
      cause === undefined ? undefined : { cause }
    );
  }
}

/**
 * Another lambda-cost-gate run is changing the function right now (its marks are on `$LATEST`), so this
 * run stopped before changing anything: the original it read may be the other run's candidate.
 *
 * @example
 * ```ts
 * throw new RunInProgressError('orders', '1234-1-ab', '$LATEST carries its description');
 * ```
 */
export class RunInProgressError extends LambdaCostGateError {
  /**
   * @param functionName - the function both runs gate
   * @param otherRunId - the run id found in the other run's descriptions
   * @param evidence - what shows that run is at work, phrased to follow "run … is changing it: "
   */
  constructor(
    readonly functionName: string,
    readonly otherRunId: string,
    evidence: string
  ) {
    super(
      `Another lambda-cost-gate run (${otherRunId}) is changing function ${functionName} right now: ${evidence}. ` +
        `This run changed nothing and measured nothing. ${CONCURRENCY_ADVICE} If that run was killed, its own ` +
        'post step removes what it left, and so does the next run once $LATEST has not changed for 15 minutes.'
    );
  }
}

/**
 * The run was cancelled (the runner sent SIGINT or SIGTERM): a change that would move the function
 * further from its original is refused, so that only putting it back remains.
 *
 * @example
 * ```ts
 * throw new RunCancelledError('SIGTERM', 'publish a version of orders');
 * // The run was cancelled (SIGTERM) before it could publish a version of orders
 * ```
 */
export class RunCancelledError extends LambdaCostGateError {
  /**
   * @param signal - the signal that cancelled the run
   * @param refused - what the run was about to do, phrased to follow "before it could …"
   */
  constructor(
    readonly signal: string,
    refused: string
  ) {
    super(`The run was cancelled (${signal}) before it could ${refused}`);
  }
}

/** 409 ResourceConflictException: another update of the function is still in progress. */
export class UpdateInProgressError extends AwsCallError {
  /**
   * @param doing - what the run tried, phrased to follow "Could not …"
   * @param cause - the SDK's ResourceConflictException
   */
  constructor(doing: string, cause: unknown) {
    super(`${doing}: an update of the function is in progress elsewhere (ResourceConflictException)`, cause);
  }
}

/** An update or a creation settled as `Failed`; the message carries Lambda's reason. */
export class UpdateFailedError extends LambdaCostGateError {
  constructor(
    readonly functionName: string,
    readonly reason: string
  ) {
    super(`The update of function ${functionName} failed: ${reason}`);
  }
}

/** A waiter gave up: the function or version did not settle within the allowed time. */
export class WaitTimeoutError extends LambdaCostGateError {
  constructor(
    readonly what: string,
    readonly seconds: number,
    /** The SDK waiter's own error: kept for debugging, not chained, since its message is raw JSON state. */
    readonly waiterError?: unknown
  ) {
    super(`${what} did not settle within ${seconds} s`);
  }
}

/** Lambda reports a CodeSha256 that is not the SHA-256 of the zip that was sent. */
export class CodeMismatchError extends LambdaCostGateError {
  constructor(
    readonly functionName: string,
    readonly sent: string,
    readonly stored: string
  ) {
    super(
      `The code Lambda stored is not the code we sent (function ${functionName}: sent CodeSha256 ${sent}, Lambda has ${stored})`
    );
  }
}

/** CreateFunction refused because a function of that name exists: it is not ours to delete. */
export class FunctionExistsError extends AwsCallError {
  constructor(
    readonly functionName: string,
    cause: unknown
  ) {
    super(`create function ${functionName}: a function of that name already exists and was left alone`, cause);
  }
}

/** The function (or the version asked for) does not exist (ResourceNotFoundException). */
export class FunctionNotFoundError extends AwsCallError {}

/** One thing cleanup could not do, and how a person can do it instead. */
export interface CleanupFailure {
  /** What was left, e.g. `version 7 of function my-fn`. */
  item: string;
  /** The AWS CLI command (or instruction) that removes or repairs it by hand. */
  manual: string;
  error: unknown;
}

/**
 * Cleanup could not remove or restore everything. Every item was still attempted; the message lists
 * all of them with the command that finishes the job by hand.
 */
export class CleanupError extends LambdaCostGateError {
  constructor(readonly failures: CleanupFailure[]) {
    super(
      `Cleanup left ${failures.length} item(s) behind:\n` +
        failures.map((f) => `- ${f.item}: ${errorMessage(f.error)}\n  fix by hand: ${f.manual}`).join('\n')
    );
    // No `cause`: each failure's error is in the message already, and a cause would be printed again after it.
  }
}
