/**
 * The emulator's admin API under `/__admin/`: health, a snapshot of every function's state (what
 * tests assert after a run: nothing left behind), the request log (which AWS calls a run made, to
 * compare with an IAM policy), fault rules and control-plane timing.
 */
import { AwsError } from './http/aws-error.js';
import { parseJsonBody, type AnsweredOperation, type EmulatorRequest, type Route, type Router } from './http/server.js';
import { faultRulesSchema, type Faults } from './faults.js';
import type { Invoker } from './lambda/invoke.js';
import type { FunctionStore } from './lambda/store.js';
import { parseFunctionName } from './lambda/validation.js';
import type { CpuMechanism, MemoryMechanism } from './runtime/types.js';

export interface AdminOptions {
  store: FunctionStore;
  faults: Faults;
  invoker: Invoker;
  mechanisms: () => { cpu: CpuMechanism; memory: MemoryMechanism };
  requests: RequestLog;
}

/** One AWS API call the emulator answered. */
export interface RequestLogEntry {
  service: 'lambda' | 'logs';
  /** The API operation: GetFunction, Invoke, DeleteFunction, StartQuery, … */
  operation: string;
  /** The function's plain name, or the (first) log group named in a Logs request; absent when there is none. */
  resource?: string;
  /** The qualifier the call addressed (`?Qualifier=` or the `name:qualifier` / ARN form). */
  qualifier?: string;
  /** The HTTP status the caller got (injected faults included), or `dropped` for a dropped connection. */
  status: number | 'dropped';
  /** PublishVersion (and a publishing CreateFunction or UpdateFunctionCode): the version Lambda answered with. */
  version?: string;
}

/** Operations whose answer may be a newly published version. */
const PUBLISHING = new Set(['PublishVersion', 'CreateFunction', 'UpdateFunctionCode']);

/** Calls kept at most; the oldest go first, and `dropped` counts them (a long benchmark must not grow forever). */
export const DEFAULT_REQUEST_LOG_LIMIT = 200_000;

/**
 * The ordered log of AWS calls, fed by the HTTP server once each call is answered. Admin calls and the
 * code download (a presigned S3 URL on Lambda, which needs no IAM permission) are not AWS API calls and
 * are left out.
 *
 * @example
 * ```ts
 * const log = new RequestLog();
 * listen({ routers, onAnswered: (answered) => log.record(answered) });
 * log.entries(); // [{ service: 'lambda', operation: 'GetFunction', resource: 'orders', status: 200 }, …]
 * ```
 */
export class RequestLog {
  private readonly kept: RequestLogEntry[] = [];
  /** Entries that fell off the front because the log was full. */
  dropped = 0;

  constructor(private readonly limit = DEFAULT_REQUEST_LOG_LIMIT) {}

  record({ route, request, status, body }: AnsweredOperation): void {
    if (route.protocol === 'admin' || route.operation === 'GetCode') return;
    const entry: RequestLogEntry =
      route.protocol === 'json-1.1'
        ? { service: 'logs', operation: route.operation, ...logGroupOf(request), status }
        : { service: 'lambda', operation: route.operation, ...functionOf(route, request), status };
    const version = PUBLISHING.has(route.operation) ? (body as { Version?: unknown } | undefined)?.Version : undefined;
    if (typeof version === 'string' && version !== '$LATEST') entry.version = version;
    this.kept.push(entry);
    if (this.kept.length > this.limit) {
      // A tenth at a time: shifting one entry per call would copy the whole array on every call.
      const excess = this.kept.length - Math.floor(this.limit * 0.9);
      this.kept.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** A copy of the entries, oldest first. */
  entries(): RequestLogEntry[] {
    return this.kept.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.kept.length = 0;
    this.dropped = 0;
  }
}

/** The function a Lambda call is about, and its qualifier from the query or from the name in the path. */
function functionOf(route: Route, request: EmulatorRequest): { resource?: string; qualifier?: string } {
  const raw = /^\/[0-9-]+\/(?:functions|tags)\/([^/]+)/.exec(request.path)?.[1];
  let fromPath: string | undefined;
  try {
    fromPath = raw === undefined ? undefined : parseFunctionName(raw).qualifier;
  } catch {
    // A malformed name was refused with a 400; the entry still says which call it was.
  }
  const qualifier = request.query.get('Qualifier') ?? fromPath;
  // CreateFunction names its function in the body, not in the path.
  const resource =
    route.resource ?? (route.operation === 'CreateFunction' ? bodyField(request, 'FunctionName') : undefined);
  return { ...(resource ? { resource } : {}), ...(qualifier ? { qualifier } : {}) };
}

function bodyField(request: EmulatorRequest, field: string): string | undefined {
  try {
    const value = parseJsonBody(request, 'rest-json')[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The log group a Logs call names (by name, identifier or the first of a list); none for query-id calls. */
function logGroupOf(request: EmulatorRequest): { resource?: string } {
  let body: Record<string, unknown>;
  try {
    body = parseJsonBody(request, 'json-1.1');
  } catch {
    return {};
  }
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const group = [body.logGroupName, body.logGroupIdentifier, body.logGroupNames, body.logGroupIdentifiers]
    .map(first)
    .find((value): value is string => typeof value === 'string' && value !== '');
  return group ? { resource: group } : {};
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
  const { store, faults, invoker, requests } = options;
  const routes: Record<string, (request: EmulatorRequest) => unknown> = {
    'GET /__admin/health': () => ({ status: 'ok', mechanisms: options.mechanisms() }),
    'GET /__admin/state': () => ({ functions: snapshotFunctions(store), inflight: invoker.inflight() }),
    'GET /__admin/requests': () => ({ requests: requests.entries(), dropped: requests.dropped }),
    'DELETE /__admin/requests': () => {
      requests.clear();
      return { requests: [] };
    },
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
