/**
 * Fault-matrix rows for the phases after the versions exist: the invocations (throttling, reserved
 * concurrency, failures of the call, out-of-memory and timeouts in the function, changes by someone else),
 * and cleanup (the updates that put `$LATEST` back, the deletion of the versions). Invocation faults must
 * show in the run report as what they are; cleanup faults must either be retried away or name what is left
 * and how to remove it, and the post step must then find and remove it.
 */
import { CleanupError, UpdateFailedError, WaitTimeoutError } from '../../src/deploy/errors.js';
import { FunctionDeletedError } from '../../src/deploy/fault-errors.js';
import { AwsCallError } from '../../src/errors.js';
import { SweepFailedError } from '../../src/sweep/engine.js';
import { MODEL } from './fault-bed.js';
import {
  OTHER_CODE_SHA,
  otherDeletesFunction,
  otherDeploysCode,
  reserveConcurrency,
  type ErrorClass,
  type FaultRow
} from './row-types.js';

const INVOKE = 'invoke: Invoke';
const RESTORE = 'cleanup: restoring updates';
const DELETE = 'cleanup: DeleteFunction';
const LIST = 'cleanup: ListVersionsByFunction';

/** Only the gated size, few invocations: for rows whose every invocation waits on retries. */
const ONE_SIZE = { 'memory-sizes': '512', invocations: '2', 'gate-invocations': '2', warmup: '0' };
const RESTORING = /^Putting \$LATEST of .* back as it was/;
const AFTER_INVOKING = /invocations made, \d+ with errors$/;

/** Measured, then found gone: nothing was gated, nothing is left; no instruction to remove what does not exist. */
const DELETED_AFTER_MEASURING =
  /^Function fm-\d+ was deleted by someone else during the run \(noticed while trying to put it back and delete its versions\); its versions went with it, so nothing of this run is left behind, and nothing was gated\.: Could not read function fm-\d+: Function not found/;

const passes = { verdict: 'pass', exit: 0, measured: true, comments: 1 } as const;
const failsOn = (
  kind: NonNullable<FaultRow['expect']['errors']>['kind'],
  warning: RegExp,
  count: 'all' | 'some' = 'all'
) => ({ verdict: 'fail', exit: 1, measured: true, comments: 1, errors: { kind, count }, warnings: [warning] }) as const;
const stopsAfterDeploy = (type: ErrorClass, message: RegExp) =>
  ({ error: { type, message }, exit: 1, measured: false, comments: 0 }) as const;
const stopsAfterMeasuring = (type: ErrorClass, message: RegExp) =>
  ({ error: { type, message }, exit: 1, measured: true, comments: 0 }) as const;

export const RUN_ROWS: FaultRow[] = [
  // Invoke.
  {
    fault: 'throttle 429 (once)',
    phase: INVOKE,
    faults: [{ operation: 'Invoke', kind: 'throttle', count: 1 }],
    expect: passes
  },
  {
    fault: 'throttle 429 (every call)',
    phase: INVOKE,
    inputs: ONE_SIZE,
    faults: [{ operation: 'Invoke', kind: 'throttle' }],
    expect: failsOn('throttled', /^512 MB: 2 of 2 measured invocations were throttled \(429 TooManyRequestsException\)/)
  },
  {
    fault: 'throttle 429 with retryAfterSeconds (every call)',
    phase: INVOKE,
    inputs: ONE_SIZE,
    faults: [{ operation: 'Invoke', kind: 'throttle', retryAfterSeconds: 1 }],
    expect: failsOn('throttled', /^512 MB: 2 of 2 measured invocations were throttled/)
  },
  {
    fault: 'reserved concurrency 0',
    phase: INVOKE,
    inputs: ONE_SIZE,
    setup: reserveConcurrency(0),
    expect: failsOn('throttled', /were throttled \(429 TooManyRequestsException\).*reserved concurrency/)
  },
  {
    fault: 'reserved concurrency 1, concurrency 4',
    phase: INVOKE,
    // Each invocation holds its environment ~200 ms, so calls that arrive together are throttled.
    model: { ...MODEL, timeScale: 3 },
    candidate: { ...MODEL, timeScale: 3, seed: 2 },
    ports: { maxAttempts: 1 },
    inputs: { 'memory-sizes': '512', invocations: '8', 'gate-invocations': '8', warmup: '0', concurrency: '4' },
    setup: reserveConcurrency(1),
    expect: failsOn('throttled', /measured invocations were throttled/, 'some')
  },
  {
    fault: '5xx (every call)',
    phase: INVOKE,
    inputs: ONE_SIZE,
    faults: [{ operation: 'Invoke', kind: 'server-error' }],
    expect: failsOn(
      'client',
      /^512 MB: 2 of 2 measured invocations failed before the function ran \(An internal error occurred \(injected fault\)\.\)/
    )
  },
  {
    fault: 'dropped connection (every call)',
    phase: INVOKE,
    inputs: ONE_SIZE,
    faults: [{ operation: 'Invoke', kind: 'drop' }],
    expect: failsOn('client', /^512 MB: 2 of 2 measured invocations failed before the function ran/)
  },
  {
    fault: 'out of memory at a size that is not gated',
    phase: INVOKE,
    candidate: { ...MODEL, memoryUsedMb: 300 },
    expect: {
      ...passes,
      unusable: [256],
      warnings: [/^256 MB is unusable: Ran out of memory in 3 of 3 invocations \(warm-ups included\)\.$/]
    }
  },
  {
    fault: 'out of memory at the gated size',
    phase: INVOKE,
    candidate: { ...MODEL, memoryUsedMb: 600 },
    expect: {
      ...failsOn('out-of-memory', /^512 MB is unusable: Ran out of memory in 4 of 4 invocations/),
      unusable: [256, 512]
    }
  },
  {
    fault: 'timeout at a size that is not gated',
    phase: INVOKE,
    // 600 ms of CPU on one vCPU: 4.1 s at 256 MB (past the 3 s timeout), 2.1 s at 512 MB.
    model: { ...MODEL, cpuMs: 600 },
    candidate: { ...MODEL, cpuMs: 600, seed: 2 },
    inputs: { 'max-cost-increase': 'none' },
    expect: {
      ...passes,
      unusable: [256],
      warnings: [/^256 MB is unusable: Timed out in 3 of 3 invocations \(warm-ups included\)\.$/]
    }
  },
  {
    fault: 'timeout at the gated size',
    phase: INVOKE,
    candidate: { ...MODEL, cpuMs: 2000 },
    inputs: { 'max-cost-increase': 'none' },
    expect: { ...failsOn('timeout', /^512 MB is unusable: Timed out in 4 of 4 invocations/), unusable: [256, 512] }
  },
  {
    fault: 'function deleted',
    phase: INVOKE,
    at: [{ phase: /^Invoking /, act: otherDeletesFunction }],
    expect: {
      ...stopsAfterMeasuring(FunctionDeletedError, DELETED_AFTER_MEASURING),
      latest: 'deleted'
    }
  },
  {
    fault: 'concurrent deployment to $LATEST (versions are frozen)',
    phase: INVOKE,
    at: [{ phase: /^Invoking /, act: otherDeploysCode }],
    expect: { ...passes, latest: { codeSha256: OTHER_CODE_SHA } }
  },

  // The updates that put $LATEST back (in prepare, and again in cleanup when that failed).
  {
    fault: 'throttle 429 (once)',
    phase: RESTORE,
    at: [{ phase: RESTORING, faults: [{ operation: 'UpdateFunctionCode', kind: 'throttle', count: 1 }] }],
    expect: passes
  },
  {
    fault: 'ResourceConflictException 409 (twice)',
    phase: RESTORE,
    at: [{ phase: RESTORING, faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'conflict', count: 2 }] }],
    expect: { ...passes, logs: [/fm-\d+ is being updated elsewhere; retry 2 in \d+ ms/] }
  },
  {
    fault: '5xx (the first restore fails; cleanup restores)',
    phase: RESTORE,
    at: [{ phase: RESTORING, faults: [{ operation: 'UpdateFunctionCode', kind: 'server-error', count: 2 }] }],
    expect: stopsAfterDeploy(AwsCallError, /^Could not update the code of function fm-\d+: An internal error/)
  },
  {
    fault: '5xx (both restores fail; the post step restores)',
    phase: RESTORE,
    at: [{ phase: RESTORING, faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'server-error', count: 4 }] }],
    expect: {
      ...stopsAfterDeploy(
        SweepFailedError,
        /^Could not update the configuration of function fm-\d+: .*Cleaning up afterwards also failed: Cleanup left 2 item\(s\) behind:\n- \$LATEST of function fm-\d+ .*\n.*fix by hand: aws lambda update-function-configuration --function-name fm-\d+ --memory-size 512/s
      ),
      leftover: true
    }
  },
  {
    fault: 'LastUpdateStatus Failed',
    phase: RESTORE,
    at: [
      { phase: RESTORING, faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'update-failure', count: 1 }] }
    ],
    // Lambda's values look restored, but its last update Failed: cleanup sets them again until it succeeds.
    expect: {
      ...stopsAfterDeploy(
        UpdateFailedError,
        /^The update of function fm-\d+ failed: The update failed because of an internal error/
      ),
      logs: [/^The last update of fm-\d+ is Failed; setting its memory again to settle it$/]
    }
  },
  {
    fault: 'slow control plane (waiter timeout)',
    phase: RESTORE,
    ports: 'short-waits',
    at: [
      { phase: RESTORING, faults: [{ operation: 'UpdateFunctionCode', kind: 'slow-update', delayMs: 3000, count: 1 }] }
    ],
    expect: stopsAfterDeploy(WaitTimeoutError, /^The update of function fm-\d+ did not settle within 2 s/)
  },

  // DeleteFunction of the run's versions.
  {
    fault: '5xx (once)',
    phase: DELETE,
    at: [{ phase: AFTER_INVOKING, faults: [{ operation: 'DeleteFunction', kind: 'server-error', count: 1 }] }],
    expect: passes
  },
  {
    fault: 'throttle 429 (once)',
    phase: DELETE,
    at: [{ phase: AFTER_INVOKING, faults: [{ operation: 'DeleteFunction', kind: 'throttle', count: 1 }] }],
    expect: passes
  },
  {
    fault: '5xx (retries exhausted; the post step deletes)',
    phase: DELETE,
    at: [{ phase: AFTER_INVOKING, faults: [{ operation: 'DeleteFunction', kind: 'server-error', count: 2 }] }],
    expect: {
      ...stopsAfterMeasuring(
        CleanupError,
        /^Cleanup left 1 item\(s\) behind:\n- version \d+ of function fm-\d+: .*\n {2}fix by hand: aws lambda delete-function --function-name fm-\d+ --qualifier \d+/
      ),
      leftover: true
    }
  },
  {
    fault: 'dropped connection (retries exhausted; the post step deletes)',
    phase: DELETE,
    at: [{ phase: AFTER_INVOKING, faults: [{ operation: 'DeleteFunction', kind: 'drop', count: 2 }] }],
    expect: {
      ...stopsAfterMeasuring(CleanupError, /^Cleanup left 1 item\(s\) behind:\n- version \d+ of function fm-\d+/),
      leftover: true
    }
  },
  {
    fault: 'ResourceConflictException 409 (once)',
    phase: DELETE,
    at: [{ phase: AFTER_INVOKING, faults: [{ operation: 'DeleteFunction', kind: 'conflict', count: 1 }] }],
    expect: { ...passes, logs: [/^fm-\d+ is being updated; deletion retry 1 in \d+ ms$/] }
  },
  {
    fault: 'function deleted',
    phase: DELETE,
    at: [{ phase: AFTER_INVOKING, act: otherDeletesFunction }],
    expect: {
      ...stopsAfterMeasuring(FunctionDeletedError, DELETED_AFTER_MEASURING),
      latest: 'deleted'
    }
  },
  {
    // Every version is recorded when every PublishVersion answered: the listing is not even made.
    fault: '5xx (retries exhausted), every version recorded',
    phase: LIST,
    at: [{ phase: AFTER_INVOKING, faults: [{ operation: 'ListVersionsByFunction', kind: 'server-error', count: 2 }] }],
    expect: { ...passes, calls: { listVersions: 1 } }
  },
  {
    fault: '5xx (retries exhausted) after a PublishVersion whose answer was lost',
    phase: LIST,
    ports: 'short-waits',
    // The safety version never becomes Active in time: Lambda has it, the run does not know its number.
    faults: [{ operation: 'PublishVersion', kind: 'slow-update', delayMs: 3000, count: 1 }],
    calls: [
      {
        method: 'listVersions',
        nth: 2,
        act: async (ctx) => ctx.setFaults([{ operation: 'ListVersionsByFunction', kind: 'server-error', count: 2 }])
      }
    ],
    expect: {
      ...stopsAfterDeploy(
        SweepFailedError,
        /^Version 1 of function fm-\d+ did not settle within 2 s.*Cleaning up afterwards also failed: Cleanup left 1 item\(s\) behind:\n- the version list of function fm-\d+: Could not list the versions of function fm-\d+: An internal error/s
      ),
      leftover: true
    }
  },
  {
    fault: '5xx on the temporary copy (retries exhausted; the post step deletes it)',
    phase: DELETE,
    inputs: { 'deploy-mode': 'temporary-copy' },
    at: [
      {
        phase: AFTER_INVOKING,
        faults: [{ operation: 'DeleteFunction', resource: '*', kind: 'server-error', count: 2 }]
      }
    ],
    expect: {
      ...stopsAfterMeasuring(
        CleanupError,
        /^Cleanup left 1 item\(s\) behind:\n- the temporary copy fm-\d+-lcg-\w+: .*\n {2}fix by hand: aws lambda delete-function --function-name fm-\d+-lcg-\w+(:|$)/
      ),
      touched: false,
      leftover: true
    }
  }
];
