import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LambdaCostGateError } from '../../src/errors.js';
import { commentMarker } from '../../src/github/comment-marker.js';
import { upsertComment } from '../../src/github/sticky-comment.js';
import { rejectionOf, startTestGitHub, type TestGitHub } from './helpers.js';

const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-01T11:00:00.000Z';
const T3 = '2026-03-01T12:00:00.000Z';

function body(functionName: string, at: string, text: string): string {
  return `${commentMarker(functionName, at)}\n${text}`;
}

describe('upsertComment', () => {
  let gh: TestGitHub;
  beforeEach(async () => {
    gh = await startTestGitHub();
    const [sha] = gh.fake.state.addChain(1, { branch: 'main' });
    gh.fake.state.addPullRequest({ number: 12, headSha: sha!, baseSha: sha! });
  });
  afterEach(async () => gh.fake.close());

  const upsert = (functionName: string, at: string, text: string) =>
    upsertComment(gh.port, { issueNumber: 12, functionName, body: body(functionName, at, text), updatedAt: at });

  it('creates the comment, then updates the same one, then refuses to overwrite it with an older run', async () => {
    const created = await upsert('orders-api', T2, 'first run');
    expect(created.action).toBe('created');
    expect(created.url).toBe(`https://github.com/acme/shop/pull/12#issuecomment-${created.commentId}`);

    const updated = await upsert('orders-api', T3, 'second run');
    expect(updated).toEqual({ ...created, action: 'updated' });
    expect(gh.fake.state.comments.map((c) => c.body)).toEqual([body('orders-api', T3, 'second run')]);

    const stale = await upsert('orders-api', T1, 'a slow, older run');
    expect(stale).toEqual({ ...created, action: 'skipped-newer' });
    expect(gh.fake.state.comments.map((c) => c.body)).toEqual([body('orders-api', T3, 'second run')]);
  });

  it('passes over a marker dated in the future, which no run wrote, instead of freezing its comment', async () => {
    const forged = gh.fake.state.addComment(
      12,
      body('orders-api', '2099-01-01T00:00:00.000Z', 'looks fine'),
      'mallory'
    );
    const result = await upsert('orders-api', T2, 'the real result');
    expect(result.action).toBe('created');
    expect(gh.fake.state.comments.find((c) => c.id === forged.id)?.body).toContain('looks fine');
    expect((await upsert('orders-api', T3, 'the next run')).commentId).toBe(result.commentId);
  });

  it('updates when a re-run carries the same time', async () => {
    await upsert('orders-api', T2, 'v1');
    expect((await upsert('orders-api', T2, 'v2')).action).toBe('updated');
    expect(gh.fake.state.comments[0]?.body).toContain('v2');
  });

  it('keeps one comment per function, leaving other functions and other people alone', async () => {
    gh.fake.state.addComment(12, 'LGTM', 'reviewer');
    await upsert('orders-api', T1, 'orders');
    await upsert('payments', T1, 'payments');
    await upsert('orders-api', T2, 'orders again');

    expect(gh.fake.state.comments.map((c) => c.body)).toEqual([
      'LGTM',
      body('orders-api', T2, 'orders again'),
      body('payments', T1, 'payments')
    ]);
  });

  it('updates the newest of duplicate comments and leaves the others', async () => {
    const older = gh.fake.state.addComment(12, body('orders-api', T1, 'duplicate, older'));
    const newer = gh.fake.state.addComment(12, body('orders-api', T2, 'duplicate, newer'));
    const sameTimeEarlier = gh.fake.state.addComment(12, body('orders-api', T2, 'same time, posted first'));
    // Posted later (higher id) with the same time: the tie goes to the later comment.
    sameTimeEarlier.id = newer.id - 100;

    const result = await upsert('orders-api', T3, 'fresh');

    expect(result).toMatchObject({ action: 'updated', commentId: newer.id });
    expect(older.body).toBe(body('orders-api', T1, 'duplicate, older'));
    expect(sameTimeEarlier.body).toBe(body('orders-api', T2, 'same time, posted first'));
    expect(newer.body).toBe(body('orders-api', T3, 'fresh'));
  });

  it('puts the marker first when the body has none, so the next run finds the comment', async () => {
    await upsertComment(gh.port, { issueNumber: 12, functionName: 'orders-api', body: 'no marker', updatedAt: T1 });
    const second = await upsertComment(gh.port, {
      issueNumber: 12,
      functionName: 'orders-api',
      body: 'still none',
      updatedAt: new Date(T2)
    });

    expect(second.action).toBe('updated');
    expect(gh.fake.state.comments.map((c) => c.body)).toEqual([`${commentMarker('orders-api', T2)}\nstill none`]);
  });

  it('refuses a time that is not a date rather than overwrite blindly', async () => {
    const error = await rejectionOf(
      upsertComment(gh.port, { issueNumber: 12, functionName: 'f', body: 'x', updatedAt: 'now' })
    );
    expect(error).toBeInstanceOf(LambdaCostGateError);
    expect(gh.fake.state.comments).toEqual([]);
  });
});
