/**
 * The {@link LambdaPort} over the AWS SDK v3 Lambda client: the only place in the engine that imports
 * `@aws-sdk/client-lambda`. Every change is guarded by a precondition (RevisionId, CodeSha256), every
 * asynchronous change is waited for with an SDK waiter and then read back, and every SDK failure is
 * wrapped in a typed error that says what the run was doing.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  InvokeCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  paginateListVersionsByFunction,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type LambdaClient,
  type Runtime
} from '@aws-sdk/client-lambda';
import { AwsCallError, LambdaCostGateError, failureText, type AwsCall } from '../errors.js';
import { watchForRefusal } from '../security/refusal-watch.js';
import type { Architecture, InvokeOutcome, LambdaPort } from '../sweep/types.js';
import { readCandidateZip } from './code.js';
import { codeInput, copyRequest, toFunctionState } from './lambda-shapes.js';
import {
  CodeMismatchError,
  ConcurrentChangeError,
  FunctionExistsError,
  FunctionNotFoundError,
  UpdateFailedError,
  UpdateInProgressError,
  WaitTimeoutError
} from './errors.js';
import { retryWithBackoff, type BackoffOptions } from './retry.js';

export { ConcurrentChangeError } from './errors.js';

/** How the port waits and reports. */
export interface LambdaPortOptions {
  /** Longest wait for one update, publish or creation to settle, in seconds (default 300, at least 2). */
  waitMaxSeconds?: number;
  /** Progress lines (waits, retries). */
  log?: (line: string) => void;
  /** Backoff for 409 ResourceConflictException on updates and publishes (the SDK does not retry it). */
  conflictRetry?: BackoffOptions;
}

const DEFAULT_WAIT_SECONDS = 300;

type WaiterConfig = Parameters<typeof waitUntilFunctionUpdatedV2>[0];

/** A Lambda call, for naming the IAM action if AWS refuses it. */
const call = (operation: string, resource: string, qualifier?: string): AwsCall =>
  qualifier ? { service: 'lambda', operation, resource, qualifier } : { service: 'lambda', operation, resource };

/**
 * Builds the port. The client should come from `createLambdaClient` (retries, user agent, endpoint).
 *
 * @example
 * ```ts
 * const port = createLambdaPort(createLambdaClient({ region: 'eu-west-1' }), { waitMaxSeconds: 120 });
 * const fn = await port.getFunction('my-fn');
 * ```
 */
export function createLambdaPort(client: LambdaClient, options: LambdaPortOptions = {}): LambdaPort {
  const log = options.log ?? (() => undefined);
  // The waiters refuse a maxWaitTime that is not above minDelay (1 s).
  const waitSeconds = Math.max(2, options.waitMaxSeconds ?? DEFAULT_WAIT_SECONDS);
  const waiter: WaiterConfig = { client, minDelay: 1, maxDelay: Math.min(5, waitSeconds), maxWaitTime: waitSeconds };

  /** Sends a change, retrying only "an update is in progress"; maps the failure to a typed error. */
  const change = async <T>(name: string, operation: string, doing: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await retryWithBackoff(send, (error) => error instanceof ResourceConflictException, {
        ...options.conflictRetry,
        // The SDK does not retry a 409, so its retry log does not show these: say so in the same words.
        onRetry: (attempt, delayMs) =>
          log(
            `retrying ${operation} after ResourceConflictException (function ${name} is being updated elsewhere; ` +
              `retry ${attempt} in ${delayMs} ms)`
          )
      });
    } catch (error) {
      if (error instanceof PreconditionFailedException) throw new ConcurrentChangeError(name, doing, error);
      if (error instanceof ResourceConflictException) throw new UpdateInProgressError(doing, error);
      throw error instanceof LambdaCostGateError ? error : new AwsCallError(doing, error, call(operation, name));
    }
  };

  const read = async (name: string, qualifier?: string) => {
    const doing = `read function ${name}${qualifier ? `:${qualifier}` : ''}`;
    try {
      const response = await client.send(
        new GetFunctionCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) })
      );
      if (!response.Configuration) throw new LambdaCostGateError('the response has no Configuration');
      return { config: response.Configuration, state: toFunctionState(response.Configuration, name), response };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw new FunctionNotFoundError(doing, error);
      throw error instanceof AwsCallError
        ? error
        : new AwsCallError(doing, error, call('GetFunction', name, qualifier));
    }
  };

  /**
   * Runs a waiter, then reads the final state again whatever the waiter said: a timeout whose update
   * finished meanwhile is fine, and a failure is reported with Lambda's own reason. The waiters retry on
   * any error until they time out, so a refused poll (a policy without GetFunctionConfiguration) would
   * wait the whole time for nothing: it stops the waiter at once and is reported instead.
   */
  const settle = async (
    what: string,
    name: string,
    qualifier: string | undefined,
    wait: (config: WaiterConfig) => Promise<unknown>
  ) => {
    let timedOut: unknown;
    const watch = watchForRefusal(client);
    try {
      await wait({ ...waiter, client: watch.client, abortSignal: watch.signal });
    } catch (error) {
      // The waiters throw a plain Error named TimeoutError; the SDK exports no class for it.
      if (error instanceof Error && error.name === 'TimeoutError') timedOut = error;
      // Any other waiter outcome (a Failed state) is judged from the final read below.
    }
    const refused = watch.refused();
    if (refused) throw new AwsCallError(`wait for ${what}`, refused.error, call(refused.operation, name, qualifier));
    const final = await read(name, qualifier);
    const { config } = final;
    if (config.LastUpdateStatus === 'Failed' || config.State === 'Failed') {
      throw new UpdateFailedError(name, config.LastUpdateStatusReason ?? config.StateReason ?? 'no reason given');
    }
    if (config.LastUpdateStatus === 'InProgress' || config.State === 'Pending') {
      throw new WaitTimeoutError(what, waitSeconds, timedOut);
    }
    return final;
  };

  const settleUpdate = (name: string) =>
    settle(`The update of function ${name}`, name, undefined, (config) =>
      waitUntilFunctionUpdatedV2(config, { FunctionName: name })
    );

  return {
    async getFunction(name, qualifier) {
      return (await read(name, qualifier)).state;
    },

    async updateCode(name, code, revisionId, architecture?: Architecture) {
      const doing = `update the code of function ${name}`;
      const zip = await readCandidateZip(code);
      const sent = await change(name, 'UpdateFunctionCode', doing, () =>
        client.send(
          new UpdateFunctionCodeCommand({
            FunctionName: name,
            RevisionId: revisionId,
            ...codeInput(code, zip),
            ...(architecture ? { Architectures: [architecture] } : {})
          })
        )
      );
      log(`Updating the code of ${name}; waiting for the update to settle`);
      const { state } = await settleUpdate(name);
      if (zip && sent.CodeSha256 !== zip.sha256) throw new CodeMismatchError(name, zip.sha256, sent.CodeSha256 ?? '');
      // Another deployment between ours and the read would show other code: not what we published from.
      if (state.codeSha256 !== sent.CodeSha256) throw new ConcurrentChangeError(name, doing);
      return state;
    },

    async updateConfiguration(name, update, revisionId) {
      const doing = `update the configuration of function ${name}`;
      await change(name, 'UpdateFunctionConfiguration', doing, () =>
        client.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: name,
            RevisionId: revisionId,
            ...(update.memorySize !== undefined ? { MemorySize: update.memorySize } : {}),
            ...(update.description !== undefined ? { Description: update.description } : {}),
            ...(update.environment !== undefined ? { Environment: { Variables: update.environment } } : {})
          })
        )
      );
      return (await settleUpdate(name)).state;
    },

    async publishVersion(name, expected) {
      const doing = `publish a version of function ${name}`;
      let version: string | undefined;
      try {
        const published = await change(name, 'PublishVersion', doing, () =>
          client.send(
            new PublishVersionCommand({
              FunctionName: name,
              CodeSha256: expected.codeSha256,
              RevisionId: expected.revisionId,
              Description: expected.description
            })
          )
        );
        version = published.Version;
      } catch (error) {
        // Lambda answers a CodeSha256 mismatch with InvalidParameterValueException; rather than parse its
        // message, look at what $LATEST holds now.
        const cause = error instanceof AwsCallError ? error.cause : undefined;
        if (cause instanceof InvalidParameterValueException) {
          const now = await read(name);
          if (now.state.codeSha256 !== expected.codeSha256) throw new ConcurrentChangeError(name, doing, cause);
        }
        throw error;
      }
      if (!version) throw new AwsCallError(doing, new LambdaCostGateError('the response has no Version'));
      const published = version;
      await settle(`Version ${published} of function ${name}`, name, published, (config) =>
        waitUntilPublishedVersionActive(config, { FunctionName: name, Qualifier: published })
      );
      return published;
    },

    async deleteVersion(name, version) {
      // Without a qualifier DeleteFunction removes the whole function: never let a bad value get there.
      if (!/^[0-9]+$/.test(version)) {
        throw new LambdaCostGateError(`Refusing to delete "${version}" of function ${name}: not a version number`);
      }
      try {
        await client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: version }));
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return;
        const doing = `delete version ${version} of function ${name}`;
        throw new AwsCallError(doing, error, call('DeleteFunction', name, version));
      }
    },

    async listVersions(name) {
      const versions: Array<{ version: string; description: string }> = [];
      try {
        for await (const page of paginateListVersionsByFunction({ client }, { FunctionName: name })) {
          for (const v of page.Versions ?? []) {
            if (v.Version && v.Version !== '$LATEST')
              versions.push({ version: v.Version, description: v.Description ?? '' });
          }
        }
      } catch (error) {
        throw new AwsCallError(`list the versions of function ${name}`, error, call('ListVersionsByFunction', name));
      }
      return versions;
    },

    async createCopy(name, source, code, tags) {
      const zip = code.kind === 'zip-bytes' ? undefined : await readCandidateZip(code);
      try {
        // The SDK types Runtime as a union of today's names; a newer runtime is still a valid string.
        const input = { ...copyRequest(name, source, codeInput(code, zip), tags), Runtime: source.runtime as Runtime };
        await client.send(new CreateFunctionCommand(input));
      } catch (error) {
        if (error instanceof ResourceConflictException) throw new FunctionExistsError(name, error);
        const doing = `create function ${name} (a temporary copy of ${source.name})`;
        throw new AwsCallError(doing, error, call('CreateFunction', name));
      }
      log(`Created ${name}; waiting for it to become Active`);
      const { state } = await settle(`The creation of function ${name}`, name, undefined, (config) =>
        waitUntilFunctionActiveV2(config, { FunctionName: name })
      );
      if (zip && state.codeSha256 !== zip.sha256) throw new CodeMismatchError(name, zip.sha256, state.codeSha256);
      return state;
    },

    async downloadCode(name) {
      const { response } = await read(name);
      const location = response.Code?.Location;
      const doing = `download the code of function ${name}`;
      if (!location) throw new AwsCallError(doing, new LambdaCostGateError('GetFunction returned no Code.Location'));
      try {
        const reply = await fetch(location, { signal: AbortSignal.timeout(waitSeconds * 1000) });
        if (!reply.ok) throw new LambdaCostGateError(`HTTP ${reply.status} from the code location`);
        return new Uint8Array(await reply.arrayBuffer());
      } catch (error) {
        throw new AwsCallError(doing, error);
      }
    },

    async deleteFunction(name) {
      try {
        await client.send(new DeleteFunctionCommand({ FunctionName: name }));
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return;
        throw new AwsCallError(`delete function ${name}`, error, call('DeleteFunction', name));
      }
    },

    async invoke(name, qualifier, payload): Promise<InvokeOutcome> {
      try {
        const r = await client.send(
          new InvokeCommand({
            FunctionName: name,
            Qualifier: qualifier,
            LogType: 'Tail',
            Payload: new TextEncoder().encode(payload)
          })
        );
        return {
          ...(r.StatusCode !== undefined ? { statusCode: r.StatusCode } : {}),
          ...(r.FunctionError ? { functionError: r.FunctionError } : {}),
          ...(r.LogResult ? { logResult: r.LogResult } : {}),
          ...(r.ExecutedVersion ? { executedVersion: r.ExecutedVersion } : {}),
          // Lambda's API request id for Invoke is the invocation's RequestId in the REPORT line.
          ...(r.$metadata.requestId ? { requestId: r.$metadata.requestId } : {}),
          payload: r.Payload ?? new Uint8Array()
        };
      } catch (error) {
        // Function errors come back as FunctionError, not as exceptions: anything thrown is the call's.
        const kind = error instanceof TooManyRequestsException ? 'throttled' : 'client';
        const message = failureText(`invoke ${name}:${qualifier}`, error, call('Invoke', name, qualifier));
        return { payload: new Uint8Array(), failure: { kind, message } };
      }
    }
  };
}
