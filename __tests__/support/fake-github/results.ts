/**
 * The Actions results service as `@actions/artifact` v6 talks to it: Twirp JSON calls CreateArtifact and
 * FinalizeArtifact (authorised by the runtime token, whose `scp` claim names the run), and blob-storage PUTs
 * to the signed upload URL (Put Block + Put Block List, or one Put Blob). A finalised upload becomes an
 * artifact of that run in the fake's state, so the REST API lists and downloads it.
 */
import { createHash } from 'node:crypto';
import { jsonBody, type FakeRequest, type FakeResponse } from './http.js';
import type { FakeArtifact, FakeGitHubState } from './state.js';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';
const UPLOAD_PREFIX = '/blob/uploads/';
const DOWNLOAD_PREFIX = '/blob/artifacts/';

interface Upload {
  id: string;
  runId: number;
  name: string;
  sig: string;
  blocks: Map<string, Buffer>;
  blob?: Buffer;
}

export class FakeResultsService {
  private readonly uploads = new Map<string, Upload>();
  /** workflow run backend id → run id, for the tokens this fake issued. */
  private readonly backendRuns = new Map<string, number>();
  private uploadCounter = 0;

  constructor(
    private readonly state: FakeGitHubState,
    private readonly origin: () => string
  ) {}

  /** An unsigned JWT like ACTIONS_RUNTIME_TOKEN: its `scp` claim carries the run's backend ids. */
  tokenFor(runId: number): string {
    const hex = runId.toString(16).padStart(12, '0');
    const runBackendId = `00000000-0000-4000-8000-${hex}`;
    const jobBackendId = `11111111-0000-4000-8000-${hex}`;
    this.backendRuns.set(runBackendId, runId);
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      scp: `Actions.GenericRead:${runBackendId} Actions.Results:${runBackendId}:${jobBackendId}`,
      iss: 'fake-github',
      exp: Math.floor(Date.now() / 1000) + 6 * 3600
    };
    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
  }

  /** The signed download URL the REST /zip route redirects to. */
  downloadUrl(artifact: FakeArtifact): string {
    return `${this.origin()}${DOWNLOAD_PREFIX}${artifact.id}?sig=${downloadSig(artifact.id)}`;
  }

  handle(request: FakeRequest): FakeResponse | undefined {
    if (request.path.startsWith(TWIRP_PREFIX) && request.method === 'POST') {
      const runId = this.authorisedRun(request);
      if (runId === undefined) return twirpError(401, 'unauthenticated', 'invalid or missing runtime token');
      const body = jsonBody(request);
      if (body === undefined) return twirpError(400, 'malformed', 'the body is not JSON');
      if (this.backendRuns.get(String(body.workflow_run_backend_id)) !== runId) {
        return twirpError(403, 'permission_denied', 'workflow_run_backend_id does not match the token');
      }
      const method = request.path.slice(TWIRP_PREFIX.length);
      if (method === 'CreateArtifact') return this.createArtifact(runId, body);
      if (method === 'FinalizeArtifact') return this.finalizeArtifact(runId, body);
      return twirpError(404, 'bad_route', `no handler for ${method} in the fake`);
    }
    if (request.path.startsWith(UPLOAD_PREFIX) && request.method === 'PUT') return this.putBlob(request);
    if (request.path.startsWith(DOWNLOAD_PREFIX) && request.method === 'GET') {
      const id = Number(request.path.slice(DOWNLOAD_PREFIX.length));
      const artifact = this.state.artifacts.find((a) => a.id === id);
      if (artifact === undefined || request.query.get('sig') !== downloadSig(id)) return blobError(403);
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: Buffer.from(artifact.zip) };
    }
    return undefined;
  }

  private authorisedRun(request: FakeRequest): number | undefined {
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const payload = token?.split('.')[1];
    if (payload === undefined) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string };
      const scope = claims.scp?.split(' ').find((s) => s.startsWith('Actions.Results:'));
      return scope === undefined ? undefined : this.backendRuns.get(scope.split(':')[1] ?? '');
    } catch {
      // Not a JWT this fake issued: unauthenticated, like any other bad token.
      return undefined;
    }
  }

  private createArtifact(runId: number, body: Record<string, unknown>): FakeResponse {
    const name = String(body.name ?? '');
    if (!this.state.runs.has(runId)) {
      return twirpError(404, 'not_found', `workflow run ${runId} is not known to the fake GitHub; call addRun first`);
    }
    if (this.state.artifacts.some((a) => a.runId === runId && a.name === name)) {
      return twirpError(409, 'already_exists', `an artifact with this name already exists on the workflow run`);
    }
    const id = `u${++this.uploadCounter}`;
    const sig = createHash('sha256').update(`upload ${id}`).digest('hex').slice(0, 16);
    this.uploads.set(id, { id, runId, name, sig, blocks: new Map() });
    const signedUploadUrl = `${this.origin()}${UPLOAD_PREFIX}${id}?sv=2023-11-03&sr=b&sp=cw&sig=${sig}`;
    return { status: 200, body: { ok: true, signed_upload_url: signedUploadUrl } };
  }

  private finalizeArtifact(runId: number, body: Record<string, unknown>): FakeResponse {
    const name = String(body.name ?? '');
    const upload = [...this.uploads.values()].find((u) => u.runId === runId && u.name === name);
    if (upload?.blob === undefined) {
      return twirpError(404, 'not_found', `no uploaded content for artifact '${name}' of run ${runId}`);
    }
    const hash = typeof body.hash === 'string' ? body.hash : undefined;
    const actual = `sha256:${createHash('sha256').update(upload.blob).digest('hex')}`;
    if (hash !== undefined && hash !== actual) return twirpError(400, 'invalid_argument', `hash mismatch: ${hash}`);
    this.uploads.delete(upload.id);
    const artifact = this.state.addArtifact({
      name,
      runId,
      zip: new Uint8Array(upload.blob),
      createdAt: new Date().toISOString()
    });
    return { status: 200, body: { ok: true, artifact_id: String(artifact.id) } };
  }

  private putBlob(request: FakeRequest): FakeResponse {
    const upload = this.uploads.get(request.path.slice(UPLOAD_PREFIX.length));
    if (upload === undefined || request.query.get('sig') !== upload.sig) return blobError(403);
    const comp = request.query.get('comp');
    if (comp === 'block') {
      const blockId = request.query.get('blockid');
      if (blockId === null) return blobError(400);
      upload.blocks.set(blockId, request.body);
    } else if (comp === 'blocklist') {
      const ids = [...request.body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map(
        (m) => m[1] ?? ''
      );
      const parts = ids.map((id) => upload.blocks.get(id));
      if (parts.some((part) => part === undefined)) return blobError(400);
      upload.blob = Buffer.concat(parts as Buffer[]);
    } else if (comp === null) {
      upload.blob = request.body;
    } else {
      return blobError(400);
    }
    const headers = {
      etag: `"0x${upload.id}${upload.blocks.size}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': `${upload.id}-${Date.now()}`,
      'x-ms-version': '2023-11-03',
      'x-ms-request-server-encrypted': 'true'
    };
    return { status: 201, headers };
  }
}

function downloadSig(id: number): string {
  return createHash('sha256').update(`download ${id}`).digest('hex').slice(0, 16);
}

function twirpError(status: number, code: string, msg: string): FakeResponse {
  return { status, body: { code, msg } };
}

/** Azure answers errors in XML; the SDK only needs the status and the x-ms-error-code header. */
function blobError(status: number): FakeResponse {
  const code = status === 403 ? 'AuthenticationFailed' : 'InvalidInput';
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>fake</Message></Error>`;
  return { status, headers: { 'x-ms-error-code': code, 'content-type': 'application/xml' }, body: Buffer.from(xml) };
}
