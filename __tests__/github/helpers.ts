/**
 * Shared set-up for the GitHub tests: a fake GitHub and the real Octokit port pointed at it.
 */
import { createGitHubPort } from '../../src/github/octokit-port.js';
import type { GitHubPort } from '../../src/github/port.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../support/fake-github.js';

export const REPO = { owner: 'acme', repo: 'shop', repositoryId: 4242, defaultBranch: 'main' };
export const TOKEN = 'ghs_test_token';

export interface TestGitHub {
  fake: FakeGitHub;
  port: GitHubPort;
  /** Lines the port logged (retries, truncated listings). */
  logged: string[];
}

/** A fake GitHub and a port on it; retries do not wait. */
export async function startTestGitHub(
  options: Partial<FakeGitHubOptions> & { maxItems?: number } = {}
): Promise<TestGitHub> {
  const fake = await startFakeGitHub({ ...REPO, token: TOKEN, ...options });
  const logged: string[] = [];
  const port = createGitHubPort({
    token: TOKEN,
    apiUrl: fake.apiUrl,
    owner: REPO.owner,
    repo: REPO.repo,
    log: (line) => logged.push(line),
    maxItems: options.maxItems,
    retry: { sleep: async () => undefined }
  });
  return { fake, port, logged };
}

/** Waits for a rejection and returns it, so a test can check its class and fields. */
export async function rejectionOf<T = Error & Record<string, unknown>>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Runs `fn` with stdout swallowed: @actions/artifact logs every step through @actions/core, which writes
 * to stdout directly and would bury the test report.
 */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}
