/**
 * CloudWatch Logs filter patterns (FilterLogEvents' `filterPattern`), compiled to a predicate on
 * the message text:
 * - terms: `ERROR timeout` (all must occur), `"REPORT RequestId: abc"` (a quoted phrase),
 *   `?ERROR ?WARN` (at least one of the `?` terms), `-DEBUG` (must not occur); case-sensitive;
 * - `%regex%`: a regular expression anywhere in the message;
 * - JSON: `{ $.type = "platform.report" && $.record.metrics.durationMs > 100 }` with `=`, `!=`,
 *   `<`, `<=`, `>`, `>=`, `*` wildcards in strings, `&&`, `||`, parentheses, `IS NULL`,
 *   `IS TRUE`, `IS FALSE`, `NOT EXISTS`.
 * Space-delimited patterns (`[ip, user, ...]`) are not supported.
 */
import { invalidParameter } from './params.js';

/** Whether a message matches. */
export type MessageMatcher = (message: string) => boolean;

/** Compiles a filter pattern; an empty or missing pattern matches everything (undefined). */
export function compileFilterPattern(pattern: string | undefined): MessageMatcher | undefined {
  const text = pattern?.trim() ?? '';
  if (text === '') return undefined;
  if (text.length >= 2 && text.startsWith('%') && text.endsWith('%')) {
    let regex: RegExp;
    try {
      regex = new RegExp(text.slice(1, -1));
    } catch (error) {
      throw invalidParameter(`Invalid filter pattern: ${(error as Error).message}`);
    }
    return (message) => regex.test(message);
  }
  if (text.startsWith('{')) return compileJsonPattern(text);
  if (text.startsWith('[')) {
    throw invalidParameter(
      'Invalid filter pattern: space-delimited patterns ([...]) are not supported by the emulator.'
    );
  }
  return compileTerms(text);
}

function compileTerms(text: string): MessageMatcher {
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  const term = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of text.matchAll(term)) {
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] as string);
    if (value === '') continue;
    (m[1] === '?' ? optional : m[1] === '-' ? excluded : required).push(value);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}

type JsonTest = (root: unknown) => boolean;
type Token = { kind: 'op' | 'string' | 'number' | 'selector' | 'word'; text: string };

const TOKEN =
  /\s*(?:(&&|\|\||!=|<=|>=|=|<|>|\(|\))|"((?:[^"\\]|\\.)*)"|(\$[^\s=!<>()&|]*)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=[\s)&|]|$)|([^\s=!<>()&|"]+))/y;

function compileJsonPattern(text: string): MessageMatcher {
  if (!text.endsWith('}')) throw invalidParameter('Invalid filter pattern: a JSON pattern must end with }');
  const body = text.slice(1, -1);
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(body);
    if (!m) throw invalidParameter(`Invalid filter pattern: unexpected text '${body.slice(TOKEN.lastIndex).trim()}'`);
    if (m[1] !== undefined) tokens.push({ kind: 'op', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', text: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ kind: 'selector', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'number', text: m[4] });
    else tokens.push({ kind: 'word', text: m[5] as string });
  }
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const bad = (what: string): never => {
    throw invalidParameter(`Invalid filter pattern: ${what} in '${text}'`);
  };

  const or = (): JsonTest => {
    const parts = [and()];
    while (peek()?.text === '||') {
      pos++;
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as JsonTest) : (root) => parts.some((p) => p(root));
  };
  const and = (): JsonTest => {
    const parts = [unit()];
    while (peek()?.text === '&&') {
      pos++;
      parts.push(unit());
    }
    return parts.length === 1 ? (parts[0] as JsonTest) : (root) => parts.every((p) => p(root));
  };
  const unit = (): JsonTest => {
    const token = tokens[pos++];
    if (token?.kind === 'op' && token.text === '(') {
      const inner = or();
      if (tokens[pos++]?.text !== ')') bad(`missing ')'`);
      return inner;
    }
    if (token?.kind !== 'selector') return bad(`expected a selector such as $.field`);
    const path = selectorPath(token.text, bad);
    const op = tokens[pos++];
    if (op?.kind === 'word') return keywordTest(op.text.toUpperCase(), path);
    if (op?.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.text)) return bad('expected a comparison');
    const value = tokens[pos++];
    if (!value || value.kind === 'op' || value.kind === 'selector') return bad('expected a value');
    return comparison(op.text, value, path);
  };
  const keywordTest = (word: string, path: (string | number)[]): JsonTest => {
    const next = tokens[pos++]?.text.toUpperCase();
    if (word === 'IS' && next === 'NULL') return (root) => resolve(root, path) === null;
    if (word === 'IS' && (next === 'TRUE' || next === 'FALSE'))
      return (root) => resolve(root, path) === (next === 'TRUE');
    if (word === 'NOT' && next === 'EXISTS') return (root) => resolve(root, path) === undefined;
    return bad(`unknown condition '${word} ${next ?? ''}'`);
  };

  const test = or();
  if (pos !== tokens.length) bad(`unexpected '${tokens[pos]?.text}'`);
  return (message) => {
    if (message.charCodeAt(0) !== 123 /* { */) return false;
    let root: unknown;
    try {
      root = JSON.parse(message);
    } catch {
      return false;
    }
    return test(root);
  };
}

function selectorPath(selector: string, bad: (what: string) => never): (string | number)[] {
  const path: (string | number)[] = [];
  const part = /\.([^.[\]]+)|\[(\d+)\]/y;
  part.lastIndex = 1;
  while (part.lastIndex < selector.length) {
    const m = part.exec(selector);
    if (!m) return bad(`invalid selector '${selector}'`);
    path.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return path;
}

function resolve(root: unknown, path: (string | number)[]): unknown {
  let cursor = root;
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string | number, unknown>)[key];
  }
  return cursor;
}

function comparison(op: string, value: Token, path: (string | number)[]): JsonTest {
  if (value.kind === 'number') {
    const n = Number(value.text);
    return (root) => {
      const actual = resolve(root, path);
      if (typeof actual !== 'number') return false;
      switch (op) {
        case '=':
          return actual === n;
        case '!=':
          return actual !== n;
        case '<':
          return actual < n;
        case '<=':
          return actual <= n;
        case '>':
          return actual > n;
        default:
          return actual >= n;
      }
    };
  }
  if (op !== '=' && op !== '!=') {
    throw invalidParameter(`Invalid filter pattern: '${op}' needs a number, not '${value.text}'`);
  }
  const negate = op === '!=';
  // `*` is a wildcard in string comparisons ("prefix*", "*suffix").
  const glob = value.text.includes('*')
    ? new RegExp(
        `^${value.text
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
        's'
      )
    : undefined;
  return (root) => {
    const actual = resolve(root, path);
    if (actual === undefined || actual === null || typeof actual === 'object') return false;
    const text = String(actual);
    return (glob ? glob.test(text) : text === value.text) !== negate;
  };
}
