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
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
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
  return new LambdaClient(commonConfig(opts));
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
  return new CloudWatchLogsClient(commonConfig(opts));
}
