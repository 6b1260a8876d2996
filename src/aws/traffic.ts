/**
 * How often a function really runs: its production invocations over a look-back window, counted by
 * CloudWatch Logs Insights from the REPORT records (one per invocation), so the counting runs in AWS.
 * Lambda's REPORT is the one record every invocation writes, in the text and the JSON log formats.
 */
import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsCallError, LambdaCostGateError } from '../errors.js';

/** Counts a function's invocations in a window. */
export interface TrafficPort {
  countInvocations(logGroup: string, startMs: number, endMs: number, signal?: AbortSignal): Promise<number>;
}

/** An Insights query that ended without a count. */
export class TrafficQueryError extends LambdaCostGateError {}

// Insights types a text REPORT line as @type REPORT; a function logging in the JSON format writes a
// platform.report record instead, whose own `type` field Insights discovers. One record per invocation either way.
const QUERY = 'filter @type = "REPORT" or type = "platform.report" | stats count(*) as invocations';

export interface TrafficPortOptions {
  /** First wait between polls, doubled up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Gives up (and stops the query) after this long. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * @example
 * ```ts
 * const traffic = createTrafficPort(logsClient);
 * await traffic.countInvocations('/aws/lambda/orders', Date.now() - 14 * 86_400_000, Date.now()); // 1834221
 * ```
 */
export function createTrafficPort(client: CloudWatchLogsClient, options: TrafficPortOptions = {}): TrafficPort {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const timeout = options.timeoutMs ?? 120_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async countInvocations(logGroup, startMs, endMs, signal) {
      const doing = `count the invocations in log group ${logGroup} with CloudWatch Logs Insights (logs:StartQuery)`;
      let queryId: string | undefined;
      try {
        queryId = (
          await client.send(
            new StartQueryCommand({
              logGroupName: logGroup,
              // Insights takes seconds.
              startTime: Math.floor(startMs / 1000),
              endTime: Math.ceil(endMs / 1000),
              queryString: QUERY
            })
          )
        ).queryId;
      } catch (error) {
        throw new AwsCallError(doing, error);
      }
      if (!queryId) throw new TrafficQueryError(`Could not ${doing}: StartQuery returned no query id`);
      const deadline = Date.now() + timeout;
      // Insights has no SDK waiter: poll with a doubling delay, and stop the query when giving up.
      for (let delay = minDelay; ; delay = Math.min(delay * 2, maxDelay)) {
        if (signal?.aborted || Date.now() > deadline) {
          await client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
          throw new TrafficQueryError(
            `Could not ${doing}: ${signal?.aborted ? 'the run was cancelled' : `no result after ${timeout / 1000} s`}`
          );
        }
        await sleep(delay);
        let response;
        try {
          response = await client.send(new GetQueryResultsCommand({ queryId }));
        } catch (error) {
          throw new AwsCallError(`read the results of Insights query ${queryId} (logs:GetQueryResults)`, error);
        }
        if (response.status === 'Complete') {
          const cell = response.results?.[0]?.find((field) => field.field === 'invocations');
          // No REPORT in the window gives no row at all.
          return cell?.value === undefined ? 0 : Number(cell.value);
        }
        if (response.status && !['Running', 'Scheduled'].includes(response.status)) {
          throw new TrafficQueryError(`Could not ${doing}: the query ended ${response.status}`);
        }
      }
    }
  };
}
