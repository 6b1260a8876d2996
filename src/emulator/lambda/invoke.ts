/**
 * Lambda's Invoke: resolves the qualifier, enforces payload limits and concurrency (throttles with
 * Lambda's reasons), runs the invocation in an executor, writes the platform log lines and returns
 * the tail, the executed version and any function error the way Lambda's headers do.
 */
import { randomUUID } from 'node:crypto';
import { AwsError, invalidParameter, resourceConflict, tooManyRequests } from '../http/aws-error.js';
import type { EmulatorResponse } from '../http/server.js';
import type { LogStore } from '../logs/store.js';
import { shouldThrottle } from '../model/model-executor.js';
import { createRandom } from '../model/random.js';
import type { EnvironmentSpec, Executor, InvocationResult } from '../runtime/types.js';
import { invocationLog, logTail } from './platform-log.js';
import type { FunctionRecord, VersionRecord } from './records.js';
import type { FunctionStore } from './store.js';

/** Synchronous invocations carry at most 6 MB each way. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface InvokeRequest {
  name: string;
  qualifier?: string;
  payload: Buffer;
  invocationType: string;
  logType: string;
}

export interface InvokerOptions {
  store: FunctionStore;
  executor: Executor;
  logs: LogStore;
  /** The account's concurrency limit (1,000 by default on AWS). */
  accountConcurrency: number;
  seed?: number;
  now?: () => number;
}

export class Invoker {
  private readonly inflightByFunction = new Map<string, number>();
  private accountInflight = 0;
  private readonly random;
  private readonly now: () => number;
  /** Background (Event) invocations still running, so shutdown can wait for them. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly options: InvokerOptions) {
    this.random = createRandom(options.seed ?? 7);
    this.now = options.now ?? Date.now;
  }

  async invoke(request: InvokeRequest): Promise<EmulatorResponse> {
    const { store } = this.options;
    const fn = store.get(request.name);
    const record = this.pickVersion(fn, store.resolve(fn, request.qualifier), request.qualifier);
    checkPayload(request.payload);
    if (!['RequestResponse', 'Event', 'DryRun'].includes(request.invocationType)) {
      throw invalidParameter(
        `Invalid invocation type: ${request.invocationType}. Use RequestResponse, Event or DryRun.`
      );
    }
    if (record.state !== 'Active') {
      throw resourceConflict(
        `The operation cannot be performed at this time. The function is currently in the following state: ${record.state}`
      );
    }
    if (request.invocationType === 'DryRun') return { status: 204 };
    this.admit(fn, record);
    const run = this.run(fn, record, request.payload);
    if (request.invocationType === 'Event') {
      const pending = run.catch(() => undefined).finally(() => this.background.delete(pending));
      this.background.add(pending);
      return { status: 202, headers: { 'X-Amz-Executed-Version': record.version } };
    }
    const { result, tail, requestId } = await run;
    const headers: Record<string, string> = {
      // As on Lambda, the API request id is the invocation's RequestId in its REPORT line.
      'x-amzn-RequestId': requestId,
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': record.version
    };
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (request.logType === 'Tail') headers['X-Amz-Log-Result'] = tail;
    return { status: 200, headers, body: result.payload };
  }

  /** In-flight invocations per function, for the admin API. */
  inflight(): Record<string, number> {
    return Object.fromEntries(this.inflightByFunction);
  }

  async drain(): Promise<void> {
    await Promise.all([...this.background]);
  }

  /** An alias with weights sends a share of calls to another version, as Lambda's routing does. */
  private pickVersion(fn: FunctionRecord, record: VersionRecord, qualifier: string | undefined): VersionRecord {
    const alias = qualifier === undefined ? undefined : fn.aliases.get(qualifier);
    if (!alias) return record;
    let roll = this.random.next();
    for (const [version, weight] of Object.entries(alias.weights)) {
      if (roll < weight) return this.options.store.resolve(fn, version);
      roll -= weight;
    }
    return record;
  }

  /** Throttles the way Lambda does: reserved concurrency first, then the account's limit. */
  private admit(fn: FunctionRecord, record: VersionRecord): void {
    const inflight = this.inflightByFunction.get(fn.name) ?? 0;
    if (fn.reservedConcurrency !== undefined && inflight >= fn.reservedConcurrency) {
      throw tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded', 'Rate Exceeded.');
    }
    if (this.accountInflight >= this.options.accountConcurrency) {
      throw tooManyRequests('ConcurrentInvocationLimitExceeded', 'Rate Exceeded.');
    }
    const source = record.code.source;
    if (source.kind === 'model' && source.model.throttleRate > 0 && shouldThrottle(source.model, this.random)) {
      throw tooManyRequests('ConcurrentInvocationLimitExceeded', 'Rate Exceeded.');
    }
  }

  private async run(
    fn: FunctionRecord,
    record: VersionRecord,
    payload: Buffer
  ): Promise<{ result: InvocationResult; tail: string; requestId: string }> {
    const requestId = randomUUID();
    this.inflightByFunction.set(fn.name, (this.inflightByFunction.get(fn.name) ?? 0) + 1);
    this.accountInflight += 1;
    const startedAt = this.now();
    try {
      const result = await this.options.executor.invoke(specOf(fn, record), requestId, payload);
      const endedAt = this.now();
      const lines = invocationLog({
        requestId,
        version: record.version,
        memorySize: record.settings.memorySize,
        format: record.settings.logFormat,
        result,
        startedAt,
        endedAt
      });
      this.options.logs.append(
        record.settings.logGroup,
        streamName(startedAt, record.version, result.environmentId),
        lines
      );
      return { result, tail: logTail(lines), requestId };
    } finally {
      const left = (this.inflightByFunction.get(fn.name) ?? 1) - 1;
      if (left === 0) this.inflightByFunction.delete(fn.name);
      else this.inflightByFunction.set(fn.name, left);
      this.accountInflight -= 1;
    }
  }
}

/** Environments are reused only while the version's code and configuration stay the same. */
export function specOf(fn: FunctionRecord, record: VersionRecord): EnvironmentSpec {
  const s = record.settings;
  return {
    key: `${fn.arn}:${record.version}:${record.revisionId}`,
    functionName: fn.name,
    version: record.version,
    memoryMb: s.memorySize,
    timeoutSec: s.timeout,
    handler: s.handler,
    runtime: s.runtime,
    architecture: s.architecture,
    environment: s.environment,
    code: record.code.source
  };
}

/** `YYYY/MM/DD/[version]<environment id>`, one stream per execution environment. */
export function streamName(at: number, version: string, environmentId: string): string {
  const day = new Date(at).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${environmentId}`;
}

function checkPayload(payload: Buffer): void {
  if (payload.length > MAX_SYNC_PAYLOAD_BYTES) {
    throw new AwsError(
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      413
    );
  }
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new AwsError(
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
      400
    );
  }
}
