/**
 * Fault-matrix rows for the phases that write to Lambda before anything is measured: the candidate's code
 * (UpdateFunctionCode), one configuration per size (UpdateFunctionConfiguration), the versions
 * (PublishVersion), and the temporary copy (CreateFunction). Each fault that outlasts the SDK's retries must
 * stop the run with a message naming the call, before a single invocation, and leave nothing behind.
 */
import {
  ConcurrentChangeError,
  UpdateFailedError,
  UpdateInProgressError,
  WaitTimeoutError
} from '../../src/deploy/errors.js';
import { FunctionDeletedError } from '../../src/deploy/fault-errors.js';
import { AwsCallError } from '../../src/errors.js';
import {
  OTHER_CODE_SHA,
  OTHER_ENVIRONMENT,
  otherChangesEnvironment,
  otherDeletesFunction,
  otherDeploysCode,
  type ErrorClass,
  type FaultRow
} from './row-types.js';

const CODE = 'deploy: UpdateFunctionCode';
const CONFIG = 'deploy: UpdateFunctionConfiguration';
const PUBLISH = 'publish: PublishVersion';
const COPY = 'deploy: CreateFunction (temporary copy)';

const passes = { verdict: 'pass', exit: 0, measured: true, comments: 1 } as const;
const stops = (type: ErrorClass, message: RegExp) =>
  ({ error: { type, message }, exit: 1, measured: false, comments: 0 }) as const;

export const DEPLOY_ROWS: FaultRow[] = [
  // UpdateFunctionCode: the candidate's code.
  {
    fault: 'throttle 429 (once)',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'throttle', count: 1 }],
    expect: passes
  },
  {
    fault: 'throttle 429 with retryAfterSeconds (once)',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'throttle', retryAfterSeconds: 1, count: 1 }],
    expect: passes
  },
  {
    fault: 'throttle 429 (retries exhausted)',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'throttle', count: 2 }],
    expect: stops(AwsCallError, /^Could not update the code of function fm-\d+: Rate Exceeded\.$/)
  },
  {
    fault: '5xx',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'server-error', count: 2 }],
    expect: stops(
      AwsCallError,
      /^Could not update the code of function fm-\d+: An internal error occurred \(injected fault\)\.$/
    )
  },
  {
    fault: 'dropped connection',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'drop', count: 2 }],
    expect: stops(AwsCallError, /^Could not update the code of function fm-\d+: .*socket hang up/)
  },
  {
    fault: 'ResourceConflictException 409 (once)',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'conflict', count: 1 }],
    expect: { ...passes, logs: [/fm-\d+ is being updated elsewhere; retry 1 in \d+ ms/] }
  },
  {
    fault: 'ResourceConflictException 409 (persistent)',
    phase: CODE,
    ports: 'short-waits',
    faults: [{ operation: 'UpdateFunctionCode', kind: 'conflict' }],
    expect: stops(
      UpdateInProgressError,
      /^Could not update the code of function fm-\d+: an update of the function is in progress elsewhere \(ResourceConflictException\): The operation cannot be performed at this time\. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:fm-\d+$/
    )
  },
  {
    fault: 'LastUpdateStatus Failed',
    phase: CODE,
    faults: [{ operation: 'UpdateFunctionCode', kind: 'update-failure', count: 1 }],
    expect: stops(
      UpdateFailedError,
      /^The update of function fm-\d+ failed: The update failed because of an internal error/
    )
  },
  {
    fault: 'slow control plane (waiter timeout)',
    phase: CODE,
    ports: 'short-waits',
    faults: [{ operation: 'UpdateFunctionCode', kind: 'slow-update', delayMs: 3000, count: 1 }],
    expect: stops(WaitTimeoutError, /^The update of function fm-\d+ did not settle within 2 s/)
  },
  {
    fault: 'concurrent change (environment)',
    phase: CODE,
    at: [{ phase: /^Deploying the candidate code/, act: otherChangesEnvironment }],
    expect: {
      ...stops(
        ConcurrentChangeError,
        /^Function fm-\d+ was changed by someone else during the run \(noticed while trying to update the code of function fm-\d+\); it was not measured/
      ),
      latest: { environment: OTHER_ENVIRONMENT }
    }
  },
  {
    fault: 'function deleted',
    phase: CODE,
    at: [{ phase: /^Deploying the candidate code/, act: otherDeletesFunction }],
    expect: {
      ...stops(
        FunctionDeletedError,
        /^Function fm-\d+ was deleted by someone else during the run \(noticed while trying to update the code of function fm-\d+\); its versions went with it, so nothing of this run is left behind, and nothing was gated\.: Could not update the code of function fm-\d+: Function not found/
      ),
      latest: 'deleted'
    }
  },

  // UpdateFunctionConfiguration: one size after another.
  {
    fault: 'throttle 429 (once)',
    phase: CONFIG,
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'throttle', count: 1 }],
    expect: passes
  },
  {
    fault: 'throttle 429 (retries exhausted)',
    phase: CONFIG,
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'throttle', count: 2 }],
    expect: stops(AwsCallError, /^Could not update the configuration of function fm-\d+: Rate Exceeded\.$/)
  },
  {
    fault: '5xx',
    phase: CONFIG,
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'server-error', status: 503, count: 2 }],
    expect: stops(
      AwsCallError,
      /^Could not update the configuration of function fm-\d+: Service unavailable \(injected fault\)\.$/
    )
  },
  {
    fault: 'dropped connection',
    phase: CONFIG,
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'drop', count: 2 }],
    expect: stops(AwsCallError, /^Could not update the configuration of function fm-\d+: .*socket hang up/)
  },
  {
    fault: 'ResourceConflictException 409 (twice)',
    phase: CONFIG,
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'conflict', count: 2 }],
    expect: { ...passes, logs: [/fm-\d+ is being updated elsewhere; retry 2 in \d+ ms/] }
  },
  {
    fault: 'LastUpdateStatus Failed',
    phase: CONFIG,
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'update-failure', count: 1 }],
    expect: stops(
      UpdateFailedError,
      /^The update of function fm-\d+ failed: The update failed because of an internal error/
    )
  },
  {
    fault: 'slow control plane (waiter timeout)',
    phase: CONFIG,
    ports: 'short-waits',
    faults: [{ operation: 'UpdateFunctionConfiguration', kind: 'slow-update', delayMs: 3000, count: 1 }],
    expect: stops(WaitTimeoutError, /^The update of function fm-\d+ did not settle within 2 s/)
  },
  {
    fault: 'concurrent change (environment)',
    phase: CONFIG,
    at: [{ phase: /^Publishing version 1 of/, act: otherChangesEnvironment }],
    expect: {
      ...stops(
        ConcurrentChangeError,
        /was changed by someone else during the run \(noticed while trying to update the configuration of function fm-\d+\)/
      ),
      latest: { environment: OTHER_ENVIRONMENT }
    }
  },
  {
    fault: 'size above the account memory quota (3008 MB)',
    phase: CONFIG,
    inputs: { 'memory-sizes': '256,4096' },
    expect: {
      ...passes,
      warnings: [
        /^4096 MB was not measured: Lambda refused it \('MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 3008\)/
      ]
    }
  },

  // PublishVersion: the safety version first, then one per size.
  {
    fault: 'throttle 429 (once)',
    phase: PUBLISH,
    faults: [{ operation: 'PublishVersion', kind: 'throttle', count: 1 }],
    expect: passes
  },
  {
    fault: 'throttle 429 (retries exhausted)',
    phase: PUBLISH,
    faults: [{ operation: 'PublishVersion', kind: 'throttle', count: 2 }],
    expect: stops(AwsCallError, /^Could not publish a version of function fm-\d+: Rate Exceeded\.$/)
  },
  {
    fault: '5xx',
    phase: PUBLISH,
    faults: [{ operation: 'PublishVersion', kind: 'server-error', count: 2 }],
    expect: stops(AwsCallError, /^Could not publish a version of function fm-\d+: An internal error occurred/)
  },
  {
    fault: 'dropped connection',
    phase: PUBLISH,
    faults: [{ operation: 'PublishVersion', kind: 'drop', count: 2 }],
    expect: stops(AwsCallError, /^Could not publish a version of function fm-\d+: .*socket hang up/)
  },
  {
    fault: 'ResourceConflictException 409 (once)',
    phase: PUBLISH,
    faults: [{ operation: 'PublishVersion', kind: 'conflict', count: 1 }],
    expect: { ...passes, logs: [/fm-\d+ is being updated elsewhere; retry 1 in \d+ ms/] }
  },
  {
    fault: 'slow control plane (version Pending past the waiter)',
    phase: PUBLISH,
    ports: 'short-waits',
    faults: [{ operation: 'PublishVersion', kind: 'slow-update', delayMs: 3000, count: 1 }],
    expect: stops(WaitTimeoutError, /^Version 1 of function fm-\d+ did not settle within 2 s/)
  },
  {
    fault: 'concurrent change (environment, RevisionId mismatch)',
    phase: PUBLISH,
    calls: [{ method: 'publishVersion', nth: 2, act: otherChangesEnvironment }],
    expect: {
      ...stops(ConcurrentChangeError, /noticed while trying to publish a version of function fm-\d+/),
      latest: { environment: OTHER_ENVIRONMENT }
    }
  },
  {
    fault: 'concurrent deployment (CodeSha256 and RevisionId mismatch)',
    phase: PUBLISH,
    calls: [{ method: 'publishVersion', nth: 2, act: otherDeploysCode }],
    expect: {
      ...stops(ConcurrentChangeError, /noticed while trying to publish a version of function fm-\d+/),
      latest: { codeSha256: OTHER_CODE_SHA }
    }
  },

  // CreateFunction: the temporary copy; the real function is never written to.
  {
    fault: '5xx',
    phase: COPY,
    inputs: { 'deploy-mode': 'temporary-copy' },
    faults: [{ operation: 'CreateFunction', resource: '*', kind: 'server-error', count: 2 }],
    expect: {
      ...stops(
        AwsCallError,
        /^Could not create function fm-\d+-lcg-\w+ \(a temporary copy of fm-\d+\): An internal error/
      ),
      touched: false
    }
  },
  {
    fault: 'dropped connection',
    phase: COPY,
    inputs: { 'deploy-mode': 'temporary-copy' },
    faults: [{ operation: 'CreateFunction', resource: '*', kind: 'drop', count: 2 }],
    expect: { ...stops(AwsCallError, /^Could not create function fm-\d+-lcg-\w+/), touched: false }
  },
  {
    fault: 'State Failed (the copy never becomes Active)',
    phase: COPY,
    inputs: { 'deploy-mode': 'temporary-copy' },
    faults: [{ operation: 'CreateFunction', resource: '*', kind: 'update-failure', count: 1 }],
    expect: { ...stops(UpdateFailedError, /^The update of function fm-\d+-lcg-\w+ failed/), touched: false }
  }
];
