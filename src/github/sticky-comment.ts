/**
 * One comment per function per pull request, updated in place: found by its hidden marker, never
 * overwritten by an older run (runs of one pull request can finish out of order).
 */
import { LambdaCostGateError } from '../errors.js';
import { commentMarker, markerTime, parseMarkers } from './comment-marker.js';
import type { GitHubPort, IssueComment } from './port.js';

export interface UpsertCommentInput {
  issueNumber: number;
  functionName: string;
  /** The full comment; should contain `commentMarker(functionName, updatedAt)` (it is put first otherwise). */
  body: string;
  /** When this run measured: a comment whose marker is newer is left alone. */
  updatedAt: string | Date;
}

export interface UpsertCommentResult {
  action: 'created' | 'updated' | 'skipped-newer';
  /** The comment that now stands for the function (the newer one, when skipped). */
  url: string;
  commentId: number;
}

/**
 * Creates or updates the function's comment.
 *
 * Of several comments for the function (an old bug or two runs racing), the one with the newest marker is
 * updated and the rest are left as they are. A comment whose marker is newer than `updatedAt` is not
 * touched: a newer run wrote it. Equal times update, so a re-run of the same measurement refreshes it.
 *
 * @example
 * ```ts
 * const updatedAt = new Date().toISOString();
 * const body = `${commentMarker('orders-api', updatedAt)}\n### Cost report …`;
 * const { action, url } = await upsertComment(port, { issueNumber: 12, functionName: 'orders-api', body, updatedAt });
 * ```
 */
export async function upsertComment(port: GitHubPort, input: UpsertCommentInput): Promise<UpsertCommentResult> {
  const updatedAt = typeof input.updatedAt === 'string' ? input.updatedAt : input.updatedAt.toISOString();
  const ourTime = Date.parse(updatedAt);
  // Without a valid time the newer-run check cannot work; refuse rather than overwrite blindly.
  if (Number.isNaN(ourTime))
    throw new LambdaCostGateError(`upsertComment: updatedAt ${JSON.stringify(updatedAt)} is not a date`);
  const body = ensureMarker(input.body, input.functionName, updatedAt);

  const existing = newestFor(await port.listIssueComments(input.issueNumber), input.functionName, Date.now());
  if (existing === undefined) {
    const created = await port.createIssueComment(input.issueNumber, body);
    return { action: 'created', url: created.htmlUrl, commentId: created.id };
  }
  if (existing.time > ourTime) {
    return { action: 'skipped-newer', url: existing.comment.htmlUrl, commentId: existing.comment.id };
  }
  const updated = await port.updateIssueComment(existing.comment.id, body);
  return { action: 'updated', url: updated.htmlUrl, commentId: updated.id };
}

/** How far a runner's clock may run ahead of this one; a marker dated later than that is no run's. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

/**
 * The function's comment with the newest marker time; the higher id (posted later) on a tie. A marker dated
 * in the future (beyond clock skew) was not written by a run: anyone can post one, and trusting it would
 * freeze the gate's comment, so such comments are passed over.
 */
function newestFor(
  comments: IssueComment[],
  functionName: string,
  now: number
): { comment: IssueComment; time: number } | undefined {
  let best: { comment: IssueComment; time: number } | undefined;
  for (const comment of comments) {
    const marker = parseMarkers(comment.body).find((m) => m.functionName === functionName);
    if (marker === undefined) continue;
    const time = markerTime(marker);
    if (time > now + MAX_CLOCK_SKEW_MS) continue;
    if (best === undefined || time > best.time || (time === best.time && comment.id > best.comment.id)) {
      best = { comment, time };
    }
  }
  return best;
}

/** A body without this function's marker could never be found again, and the next run would add another. */
function ensureMarker(body: string, functionName: string, updatedAt: string): string {
  const hasOwn = parseMarkers(body).some((m) => m.functionName === functionName);
  return hasOwn ? body : `${commentMarker(functionName, updatedAt)}\n${body}`;
}
