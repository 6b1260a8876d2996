/**
 * The AWS clients of a gate run, one set per region (a config file may list functions of several regions
 * by ARN), all from the one client factory, and closed together at the end.
 */
import { createLambdaClient, createLogsClient } from '../aws/clients.js';
import { createLogsPort } from '../aws/logs-port.js';
import { createTrafficPort } from '../aws/traffic.js';
import { createLambdaPort } from '../deploy/lambda-adapter.js';
import type { AwsPorts } from './run-gate.js';

export interface AwsSettings {
  endpointUrl?: string;
  region?: string;
  maxAttempts: number;
  /** Invocations in flight at most, so the HTTP agent keeps enough sockets. */
  maxSockets?: number;
  log?: (line: string) => void;
}

/**
 * @example
 * ```ts
 * const aws = createAwsPorts({ maxAttempts: 3 });
 * try { await aws.portsFor('eu-west-1').lambda.getFunction('orders'); } finally { aws.close(); }
 * ```
 */
export function createAwsPorts(settings: AwsSettings): { portsFor: (region?: string) => AwsPorts; close: () => void } {
  const byRegion = new Map<string, AwsPorts & { close: () => void }>();
  return {
    portsFor(region) {
      const resolved = region ?? settings.region;
      const key = resolved ?? '';
      let ports = byRegion.get(key);
      if (!ports) {
        const options = {
          ...(resolved ? { region: resolved } : {}),
          ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
          maxAttempts: settings.maxAttempts,
          ...(settings.maxSockets ? { maxSockets: settings.maxSockets } : {}),
          // Each SDK retry becomes a debug line.
          ...(settings.log ? { debug: settings.log } : {})
        };
        const lambdaClient = createLambdaClient(options);
        const logsClient = createLogsClient(options);
        ports = {
          lambda: createLambdaPort(lambdaClient, settings.log ? { log: settings.log } : {}),
          logs: createLogsPort(logsClient),
          traffic: createTrafficPort(logsClient),
          close: () => {
            lambdaClient.destroy();
            logsClient.destroy();
          }
        };
        byRegion.set(key, ports);
      }
      return ports;
    },
    close() {
      for (const ports of byRegion.values()) ports.close();
      byRegion.clear();
    }
  };
}
