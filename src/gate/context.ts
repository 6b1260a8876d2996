/**
 * What the gate needs to know about where it runs: the event, the pull request, the run. Main builds it
 * from the GitHub context (src/github/context.ts); a local run has only `onRunner: false`.
 */
export interface PullRequestInfo {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  /** From a fork: no AWS credentials, a read-only token. Never measured. */
  isFork: boolean;
  labels: string[];
}

export interface GateContext {
  /** Running on a GitHub Actions runner (GITHUB_ACTIONS=true). */
  onRunner: boolean;
  eventName?: string;
  /** refs/heads/main, refs/pull/7/merge, … */
  ref?: string;
  sha?: string;
  defaultBranch?: string;
  repository?: string;
  runId?: number;
  runAttempt?: number;
  runUrl?: string;
  pullRequest?: PullRequestInfo;
}

/**
 * mode auto: a pull request compares; a push (or a scheduled or manual run) on the default branch records a
 * baseline; anything else (another branch, a local run) compares, which without a baseline passes with a
 * notice and records nothing.
 *
 * @example
 * ```ts
 * resolveMode('auto', { onRunner: true, eventName: 'push', ref: 'refs/heads/main', defaultBranch: 'main' }) // 'baseline'
 * ```
 */
export function resolveMode(mode: 'auto' | 'baseline' | 'compare', context: GateContext): 'baseline' | 'compare' {
  if (mode !== 'auto') return mode;
  if (context.pullRequest) return 'compare';
  const onDefaultBranch = context.defaultBranch !== undefined && context.ref === `refs/heads/${context.defaultBranch}`;
  const recordingEvent = ['push', 'schedule', 'workflow_dispatch'].includes(context.eventName ?? '');
  return onDefaultBranch && recordingEvent ? 'baseline' : 'compare';
}
