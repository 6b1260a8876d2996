/**
 * Shared set-up for the fleet tests: an emulator holding modelled functions and seeded REPORT records,
 * the fleet's real SDK ports on clients built by the project's client factory, settings parsed from
 * input maps (as the action would read them), and a clock fixed to a known day.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createLambdaClient, createLogsClient } from '../../src/aws/clients.js';
import type { EmulatorConfigInput } from '../../src/emulator/config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { bulkLoadReports, type SeededFunction } from '../../src/emulator/logs/bulk-load.js';
import { createFleetLambdaPort, createInsightsPort } from '../../src/fleet/aws-ports.js';
import { realClock, type Clock } from '../../src/fleet/pace.js';
import type { RightSizeDeps } from '../../src/fleet/run.js';
import type { FleetFunction, FleetLambdaPort, InsightsPort, RightSizeSettings } from '../../src/fleet/types.js';
import { parseRightSizeInputs } from '../../src/inputs/right-size-inputs.js';

export const DAY = 86_400_000;
/** The analysis runs on 2026-03-15 at noon UTC: its 14-day window is 2026-03-01 to 2026-03-14. */
export const WINDOW_END = Date.UTC(2026, 2, 15);
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Real time (the emulator's queries run on it) shifted so that "now" is noon on WINDOW_END's day. */
export function fixedDayClock(): Clock {
  const shift = WINDOW_END + DAY / 2 - Date.now();
  return { now: () => Date.now() + shift, sleep: realClock.sleep };
}

/** Settings as the action would parse them from these inputs (everything else empty). */
export function settingsFrom(inputs: Record<string, string>): RightSizeSettings {
  return parseRightSizeInputs((name) => inputs[name] ?? '');
}

export interface FleetTestBed {
  emulator: RunningEmulator;
  lambdaClient: LambdaClient;
  logsClient: CloudWatchLogsClient;
  lambda: FleetLambdaPort;
  insights: InsightsPort;
  /** Deps for runRightSize: the real ports, fast polling, the fixed-day clock. */
  deps: (extra?: Partial<RightSizeDeps>) => RightSizeDeps;
  close: () => Promise<void>;
}

/** Starts an emulator with `config` and seeds 14 days of records ending at WINDOW_END. */
export async function startFleetTestBed(
  config: EmulatorConfigInput,
  seeded: SeededFunction[],
  days = 14
): Promise<FleetTestBed> {
  const emulator = await startEmulator({ config: { updateDelayMs: 0, ...config } });
  bulkLoadReports(emulator.logs, { functions: seeded, days, endAt: WINDOW_END });
  const options = { endpoint: emulator.endpoint, region: emulator.region, credentials: CREDENTIALS, maxAttempts: 1 };
  const lambdaClient = createLambdaClient(options);
  const logsClient = createLogsClient(options);
  const lambda = createFleetLambdaPort(lambdaClient, { waitMaxSeconds: 10 });
  const insights = createInsightsPort(logsClient);
  return {
    emulator,
    lambdaClient,
    logsClient,
    lambda,
    insights,
    deps: (extra = {}) => ({
      lambda,
      insights,
      region: emulator.region,
      clock: fixedDayClock(),
      poll: { minDelayMs: 5, maxDelayMs: 20 },
      ...extra
    }),
    close: async () => {
      lambdaClient.destroy();
      logsClient.destroy();
      await emulator.close();
    }
  };
}

/** A FleetFunction for unit tests of the pure parts. */
export function fleetFunction(overrides: Partial<FleetFunction> = {}): FleetFunction {
  const name = overrides.name ?? 'orders';
  return {
    name,
    arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryMb: 1024,
    architecture: 'x86_64',
    timeoutSec: 30,
    logGroup: `/aws/lambda/${name}`,
    logFormat: 'Text',
    revisionId: 'rev-1',
    ...overrides
  };
}

/** A clock whose sleeps advance it at once, recording each one. */
export function fakeClock(start = 0): Clock & { sleeps: number[]; time: () => number } {
  let time = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    time: () => time,
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    }
  };
}
