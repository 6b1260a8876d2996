/** Dependencies of a gate run for the emulator tests: real AWS ports, everything else in memory. */
import type { createAwsPorts } from '../../src/gate/aws-ports.js';
import type { GateContext } from '../../src/gate/context.js';
import type { GateDependencies } from '../../src/gate/run-gate.js';
import { readFrom } from './helpers.js';

export const PR_CONTEXT: GateContext = {
  onRunner: true,
  eventName: 'pull_request',
  ref: 'refs/pull/7/merge',
  repository: 'acme/shop',
  defaultBranch: 'main',
  pullRequest: { number: 7, headSha: 'c0ffee0', baseSha: 'ba5e000', baseRef: 'main', isFork: false, labels: [] }
};

export interface RecordedDeps extends GateDependencies {
  /** Every region the run asked ports for: empty means no AWS client was even made. */
  regions: Array<string | undefined>;
  written: Map<string, string>;
  uploads: Array<{ name: string; files: string[]; root: string }>;
  logged: string[];
}

/**
 * @param files - what readFile finds (baseline files)
 * @param upload - artifact names the uploader refuses, with the reason it gives
 */
export function gateDeps(
  aws: ReturnType<typeof createAwsPorts>,
  files: Record<string, string> = {},
  upload: { refuse?: Record<string, string> } = {}
): RecordedDeps {
  const regions: Array<string | undefined> = [];
  const written = new Map<string, string>();
  const uploads: RecordedDeps['uploads'] = [];
  const logged: string[] = [];
  return {
    regions,
    written,
    uploads,
    logged,
    portsFor: (region) => {
      regions.push(region);
      return aws.portsFor(region);
    },
    uploader: {
      upload: async (name, paths, root) => {
        uploads.push({ name, files: paths, root });
        const reason = upload.refuse?.[name];
        if (reason !== undefined) return { uploaded: false, reason };
        const size = paths.reduce((sum, path) => sum + Buffer.byteLength(written.get(path) ?? ''), 0);
        return { uploaded: true, id: uploads.length, size };
      }
    },
    readFile: readFrom(files),
    writeFile: (path, text) => written.set(path, text),
    reportDir: '/reports',
    toolVersion: 'test',
    log: (line) => logged.push(line),
    seed: 7
  };
}

/** Sets the credentials the SDK wants (the emulator accepts any); returns the function that restores them. */
export function withAwsCredentials(): () => void {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  return () => {
    restore('AWS_ACCESS_KEY_ID', saved.id);
    restore('AWS_SECRET_ACCESS_KEY', saved.secret);
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
