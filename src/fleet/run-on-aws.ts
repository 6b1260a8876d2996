/**
 * A right-size run against AWS, as the CLI and the action both start it: the clients built in one place,
 * the ports over them, the region from the inputs or the SDK's chain, and the clients closed afterwards.
 */
import { readFileSync } from 'node:fs';
import type { RightSizeSettings } from './types.js';
import { createFleetClients, createFleetLambdaPort, createInsightsPort } from './aws-ports.js';
import { runRightSize, type RightSizeResult } from './run.js';

/**
 * @example
 * ```ts
 * const result = await runRightSizeOnAws(settings, { region: 'eu-west-1', maxAttempts: 3 }, { log: console.error });
 * ```
 */
export async function runRightSizeOnAws(
  settings: RightSizeSettings,
  aws: { region?: string; endpointUrl?: string; maxAttempts: number },
  options: { log: (line: string) => void; signal?: AbortSignal; debug?: (line: string) => void }
): Promise<RightSizeResult> {
  const { lambdaClient, logsClient, close } = createFleetClients(aws, settings.maxConcurrentQueries, options.debug);
  try {
    return await runRightSize(settings, {
      lambda: createFleetLambdaPort(lambdaClient),
      insights: createInsightsPort(logsClient),
      region: aws.region ?? (await lambdaClient.config.region()),
      readFile: (path) => readFileSync(path, 'utf8'),
      log: options.log,
      ...(options.signal ? { signal: options.signal } : {})
    });
  } finally {
    close();
  }
}
