/**
 * Uploads workflow artifacts through `@actions/artifact` (the Actions results service: Twirp calls plus
 * a blob-storage upload). Off a runner there is no such service; the upload is then reported as not
 * done, with the reason, instead of failing the run.
 */
import { DefaultArtifactClient, GHESNotSupportedError } from '@actions/artifact';
import { GitHubCallError } from './errors.js';
import type { ArtifactUploader } from './port.js';

/** The variables @actions/artifact reads from process.env (it takes no configuration of its own). */
const ARTIFACT_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS'
] as const;

export interface ArtifactUploaderOptions {
  /** Days GitHub keeps the artifact (capped by the repository's setting); the repository's default otherwise. */
  retentionDays?: number;
}

/**
 * Creates the uploader. `env` decides whether there is an artifact service (ACTIONS_RUNTIME_TOKEN and
 * ACTIONS_RESULTS_URL) and is what the upload sees.
 *
 * @example
 * ```ts
 * const result = await createArtifactUploader().upload('lambda-cost-gate-baseline', [reportPath], outDir);
 * if (!result.uploaded) core.notice(result.reason);
 * ```
 */
export function createArtifactUploader(
  env: NodeJS.ProcessEnv = process.env,
  options: ArtifactUploaderOptions = {}
): ArtifactUploader {
  return {
    async upload(name, files, rootDirectory) {
      const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].find((key) => !env[key]);
      if (missing !== undefined) {
        return {
          uploaded: false,
          reason: `no GitHub Actions artifact service here (${missing} is not set), so the report was not uploaded`
        };
      }
      try {
        const client = new DefaultArtifactClient();
        const uploadOptions = options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays };
        const result = await withEnv(env, () => client.uploadArtifact(name, files, rootDirectory, uploadOptions));
        return { uploaded: true, id: result.id ?? 0, size: result.size ?? 0 };
      } catch (error) {
        if (error instanceof GHESNotSupportedError) {
          return {
            uploaded: false,
            reason: `@actions/artifact cannot upload to GitHub Enterprise Server (${env.GITHUB_SERVER_URL}), so the report was not uploaded`
          };
        }
        throw new GitHubCallError(`upload the artifact '${name}'`, error);
      }
    }
  };
}

/**
 * Runs `fn` with the artifact variables of `env` in process.env, then puts the old values back. The
 * library reads process.env only; without this an `env` other than process.env would be ignored.
 */
async function withEnv<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  if (env === process.env) return fn();
  const saved = ARTIFACT_ENV.map((key) => [key, process.env[key]] as const);
  for (const key of ARTIFACT_ENV) setVariable(key, env[key]);
  try {
    return await fn();
  } finally {
    for (const [key, value] of saved) setVariable(key, value);
  }
}

function setVariable(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
