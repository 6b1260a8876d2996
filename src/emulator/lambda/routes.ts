/**
 * Lambda's REST-JSON API (`/2015-03-31/functions/…` and friends) on top of the function store,
 * in the shapes the SDK v3 client and the AWS CLI expect.
 */
import type { FaultRoute } from '../faults.js';
import { AwsError, invalidParameter } from '../http/aws-error.js';
import { parseJsonBody, type EmulatorRequest, type EmulatorResponse, type Route, type Router } from '../http/server.js';
import { hexOf, type CodeRepository } from './code.js';
import type { Invoker } from './invoke.js';
import { renderAlias, renderConfiguration, type FunctionRecord } from './records.js';
import { changedSettings, newSettings } from './settings.js';
import type { FunctionStore } from './store.js';
import {
  aliasSchema,
  concurrencySchema,
  createFunctionSchema,
  parseFunctionName,
  publishVersionSchema,
  tagsSchema,
  updateCodeSchema,
  updateConfigurationSchema,
  validate
} from './validation.js';

export interface LambdaApiOptions {
  store: FunctionStore;
  code: CodeRepository;
  invoker: Invoker;
  /** The largest memory size the (emulated) account may use. */
  memoryQuotaMb: number;
}

type Handler = (request: EmulatorRequest, params: string[]) => Promise<EmulatorResponse> | EmulatorResponse;

interface Operation {
  method: string;
  pattern: RegExp;
  name: string;
  handler: Handler;
}

const ok = (body: unknown, status = 200): EmulatorResponse => ({ status, body });

export function createLambdaRouter(options: LambdaApiOptions): Router {
  const { store, code, invoker, memoryQuotaMb } = options;

  /** FunctionName may be a name or an ARN, with a qualifier in the ARN or in `?Qualifier=`. */
  const target = (request: EmulatorRequest, raw: string): { fn: FunctionRecord; qualifier?: string } => {
    const parsed = parseFunctionName(raw);
    const queryQualifier = request.query.get('Qualifier') ?? undefined;
    if (parsed.qualifier && queryQualifier && parsed.qualifier !== queryQualifier) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    const qualifier = queryQualifier ?? parsed.qualifier;
    return { fn: store.get(parsed.name), ...(qualifier ? { qualifier } : {}) };
  };
  const configuration = (request: EmulatorRequest, raw: string): Record<string, unknown> => {
    const { fn, qualifier } = target(request, raw);
    return renderConfiguration(fn, store.resolve(fn, qualifier));
  };

  const operations: Operation[] = [
    op('POST', /^\/2015-03-31\/functions\/?$/, 'CreateFunction', (request) => {
      const input = validate(createFunctionSchema, parseJsonBody(request, 'rest-json'));
      if (input.PackageType === 'Image' || input.Code.ImageUri !== undefined) {
        throw invalidParameter(
          'Container images (PackageType Image) are not supported by the lambda-cost-gate emulator: use a .zip package.'
        );
      }
      const settings = newSettings(input, memoryQuotaMb);
      const stored = code.store(codeLocation(input.Code));
      const fn = store.create(input.FunctionName, settings, stored, input.Tags ?? {});
      const record = input.Publish ? fnPublishAfterCreate(store, fn) : fn.latest;
      return ok(renderConfiguration(fn, record), 201);
    }),
    op('GET', /^\/__code\/([0-9a-f]{64})$/, 'GetCode', (_request, [hex]) => {
      const zip = code.download(hex!);
      if (!zip) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
      return { status: 200, headers: { 'Content-Type': 'application/zip' }, body: zip };
    }),
    op('GET', /^\/2015-03-31\/functions\/?$/, 'ListFunctions', (request) => {
      const all = store.list().map((fn) => renderConfiguration(fn, fn.latest));
      return ok(paginate(all, request, 'Functions', 50));
    }),
    op('GET', /^\/2015-03-31\/functions\/([^/]+)$/, 'GetFunction', (request, [raw]) => {
      const { fn, qualifier } = target(request, raw!);
      const record = store.resolve(fn, qualifier);
      return ok({
        Configuration: renderConfiguration(fn, record),
        // Lambda answers with a presigned S3 URL; the emulator serves the zip itself.
        Code: {
          RepositoryType: 'S3',
          Location: `http://${request.headers.host ?? '127.0.0.1'}/__code/${hexOf(record.code.sha256)}`
        },
        ...(Object.keys(fn.tags).length > 0 ? { Tags: fn.tags } : {}),
        ...(fn.reservedConcurrency !== undefined
          ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }
          : {})
      });
    }),
    op('DELETE', /^\/2015-03-31\/functions\/([^/]+)$/, 'DeleteFunction', (request, [raw]) => {
      const { fn, qualifier } = target(request, raw!);
      store.delete(fn.name, qualifier);
      return { status: 204 };
    }),
    op('GET', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration', (request, [raw]) =>
      ok(configuration(request, raw!))
    ),
    op('PUT', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'UpdateFunctionConfiguration', (request, [raw]) => {
      const input = validate(updateConfigurationSchema, parseJsonBody(request, 'rest-json'));
      const { fn } = target(request, raw!);
      const updated = store.updateConfiguration(fn.name, changedSettings(input, memoryQuotaMb), input.RevisionId);
      return ok(renderConfiguration(updated, updated.latest));
    }),
    op('PUT', /^\/2015-03-31\/functions\/([^/]+)\/code$/, 'UpdateFunctionCode', (request, [raw]) => {
      const input = validate(updateCodeSchema, parseJsonBody(request, 'rest-json'));
      const { fn } = target(request, raw!);
      const stored = code.store(codeLocation(input));
      if (input.DryRun) return ok(renderConfiguration(fn, { ...fn.latest, code: stored }));
      const updated = store.updateCode(fn.name, stored, input.Architectures?.[0], input.RevisionId);
      const record = input.Publish ? fnPublishAfterUpdate(store, updated) : updated.latest;
      return ok(renderConfiguration(updated, record));
    }),
    op('POST', /^\/2015-03-31\/functions\/([^/]+)\/versions$/, 'PublishVersion', (request, [raw]) => {
      const input = validate(publishVersionSchema, parseJsonBody(request, 'rest-json'));
      const { fn } = target(request, raw!);
      const version = store.publish(fn.name, {
        ...(input.CodeSha256 !== undefined ? { codeSha256: input.CodeSha256 } : {}),
        ...(input.RevisionId !== undefined ? { revisionId: input.RevisionId } : {}),
        ...(input.Description !== undefined ? { description: input.Description } : {})
      });
      return ok(renderConfiguration(fn, version), 201);
    }),
    op('GET', /^\/2015-03-31\/functions\/([^/]+)\/versions$/, 'ListVersionsByFunction', (request, [raw]) => {
      const { fn } = target(request, raw!);
      const all = [fn.latest, ...fn.versions.values()].map((record) => renderConfiguration(fn, record, true));
      return ok(paginate(all, request, 'Versions', 50));
    }),
    op('POST', /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, 'CreateAlias', (request, [raw]) => {
      const input = validate(aliasSchema, parseJsonBody(request, 'rest-json'));
      const { fn } = target(request, raw!);
      if (!input.Name || !input.FunctionVersion) throw invalidParameter('Name and FunctionVersion are required.');
      const alias = store.putAlias(fn.name, input.Name, aliasChange(input), 'create');
      return ok(renderAlias(fn, alias), 201);
    }),
    op('GET', /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, 'ListAliases', (request, [raw]) => {
      const { fn } = target(request, raw!);
      const version = request.query.get('FunctionVersion');
      const all = [...fn.aliases.values()]
        .filter((alias) => !version || alias.functionVersion === version)
        .map((alias) => renderAlias(fn, alias));
      return ok(paginate(all, request, 'Aliases', 50));
    }),
    op('GET', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, 'GetAlias', (request, [raw, name]) => {
      const { fn } = target(request, raw!);
      return ok(renderAlias(fn, store.getAlias(fn.name, name!)));
    }),
    op('PUT', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, 'UpdateAlias', (request, [raw, name]) => {
      const input = validate(aliasSchema, parseJsonBody(request, 'rest-json'));
      const { fn } = target(request, raw!);
      return ok(renderAlias(fn, store.putAlias(fn.name, name!, aliasChange(input), 'update', input.RevisionId)));
    }),
    op('DELETE', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/, 'DeleteAlias', (request, [raw, name]) => {
      const { fn } = target(request, raw!);
      store.deleteAlias(fn.name, name!);
      return { status: 204 };
    }),
    op('POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, 'Invoke', async (request, [raw]) => {
      const parsed = parseFunctionName(raw!);
      const qualifier = request.query.get('Qualifier') ?? parsed.qualifier;
      return invoker.invoke({
        name: parsed.name,
        ...(qualifier ? { qualifier } : {}),
        payload: request.body,
        invocationType: header(request, 'x-amz-invocation-type') ?? 'RequestResponse',
        logType: header(request, 'x-amz-log-type') ?? 'None'
      });
    }),
    op('GET', /^\/2017-03-31\/tags\/(.+)$/, 'ListTags', (_request, [arn]) => ok({ Tags: store.byArn(arn!).tags })),
    op('POST', /^\/2017-03-31\/tags\/(.+)$/, 'TagResource', (request, [arn]) => {
      const input = validate(tagsSchema, parseJsonBody(request, 'rest-json'));
      Object.assign(store.byArn(arn!).tags, input.Tags);
      return { status: 204 };
    }),
    op('DELETE', /^\/2017-03-31\/tags\/(.+)$/, 'UntagResource', (request, [arn]) => {
      const fn = store.byArn(arn!);
      for (const key of request.query.getAll('tagKeys')) delete fn.tags[key];
      return { status: 204 };
    }),
    op('PUT', /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/, 'PutFunctionConcurrency', (request, [raw]) => {
      const input = validate(concurrencySchema, parseJsonBody(request, 'rest-json'));
      const { fn } = target(request, raw!);
      fn.reservedConcurrency = input.ReservedConcurrentExecutions;
      return ok({ ReservedConcurrentExecutions: fn.reservedConcurrency });
    }),
    op('DELETE', /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/, 'DeleteFunctionConcurrency', (request, [raw]) => {
      delete target(request, raw!).fn.reservedConcurrency;
      return { status: 204 };
    }),
    op('GET', /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/, 'GetFunctionConcurrency', (request, [raw]) => {
      const { fn } = target(request, raw!);
      return ok(fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency });
    })
  ];

  return (request: EmulatorRequest): Route | undefined => {
    for (const operation of operations) {
      if (operation.method !== request.method) continue;
      const match = operation.pattern.exec(request.path);
      if (!match) continue;
      const params = match.slice(1);
      const resource = params[0] ? safeName(params[0]) : undefined;
      const route: FaultRoute = {
        operation: operation.name,
        protocol: 'rest-json',
        // The ARN lets an injected 409 name the function as Lambda does.
        ...(resource ? { resource, resourceArn: store.functionArn(resource) } : {}),
        handle: async () => operation.handler(request, params)
      };
      return route;
    }
    return undefined;
  };
}

function op(method: string, pattern: RegExp, name: string, handler: Handler): Operation {
  return { method, pattern, name, handler };
}

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Fault rules name functions by their plain name, whatever form the request used. */
function safeName(raw: string): string {
  try {
    return parseFunctionName(raw).name;
  } catch {
    return raw;
  }
}

function codeLocation(input: {
  ZipFile?: string;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
  ImageUri?: string;
}) {
  return {
    ...(input.ZipFile !== undefined ? { zipFile: Buffer.from(input.ZipFile, 'base64') } : {}),
    ...(input.S3Bucket !== undefined ? { s3Bucket: input.S3Bucket } : {}),
    ...(input.S3Key !== undefined ? { s3Key: input.S3Key } : {}),
    ...(input.S3ObjectVersion !== undefined ? { s3ObjectVersion: input.S3ObjectVersion } : {}),
    ...(input.ImageUri !== undefined ? { imageUri: input.ImageUri } : {})
  };
}

function aliasChange(input: {
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}) {
  return {
    ...(input.FunctionVersion !== undefined ? { functionVersion: input.FunctionVersion } : {}),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.RoutingConfig !== undefined ? { weights: input.RoutingConfig.AdditionalVersionWeights ?? {} } : {})
  };
}

/** `Publish: true` on create publishes once the function is ready; the emulator freezes it at once. */
function fnPublishAfterCreate(store: FunctionStore, fn: FunctionRecord) {
  fn.latest.state = 'Active';
  fn.latest.settlesAt = 0;
  return store.publish(fn.name, {});
}

function fnPublishAfterUpdate(store: FunctionStore, fn: FunctionRecord) {
  fn.latest.lastUpdateStatus = 'Successful';
  fn.latest.settlesAt = 0;
  return store.publish(fn.name, {});
}

/** Marker/MaxItems pagination as Lambda's list operations do it (the marker is an offset here). */
function paginate<T>(items: T[], request: EmulatorRequest, key: string, defaultMax: number): Record<string, unknown> {
  const start = Number(request.query.get('Marker') ?? '0') || 0;
  const max = Math.min(Number(request.query.get('MaxItems') ?? defaultMax) || defaultMax, 10000);
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? String(start + max) : undefined;
  return { [key]: page, ...(next ? { NextMarker: next } : {}) };
}
