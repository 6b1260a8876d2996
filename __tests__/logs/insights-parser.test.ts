import { describe, expect, it } from '@jest/globals';
import { parseQuery, type Expr } from '../../src/emulator/logs/insights/parser.js';
import { tokenize } from '../../src/emulator/logs/insights/lexer.js';
import { prepareQuery } from '../../src/emulator/logs/insights/evaluator.js';
import { QuerySyntaxError } from '../../src/emulator/logs/insights/types.js';

function syntaxError(query: string): QuerySyntaxError {
  try {
    prepareQuery(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to be rejected`);
}

describe('Insights lexer', () => {
  it('tells regex literals from division', () => {
    const kinds = (q: string) => tokenize(q).map((t) => t.type);
    expect(kinds('@duration / 1000')).toEqual(['ident', 'op', 'number', 'eof']);
    expect(kinds('@message like /a\\/b/')).toEqual(['ident', 'ident', 'regex', 'eof']);
    expect(kinds('parse @message /(?<x>\\d+)/')).toEqual(['ident', 'ident', 'regex', 'eof']);
    expect(tokenize('x =~ /(?i)error/')[2]).toMatchObject({ type: 'regex', text: 'error', flags: 'i' });
  });

  it('reads durations, backtick names, strings and comments', () => {
    const tokens = tokenize("bin(5m) `my field` 'it''s' # a comment\n 1.5");
    expect(tokens[2]).toMatchObject({ type: 'duration', ms: 300_000 });
    expect(tokens[4]).toMatchObject({ type: 'ident', text: 'my field' });
    expect(tokens.filter((t) => t.type === 'number').map((t) => t.text)).toEqual(['1.5']);
  });
});

describe('Insights parser', () => {
  it('parses the REPORT stats query', () => {
    const [filter, stats] = parseQuery(
      'filter @type = "REPORT" | stats count(*) as invocations, pct(@duration, 99) as p99, avg(@billedDuration) by bin(1d)'
    );
    expect(filter?.kind).toBe('filter');
    if (stats?.kind !== 'stats') throw new Error('expected stats');
    expect(stats.items.map((i) => i.name)).toEqual(['invocations', 'p99', 'avg(@billedDuration)']);
    expect(stats.by.map((b) => b.name)).toEqual(['bin(1d)']);
  });

  it('respects precedence: not > and > or, * before +', () => {
    const [cmd] = parseQuery('filter a = 1 or not b = 2 and c + 2 * 3 > 7');
    if (cmd?.kind !== 'filter') throw new Error('expected filter');
    const e = cmd.expr as Expr & { kind: 'binary' };
    expect(e.op).toBe('or');
    const right = e.right as Expr & { kind: 'binary' };
    expect(right.op).toBe('and');
    expect(right.left.kind).toBe('unary');
    const cmp = right.right as Expr & { kind: 'binary' };
    expect(cmp.op).toBe('>');
    expect((cmp.left as Expr & { kind: 'binary' }).op).toBe('+');
  });

  it('parses sort, limit, display, dedup, parse glob and regex, in and not like', () => {
    const commands = parseQuery(
      'parse @message "[*] *" as level, text | parse @message /id=(?<id>\\w+)/ | filter level in ["ERROR", "WARN"] and text not like /debug/ ' +
        '| sort by @timestamp desc, id | dedup id | limit 5 | display @timestamp, level'
    );
    expect(commands.map((c) => c.kind)).toEqual(['parse', 'parse', 'filter', 'sort', 'dedup', 'limit', 'display']);
    const glob = commands[0];
    if (glob?.kind !== 'parse') throw new Error('expected parse');
    expect(glob.names).toEqual(['level', 'text']);
    expect(glob.regex.exec('[ERROR] disk full')?.slice(1)).toEqual(['ERROR', 'disk full']);
    const sort = commands[3];
    if (sort?.kind !== 'sort') throw new Error('expected sort');
    expect(sort.keys.map((k) => k.desc)).toEqual([true, false]);
  });

  it('rejects malformed queries with positions', () => {
    expect(syntaxError('')).toBeInstanceOf(QuerySyntaxError);
    const unknown = syntaxError('fields @message | frobnicate x');
    expect(unknown.message).toContain("Unknown command 'frobnicate'");
    expect(unknown.start).toBe(18);
    expect(syntaxError('filter (a = 1').message).toContain("Expected ')'");
    expect(syntaxError('stats @duration').message).toContain('aggregate');
    expect(syntaxError('filter count(*) > 1').message).toContain('only be used in stats');
    expect(syntaxError('stats count(*) by bin(5x)').message).toContain("Unsupported time unit 'x'");
    expect(syntaxError('fields nosuch(1)').message).toContain('Unknown function nosuch()');
    expect(syntaxError('limit 0').message).toContain('limit must be');
    expect(syntaxError('parse @message "a * b *" as x').message).toContain("2 '*'");
    expect(syntaxError('filter @message like /(/').message).toContain('Invalid regular expression');
    expect(syntaxError('stats pct(@duration, 101)').message).toContain('0 to 100');
    expect(syntaxError('filter "unterminated').message).toContain('Unterminated string');
  });
});
