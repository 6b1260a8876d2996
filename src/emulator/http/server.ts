/**
 * The emulator's one HTTP listener: Lambda's REST-JSON API, CloudWatch Logs' JSON 1.1 API and an
 * admin API share a loopback port, as the SDK's endpoint variables expect.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AwsError } from './aws-error.js';

/** A request as the routers see it: body fully read, path decoded. */
export interface EmulatorRequest {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer or string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** Which AWS wire protocol a route speaks decides the shape of its errors. */
export type Protocol = 'rest-json' | 'json-1.1' | 'admin';

/** A matched operation: its name (used by fault rules and logs) and how to answer it. */
export interface Route {
  operation: string;
  protocol: Protocol;
  /** The function (or log group) the call is about, when there is one: fault rules can target it. */
  resource?: string;
  handle: () => Promise<EmulatorResponse>;
}

export type Router = (request: EmulatorRequest) => Route | undefined;

/** Runs before every matched operation: may delay, fail with an AwsError or drop the connection. */
export type BeforeOperation = (route: Route, request: EmulatorRequest) => Promise<'drop' | undefined>;

/** How a matched operation ended, as the caller saw it: an HTTP status, or the connection dropped. */
export interface AnsweredOperation {
  route: Route;
  request: EmulatorRequest;
  status: number | 'dropped';
  /** The response body the handler produced (before serialisation); absent for errors and drops. */
  body?: unknown;
}

/** Larger than any legal request (a 50 MB zip sent as base64 in JSON) and no more. */
export const MAX_REQUEST_BYTES = 70 * 1024 * 1024;

export interface HttpServerOptions {
  routers: Router[];
  beforeOperation?: BeforeOperation;
  /** Told about every matched operation once it is answered (faults and errors included), in order. */
  onAnswered?: (answered: AnsweredOperation) => void;
  onError?: (error: unknown) => void;
}

export interface ListeningServer {
  server: Server;
  endpoint: string;
  port: number;
  close: () => Promise<void>;
}

/** Starts the listener on 127.0.0.1 (port 0 = any free port). */
export async function listen(options: HttpServerOptions, port = 0, host = '127.0.0.1'): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) writeError(res, 'rest-json', new AwsError('ServiceException', 'Internal error', 500));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const endpoint = `http://${host}:${address.port}`;
  return {
    server,
    endpoint,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

async function handle(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const protocolGuess: Protocol = req.headers['x-amz-target'] ? 'json-1.1' : 'rest-json';
  if (body === 'too-large') {
    writeError(
      res,
      protocolGuess,
      new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes`, 413)
    );
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    writeError(res, protocolGuess, new AwsError('InvalidRequestContentException', 'Malformed request path', 400));
    return;
  }
  const request: EmulatorRequest = {
    method: req.method ?? 'GET',
    path,
    query: url.searchParams,
    headers: req.headers,
    body
  };
  const route = findRoute(options.routers, request);
  if (!route) {
    writeError(
      res,
      protocolGuess,
      new AwsError('UnknownOperationException', `Unknown operation ${request.method} ${url.pathname}`, 404)
    );
    return;
  }
  // Recorded when the answer is decided, so that the log's order is the order callers were answered in.
  const answered = (status: number | 'dropped', body?: unknown) =>
    options.onAnswered?.({ route, request, status, ...(body !== undefined ? { body } : {}) });
  try {
    if ((await options.beforeOperation?.(route, request)) === 'drop') {
      answered('dropped');
      req.socket.destroy();
      return;
    }
    const response = await route.handle();
    answered(response.status, response.body);
    writeResponse(res, response);
  } catch (error) {
    if (error instanceof AwsError) {
      answered(error.status);
      writeError(res, route.protocol, error);
      return;
    }
    answered(500);
    throw error;
  }
}

function findRoute(routers: Router[], request: EmulatorRequest): Route | undefined {
  for (const router of routers) {
    const route = router(request);
    if (route) return route;
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? 'too-large' : Buffer.concat(chunks);
}

function writeResponse(res: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string> = { 'x-amzn-RequestId': randomUUID(), ...response.headers };
  let payload: Buffer | undefined;
  if (response.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(response.body)) payload = response.body;
  else if (typeof response.body === 'string') payload = Buffer.from(response.body);
  else {
    payload = Buffer.from(JSON.stringify(response.body));
    headers['Content-Type'] ??= 'application/json';
  }
  headers['Content-Length'] = String(payload?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Writes an error the way the protocol's SDK deserializer looks for it. */
export function writeError(res: ServerResponse, protocol: Protocol, error: AwsError): void {
  const headers: Record<string, string> = { ...error.headers, 'x-amzn-RequestId': randomUUID() };
  let body: Record<string, unknown>;
  if (protocol === 'json-1.1') {
    headers['Content-Type'] = 'application/x-amz-json-1.1';
    body = { __type: error.code, message: error.message, ...error.fields };
  } else {
    headers['Content-Type'] = 'application/json';
    headers['x-amzn-ErrorType'] = error.code;
    body = { Type: 'User', message: error.message, ...error.fields };
  }
  const payload = Buffer.from(JSON.stringify(body));
  headers['Content-Length'] = String(payload.length);
  res.writeHead(error.status, headers);
  res.end(payload);
}

/** Parses a JSON request body; an empty body is `{}`; anything else malformed is AWS's 400. */
export function parseJsonBody(request: EmulatorRequest, protocol: Protocol): Record<string, unknown> {
  if (request.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new AwsError(
      protocol === 'json-1.1' ? 'SerializationException' : 'InvalidRequestContentException',
      'Could not parse request body into json: the body is not valid JSON',
      400
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError(
      protocol === 'json-1.1' ? 'SerializationException' : 'InvalidRequestContentException',
      'Could not parse request body into json: expected an object',
      400
    );
  }
  return value as Record<string, unknown>;
}
