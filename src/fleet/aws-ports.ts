/**
 * The fleet's ports over the AWS SDK v3 clients: the only fleet file that imports the SDK. SDK
 * exceptions the core reacts to become the typed errors of errors.ts; every other failure is an
 * {@link AwsCallError} that says what was being done and which permission it needs.
 */
import {
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  LimitExceededException,
  ResourceNotFoundException as LogsNotFound,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  PreconditionFailedException,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import { createLambdaClient, createLogsClient } from '../aws/clients.js';
import { AwsCallError, LambdaCostGateError } from '../errors.js';
import { LogGroupNotFoundError, QueryLimitError, RevisionChangedError } from './errors.js';
import type { FleetFunction, FleetLambdaPort, InsightsPort } from './types.js';

/**
 * A function's configuration as the fleet uses it.
 *
 * @example
 * ```ts
 * toFleetFunction({ FunctionName: 'orders', MemorySize: 1024, Architectures: ['arm64'], … })
 * // { name: 'orders', memoryMb: 1024, architecture: 'arm64', logGroup: '/aws/lambda/orders', logFormat: 'Text', … }
 * ```
 */
export function toFleetFunction(c: FunctionConfiguration): FleetFunction {
  const name = c.FunctionName ?? '';
  return {
    name,
    // Without a qualifier: the tagging API takes the unqualified ARN only.
    arn: (c.FunctionArn ?? '').replace(/(:function:[^:]+):[^:]+$/, '$1'),
    memoryMb: c.MemorySize ?? 128,
    architecture: c.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    timeoutSec: c.Timeout ?? 3,
    logGroup: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    logFormat: c.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    revisionId: c.RevisionId ?? ''
  };
}

/**
 * @example
 * ```ts
 * const lambda = createFleetLambdaPort(createLambdaClient({ region: 'eu-west-1' }));
 * const page = await lambda.listFunctions(undefined);
 * ```
 */
export function createFleetLambdaPort(
  client: LambdaClient,
  options: { waitMaxSeconds?: number } = {}
): FleetLambdaPort {
  const waitSeconds = Math.max(2, options.waitMaxSeconds ?? 300);
  const read = async (name: string): Promise<FleetFunction | undefined> => {
    try {
      return toFleetFunction(await client.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw new AwsCallError(`read the configuration of function ${name} (lambda:GetFunctionConfiguration)`, error);
    }
  };
  return {
    async listFunctions(marker) {
      try {
        const page = await client.send(
          new ListFunctionsCommand({ MaxItems: 50, ...(marker ? { Marker: marker } : {}) })
        );
        return {
          functions: (page.Functions ?? []).map(toFleetFunction),
          ...(page.NextMarker ? { nextMarker: page.NextMarker } : {})
        };
      } catch (error) {
        throw new AwsCallError('list the functions of the region (lambda:ListFunctions)', error);
      }
    },
    getFunction: read,
    async listTags(arn) {
      try {
        return (await client.send(new ListTagsCommand({ Resource: arn }))).Tags ?? {};
      } catch (error) {
        throw new AwsCallError(`read the tags of ${arn} (lambda:ListTags)`, error);
      }
    },
    async updateMemory(name, memoryMb, revisionId) {
      const doing = `set the memory of function ${name} to ${memoryMb} MB (lambda:UpdateFunctionConfiguration)`;
      try {
        await client.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: memoryMb, RevisionId: revisionId })
        );
      } catch (error) {
        if (error instanceof PreconditionFailedException) {
          throw new RevisionChangedError(`Function ${name} changed since it was read`, { cause: error });
        }
        throw new AwsCallError(doing, error);
      }
      try {
        await waitUntilFunctionUpdatedV2(
          { client, minDelay: 1, maxDelay: Math.min(5, waitSeconds), maxWaitTime: waitSeconds },
          { FunctionName: name }
        );
      } catch {
        // The waiter's verdict (timeout, Failed) is judged from the final read below, with Lambda's reason.
      }
      let config: FunctionConfiguration;
      try {
        config = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      } catch (error) {
        throw new AwsCallError(doing, error);
      }
      if (config.LastUpdateStatus === 'Failed') {
        throw new AwsCallError(doing, new LambdaCostGateError(config.LastUpdateStatusReason ?? 'the update failed'));
      }
      if (config.LastUpdateStatus === 'InProgress') {
        throw new AwsCallError(
          doing,
          new LambdaCostGateError(`the update was still in progress after ${waitSeconds} s`)
        );
      }
      return toFleetFunction(config);
    }
  };
}

/**
 * @example
 * ```ts
 * const insights = createInsightsPort(createLogsClient({ region: 'eu-west-1' }));
 * const id = await insights.startQuery({ logGroupNames, startTimeSec, endTimeSec, queryString, limit: 10_000 });
 * ```
 */
export function createInsightsPort(client: CloudWatchLogsClient): InsightsPort {
  return {
    async startQuery(input) {
      const groups =
        input.logGroupNames.length === 1 ? input.logGroupNames[0] : `${input.logGroupNames.length} log groups`;
      try {
        const { queryId } = await client.send(
          new StartQueryCommand({
            logGroupNames: input.logGroupNames,
            startTime: input.startTimeSec,
            endTime: input.endTimeSec,
            queryString: input.queryString,
            limit: input.limit
          })
        );
        if (!queryId) throw new LambdaCostGateError('StartQuery returned no query id');
        return queryId;
      } catch (error) {
        if (error instanceof LogsNotFound)
          throw new LogGroupNotFoundError(`A log group of ${groups} does not exist`, { cause: error });
        if (error instanceof LimitExceededException) {
          throw new QueryLimitError('The account has no Logs Insights query to spare', { cause: error });
        }
        throw new AwsCallError(`query ${groups} with CloudWatch Logs Insights (logs:StartQuery)`, error);
      }
    },
    async getQueryResults(queryId) {
      try {
        const response = await client.send(new GetQueryResultsCommand({ queryId }));
        return {
          status: response.status ?? 'Unknown',
          results: (response.results ?? []).map((row) =>
            row.map((cell) => ({ field: cell.field ?? '', value: cell.value ?? '' }))
          )
        };
      } catch (error) {
        throw new AwsCallError(`read the results of Insights query ${queryId} (logs:GetQueryResults)`, error);
      }
    },
    async stopQuery(queryId) {
      try {
        await client.send(new StopQueryCommand({ queryId }));
      } catch (error) {
        throw new AwsCallError(`stop Insights query ${queryId} (logs:StopQuery)`, error);
      }
    },
    async existingLogGroups(names) {
      try {
        const { logGroups } = await client.send(
          new DescribeLogGroupsCommand({ logGroupIdentifiers: names, limit: 50 })
        );
        return new Set((logGroups ?? []).map((group) => group.logGroupName ?? ''));
      } catch {
        // Without logs:DescribeLogGroups the batch is split to find the missing group instead: slower, not wrong.
        return undefined;
      }
    }
  };
}

/** The clients a right-size run needs, built the same way by the CLI and the action. */
export interface FleetClients {
  lambdaClient: LambdaClient;
  logsClient: CloudWatchLogsClient;
  close: () => void;
}

/**
 * @example
 * ```ts
 * const clients = createFleetClients({ region: 'eu-west-1', maxAttempts: 3 }, 10);
 * try { … } finally { clients.close(); }
 * ```
 */
export function createFleetClients(
  aws: { region?: string; endpointUrl?: string; maxAttempts: number },
  maxConcurrentQueries: number,
  debug?: (line: string) => void
): FleetClients {
  const options = {
    ...(aws.region ? { region: aws.region } : {}),
    ...(aws.endpointUrl ? { endpoint: aws.endpointUrl } : {}),
    maxAttempts: aws.maxAttempts,
    // Every query in flight polls, and selection pages through functions alongside.
    maxSockets: Math.max(50, maxConcurrentQueries * 2),
    ...(debug ? { debug } : {})
  };
  const lambdaClient = createLambdaClient(options);
  const logsClient = createLogsClient(options);
  return {
    lambdaClient,
    logsClient,
    close: () => {
      lambdaClient.destroy();
      logsClient.destroy();
    }
  };
}
