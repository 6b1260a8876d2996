/**
 * A local fake of the GitHub REST API and the Actions artifact (results) service, on 127.0.0.1, for tests.
 *
 * In-process tests point `createGitHubPort({ apiUrl })` at it; tests that spawn `node dist/index.js` pass
 * `GITHUB_API_URL=apiUrl`, `ACTIONS_RESULTS_URL=resultsUrl` and `ACTIONS_RUNTIME_TOKEN=runtimeTokenFor(runId)`
 * (spawn asynchronously: a synchronous spawn blocks the event loop this server answers on). Uploads made
 * with a run's token become artifacts of that run, which the REST API then lists and downloads.
 *
 * @example
 * ```ts
 * const gh = await startFakeGitHub({ owner: 'acme', repo: 'app', repositoryId: 42, defaultBranch: 'main' });
 * const [base] = gh.state.addChain(1, { branch: 'main' });
 * gh.state.addRun({ id: 7, headSha: base! });
 * await gh.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  apiError,
  FaultQueue,
  type FakeRequest,
  type FakeResponse,
  type FaultSpec,
  type LoggedRequest
} from './fake-github/http.js';
import { FakeResultsService } from './fake-github/results.js';
import { handleRest, type RestUrls } from './fake-github/rest.js';
import { FakeGitHubState } from './fake-github/state.js';

export type { FaultSpec, LoggedRequest } from './fake-github/http.js';

/** Holds matching requests for a while before answering them, e.g. to act while a comment is being posted. */
export interface HoldSpec {
  /** GET, POST, …; any method when left out. */
  method?: string;
  /** Matched against the path (no query); a string matches when the path contains it. */
  pathPattern: RegExp | string;
  delayMs: number;
  /** How many requests are held (default 1). */
  times?: number;
  /** Called when a request starts being held. */
  onHold?: () => void;
}
export type {
  AddArtifactInput,
  AddRunInput,
  FakeArtifact,
  FakeComment,
  FakeCommit,
  FakePullRequest,
  FakeRun
} from './fake-github/state.js';
export { FakeGitHubState } from './fake-github/state.js';

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  repositoryId: number;
  defaultBranch: string;
  /** When set, REST calls must send it (`token …` or `Bearer …`); others get 401 Bad credentials. */
  token?: string;
  /** The run the default `runtimeToken` uploads for (default 1). */
  uploadRunId?: number;
}

export interface FakeGitHub {
  /** GITHUB_API_URL for the clients, e.g. http://127.0.0.1:4321 */
  apiUrl: string;
  /** ACTIONS_RESULTS_URL (the artifact client uses its origin). */
  resultsUrl: string;
  /** GITHUB_SERVER_URL; html_url fields use it. github.com, because @actions/artifact refuses GHES hosts. */
  serverUrl: string;
  /** ACTIONS_RUNTIME_TOKEN for `uploadRunId`. */
  runtimeToken: string;
  /** ACTIONS_RUNTIME_TOKEN for another run: uploads made with it become that run's artifacts. */
  runtimeTokenFor(runId: number): string;
  state: FakeGitHubState;
  /** Every request so far, in order. */
  requests: LoggedRequest[];
  /** Makes the next matching request(s) fail: 5xx, 403 rate limit (with x-ratelimit-* headers), 404, … */
  failNext(fault: FaultSpec): void;
  /** Answers the next matching request(s) only after a delay (latency), then as usual. */
  holdNext(hold: HoldSpec): void;
  close(): Promise<void>;
}

/** Starts the fake on a random loopback port. */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const state = new FakeGitHubState(options.owner, options.repo, options.repositoryId, options.defaultBranch);
  const faults = new FaultQueue();
  const requests: LoggedRequest[] = [];
  const serverUrl = 'https://github.com';
  let origin = '';
  const results = new FakeResultsService(state, () => origin);
  const urls: RestUrls = { apiUrl: '', serverUrl, blobDownloadUrl: (artifact) => results.downloadUrl(artifact) };

  const answer = (request: FakeRequest): FakeResponse => {
    const injected = faults.take(request);
    if (injected !== undefined) return injected;
    const fromResults = results.handle(request);
    if (fromResults !== undefined) return fromResults;
    if (options.token !== undefined && !hasToken(request, options.token)) return apiError(401, 'Bad credentials');
    return handleRest(state, urls, request) ?? apiError(404);
  };

  const holds: Array<HoldSpec & { left: number }> = [];
  const holdFor = async (request: FakeRequest): Promise<void> => {
    const hold = holds.find(
      (h) =>
        h.left > 0 &&
        (h.method === undefined || h.method.toUpperCase() === request.method) &&
        (typeof h.pathPattern === 'string' ? request.path.includes(h.pathPattern) : h.pathPattern.test(request.path))
    );
    if (hold === undefined) return;
    hold.left--;
    hold.onHold?.();
    await new Promise((resolve) => setTimeout(resolve, hold.delayMs));
  };

  const server = createServer((req, res) => {
    void readRequest(req).then(async (request) => {
      await holdFor(request);
      let response: FakeResponse;
      try {
        response = answer(request);
      } catch (error) {
        response = apiError(500, `fake GitHub failed: ${String(error)}`);
      }
      requests.push({
        method: request.method,
        path: request.path,
        query: request.query.toString(),
        status: response.status
      });
      send(res, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  urls.apiUrl = origin;
  const uploadRunId = options.uploadRunId ?? 1;

  return {
    apiUrl: origin,
    resultsUrl: `${origin}/`,
    serverUrl,
    runtimeToken: results.tokenFor(uploadRunId),
    runtimeTokenFor: (runId) => results.tokenFor(runId),
    state,
    requests,
    failNext: (fault) => faults.add(fault),
    holdNext: (hold) => holds.push({ ...hold, left: hold.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      })
  };
}

function hasToken(request: FakeRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  return header === `token ${token}` || header === `Bearer ${token}`;
}

function readRequest(req: IncomingMessage): Promise<FakeRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      resolve({
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks)
      });
    });
  });
}

function send(res: ServerResponse, response: FakeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) {
    payload = response.body;
  } else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload?.byteLength ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
}
