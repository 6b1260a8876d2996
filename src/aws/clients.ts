/**
 * The one place that builds AWS SDK clients, so every client retries, identifies itself and finds its
 * endpoint the same way.
 *
 * - Retries: `retryMode: 'standard'` (exponential backoff with jitter, a retry quota, throttling and
 *   transient 5xx retried) and `maxAttempts` (default {@link DEFAULT_MAX_ATTEMPTS}).
 * - User agent: `lambda-cost-gate/<version>` is appended, so calls can be told apart in CloudTrail.
 * - Region: `opts.region` when given; otherwise the SDK's own chain (`AWS_REGION`, then the shared
 *   config file). No default is made up: a run in the wrong region would measure the wrong function,
 *   so a missing region fails with the SDK's "Region is missing" error instead.
 * - Endpoint: `opts.endpoint` when given; otherwise the SDK's own configured-endpoint chain, which
 *   reads `AWS_ENDPOINT_URL_LAMBDA` / `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, then `AWS_ENDPOINT_URL`, then
 *   `endpoint_url` in the shared config file. That is how the local emulator is reached without code
 *   changes. The SDK reads those variables per request, not when the client is built.
 * - Rate: Lambda's control plane allows 15 requests/s per account and region (Invoke excluded;
 *   GetFunction has its own 100/s), and a burst above it is throttled. Every attempt of a control-plane
 *   call waits for its turn in {@link CallRateLimiter} instead (see {@link LAMBDA_RATE_LIMITS}).
 * - Visibility: each retry the SDK makes is told to `opts.debug` with the operation, the error, the
 *   attempt and the wait; every SDK error carries the call that failed (`AWS_CALL`), so an AccessDenied
 *   can name the IAM action even where the caller did not say which call it made.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import { AWS_CALL, type AwsCall } from '../errors.js';
import { serviceOfClient } from '../security/iam-actions.js';
import { redact } from '../security/redact.js';
import { VERSION } from '../version.js';

/** Attempts per call when the caller does not say; action.yml's `max-attempts` default is the same. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** What a caller may set on a client; everything else comes from the SDK's defaults. */
export interface ClientOptions {
  /** AWS region; undefined or '' uses the SDK's region chain. */
  region?: string | undefined;
  /** Endpoint URL that wins over `AWS_ENDPOINT_URL*`; undefined or '' leaves the SDK to decide. */
  endpoint?: string | undefined;
  /** Attempts per call, the first one included; defaults to {@link DEFAULT_MAX_ATTEMPTS}. */
  maxAttempts?: number | undefined;
  /**
   * Credentials to sign with; undefined uses the SDK's provider chain (environment, shared files,
   * web identity, container and instance metadata). For the local emulator any non-empty pair works.
   */
  credentials?: LambdaClientConfig['credentials'];
  /**
   * Calls in flight at once. The SDK's HTTP agent allows 50 sockets by default, which would quietly
   * cap a sweep's concurrency at 50; a larger number raises the agent's limit.
   */
  maxSockets?: number | undefined;
  /** Where retry lines go (`core.debug` in the action); silent when absent. */
  debug?: ((line: string) => void) | undefined;
  /**
   * Requests per second per Lambda rate bucket; defaults to {@link LAMBDA_RATE_LIMITS}. `false` turns the
   * limiter off (a test of something else against a local server).
   */
  lambdaRateLimits?: Partial<Record<RateBucket, number>> | false;
}

/** The user agent suffix every client sends. */
export const USER_AGENT = `lambda-cost-gate/${VERSION}`;

/** Settings shared by every client. Empty strings count as "not set", as action inputs arrive. */
function commonConfig(opts: ClientOptions) {
  return {
    retryMode: 'standard',
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    customUserAgent: USER_AGENT,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.maxSockets && opts.maxSockets > 50
      ? { requestHandler: { httpAgent: { maxSockets: opts.maxSockets } } }
      : {})
  };
}

/**
 * Builds a Lambda client.
 *
 * @example
 * ```ts
 * const lambda = createLambdaClient({ region: 'eu-west-1', maxAttempts: 5 });
 * await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'my-fn' }));
 * ```
 */
export function createLambdaClient(opts: ClientOptions = {}): LambdaClient {
  const client = new LambdaClient(commonConfig(opts));
  instrument(client.middlewareStack, opts);
  if (opts.lambdaRateLimits !== false) limitLambdaRate(client.middlewareStack, opts.lambdaRateLimits ?? {});
  return client;
}

/**
 * Builds a CloudWatch Logs client.
 *
 * @example
 * ```ts
 * const logs = createLogsClient({ endpoint: 'http://127.0.0.1:9001' });
 * ```
 */
export function createLogsClient(opts: ClientOptions = {}): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient(commonConfig(opts));
  instrument(client.middlewareStack, opts);
  return client;
}

/** Lambda's per-account, per-region request rates, by bucket. */
export type RateBucket = 'control-plane' | 'GetFunction' | 'GetPolicy';

/** Lambda's documented quotas: 15/s for the control plane, 100/s for GetFunction, 15/s for GetPolicy. */
export const LAMBDA_RATE_LIMITS: Readonly<Record<RateBucket, number>> = {
  'control-plane': 15,
  GetFunction: 100,
  GetPolicy: 15
};

/** Data-plane operations: no control-plane quota applies. */
const DATA_PLANE = new Set(['Invoke', 'InvokeAsync', 'InvokeWithResponseStream']);

/** The rate bucket of a Lambda operation, or undefined for the data plane. */
export function rateBucketOf(operation: string): RateBucket | undefined {
  if (DATA_PLANE.has(operation)) return undefined;
  return operation === 'GetFunction' || operation === 'GetPolicy' ? operation : 'control-plane';
}

/**
 * A token bucket whose tokens come back one window after they were taken: at most `limit` calls start in
 * any `windowMs`, in the order they asked. A strict bucket (rather than one refilled continuously with a
 * burst) because AWS counts the calls that arrive in a second, not an average.
 *
 * @example
 * ```ts
 * const limiter = new CallRateLimiter(15);
 * await limiter.acquire(); // resolves at once for the first 15 calls of a second, later for the rest
 * ```
 */
export class CallRateLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param limit - calls per window
   * @param windowMs - the window; a little over a second by default, so that network jitter cannot
   *   bunch calls that left a second apart into one second at AWS's end
   */
  constructor(
    readonly limit: number,
    readonly windowMs = 1_100,
    private readonly clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
    }
  ) {}

  /** Resolves when the caller may start its call. */
  acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = this.clock.now();
        while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
        if (this.starts.length < this.limit) {
          this.starts.push(now);
          return;
        }
        await this.clock.sleep(this.starts[0]! + this.windowMs - now);
      }
    });
    this.queue = turn;
    return turn;
  }
}

type Stack = MiddlewareStack<object, object>;
type Context = { clientName?: string; commandName?: string };
type Finalize = FinalizeRequestMiddleware<object, object>;

/**
 * Every attempt of a control-plane call (after the SDK's retry step, so retries count too) waits for a
 * token of its bucket; Invoke never waits.
 */
function limitLambdaRate(stack: LambdaClient['middlewareStack'], limits: Partial<Record<RateBucket, number>>): void {
  const limiters = new Map<RateBucket, CallRateLimiter>();
  const limiterOf = (bucket: RateBucket) => {
    let limiter = limiters.get(bucket);
    if (!limiter) {
      limiter = new CallRateLimiter(limits[bucket] ?? LAMBDA_RATE_LIMITS[bucket]);
      limiters.set(bucket, limiter);
    }
    return limiter;
  };
  const limit: Finalize = (next, context: Context) => async (args) => {
    const bucket = rateBucketOf(operationOf(context));
    if (bucket) await limiterOf(bucket).acquire();
    return next(args);
  };
  (stack as unknown as Stack).addRelativeTo(limit, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'lambdaCostGateRateLimit'
  });
}

/** Records the failed call on every SDK error, and tells `debug` about each retry. */
function instrument(
  stack: LambdaClient['middlewareStack'] | CloudWatchLogsClient['middlewareStack'],
  opts: ClientOptions
) {
  const generic = stack as unknown as Stack;
  generic.add(
    (next, context: Context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error !== null && typeof error === 'object' && !Object.hasOwn(error, AWS_CALL)) {
          Object.defineProperty(error, AWS_CALL, { value: callOf(context, args.input), enumerable: false });
        }
        throw error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'lambdaCostGateCallTag' }
  );
  const debug = opts.debug;
  if (!debug) return;
  const configured = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const retryLog: Finalize = (next, context: Context) => {
    // One closure per call: it sees each attempt, and the failure that led to it.
    let attempt = 0;
    let failure: { error: unknown; at: number } | undefined;
    return async (args) => {
      attempt += 1;
      if (failure) {
        const max = /max=(\d+)/.exec(headerOf(args, 'amz-sdk-request') ?? '')?.[1] ?? String(configured);
        debug(
          `retrying ${operationOf(context)} after ${describeError(failure.error)} ` +
            `(attempt ${attempt} of ${max}, waited ${Math.max(0, Date.now() - failure.at)} ms)`
        );
      }
      try {
        return await next(args);
      } catch (error) {
        failure = { error, at: Date.now() };
        throw error;
      }
    };
  };
  generic.addRelativeTo(retryLog, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'lambdaCostGateRetryLog'
  });
}

function operationOf(context: Context): string {
  return (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
}

/** The call as the error should remember it: service, operation, function or log group, qualifier. */
function callOf(context: Context, input: unknown): AwsCall {
  const fields = (input ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const first = (value: unknown) => (Array.isArray(value) ? text(value[0]) : undefined);
  const resource =
    text(fields.FunctionName) ??
    text(fields.logGroupName) ??
    text(fields.logGroupIdentifier) ??
    first(fields.logGroupNames) ??
    first(fields.logGroupIdentifiers);
  const qualifier = text(fields.Qualifier);
  return {
    service: serviceOfClient(context.clientName) ?? 'lambda',
    operation: operationOf(context),
    ...(resource ? { resource } : {}),
    ...(qualifier ? { qualifier } : {})
  };
}

function headerOf(args: { request?: unknown }, name: string): string | undefined {
  const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
  return headers?.[name];
}

/** An SDK error in one short line: its name, HTTP status and message, secrets masked. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return redact(String(error)).slice(0, 200);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = error.message && error.message !== error.name ? `: ${error.message}` : '';
  return redact(`${error.name}${status ? ` (HTTP ${status})` : ''}${message}`).slice(0, 200);
}
