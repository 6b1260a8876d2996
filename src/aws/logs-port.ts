/**
 * The CloudWatch Logs side of a sweep: finds the REPORT record of one request when the Invoke
 * tail (the last 4 KB of the log) did not hold it, e.g. after a chatty function.
 */
import {
  FilterLogEventsCommand,
  ResourceNotFoundException,
  type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs';
import { parseReportLine } from '../analyze/report-line.js';
import { AwsCallError } from '../errors.js';
import type { LogsPort } from '../sweep/types.js';

/** Pages read per lookup at most: a request's lines are found in the first page or two. */
const MAX_PAGES = 5;

export function createLogsPort(client: CloudWatchLogsClient): LogsPort {
  return {
    async findReportLine(logGroup, requestId, sinceEpochMs) {
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        let response;
        try {
          response = await client.send(
            new FilterLogEventsCommand({
              logGroupName: logGroup,
              // A quoted term matches the id in text REPORT lines and in JSON platform.report records.
              filterPattern: `"${requestId}"`,
              startTime: sinceEpochMs,
              ...(nextToken ? { nextToken } : {})
            })
          );
        } catch (error) {
          // The group appears with the first log line; until then there is nothing to find.
          if (error instanceof ResourceNotFoundException) return undefined;
          throw new AwsCallError(`search log group ${logGroup} for the REPORT of request ${requestId}`, error);
        }
        const match = response.events?.find((event) => parseReportLine(event.message ?? '')?.requestId === requestId);
        if (match?.message) return match.message;
        nextToken = response.nextToken;
        if (!nextToken) return undefined;
      }
      return undefined;
    }
  };
}
