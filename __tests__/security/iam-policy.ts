/**
 * Reading the README's IAM policy and checking AWS calls against it, the way IAM matches them: actions
 * case-insensitively, resources case-sensitively, both with `*` and `?` wildcards. Conditions are not
 * evaluated (the one the README uses, iam:PassedToService, is met by CreateFunction by definition).
 */
import { readFileSync } from 'node:fs';
import type { RequestLogEntry } from '../../src/emulator/emulator.js';
import { iamActionsFor } from '../../src/security/iam-actions.js';

export interface Statement {
  sid: string;
  actions: string[];
  resources: string[];
}

/** The README's "### AWS permissions" section, up to the next heading of its level or above. */
export function permissionsSection(path = 'README.md'): string {
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf('### AWS permissions');
  if (start < 0) throw new Error('README.md has no "### AWS permissions" section');
  const rest = readme.slice(start + 1);
  const end = rest.search(/\n#{1,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The ```json blocks of a section, parsed, in order. */
export function jsonBlocks(section: string): unknown[] {
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!) as unknown);
}

/** A policy's Allow statements, with Action and Resource as lists. */
export function statementsOf(policy: unknown): Statement[] {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);
  const statements = (policy as { Statement: Array<Record<string, unknown>> }).Statement;
  return statements
    .filter((s) => s.Effect === 'Allow')
    .map((s, index) => ({ sid: String(s.Sid ?? `#${index}`), actions: list(s.Action), resources: list(s.Resource) }));
}

/** IAM's wildcard match: `*` any run of characters, `?` one character. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** One permission a call needs: an IAM action on one of several equivalent ARNs (or on `*`: none). */
export interface Need {
  action: string;
  /** Any of them being allowed is enough (a log group is matched with and without `:*`). */
  arns: string[];
  entry: RequestLogEntry;
}

export interface Account {
  region: string;
  accountId: string;
  /** The execution role of the function a copy is made of (what CreateFunction passes). */
  roleArn: string;
}

/**
 * The permissions one logged call needs.
 *
 * @example
 * ```ts
 * needsOf({ service: 'lambda', operation: 'Invoke', resource: 'f', qualifier: '3', status: 200 }, account);
 * // [{ action: 'lambda:InvokeFunction', arns: ['arn:aws:lambda:eu-west-1:123456789012:function:f:3'], … }]
 * ```
 */
export function needsOf(entry: RequestLogEntry, account: Account): Need[] {
  const { region, accountId } = account;
  return iamActionsFor(entry.service, entry.operation).map((action) => {
    if (action === 'iam:PassRole') return { action, arns: [account.roleArn], entry };
    if (entry.service === 'logs') {
      const group = `arn:aws:logs:${region}:${accountId}:log-group:${entry.resource}`;
      return { action, arns: entry.resource ? [group, `${group}:*`] : ['*'], entry };
    }
    const fn = `arn:aws:lambda:${region}:${accountId}:function:${entry.resource}`;
    return { action, arns: [entry.qualifier ? `${fn}:${entry.qualifier}` : fn], entry };
  });
}

/** The statements that allow a need (empty: it would be refused). */
export function allowing(statements: Statement[], need: Need): Statement[] {
  return statements.filter(
    (s) =>
      s.actions.some((a) => wildcard(a, need.action, true)) &&
      s.resources.some((r) => need.arns.some((arn) => (arn === '*' ? r === '*' : wildcard(r, arn))))
  );
}

/**
 * What of a set of statements no need used: an action of a statement that no allowed need matched, or a
 * resource pattern no allowed need matched. Empty means every line of the policy is used.
 */
export function unusedParts(statements: Statement[], needs: Need[]): string[] {
  const unused: string[] = [];
  for (const s of statements) {
    const served = needs.filter((need) => allowing([s], need).length > 0);
    for (const action of s.actions) {
      if (!served.some((need) => wildcard(action, need.action, true))) unused.push(`${s.sid}: action ${action}`);
    }
    for (const resource of s.resources) {
      const used = served.some((need) =>
        need.arns.some((arn) => (arn === '*' ? resource === '*' : wildcard(resource, arn)))
      );
      if (!used) unused.push(`${s.sid}: resource ${resource}`);
    }
  }
  return unused;
}
