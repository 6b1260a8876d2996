/**
 * Starts the whole emulator: Lambda, CloudWatch Logs and the admin API on one loopback port.
 * Used by `lambda-cost-gate emulator`, the demo, the tests and the benchmarks.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAdminRouter,
  RequestLog,
  snapshotFunctions,
  type FunctionSnapshot,
  type RequestLogEntry
} from './admin.js';
import {
  parseEmulatorConfig,
  type EmulatorConfig,
  type EmulatorConfigInput,
  type EmulatorFunctionConfig
} from './config.js';
import { combineExecutors } from './executor.js';
import { Faults } from './faults.js';
import { listen } from './http/server.js';
import { zipDirectory } from '../deploy/zip.js';
import { CodeRepository, zipModel } from './lambda/code.js';
import { Invoker } from './lambda/invoke.js';
import { createLambdaRouter } from './lambda/routes.js';
import { defaultLogGroup } from './lambda/settings.js';
import { FunctionStore } from './lambda/store.js';
import { createLogsRouter } from './logs/api.js';
import { LogStore } from './logs/store.js';
import { createProcessExecutor } from './runtime/process-executor.js';
import type { CpuMechanism, Executor, MemoryMechanism } from './runtime/types.js';

export type { RequestLogEntry } from './admin.js';

export interface StartEmulatorOptions {
  /** A parsed config, or the raw object a config file would hold. */
  config?: EmulatorConfigInput;
  /** Overrides `config.port`; 0 picks a free port. */
  port?: number;
  /** Replaces the real executors (tests of the control plane alone). */
  executor?: Executor;
  /** Where diagnostics go; silent by default. */
  log?: (message: string) => void;
  /** Most AWS calls the request log keeps (the oldest go first); default 200,000. */
  requestLogLimit?: number;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: what `AWS_ENDPOINT_URL` should be. */
  endpoint: string;
  port: number;
  region: string;
  config: EmulatorConfig;
  mechanisms: { cpu: CpuMechanism; memory: MemoryMechanism };
  faults: Faults;
  logs: LogStore;
  /** Every function's state: what a test checks after a run. */
  state(): FunctionSnapshot[];
  /**
   * Every AWS call answered so far, oldest first: what a test compares with an IAM policy. Also at
   * `GET /__admin/requests` (and cleared by `DELETE`).
   */
  requests(): RequestLogEntry[];
  /** Stops the listener and every execution environment. */
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const config = parseEmulatorConfig(options.config ?? {});
  const log = options.log ?? (() => undefined);
  const workDir = mkdtempSync(join(tmpdir(), 'lambda-cost-gate-emulator-'));
  const executor = options.executor ?? combineExecutors(await createProcessExecutor({ log }));
  const faults = new Faults(config.faults, config.updateDelayMs, config.seed);
  const logs = new LogStore({ region: config.region });
  const requests = new RequestLog(options.requestLogLimit);
  const store = new FunctionStore(config.region, config.accountId, faults, (prefix) => {
    executor
      .retire(prefix)
      .catch((error: unknown) => log(`Could not stop environments of ${prefix}: ${String(error)}`));
  });
  const code = new CodeRepository(join(workDir, 'code'), config.s3Dir);
  const invoker = new Invoker({
    store,
    executor,
    logs,
    accountConcurrency: config.accountConcurrency,
    seed: config.seed
  });
  for (const fn of config.functions) createConfiguredFunction(store, code, fn, config.accountId);

  const server = await listen(
    {
      routers: [
        createAdminRouter({ store, faults, invoker, requests, mechanisms: () => executor.mechanisms() }),
        createLambdaRouter({ store, code, invoker, memoryQuotaMb: config.memoryQuotaMb }),
        createLogsRouter(logs, {
          queryLatencyMs: config.queryLatencyMs,
          maxConcurrentQueries: config.maxConcurrentQueries
        })
      ],
      beforeOperation: (route, request) => faults.beforeOperation(route, request),
      onAnswered: (answered) => requests.record(answered),
      onError: (error) =>
        log(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    },
    options.port ?? config.port,
    config.host
  );

  return {
    endpoint: server.endpoint,
    port: server.port,
    region: config.region,
    config,
    mechanisms: executor.mechanisms(),
    faults,
    logs,
    state: () => snapshotFunctions(store),
    requests: () => requests.entries(),
    close: async () => {
      await server.close();
      await invoker.drain();
      await executor.close();
      code.dispose();
    }
  };
}

/** Functions from the config file exist and are Active from the start. */
function createConfiguredFunction(
  store: FunctionStore,
  code: CodeRepository,
  fn: EmulatorFunctionConfig,
  accountId: string
): void {
  const zip = fn.model ? zipModel(fn.model) : readCode(fn.code ?? '');
  const stored = code.store({ zipFile: zip });
  const record = store.create(
    fn.name,
    {
      runtime: fn.runtime,
      role: `arn:aws:iam::${accountId}:role/lambda-cost-gate-emulator`,
      handler: fn.handler,
      description: fn.description,
      timeout: fn.timeout,
      memorySize: fn.memorySize,
      environment: fn.environment,
      architecture: fn.architecture,
      ephemeralStorage: 512,
      logFormat: fn.logFormat,
      logGroup: defaultLogGroup(fn.name),
      layers: [],
      tracingMode: 'PassThrough'
    },
    stored,
    fn.tags
  );
  record.latest.state = 'Active';
  record.latest.settlesAt = 0;
  if (fn.reservedConcurrency !== undefined) record.reservedConcurrency = fn.reservedConcurrency;
}

function readCode(path: string): Buffer {
  return statSync(path).isDirectory() ? Buffer.from(zipDirectory(path)) : readFileSync(path);
}
