/**
 * Parser of Logs Insights queries: `|`-separated commands (fields, display, filter, stats, sort,
 * limit, parse, dedup) with Insights' expression grammar. Errors carry character offsets, which
 * StartQuery returns as `queryCompileError`.
 */
import { MAX_LIMIT, type BinaryOp, type Command, type Expr, type NamedExpr, type Span } from './ast.js';
import { isWord, tokenize, type Token } from './lexer.js';
import { QuerySyntaxError } from './types.js';

export { MAX_LIMIT, type BinaryOp, type Command, type Expr, type NamedExpr } from './ast.js';

const COMPARISONS: Record<string, BinaryOp> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>='
};

/** Parses a query string into commands; throws {@link QuerySyntaxError}. */
export function parseQuery(query: string): Command[] {
  return new Parser(query).commands();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly query: string) {
    this.tokens = tokenize(query);
  }

  commands(): Command[] {
    const commands: Command[] = [];
    if (this.peek().type === 'eof') throw new QuerySyntaxError('The query is empty', 0, this.query.length);
    for (;;) {
      commands.push(this.command());
      const next = this.next();
      if (next.type === 'eof') return commands;
      if (next.text !== '|') this.fail(next, `Expected '|' or the end of the query`);
    }
  }

  private command(): Command {
    const word = this.next();
    const start = word.start;
    const name = word.type === 'ident' ? word.text.toLowerCase() : '';
    const span = (): Span => ({ start, end: this.prevEnd(), text: this.query.slice(start, this.prevEnd()) });
    switch (name) {
      case 'fields':
      case 'display':
        return { kind: name, items: this.list(() => this.named()), ...span() };
      case 'filter':
        return { kind: 'filter', expr: this.expr(), ...span() };
      case 'stats': {
        const items = this.list(() => this.named());
        const by = isWord(this.peek(), 'by') ? (this.next(), this.list(() => this.named())) : [];
        return { kind: 'stats', items, by, ...span() };
      }
      case 'sort': {
        if (isWord(this.peek(), 'by')) this.next();
        const keys = this.list(() => {
          const expr = this.expr();
          const dir = this.peek();
          const desc = isWord(dir, 'desc');
          if (desc || isWord(dir, 'asc')) this.next();
          return { expr, desc };
        });
        return { kind: 'sort', keys, ...span() };
      }
      case 'limit': {
        const n = this.next();
        const count = Number(n.text);
        if (n.type !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_LIMIT) {
          this.fail(n, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
        }
        return { kind: 'limit', count, ...span() };
      }
      case 'parse':
        return { ...this.parseCommand(), ...span() };
      case 'dedup':
        return { kind: 'dedup', keys: this.list(() => this.expr()), ...span() };
      default:
        return this.fail(word, word.type === 'eof' ? 'Expected a command after |' : `Unknown command '${word.text}'`);
    }
  }

  /** `parse [field] "glob * pattern" as a, b` or `parse [field] /(?<a>re)/`. */
  private parseCommand(): { kind: 'parse'; source: Expr; regex: RegExp; names: string[] } {
    let source: Expr = { kind: 'field', name: '@message', text: '@message', start: 0, end: 0 };
    if (this.peek().type === 'ident') source = this.primary();
    const pattern = this.next();
    if (pattern.type === 'regex') {
      const regex = this.regex(pattern);
      const names = [...pattern.text.matchAll(/\(\?<([A-Za-z_][\w]*)>/g)].map((m) => m[1] as string);
      if (names.length === 0) this.fail(pattern, 'A parse regular expression needs named groups such as (?<name>…)');
      return { kind: 'parse', source, regex, names };
    }
    if (pattern.type !== 'string') return this.fail(pattern, 'Expected a "glob * pattern" or /regex/ after parse');
    const parts = pattern.text.split('*');
    const last = parts.length - 1;
    const body = parts
      .map((part, k) => escapeRegex(part) + (k === last ? '' : k === last - 1 && parts[last] === '' ? '(.*)' : '(.*?)'))
      .join('');
    if (!isWord(this.next(), 'as'))
      this.fail(this.tokens[this.pos - 1] as Token, `Expected 'as' and field names after the parse pattern`);
    const names = this.list(() => this.fieldName());
    if (names.length !== last) {
      this.fail(pattern, `The parse pattern has ${last} '*' but ${names.length} field names follow 'as'`);
    }
    return { kind: 'parse', source, regex: new RegExp(body, 's'), names };
  }

  private named(): NamedExpr {
    const expr = this.expr();
    if (isWord(this.peek(), 'as')) {
      this.next();
      return { expr, name: this.fieldName() };
    }
    return { expr, name: expr.kind === 'field' ? expr.name : expr.text };
  }

  private fieldName(): string {
    const token = this.next();
    if (token.type !== 'ident') this.fail(token, 'Expected a field name');
    return token.text;
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.peek().text === ',' && this.peek().type === 'op') {
      this.next();
      items.push(item());
    }
    return items;
  }

  // Precedence, loosest first: or, and, not, comparison/like/in, + -, * / %, unary minus.
  private expr(): Expr {
    return this.binaryLevel(['or'], () => this.binaryLevel(['and'], () => this.notExpr()));
  }

  private binaryLevel(words: string[], operand: () => Expr): Expr {
    let left = operand();
    while (words.some((w) => isWord(this.peek(), w))) {
      const op = this.next().text.toLowerCase() as BinaryOp;
      const right = operand();
      left = this.node({ kind: 'binary', op, left, right }, left.start);
    }
    return left;
  }

  private notExpr(): Expr {
    const token = this.peek();
    if (isWord(token, 'not')) {
      this.next();
      return this.node({ kind: 'unary', op: 'not', operand: this.notExpr() }, token.start);
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const token = this.peek();
    const negated = isWord(token, 'not') && (isWord(this.peek(1), 'like') || isWord(this.peek(1), 'in'));
    if (negated) this.next();
    const op = this.peek();
    if (op.type === 'op' && COMPARISONS[op.text] && !negated) {
      this.next();
      return this.node(
        { kind: 'binary', op: COMPARISONS[op.text] as BinaryOp, left, right: this.additive() },
        left.start
      );
    }
    if (op.type === 'op' && op.text === '=~' && !negated) {
      this.next();
      return this.node({ kind: 'binary', op: '=~', left, right: this.primary() }, left.start);
    }
    if (isWord(op, 'like')) {
      this.next();
      return this.node({ kind: 'binary', op: negated ? 'not like' : 'like', left, right: this.primary() }, left.start);
    }
    if (isWord(op, 'in')) {
      this.next();
      const open = this.next();
      if (open.text !== '[') this.fail(open, `Expected '[' after in`);
      const items = this.peek().text === ']' ? [] : this.list(() => this.additive());
      const close = this.next();
      if (close.text !== ']') this.fail(close, `Expected ']' to close the in list`);
      return this.node({ kind: 'in', operand: left, items, negated }, left.start);
    }
    return left;
  }

  private additive(): Expr {
    return this.arith(['+', '-'], () => this.arith(['*', '/', '%'], () => this.unary()));
  }

  private arith(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    while (this.peek().type === 'op' && ops.includes(this.peek().text)) {
      const op = this.next().text as BinaryOp;
      left = this.node({ kind: 'binary', op, left, right: operand() }, left.start);
    }
    return left;
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.type === 'op' && token.text === '-') {
      this.next();
      return this.node({ kind: 'unary', op: '-', operand: this.unary() }, token.start);
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    const start = token.start;
    switch (token.type) {
      case 'number':
        return this.node({ kind: 'literal', value: Number(token.text) }, start);
      case 'string':
        return this.node({ kind: 'literal', value: token.text }, start);
      case 'regex':
        return this.node({ kind: 'regex', regex: this.regex(token) }, start);
      case 'duration':
        return this.node({ kind: 'duration', ms: token.ms ?? 0 }, start);
      case 'ident': {
        if (this.peek().text === '(' && this.peek().type === 'op') {
          this.next();
          const args: Expr[] = [];
          if (this.peek().text === '*') {
            const star = this.next();
            args.push({ kind: 'star', text: '*', start: star.start, end: star.end });
          } else if (this.peek().text !== ')') args.push(...this.list(() => this.expr()));
          const close = this.next();
          if (close.text !== ')') this.fail(close, `Expected ')' to close ${token.text}(`);
          return this.node({ kind: 'call', name: token.text.toLowerCase(), args }, start);
        }
        const lower = token.text.toLowerCase();
        if (lower === 'true' || lower === 'false')
          return this.node({ kind: 'literal', value: lower === 'true' }, start);
        return this.node({ kind: 'field', name: token.text }, start);
      }
      case 'op':
        if (token.text === '(') {
          const inner = this.expr();
          const close = this.next();
          if (close.text !== ')') this.fail(close, `Expected ')'`);
          return { ...inner, start, end: close.end, text: this.query.slice(start, close.end) };
        }
        break;
      default:
        break;
    }
    return this.fail(
      token,
      token.type === 'eof'
        ? 'Unexpected end of query: expected a value'
        : `Unexpected '${token.text}': expected a value`
    );
  }

  private regex(token: Token): RegExp {
    try {
      return new RegExp(token.text, token.flags);
    } catch (error) {
      return this.fail(token, `Invalid regular expression /${token.text}/: ${(error as Error).message}`);
    }
  }

  private node<T extends object>(fields: T, start: number): T & Span {
    const end = this.prevEnd();
    return { ...fields, start, end, text: this.query.slice(start, end) };
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  private prevEnd(): number {
    return this.tokens[this.pos - 1]?.end ?? 0;
  }

  private fail(token: Token, message: string): never {
    const line = this.query.slice(0, token.start).split('\n').length;
    throw new QuerySyntaxError(`${message} at line ${line}, character ${token.start}`, token.start, token.end);
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
