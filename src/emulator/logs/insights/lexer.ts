/**
 * Tokenizer of the Logs Insights query language. A `/` starts a regex literal where a value is
 * expected (after `like`, `=~`, `(`, `,`, `parse <field>` …) and is division after a value, which is
 * how Insights tells `@duration / 1000` from `like /timeout/`.
 */
import { QuerySyntaxError } from './types.js';

export type TokenType = 'ident' | 'string' | 'regex' | 'number' | 'duration' | 'op' | 'eof';

/** A token and where it is in the query string. */
export interface Token {
  type: TokenType;
  /** Identifier name (backticks removed), operator, string contents, or number/duration text. */
  text: string;
  start: number;
  end: number;
  /** Regex tokens: the flags (`i` when the pattern began with Java's `(?i)`). */
  flags?: string;
  /** Duration tokens: the length in ms. */
  ms?: number;
}

/** Units of `bin(5m)` and friends, in ms. Months and longer are not fixed lengths and not supported. */
export const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 604_800_000
};

const OPERATORS = ['==', '!=', '<=', '>=', '=~', '|', '(', ')', ',', '[', ']', '=', '<', '>', '+', '-', '*', '/', '%'];
const WORD_OPERATORS = new Set(['and', 'or', 'not', 'like', 'in', 'as', 'by']);

const isIdentStart = (c: string): boolean => /[A-Za-z_@$]/.test(c);
const isIdentPart = (c: string): boolean => /[\w.@$]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Splits a query into tokens; `#` starts a comment that runs to the end of the line. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, start: number, end = start + 1): never => {
    throw new QuerySyntaxError(message, start, end);
  };
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let text = '';
      i++;
      while (i < query.length && query[i] !== c) {
        if (query[i] === '\\' && i + 1 < query.length) {
          const next = query[i + 1] as string;
          text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else text += query[i++];
      }
      if (i >= query.length) fail(`Unterminated string starting at character ${start}`, start, query.length);
      tokens.push({ type: 'string', text, start, end: ++i });
      continue;
    }
    if (c === '`') {
      const close = query.indexOf('`', i + 1);
      if (close === -1) fail(`Unterminated \` quoted field name at character ${start}`, start, query.length);
      tokens.push({ type: 'ident', text: query.slice(i + 1, close), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === '/' && regexAllowed(tokens)) {
      let source = '';
      i++;
      while (i < query.length && query[i] !== '/') {
        // `\/` is an escaped slash inside the pattern; other escapes belong to the regex itself.
        if (query[i] === '\\' && query[i + 1] === '/') {
          source += '/';
          i += 2;
        } else source += query[i++];
      }
      if (i >= query.length)
        fail(`Unterminated regular expression starting at character ${start}`, start, query.length);
      i++;
      let flags = '';
      while (i < query.length && /[imsu]/.test(query[i] as string)) flags += query[i++];
      if (source.startsWith('(?i)')) {
        source = source.slice(4);
        if (!flags.includes('i')) flags += 'i';
      }
      tokens.push({ type: 'regex', text: source, flags, start, end: i });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(query[i + 1]))) {
      while (isDigit(query[i]) || (query[i] === '.' && isDigit(query[i + 1]))) i++;
      const number = query.slice(start, i);
      if (i < query.length && /[A-Za-z]/.test(query[i] as string)) {
        const unitStart = i;
        while (i < query.length && /[A-Za-z]/.test(query[i] as string)) i++;
        const unit = query.slice(unitStart, i);
        const scale = DURATION_UNITS[unit];
        if (scale === undefined) {
          fail(`Unsupported time unit '${unit}' in '${query.slice(start, i)}' (use ms, s, m, h, d or w)`, start, i);
        }
        tokens.push({
          type: 'duration',
          text: query.slice(start, i),
          ms: Number(number) * (scale ?? 0),
          start,
          end: i
        });
      } else tokens.push({ type: 'number', text: number, start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < query.length && isIdentPart(query[i] as string)) i++;
      tokens.push({ type: 'ident', text: query.slice(start, i), start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (!op) fail(`Unexpected character '${c}' at character ${start}`, start);
    i += (op as string).length;
    tokens.push({ type: 'op', text: op as string, start, end: i });
  }
  tokens.push({ type: 'eof', text: '', start: query.length, end: query.length });
  return tokens;
}

/** Whether a `/` here opens a regex rather than dividing. */
function regexAllowed(tokens: Token[]): boolean {
  const prev = tokens[tokens.length - 1];
  if (!prev) return true;
  if (prev.type === 'op') return prev.text !== ')' && prev.text !== ']';
  if (prev.type === 'ident') {
    if (WORD_OPERATORS.has(prev.text.toLowerCase()) || prev.text.toLowerCase() === 'parse') return true;
    // `parse @message /…/`: the field after the command word is followed by the pattern.
    const before = tokens[tokens.length - 2];
    return before?.type === 'ident' && before.text.toLowerCase() === 'parse';
  }
  return false;
}

/** Whether the token is the keyword `word` (keywords are case-insensitive). */
export function isWord(token: Token | undefined, word: string): boolean {
  return token?.type === 'ident' && token.text.toLowerCase() === word;
}
