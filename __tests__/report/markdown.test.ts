import { describe, expect, it } from '@jest/globals';
import {
  details,
  escapeMarkdown,
  escapeTableCell,
  inlineCode,
  link,
  safeUrl,
  table
} from '../../src/report/markdown.js';

const ZWSP = '\u200B';

/** What must never survive escaping, whatever the input: each pattern would render as markup or notify. */
function expectInert(out: string): void {
  expect(out).not.toMatch(/<(?!br>)/); // no raw tag except our own <br>
  expect(out).not.toMatch(/(?<!\\)[[\]()`*_|!]/); // every markdown punctuation is backslash-escaped
  expect(out).not.toMatch(/@\w/); // no mention
  expect(out).not.toMatch(/#\d/); // no issue reference
  expect(out).not.toMatch(/:\/\//); // no bare-URL autolink
  expect(out).not.toMatch(/\n/); // cannot start a block
}

describe('escapeMarkdown', () => {
  it.each([
    ['a markdown link', '[click me](https://evil.example/phish)'],
    ['an image', '![x](https://evil.example/track.png)'],
    ['an HTML image', '<img src=x onerror=alert(1)>'],
    ['a team mention', 'ping @octo-org/security-team and @alice'],
    ['an issue reference', 'fixes #1 and octo/shop#23'],
    ['a table breaker', 'a | b\n| c | d |'],
    ['backticks and emphasis', '`code` **bold** _it_ ~~gone~~'],
    ['an HTML comment', '<!-- lambda-cost-gate:comment:other -->'],
    ['a details breakout', '</details></summary><h1>owned</h1>']
  ])('renders %s inert', (_, hostile) => {
    expectInert(escapeMarkdown(hostile));
    expectInert(escapeTableCell(hostile));
  });

  it('keeps the text readable: the same characters come back once entities and escapes are rendered', () => {
    const text = 'Timeout after 3.0 s: see https://x.example/a_b (retry #2) @bob <ok> & $5 | done';
    const rendered = escapeMarkdown(text)
      .replace(/\\(.)/g, '$1')
      .replaceAll(ZWSP, '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&#36;', '$')
      .replaceAll('&amp;', '&');
    expect(rendered).toBe(text);
  });

  it('breaks mentions, issue links and autolinks with a zero-width space', () => {
    expect(escapeMarkdown('@org/team')).toBe(`@${ZWSP}org/team`);
    expect(escapeMarkdown('#12')).toBe(`\\#${ZWSP}12`);
    expect(escapeMarkdown('GH-7')).toBe(`GH-${ZWSP}7`);
    expect(escapeMarkdown('www.evil.example')).toBe(`www${ZWSP}.evil.example`);
    expect(escapeMarkdown('mail a@b.example')).toBe(`mail a@${ZWSP}b.example`);
  });

  it('turns dollar signs into entities so two amounts never render as a formula', () => {
    expect(escapeMarkdown('$1 and $2')).toBe('&#36;1 and &#36;2');
  });

  it('escapes a leading list, heading or quote marker', () => {
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('# Heading')).toBe('\\# Heading');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('+ plus')).toBe('\\+ plus');
  });

  it('keeps line breaks as <br> in text and as spaces in a table cell', () => {
    expect(escapeMarkdown('one\r\ntwo\nthree')).toBe('one<br>two<br>three');
    expect(escapeTableCell('one\ntwo')).toBe('one two');
  });

  it('drops control and bidirectional-override characters', () => {
    expect(escapeMarkdown('evil\u202Efdp.exe\u0000')).toBe('evilfdp.exe');
  });

  it('does not double an entity that was already in the text', () => {
    expect(escapeMarkdown('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });
});

describe('inlineCode', () => {
  it('fences text with more backticks than it contains', () => {
    expect(inlineCode('my-fn')).toBe('`my-fn`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('``x')).toBe('``` ``x ```');
  });

  it('joins lines and escapes pipes only in a table', () => {
    expect(inlineCode('a\nb|c')).toBe('`a b|c`');
    expect(inlineCode('a|b', { table: true })).toBe('`a\\|b`');
  });

  it('shows an empty value as such rather than an empty span', () => {
    expect(inlineCode('  ')).toBe('(empty)');
  });
});

describe('links', () => {
  it('accepts http(s) only and encodes characters that could end the target', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://a.example/x y')).toBeUndefined();
    expect(safeUrl('https://a.example/x)(<"')).toBe('https://a.example/x%29%28%3C%22');
    expect(link('run 1', 'https://a.example/r/1')).toBe('[run 1](https://a.example/r/1)');
    expect(link('run 1', 'data:text/html,x')).toBe('run 1');
  });
});

describe('table and details', () => {
  it('builds a GFM table with alignment and pads short rows', () => {
    expect(table(['A', 'B'], [['1']], ['left', 'right'])).toEqual(['| A | B |', '| --- | ---: |', '| 1 |  |']);
  });

  it('leaves blank lines inside <details> so markdown renders there', () => {
    expect(details('Plan', ['- one'])).toEqual(['<details><summary>Plan</summary>', '', '- one', '', '</details>']);
  });
});
