/**
 * The emulator's admin API under `/__admin/`: health, a snapshot of every function's state (what
 * tests assert after a run: nothing left behind), fault rules and control-plane timing.
 */
import { AwsError } from './http/aws-error.js';
import { parseJsonBody, type EmulatorRequest, type Route, type Router } from './http/server.js';
import { faultRulesSchema, type Faults } from './faults.js';
import type { Invoker } from './lambda/invoke.js';
import type { FunctionStore } from './lambda/store.js';
import type { CpuMechanism, MemoryMechanism } from './runtime/types.js';

export interface AdminOptions {
  store: FunctionStore;
  faults: Faults;
  invoker: Invoker;
  mechanisms: () => { cpu: CpuMechanism; memory: MemoryMechanism };
}

/** What `/__admin/state` returns for one function. */
export interface FunctionSnapshot {
  name: string;
  memorySize: number;
  description: string;
  codeSha256: string;
  revisionId: string;
  state: string;
  lastUpdateStatus: string;
  environment: Record<string, string>;
  architecture: string;
  versions: Array<{ version: string; memorySize: number; description: string; codeSha256: string }>;
  aliases: Array<{ name: string; functionVersion: string }>;
  tags: Record<string, string>;
  reservedConcurrency?: number;
}

/** A snapshot of every function, sorted by name. */
export function snapshotFunctions(store: FunctionStore): FunctionSnapshot[] {
  return store
    .list()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((fn) => ({
      name: fn.name,
      memorySize: fn.latest.settings.memorySize,
      description: fn.latest.settings.description,
      codeSha256: fn.latest.code.sha256,
      revisionId: fn.latest.revisionId,
      state: fn.latest.state,
      lastUpdateStatus: fn.latest.lastUpdateStatus,
      environment: fn.latest.settings.environment,
      architecture: fn.latest.settings.architecture,
      versions: [...fn.versions.values()].map((v) => ({
        version: v.version,
        memorySize: v.settings.memorySize,
        description: v.settings.description,
        codeSha256: v.code.sha256
      })),
      aliases: [...fn.aliases.values()].map((a) => ({ name: a.name, functionVersion: a.functionVersion })),
      tags: { ...fn.tags },
      ...(fn.reservedConcurrency !== undefined ? { reservedConcurrency: fn.reservedConcurrency } : {})
    }));
}

export function createAdminRouter(options: AdminOptions): Router {
  const { store, faults, invoker } = options;
  const routes: Record<string, (request: EmulatorRequest) => unknown> = {
    'GET /__admin/health': () => ({ status: 'ok', mechanisms: options.mechanisms() }),
    'GET /__admin/state': () => ({ functions: snapshotFunctions(store), inflight: invoker.inflight() }),
    'GET /__admin/faults': () => ({ rules: faults.list() }),
    'PUT /__admin/faults': (request) => {
      const body = parseJsonBody(request, 'admin');
      const parsed = faultRulesSchema.safeParse(body.rules);
      if (!parsed.success) {
        throw new AwsError('InvalidParameterValueException', `Invalid fault rules: ${parsed.error.message}`, 400);
      }
      faults.replace(parsed.data);
      return { rules: faults.list() };
    },
    'DELETE /__admin/faults': () => {
      faults.replace([]);
      return { rules: [] };
    },
    'GET /__admin/control-plane': () => ({ updateDelayMs: faults.getUpdateDelay() }),
    'PUT /__admin/control-plane': (request) => {
      const delay = parseJsonBody(request, 'admin').updateDelayMs;
      if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 600_000) {
        throw new AwsError(
          'InvalidParameterValueException',
          'updateDelayMs must be a whole number of ms from 0 to 600000',
          400
        );
      }
      faults.setUpdateDelay(delay);
      return { updateDelayMs: delay };
    }
  };
  return (request: EmulatorRequest): Route | undefined => {
    if (!request.path.startsWith('/__admin/')) return undefined;
    const handler = routes[`${request.method} ${request.path.replace(/\/$/, '')}`];
    if (!handler) return undefined;
    return { operation: 'Admin', protocol: 'admin', handle: async () => ({ status: 200, body: handler(request) }) };
  };
}
