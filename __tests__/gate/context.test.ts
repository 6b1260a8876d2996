/** Which mode a gate run takes: compare on a pull request, record a baseline on the default branch. */
import { describe, expect, it } from '@jest/globals';
import { resolveMode, type GateContext, type PullRequestInfo } from '../../src/gate/context.js';

const PR: PullRequestInfo = {
  number: 7,
  headSha: 'c0ffee0',
  baseSha: 'ba5e000',
  baseRef: 'main',
  isFork: false,
  labels: []
};

const onRunner = (extra: Partial<GateContext>): GateContext => ({ onRunner: true, defaultBranch: 'main', ...extra });

describe('resolveMode auto', () => {
  it.each<[string, GateContext, 'baseline' | 'compare']>([
    ['a pull request', onRunner({ eventName: 'pull_request', ref: 'refs/pull/7/merge', pullRequest: PR }), 'compare'],
    [
      'a pull_request_target run, even though its ref is the default branch',
      onRunner({ eventName: 'pull_request_target', ref: 'refs/heads/main', pullRequest: PR }),
      'compare'
    ],
    ['a push to the default branch', onRunner({ eventName: 'push', ref: 'refs/heads/main' }), 'baseline'],
    ['a push to another branch', onRunner({ eventName: 'push', ref: 'refs/heads/feature/x' }), 'compare'],
    [
      'a push to a branch whose name only starts like the default one',
      onRunner({ eventName: 'push', ref: 'refs/heads/main-old' }),
      'compare'
    ],
    [
      'a push of a tag named like the default branch',
      onRunner({ eventName: 'push', ref: 'refs/tags/main' }),
      'compare'
    ],
    ['a scheduled run on the default branch', onRunner({ eventName: 'schedule', ref: 'refs/heads/main' }), 'baseline'],
    [
      'a manual run on the default branch',
      onRunner({ eventName: 'workflow_dispatch', ref: 'refs/heads/main' }),
      'baseline'
    ],
    ['a manual run on another branch', onRunner({ eventName: 'workflow_dispatch', ref: 'refs/heads/try' }), 'compare'],
    ['another event on the default branch', onRunner({ eventName: 'release', ref: 'refs/heads/main' }), 'compare'],
    [
      'a push when the default branch is unknown',
      { onRunner: true, eventName: 'push', ref: 'refs/heads/main' },
      'compare'
    ],
    ['a local run', { onRunner: false }, 'compare']
  ])('%s → %s', (_what, context, expected) => {
    expect(resolveMode('auto', context)).toBe(expected);
  });
});

describe('resolveMode explicit', () => {
  it('keeps baseline even on a pull request', () => {
    expect(resolveMode('baseline', onRunner({ eventName: 'pull_request', pullRequest: PR }))).toBe('baseline');
  });

  it('keeps compare even on a push to the default branch', () => {
    expect(resolveMode('compare', onRunner({ eventName: 'push', ref: 'refs/heads/main' }))).toBe('compare');
  });

  it('keeps either on a local run', () => {
    expect(resolveMode('baseline', { onRunner: false })).toBe('baseline');
    expect(resolveMode('compare', { onRunner: false })).toBe('compare');
  });
});
